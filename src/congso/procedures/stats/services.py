"""The statistics report: figures per unit, procedure, field or month over a period.

Period figures are sums over the summary table (``DailyStat``, see ``summary``); the figures "as
of now" (pending, overdue) come live from the dossiers' ``(unit, status, due_at)`` index. One
report is at most five queries whatever the number of dossiers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from congso.kernel.errors import DomainError, PermissionDenied
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import Role
from congso.kernel.people.selectors import (
    SCOPE_DOWN_ROLES,
    effective_positions,
    unit_descendant_ids,
)
from congso.procedures.models import (
    Channel,
    Dossier,
    DossierStatus,
    OnlineLevel,
    Procedure,
    ProcedureField,
)
from congso.procedures.stats import scoring, summary
from congso.procedures.stats.models import DailyStat, MonthlyStat

STATS_ROLES = frozenset(
    {Role.LEADER.value, Role.ONESTOP_OFFICER.value, Role.INSPECTOR.value, Role.ADMIN.value}
)
GROUPS = {
    "procedure": "Thủ tục",
    "field": "Lĩnh vực",
    "unit": "Cơ quan",
    "month": "Tháng",
}
# Pending: accepted and not yet resolved; overdue: of those, not paused and past the due time.
PENDING_STATUSES = (
    DossierStatus.ACCEPTED,
    DossierStatus.IN_PROCESS,
    DossierStatus.SUPPLEMENT_REQUESTED,
    DossierStatus.FEES_DUE,
)
RUNNING_STATUSES = (DossierStatus.ACCEPTED, DossierStatus.IN_PROCESS)
MAX_PERIOD_DAYS = 366 * 10


def stats_unit_ids(user: Any) -> set[int]:
    """Units whose statistics ``user`` may see: leaders, one-stop officers, inspectors and
    administrators of the unit (leaders and administrators also of the units below)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if user.is_superuser:
        return set(AdminUnit.objects.values_list("id", flat=True))
    rows = list(effective_positions(user).values_list("unit_id", "role"))
    units = {unit_id for unit_id, role in rows if role in STATS_ROLES}
    down = {unit_id for unit_id, role in rows if role in SCOPE_DOWN_ROLES}
    if down:
        units |= unit_descendant_ids(down)
    return units


@dataclass
class StatsQuery:
    unit_ids: list[int]
    start: dt.date
    end: dt.date
    group: str = "procedure"
    procedure_id: int | None = None
    field_id: int | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise DomainError("invalid_date", f"Ngày không hợp lệ: “{value}” (nhập dd/mm/yyyy).")


