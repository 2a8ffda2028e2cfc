"""Administrators' edits: departments and units, validated and audited."""

from __future__ import annotations

import datetime as dt

import pytest

from congso.kernel.audit.models import AuditEvent
from congso.kernel.errors import DomainError
from congso.kernel.orgunits import services
from congso.kernel.orgunits.models import AdminUnit, Department, DepartmentKind


def test_department_create_is_audited(ward_a: AdminUnit) -> None:
    department = services.department_create(
        unit=ward_a,
        name="  Phòng Văn hóa - Xã hội ",
        abbreviation="VHXH",
        kind=DepartmentKind.DIVISION,
        order=3,
    )
    assert department.name == "Phòng Văn hóa - Xã hội"
    event = AuditEvent.objects.get(action="orgunits.department_created")
    assert event.unit_id == ward_a.pk
    assert event.object_id == str(department.pk)
    assert event.changes["abbreviation"] == "VHXH"


def test_department_create_validates(ward_a: AdminUnit, ward_b: AdminUnit) -> None:
    with pytest.raises(DomainError) as exc:  # the fixture already has VP
        services.department_create(unit=ward_a, name="Văn phòng", abbreviation="VP")
    assert exc.value.code == "department_abbreviation_taken"
    with pytest.raises(DomainError) as exc:
        services.department_create(unit=ward_a, name=" ", abbreviation="X")
    assert exc.value.code == "department_name_required"
    with pytest.raises(DomainError) as exc:
        services.department_create(unit=ward_a, name="X", abbreviation="X", kind="bogus")
    assert exc.value.code == "invalid_department_kind"
    # The same abbreviation in another unit is fine.
    services.department_create(unit=ward_b, name="Văn phòng HĐND-UBND", abbreviation="VP")
    assert Department.objects.filter(abbreviation="VP").count() == 2
    assert AuditEvent.objects.filter(action="orgunits.department_created").count() == 1


def test_department_update(ward_a: AdminUnit) -> None:
    office = Department.objects.get(unit=ward_a, abbreviation="VP")
    services.department_create(unit=ward_a, name="Phòng Kinh tế", abbreviation="KT")
    services.department_update(department=office, name="Văn phòng HĐND và UBND", order=1)
    office.refresh_from_db()
    assert (office.name, office.order) == ("Văn phòng HĐND và UBND", 1)
    event = AuditEvent.objects.get(action="orgunits.department_changed")
    assert event.changes["name"] == ["Văn phòng HĐND-UBND", "Văn phòng HĐND và UBND"]
    with pytest.raises(DomainError) as exc:
        services.department_update(department=office, abbreviation="KT")
    assert exc.value.code == "department_abbreviation_taken"
    with pytest.raises(DomainError) as exc:
        services.department_update(department=office, unit=None)
    assert exc.value.code == "invalid_field"
    services.department_update(department=office, order=1)  # no change: no event
    assert AuditEvent.objects.filter(action="orgunits.department_changed").count() == 1


def test_unit_update_audits_changed_fields_only(ward_a: AdminUnit) -> None:
    services.unit_update(
        unit=ward_a,
        committee_name="Ủy ban nhân dân phường Tây Hồ",
        org_code=" H26.103 ",
        valid_to=dt.date(2030, 12, 31),
    )
    ward_a.refresh_from_db()
    assert ward_a.org_code == "H26.103"
    event = AuditEvent.objects.get(action="orgunits.unit_changed")
    assert set(event.changes) == {"committee_name", "org_code", "valid_to"}
    assert event.changes["valid_to"] == [None, "2030-12-31"]
    services.unit_update(unit=ward_a, org_code="H26.103")
    assert AuditEvent.objects.filter(action="orgunits.unit_changed").count() == 1


def test_unit_update_validates(hanoi: AdminUnit, ward_a: AdminUnit) -> None:
    with pytest.raises(DomainError) as exc:
        services.unit_update(unit=ward_a, valid_to=dt.date(2025, 1, 1))
    assert exc.value.code == "invalid_period"
    with pytest.raises(DomainError) as exc:
        services.unit_update(unit=hanoi, parent=ward_a)
    assert exc.value.code == "unit_parent_cycle"
    with pytest.raises(DomainError) as exc:
        services.unit_update(unit=hanoi, parent=hanoi)
    assert exc.value.code == "unit_parent_cycle"
    with pytest.raises(DomainError) as exc:
        services.unit_update(unit=ward_a, name="  ")
    assert exc.value.code == "unit_name_required"
    ward_a.refresh_from_db()
    assert ward_a.valid_to is None
    assert not AuditEvent.objects.filter(action="orgunits.unit_changed").exists()
    # Clearing the parent is allowed.
    services.unit_update(unit=ward_a, parent=None)
    ward_a.refresh_from_db()
    assert ward_a.parent_id is None
