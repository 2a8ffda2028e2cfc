"""The one-stop shop's services: intake, code and numbering, the state machine, pauses, extension,
stop, result with signature, permissions, audit, nothing half-saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.kernel.audit.models import AuditEvent
from congso.kernel.errors import DomainError, NotFound, PermissionDenied
from congso.kernel.notifications.models import Notification
from congso.kernel.people.models import Role
from congso.procedures import services
from congso.procedures.models import (
    Dossier,
    DossierEvent,
    DossierExtension,
    DossierStatus,
    Timeliness,
)
from congso.procedures.selectors import dossiers_for, late_or_due_soon

from .conftest import PDF_BYTES, vn

pytestmark = pytest.mark.django_db
S = DossierStatus


def receive(procedure: Any, unit: Any, officer: Any, applicant: dict[str, Any], **kw: Any) -> Any:
    required = [p.pk for p in procedure.papers.all() if p.required]
    kw.setdefault("papers_provided", required)
    return services.dossier_receive_at_desk(
        unit=unit, procedure=procedure, applicant=applicant, officer=officer, **kw
    )


# --- intake and numbering --------------------------------------------------------------------


def test_code_counter_per_unit_and_day(
    procedure: Any, ward_a: Any, ward_b: Any, onestop: Any, make_user: Any, applicant: Any
) -> None:
    other = make_user(Role.ONESTOP_OFFICER, ward_b)
    first = receive(procedure, ward_a, onestop, applicant, at=vn(2026, 3, 2, 9, 0))
    second = receive(procedure, ward_a, onestop, applicant, at=vn(2026, 3, 2, 16, 0))
    third = receive(procedure, ward_a, onestop, applicant, at=vn(2026, 3, 3, 9, 0))
    elsewhere = receive(procedure, ward_b, other, applicant, at=vn(2026, 3, 2, 9, 0))
    assert [first.code, second.code, third.code, elsewhere.code] == [
        "H26.TEST.103-260302-0001",
        "H26.TEST.103-260302-0002",
        "H26.TEST.103-260303-0001",
        "H26.TEST.091-260302-0001",
    ]
    assert [first.register_number, second.register_number, third.register_number] == [1, 2, 3]
    assert elsewhere.register_number == 1 and first.register_year == 2026
    for d in (first, second, third):
        assert len(d.lookup_secret) == 8
        assert set(d.lookup_secret) <= set(services.SECRET_ALPHABET)
    assert len({first.lookup_secret, second.lookup_secret, third.lookup_secret}) == 3


def test_unit_without_org_code_gets_a_stable_code(
    procedure: Any, ward_a: Any, onestop: Any, applicant: Any
) -> None:
    ward_a.org_code = ""
    ward_a.save()
    d = receive(procedure, ward_a, onestop, applicant, at=vn(2026, 3, 2, 9, 0))
    assert d.code == f"DV{ward_a.pk}-260302-0001"


def test_desk_intake_sets_times_papers_fees_and_first_step(
    procedure: Any, ward_a: Any, onestop: Any, applicant: Any
) -> None:
    optional = procedure.papers.get(required=False)
    d = receive(
        procedure,
        ward_a,
        onestop,
        applicant,
        at=vn(2026, 3, 2, 17, 30),  # after hours: counts from the next morning
        uploads=[(optional.pk, SimpleUploadedFile("uq.pdf", PDF_BYTES, "application/pdf"))],
    )
    assert d.status == S.ACCEPTED and d.channel == 1
    assert d.submitted_at == vn(2026, 3, 2, 17, 30)
    assert d.received_at == vn(2026, 3, 3, 8, 0)
    assert d.due_at == d.original_due_at == vn(2026, 3, 5, 17, 0)
    assert d.fee_amount == Decimal(8000) and d.digitised
    assert sorted(d.papers.values_list("provided", flat=True)) == [True, True, True]
    step = d.current_step
    assert step.position == 1 and step.assignee == onestop and d.handler == onestop
    assert step.due_at == vn(2026, 3, 3, 12, 0)
    event = DossierEvent.objects.get(dossier=d)
    assert (event.action, event.status_from, event.status_to) == ("receive", None, S.ACCEPTED)
    assert AuditEvent.objects.filter(action="dossier.receive", object_id=str(d.pk)).exists()


def test_cutoff_procedure_at_the_desk(
    procedure: Any, ward_a: Any, onestop: Any, applicant: Any
) -> None:
    procedure.cutoff_time = dt.time(15, 0)
    procedure.duration_value = Decimal(0)
    procedure.save()
    before = receive(procedure, ward_a, onestop, applicant, at=vn(2026, 2, 13, 14, 0))
    after = receive(procedure, ward_a, onestop, applicant, at=vn(2026, 2, 13, 15, 30))
    assert before.due_at == vn(2026, 2, 13, 17, 0)
    assert after.received_at == vn(2026, 2, 23, 8, 0)  # after Tết 2026
    assert after.due_at == vn(2026, 2, 23, 17, 0)
    assert after.code.endswith("260213-0002")  # the code keeps the day it was handed in


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"applicant": {"name": ""}}, "applicant_name_required"),
        ({"applicant": {"name": "A", "phone": "12ab"}}, "applicant_phone_invalid"),
        ({"applicant": {"name": "A", "type": 7}}, "applicant_type_invalid"),
        ({"applicant": {"name": "A", "nickname": "x"}}, "applicant_invalid"),
        ({"papers_provided": []}, "missing_papers"),
        ({"papers_provided": [999999]}, "papers_invalid"),
        ({"sets_count": 0}, "sets_count_invalid"),
        ({"at": vn(2099, 1, 1, 9, 0)}, "datetime_in_future"),
    ],
)
def test_bad_input_saves_nothing(
    procedure: Any, ward_a: Any, onestop: Any, applicant: Any, change: dict[str, Any], code: str
) -> None:
    kw: dict[str, Any] = {"applicant": applicant, **change}
    with pytest.raises(DomainError) as info:
        services.dossier_receive_at_desk(
            unit=ward_a,
            procedure=procedure,
            officer=onestop,
            **{"papers_provided": [p.pk for p in procedure.papers.all()], **kw},
        )
    assert info.value.code == code
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()


def test_missing_papers_names_them(
    procedure: Any, ward_a: Any, onestop: Any, applicant: Any
) -> None:
    first = procedure.papers.get(position=1)
    with pytest.raises(DomainError) as info:
        receive(procedure, ward_a, onestop, applicant, papers_provided=[first.pk])
    assert "Giấy chứng sinh" in info.value.message
    assert [m["name"] for m in info.value.details["missing"]] == ["Giấy chứng sinh"]


def test_inactive_procedure_is_unknown(
    procedure: Any, ward_a: Any, onestop: Any, applicant: Any
) -> None:
    procedure.is_active = False
    procedure.save()
    with pytest.raises(DomainError) as info:
        receive(procedure, ward_a, onestop, applicant)
    assert info.value.code == "unknown_procedure"
    with pytest.raises(DomainError):
        services.procedure_get(procedure.code)


def test_only_onestop_officers_of_the_unit_receive(
    procedure: Any, ward_a: Any, ward_b: Any, specialist: Any, make_user: Any, applicant: Any
) -> None:
    with pytest.raises(PermissionDenied):
        receive(procedure, ward_a, specialist, applicant)
    stranger = make_user(Role.ONESTOP_OFFICER, ward_b)
    with pytest.raises(PermissionDenied):
        receive(procedure, ward_a, stranger, applicant)
    assert not Dossier.objects.exists()


# --- online ----------------------------------------------------------------------------------


def test_online_submit_then_accept_outside_hours(
    procedure: Any, ward_a: Any, onestop: Any, applicant: Any
) -> None:
    d = services.dossier_submit_online(
        unit=ward_a,
        procedure=procedure,
        applicant=applicant,
        uploads=[(None, SimpleUploadedFile("a.pdf", PDF_BYTES, "application/pdf"))],
        at=vn(2026, 2, 14, 22, 0),  # Saturday night, Tết 2026
    )
    assert d.status == S.SUBMITTED and d.code.endswith("-260214-0001")
    assert d.received_at is None and d.due_at is None and d.channel == 2
    assert Notification.objects.filter(recipient=onestop, kind="procedures.submitted").exists()
    d = services.dossier_accept(dossier=d, officer=onestop, at=vn(2026, 2, 16, 9, 0))
    assert d.status == S.ACCEPTED
    assert d.received_at == vn(2026, 2, 23, 8, 0)
    assert d.due_at == vn(2026, 2, 25, 17, 0)


def test_online_needs_an_online_procedure(procedure: Any, ward_a: Any, applicant: Any) -> None:
    procedure.online_level = "none"
    procedure.save()
    with pytest.raises(DomainError) as info:
        services.dossier_submit_online(unit=ward_a, procedure=procedure, applicant=applicant)
    assert info.value.code == "procedure_not_online"


def test_online_supplement_before_acceptance_and_refusal(
    procedure: Any, ward_a: Any, onestop: Any, applicant: Any
) -> None:
    d = services.dossier_submit_online(unit=ward_a, procedure=procedure, applicant=applicant)
    d = services.dossier_request_supplement(dossier=d, actor=onestop, items="Tờ khai có chữ ký")
    assert d.status == S.SUPPLEMENT_REQUESTED
    d = services.dossier_supplement_received(dossier=d, actor=onestop)
    assert d.status == S.SUBMITTED and d.paused_hours == 0 and d.due_at is None
    d = services.dossier_refuse(dossier=d, actor=onestop, reason="Không thuộc thẩm quyền")
    assert d.status == S.REFUSED and d.closed_at is not None
    assert d.refusal_reason == "Không thuộc thẩm quyền"
    with pytest.raises(DomainError) as info:
        services.dossier_accept(dossier=d, officer=onestop)
    assert info.value.code == "transition_not_allowed"
    assert "Không được tiếp nhận" in info.value.message


# --- state machine ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda d, u: services.dossier_return(dossier=d, actor=u["onestop"]),
        lambda d, u: services.dossier_accept(dossier=d, officer=u["onestop"]),
        lambda d, u: services.dossier_supplement_received(dossier=d, actor=u["onestop"]),
        lambda d, u: services.dossier_fees_paid(dossier=d, actor=u["onestop"]),
        lambda d, u: services.dossier_refuse(dossier=d, actor=u["onestop"], reason="x"),
    ],
)
def test_out_of_order_transitions(desk_dossier: Any, onestop: Any, call: Any) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError) as info:
        call(desk_dossier, {"onestop": onestop})
    assert info.value.code == "transition_not_allowed" and info.value.status == 409
    assert "Được tiếp nhận" in info.value.message
    assert AuditEvent.objects.count() == before
    desk_dossier.refresh_from_db()
    assert desk_dossier.status == S.ACCEPTED


def test_transition_table_matches_the_national_codes() -> None:
    assert set(services.TRANSITIONS) == set(S.values)
    for final in (S.REFUSED, S.WITHDRAWN, S.STOPPED, S.RETURNED):
        assert services.TRANSITIONS[final] == frozenset()
    assert services.TRANSITIONS[S.DONE] == frozenset({S.RETURNED})
    assert S.REFUSED in services.TRANSITIONS[S.SUPPLEMENT_REQUESTED]


def test_pause_and_resume_move_the_due_times(
    procedure: Any, ward_a: Any, onestop: Any, specialist: Any, applicant: Any
) -> None:
    d = receive(procedure, ward_a, onestop, applicant, at=vn(2026, 3, 2, 9, 0))
    assert d.due_at == vn(2026, 3, 5, 9, 0)
    with time_machine.travel(vn(2026, 3, 2, 10, 0), tick=False):
        d = services.dossier_hand_over(dossier=d, actor=onestop, to_user=specialist)
    assert d.current_step is not None
    step_due = d.current_step.due_at
    assert step_due == vn(2026, 3, 3, 15, 0)  # 12 working hours
    with time_machine.travel(vn(2026, 3, 2, 14, 0), tick=False):
        d = services.dossier_request_supplement(dossier=d, actor=specialist, items="Bản sao")
    assert d.paused_since == vn(2026, 3, 2, 14, 0)
    with time_machine.travel(vn(2026, 3, 4, 9, 0), tick=False):
        d = services.dossier_supplement_received(dossier=d, actor=onestop)
    # Paused 14:00 Mon → 09:00 Wed = 3 + 8 + 1 = 12 working hours.
    assert d.paused_hours == Decimal(12) and d.paused_since is None
    assert d.due_at == d.original_due_at == vn(2026, 3, 6, 14, 0)  # Thu 7 h, Fri 8–14 5 h
    assert d.current_step is not None
    assert d.current_step.due_at == vn(2026, 3, 5, 10, 0)  # Tue 15–17, Wed, Thu 8–10
    pause = d.pauses.get()
    assert pause.hours == Decimal(12) and pause.ended_at == vn(2026, 3, 4, 9, 0)
    with time_machine.travel(vn(2026, 3, 4, 10, 0), tick=False):
        d = services.dossier_request_fees(dossier=d, actor=specialist, amount=50000)
        assert d.status == S.FEES_DUE
    with time_machine.travel(vn(2026, 3, 4, 11, 0), tick=False):
        d = services.dossier_fees_paid(dossier=d, actor=onestop, online=True)
    assert d.status == S.IN_PROCESS and d.fee_paid and d.paid_online
    assert d.paused_hours == Decimal(13) and d.due_at == vn(2026, 3, 6, 15, 0)
    from congso.procedures import timing

    assert timing.elapsed_hours(d, vn(2026, 3, 4, 11, 0)) == Decimal(5)  # Mon 9–14, Wed 9–10


def test_hand_over_finishes_steps_with_timeliness(
    procedure: Any, ward_a: Any, onestop: Any, specialist: Any, leader: Any, applicant: Any
) -> None:
    d = receive(procedure, ward_a, onestop, applicant, at=vn(2026, 3, 2, 9, 0))
    with time_machine.travel(vn(2026, 3, 2, 9, 30), tick=False):
        d = services.dossier_hand_over(dossier=d, actor=onestop, to_user=specialist)
    with time_machine.travel(vn(2026, 3, 4, 9, 0), tick=False):  # step 2 due Tue 15:00
        d = services.dossier_hand_over(dossier=d, actor=specialist, to_user=leader, note="Trình")
    with time_machine.travel(vn(2026, 3, 4, 16, 0), tick=False):  # step 3 due Thu 09:00
        d = services.dossier_complete(dossier=d, actor=leader, result_summary="GKS số 1")
    steps = list(d.steps.order_by("position"))[:3]
    assert [s.timeliness for s in steps] == [
        Timeliness.ON_TIME,  # due Mon 14:00, done Mon 09:30: the same day
        Timeliness.LATE,  # due Tue 14:30, done Wed
        Timeliness.EARLY,  # due Thu 09:00, done Wed
    ]
    assert steps[0].spent_hours == Decimal("0.50")
    assert steps[1].handed_by == onestop and steps[2].note == "Trình"
    assert d.status == S.DONE and d.timeliness == Timeliness.EARLY
    assert d.spent_hours == Decimal(22)  # Mon 9–17 7 h, Tue 8 h, Wed 8–16 7 h
    assert Notification.objects.filter(recipient=leader, kind="procedures.hand_over").exists()
    # The procedure's last step is the desk's: the result waits there until it is returned.
    back = d.current_step
    assert back is not None and back.position == 4 and back.finished_at is None
    assert back.name == "Trả kết quả" and back.started_at == vn(2026, 3, 4, 16, 0)
    with time_machine.travel(vn(2026, 3, 5, 8, 30), tick=False):
        d = services.dossier_return(dossier=d, actor=onestop)
    back.refresh_from_db()
    assert back.finished_at == vn(2026, 3, 5, 8, 30) and back.timeliness == Timeliness.ON_TIME


def test_department_hand_over_and_heads(
    procedure: Any, ward_a: Any, onestop: Any, specialist: Any, make_user: Any, applicant: Any
) -> None:
    from congso.kernel.orgunits.models import Department
    from congso.kernel.people.models import Position

    vp = Department.objects.get(unit=ward_a, abbreviation="VP")
    head = make_user(full_name="Trưởng Văn Phòng")
    Position.objects.create(user=head, unit=ward_a, role=Role.LEADER, department=vp)
    d = receive(procedure, ward_a, onestop, applicant)
    d = services.dossier_hand_over(dossier=d, actor=onestop, to_department=vp)
    assert d.current_step is not None
    assert d.current_step.department == vp and d.current_step.assignee is None
    # Members of the department and its head may act; another ward's officer may not.
    assert "hand_over" in services.allowed_actions(d, specialist)
    assert "hand_over" in services.allowed_actions(d, head)
    assert services.allowed_actions(d, onestop) == ["request_supplement", "withdraw"]


def test_extension_once_by_a_leader(desk_dossier: Any, leader: Any, onestop: Any) -> None:
    d = desk_dossier
    later = d.due_at + dt.timedelta(days=7)
    with pytest.raises(PermissionDenied):
        services.dossier_extend(dossier=d, actor=onestop, new_due_at=later, reason="Xác minh")
    with pytest.raises(DomainError) as info:
        services.dossier_extend(dossier=d, actor=leader, new_due_at=d.due_at, reason="Xác minh")
    assert info.value.code == "new_due_invalid"
    with pytest.raises(DomainError) as info:
        services.dossier_extend(dossier=d, actor=leader, new_due_at=later, reason=" ")
    assert info.value.code == "reason_required"
    old = d.due_at
    d = services.dossier_extend(dossier=d, actor=leader, new_due_at=later, reason="Xác minh")
    assert d.due_at == later and d.original_due_at == old
    ext = DossierExtension.objects.get(dossier=d)
    assert (ext.old_due_at, ext.new_due_at) == (old, later)
    assert "extend" not in services.allowed_actions(d, leader)
    with pytest.raises(DomainError) as info:
        services.dossier_extend(
            dossier=d, actor=leader, new_due_at=later + dt.timedelta(days=1), reason="Lần nữa"
        )
    assert info.value.code == "extension_already_given"


def test_extended_dossier_counts_against_the_legal_due(
    procedure: Any, ward_a: Any, onestop: Any, leader: Any, applicant: Any
) -> None:
    d = receive(procedure, ward_a, onestop, applicant, at=vn(2026, 3, 2, 9, 0))
    with time_machine.travel(vn(2026, 3, 4, 9, 0), tick=False):
        d = services.dossier_extend(
            dossier=d, actor=leader, new_due_at=vn(2026, 3, 12, 9, 0), reason="Chờ xác minh"
        )
    with time_machine.travel(vn(2026, 3, 10, 9, 0), tick=False):
        d = services.dossier_complete(dossier=d, actor=leader)
    assert d.timeliness == Timeliness.LATE  # before the new date, but after the legal one


def test_stop_and_withdraw(
    procedure: Any, ward_a: Any, onestop: Any, leader: Any, specialist: Any, applicant: Any
) -> None:
    d = receive(procedure, ward_a, onestop, applicant)
    with pytest.raises(PermissionDenied):
        services.dossier_stop(dossier=d, actor=specialist, reason="x")
    d = services.dossier_stop(dossier=d, actor=leader, reason="Người nộp đã chết")
    assert d.current_step is not None
    assert d.status == S.STOPPED and d.current_step.finished_at is not None
    assert services.allowed_actions(d, leader) == []
    other = receive(procedure, ward_a, onestop, applicant)
    other = services.dossier_withdraw(dossier=other, actor=onestop)
    assert other.status == S.WITHDRAWN and other.refusal_reason


def test_complete_return_rate(desk_dossier: Any, onestop: Any, specialist: Any) -> None:
    d = services.dossier_complete(
        dossier=desk_dossier,
        actor=onestop,
        result_upload=SimpleUploadedFile("kq.pdf", PDF_BYTES, "application/pdf"),
        electronic=True,
    )
    assert d.result_file is not None and d.result_electronic
    with pytest.raises(DomainError) as info:
        services.dossier_rate(dossier=d, score=5)
    assert info.value.code == "rating_invalid"
    d = services.dossier_return(dossier=d, actor=onestop)
    assert d.returned_at is not None
    services.dossier_rate(dossier=d, score=3, comment="Nhanh")
    with pytest.raises(DomainError) as info:
        services.dossier_rate(dossier=d, score=2)
    assert info.value.code == "already_rated"
    assert d.events.filter(action="rate").exists()


def test_result_signed_with_the_test_ca(desk_dossier: Any, onestop: Any, leader: Any) -> None:
    from congso.kernel.files.services import file_open
    from congso.kernel.signing.services import demo_credential_issue, verify_pdf
    from congso.kernel.signing.tests.samples import attachment_pdf

    d = services.dossier_hand_over(dossier=desk_dossier, actor=onestop, to_user=leader)
    upload = SimpleUploadedFile("giay-khai-sinh.pdf", attachment_pdf(), "application/pdf")
    with pytest.raises(DomainError) as info:
        services.dossier_complete(dossier=d, actor=leader, result_upload=upload, sign=True)
    assert info.value.code == "sign_no_credential"
    d.refresh_from_db()
    assert d.status == S.IN_PROCESS and d.result_file is None
    demo_credential_issue(user=leader, title="Chủ tịch UBND phường")
    upload.seek(0)
    d = services.dossier_complete(dossier=d, actor=leader, result_upload=upload, sign=True)
    assert d.result_file is not None
    assert d.result_electronic and d.result_file.original_name.endswith("-da-ky.pdf")
    with file_open(d.result_file) as handle:
        report = verify_pdf(handle.read())
    assert report.ok and report.any_test


# --- scope and selectors ---------------------------------------------------------------------


def test_scope_by_unit(desk_dossier: Any, make_user: Any, ward_b: Any, specialist: Any) -> None:
    stranger = make_user(Role.LEADER, ward_b)
    assert list(dossiers_for(specialist)) == [desk_dossier]
    assert not dossiers_for(stranger).exists()
    with pytest.raises(NotFound):
        services.dossier_get(desk_dossier.code, user=stranger)
    assert services.allowed_actions(desk_dossier, stranger) == []
    assert services.dossier_get(desk_dossier.code, user=specialist) == desk_dossier


def test_late_or_due_soon(
    procedure: Any, ward_a: Any, onestop: Any, leader: Any, applicant: Any
) -> None:
    late = receive(procedure, ward_a, onestop, applicant, at=vn(2026, 3, 2, 9, 0))
    fresh = receive(procedure, ward_a, onestop, applicant, at=vn(2026, 3, 4, 9, 0))
    with time_machine.travel(vn(2026, 3, 6, 9, 0), tick=False):
        rows = list(late_or_due_soon(leader, 8))
    assert rows == [late, fresh]  # late since Thu, fresh due Mon 09:00 = 8 working hours
    with time_machine.travel(vn(2026, 3, 6, 9, 0), tick=False):
        assert list(late_or_due_soon(leader, 4)) == [late]


def test_every_transition_is_audited(desk_dossier: Any, onestop: Any) -> None:
    d = services.dossier_request_supplement(dossier=desk_dossier, actor=onestop, items="Tờ khai")
    d = services.dossier_supplement_received(dossier=d, actor=onestop)
    d = services.dossier_complete(dossier=d, actor=onestop)
    d = services.dossier_return(dossier=d, actor=onestop)
    actions = list(
        AuditEvent.objects.filter(object_id=str(d.pk), action__startswith="dossier.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "dossier.receive",
        "dossier.request_supplement",
        "dossier.supplement_received",
        "dossier.complete",
        "dossier.return",
    ]
    assert d.events.count() == 5


def test_applicant_is_emailed_after_commit(
    desk_dossier: Any, onestop: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_request_supplement(
            dossier=desk_dossier, actor=onestop, items="Bản sao giấy chứng sinh"
        )
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["dan@example.com"] and desk_dossier.code in mail.subject
    assert "Bản sao giấy chứng sinh" in mail.body and "/tra-cuu/?ma=" in mail.body


def test_extension_when_late_follows_the_setting(
    procedure: Any, ward_a: Any, onestop: Any, leader: Any, applicant: Any, settings: Any
) -> None:
    d = receive(procedure, ward_a, onestop, applicant, at=vn(2026, 3, 2, 9, 0))
    settings.ONESTOP_EXTEND_WHEN_LATE = False
    with time_machine.travel(vn(2026, 3, 6, 9, 0), tick=False):
        with pytest.raises(DomainError) as info:
            services.dossier_extend(
                dossier=d, actor=leader, new_due_at=vn(2026, 3, 12, 9, 0), reason="Trễ"
            )
        assert info.value.code == "extension_too_late"
        settings.ONESTOP_EXTEND_WHEN_LATE = True
        d = services.dossier_extend(
            dossier=d, actor=leader, new_due_at=vn(2026, 3, 12, 9, 0), reason="Trễ"
        )
    assert d.due_at == vn(2026, 3, 12, 9, 0)
