"""Keeping the summary table (``DailyStat``) in step with the dossiers.

- ``rebuild()``: recompute everything with three grouped queries (after bulk loads — the demo and
  the benchmark call it — and nightly: ``manage.py procedures_stats --rebuild``).
- ``refresh()``: incremental. Every service writes a ``DossierEvent`` and a rating a
  ``DossierRating``; the dossiers touched since the last refresh name the (unit, day) pairs to
  recompute (the day filed, the day of the result, the day rated). The statistics page and
  endpoint call ``refresh()`` before reading (bounded by ``ONESTOP_STATS_REFRESH_MAX_EVENTS``
  per call, so a large backlog is caught up over a few calls or by ``manage.py procedures_stats``).

Events committed out of id order (two concurrent transactions) would be skipped by a plain
"id > last" scan, so each refresh re-reads the last ``_LOOKBACK`` ids again; the nightly rebuild
is the safety net for anything else.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate
from django.utils import timezone

from congso.procedures.models import (
    Channel,
    Dossier,
    DossierEvent,
    DossierRating,
    DossierStatus,
    Satisfaction,
    Timeliness,
)
from congso.procedures.stats.bulk import insert_rows, next_id
from congso.procedures.stats.models import DailyStat, MonthlyStat, SummaryState

_LOOKBACK = 200
_COUNT_FIELDS = (
    "received_desk",
    "received_online",
    "received_post",
    "refused",
    "digitised",
    "reused",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "resolved_electronic",
    "rated_very_satisfied",
    "rated_satisfied",
    "rated_dissatisfied",
)

Key = tuple[int, int, dt.date]  # unit, procedure, day


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = local_tz()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return start, start + dt.timedelta(days=1)


def local_day(value: dt.datetime) -> dt.date:
    return timezone.localtime(value, local_tz()).date()


def local_date_expr(field: str, column: str) -> Any:
    """The local date of a datetime column, grouped in SQL. On SQLite Django's ``TruncDate``
    with a time zone calls a Python function per row (slow over a million rows); Asia/Ho_Chi_Minh
    has a fixed offset (+07:00, no daylight saving) so ``date(col, '+7 hours')`` is exact."""
    tz = local_tz()
    if connection.vendor == "sqlite":
        jan = dt.datetime(2021, 1, 1, tzinfo=tz).utcoffset()
        jul = dt.datetime(2021, 7, 1, tzinfo=tz).utcoffset()
        if jan is not None and jan == jul:
            minutes = int(jan.total_seconds() // 60)
            return RawSQL(f"date({column}, '{minutes:+d} minutes')", [])  # noqa: S611 - our column
    return TruncDate(field, tzinfo=tz)


def _as_date(value: Any) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _received_aggregates() -> dict[str, Any]:
    accepted = Q(received_at__isnull=False)
    return {
        "received_desk": Count("id", filter=accepted & Q(channel=Channel.DESK)),
        "received_online": Count("id", filter=accepted & Q(channel=Channel.ONLINE)),
        "received_post": Count("id", filter=accepted & Q(channel=Channel.POST)),
        "refused": Count("id", filter=Q(status=DossierStatus.REFUSED)),
        "digitised": Count("id", filter=accepted & Q(digitised=True)),
        "reused": Count("id", filter=accepted & Q(reused_data=True)),
    }


def _resolved_aggregates() -> dict[str, Any]:
    return {
        "resolved_early": Count("id", filter=Q(timeliness=Timeliness.EARLY)),
        "resolved_on_time": Count("id", filter=Q(timeliness=Timeliness.ON_TIME)),
        "resolved_late": Count("id", filter=Q(timeliness=Timeliness.LATE)),
        "resolved_hours": Sum("spent_hours"),
        "resolved_electronic": Count("id", filter=Q(result_electronic=True)),
    }


def _rating_aggregates() -> dict[str, Any]:
    return {
        "rated_very_satisfied": Count("id", filter=Q(score=Satisfaction.VERY_SATISFIED)),
        "rated_satisfied": Count("id", filter=Q(score=Satisfaction.SATISFIED)),
        "rated_dissatisfied": Count("id", filter=Q(score=Satisfaction.DISSATISFIED)),
    }


class _Rows:
    """Accumulates figures per (unit, procedure, day) before writing them."""

    def __init__(self) -> None:
        self.rows: dict[Key, dict[str, Any]] = {}

    def add(self, key: Key, field_id: int, values: dict[str, Any]) -> None:
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = {"field_id": field_id}
        for name, value in values.items():
            if value:
                row[name] = row.get(name, 0) + value

    def dicts(self) -> list[dict[str, Any]]:
        out = []
        for (unit_id, procedure_id, day), values in self.rows.items():
            if len(values) == 1:  # only field_id: nothing to keep
                continue
            row: dict[str, Any] = dict.fromkeys(_COUNT_FIELDS, 0)
            row["resolved_hours"] = Decimal(0)
            row.update(values)
            row["resolved_hours"] = Decimal(row["resolved_hours"] or 0)
            row.update(unit_id=unit_id, procedure_id=procedure_id, day=day)
            out.append(row)
        return out

    def write(self) -> int:
        """Write the daily rows and the monthly rows summed from them; returns the daily count."""
        rows = self.dicts()
        first = next_id(DailyStat)
        for i, row in enumerate(rows):
            row["id"] = first + i
        written = insert_rows(DailyStat, rows)
        months: dict[tuple[int, int, dt.date], dict[str, Any]] = {}
        for row in rows:
            key = (row["unit_id"], row["procedure_id"], row["day"].replace(day=1))
            month = months.get(key)
            if month is None:
                month = months[key] = {
                    "unit_id": key[0],
                    "procedure_id": key[1],
                    "month": key[2],
                    "field_id": row["field_id"],
                    "resolved_hours": Decimal(0),
                    **dict.fromkeys(_COUNT_FIELDS, 0),
                }
            for name in (*_COUNT_FIELDS, "resolved_hours"):
                month[name] += row[name]
        first = next_id(MonthlyStat)
        monthly = list(months.values())
        for i, row in enumerate(monthly):
            row["id"] = first + i
        insert_rows(MonthlyStat, monthly)
        return written


def _collect(
    rows: _Rows,
    dossiers: Any,
    ratings: Any,
    *,
    received_day: Any,
    resolved_day: Any,
    rated_day: Any,
) -> None:
    received = (
        dossiers.annotate(d=received_day)
        .values("unit_id", "procedure_id", "field_id", "d")
        .annotate(**_received_aggregates())
        .order_by()
    )
    for r in received:
        rows.add((r["unit_id"], r["procedure_id"], _as_date(r["d"])), r["field_id"], _pick(r))
    resolved = (
        dossiers.filter(completed_at__isnull=False)
        .annotate(d=resolved_day)
        .values("unit_id", "procedure_id", "field_id", "d")
        .annotate(**_resolved_aggregates())
        .order_by()
    )
    for r in resolved:
        rows.add((r["unit_id"], r["procedure_id"], _as_date(r["d"])), r["field_id"], _pick(r))
    rated = (
        ratings.annotate(d=rated_day)
        .values("unit_id", "dossier__procedure_id", "dossier__field_id", "d")
        .annotate(**_rating_aggregates())
        .order_by()
    )
    for r in rated:
        rows.add(
            (r["unit_id"], r["dossier__procedure_id"], _as_date(r["d"])),
            r["dossier__field_id"],
            _pick(r),
        )


def _pick(r: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in r.items()
        if k not in {"unit_id", "procedure_id", "field_id", "d"} and not k.startswith("dossier__")
    }


def _state(lock: bool = False) -> SummaryState:
    qs = SummaryState.objects.order_by("id")
    if lock:
        qs = qs.select_for_update()
    state = qs.first()
    if state is None:
        state = SummaryState.objects.create()
    return state


def rebuild() -> int:
    """Recompute the whole summary table; returns the number of rows written."""
    with transaction.atomic():
        state = _state(lock=True)
        last_event = DossierEvent.objects.order_by("-id").values_list("id", flat=True).first()
        last_rating = DossierRating.objects.order_by("-id").values_list("id", flat=True).first()
        rows = _Rows()
        _collect(
            rows,
            Dossier.objects.all(),
            DossierRating.objects.all(),
            received_day=local_date_expr("submitted_at", '"procedures_dossier"."submitted_at"'),
            resolved_day=local_date_expr("completed_at", '"procedures_dossier"."completed_at"'),
            rated_day=local_date_expr("created_at", '"procedures_dossierrating"."created_at"'),
        )
        DailyStat.objects.all().delete()
        MonthlyStat.objects.all().delete()
        written = rows.write()
        now = timezone.now()
        state.last_event_id = last_event or 0
        state.last_rating_id = last_rating or 0
        state.refreshed_at = now
        state.rebuilt_at = now
        state.save()
    return written


def recompute(pairs: Iterable[tuple[int, dt.date]]) -> int:
    """Recompute the rows of these (unit, day) pairs from the dossiers (indexed range queries)."""
    written = 0
    by_unit: dict[int, set[dt.date]] = defaultdict(set)
    for unit_id, day in pairs:
        by_unit[unit_id].add(day)
    for unit_id, days in by_unit.items():
        for day in sorted(days):
            start, end = day_bounds(day)
            rows = _Rows()
            dossiers = Dossier.objects.filter(unit_id=unit_id)
            received = (
                dossiers.filter(submitted_at__gte=start, submitted_at__lt=end)
                .values("unit_id", "procedure_id", "field_id")
                .annotate(**_received_aggregates())
                .order_by()
            )
            for r in received:
                rows.add((unit_id, r["procedure_id"], day), r["field_id"], _pick(r))
            resolved = (
                dossiers.filter(completed_at__gte=start, completed_at__lt=end)
                .values("unit_id", "procedure_id", "field_id")
                .annotate(**_resolved_aggregates())
                .order_by()
            )
            for r in resolved:
                rows.add((unit_id, r["procedure_id"], day), r["field_id"], _pick(r))
            rated = (
                DossierRating.objects.filter(
                    unit_id=unit_id, created_at__gte=start, created_at__lt=end
                )
                .values("dossier__procedure_id", "dossier__field_id")
                .annotate(**_rating_aggregates())
                .order_by()
            )
            for r in rated:
                key = (unit_id, r["dossier__procedure_id"], day)
                rows.add(key, r["dossier__field_id"], _pick(r))
            DailyStat.objects.filter(unit_id=unit_id, day=day).delete()
            daily = rows.dicts()
            first = next_id(DailyStat)
            for i, row in enumerate(daily):
                row["id"] = first + i
            written += insert_rows(DailyStat, daily)
        for month in sorted({day.replace(day=1) for day in days}):
            _recompute_month(unit_id, month)
    return written


def _recompute_month(unit_id: int, month: dt.date) -> None:
    end = (month + dt.timedelta(days=32)).replace(day=1)
    sums = {name: Sum(name) for name in (*_COUNT_FIELDS, "resolved_hours")}
    rows = list(
        DailyStat.objects.filter(unit_id=unit_id, day__gte=month, day__lt=end)
        .values("procedure_id", "field_id")
        .annotate(**sums)
        .order_by()
    )
    MonthlyStat.objects.filter(unit_id=unit_id, month=month).delete()
    first = next_id(MonthlyStat)
    insert_rows(
        MonthlyStat,
        [
            {
                **{k: (v or 0) for k, v in r.items()},
                "id": first + i,
                "unit_id": unit_id,
                "month": month,
                "resolved_hours": Decimal(r["resolved_hours"] or 0),
            }
            for i, r in enumerate(rows)
        ],
    )


@dataclass
class RefreshResult:
    events: int
    ratings: int
    pairs: int
    caught_up: bool


def _dossier_pairs(dossier_ids: Iterable[int]) -> set[tuple[int, dt.date]]:
    pairs: set[tuple[int, dt.date]] = set()
    ids = list(dossier_ids)
    for i in range(0, len(ids), 500):
        for unit_id, submitted, completed in Dossier.objects.filter(
            id__in=ids[i : i + 500]
        ).values_list("unit_id", "submitted_at", "completed_at"):
            pairs.add((unit_id, local_day(submitted)))
            if completed is not None:
                pairs.add((unit_id, local_day(completed)))
    return pairs


def refresh(max_events: int | None = None) -> RefreshResult:
    """Bring the summary up to date with the events and ratings written since the last call."""
    limit = int(
        max_events
        if max_events is not None
        else getattr(settings, "ONESTOP_STATS_REFRESH_MAX_EVENTS", 5000)
    )
    state = SummaryState.objects.order_by("id").first()
    last_event = DossierEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    last_rating = DossierRating.objects.order_by("-id").values_list("id", flat=True).first() or 0
    if (
        state is not None
        and state.last_event_id >= last_event
        and (state.last_rating_id >= last_rating)
    ):
        return RefreshResult(0, 0, 0, True)
    with transaction.atomic():
        state = _state(lock=True)
        since_event = max(0, state.last_event_id - _LOOKBACK)
        events = list(
            DossierEvent.objects.filter(id__gt=since_event)
            .order_by("id")
            .values_list("id", "dossier_id")[:limit]
        )
        since_rating = max(0, state.last_rating_id - _LOOKBACK)
        ratings = list(
            DossierRating.objects.filter(id__gt=since_rating)
            .order_by("id")
            .values_list("id", "dossier_id", "unit_id", "created_at")[:limit]
        )
        dossier_ids = {d for _, d in events} | {d for _, d, _, _ in ratings}
        pairs = _dossier_pairs(dossier_ids)
        pairs |= {(unit_id, local_day(at)) for _, _, unit_id, at in ratings}
        recompute(pairs)
        new_event = max([state.last_event_id, *(i for i, _ in events)])
        new_rating = max([state.last_rating_id, *(i for i, *_ in ratings)])
        state.last_event_id = new_event
        state.last_rating_id = new_rating
        state.refreshed_at = timezone.now()
        state.save()
    return RefreshResult(
        events=len(events),
        ratings=len(ratings),
        pairs=len(pairs),
        caught_up=new_event >= last_event and new_rating >= last_rating,
    )


def refreshed_at() -> dt.datetime | None:
    state = SummaryState.objects.order_by("id").first()
    return state.refreshed_at if state else None


def count_fields() -> tuple[str, ...]:
    return _COUNT_FIELDS
