"""Reminders before the deadline and when overdue: inbox and e-mail, each sent once."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from congso.documents.models import Assignment
from congso.documents.services.incoming import (
    incoming_assign,
    incoming_complete,
    incoming_send_reminders,
)
from congso.kernel.notifications.models import Notification

pytestmark = pytest.mark.django_db

TZ = dt.timezone(dt.timedelta(hours=7))


def _at(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


@pytest.fixture
def assigned(register: Any, leader: Any, specialist: Any) -> Any:
    """Three assignments made on Mon 09/03/2026, due Wed 11, Thu 12 and Mon 16/03/2026."""

    def _make() -> list[Assignment]:
        out = []
        with time_machine.travel(_at(dt.date(2026, 3, 9), 9), tick=False):
            for deadline in (dt.date(2026, 3, 11), dt.date(2026, 3, 12), dt.date(2026, 3, 16)):
                doc = register(issued_date=dt.date(2026, 3, 6))
                out.append(
                    incoming_assign(
                        document=doc, user=leader, lead_user=specialist, deadline=deadline
                    )
                )
        return out

    return _make


def _kinds(user: Any) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(
            recipient=user, kind__in=["documents.incoming_due", "documents.incoming_overdue"]
        )
        .order_by("pk")
        .values_list("kind", "title")
    )


def test_due_soon_then_overdue_each_once(
    assigned: Any,
    leader: Any,
    specialist: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.DOCUMENT_REMINDER_DAYS = 1
    a11, a12, a16 = assigned()
    mail.outbox.clear()
    # Tue 10/03: due within one working day → the one due on Wed 11.
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail leaves after commit
        run = incoming_send_reminders(now=_at(dt.date(2026, 3, 10)))
    assert (run.due_soon, run.overdue) == (1, 0)
    kinds = _kinds(specialist)
    assert len(kinds) == 1 and kinds[0][0] == "documents.incoming_due"
    assert "(hạn 11/03/2026)" in kinds[0][1]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["kt@example.invalid"]
    # The same day again: nothing new.
    run = incoming_send_reminders(now=_at(dt.date(2026, 3, 10), 15))
    assert (run.due_soon, run.overdue) == (0, 0)
    # Wed 11: the one due Thu 12 is now within a day.
    assert incoming_send_reminders(now=_at(dt.date(2026, 3, 11))).due_soon == 1
    # Fri 13: both are overdue; the handler and the assigning leader are told, once.
    run = incoming_send_reminders(now=_at(dt.date(2026, 3, 13)))
    assert (run.due_soon, run.overdue) == (1, 2)  # and Mon 16 is one working day away
    assert [k for k, _ in _kinds(leader)] == ["documents.incoming_overdue"] * 2
    overdue = Notification.objects.filter(kind="documents.incoming_overdue", recipient=specialist)
    assert overdue.count() == 2
    assert {n.level for n in overdue} == {"urgent"}
    run = incoming_send_reminders(now=_at(dt.date(2026, 3, 14)))
    assert (run.due_soon, run.overdue) == (0, 0)
    for a in (a11, a12, a16):
        a.refresh_from_db()
    assert a11.reminded_at is not None and a11.overdue_notified_at is not None
    assert a16.overdue_notified_at is None


def test_no_reminder_for_closed_or_undated_assignments(
    register: Any, leader: Any, specialist: Any
) -> None:
    with time_machine.travel(_at(dt.date(2026, 3, 9), 9), tick=False):
        closed = incoming_assign(
            document=register(issued_date=dt.date(2026, 3, 6)),
            user=leader,
            lead_user=specialist,
            deadline=dt.date(2026, 3, 10),
        )
        incoming_complete(assignment=closed, user=specialist, result_note="Xong sớm.")
        incoming_assign(
            document=register(issued_date=dt.date(2026, 3, 6)), user=leader, lead_user=specialist
        )
    run = incoming_send_reminders(now=_at(dt.date(2026, 3, 20)))
    assert (run.due_soon, run.overdue) == (0, 0)


def test_reminder_days_setting_widens_the_window(
    assigned: Any, specialist: Any, settings: Any
) -> None:
    settings.DOCUMENT_REMINDER_DAYS = 3
    assigned()
    # Tue 10/03 + 3 working days = Fri 13: the ones due 11 and 12.
    assert incoming_send_reminders(now=_at(dt.date(2026, 3, 10))).due_soon == 2


def test_the_command_runs_once_or_as_a_clock(assigned: Any, specialist: Any) -> None:
    assigned()
    out = StringIO()
    with time_machine.travel(_at(dt.date(2026, 3, 13)), tick=False):
        call_command("documents_reminders", stdout=out)
    assert "báo quá hạn: 2" in out.getvalue()
    # The clock enqueues the task (the test backend runs it at once); nothing is sent twice.
    out = StringIO()
    with time_machine.travel(_at(dt.date(2026, 3, 13)), tick=False):
        call_command("documents_reminders", "--every", "1", "--times", "1", stdout=out)
    assert "mỗi 1 giây" in out.getvalue()
    assert Notification.objects.filter(kind="documents.incoming_overdue").count() == 4  # 2 × 2