def _int_or_none(value: Any, what: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DomainError("invalid_filter", f"{what} không hợp lệ.") from None


def stats_query(
    *,
    user: Any,
    unit: Any = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    group: str | None = None,
    procedure: Any = None,
    field: Any = None,
    default_unit: int | None = None,
) -> StatsQuery:
    """Check the filters and the user's right to them; raise DomainError/PermissionDenied."""
    allowed = stats_unit_ids(user)
    if not allowed:
        raise PermissionDenied("Bạn không có quyền xem thống kê hồ sơ thủ tục hành chính.")
    unit_id = _int_or_none(unit, "Cơ quan")
    if unit_id is not None:
        if unit_id not in allowed:
            raise PermissionDenied("Bạn không có quyền xem cơ quan này.")
        unit_ids = [unit_id]
    elif default_unit is not None and default_unit in allowed:
        unit_ids = [default_unit]
    else:
        unit_ids = sorted(allowed)
    today = timezone.localdate()
    start_d = start if isinstance(start, dt.date) else parse_date(start)
    end_d = end if isinstance(end, dt.date) else parse_date(end)
    if start_d is None:
        start_d = dt.date(today.year, 1, 1)
    if end_d is None:
        end_d = today
    if end_d < start_d:
        raise DomainError("invalid_period", "Ngày kết thúc phải sau ngày bắt đầu.")
    if (end_d - start_d).days > MAX_PERIOD_DAYS:
        raise DomainError("invalid_period", "Kỳ thống kê dài tối đa 10 năm.")
    group = group or "procedure"
    if group not in GROUPS:
        raise DomainError("invalid_group", "Cách nhóm số liệu không hợp lệ.")
    return StatsQuery(
        unit_ids=unit_ids,
        start=start_d,
        end=end_d,
        group=group,
        procedure_id=_int_or_none(procedure, "Thủ tục"),
        field_id=_int_or_none(field, "Lĩnh vực"),
    )


@dataclass
class StatsRow:
    key: Any
    label: str
    received_desk: int = 0
    received_online: int = 0
    received_post: int = 0
    refused: int = 0
    digitised: int = 0
    reused: int = 0
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    resolved_hours: Decimal = Decimal(0)
    resolved_electronic: int = 0
    rated_very_satisfied: int = 0
    rated_satisfied: int = 0
    rated_dissatisfied: int = 0
    pending: int | None = None
    overdue: int | None = None

    @property
    def received(self) -> int:
        return self.received_desk + self.received_online + self.received_post

    @property
    def resolved(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def in_time(self) -> int:
        return self.resolved_early + self.resolved_on_time

    @property
    def ratings(self) -> int:
        return self.rated_very_satisfied + self.rated_satisfied + self.rated_dissatisfied

    @property
    def satisfied(self) -> int:
        return self.rated_very_satisfied + self.rated_satisfied

    @property
    def average_hours(self) -> Decimal | None:
        if not self.resolved:
            return None
        return (self.resolved_hours / self.resolved).quantize(Decimal("0.1"))

    @property
    def average_days(self) -> Decimal | None:
        hours = self.average_hours
        if hours is None:
            return None
        per_day = Decimal(getattr(settings, "ONESTOP_HOURS_PER_DAY", 8))
        return (hours / per_day).quantize(Decimal("0.1"))

    @property
    def in_time_share(self) -> Decimal | None:
        return scoring.ratio(self.in_time, self.resolved)

    @property
    def online_share(self) -> Decimal | None:
        return scoring.ratio(self.received_online, self.received)

    @property
    def digitised_share(self) -> Decimal | None:
        return scoring.ratio(self.digitised, self.received)

    @property
    def satisfaction_share(self) -> Decimal | None:
        return scoring.ratio(self.satisfied, self.ratings)

    def add(self, values: dict[str, Any]) -> None:
        for name in summary.count_fields():
            setattr(self, name, getattr(self, name) + int(values.get(name) or 0))
        self.resolved_hours += Decimal(values.get("resolved_hours") or 0)

    def as_dict(self) -> dict[str, Any]:
        def pct(value: Decimal | None) -> float | None:
            return None if value is None else float(round(value * 100, 2))

        return {
            "key": self.key,
            "label": self.label,
            "received": self.received,
            "received_desk": self.received_desk,
            "received_online": self.received_online,
            "received_post": self.received_post,
            "refused": self.refused,
            "resolved": self.resolved,
            "resolved_early": self.resolved_early,
            "resolved_on_time": self.resolved_on_time,
            "resolved_late": self.resolved_late,
            "pending_now": self.pending,
            "overdue_now": self.overdue,
            "average_working_hours": None
            if self.average_hours is None
            else float(self.average_hours),
            "in_time_percent": pct(self.in_time_share),
            "online_percent": pct(self.online_share),
            "digitised_percent": pct(self.digitised_share),
            "electronic_results": self.resolved_electronic,
            "ratings": self.ratings,
            "rated_very_satisfied": self.rated_very_satisfied,
            "rated_satisfied": self.rated_satisfied,
            "rated_dissatisfied": self.rated_dissatisfied,
            "satisfaction_percent": pct(self.satisfaction_share),
        }


@dataclass
class StatsReport:
    query: StatsQuery
    rows: list[StatsRow]
    total: StatsRow
    scores: list[scoring.Score]
    refreshed_at: dt.datetime | None
    units: list[AdminUnit] = field(default_factory=list)
    now: dt.datetime = field(default_factory=timezone.now)

    @property
    def score_total(self) -> Decimal:
        return sum((s.points or Decimal(0) for s in self.scores), Decimal(0))

    @property
    def score_max(self) -> Decimal:
        return sum((s.max_points for s in self.scores), Decimal(0))


_GROUP_COLUMN = {"procedure": "procedure_id", "field": "field_id", "unit": "unit_id"}


def _labels(group: str, keys: set[Any]) -> dict[Any, str]:
    if group == "procedure":
        return {p.id: f"{p.name}" for p in Procedure.objects.filter(id__in=keys).only("id", "name")}
    if group == "field":
        return dict(ProcedureField.objects.filter(id__in=keys).values_list("id", "name"))
    if group == "unit":
        return dict(AdminUnit.objects.filter(id__in=keys).values_list("id", "name"))
    return {k: f"{k:%m/%Y}" for k in keys}


def statistics(query: StatsQuery, *, refresh: bool = True) -> StatsReport:
    """Compute the report (refreshing the summary first, bounded; see ``summary.refresh``)."""
    if refresh:
        summary.refresh()
    live = Dossier.objects.filter(unit_id__in=query.unit_ids, status__in=PENDING_STATUSES)
    if query.procedure_id:
        live = live.filter(procedure_id=query.procedure_id)
    if query.field_id:
        live = live.filter(field_id=query.field_id)
    data = _period_rows(query)
    now = timezone.now()
    pending_counts = {
        "pending": Count("id"),
        "overdue": Count("id", filter=Q(status__in=RUNNING_STATUSES, due_at__lt=now)),
    }
    live_rows: dict[Any, dict[str, int]] = {}
    if query.group == "month":
        live_total = live.aggregate(**pending_counts)
    else:
        column = _GROUP_COLUMN[query.group]
        for r in live.values(g=F(column)).annotate(**pending_counts).order_by():
            live_rows[r["g"]] = r
        live_total = {
            "pending": sum(r["pending"] for r in live_rows.values()),
            "overdue": sum(r["overdue"] for r in live_rows.values()),
        }
    keys = {r["g"] for r in data} | set(live_rows)
    labels = _labels(query.group, keys)
    rows: dict[Any, StatsRow] = {}
    total = StatsRow(key=None, label="Tổng cộng")
    for r in data:
        key = r["g"]
        row = rows.setdefault(key, StatsRow(key=key, label=labels.get(key, str(key))))
        row.add(r)
        total.add(r)
    for key, r in live_rows.items():
        row = rows.setdefault(key, StatsRow(key=key, label=labels.get(key, str(key))))
        row.pending, row.overdue = r["pending"], r["overdue"]
    if query.group != "month":
        for row in rows.values():
            row.pending = row.pending or 0
            row.overdue = row.overdue or 0
    total.pending, total.overdue = live_total["pending"], live_total["overdue"]
    ordered = sorted(
        rows.values(),
        key=(lambda r: r.key) if query.group == "month" else (lambda r: (-r.received, r.label)),
    )
    scores = _scores(query, total)
    return StatsReport(
        query=query,
        rows=ordered,
        total=total,
        scores=scores,
        refreshed_at=summary.refreshed_at(),
        units=list(AdminUnit.objects.filter(id__in=query.unit_ids).order_by("name")[:50]),
        now=now,
    )


def _split(start: dt.date, end: dt.date) -> tuple[list[tuple[dt.date, dt.date]], Any]:
    """The period as whole months (read from ``MonthlyStat``) and edge days (``DailyStat``)."""
    first_full = start if start.day == 1 else (start.replace(day=1) + dt.timedelta(days=32))
    first_full = first_full.replace(day=1)
    after_end = end + dt.timedelta(days=1)
    last_full_end = end if after_end.day == 1 else end.replace(day=1) - dt.timedelta(days=1)
    if first_full > last_full_end:
        return [(start, end)], None
    days = []
    if start < first_full:
        days.append((start, first_full - dt.timedelta(days=1)))
    if last_full_end < end:
        days.append((last_full_end + dt.timedelta(days=1), end))
    return days, (first_full, last_full_end.replace(day=1))


def _filtered(qs: Any, query: StatsQuery) -> Any:
    qs = qs.filter(unit_id__in=query.unit_ids)
    if query.procedure_id:
        qs = qs.filter(procedure_id=query.procedure_id)
    if query.field_id:
        qs = qs.filter(field_id=query.field_id)
    return qs


def _period_parts(query: StatsQuery) -> list[Any]:
    days, months = _split(query.start, query.end)
    parts = []
    if months is not None:
        parts.append(
            _filtered(MonthlyStat.objects, query).filter(month__gte=months[0], month__lte=months[1])
        )
    if days:
        cond = Q()
        for a, b in days:
            cond |= Q(day__gte=a, day__lte=b)
        parts.append(_filtered(DailyStat.objects, query).filter(cond))
    return parts


def _period_rows(query: StatsQuery) -> list[dict[str, Any]]:
    """Sums per group key over the period (one query per table part, at most two)."""
    sums = {name: Sum(name) for name in (*summary.count_fields(), "resolved_hours")}
    merged: dict[Any, dict[str, Any]] = {}
    for part in _period_parts(query):
        if query.group == "month":
            column = "month" if part.model is MonthlyStat else "day"
        else:
            column = _GROUP_COLUMN[query.group]
        for r in part.values(g=F(column)).annotate(**sums).order_by():
            key = r.pop("g")
            if query.group == "month":
                key = key.replace(day=1)
            acc = merged.setdefault(key, {"g": key})
            for name, value in r.items():
                acc[name] = acc.get(name, 0) + (value or 0)
    return [merged[k] for k in sorted(merged, key=lambda k: (k is None, k))]


def _scores(query: StatsQuery, total: StatsRow) -> list[scoring.Score]:
    procedures = Procedure.objects.filter(is_active=True)
    if query.procedure_id:
        procedures = procedures.filter(id=query.procedure_id)
    if query.field_id:
        procedures = procedures.filter(field_id=query.field_id)
    counts = procedures.aggregate(
        all=Count("id"),
        online=Count("id", filter=~Q(online_level=OnlineLevel.NONE)),
    )
    used_ids: set[int] = set()
    for part in _period_parts(query):
        used_ids |= set(
            part.filter(received_online__gt=0)
            .exclude(procedure__online_level=OnlineLevel.NONE)
            .values_list("procedure_id", flat=True)
            .distinct()
        )
    used = len(used_ids)
    return [
        scoring.timeliness_score(total.in_time, total.resolved),
        *scoring.online_score(
            online_procedures=counts["online"],
            procedures=counts["all"],
            online_procedures_used=used,
            online_dossiers=total.received_online,
            received=total.received,
        ),
        scoring.satisfaction_score(total.satisfied, total.ratings),
        *scoring.digitisation_scores(
            electronic=total.resolved_electronic,
            resolved=total.resolved,
            digitised=total.digitised,
            reused=total.reused,
            received=total.received,
        ),
    ]


__all__ = ["Channel", "StatsQuery", "StatsReport", "StatsRow", "statistics", "stats_query"]
