"""Fixtures of the field-report tests: two wards with square demo boundaries, the categories
(the data migration's list, reloaded when a transactional test flushed it), officials with
roles, real JPEG/PNG photos and a ``submit`` helper calling the real service."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.kernel.orgunits.models import AdminUnit, Department, DepartmentKind
from congso.kernel.people.models import Role, User
from congso.urban.reports import services
from congso.urban.reports.models import FieldReport, ReportCategory

TZ = dt.timezone(dt.timedelta(hours=7))
# Ward A: lat 21.05–21.08, lon 105.80–105.83; ward B just north of it.
INSIDE_A = (21.065, 105.815)
INSIDE_B = (21.09, 105.815)
OUTSIDE = (20.5, 105.5)


def square(lat0: float, lon0: float, lat1: float, lon1: float) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [[[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]],
    }


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()  # the rate limiter's counters


@pytest.fixture
def categories(db: Any) -> dict[str, ReportCategory]:
    from importlib import import_module

    rows = import_module("congso.urban.reports.migrations.0002_categories").CATEGORIES
    for row in rows:
        ReportCategory.objects.update_or_create(code=row["code"], defaults=row)
    return {c.code: c for c in ReportCategory.objects.all()}


@pytest.fixture
def wards(ward_a: AdminUnit, ward_b: AdminUnit) -> tuple[AdminUnit, AdminUnit]:
    ward_a.boundary = square(21.05, 105.80, 21.08, 105.83)
    ward_a.save(update_fields=["boundary"])
    ward_b.boundary = square(21.08, 105.80, 21.10, 105.83)
    ward_b.save(update_fields=["boundary"])
    Department.objects.create(
        unit=ward_a,
        name="Phòng Kinh tế, Hạ tầng và Đô thị",
        abbreviation="KT",
        kind=DepartmentKind.DIVISION,
    )
    return ward_a, ward_b


@pytest.fixture
def kt(wards: tuple[AdminUnit, AdminUnit]) -> Department:
    return Department.objects.get(unit=wards[0], abbreviation="KT")


@pytest.fixture
def people(
    wards: tuple[AdminUnit, AdminUnit], kt: Department, make_user: Callable[..., User]
) -> dict[str, User]:
    from congso.kernel.people.models import Position

    a, b = wards
    officer = make_user(Role.ONESTOP_OFFICER, a, username="motcua", full_name="Lê Thị Một Cửa")
    leader = make_user(Role.LEADER, a, username="lanhdao", full_name="Trần Văn Lãnh Đạo")
    specialist = make_user(Role.SPECIALIST, None, username="chuyenvien", full_name="Phạm Chuyên")
    Position.objects.create(user=specialist, unit=a, department=kt, role=Role.SPECIALIST)
    inspector = make_user(Role.INSPECTOR, a, username="thanhtra", full_name="Vũ Thanh Tra")
    other = make_user(Role.ONESTOP_OFFICER, b, username="motcua_b", full_name="Đỗ Phường B")
    outsider = make_user(Role.SPECIALIST, a, username="chuyenvien2", full_name="Hoàng Khác")
    return {
        "officer": officer,
        "leader": leader,
        "specialist": specialist,
        "inspector": inspector,
        "other": other,
        "outsider": outsider,
    }


def jpeg_bytes(size: tuple[int, int] = (32, 24)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buf, format="JPEG")
    return buf.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (0, 128, 255)).save(buf, format="PNG")
    return buf.getvalue()


def photo(name: str = "hien-truong.jpg", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else jpeg_bytes(), "image/jpeg")


@pytest.fixture
def submit(
    categories: dict[str, ReportCategory], wards: tuple[AdminUnit, AdminUnit]
) -> Callable[..., FieldReport]:
    def _submit(**kw: Any) -> FieldReport:
        lat, lon = kw.pop("at", INSIDE_A)
        defaults: dict[str, Any] = {
            "category": "moi-truong",
            "description": "Rác thải tập kết trái phép ven đường Lạc Long Quân, bốc mùi.",
            "lat": lat,
            "lon": lon,
            "address": "Đường Lạc Long Quân",
        }
        defaults.update(kw)
        return services.report_submit(**defaults)

    return _submit
