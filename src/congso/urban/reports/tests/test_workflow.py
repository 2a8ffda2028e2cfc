"""Submission and triage through the real services: transitions, audit, permissions, nothing
half-saved on bad input."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from congso.kernel.audit.models import AuditEvent
from congso.kernel.errors import DomainError, PermissionDenied
from congso.kernel.files.models import StoredFile
from congso.kernel.notifications.models import Notification
from congso.urban.reports import selectors, services
from congso.urban.reports.models import FieldReport, ReportLevel, ReportStatus
from congso.urban.reports.tests.conftest import INSIDE_A, INSIDE_B, OUTSIDE, photo, png_bytes

pytestmark = pytest.mark.django_db


def test_submit_places_report_in_ward_with_photos_and_notifies(
    submit: Callable[..., FieldReport], people: dict[str, Any], wards: Any
) -> None:
    report = submit(
        photos=[photo(), photo("b.png", png_bytes())],
        contact=services.Contact(name="Nguyễn Văn A", phone="0912 345 678"),
    )
    assert report.unit == wards[0]
    assert report.status == ReportStatus.SUBMITTED
    assert report.tracking_code.startswith("PA-") and len(report.tracking_code) == 14
    assert report.reporter_phone == "0912345678"
    assert report.receipt_due_at > report.received_at
    assert len(selectors.report_photos(report)) == 2
    assert AuditEvent.objects.filter(
        action="urban_report.submit", object_id=str(report.pk)
    ).exists()
    assert Notification.objects.filter(
        recipient=people["officer"], kind="urban_report.new"
    ).exists()
    assert not Notification.objects.filter(recipient=people["other"]).exists()
    # In ward B the report goes to ward B.
    other = submit(at=INSIDE_B)
    assert other.unit == wards[1]


def test_tracking_codes_are_random(submit: Callable[..., FieldReport]) -> None:
    codes = {submit().tracking_code for _ in range(5)}
    assert len(codes) == 5
    assert all(services.normalise_tracking_code(c.lower().replace("-", "")) == c for c in codes)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"at": OUTSIDE}, "location_outside_ward"),
        ({"category": "khong-co"}, "report_unknown_category"),
        ({"description": "ngắn"}, "report_description_short"),
        ({"photos": [photo("fake.jpg", b"%PDF-1.4 not an image at all")]}, "file_type_mismatch"),
        ({"photos": [photo("a.pdf", b"%PDF-1.4\n%%EOF\n")]}, "file_type_not_allowed"),
        ({"lat": None, "lon": None, "address": ""}, "report_location_required"),
        ({"lat": None, "lon": None, "address": "Ngõ 1 Âu Cơ"}, "report_unit_required"),
        ({"category": "trat-tu-xay-dung"}, "report_contact_required"),
        ({"contact": services.Contact(email="khong-phai-email")}, "report_bad_email"),
    ],
)
def test_bad_input_saves_nothing(
    submit: Callable[..., FieldReport], kwargs: dict[str, Any], code: str
) -> None:
    files_before = StoredFile.objects.count()
    with pytest.raises(DomainError) as info:
        submit(**kwargs)
    assert info.value.code in {code, "file_type_not_allowed", "file_type_mismatch"}
    if not code.startswith("file_"):
        assert info.value.code == code
    assert info.value.message  # Vietnamese message for people
    assert FieldReport.objects.count() == 0
    assert StoredFile.objects.count() == files_before
    assert not AuditEvent.objects.filter(action="urban_report.submit").exists()


def test_huge_photo_refused(submit: Callable[..., FieldReport], settings: Any) -> None:
    settings.URBAN_REPORT_PHOTO_MAX_BYTES = 1000
    with pytest.raises(DomainError) as info:
        submit(photos=[photo(data=b"\xff\xd8\xff" + b"0" * 5000)])
    assert info.value.code == "file_too_large"
    assert FieldReport.objects.count() == 0


def test_full_path_accept_assign_answer_close_rate(
    submit: Callable[..., FieldReport], people: dict[str, Any], kt: Any
) -> None:
    report = submit()
    report = services.report_accept(report=report, actor=people["officer"], level="urgent")
    assert report.status == ReportStatus.ACCEPTED and report.handle_due_at is not None
    report = services.report_assign(report=report, actor=people["officer"], department=kt)
    assert report.status == ReportStatus.ASSIGNED
    assert Notification.objects.filter(
        recipient=people["specialist"], kind="urban_report.assigned"
    ).exists()
    # The department's specialist answers; an unrelated specialist may not.
    with pytest.raises(PermissionDenied):
        services.report_answer(report=report, actor=people["outsider"], answer="Đã xử lý xong rồi.")
    report = services.report_answer(
        report=report, actor=people["specialist"], answer="Đã thu gom rác và xử phạt người đổ trộm."
    )
    assert report.status == ReportStatus.ANSWERED and report.answer_hours is not None
    with pytest.raises(PermissionDenied):
        services.report_close(report=report, actor=people["specialist"])
    report = services.report_close(report=report, actor=people["officer"])
    assert report.status == ReportStatus.CLOSED
    report = services.report_rate(code=report.tracking_code, rating=5, comment="Nhanh")
    assert report.rating == 5
    with pytest.raises(DomainError) as again:
        services.report_rate(code=report.tracking_code, rating=1)
    assert again.value.code == "report_already_rated"
    actions = set(
        AuditEvent.objects.filter(
            object_id=str(report.pk), action__startswith="urban_report."
        ).values_list("action", flat=True)
    )
    assert actions >= {
        "urban_report.submit",
        "urban_report.accept",
        "urban_report.assign",
        "urban_report.answer",
        "urban_report.close",
        "urban_report.rate",
    }


def test_disallowed_transitions(submit: Callable[..., FieldReport], people: dict[str, Any]) -> None:
    report = submit()
    with pytest.raises(PermissionDenied):  # answer before receipt: not allowed for anyone
        services.report_answer(report=report, actor=people["officer"], answer="Trả lời quá sớm.")
    with pytest.raises(DomainError) as early:
        services.report_rate(code=report.tracking_code, rating=4)
    assert early.value.code == "report_not_rateable"
    services.report_refuse(report=report, actor=people["officer"], reason="Không thuộc địa bàn.")
    with pytest.raises(PermissionDenied):
        services.report_accept(report=report, actor=people["officer"])
    report.refresh_from_db()
    assert report.status == ReportStatus.REFUSED


def test_refuse_needs_reason(submit: Callable[..., FieldReport], people: dict[str, Any]) -> None:
    report = submit()
    with pytest.raises(DomainError) as info:
        services.report_refuse(report=report, actor=people["officer"], reason=" ")
    assert info.value.code == "report_reason_required"
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_other_ward_cannot_triage(
    submit: Callable[..., FieldReport], people: dict[str, Any]
) -> None:
    report = submit()
    for who in ("other", "specialist", "inspector"):
        with pytest.raises(PermissionDenied):
            services.report_accept(report=report, actor=people[who])


def test_merge_duplicates_suggested_nearby_same_category(
    submit: Callable[..., FieldReport], people: dict[str, Any]
) -> None:
    first = submit()
    near = submit(at=(INSIDE_A[0] + 0.0005, INSIDE_A[1]))  # ~55 m
    far = submit(at=(INSIDE_A[0] + 0.01, INSIDE_A[1]))  # ~1.1 km
    other_kind = submit(category="chieu-sang", description="Đèn đường hỏng cả tuần nay rồi.")
    found = [r.pk for r, _m in selectors.duplicate_candidates(near)]
    assert found == [first.pk]
    assert far.pk not in found and other_kind.pk not in found
    merged = services.report_merge(report=near, into=first, actor=people["officer"])
    assert merged.status == ReportStatus.MERGED and merged.merged_into_id == first.pk
    with pytest.raises(DomainError):
        services.report_merge(report=far, into=near, actor=people["officer"])  # into a merged one


def test_level_change_recomputes_deadline(
    submit: Callable[..., FieldReport], people: dict[str, Any]
) -> None:
    report = services.report_accept(report=submit(), actor=people["officer"])
    normal_due = report.handle_due_at
    report = services.report_set_level(report=report, actor=people["leader"], level="urgent")
    assert report.level == ReportLevel.URGENT
    assert report.handle_due_at is not None and normal_due is not None
    assert report.handle_due_at < normal_due
    with pytest.raises(DomainError):
        services.report_set_level(report=report, actor=people["leader"], level="rat-gap")


def test_construction_report_opens_inspection_when_available(
    submit: Callable[..., FieldReport], people: dict[str, Any]
) -> None:
    report = submit(
        category="trat-tu-xay-dung",
        description="Nhà số 12 ngõ 52 đang xây thêm tầng 5, không thấy biển báo giấy phép.",
        contact=services.Contact(name="Nguyễn Văn B", phone="0987654321"),
        attributes={"so_tang": "5", "giai_doan": "than"},
    )
    assert report.attributes == {"so_tang": 5.0, "giai_doan": "than"}
    hook = services.inspection_hook()
    if hook is None:
        with pytest.raises(DomainError) as info:
            services.report_assign(
                report=report,
                actor=people["officer"],
                assignee=people["inspector"],
                open_inspection=True,
            )
        assert info.value.code == "inspection_unavailable"
        return
    report = services.report_assign(
        report=report, actor=people["officer"], assignee=people["inspector"], open_inspection=True
    )
    assert report.inspection_ref
    assert report.status == ReportStatus.ASSIGNED


def test_only_allowed_transitions() -> None:
    """Every (from, to) pair outside TRANSITIONS is refused; final states lead nowhere."""
    report = FieldReport()
    for before in ReportStatus.values:
        for after in ReportStatus.values:
            report.status = before
            if after in services.TRANSITIONS[before]:
                services._move(report, after)
                assert report.status == after
            else:
                with pytest.raises(DomainError) as info:
                    services._move(report, after)
                assert info.value.code == "report_bad_transition"
                assert report.status == before
    for final in (ReportStatus.CLOSED, ReportStatus.REFUSED, ReportStatus.MERGED):
        assert not services.TRANSITIONS[final]


def test_reporter_gets_email_on_answer(
    submit: Callable[..., FieldReport],
    people: dict[str, Any],
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = submit(contact=services.Contact(email="nguoidan@example.vn"))
    services.report_accept(report=report, actor=people["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        services.report_answer(
            report=report, actor=people["officer"], answer="Đã thu gom rác trong buổi sáng."
        )
    mails = [m for m in mailoutbox if "nguoidan@example.vn" in m.to]
    assert len(mails) == 1 and report.tracking_code in mails[0].subject
    assert "Đã thu gom rác" in mails[0].body


def test_default_department_from_category(submit: Callable[..., FieldReport], kt: Any) -> None:
    assert selectors.default_department_id(submit()) == kt.pk
