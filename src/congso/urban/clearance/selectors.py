"""Reading site clearance: visible projects, per-project and portfolio figures, the timeline,
the map layer (``map_features``) and the dashboard figures (``dashboard_figures``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from congso.kernel.people.rules import is_staff_member
from congso.kernel.people.selectors import visible_unit_ids
from congso.urban import geo
from congso.urban.clearance.models import (
    STEP_DATE_FIELDS,
    AffectedParty,
    ClearanceEvent,
    ClearanceProject,
    ProjectStatus,
    Step,
)

ZERO = Decimal(0)


def projects_visible(user: Any) -> QuerySet[ClearanceProject]:
    if not is_staff_member(user):
        return ClearanceProject.objects.none()
    return ClearanceProject.objects.filter(unit_id__in=visible_unit_ids(user))


def with_progress(qs: QuerySet[ClearanceProject]) -> QuerySet[ClearanceProject]:
    """Annotate party counts, handed-over households and m², money paid (one query)."""
    handed = Q(parties__step=Step.HANDED_OVER)
    return qs.annotate(
        n_parties=Count("parties"),
        n_handed=Count("parties", filter=handed),
        m2_parties=Sum("parties__area_m2"),
        m2_handed=Sum("parties__area_m2", filter=handed),
        vnd_paid=Sum("parties__paid_amount"),
        n_obstacles=Count(
            "parties__obstacles",
            filter=Q(parties__obstacles__resolved_on__isnull=True),
            distinct=True,
        ),
    )


@dataclass(frozen=True)
class ProjectFilters:
    q: str = ""
    status: str = ""
    unit: int | None = None
    year_from: int | None = None
    year_to: int | None = None


def project_list(user: Any, filters: ProjectFilters | None = None) -> QuerySet[ClearanceProject]:
    f = filters or ProjectFilters()
    qs = projects_visible(user).select_related("unit")
    if f.q:
        qs = qs.filter(
            Q(name__icontains=f.q)
            | Q(code__icontains=f.q)
            | Q(investor__icontains=f.q)
            | Q(address__icontains=f.q)
        )
    if f.status in ProjectStatus.values:
        qs = qs.filter(status=f.status)
    if f.unit:
        qs = qs.filter(unit_id=f.unit)
    if f.year_from:
        qs = qs.filter(start_date__year__gte=f.year_from)
    if f.year_to:
        qs = qs.filter(start_date__year__lte=f.year_to)
    return with_progress(qs).order_by("-start_date", "-pk")


def parties_with_obstacles(project: ClearanceProject) -> QuerySet[AffectedParty]:
    """The project's parties with ``n_open`` = their open obstacles (one query)."""
    return AffectedParty.objects.filter(project=project).annotate(
        n_open=Count("obstacles", filter=Q(obstacles__resolved_on__isnull=True))
    )


def percent(part: Decimal | int | None, whole: Decimal | int | None) -> float:
    if not whole:
        return 0.0
    return round(float(part or 0) * 100 / float(whole), 1)


# --- per project ------------------------------------------------------------------------------


@dataclass
class StepTime:
    step: int
    label: str
    count: int
    average_days: float | None


@dataclass
class Progress:
    parties: int = 0
    households: int = 0
    organisations: int = 0
    handed_over: int = 0
    area_m2: Decimal = ZERO
    area_handed_m2: Decimal = ZERO
    approved_vnd: Decimal = ZERO
    paid_vnd: Decimal = ZERO
    paid_parties: int = 0
    forced_inventory: int = 0
    forced_recovery: int = 0
    open_obstacles: int = 0
    by_step: dict[int, int] = field(default_factory=dict)
    step_times: list[StepTime] = field(default_factory=list)

    @property
    def percent_parties(self) -> float:
        return percent(self.handed_over, self.parties)

    @property
    def percent_area(self) -> float:
        return percent(self.area_handed_m2, self.area_m2)

    @property
    def steps(self) -> list[tuple[int, str, int]]:
        """(step, label, parties that reached it) for the progress table."""
        reached = 0
        out: list[tuple[int, str, int]] = []
        for step in reversed(Step):
            reached += self.by_step.get(step.value, 0)
            out.append((step.value, step.label, reached))
        return list(reversed(out))

    def as_dict(self) -> dict[str, Any]:
        return {
            "parties": self.parties,
            "households": self.households,
            "organisations": self.organisations,
            "handed_over": self.handed_over,
            "percent_parties": self.percent_parties,
            "area_m2": str(self.area_m2),
            "area_handed_m2": str(self.area_handed_m2),
            "percent_area": self.percent_area,
            "approved_vnd": str(self.approved_vnd),
            "paid_vnd": str(self.paid_vnd),
            "paid_parties": self.paid_parties,
            "forced_inventory": self.forced_inventory,
            "forced_recovery": self.forced_recovery,
            "open_obstacles": self.open_obstacles,
            "reached": {str(step): n for step, _label, n in self.steps},
            "step_days": [
                {
                    "step": t.step,
                    "label": t.label,
                    "count": t.count,
                    "average_days": t.average_days,
                }
                for t in self.step_times
            ],
        }


