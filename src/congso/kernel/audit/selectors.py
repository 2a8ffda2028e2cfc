"""Reads of the audit log (for administrators; the rule is checked by the caller)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from congso.kernel.audit.models import AuditEvent
from congso.kernel.orgunits.models import AdminUnit


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    content_type: ContentType | None = None
    object_id: str = ""
    unit: AdminUnit | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass
class AuditPage:
    events: list[AuditEvent]
    newer_cursor: int | None = None  # ?after=… shows the page of newer events
    older_cursor: int | None = None  # ?before=… shows the page of older events


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_events_filtered(filters: AuditFilters) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.select_related("content_type", "unit")
    if filters.actor:
        term = filters.actor.strip()
        qs = qs.filter(Q(actor_name__icontains=term) | Q(actor__username__iexact=term))
    if filters.action:
        action = filters.action.strip()
        qs = (
            qs.filter(action__startswith=action)
            if action.endswith(".")
            else qs.filter(action=action)
        )
    if filters.content_type is not None:
        qs = qs.filter(content_type=filters.content_type)
        if filters.object_id:
            qs = qs.filter(object_id=filters.object_id)
    if filters.unit is not None:
        qs = qs.filter(unit=filters.unit)
    if filters.date_from is not None:
        qs = qs.filter(time__gte=_day_start(filters.date_from))
    if filters.date_to is not None:
        qs = qs.filter(time__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    return qs


def audit_events_page(
    filters: AuditFilters,
    *,
    before: int | None = None,
    after: int | None = None,
    size: int = 50,
) -> AuditPage:
    """One page of events, newest first, by keyset on ``seq`` (constant cost at any depth).

    ``before``: events older than that seq; ``after``: events newer than it; neither: newest.
    One query (``size + 1`` rows tell whether another page exists).
    """
    qs = audit_events_filtered(filters)
    if after is not None:
        rows = list(qs.filter(seq__gt=after).order_by("seq")[: size + 1])
        has_newer = len(rows) > size
        events = list(reversed(rows[:size]))
        return AuditPage(
            events=events,
            newer_cursor=events[0].seq if has_newer and events else None,
            older_cursor=events[-1].seq if events else None,
        )
    if before is not None:
        qs = qs.filter(seq__lt=before)
    rows = list(qs.order_by("-seq")[: size + 1])
    has_older = len(rows) > size
    events = rows[:size]
    return AuditPage(
        events=events,
        newer_cursor=events[0].seq if before is not None and events else None,
        older_cursor=events[-1].seq if has_older and events else None,
    )


def audit_object_types() -> QuerySet[ContentType]:
    """Content types that appear in the filter (all of them: listing distinct ones would scan
    the whole log)."""
    return ContentType.objects.order_by("app_label", "model")


def audit_units() -> QuerySet[AdminUnit]:
    return AdminUnit.objects.filter(is_served=True).order_by("name")
