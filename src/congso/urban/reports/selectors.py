"""Reads of field reports, scoped by the user's visible units: lists, the map layer, dashboard
figures, duplicate suggestions, photos, overdue lists, the Open311 listing."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from congso.kernel.errors import NotFound
from congso.kernel.files.models import StoredFile
from congso.kernel.people.selectors import visible_unit_ids
from congso.urban.reports.models import (
    HANDLING_STATUSES,
    OPEN_STATUSES,
    PUBLISHED_STATUSES,
    FieldReport,
    ReportCategory,
    ReportDaySummary,
    ReportLevel,
    ReportStatus,
    ReportSummaryState,
)

BBox = tuple[float, float, float, float]


def overdue_q(moment: dt.datetime | None = None) -> Q:
    moment = moment or timezone.now()
    return Q(status=ReportStatus.SUBMITTED, receipt_due_at__lt=moment) | Q(
        status__in=list(HANDLING_STATUSES), handle_due_at__lt=moment
    )


# --- publication (URBAN_REPORT_PUBLISH) -------------------------------------------------------

PUBLISH_MODES = ("accepted", "all")


def publish_mode() -> str:
    """``URBAN_REPORT_PUBLISH``: "accepted" (default; anything unknown counts as it, the safe
    side) publishes a report's description and photos only once the ward has accepted it and
    while it is not refused or merged away; "all" publishes every report as soon as it arrives."""
    from django.conf import settings

    value = str(getattr(settings, "URBAN_REPORT_PUBLISH", "accepted") or "accepted").strip()
    return value if value in PUBLISH_MODES else "accepted"


def published_q() -> Q:
    """The reports shown in public lists (Open311 GET requests)."""
    if publish_mode() == "all":
        return ~Q(status=ReportStatus.MERGED)
    return Q(status__in=list(PUBLISHED_STATUSES))


def is_published(report: FieldReport) -> bool:
    """May the report's description, address and photos be shown to anyone (not only to the
    holder of its tracking code)?"""
    if publish_mode() == "all":
        return True
    return report.status in PUBLISHED_STATUSES


def reports_visible(user: Any) -> QuerySet[FieldReport]:
    ids = visible_unit_ids(user)
    if not ids:
        return FieldReport.objects.none()
    return FieldReport.objects.filter(unit_id__in=ids)


def categories_active() -> QuerySet[ReportCategory]:
    return ReportCategory.objects.filter(is_active=True).order_by("order", "name")


@dataclass(frozen=True)
class ReportFilters:
    status: str = ""
    category: str = ""
    level: str = ""
    overdue: bool = False
    unit: int | None = None
    q: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


def report_list(user: Any, filters: ReportFilters | None = None) -> QuerySet[FieldReport]:
    f = filters or ReportFilters()
    # NUL cannot be compared by PostgreSQL (the API passes query strings through as typed).
    f = ReportFilters(
        status=f.status.replace("\x00", ""),
        category=f.category.replace("\x00", ""),
        level=f.level.replace("\x00", ""),
        overdue=f.overdue,
        unit=f.unit,
        q=f.q.replace("\x00", ""),
        start=f.start,
        end=f.end,
    )
    qs = reports_visible(user).select_related("category", "unit", "department", "assignee")
    if f.status == "open":
        qs = qs.filter(status__in=list(OPEN_STATUSES))
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.category:
        qs = qs.filter(category__code=f.category)
    if f.level:
        qs = qs.filter(level=f.level)
    if f.unit:
        qs = qs.filter(unit_id=f.unit)
    if f.overdue:
        qs = qs.filter(overdue_q())
    if f.start:
        qs = qs.filter(received_at__date__gte=f.start)
    if f.end:
        qs = qs.filter(received_at__date__lte=f.end)
    if f.q:
        term = f.q.strip()
        qs = qs.filter(
            Q(tracking_code__iexact=term)
            | Q(description__icontains=term)
            | Q(address__icontains=term)
        )
    return qs.order_by("-received_at", "-id")


def report_get(user: Any, pk: int) -> FieldReport:
    report = (
        reports_visible(user)
        .select_related("category", "unit", "department", "assignee", "merged_into")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise NotFound("Không tìm thấy phản ánh, hoặc bạn không có quyền xem.")
    return report


def overdue_reports(user: Any) -> QuerySet[FieldReport]:
    return report_list(user).filter(overdue_q()).order_by("receipt_due_at")


def awaiting_receipt(user: Any) -> QuerySet[FieldReport]:
    from congso.kernel.people.selectors import effective_positions
    from congso.urban.reports.rules import TRIAGE_ROLES

    units = set(
        effective_positions(user)
        .filter(role__in=[str(r) for r in TRIAGE_ROLES])
        .values_list("unit_id", flat=True)
    )
    return FieldReport.objects.filter(unit_id__in=units, status=ReportStatus.SUBMITTED)


def assigned_to_me(user: Any) -> QuerySet[FieldReport]:
    from congso.kernel.people.selectors import effective_positions

    departments = set(
        effective_positions(user)
        .exclude(department__isnull=True)
        .values_list("department_id", flat=True)
    )
    return FieldReport.objects.filter(status=ReportStatus.ASSIGNED).filter(
        Q(assignee_id=user.pk) | Q(assignee__isnull=True, department_id__in=departments)
    )


def default_department_id(report: FieldReport) -> int | None:
    """The ward's department whose abbreviation the category names (its usual handler)."""
    from congso.kernel.orgunits.models import Department

    abbreviation = report.category.default_department
    if not abbreviation:
        return None
    return (
        Department.objects.filter(unit_id=report.unit_id, abbreviation=abbreviation)
        .values_list("pk", flat=True)
        .first()
    )