_DATE_FIELDS = [STEP_DATE_FIELDS[s] for s in sorted(STEP_DATE_FIELDS)]


def progress(parties: QuerySet[AffectedParty]) -> Progress:
    """Figures over ``parties`` (aggregate queries plus one pass over the step dates)."""
    handed = Q(step=Step.HANDED_OVER)
    row = parties.aggregate(
        n=Count("pk"),
        households=Count("pk", filter=Q(kind="household")),
        handed=Count("pk", filter=handed),
        area=Sum("area_m2"),
        area_handed=Sum("area_m2", filter=handed),
        approved=Sum("approved_amount"),
        paid=Sum("paid_amount"),
        paid_n=Count("pk", filter=Q(paid_on__isnull=False)),
        forced_inventory=Count("pk", filter=Q(forced_inventory=True)),
        forced_recovery=Count("pk", filter=Q(forced_recovery=True)),
    )
    result = Progress(
        parties=row["n"],
        households=row["households"],
        organisations=row["n"] - row["households"],
        handed_over=row["handed"],
        area_m2=row["area"] or ZERO,
        area_handed_m2=row["area_handed"] or ZERO,
        approved_vnd=row["approved"] or ZERO,
        paid_vnd=row["paid"] or ZERO,
        paid_parties=row["paid_n"],
        forced_inventory=row["forced_inventory"],
        forced_recovery=row["forced_recovery"],
    )
    result.open_obstacles = (
        parties.filter(obstacles__resolved_on__isnull=True).values("pk").distinct().count()
    )
    result.by_step = dict(
        parties.order_by().values_list("step").annotate(n=Count("pk")).values_list("step", "n")
    )
    # Time per step: days from the previous step's date to this step's date.
    totals = {s: [0, 0] for s in STEP_DATE_FIELDS if s != Step.NOTIFIED}
    for dates in parties.order_by().values_list(*_DATE_FIELDS).iterator(chunk_size=2000):
        for i in range(1, len(dates)):
            before, after = dates[i - 1], dates[i]
            if before is not None and after is not None:
                bucket = totals[i + 1]
                bucket[0] += (after - before).days
                bucket[1] += 1
    result.step_times = [
        StepTime(
            step=s,
            label=Step(s).label,
            count=totals[s][1],
            average_days=round(totals[s][0] / totals[s][1], 1) if totals[s][1] else None,
        )
        for s in sorted(totals)
    ]
    return result


def project_progress(project: ClearanceProject) -> Progress:
    return progress(AffectedParty.objects.filter(project=project))


def project_timeline(project: ClearanceProject, *, limit: int = 200) -> list[ClearanceEvent]:
    return list(
        ClearanceEvent.objects.filter(project=project)
        .select_related("party", "actor")
        .order_by("-on", "-pk")[:limit]
    )


def payment_overdue(party: AffectedParty, today: dt.date | None = None) -> bool:
    """Approved, decided or not, unpaid past the payment period (setting)."""
    from congso.urban.clearance.services import payment_days

    if party.plan_approved_on is None or party.paid_on is not None:
        return False
    if party.step >= Step.PAID:
        return False
    today = today or timezone.localdate()
    return today > party.plan_approved_on + dt.timedelta(days=payment_days())


# --- portfolio --------------------------------------------------------------------------------


@dataclass
class Portfolio:
    start: dt.date
    end: dt.date
    projects: int
    completed: int
    in_progress: int
    suspended: int
    overdue: int
    progress: Progress
    by_year: list[dict[str, Any]]

    @property
    def percent_completed(self) -> float:
        return percent(self.completed, self.projects)

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "projects": self.projects,
            "completed": self.completed,
            "percent_completed": self.percent_completed,
            "in_progress": self.in_progress,
            "suspended": self.suspended,
            "overdue": self.overdue,
            "progress": self.progress.as_dict(),
            "by_year": self.by_year,
        }


