"""Services of construction order: register, inspections, violation steps in order, deadlines,
reminders, the report contract for field reports, and bad input leaving nothing behind."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from congso.kernel.audit.models import AuditEvent
from congso.kernel.calendar.services import add_working_days, is_working_day
from congso.kernel.errors import DomainError, PermissionDenied
from congso.kernel.files.models import StoredFile
from congso.kernel.notifications.models import Notification
from congso.urban.construction import selectors, services
from congso.urban.construction.models import (
    CategoryDeadline,
    DayKind,
    Inspection,
    InspectionPhoto,
    InspectionStatus,
    TimelineEntry,
    Violation,
    ViolationStatus,
    Work,
    WorkStatus,
)
from congso.urban.construction.tests.conftest import INSIDE_A, INSIDE_B, jpeg_bytes, work_data

pytestmark = pytest.mark.django_db


def _record(work: Work, actor: Any, **over: Any) -> Violation:
    kwargs: dict[str, Any] = {
        "work": work,
        "actor": actor,
        "category": "no_permit",
        "description": "Xây tầng 6 không phép",
    }
    kwargs.update(over)
    return services.violation_record(**kwargs)


def test_register_numbers_audits_and_checks(wards: Any, inspector: Any) -> None:
    first = services.work_register(unit=wards[0], actor=inspector, data=work_data())
    second = services.work_register(
        unit=wards[0],
        actor=inspector,
        data=work_data(permit_status="exempt", exempt_reason="Sửa chữa bên trong"),
    )
    year = timezone.localdate().year
    assert first.code == f"CT-{year}-0001" and second.code == f"CT-{year}-0002"
    assert first.permit_floor_area == Decimal("320.50")
    assert second.permit_number == "" and second.exempt_reason == "Sửa chữa bên trong"
    assert AuditEvent.objects.filter(action="construction.work_register").count() == 2
    assert TimelineEntry.objects.filter(work=first, kind="register").exists()


@pytest.mark.parametrize(
    ("over", "code"),
    [
        ({"address": "  "}, "address_required"),
        ({"permit_number": ""}, "permit_number_required"),
        ({"permit_date": None}, "permit_date_required"),
        ({"permit_status": "exempt", "exempt_reason": ""}, "exempt_reason_required"),
        ({"permit_status": "bogus"}, "permit_status_invalid"),
        ({"lat": 21.09, "lon": 105.79}, "location_outside_ward"),
        ({"lat": "abc", "lon": "105.8"}, "location_invalid"),
        ({"lat": 21.07, "lon": ""}, "location_invalid"),
        ({"permit_floors": 0}, "permit_floors_invalid"),
    ],
)
def test_register_bad_input(wards: Any, inspector: Any, over: dict[str, Any], code: str) -> None:
    with pytest.raises(DomainError) as err:
        services.work_register(unit=wards[0], actor=inspector, data=work_data(**over))
    assert err.value.code == code
    assert err.value.message  # Vietnamese, for the form
    assert not Work.objects.exists()


def test_roles(
    wards: Any,
    clerk: Any,
    inspector_b: Any,
    specialist: Any,
    work: Work,
    leader: Any,
    inspector: Any,
) -> None:
    with pytest.raises(PermissionDenied):
        services.work_register(unit=wards[0], actor=clerk, data=work_data())
    with pytest.raises(PermissionDenied):
        services.work_register(unit=wards[0], actor=inspector_b, data=work_data())
    with pytest.raises(PermissionDenied):
        _record(work, specialist)  # specialists inspect but do not make records
    violation = _record(work, inspector)
    with pytest.raises(PermissionDenied):  # the sanction decision is the leader's
        services.violation_sanction(
            violation=violation,
            actor=inspector,
            decision_number="1/QĐ-XPHC",
            decision_date=None,
            fine_amount=1,
        )
    services.violation_sanction(
        violation=violation,
        actor=leader,
        decision_number="1/QĐ-XPHC",
        decision_date=None,
        fine_amount=1,
    )


def test_full_flow_in_order(work: Work, inspector: Any, leader: Any) -> None:
    today = timezone.localdate()
    violation = _record(work, inspector, record_date=today - dt.timedelta(days=10))
    work.refresh_from_db()
    assert violation.status == ViolationStatus.STOP_ORDERED
    assert violation.stop_order_number == 1 and violation.record_number == 1
    assert work.status == WorkStatus.STOPPED
    v = services.violation_sanction(
        violation=violation,
        actor=leader,
        decision_number="15/QĐ-XPHC",
        decision_date=today - dt.timedelta(days=5),
        fine_amount="40.000.000",
        dismantling_required=True,
    )
    assert v.fine_amount == Decimal(40_000_000) and v.status == ViolationStatus.SANCTIONED
    v = services.violation_enforce(
        violation=v, actor=leader, day=today - dt.timedelta(days=2), measures="Ngừng cấp điện, nước"
    )
    v = services.violation_close(
        violation=v, actor=inspector, note="Đã tháo dỡ, nộp phạt", fine_paid=True
    )
    assert v.status == ViolationStatus.CLOSED and v.fine_paid
    actions = list(
        AuditEvent.objects.filter(action__startswith="construction.violation").values_list(
            "action", flat=True
        )
    )
    for action in ("record", "stop", "sanction", "enforce", "close"):
        assert f"construction.violation_{action}" in actions
    kinds = list(TimelineEntry.objects.filter(violation=v).values_list("kind", flat=True))
    assert kinds == [
        "violation_record",
        "violation_stop",
        "violation_sanction",
        "violation_enforce",
        "violation_close",
    ]


def test_bad_order_is_refused(work: Work, inspector: Any, leader: Any) -> None:
    violation = _record(work, inspector, order_stop=False)
    assert violation.status == ViolationStatus.RECORDED and violation.stop_order_number is None
    with pytest.raises(DomainError) as err:
        services.violation_enforce(violation=violation, actor=leader, measures="x")
    assert err.value.code == "violation_bad_transition" and err.value.status == 409
    with pytest.raises(DomainError):
        services.violation_dismantle(violation=violation, actor=inspector)
    services.violation_order_stop(violation=violation, actor=inspector)
    with pytest.raises(DomainError) as err:
        services.violation_order_stop(violation=violation, actor=inspector)
    assert err.value.code == "violation_bad_transition"
    services.violation_close(
        violation=violation, actor=inspector, note="Đã có giấy phép điều chỉnh"
    )
    with pytest.raises(DomainError):
        services.violation_sanction(
            violation=violation,
            actor=leader,
            decision_number="2",
            decision_date=None,
            fine_amount=0,
        )
    violation.refresh_from_db()
    assert violation.status == ViolationStatus.CLOSED


def test_step_dates_checked(work: Work, inspector: Any, leader: Any) -> None:
    today = timezone.localdate()
    violation = _record(work, inspector, record_date=today - dt.timedelta(days=3))
    with pytest.raises(DomainError) as err:
        services.violation_sanction(
            violation=violation,
            actor=leader,
            decision_number="3",
            decision_date=today - dt.timedelta(days=9),
            fine_amount=0,
        )
    assert err.value.code == "date_before_previous_step"
    with pytest.raises(DomainError) as err:
        _record(work, inspector, record_date=today + dt.timedelta(days=1))
    assert err.value.code == "date_future"
    with pytest.raises(DomainError) as err:
        services.violation_sanction(
            violation=violation,
            actor=leader,
            decision_number="3",
            decision_date=today,
            fine_amount="-5",
        )
    assert err.value.code == "fine_invalid"
    with pytest.raises(DomainError) as err:
        services.violation_sanction(
            violation=violation,
            actor=leader,
            decision_number="3",
            decision_date=today,
            fine_amount="2000000000",
        )
    assert err.value.code == "fine_too_large"
    violation.refresh_from_db()
    assert violation.status == ViolationStatus.STOP_ORDERED and violation.sanction_number == ""


def test_unknown_category_nothing_saved(work: Work, inspector: Any) -> None:
    with pytest.raises(DomainError) as err:
        _record(work, inspector, category="drunk_driving")
    assert err.value.code == "violation_category_unknown"
    assert "Nghị định 16/2022" in err.value.message
    assert not Violation.objects.exists()
    work.refresh_from_db()
    assert work.status == WorkStatus.UNDER_CONSTRUCTION


# --- deadlines -------------------------------------------------------------------------------


def test_deadline_calendar_days_moves_off_holidays() -> None:
    # 2026-01-30 + 30 days = 2026-03-01, a Sunday → Monday 2026-03-02.
    assert services.remedy_deadline(dt.date(2026, 1, 30), 30, DayKind.CALENDAR) == dt.date(
        2026, 3, 2
    )
    # A period ending in the Tết holiday (Tết 2026: 14–22 Feb as official days off) moves past it.
    end = services.remedy_deadline(dt.date(2026, 2, 1), 16, DayKind.CALENDAR)
    assert is_working_day(end) and end >= dt.date(2026, 2, 17)


def test_deadline_working_days() -> None:
    assert services.remedy_deadline(dt.date(2026, 3, 6), 5, DayKind.WORKING) == add_working_days(
        dt.date(2026, 3, 6), 5
    )
    assert services.remedy_deadline(dt.date(2026, 3, 6), 5, DayKind.WORKING) == dt.date(2026, 3, 13)


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 12, 1)),
    days=st.integers(1, 120),
)
def test_deadline_properties(start: dt.date, days: int) -> None:
    calendar_end = services.remedy_deadline(start, days, DayKind.CALENDAR)
    assert is_working_day(calendar_end)
    assert calendar_end >= start + dt.timedelta(days=days)
    assert (calendar_end - (start + dt.timedelta(days=days))).days <= 12  # at most past Tết
    working_end = services.remedy_deadline(start, days, DayKind.WORKING)
    assert is_working_day(working_end) and working_end > start


def test_deadline_from_configured_category(work: Work, inspector: Any) -> None:
    CategoryDeadline.objects.update_or_create(
        category="encroachment", defaults={"days": 10, "day_kind": DayKind.WORKING}
    )
    day = dt.date(2026, 3, 2)
    if day > timezone.localdate():
        day = timezone.localdate()
    violation = _record(work, inspector, category="encroachment", record_date=day)
    assert violation.remedy_deadline == add_working_days(day, 10)


def test_overdue_and_reminders(work: Work, inspector: Any, leader: Any) -> None:
    today = timezone.localdate()
    late = _record(work, inspector, record_date=today - dt.timedelta(days=90))
    soon = _record(work, inspector, category="site_not_screened", description="Không che chắn")
    Violation.objects.filter(pk=soon.pk).update(remedy_deadline=today + dt.timedelta(days=1))
    assert late.is_overdue(today) and not Violation.objects.get(pk=soon.pk).is_overdue(today)
    assert list(selectors.overdue_violations({work.unit_id}).values_list("pk", flat=True)) == [
        late.pk
    ]
    counts = services.violations_remind(today=today)
    assert counts == {"before": 1, "overdue": 1}
    titles = set(Notification.objects.filter(recipient=leader).values_list("title", flat=True))
    assert any("quá hạn" in t for t in titles) and any("Sắp hết hạn" in t for t in titles)
    assert services.violations_remind(today=today) == {"before": 0, "overdue": 0}  # once
    assert (
        services.violations_remind(today=today + dt.timedelta(days=7))["overdue"] >= 1
    )  # weekly again
    services.violation_close(violation=late, actor=inspector, note="Đã khắc phục")
    assert not selectors.overdue_violations({work.unit_id}).exists()


# --- inspections and photos ------------------------------------------------------------------


def test_inspection_with_photos_and_locations(work: Work, inspector: Any) -> None:
    gps = (21.0712, 105.8213)
    photos = [
        SimpleUploadedFile("anh1.jpg", jpeg_bytes(gps=gps), content_type="image/jpeg"),
        SimpleUploadedFile("anh2.jpg", jpeg_bytes(), content_type="image/jpeg"),
    ]
    inspection = services.inspection_record(
        work=work,
        actor=inspector,
        inspected_on=timezone.localdate(),
        findings="Đúng phép",
        result="compliant",
        photos=photos,
        lat=INSIDE_A[0],
        lon=INSIDE_A[1],
    )
    rows = list(InspectionPhoto.objects.filter(inspection=inspection).order_by("id"))
    assert [r.location_source for r in rows] == ["exif", "form"]
    assert abs(rows[0].lat - gps[0]) < 1e-4 and abs(rows[0].lon - gps[1]) < 1e-4
    assert rows[1].lat == INSIDE_A[0]
    assert all(r.file.kind == "jpeg" and r.file.owner_id == str(r.pk) for r in rows)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("fake.jpg", b"%PDF-1.4 not an image", "file_type"),
        ("script.png", b"<script>alert(1)</script>", "file_type"),
    ],
)
def test_fake_image_refused_nothing_saved(
    work: Work, inspector: Any, name: str, content: bytes, code: str
) -> None:
    good = SimpleUploadedFile("ok.jpg", jpeg_bytes(), content_type="image/jpeg")
    bad = SimpleUploadedFile(name, content, content_type="image/jpeg")
    with pytest.raises(DomainError) as err:
        services.inspection_record(
            work=work,
            actor=inspector,
            inspected_on=timezone.localdate(),
            findings="x",
            result="compliant",
            photos=[good, bad],
        )
    assert err.value.code.startswith(code)
    assert not Inspection.objects.exists() and not StoredFile.objects.exists()


def test_huge_image_refused(work: Work, inspector: Any, settings: Any) -> None:
    settings.URBAN_CONSTRUCTION_PHOTO_MAX_BYTES = 2000
    big = SimpleUploadedFile("big.jpg", jpeg_bytes(size=(800, 600)), content_type="image/jpeg")
    with pytest.raises(DomainError) as err:
        services.inspection_record(
            work=work,
            actor=inspector,
            inspected_on=timezone.localdate(),
            findings="x",
            result="violation",
            photos=[big],
        )
    assert err.value.code == "file_too_large" and "MB" in err.value.message
    assert not Inspection.objects.exists()


def test_inspection_location_outside_ward(work: Work, inspector: Any) -> None:
    with pytest.raises(DomainError) as err:
        services.inspection_record(
            work=work,
            actor=inspector,
            inspected_on=timezone.localdate(),
            findings="x",
            result="compliant",
            lat=INSIDE_B[0],
            lon=INSIDE_B[1],
        )
    assert err.value.code == "location_outside_ward"
    assert not Inspection.objects.exists()


# --- the field-report contract ----------------------------------------------------------------


def test_inspection_request_from_report(
    work: Work, inspector: Any, leader: Any, wards: Any
) -> None:
    near = services.inspection_request_from_report(
        unit=wards[0],
        lat=work.lat + 0.0001,
        lon=work.lon,
        address="",
        description="Xây quá tầng",
        source_ref="PA-2026-001",
        actor=leader,
    )
    assert (
        isinstance(near, Inspection)
        and near.work_id == work.pk
        and near.status == InspectionStatus.PLANNED
    )
    again = services.inspection_request_from_report(
        unit=wards[0],
        lat=work.lat,
        lon=work.lon,
        address="",
        description="Xây quá tầng",
        source_ref="PA-2026-001",
        actor=leader,
    )
    assert again.pk == near.pk
    far = services.inspection_request_from_report(
        unit=wards[0],
        lat=21.062,
        lon=105.812,
        address="Ngõ 1 Âu Cơ",
        description="Đổ vật liệu ra đường",
        source_ref="PA-2026-002",
        actor=leader,
    )
    assert far.work_id != work.pk and far.work.source_ref == "PA-2026-002"
    assert (
        Notification.objects.filter(
            recipient=inspector, kind="construction.inspection_request"
        ).count()
        == 2
    )
    with pytest.raises(DomainError) as err:
        services.inspection_request_from_report(
            unit=wards[0],
            lat=INSIDE_B[0],
            lon=INSIDE_B[1],
            address="",
            description="x",
            source_ref="PA-3",
            actor=leader,
        )
    assert err.value.code == "location_outside_ward"
