"""Account pages: login and logout, the second factor, switching position, own API tokens."""

from __future__ import annotations

from base64 import b32encode
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

from congso.kernel.errors import DomainError
from congso.kernel.people import rules, selectors, services
from congso.kernel.people.forms import (
    ApiTokenCreateForm,
    LoginForm,
    SwitchPositionForm,
    TotpCodeForm,
)
from congso.kernel.people.middleware import SESSION_POSITION_KEY
from congso.kernel.people.models import ApiToken


def _safe_next(request: HttpRequest, candidate: str | None, default: str = "") -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse(settings.LOGIN_REDIRECT_URL)


def _next_param(request: HttpRequest) -> str:
    return _safe_next(request, request.POST.get("next") or request.GET.get("next"))


def _confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("-pk").first()


class LoginView(auth_views.LoginView):
    """Username and password (failures counted by axes), then the second factor if needed."""

    template_name = "people/login.html"
    authentication_form = LoginForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        return context

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        super().form_valid(form)
        self.request.session.pop(SESSION_POSITION_KEY, None)
        user = form.get_user()
        target = self.get_success_url()
        device = _confirmed_device(user)
        if device is not None or rules.totp_required(user):
            name = "people:totp_verify" if device is not None else "people:totp_setup"
            return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': target})}")
        return HttpResponseRedirect(target)


class LogoutView(auth_views.LogoutView):
    """POST only (Django's rule): a link cannot log anyone out. Goes to the public portal."""


@login_required
def totp_setup(request: HttpRequest) -> HttpResponse:
    """Show a QR code and the secret; a correct code from the app confirms the device."""
    user = request.user
    is_verified = getattr(user, "is_verified", lambda: False)()
    if _confirmed_device(user) is not None and not is_verified:
        # Replacing a device needs the current one: otherwise a stolen password would do.
        return redirect(
            f"{reverse('people:totp_verify')}?{urlencode({'next': _next_param(request)})}"
        )
    device = services.totp_device_begin(user=user)  # type: ignore[arg-type]
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_confirm(device=device, token=form.cleaned_data["token"]):
            device.refresh_from_db()
            otp_login(request, device)
            messages.success(request, "Đã bật xác thực hai lớp cho tài khoản của bạn.")
            return redirect(_next_param(request))
        form.add_error(
            "token", "Mã xác thực không đúng. Hãy kiểm tra giờ trên điện thoại và thử lại."
        )
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=2, title="Mã QR để thêm tài khoản vào ứng dụng xác thực"
    )
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_svg": mark_safe(qr_svg),  # segno output from our own data
        "secret": secret,
        "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "issuer": getattr(settings, "OTP_TOTP_ISSUER", ""),
        "next": _next_param(request),
        "required": rules.totp_required(user),
    }
    return render(request, "people/totp_setup.html", context)


def _throttle_message(device: TOTPDevice) -> str | None:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    if info and info.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        return (
            "Bạn đã nhập sai mã nhiều lần. Vui lòng đợi một lát rồi thử lại "
            f"(đã sai {info.get('failure_count', '')} lần)."
        )
    return "Tạm thời chưa thể kiểm tra mã. Vui lòng thử lại sau."


@login_required
def totp_verify(request: HttpRequest) -> HttpResponse:
    """Enter the code from the authenticator app."""
    user = request.user
    device = _confirmed_device(user)
    if device is None:
        return redirect(
            f"{reverse('people:totp_setup')}?{urlencode({'next': _next_param(request)})}"
        )
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = _throttle_message(device)
        if throttled:
            form.add_error("token", throttled)
        else:
            verified = verify_token(user, device.persistent_id, form.cleaned_data["token"])
            if verified is not None:
                otp_login(request, verified)
                return redirect(_next_param(request))
            form.add_error("token", "Mã xác thực không đúng hoặc đã hết hạn.")
    return render(request, "people/totp_verify.html", {"form": form, "next": _next_param(request)})


@login_required
@require_POST
def switch_position(request: HttpRequest) -> HttpResponse:
    """Choose which of one's positions the staff area works in (kept in the session)."""
    positions = getattr(request, "positions", None) or list(
        selectors.active_positions(request.user)
    )
    form = SwitchPositionForm(request.POST, positions=positions)
    target = _safe_next(request, request.POST.get("next"), request.headers.get("Referer", ""))
    if form.is_valid():
        request.session[SESSION_POSITION_KEY] = form.cleaned_data["position"]
        chosen = next(p for p in positions if p.pk == form.cleaned_data["position"])
        messages.success(
            request,
            f"Đang làm việc với vị trí: {chosen.title or chosen.get_role_display()}"
            f" — {chosen.unit}.",
        )
    else:
        messages.error(request, "Vị trí này không thuộc về bạn hoặc đã hết hạn.")
    return redirect(target)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The user's own account: positions, delegations, second factor, API tokens."""
    user = request.user
    context = {
        "positions": getattr(request, "positions", None) or list(selectors.active_positions(user)),
        "delegations": list(selectors.active_delegations(user)),
        "roles": sorted(selectors.user_roles(user)),
        "has_device": _confirmed_device(user) is not None,
        "totp_required": rules.totp_required(user),
        "tokens": list(selectors.user_api_tokens(user)[:50]),
        "token_form": ApiTokenCreateForm(),
        "new_key": request.session.pop("congso_new_api_key", None),
    }
    return render(request, "people/account.html", context)


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenCreateForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("people:account")
    try:
        _token, key = services.api_token_create(
            user=request.user,  # type: ignore[arg-type]
            name=form.cleaned_data["name"],
            expires_at=form.expires_at(),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("people:account")
    # Shown once on the next page, then gone from the session.
    request.session["congso_new_api_key"] = key
    return redirect("people:account")


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user_id=request.user.pk)
    try:
        services.api_token_revoke(token=token, actor=request.user)  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã thu hồi khóa API {token.prefix}…")
    return redirect("people:account")


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """Rendered by axes (``AXES_LOCKOUT_CALLABLE``) when a login is refused after too many
    failures: status 429, in Vietnamese, with the waiting time in minutes."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return render(request, "people/locked_out.html", context, status=429)
