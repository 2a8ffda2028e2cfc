"""Fixtures of the construction-order tests: two wards with square boundaries, their staff."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest

from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import Role, User
from congso.urban.construction import services
from congso.urban.construction.models import Work

SQUARE_A = {
    "type": "Polygon",
    "coordinates": [
        [[105.81, 21.06], [105.83, 21.06], [105.83, 21.08], [105.81, 21.08], [105.81, 21.06]]
    ],
}
SQUARE_B = {
    "type": "Polygon",
    "coordinates": [
        [[105.78, 21.08], [105.80, 21.08], [105.80, 21.10], [105.78, 21.10], [105.78, 21.08]]
    ],
}
INSIDE_A = (21.07, 105.82)
INSIDE_B = (21.09, 105.79)


@pytest.fixture
def wards(ward_a: AdminUnit, ward_b: AdminUnit) -> tuple[AdminUnit, AdminUnit]:
    AdminUnit.objects.filter(pk=ward_a.pk).update(boundary=SQUARE_A)
    AdminUnit.objects.filter(pk=ward_b.pk).update(boundary=SQUARE_B)
    ward_a.refresh_from_db()
    ward_b.refresh_from_db()
    return ward_a, ward_b


@pytest.fixture
def inspector(wards: Any, make_user: Callable[..., User]) -> User:
    return make_user(Role.INSPECTOR, wards[0], full_name="Lý Văn Sơn")


@pytest.fixture
def leader(wards: Any, make_user: Callable[..., User]) -> User:
    return make_user(Role.LEADER, wards[0], full_name="Trần Minh Đức")


@pytest.fixture
def specialist(wards: Any, make_user: Callable[..., User]) -> User:
    return make_user(Role.SPECIALIST, wards[0])


@pytest.fixture
def inspector_b(wards: Any, make_user: Callable[..., User]) -> User:
    return make_user(Role.INSPECTOR, wards[1], full_name="Tạ Quang Vinh")


@pytest.fixture
def clerk(wards: Any, make_user: Callable[..., User]) -> User:
    return make_user(Role.CLERK, wards[0])


def work_data(**over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "address": "Số 12 ngõ 52 Tô Ngọc Vân",
        "owner_name": "Ông Nguyễn Văn An",
        "owner_contact": "0912345678",
        "lat": INSIDE_A[0],
        "lon": INSIDE_A[1],
        "permit_status": "licensed",
        "permit_number": "123/GPXD",
        "permit_date": dt.date(2026, 1, 5),
        "permit_issuer": "UBND phường Tây Hồ",
        "permit_floors": 5,
        "permit_floor_area": "320.5",
        "status": "under_construction",
    }
    data.update(over)
    return data


@pytest.fixture
def work(wards: Any, inspector: User) -> Work:
    return services.work_register(unit=wards[0], actor=inspector, data=work_data())


@pytest.fixture
def work_b(wards: Any, inspector_b: User) -> Work:
    return services.work_register(
        unit=wards[1],
        actor=inspector_b,
        data=work_data(lat=INSIDE_B[0], lon=INSIDE_B[1], permit_status="none"),
    )


def jpeg_bytes(
    *, gps: tuple[float, float] | None = None, size: tuple[int, int] = (40, 30)
) -> bytes:
    from PIL import Image

    image = Image.new("RGB", size, (120, 140, 160))
    buffer = io.BytesIO()
    if gps is None:
        image.save(buffer, "JPEG")
        return buffer.getvalue()
    exif = Image.Exif()

    def dms(value: float) -> tuple[float, float, float]:
        d = int(value)
        m = int((value - d) * 60)
        s = round(((value - d) * 60 - m) * 60, 4)
        return (float(d), float(m), float(s))

    exif[0x8825] = {1: "N", 2: dms(gps[0]), 3: "E", 4: dms(gps[1])}
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()
