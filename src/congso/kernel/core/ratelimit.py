"""Rate limits for public forms and lookups (logins have django-axes).

A fixed window per (scope, key) in Django's cache: ``rate_limit_hit(request, scope="lookup",
limit=10, window=60)`` counts one attempt from the client's address and raises ``RateLimited``
(a ``DomainError`` with code ``rate_limited`` and status 429) past the limit. The cache is
``settings.RATELIMIT_CACHE`` (default ``"default"``); with several server processes configure a
shared cache (Redis or the database cache) so that the limit holds across them.
``settings.RATELIMIT_ENABLED = False`` turns every limit off (never in production).
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest

from congso.kernel.audit.middleware import client_ip
from congso.kernel.errors import DomainError


class RateLimited(DomainError):
    status = 429

    def __init__(self, retry_after: int, **kw: Any):
        super().__init__(
            "rate_limited",
            f"Bạn đã thử quá nhiều lần. Vui lòng thử lại sau {retry_after} giây.",
            details={"retry_after": retry_after},
            **kw,
        )
        self.retry_after = retry_after


def _cache_key(scope: str, key: str, window: int, now: float) -> tuple[str, int]:
    bucket = int(now // window)
    digest = hashlib.blake2b(f"{scope}\x1f{key}".encode(), digest_size=12).hexdigest()
    return f"rl:{digest}:{bucket}", int(window - (now % window)) + 1


def rate_limit_hit(
    request: HttpRequest | None,
    *,
    scope: str,
    limit: int,
    window: int = 60,
    key: str | None = None,
) -> int:
    """Counts one attempt; returns the attempts left. ``key`` defaults to the client address."""
    if not getattr(settings, "RATELIMIT_ENABLED", True):
        return limit
    who = key if key is not None else (client_ip(request) if request is not None else None) or "?"
    cache = caches[getattr(settings, "RATELIMIT_CACHE", "default")]
    cache_key, retry_after = _cache_key(scope, who, window, time.time())
    if cache.add(cache_key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=window + 1)
            count = 1
    if count > limit:
        raise RateLimited(retry_after)
    return limit - count
