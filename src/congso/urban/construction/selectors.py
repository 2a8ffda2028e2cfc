"""Reads of construction order, scoped by the user's units (``rules.construction_unit_ids``).

"Controlled" (công trình được kiểm soát) has no legal definition (vietnam-rules §7); it is the
setting ``URBAN_CONSTRUCTION_CONTROL_RULE``:

- ``inspected_and_no_overdue`` (default): inspected at least
  ``URBAN_CONSTRUCTION_CONTROL_MIN_INSPECTIONS`` (default 1) times in the period, and no
  violation open past its remedy deadline at the end of the period (or today, if earlier);
- ``inspected``: only the inspections;
- ``no_overdue``: only the absence of an overdue violation.

The works counted in a period: registered by its end and not completed before its start.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils import timezone

from congso.kernel.errors import DomainError, NotFound
from congso.urban.construction import rules
from congso.urban.construction.models import (
    Inspection,
    InspectionPhoto,
    InspectionStatus,
    PermitStatus,
    TimelineEntry,
    Violation,
    ViolationCategory,
    ViolationStatus,
    Work,
    WorkStatus,
)

BBox = tuple[float, float, float, float]  # (min_lat, min_lon, max_lat, max_lon)
CONTROL_RULES = ("inspected_and_no_overdue", "inspected", "no_overdue")


def _today() -> dt.date:
    return timezone.localdate()


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise DomainError("period_invalid", "Kỳ báo cáo không hợp lệ.")
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- overdue and controlled ------------------------------------------------------------------


def overdue_violation_q(as_of: dt.date, prefix: str = "") -> Q:
    """Violations open on ``as_of`` with their deadline before it."""
    p = prefix
    return Q(**{f"{p}record_date__lte": as_of, f"{p}remedy_deadline__lt": as_of}) & (
        Q(**{f"{p}closed_on__isnull": True}) | Q(**{f"{p}closed_on__gt": as_of})
    )


def open_violations(unit_ids: Iterable[int]) -> QuerySet[Violation]:
    return Violation.objects.filter(unit_id__in=list(unit_ids)).exclude(
        status=ViolationStatus.CLOSED
    )


def overdue_violations(
    unit_ids: Iterable[int], *, today: dt.date | None = None
) -> QuerySet[Violation]:
    day = today or _today()
    return open_violations(unit_ids).filter(remedy_deadline__lt=day)


def _control_rule() -> str:
    rule = str(getattr(settings, "URBAN_CONSTRUCTION_CONTROL_RULE", "inspected_and_no_overdue"))
    return rule if rule in CONTROL_RULES else "inspected_and_no_overdue"


def works_in_period(unit_ids: Iterable[int], start: dt.date, end: dt.date) -> QuerySet[Work]:
    """Registered by the end of the period, not completed before its start (``completed_on`` is
    set exactly when a work is completed). For a period reaching today every work is registered
    by its end, and the filter is covered by the ``(unit, completed_on)`` index."""
    qs = Work.objects.filter(
        Q(completed_on__isnull=True) | Q(completed_on__gte=start), unit_id__in=list(unit_ids)
    )
    if end < _today():
        qs = qs.filter(created_at__lt=_start_of(end + dt.timedelta(days=1)))
    return qs


def _fast_path(end: dt.date) -> bool:
    """A period reaching today with the one-inspection rule reads the kept flags of ``Work``
    (``last_inspected_on``, ``open_deadline``): one indexed count."""
    minimum = max(1, int(getattr(settings, "URBAN_CONSTRUCTION_CONTROL_MIN_INSPECTIONS", 1)))
    return end >= _today() and minimum == 1


def controlled_q(start: dt.date, end: dt.date) -> Q:
    """A filter on ``Work`` for "controlled in [start, end]" (see the module docstring)."""
    as_of = min(end, _today())
    minimum = max(1, int(getattr(settings, "URBAN_CONSTRUCTION_CONTROL_MIN_INSPECTIONS", 1)))
    rule = _control_rule()
    q = Q()
    if _fast_path(end):
        if rule in ("inspected_and_no_overdue", "inspected"):
            q &= Q(last_inspected_on__gte=start)
        if rule in ("inspected_and_no_overdue", "no_overdue"):
            q &= Q(open_deadline__isnull=True) | Q(open_deadline__gte=as_of)
        return q
    if rule in ("inspected_and_no_overdue", "inspected"):
        inspections = Inspection.objects.filter(
            work=OuterRef("pk"),
            status=InspectionStatus.DONE,
            inspected_on__gte=start,
            inspected_on__lte=end,
        )
        if minimum == 1:
            q &= Q(Exists(inspections))
        else:
            enough = (
                Inspection.objects.filter(
                    status=InspectionStatus.DONE, inspected_on__gte=start, inspected_on__lte=end
                )
                .order_by()
                .values("work")
                .annotate(n=Count("pk"))
                .filter(n__gte=minimum)
                .values("work")
            )
            q &= Q(pk__in=Subquery(enough))
    if rule in ("inspected_and_no_overdue", "no_overdue"):
        late = Violation.objects.filter(overdue_violation_q(as_of), work=OuterRef("pk"))
        q &= ~Q(Exists(late))
    return q


def _period_inspections(ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Inspection]:
    """Done inspections in [start, end] of works counted in the period."""
    return Inspection.objects.filter(
        unit_id__in=ids,
        status=InspectionStatus.DONE,
        inspected_on__gte=start,
        inspected_on__lte=end,
        work__created_at__lt=_start_of(end + dt.timedelta(days=1)),
    ).exclude(work__status=WorkStatus.COMPLETED, work__completed_on__lt=start)


def controlled_counts(unit_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, int]:
    """Controlled works per unit in [start, end], as set arithmetic driven by the period's
    inspections and the overdue violations (no per-work subquery over the whole register):
    inspected − (inspected ∩ overdue), or works − overdue for the ``no_overdue`` rule."""
    ids = sorted(set(unit_ids))
    if _fast_path(end):
        found = dict(
            works_in_period(ids, start, end)
            .filter(controlled_q(start, end))
            .order_by()
            .values("unit_id")
            .annotate(n=Count("pk"))
            .values_list("unit_id", "n")
        )
        return {uid: found.get(uid, 0) for uid in ids}
    as_of = min(end, _today())
    rule = _control_rule()
    minimum = max(1, int(getattr(settings, "URBAN_CONSTRUCTION_CONTROL_MIN_INSPECTIONS", 1)))
    inspections = _period_inspections(ids, start, end)
    overdue = (
        Violation.objects.filter(overdue_violation_q(as_of), unit_id__in=ids)
        .filter(work__created_at__lt=_start_of(end + dt.timedelta(days=1)))
        .exclude(work__status=WorkStatus.COMPLETED, work__completed_on__lt=start)
    )
    if rule == "no_overdue":
        totals = dict(
            works_in_period(ids, start, end)
            .order_by()
            .values("unit_id")
            .annotate(n=Count("pk"))
            .values_list("unit_id", "n")
        )
        late = dict(
            overdue.order_by()
            .values("unit_id")
            .annotate(n=Count("work_id", distinct=True))
            .values_list("unit_id", "n")
        )
        return {uid: totals.get(uid, 0) - late.get(uid, 0) for uid in ids}
    if minimum == 1:
        inspected = dict(
            inspections.order_by()
            .values("unit_id")
            .annotate(n=Count("work_id", distinct=True))
            .values_list("unit_id", "n")
        )
        enough: QuerySet[Any] = inspections.filter(work=OuterRef("work"))
    else:
        counted = (
            inspections.order_by()
            .values("unit_id", "work_id")
            .annotate(c=Count("pk"))
            .filter(c__gte=minimum)
        )
        inspected = {}
        for row in counted.values_list("unit_id", flat=True):
            inspected[row] = inspected.get(row, 0) + 1
        enough = (
            _period_inspections(ids, start, end)
            .filter(work=OuterRef("work"))
            .order_by()
            .values("work")
            .annotate(c=Count("pk"))
            .filter(c__gte=minimum)
        )
    if rule == "inspected":
        return {uid: inspected.get(uid, 0) for uid in ids}
    both = dict(
        overdue.filter(Exists(enough))
        .order_by()
        .values("unit_id")
        .annotate(n=Count("work_id", distinct=True))
        .values_list("unit_id", "n")
    )
    return {uid: inspected.get(uid, 0) - both.get(uid, 0) for uid in ids}


@dataclass(frozen=True)
class ControlRate:
    unit_id: int | None
    unit_name: str
    works: int
    controlled: int

    @property
    def rate(self) -> Decimal | None:
        if not self.works:
            return None
        return (Decimal(self.controlled) * 100 / Decimal(self.works)).quantize(Decimal("0.1"))


def control_rates(unit_ids: Iterable[int], start: dt.date, end: dt.date) -> list[ControlRate]:
    """The construction control rate per ward for the period (aggregate queries only)."""
    from congso.kernel.orgunits.models import AdminUnit

    ids = sorted(set(unit_ids))
    base = works_in_period(ids, start, end)
    totals = dict(
        base.order_by().values("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n")
    )
    controlled = controlled_counts(ids, start, end)
    names = dict(AdminUnit.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [
        ControlRate(
            unit_id=uid,
            unit_name=names[uid],
            works=totals.get(uid, 0),
            controlled=controlled.get(uid, 0),
        )
        for uid in ids
        if uid in names and (totals.get(uid) or len(ids) <= 10)
    ]


# --- the register ----------------------------------------------------------------------------


def works_visible(user: Any) -> QuerySet[Work]:
    return Work.objects.filter(unit_id__in=rules.construction_unit_ids(user))


def work_list(user: Any, *, filters: dict[str, Any]) -> QuerySet[Work]:
    """The register with the columns the list shows (one query), filtered.

    Filters: ``q`` (address, owner, code, permit number), ``status``, ``permit``
    (licensed/exempt/none/unknown or ``with``/``without``), ``controlled`` (yes/no, this
    month), ``overdue`` (true), ``unit`` (id).
    """
    today = _today()
    qs = works_visible(user).select_related("unit")
    if filters.get("unit"):
        qs = qs.filter(unit_id=filters["unit"])
    text = str(filters.get("q") or "").strip()
    if text:
        qs = qs.filter(
            Q(address__icontains=text)
            | Q(owner_name__icontains=text)
            | Q(code__icontains=text)
            | Q(permit_number__icontains=text)
            | Q(name__icontains=text)
        )
    status = filters.get("status")
    if status in WorkStatus.values:
        qs = qs.filter(status=status)
    permit = filters.get("permit")
    if permit in PermitStatus.values:
        qs = qs.filter(permit_status=permit)
    elif permit == "with":
        qs = qs.filter(permit_status__in=[PermitStatus.LICENSED, PermitStatus.EXEMPT])
    elif permit == "without":
        qs = qs.filter(permit_status__in=[PermitStatus.NONE, PermitStatus.UNKNOWN])
    start, end = month_bounds(today.year, today.month)
    controlled = filters.get("controlled")
    if controlled == "yes":
        qs = qs.filter(controlled_q(start, end))
    elif controlled == "no":
        qs = qs.exclude(controlled_q(start, end))
    open_rows = Violation.objects.filter(work=OuterRef("pk")).exclude(status=ViolationStatus.CLOSED)
    if filters.get("overdue"):
        qs = qs.filter(open_deadline__lt=today)
    return qs.annotate(
        open_violations=Subquery(
            open_rows.order_by().values("work").annotate(n=Count("pk")).values("n")[:1]
        ),
    ).order_by("-created_at", "-id")


def work_get(user: Any, pk: int) -> Work:
    work = works_visible(user).select_related("unit", "created_by").filter(pk=pk).first()
    if work is None:
        raise NotFound("Không tìm thấy công trình.")
    return work


def work_inspections(work: Work) -> list[Inspection]:
    inspections = list(
        work.inspections.select_related("inspector").order_by("-inspected_on", "-planned_on", "-id")
    )
    photos: dict[int, list[InspectionPhoto]] = {}
    for photo in (
        InspectionPhoto.objects.filter(inspection__work=work).select_related("file").order_by("id")
    ):
        photos.setdefault(photo.inspection_id, []).append(photo)
    for inspection in inspections:
        inspection.photo_list = photos.get(inspection.pk, [])  # type: ignore[attr-defined]
    return inspections


def work_violations(work: Work) -> list[Violation]:
    return list(work.violations.select_related("recorded_by").order_by("-record_date", "-id"))


def work_timeline(work: Work) -> list[TimelineEntry]:
    return list(work.timeline.select_related("actor").order_by("day", "id"))


def violation_get(user: Any, pk: int) -> Violation:
    row = (
        Violation.objects.filter(unit_id__in=rules.construction_unit_ids(user), pk=pk)
        .select_related("work", "unit", "recorded_by", "inspection")
        .first()
    )
    if row is None:
        raise NotFound("Không tìm thấy vi phạm.")
    return row


def violation_list(user: Any, *, filters: dict[str, Any]) -> QuerySet[Violation]:
    qs = Violation.objects.filter(unit_id__in=rules.construction_unit_ids(user)).select_related(
        "work", "unit"
    )
    if filters.get("status") in ViolationStatus.values:
        qs = qs.filter(status=filters["status"])
    if filters.get("category") in ViolationCategory.values:
        qs = qs.filter(category=filters["category"])
    if filters.get("overdue"):
        qs = qs.exclude(status=ViolationStatus.CLOSED).filter(remedy_deadline__lt=_today())
    if filters.get("work"):
        qs = qs.filter(work_id=filters["work"])
    return qs.order_by("-record_date", "-id")


# --- the monthly report ----------------------------------------------------------------------


def monthly_report(unit_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[str, Any]:
    """The §7 counts of the monthly construction-order report (aggregate queries only)."""
    ids = list(unit_ids)
    as_of = min(end, _today())
    works = works_in_period(ids, start, end)
    by_permit = dict(
        works.order_by()
        .values("permit_status")
        .annotate(n=Count("pk"))
        .values_list("permit_status", "n")
    )
    active = works.exclude(status=WorkStatus.COMPLETED).count()
    inspected = (
        Inspection.objects.filter(
            unit_id__in=ids,
            status=InspectionStatus.DONE,
            inspected_on__gte=start,
            inspected_on__lte=end,
        )
        .values("work_id")
        .distinct()
        .count()
    )
    controlled = sum(controlled_counts(ids, start, end).values())
    violations = Violation.objects.filter(unit_id__in=ids)

    def in_period(field: str) -> Q:
        return Q(**{f"{field}__gte": start, f"{field}__lte": end})

    by_category: dict[str, dict[str, Any]] = {}
    for category, label in ViolationCategory.choices:
        by_category[category] = {
            "label": str(label),
            "recorded": 0,
            "stop_orders": 0,
            "sanctions": 0,
            "fines": Decimal(0),
            "dismantled": 0,
            "enforced": 0,
            "closed": 0,
            "outstanding": 0,
            "overdue": 0,
        }
    rows = (
        violations.order_by()
        .values("category")
        .annotate(
            recorded=Count("pk", filter=in_period("record_date")),
            stop_orders=Count("pk", filter=in_period("stop_order_date")),
            sanctions=Count("pk", filter=in_period("sanction_date")),
            fines=Sum("fine_amount", filter=in_period("sanction_date")),
            dismantled=Count("pk", filter=in_period("dismantled_on")),
            enforced=Count("pk", filter=in_period("enforced_on")),
            closed=Count("pk", filter=in_period("closed_on")),
            outstanding=Count(
                "pk",
                filter=Q(record_date__lte=as_of)
                & (Q(closed_on__isnull=True) | Q(closed_on__gt=as_of)),
            ),
            overdue=Count("pk", filter=overdue_violation_q(as_of)),
        )
    )
    for row in rows:
        entry = by_category.get(row["category"])
        if entry is None:
            continue
        for key in (
            "recorded",
            "stop_orders",
            "sanctions",
            "dismantled",
            "enforced",
            "closed",
            "outstanding",
            "overdue",
        ):
            entry[key] = int(row[key] or 0)
        entry["fines"] = Decimal(row["fines"] or 0)
    totals = {
        key: sum((e[key] for e in by_category.values()), Decimal(0) if key == "fines" else 0)
        for key in (
            "recorded",
            "stop_orders",
            "sanctions",
            "fines",
            "dismantled",
            "enforced",
            "closed",
            "outstanding",
            "overdue",
        )
    }
    fines_paid = violations.filter(in_period("sanction_date"), fine_paid=True).aggregate(
        s=Sum("fine_amount")
    )["s"]
    total_works = sum(by_permit.values())
    return {
        "start": start,
        "end": end,
        "works": total_works,
        "active": active,
        "licensed": by_permit.get(PermitStatus.LICENSED, 0),
        "exempt": by_permit.get(PermitStatus.EXEMPT, 0),
        "without_permit": by_permit.get(PermitStatus.NONE, 0),
        "permit_unknown": by_permit.get(PermitStatus.UNKNOWN, 0),
        "inspected": inspected,
        "controlled": controlled,
        "control_rate": (Decimal(controlled) * 100 / Decimal(total_works)).quantize(Decimal("0.1"))
        if total_works
        else None,
        "by_category": by_category,
        "totals": totals,
        "fines_paid": Decimal(fines_paid or 0),
    }


# --- the shared map and dashboard (contract in the urban brief) -----------------------------


def map_queryset(
    *, user: Any, bbox: BBox | None, filters: dict[str, str], unit_ids: set[int] | None = None
) -> QuerySet[Work] | None:
    """The works of the map layer (filters of :func:`map_features`), unordered; None when the
    user sees none. ``unit_ids`` is ignored: works follow ``rules.construction_unit_ids``."""
    today = _today()
    units = rules.construction_unit_ids(user)
    if not units:
        return None
    qs = Work.objects.filter(unit_id__in=units, lat__isnull=False, lon__isnull=False)
    if bbox is not None:
        min_lat, min_lon, max_lat, max_lon = bbox
        qs = qs.filter(lat__gte=min_lat, lat__lte=max_lat, lon__gte=min_lon, lon__lte=max_lon)
    if filters.get("unit"):
        try:
            qs = qs.filter(unit_id=int(filters["unit"]))
        except (TypeError, ValueError):
            return None
    if filters.get("status") in WorkStatus.values:
        qs = qs.filter(status=filters["status"])
    if filters.get("permit") in PermitStatus.values:
        qs = qs.filter(permit_status=filters["permit"])
    if filters.get("overdue") in ("1", "true", "on", "yes"):
        qs = qs.filter(open_deadline__lt=today)
    return qs.order_by()


def map_features(
    *,
    user: Any,
    bbox: BBox | None,
    filters: dict[str, str],
    limit: int = 2000,
    unit_ids: set[int] | None = None,
) -> list[dict[str, Any]]:
    """Works as GeoJSON Point features for the shared map, in the user's units and ``bbox``
    ((min_lat, min_lon, max_lat, max_lon)). Filters: ``status``, ``overdue`` ("1"),
    ``permit``, ``unit``."""
    from django.urls import reverse

    today = _today()
    qs = map_queryset(user=user, bbox=bbox, filters=filters, unit_ids=unit_ids)
    if qs is None:
        return []
    labels = dict(WorkStatus.choices)
    rows = qs.order_by("-id").values_list(
        "pk", "lat", "lon", "code", "address", "status", "permit_status", "open_deadline"
    )[: max(0, min(int(limit), 20000))]
    base = reverse("urban_construction:work_detail", args=[0])[:-2]
    out = []
    for pk, lat, lon, code, address, status, permit, open_deadline in rows:
        overdue = open_deadline is not None and open_deadline < today
        out.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(lon or 0), float(lat or 0)]},
                "properties": {
                    "layer": "work",
                    "id": pk,
                    "title": f"{code} · {address}",
                    "status": status,
                    "status_label": str(labels.get(status, status)),
                    "category": permit,
                    "overdue": bool(overdue),
                    "url": f"{base}{pk}/",
                },
            }
        )
    return out


def dashboard_figures(*, unit_ids: set[int], start: dt.date, end: dt.date) -> dict[str, Any]:
    """Plain numbers for the ward dashboard (aggregate queries only)."""
    ids = list(unit_ids)
    today = _today()
    works = works_in_period(ids, start, end)
    total = works.count()
    controlled = sum(controlled_counts(ids, start, end).values())
    violations = Violation.objects.filter(unit_id__in=ids)
    agg = violations.aggregate(
        open=Count("pk", filter=~Q(status=ViolationStatus.CLOSED)),
        overdue=Count(
            "pk", filter=~Q(status=ViolationStatus.CLOSED) & Q(remedy_deadline__lt=today)
        ),
        recorded=Count("pk", filter=Q(record_date__gte=start, record_date__lte=end)),
        sanctions=Count("pk", filter=Q(sanction_date__gte=start, sanction_date__lte=end)),
        fines=Sum("fine_amount", filter=Q(sanction_date__gte=start, sanction_date__lte=end)),
    )
    rate = (
        float((Decimal(controlled) * 100 / Decimal(total)).quantize(Decimal("0.1")))
        if total
        else None
    )
    return {
        "works": total,
        "works_controlled": controlled,
        "control_rate": rate,
        "control_rate_label": "Tỷ lệ công trình được kiểm soát (%)",
        "violations_open": int(agg["open"] or 0),
        "violations_overdue": int(agg["overdue"] or 0),
        "violations_recorded": int(agg["recorded"] or 0),
        "sanction_decisions": int(agg["sanctions"] or 0),
        "fines_vnd": int(agg["fines"] or 0),
        "labels": {
            "works": "Công trình theo dõi trong kỳ",
            "works_controlled": "Công trình được kiểm soát",
            "violations_open": "Vi phạm TTXD đang xử lý",
            "violations_overdue": "Vi phạm TTXD quá hạn khắc phục",
            "violations_recorded": "Biên bản vi phạm lập trong kỳ",
            "sanction_decisions": "Quyết định xử phạt trong kỳ",
            "fines_vnd": "Tiền phạt theo quyết định trong kỳ (đồng)",
        },
    }
