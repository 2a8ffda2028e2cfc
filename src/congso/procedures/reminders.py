"""Deadline reminders of the one-stop shop.

``send_reminders()`` (run by ``manage.py procedures_reminders``, once or as a clock that enqueues
``tasks.procedures_reminders`` for the worker):

- a **step** of a running dossier (status 2 or 4) due within ``ONESTOP_REMIND_BEFORE_HOURS``
  working hours (default 4): its assignee (or, without one, the members of its department);
- a step past its due time: its assignee / department, once;
- a **dossier** due within the same working hours: the handler of its current step;
- a dossier past its due time (overdue): the unit's leaders and the current handler, once.

Paused dossiers (waiting for supplements or fees) are not reminded: their clock is stopped.
Each reminder goes once per dossier, step, kind and due time (``DossierReminder`` rows claimed by
a unique constraint, so two runs at once never send twice); when a pause or an extension moves a
due time, the new due time is reminded again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from congso.kernel.calendar.services import add_working_hours
from congso.kernel.notifications.models import NotificationLevel
from congso.kernel.notifications.services import notify
from congso.kernel.people.models import Position, Role

from .models import Dossier, DossierReminder, DossierStep, ReminderKind
from .selectors import RUNNING_STATUSES
from .services import _fmt, dossier_url


@dataclass(frozen=True)
class ReminderRun:
    step_due_soon: int = 0
    step_overdue: int = 0
    due_soon: int = 0
    overdue: int = 0


def remind_before_hours() -> Decimal:
    return Decimal(str(getattr(settings, "ONESTOP_REMIND_BEFORE_HOURS", 4)))


def _claim(
    dossier: Dossier, kind: str, due_at: dt.datetime, position: int, now: dt.datetime
) -> bool:
    try:
        with transaction.atomic():
            DossierReminder.objects.create(
                dossier=dossier, step_position=position, kind=kind, due_at=due_at, sent_at=now
            )
    except IntegrityError:
        return False
    return True


def _step_people(step: DossierStep) -> list[int]:
    if step.assignee_id:
        return [step.assignee_id]
    if step.department_id:
        return list(
            Position.objects.active()
            .filter(department_id=step.department_id)
            .values_list("user_id", flat=True)
            .distinct()
        )
    return []


def _leaders(unit_id: int) -> list[int]:
    return list(
        Position.objects.active()
        .filter(unit_id=unit_id, role=Role.LEADER)
        .values_list("user_id", flat=True)
        .distinct()
    )


def _send(
    dossier: Dossier,
    *,
    recipients: list[Any],
    kind: str,
    due_at: dt.datetime,
    position: int,
    now: dt.datetime,
    title: str,
    level: str,
) -> bool:
    with transaction.atomic():
        if not _claim(dossier, kind, due_at, position, now):
            return False
        notify(
            recipients=recipients,
            title=title,
            body=f"{dossier.procedure.name} — {dossier.applicant_name}",
            url=dossier_url(dossier),
            level=level,
            kind=f"procedures.{kind}",
            obj=dossier,
        )
    return True


def send_reminders(now: dt.datetime | None = None) -> ReminderRun:
    now = now or timezone.now()
    horizon = add_working_hours(now, remind_before_hours())
    counts = {"step_due_soon": 0, "step_overdue": 0, "due_soon": 0, "overdue": 0}
    steps = (
        DossierStep.objects.filter(
            finished_at__isnull=True,
            due_at__lte=horizon,
            dossier__status__in=RUNNING_STATUSES,
            dossier__current_step_id=F("id"),
        )
        .select_related("dossier__procedure")
        .order_by("due_at", "id")
    )
    for step in steps:
        dossier = step.dossier
        late = step.due_at < now
        kind = ReminderKind.STEP_OVERDUE if late else ReminderKind.STEP_DUE_SOON
        title = (
            f"{'Quá hạn' if late else 'Sắp đến hạn'} bước “{step.name}” của hồ sơ {dossier.code} "
            f"(hạn {_fmt(step.due_at)})"
        )
        if _send(
            dossier,
            recipients=_step_people(step),
            kind=kind,
            due_at=step.due_at,
            position=step.position,
            now=now,
            title=title,
            level=NotificationLevel.URGENT if late else NotificationLevel.WARNING,
        ):
            counts[str(kind)] += 1
    dossiers = (
        Dossier.objects.filter(status__in=RUNNING_STATUSES, due_at__lte=horizon)
        .select_related("procedure", "current_step")
        .order_by("due_at", "id")
    )
    for dossier in dossiers:
        assert dossier.due_at is not None
        late = dossier.due_at < now
        current = dossier.current_step
        people = (
            _step_people(current) if current is not None and current.finished_at is None else []
        )
        if late:
            recipients = [*_leaders(dossier.unit_id), *people]
            kind = ReminderKind.OVERDUE
            title = f"Hồ sơ {dossier.code} đã quá hạn (hẹn trả {_fmt(dossier.due_at)})"
        else:
            recipients = people
            kind = ReminderKind.DUE_SOON
            title = f"Hồ sơ {dossier.code} sắp đến hạn trả (hẹn {_fmt(dossier.due_at)})"
        if _send(
            dossier,
            recipients=recipients,
            kind=kind,
            due_at=dossier.due_at,
            position=0,
            now=now,
            title=title,
            level=NotificationLevel.URGENT if late else NotificationLevel.WARNING,
        ):
            counts[str(kind)] += 1
    return ReminderRun(**counts)