def report_photos(report: FieldReport) -> list[StoredFile]:
    ct = ContentType.objects.get_for_model(FieldReport)
    return list(StoredFile.objects.filter(owner_type=ct, owner_id=str(report.pk)).order_by("pk"))


def photos_by_report(report_ids: list[int]) -> dict[int, list[StoredFile]]:
    if not report_ids:
        return {}
    ct = ContentType.objects.get_for_model(FieldReport)
    out: dict[int, list[StoredFile]] = {}
    for stored in StoredFile.objects.filter(
        owner_type=ct, owner_id__in=[str(i) for i in report_ids]
    ).order_by("pk"):
        out.setdefault(int(stored.owner_id), []).append(stored)
    return out


def _meters_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def duplicate_candidates(
    report: FieldReport, *, radius_m: float | None = None, days: int = 30, limit: int = 5
) -> list[tuple[FieldReport, int]]:
    """Reports of the same ward and category nearby (``URBAN_REPORT_DUPLICATE_RADIUS_M``,
    default 150 m) received within ``days`` before or after: (report, metres), nearest first."""
    from django.conf import settings

    if report.lat is None or report.lon is None:
        return []
    radius = float(radius_m or getattr(settings, "URBAN_REPORT_DUPLICATE_RADIUS_M", 150) or 150)
    dlat = radius / 111_320
    dlon = radius / (111_320 * max(math.cos(math.radians(report.lat)), 0.01))
    window = dt.timedelta(days=days)
    rows = (
        FieldReport.objects.filter(
            unit_id=report.unit_id,
            category_id=report.category_id,
            lat__gte=report.lat - dlat,
            lat__lte=report.lat + dlat,
            lon__gte=report.lon - dlon,
            lon__lte=report.lon + dlon,
            received_at__gte=report.received_at - window,
            received_at__lte=report.received_at + window,
        )
        .exclude(pk=report.pk)
        .exclude(status__in=[ReportStatus.REFUSED, ReportStatus.MERGED])
        .select_related("category")[:50]
    )
    found = []
    for other in rows:
        assert other.lat is not None and other.lon is not None
        distance = _meters_between(report.lat, report.lon, other.lat, other.lon)
        if distance <= radius:
            found.append((other, round(distance)))
    found.sort(key=lambda pair: pair[1])
    return found[:limit]


