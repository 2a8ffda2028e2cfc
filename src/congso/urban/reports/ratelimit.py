"""A small fixed-window rate limit on the public report form and Open311 POST, in Django's cache.

The project has no generic rate limiter (django-axes guards logins only). Keyed by the client's
address (``REMOTE_ADDR``; a deployment behind a proxy sets it from the proxy's header). With the
default local-memory cache the window is per process; a shared cache (Redis) makes it global.

Settings: ``URBAN_REPORT_RATE_LIMIT`` (submissions per window, default 10) and
``URBAN_REPORT_RATE_WINDOW`` (seconds, default 3600).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_key(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def limit() -> int:
    return int(getattr(settings, "URBAN_REPORT_RATE_LIMIT", 10))


def window() -> int:
    return int(getattr(settings, "URBAN_REPORT_RATE_WINDOW", 3600))


def _key(scope: str, who: str) -> str:
    bucket = int(time.time() // max(window(), 1))
    return f"urban_reports:rl:{scope}:{who}:{bucket}"


def is_limited(request: HttpRequest, scope: str = "submit") -> bool:
    """True when this client has used up its submissions in the current window."""
    count = cache.get(_key(scope, client_key(request)), 0)
    return int(count) >= limit()


def hit(request: HttpRequest, scope: str = "submit") -> None:
    """Count one submission attempt (every POST, successful or not)."""
    key = _key(scope, client_key(request))
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window() + 5)
