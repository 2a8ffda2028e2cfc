"""Fixtures shared by every test: two wards under Hà Nội, users with roles, logged-in clients.

Module-specific fixtures live in ``src/congso/<...>/tests/conftest.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from congso.kernel.orgunits.models import AdminUnit, AdminUnitLevel, Department, DepartmentKind
from congso.kernel.people.models import Position, Role, User

NEW_SET = "vietnam-provinces:test"


@pytest.fixture
def hanoi(db: Any) -> AdminUnit:
    return AdminUnit.objects.create(
        name="Thành phố Hà Nội",
        level=AdminUnitLevel.PROVINCE,
        code="01",
        dataset=NEW_SET,
        committee_name="Ủy ban nhân dân thành phố Hà Nội",
    )


@pytest.fixture
def ward_a(hanoi: AdminUnit) -> AdminUnit:
    ward = AdminUnit.objects.create(
        name="Phường Tây Hồ",
        level=AdminUnitLevel.WARD,
        code="00103",
        dataset=NEW_SET,
        parent=hanoi,
        valid_from=dt.date(2025, 7, 1),
        org_code="H26.TEST.103",
        is_served=True,
    )
    Department.objects.create(
        unit=ward, name="Văn phòng HĐND-UBND", abbreviation="VP", kind=DepartmentKind.OFFICE
    )
    return ward


@pytest.fixture
def ward_b(hanoi: AdminUnit) -> AdminUnit:
    return AdminUnit.objects.create(
        name="Phường Phú Thượng",
        level=AdminUnitLevel.WARD,
        code="00091",
        dataset=NEW_SET,
        parent=hanoi,
        valid_from=dt.date(2025, 7, 1),
        org_code="H26.TEST.091",
        is_served=True,
    )


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    counter = {"n": 0}

    def _make(
        role: str = Role.SPECIALIST,
        unit: AdminUnit | None = None,
        *,
        username: str | None = None,
        password: str = "mat-khau-thu-nghiem-123",  # noqa: S107 (test-only password)
        clearance: int = 0,
        full_name: str = "Nguyễn Văn Thử",
        **extra: Any,
    ) -> User:
        counter["n"] += 1
        user = User.objects.create_user(
            username=username or f"{role}{counter['n']}",
            password=password,
            full_name=full_name,
            clearance=clearance,
            **extra,
        )
        if unit is not None:
            Position.objects.create(user=user, unit=unit, role=role)
        return user

    return _make


@pytest.fixture
def login() -> Callable[[Client, User], Client]:
    """Logs ``user`` in on ``client`` as a finished login would (second factor included)."""

    def _login(client: Client, user: User) -> Client:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        # What django_otp.login() does after a correct code: the confirmed device's persistent
        # id in the session. OTPMiddleware then marks the user verified on every request.
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return _login


# Rows that data migrations load (the 29 document types, the official calendar days) are removed
# by the flush that ends every transactional test (multi-process, browser); later tests on the
# same worker would then miss them. Put them back, and forget cached content types, when gone.
_SEEDED_BY_MIGRATIONS = [
    ("documents", "DocumentType", "congso.documents.migrations.0002_document_types"),
    ("calendar", "OfficialDay", "congso.kernel.calendar.migrations.0002_official_days_2024_2026"),
    ("urban_reports", "ReportCategory", "congso.urban.reports.migrations.0002_categories"),
    (
        "urban_construction",
        "CategoryDeadline",
        "congso.urban.construction.migrations.0002_category_deadlines",
    ),
]


@pytest.fixture(autouse=True)
def _reseed_migration_data(request: pytest.FixtureRequest) -> None:
    uses_db = request.node.get_closest_marker("django_db") is not None or any(
        name in request.fixturenames for name in ("db", "transactional_db", "live_server")
    )
    if not uses_db:
        return
    import importlib

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    request.getfixturevalue("transactional_db" if _is_transactional(request) else "db")
    reseeded = False
    for app_label, model_name, module in _SEEDED_BY_MIGRATIONS:
        model = apps.get_model(app_label, model_name)
        if not model.objects.exists():
            importlib.import_module(module).load(apps, None)
            reseeded = True
    if reseeded:
        ContentType.objects.clear_cache()


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback")
    ):
        return True
    return any(name in request.fixturenames for name in ("transactional_db", "live_server"))