# --- the map layer (contract in the urban brief) ---------------------------------------------


def _detail_url_pattern() -> str:
    try:
        return reverse("urban_reports:detail", args=[999999999]).replace("999999999", "{}")
    except NoReverseMatch:
        return ""


def map_queryset(
    *,
    user: Any,
    bbox: tuple[float, float, float, float] | None,
    filters: dict[str, str],
    unit_ids: set[int] | None = None,
) -> QuerySet[FieldReport] | None:
    """The reports of the map layer (filters of :func:`map_features`), unordered; None when the
    user sees nothing. ``unit_ids``: the caller's ``visible_unit_ids(user)`` if it already has
    them (one lookup per request)."""
    units = set(visible_unit_ids(user) if unit_ids is None else unit_ids)
    if not units:
        return None
    unit = filters.get("unit")
    if unit:
        try:
            units = units & {int(unit)}
        except ValueError:
            return None
    qs = FieldReport.objects.filter(unit_id__in=units, lat__isnull=False)
    if bbox is not None:
        min_lat, min_lon, max_lat, max_lon = bbox
        qs = qs.filter(lat__gte=min_lat, lat__lte=max_lat, lon__gte=min_lon, lon__lte=max_lon)
    status = filters.get("status", "")
    if status == "open":
        qs = qs.filter(status__in=list(OPEN_STATUSES))
    elif status in ReportStatus.values:
        qs = qs.filter(status=status)
    if filters.get("category"):
        qs = qs.filter(category__code=filters["category"])
    if filters.get("level") in ReportLevel.values:
        qs = qs.filter(level=filters["level"])
    if filters.get("overdue") in ("1", "true", "on"):
        qs = qs.filter(overdue_q())
    since = filters.get("since")
    if since:
        with contextlib.suppress(ValueError):
            qs = qs.filter(received_at__date__gte=dt.date.fromisoformat(since))
    return qs.order_by()


def map_features(
    *,
    user: Any,
    bbox: tuple[float, float, float, float] | None,
    filters: dict[str, str],
    limit: int = 2000,
    unit_ids: set[int] | None = None,
) -> list[dict[str, Any]]:
    """Reports as GeoJSON point features for the shared map, in the user's visible units.

    ``bbox`` is (min_lat, min_lon, max_lat, max_lon); ``filters``: ``status`` (a status, or
    "open"), ``category`` (code), ``level``, ``overdue`` ("1"), ``unit`` (id), ``since``
    (yyyy-mm-dd). One query on the (unit, lat, lon) index; no ordering (the first ``limit``)."""
    qs = map_queryset(user=user, bbox=bbox, filters=filters, unit_ids=unit_ids)
    if qs is None:
        return []
    now = timezone.now()
    names = dict(ReportCategory.objects.values_list("pk", "name"))
    labels = dict(ReportStatus.choices)
    url = _detail_url_pattern()
    rows = qs.order_by().values_list(
        "pk",
        "lat",
        "lon",
        "status",
        "category_id",
        "tracking_code",
        "receipt_due_at",
        "handle_due_at",
        "level",
    )[: max(0, int(limit))]
    features = []
    for pk, lat, lon, st, category_id, code, receipt_due, handle_due, level in rows:
        if st == ReportStatus.SUBMITTED:
            overdue = receipt_due < now
        elif st in HANDLING_STATUSES:
            overdue = handle_due is not None and handle_due < now
        else:
            overdue = False
        category = names.get(category_id, "")
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "layer": "report",
                    "id": pk,
                    "title": f"{category} ({code})",
                    "status": st,
                    "status_label": labels.get(st, st),
                    "category": category,
                    "overdue": overdue,
                    "url": url.format(pk) if url else "",
                    "level": level,
                },
            }
        )
    return features


# --- dashboard figures (contract in the urban brief) -----------------------------------------


