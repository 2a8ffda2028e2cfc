"""Request context for staff (current position) and the second-factor gate."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect
from django_otp.plugins.otp_totp.models import TOTPDevice

from congso.kernel.people.models import Position
from congso.kernel.people.rules import totp_enabled, totp_required
from congso.kernel.people.selectors import active_positions

#: Session key of the position the user chose with the "switch position" control.
SESSION_POSITION_KEY = "congso_position_id"


class StaffContext:
    """Mixed into the request's class by :class:`StaffContextMiddleware`.

    ``request.positions`` (all active positions, primary first) and ``request.position`` (the one
    chosen in the session, else the primary one, else ``None``) are computed on first access,
    with one query for both, and are real values (``request.position is None`` works).
    """

    user: Any
    session: Any

    @cached_property
    def positions(self) -> list[Position]:
        user = getattr(self, "user", None)
        if user is None or not user.is_authenticated:
            return []
        return list(active_positions(user))

    @cached_property
    def position(self) -> Position | None:
        positions = self.positions
        if not positions:
            return None
        chosen = self.session.get(SESSION_POSITION_KEY) if hasattr(self, "session") else None
        for candidate in positions:
            if candidate.pk == chosen:
                return candidate
        return positions[0]


_request_classes: dict[type, type] = {}


def _with_staff_context(request: HttpRequest) -> None:
    base = type(request)
    if issubclass(base, StaffContext):
        return
    cls = _request_classes.get(base)
    if cls is None:
        cls = type(f"Staff{base.__name__}", (StaffContext, base), {})
        _request_classes[base] = cls
    request.__class__ = cls


class StaffContextMiddleware:
    """Puts the staff user's current position on ``request.position`` and all active ones on
    ``request.positions`` (lazily; see :class:`StaffContext`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _with_staff_context(request)
        return self.get_response(request)


def current_position(request: HttpRequest) -> Position | None:
    """Typed access to ``request.position`` (``None`` outside the middleware)."""
    return getattr(request, "position", None)


# --- second factor --------------------------------------------------------------------------

#: URL names (``namespace:name``) a signed-in user may reach before passing the second factor.
OTP_EXEMPT_VIEWS = frozenset(
    {
        "people:login",
        "people:logout",
        "people:totp_setup",
        "people:totp_verify",
        "set_language",
        "core:healthz",
    }
)
#: Whole namespaces outside the gate: the public portal, and the API (its own auth checks it).
OTP_EXEMPT_NAMESPACES = frozenset({"portal", "api"})


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


def _with_next(url: str, request: HttpRequest) -> str:
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


class SecondFactorMiddleware:
    """Sends users who must use a second factor (``settings.TOTP_REQUIRED_ROLES``) to set one up
    or to enter a code before any staff page; the Django admin requires it of every staff user
    while the second factor is switched on, and its login page is ours (same lockout, same 2FA).

    Install after ``django_otp.middleware.OTPMiddleware``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None:
            return None
        namespace = match.namespace
        if namespace == "admin" and match.url_name == "login":
            # One login for everyone: ours counts failures (axes) and asks for the code.
            target = request.GET.get("next") or reverse("admin:index")
            return _redirect(
                request, f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': target})}"
            )
        if match.view_name in OTP_EXEMPT_VIEWS or namespace.split(":")[0] in OTP_EXEMPT_NAMESPACES:
            return None
        user = request.user
        if not user.is_authenticated:
            return None
        is_verified = getattr(user, "is_verified", None)
        if callable(is_verified) and is_verified():
            return None
        needed = totp_required(user) or (namespace == "admin" and user.is_staff and totp_enabled())
        if not needed:
            return None
        has_device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()
        name = "people:totp_verify" if has_device else "people:totp_setup"
        return _redirect(request, _with_next(reverse(name), request))
