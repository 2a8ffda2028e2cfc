"""Scoped reads of the one-stop shop. Every list is filtered by the reader's units here."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from congso.kernel.calendar.services import add_working_hours
from congso.kernel.errors import DomainError
from congso.kernel.people.rules import is_staff_member
from congso.kernel.people.selectors import visible_unit_ids

from .models import FINAL_STATUSES, Dossier, DossierStatus, Procedure

S = DossierStatus
#: Statuses in which the dossier's clock runs or is paused (not finished, not closed).
OPEN_STATUSES = frozenset({S.ACCEPTED, S.IN_PROCESS, S.SUPPLEMENT_REQUESTED, S.FEES_DUE})
RUNNING_STATUSES = frozenset({S.ACCEPTED, S.IN_PROCESS})
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def dossiers_for(user: Any) -> QuerySet[Dossier]:
    """Dossiers the user may see: those of the units they belong to (and, for leaders and
    administrators of a parent unit, its descendants). Citizens and strangers: none."""
    if not is_staff_member(user):
        return Dossier.objects.none()
    units = visible_unit_ids(user)
    if not units:
        return Dossier.objects.none()
    return Dossier.objects.filter(unit_id__in=units)


def with_list_related(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return qs.select_related("procedure", "field", "unit", "handler", "current_step")


def late_or_due_soon(
    user: Any, hours: float | int | Decimal = 8, *, now: dt.datetime | None = None
) -> QuerySet[Dossier]:
    """Open dossiers (running, not paused) of the user's units that are late or due within
    ``hours`` working hours (the leader's view), soonest first."""
    moment = now or timezone.now()
    limit = add_working_hours(moment, hours)
    return with_list_related(
        dossiers_for(user).filter(status__in=RUNNING_STATUSES, due_at__lte=limit)
    ).order_by("due_at", "id")


def overdue(user: Any, *, now: dt.datetime | None = None) -> QuerySet[Dossier]:
    moment = now or timezone.now()
    return dossiers_for(user).filter(status__in=RUNNING_STATUSES, due_at__lt=moment)


def my_dossiers(user: Any) -> QuerySet[Dossier]:
    """Open dossiers whose current step is assigned to the user."""
    return with_list_related(
        dossiers_for(user).filter(
            status__in=RUNNING_STATUSES,
            current_step__assignee_id=getattr(user, "pk", None),
            current_step__finished_at__isnull=True,
        )
    ).order_by("due_at", "id")


def awaiting_acceptance(user: Any) -> QuerySet[Dossier]:
    """Online dossiers waiting for a one-stop officer (status 1)."""
    return with_list_related(dossiers_for(user).filter(status=S.SUBMITTED)).order_by(
        "submitted_at", "id"
    )


def awaiting_return(user: Any) -> QuerySet[Dossier]:
    return with_list_related(dossiers_for(user).filter(status=S.DONE)).order_by(
        "completed_at", "id"
    )


def public_procedures() -> QuerySet[Procedure]:
    """The active catalogue, with its field (the public list)."""
    return Procedure.objects.filter(is_active=True).select_related("field")


def is_final(dossier: Dossier) -> bool:
    return dossier.status in FINAL_STATUSES


# --- keyset pages ----------------------------------------------------------------------------


def encode_cursor(dossier: Dossier) -> str:
    raw = f"{dossier.submitted_at.isoformat()}|{dossier.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
        moment, pk = text.split("|", 1)
        value = dt.datetime.fromisoformat(moment)
        if value.tzinfo is None:
            raise ValueError
        return value, int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise DomainError("cursor_invalid", "Con trỏ trang không hợp lệ.", status=422) from None


def dossier_page(
    qs: QuerySet[Dossier], *, cursor: str | None = None, limit: int = PAGE_SIZE
) -> tuple[list[Dossier], str | None]:
    """One page of ``qs`` newest first (submitted_at, id), and the cursor of the next page."""
    size = max(1, min(int(limit), MAX_PAGE_SIZE))
    qs = qs.order_by("-submitted_at", "-id")
    if cursor:
        moment, pk = decode_cursor(cursor)
        qs = qs.filter(Q(submitted_at__lt=moment) | Q(submitted_at=moment, id__lt=pk))
    rows = list(qs[: size + 1])
    following = encode_cursor(rows[size - 1]) if len(rows) > size else None
    return rows[:size], following