def _rate(label: str, numerator: int, denominator: int) -> dict[str, Any]:
    return {
        "label": label,
        "numerator": numerator,
        "denominator": denominator,
        "value": round(numerator / denominator, 4) if denominator else None,
    }


def summary_enabled() -> bool:
    """``URBAN_DASHBOARD_SUMMARY`` (default True): the dashboard reads the daily summary
    (:class:`ReportDaySummary`) once it has been built; False = aggregate the raw reports."""
    from django.conf import settings

    return bool(getattr(settings, "URBAN_DASHBOARD_SUMMARY", True))


def summary_max_age() -> dt.timedelta:
    """``URBAN_DASHBOARD_SUMMARY_MAX_AGE`` (seconds, default 300): a dashboard read finding
    the summary older than this refreshes it first (incrementally), so the figures are at most
    this stale without any scheduler."""
    from django.conf import settings

    seconds = getattr(settings, "URBAN_DASHBOARD_SUMMARY_MAX_AGE", 300)
    return dt.timedelta(seconds=max(0, int(300 if seconds is None else seconds)))


#: Reports saved this long before the last refresh are looked at again (a transaction that
#: saved a report before the refresh started may commit after it read).
SUMMARY_OVERLAP = dt.timedelta(minutes=10)
_SUMMARY_FIELDS = (
    "n",
    "waiting",
    "in_process",
    "done",
    "refused",
    "merged",
    "urgent",
    "answered",
    "on_time",
    "answer_hours_sum",
    "answer_hours_n",
    "rated",
    "satisfied",
    "rating_sum",
)


def _summary_rows(qs: QuerySet[FieldReport]) -> list[ReportDaySummary]:
    """The summary rows (unit, local day, category) of the reports in ``qs``."""
    S = ReportStatus
    tz = timezone.get_current_timezone()
    rows = (
        qs.order_by()
        .annotate(_day=TruncDate("received_at", tzinfo=tz))
        .values("unit_id", "_day", "category_id")
        .annotate(
            n=Count("pk"),
            waiting=Count("pk", filter=Q(status=S.SUBMITTED)),
            in_process=Count("pk", filter=Q(status__in=[S.ACCEPTED, S.ASSIGNED])),
            done=Count("pk", filter=Q(status__in=[S.ANSWERED, S.CLOSED])),
            refused=Count("pk", filter=Q(status=S.REFUSED)),
            merged=Count("pk", filter=Q(status=S.MERGED)),
            urgent=Count("pk", filter=Q(level=ReportLevel.URGENT)),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            on_time=Count("pk", filter=Q(answered_on_time=True)),
            answer_hours_sum=Sum("answer_hours"),
            answer_hours_n=Count("answer_hours"),
            rated=Count("rating"),
            satisfied=Count("pk", filter=Q(rating__gte=4)),
            rating_sum=Sum("rating"),
        )
    )
    return [
        ReportDaySummary(
            unit_id=r["unit_id"],
            day=r["_day"],
            category_id=r["category_id"],
            **{f: r[f] or 0 for f in _SUMMARY_FIELDS},
        )
        for r in rows
    ]


