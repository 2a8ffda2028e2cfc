"""Remembers the current request so that ``audit_record`` can default the actor and the IP."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_current_request: ContextVar[HttpRequest | None] = ContextVar("congso_audit_request", default=None)


def current_request() -> HttpRequest | None:
    return _current_request.get()


def normalise_ip(value: str | None) -> str | None:
    """A canonical text form (as PostgreSQL's inet prints it), or None when not an address."""
    if not value:
        return None
    try:
        addr = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return str(addr)


def _trusted_proxies() -> int:
    """``TRUST_X_FORWARDED_FOR``: False/0 ignores the header; True/1 trusts one proxy, N: N."""
    value = getattr(settings, "TRUST_X_FORWARDED_FOR", False)
    if value is True:
        return 1
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. X-Forwarded-For is honoured only behind trusted proxies, and then
    the entry added by the outermost trusted proxy is taken (entries further left are whatever
    the client chose to send)."""
    proxies = _trusted_proxies()
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            candidate = normalise_ip(hops[-min(proxies, len(hops))])
            if candidate:
                return candidate
    return normalise_ip(request.META.get("REMOTE_ADDR"))


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
