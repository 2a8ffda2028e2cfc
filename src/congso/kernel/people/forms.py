"""Forms of the account pages: login, second factor, position switch, API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congso.kernel.people.models import Position


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."
        ),
        "inactive": _("Tài khoản này đã bị khóa. Vui lòng liên hệ quản trị hệ thống."),
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["password"].label = _("Mật khẩu")


class TotpCodeForm(forms.Form):
    """A six-digit code from the authenticator app."""

    token = forms.CharField(
        label=_("Mã xác thực (6 chữ số)"),
        min_length=6,
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
        error_messages={
            "required": _("Vui lòng nhập mã xác thực."),
            "min_length": _("Mã xác thực gồm 6 chữ số."),
            "max_length": _("Mã xác thực gồm 6 chữ số."),
        },
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError(_("Mã xác thực gồm 6 chữ số."), code="format")
        return token


class SwitchPositionForm(forms.Form):
    position = forms.TypedChoiceField(label=_("Vị trí công tác"), coerce=int)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, positions: list[Position], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["position"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(p.pk, str(_position_label(p))) for p in positions]
        field.error_messages["invalid_choice"] = _("Vị trí này không thuộc về bạn hoặc đã hết hạn.")


def _position_label(position: Position) -> str:
    parts = [position.title or position.get_role_display(), str(position.unit)]
    if position.department_id:
        parts.insert(1, str(position.department))
    return " — ".join(parts)


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Tên gợi nhớ"),
        max_length=100,
        required=False,
        help_text=_("Ví dụ: Kết nối phần mềm một cửa."),
    )
    expires_days = forms.IntegerField(
        label=_("Hết hạn sau (ngày)"),
        min_value=1,
        max_value=3650,
        required=False,
        help_text=_("Để trống: không hết hạn (cho đến khi thu hồi)."),
        error_messages={
            "min_value": _("Số ngày phải từ 1 đến 3650."),
            "max_value": _("Số ngày phải từ 1 đến 3650."),
            "invalid": _("Vui lòng nhập số ngày."),
        },
    )

    def expires_at(self) -> dt.datetime | None:
        days = self.cleaned_data.get("expires_days")
        return timezone.now() + dt.timedelta(days=days) if days else None
