"""Fixtures of the people tests: a deeper unit tree and TOTP codes."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from congso.kernel.orgunits.models import AdminUnit, AdminUnitLevel

OLD_SET = "vietnam-provinces:test-2024"


@pytest.fixture
def district(hanoi: AdminUnit) -> AdminUnit:
    """A former district under Hà Nội with two wards of its own (three levels in all)."""
    district = AdminUnit.objects.create(
        name="Quận Tây Hồ",
        level=AdminUnitLevel.DISTRICT,
        code="003",
        dataset=OLD_SET,
        parent=hanoi,
        valid_to=dt.date(2025, 6, 30),
    )
    for code, name in (("00091", "Phường Phú Thượng (cũ)"), ("00094", "Phường Nhật Tân")):
        AdminUnit.objects.create(
            name=name,
            level=AdminUnitLevel.WARD,
            code=code,
            dataset=OLD_SET,
            parent=district,
            valid_to=dt.date(2025, 6, 30),
        )
    return district


def current_code(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows right now."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def totp_code() -> Callable[[TOTPDevice], str]:
    return current_code


@pytest.fixture
def confirmed_device() -> Callable[..., TOTPDevice]:
    def _make(user: object) -> TOTPDevice:
        return TOTPDevice.objects.create(user=user, name="Điện thoại", confirmed=True)

    return _make