def active_in_period(
    qs: QuerySet[ClearanceProject], start: dt.date, end: dt.date
) -> QuerySet[ClearanceProject]:
    """Projects under way at some time in [start, end]: started by ``end``, not completed before
    ``start``, not cancelled."""
    return (
        qs.filter(start_date__lte=end)
        .exclude(status=ProjectStatus.CANCELLED)
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gte=start))
    )


def portfolio(unit_ids: Iterable[int], start: dt.date, end: dt.date) -> Portfolio:
    """The clearance portfolio of ``unit_ids`` over [start, end]."""
    qs = active_in_period(ClearanceProject.objects.filter(unit_id__in=list(unit_ids)), start, end)
    today = timezone.localdate()
    completed_q = Q(completed_on__gte=start, completed_on__lte=end)
    row = qs.aggregate(
        n=Count("pk"),
        completed=Count("pk", filter=completed_q),
        suspended=Count("pk", filter=Q(status=ProjectStatus.SUSPENDED)),
        overdue=Count(
            "pk",
            filter=Q(target_date__lt=min(today, end))
            & (Q(completed_on__isnull=True) | Q(completed_on__gt=min(today, end))),
        ),
    )
    by_year = list(
        qs.order_by()
        .values_list("start_date__year")
        .annotate(n=Count("pk"), done=Count("pk", filter=completed_q))
        .order_by("start_date__year")
    )
    return Portfolio(
        start=start,
        end=end,
        projects=row["n"],
        completed=row["completed"],
        in_progress=row["n"] - row["completed"],
        suspended=row["suspended"],
        overdue=row["overdue"],
        progress=progress(AffectedParty.objects.filter(project__in=qs)),
        by_year=[{"year": y, "projects": n, "completed": d} for y, n, d in by_year],
    )


# --- the map and the dashboard (contracts with congso.urban.overview_api) -------------------


def map_features(
    *,
    user: Any,
    bbox: tuple[float, float, float, float] | None,
    filters: dict[str, str],
    limit: int = 2000,
) -> list[dict[str, Any]]:
    """Projects with a location as GeoJSON point features (layer ``project``)."""
    from congso.urban.clearance.services import project_url

    qs = projects_visible(user).filter(lat__isnull=False, lon__isnull=False)
    qs = qs.filter(geo.bbox_q(bbox))
    status = filters.get("status", "")
    if status in ProjectStatus.values:
        qs = qs.filter(status=status)
    today = timezone.localdate()
    overdue_q = Q(
        target_date__lt=today,
        status__in=[ProjectStatus.IN_PROGRESS, ProjectStatus.PLANNING, ProjectStatus.SUSPENDED],
    )
    if filters.get("overdue") in ("1", "true", "on"):
        qs = qs.filter(overdue_q)
    category = filters.get("category", "")
    if category and category != "project":
        return []
    rows = qs.order_by("-start_date", "-pk").values_list(
        "pk", "code", "name", "status", "lat", "lon", "target_date"
    )[:limit]
    labels = dict(ProjectStatus.choices)
    open_statuses = {ProjectStatus.PLANNING, ProjectStatus.IN_PROGRESS, ProjectStatus.SUSPENDED}
    return [
        geo.map_feature(
            layer="project",
            id=pk,
            lat=lat,
            lon=lon,
            title=f"{code} {name}",
            status=st,
            status_label=str(labels.get(st, st)),
            category="Giải phóng mặt bằng",
            overdue=bool(target and target < today and st in open_statuses),
            url=project_url(pk),
        )
        for pk, code, name, st, lat, lon, target in rows
    ]


def dashboard_figures(*, unit_ids: set[int], start: dt.date, end: dt.date) -> dict[str, Any]:
    """Clearance progress of ``unit_ids`` over [start, end] (aggregate queries only)."""
    p = portfolio(unit_ids, start, end)
    return {
        "projects": p.projects,
        "projects_completed": p.completed,
        "projects_completed_rate": {
            "value": p.percent_completed,
            "label": "Tỷ lệ dự án hoàn thành GPMB (%)",
        },
        "projects_overdue": p.overdue,
        "parties": p.progress.parties,
        "parties_handed_over": p.progress.handed_over,
        "area_m2": float(p.progress.area_m2),
        "area_handed_m2": float(p.progress.area_handed_m2),
        "handed_over_rate": {
            "value": p.progress.percent_area,
            "label": "Tỷ lệ diện tích đã bàn giao (%)",
        },
        "paid_vnd": int(p.progress.paid_vnd),
        "open_obstacles": p.progress.open_obstacles,
    }