def summary_refresh(*, full: bool = False, now: dt.datetime | None = None) -> dict[str, int]:
    """Bring :class:`ReportDaySummary` up to date: the first time (or ``full``) from every
    report; then only the (ward, day) pairs of the reports saved since the last refresh (minus
    :data:`SUMMARY_OVERLAP`), each recomputed whole from the raw rows (idempotent). One
    transaction; the state row is locked so two refreshes do not interleave. Returns
    ``{"days": …, "rows": …}`` (pairs recomputed, summary rows written)."""
    moment = now or timezone.now()
    tz = timezone.get_current_timezone()
    written = 0
    pairs = 0
    with transaction.atomic():
        state = ReportSummaryState.objects.select_for_update().filter(key="reports").first()
        if state is None or full:
            ReportDaySummary.objects.all().delete()
            rows = _summary_rows(FieldReport.objects.all())
            ReportDaySummary.objects.bulk_create(rows, batch_size=2000)
            written, pairs = len(rows), len({(r.unit_id, r.day) for r in rows})
        else:
            touched: dict[int, set[dt.date]] = {}
            for unit_id, received in FieldReport.objects.filter(
                updated_at__gte=state.refreshed_at - SUMMARY_OVERLAP
            ).values_list("unit_id", "received_at"):
                touched.setdefault(unit_id, set()).add(timezone.localtime(received, tz).date())
            for unit_id, days in touched.items():
                ordered = sorted(days)
                for i in range(0, len(ordered), 200):
                    chunk = ordered[i : i + 200]
                    when = Q()
                    for day in chunk:
                        lo = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
                        when |= Q(received_at__gte=lo, received_at__lt=lo + dt.timedelta(days=1))
                    ReportDaySummary.objects.filter(unit_id=unit_id, day__in=chunk).delete()
                    rows = _summary_rows(FieldReport.objects.filter(when, unit_id=unit_id))
                    ReportDaySummary.objects.bulk_create(rows, batch_size=2000)
                    written += len(rows)
                    pairs += len(chunk)
        if state is None:
            ReportSummaryState.objects.create(key="reports", refreshed_at=moment)
        else:
            state.refreshed_at = moment
            state.save(update_fields=["refreshed_at"])
    return {"days": pairs, "rows": written}


def summary_as_of() -> dt.datetime | None:
    """When the daily summary was last refreshed (None: never built)."""
    return (
        ReportSummaryState.objects.filter(key="reports")
        .values_list("refreshed_at", flat=True)
        .first()
    )


