"""Present → assign (working-day deadlines over Tết) → progress → complete; re-assignment;
feedback to an internal sender; who may do what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from congso.documents.models import (
    Assignment,
    AssignmentStatus,
    Channel,
    Dispatch,
    DispatchStatus,
    IncomingStatus,
    Organisation,
    OutgoingDocument,
    OutgoingStatus,
    ProgressNote,
)
from congso.documents.services.incoming import (
    incoming_assign,
    incoming_complete,
    incoming_present,
    incoming_progress_add,
)
from congso.documents.tests.conftest import doc_type, upload
from congso.kernel.audit.models import AuditEvent
from congso.kernel.errors import DomainError, PermissionDenied
from congso.kernel.notifications.models import Notification
from congso.kernel.people.models import Delegation, DelegationKind, Position, Role

pytestmark = pytest.mark.django_db

TZ = dt.timezone(dt.timedelta(hours=7))


def test_present_then_assign_with_working_days_over_tet(
    register: Any, clerk: Any, leader: Any, specialist: Any, departments: Any
) -> None:
    # Friday 13/02/2026, the last working day before Tết (off Sat 14/02 – Sun 22/02).
    with time_machine.travel(dt.datetime(2026, 2, 13, 10, 0, tzinfo=TZ), tick=False):
        doc = register(issued_date=dt.date(2026, 2, 12), urgency=1)
        incoming_present(document=doc, user=clerk, leader=leader, note="Chuyển gấp")
        doc.refresh_from_db()
        assert (doc.status, doc.presented_to) == (IncomingStatus.PRESENTED, leader)
        presented = Notification.objects.get(kind="documents.incoming_presented")
        assert presented.recipient == leader and presented.level == "urgent"

        assignment = incoming_assign(
            document=doc,
            user=leader,
            lead_user=specialist,
            cooperating_departments=[departments["VHXH"]],
            instruction="Giao Phòng Kinh tế chủ trì, báo cáo trước hạn.",
            deadline_working_days=3,
        )
    # Mon 23, Tue 24, Wed 25/02/2026.
    assert assignment.deadline == dt.date(2026, 2, 25)
    doc.refresh_from_db()
    assert doc.status == IncomingStatus.ASSIGNED
    assert list(assignment.cooperating_departments.all()) == [departments["VHXH"]]
    assigned = Notification.objects.get(kind="documents.incoming_assigned")
    assert assigned.recipient == specialist
    assert "25/02/2026" in assigned.body
    event = AuditEvent.objects.get(action="documents.incoming_assign")
    assert event.changes["deadline"] == [None, "2026-02-25"]


def test_progress_and_completion(register: Any, leader: Any, specialist: Any) -> None:
    doc = register()
    assignment = incoming_assign(
        document=doc, user=leader, lead_user=specialist, deadline=dt.date.today()
    )
    note = incoming_progress_add(
        assignment=assignment,
        user=specialist,
        text="Đã kiểm tra hiện trường, đang dự thảo báo cáo.",
        files=[upload("bien-ban.pdf")],
    )
    assert ProgressNote.objects.get() == note
    doc.refresh_from_db()
    assert doc.status == IncomingStatus.IN_PROGRESS
    done = incoming_complete(
        assignment=assignment, user=specialist, result_note="Đã báo cáo UBND phường."
    )
    assert done.status == AssignmentStatus.DONE
    assert done.completed_by == specialist
    doc.refresh_from_db()
    assert doc.status == IncomingStatus.DONE
    assert Notification.objects.filter(kind="documents.incoming_done", recipient=leader).exists()
    with pytest.raises(DomainError) as caught:
        incoming_complete(assignment=done, user=specialist, result_note="Lần nữa")
    assert caught.value.code == "assignment_closed"


def test_complete_links_an_issued_answer_of_the_same_committee(
    register: Any, leader: Any, specialist: Any, ward_a: Any, ward_b: Any, departments: Any
) -> None:
    doc = register()
    assignment = incoming_assign(document=doc, user=leader, lead_user=specialist)

    def outgoing(unit: Any, status: str) -> OutgoingDocument:
        from congso.kernel.orgunits.models import Department

        dept = Department.objects.filter(unit=unit).first() or Department.objects.create(
            unit=unit, name="Văn phòng", abbreviation="VP", kind="office"
        )
        return OutgoingDocument.objects.create(
            unit=unit,
            department=dept,
            document_type=doc_type("Công văn"),
            subject="Trả lời",
            status=status,
            created_by=leader,
            notation="45/UBND-KT",
        )

    for bad in (outgoing(ward_a, OutgoingStatus.DRAFT), outgoing(ward_b, OutgoingStatus.ISSUED)):
        with pytest.raises(DomainError) as caught:
            incoming_complete(
                assignment=assignment, user=specialist, result_note="Xong", answer=bad
            )
        assert caught.value.code == "answer_invalid"
    answer = outgoing(ward_a, OutgoingStatus.ISSUED)
    done = incoming_complete(
        assignment=assignment, user=specialist, result_note="Xong", answer=answer
    )
    assert done.answer == answer


def test_reassignment_replaces_the_open_assignment(
    register: Any, leader: Any, specialist: Any, colleague: Any, departments: Any
) -> None:
    doc = register()
    first = incoming_assign(document=doc, user=leader, lead_department=departments["KT"])
    # Department-level: every member of the department is notified.
    recipients = {
        n.recipient for n in Notification.objects.filter(kind="documents.incoming_assigned")
    }
    assert recipients == {specialist, colleague}
    second = incoming_assign(
        document=doc, user=leader, lead_user=colleague, cooperating_users=[specialist]
    )
    first.refresh_from_db()
    assert first.status == AssignmentStatus.CANCELLED
    assert second.status == AssignmentStatus.OPEN
    assert Assignment.objects.filter(document=doc, status=AssignmentStatus.OPEN).count() == 1
    # The cooperating person records progress but does not close; the lead does.
    incoming_progress_add(assignment=second, user=specialist, text="Đã gửi số liệu phối hợp.")
    with pytest.raises(PermissionDenied):
        incoming_complete(assignment=second, user=specialist, result_note="Xong")
    incoming_complete(assignment=second, user=colleague, result_note="Xong")


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({}, "lead_required"),
        ({"deadline": dt.date(2000, 1, 1)}, "deadline_in_past"),
        ({"deadline_working_days": 0}, "deadline_days_invalid"),
        ({"deadline_working_days": 2, "deadline": dt.date(2100, 1, 1)}, "deadline_ambiguous"),
    ],
)
def test_assignment_input_errors(
    register: Any, leader: Any, specialist: Any, kwargs: dict[str, Any], code: str
) -> None:
    doc = register()
    if code != "lead_required":
        kwargs = {"lead_user": specialist, **kwargs}
    with pytest.raises(DomainError) as caught:
        incoming_assign(document=doc, user=leader, **kwargs)
    assert caught.value.code == code
    assert not Assignment.objects.exists()


def test_handlers_must_work_in_the_committee_and_be_cleared(
    register: Any, leader: Any, clerk: Any, clerk_b: Any, specialist: Any, ward_b: Any
) -> None:
    from congso.kernel.orgunits.models import Department

    doc = register()
    with pytest.raises(DomainError) as caught:
        incoming_assign(document=doc, user=leader, lead_user=clerk_b)
    assert caught.value.code == "handler_invalid"
    other_dept = Department.objects.create(unit=ward_b, name="VP", abbreviation="VP", kind="office")
    with pytest.raises(DomainError) as caught:
        incoming_assign(document=doc, user=leader, lead_department=other_dept)
    assert caught.value.code == "department_invalid"
    clerk.clearance = 1
    clerk.save()
    secret = register(secrecy=1)
    with pytest.raises(DomainError) as caught:
        incoming_assign(document=secret, user=leader, lead_user=specialist)
    assert caught.value.code == "handler_not_cleared"


def test_who_may_present_and_assign(
    register: Any,
    clerk: Any,
    leader: Any,
    specialist: Any,
    make_user: Any,
    ward_a: Any,
    ward_b: Any,
) -> None:
    doc = register()
    with pytest.raises(PermissionDenied):
        incoming_present(document=doc, user=specialist, leader=leader)
    with pytest.raises(DomainError) as caught:
        incoming_present(document=doc, user=clerk, leader=specialist)
    assert caught.value.code == "leader_invalid"
    for user in (clerk, specialist):
        with pytest.raises(PermissionDenied):
            incoming_assign(document=doc, user=user, lead_user=specialist)
    leader_b = make_user(Role.LEADER, ward_b)
    with pytest.raises(PermissionDenied):
        incoming_assign(document=doc, user=leader_b, lead_user=specialist)
    # A vice-chairman acting for the chairwoman (delegation in force) may assign.
    deputy = make_user(Role.SPECIALIST, ward_a, username="phochutich")
    Delegation.objects.create(
        principal=leader,
        delegate=deputy,
        unit=ward_a,
        kind=DelegationKind.AUTHORISED,
        start=timezone.localdate() - dt.timedelta(days=1),
        end=timezone.localdate() + dt.timedelta(days=1),
    )
    assert incoming_assign(document=doc, user=deputy, lead_user=specialist).assigned_by == deputy
    # Presenting is over once the document is assigned.
    with pytest.raises(PermissionDenied):
        incoming_present(document=doc, user=clerk, leader=leader)


def test_internal_sender_sees_received_assigned_done(
    register: Any, leader: Any, specialist: Any, ward_a: Any, ward_b: Any
) -> None:
    from congso.kernel.orgunits.models import Department

    dept_b = Department.objects.create(unit=ward_b, name="VP", abbreviation="VP", kind="office")
    outgoing = OutgoingDocument.objects.create(
        unit=ward_b,
        department=dept_b,
        document_type=doc_type("Công văn"),
        subject="Đề nghị phối hợp",
        status=OutgoingStatus.ISSUED,
        created_by=leader,
        notation="12/UBND-VP",
    )
    recipient = Organisation.objects.create(name="UBND phường Tây Hồ", unit=ward_a)
    dispatch = Dispatch.objects.create(
        document=outgoing, recipient=recipient, channel=Channel.INTERNAL
    )
    doc = register(
        user=None, channel=Channel.INTERNAL, source_dispatch=dispatch, notation="12/UBND-VP"
    )
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.RECEIVED
    assignment = incoming_assign(document=doc, user=leader, lead_user=specialist)
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.ASSIGNED
    incoming_complete(assignment=assignment, user=specialist, result_note="Đã phối hợp.")
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.DONE


def test_a_closed_document_cannot_be_assigned_again(
    register: Any, leader: Any, specialist: Any
) -> None:
    doc = register()
    assignment = incoming_assign(document=doc, user=leader, lead_user=specialist)
    incoming_complete(assignment=assignment, user=leader, result_note="Lãnh đạo kết thúc.")
    doc.refresh_from_db()
    with pytest.raises(DomainError) as caught:
        incoming_assign(document=doc, user=leader, lead_user=specialist)
    assert caught.value.code == "document_closed"


def test_department_member_completes_a_department_assignment(
    register: Any, leader: Any, specialist: Any, outsider: Any, departments: Any
) -> None:
    doc = register()
    assignment = incoming_assign(document=doc, user=leader, lead_department=departments["KT"])
    with pytest.raises(PermissionDenied):
        incoming_progress_add(assignment=assignment, user=outsider, text="Không phải việc tôi")
    done = incoming_complete(assignment=assignment, user=specialist, result_note="Đã xử lý.")
    assert done.completed_by == specialist
    assert Position.objects.filter(user=specialist, department=departments["KT"]).exists()
