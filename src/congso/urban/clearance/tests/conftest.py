"""Fixtures of the clearance tests: two wards with boundaries, staff, a project, parties."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import Role, User
from congso.urban import geo
from congso.urban.clearance import services
from congso.urban.clearance.demo_geo import PHU_THUONG_BOUNDARY, TAY_HO_BOUNDARY, TAY_HO_PLACES
from congso.urban.clearance.models import AffectedParty, ClearanceProject, LandType


@pytest.fixture
def wards(ward_a: AdminUnit, ward_b: AdminUnit) -> tuple[AdminUnit, AdminUnit]:
    geo.unit_set_boundary(unit=ward_a, geometry=TAY_HO_BOUNDARY)
    geo.unit_set_boundary(unit=ward_b, geometry=PHU_THUONG_BOUNDARY)
    return ward_a, ward_b


@pytest.fixture
def specialist(wards: tuple[AdminUnit, AdminUnit], make_user: Callable[..., User]) -> User:
    return make_user(Role.SPECIALIST, wards[0], username="chuyenvien")


@pytest.fixture
def leader(wards: tuple[AdminUnit, AdminUnit], make_user: Callable[..., User]) -> User:
    return make_user(Role.LEADER, wards[0], username="lanhdao")


@pytest.fixture
def other_ward_leader(wards: tuple[AdminUnit, AdminUnit], make_user: Callable[..., User]) -> User:
    return make_user(Role.LEADER, wards[1], username="lanhdao_b")


@pytest.fixture
def clerk(wards: tuple[AdminUnit, AdminUnit], make_user: Callable[..., User]) -> User:
    return make_user(Role.CLERK, wards[0], username="vanthu")


@pytest.fixture
def project(wards: tuple[AdminUnit, AdminUnit], specialist: User) -> ClearanceProject:
    lat, lon = TAY_HO_PLACES["Nhật Tân"]
    return services.project_create(
        unit=wards[0],
        actor=specialist,
        data=services.ProjectData(
            name="Mở rộng đường Nhật Tân",
            investor="Ban QLDA đầu tư xây dựng phường Tây Hồ",
            purpose="Đường giao thông",
            area_m2="1.250,5",
            lat=lat,
            lon=lon,
            start_date=dt.date(2024, 1, 10),
            target_date=dt.date(2025, 12, 31),
        ),
    )


@pytest.fixture
def add_party(project: ClearanceProject, specialist: User) -> Callable[..., AffectedParty]:
    counter = {"n": 0}

    def _add(**kw: Any) -> AffectedParty:
        counter["n"] += 1
        data = services.PartyData(
            code=kw.pop("code", f"H{counter['n']:03d}"),
            name=kw.pop("name", f"Hộ ông Nguyễn Văn {counter['n']}"),
            land_type=kw.pop("land_type", LandType.NON_AGRICULTURAL),
            area_m2=kw.pop("area_m2", Decimal("100")),
            **kw,
        )
        return services.party_add(project=project, actor=specialist, data=data)

    return _add