def dashboard_figures(*, unit_ids: set[int], start: dt.date, end: dt.date) -> dict[str, Any]:
    """Report volumes, time to answer, share answered within the limit, satisfaction, for the
    reports received in [start, end] in ``unit_ids``.

    From the daily summary (:func:`summary_refresh`) once built and ``URBAN_DASHBOARD_SUMMARY``
    is on: every figure is then as of ``summary_as_of`` (given as ``as_of``), except
    ``reports_overdue``, always counted live (it depends on the current time). Otherwise
    aggregate queries over the raw reports on (unit, received_at)."""
    as_of = summary_as_of() if summary_enabled() else None
    if as_of is not None and timezone.now() - as_of > summary_max_age():
        summary_refresh()  # incremental: only the days of the reports saved since
        as_of = summary_as_of()
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    base = FieldReport.objects.filter(
        unit_id__in=list(unit_ids), received_at__gte=lo, received_at__lt=hi
    )
    now = timezone.now()
    S = ReportStatus
    counts: Any
    if as_of is not None:
        summary = ReportDaySummary.objects.filter(
            unit_id__in=list(unit_ids), day__gte=start, day__lte=end
        )
        sums = summary.aggregate(**{f: Sum(f) for f in _SUMMARY_FIELDS})
        sums = {k: v or 0 for k, v in sums.items()}
        hours_n, rated = sums["answer_hours_n"], sums["rated"]
        agg: dict[str, Any] = {
            "total": sums["n"],
            "waiting": sums["waiting"],
            "in_process": sums["in_process"],
            "done": sums["done"],
            "refused": sums["refused"],
            "merged": sums["merged"],
            "urgent": sums["urgent"],
            "answered": sums["answered"],
            "on_time": sums["on_time"],
            "answer_hours": sums["answer_hours_sum"] / hours_n if hours_n else None,
            "rated": rated,
            "satisfied": sums["satisfied"],
            "rating_avg": sums["rating_sum"] / rated if rated else None,
            "overdue": base.filter(status__in=[S.SUBMITTED, S.ACCEPTED, S.ASSIGNED])
            .filter(overdue_q(now))
            .count(),
        }
        counts = (
            summary.order_by()
            .values_list("category_id")
            .annotate(total=Sum("n"))
            .values_list("category_id", "total")
        )
    else:
        agg = base.aggregate(
            total=Count("pk"),
            waiting=Count("pk", filter=Q(status=S.SUBMITTED)),
            in_process=Count("pk", filter=Q(status__in=[S.ACCEPTED, S.ASSIGNED])),
            done=Count("pk", filter=Q(status__in=[S.ANSWERED, S.CLOSED])),
            refused=Count("pk", filter=Q(status=S.REFUSED)),
            merged=Count("pk", filter=Q(status=S.MERGED)),
            overdue=Count("pk", filter=overdue_q(now)),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            on_time=Count("pk", filter=Q(answered_on_time=True)),
            answer_hours=Avg("answer_hours"),
            rated=Count("pk", filter=Q(rating__isnull=False)),
            satisfied=Count("pk", filter=Q(rating__gte=4)),
            rating_avg=Avg("rating"),
            urgent=Count("pk", filter=Q(level=ReportLevel.URGENT)),
        )
        counts = (
            base.order_by()
            .values_list("category_id")
            .annotate(n=Count("pk"))
            .values_list("category_id", "n")
        )
    cats = {c.pk: c for c in ReportCategory.objects.only("pk", "code", "name")}
    rows: list[tuple[int, str, str]] = [
        (int(n), cats[cid].code, cats[cid].name) for cid, n in counts if cid in cats and n
    ]
    by_category = [
        {"code": code, "name": name, "count": n}
        for n, code, name in sorted(rows, key=lambda row: (-row[0], row[1]))[:20]
    ]
    answer_hours = agg["answer_hours"]
    rating_avg = agg["rating_avg"]
    return {
        "reports_total": agg["total"],
        "reports_waiting": agg["waiting"],
        "reports_in_process": agg["in_process"],
        "reports_done": agg["done"],
        "reports_refused": agg["refused"],
        "reports_merged": agg["merged"],
        "reports_overdue": agg["overdue"],
        "reports_urgent": agg["urgent"],
        "reports_answered": agg["answered"],
        "answer_hours_avg": round(float(answer_hours), 1) if answer_hours is not None else None,
        "answer_on_time_rate": _rate(
            "Tỷ lệ phản ánh được trả lời trong thời hạn", agg["on_time"], agg["answered"]
        ),
        "satisfaction_rate": _rate(
            "Tỷ lệ người phản ánh hài lòng (4–5 sao)", agg["satisfied"], agg["rated"]
        ),
        "rating_avg": round(float(rating_avg), 2) if rating_avg is not None else None,
        "reports_by_category": by_category,
        "as_of": as_of,
    }


# --- Open311 listing -------------------------------------------------------------------------


def open311_requests(
    *,
    ids: list[str] | None = None,
    service_code: str = "",
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    status: str = "",
    unit_id: int | None = None,
    limit: int = 1000,
) -> list[FieldReport]:
    """Public listing (Open311 GET requests): only the published reports (:func:`published_q`;
    merged ones never: their original is listed); newest first; at most ``limit``. Without ids:
    default window the last 90 days. With ids (tracking codes, which only the reporter knows
    until publication) every matching report is returned; the caller withholds the text of the
    unpublished ones (:func:`is_published`)."""
    qs = FieldReport.objects.select_related("category", "unit", "department", "merged_into")
    if ids:
        qs = qs.filter(tracking_code__in=ids)
    else:
        qs = qs.filter(published_q())
        if unit_id is not None:
            qs = qs.filter(unit_id=unit_id)
        if service_code:
            qs = qs.filter(category__code__in=[c for c in service_code.split(",") if c])
        if start is None and end is None:
            start = timezone.now() - dt.timedelta(days=90)
        if start is not None:
            qs = qs.filter(received_at__gte=start)
        if end is not None:
            qs = qs.filter(received_at__lte=end)
        if status == "open":
            qs = qs.filter(status__in=list(OPEN_STATUSES))
        elif status == "closed":
            qs = qs.exclude(status__in=list(OPEN_STATUSES))
    return list(qs.order_by("-received_at", "-id")[:limit])
