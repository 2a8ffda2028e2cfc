"""The dashboard's daily summary (ReportDaySummary) gives the same figures as the raw reports:
after a full build, after an incremental refresh following changes, across the local-day
boundary (Asia/Ho_Chi_Minh), per ward; and it is refreshed by the dashboard once too old."""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from congso.kernel.orgunits.models import AdminUnit
from congso.urban.reports import selectors, services
from congso.urban.reports.models import (
    FieldReport,
    ReportCategory,
    ReportDaySummary,
    ReportLevel,
    ReportStatus,
)

pytestmark = pytest.mark.django_db

STATUSES = list(ReportStatus.values)


@pytest.fixture
def spread(
    submit: Callable[..., FieldReport],
    categories: dict[str, ReportCategory],
    wards: tuple[AdminUnit, AdminUnit],
) -> list[FieldReport]:
    """120 reports over 40 days in both wards, every status, level and some ratings; the
    received times cross local midnight (UTC 16:00-18:00 = 23:00-01:00 in Hà Nội)."""
    first = submit()
    rng = random.Random(6)
    cats = list(categories.values())
    base = dt.datetime(2026, 3, 1, 16, 0, tzinfo=dt.UTC)
    rows = []
    for i in range(120):
        row = copy.copy(first)
        row.pk = row.id = None
        row.tracking_code = f"PA-S{i:05d}"
        row.unit = wards[i % 2]
        row.category = cats[i % len(cats)]
        row.status = STATUSES[i % len(STATUSES)]
        row.level = [ReportLevel.NORMAL, ReportLevel.URGENT, ReportLevel.COMPLEX][i % 3]
        row.received_at = base + dt.timedelta(days=i // 3, minutes=rng.randrange(0, 120))
        row.receipt_due_at = row.received_at + dt.timedelta(hours=16)
        row.handle_due_at = row.received_at + dt.timedelta(hours=120)
        answered = row.status in (ReportStatus.ANSWERED, ReportStatus.CLOSED)
        row.answered_at = row.received_at + dt.timedelta(hours=30) if answered else None
        row.answer_hours = float(rng.randrange(2, 100)) if answered else None
        row.answered_on_time = (row.answer_hours or 0) < 60 if answered else None
        row.rating = rng.choice([None, 2, 4, 5]) if row.status == ReportStatus.CLOSED else None
        rows.append(row)
    return [first, *FieldReport.objects.bulk_create(rows)]


def _raw(settings: Any, units: set[int], start: dt.date, end: dt.date) -> dict[str, Any]:
    settings.URBAN_DASHBOARD_SUMMARY = False
    try:
        return selectors.dashboard_figures(unit_ids=units, start=start, end=end)
    finally:
        settings.URBAN_DASHBOARD_SUMMARY = True


def _same(raw: dict[str, Any], summed: dict[str, Any]) -> None:
    assert raw.pop("as_of") is None and summed.pop("as_of") is not None
    assert summed == raw


PERIODS = [
    (dt.date(2026, 3, 1), dt.date(2026, 4, 30)),
    (dt.date(2026, 3, 2), dt.date(2026, 3, 2)),  # one local day: the midnight boundary
    (dt.date(2026, 3, 10), dt.date(2026, 3, 25)),
    (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),  # empty
]


def test_summary_equals_raw(
    spread: list[FieldReport], wards: tuple[AdminUnit, AdminUnit], settings: Any
) -> None:
    settings.URBAN_DASHBOARD_SUMMARY_MAX_AGE = 3600
    a, b = wards
    assert selectors.summary_as_of() is None  # never built: the raw path
    done = selectors.summary_refresh(full=True)
    assert done["rows"] == ReportDaySummary.objects.count() > 0
    assert sum(ReportDaySummary.objects.values_list("n", flat=True)) == FieldReport.objects.count()
    for units in ({a.pk}, {b.pk}, {a.pk, b.pk}):
        for start, end in PERIODS:
            raw = _raw(settings, units, start, end)
            summed = selectors.dashboard_figures(unit_ids=units, start=start, end=end)
            _same(raw, summed)
    one_day = selectors.dashboard_figures(
        unit_ids={a.pk, b.pk}, start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 2)
    )
    assert 0 < one_day["reports_total"] < 6  # the local day, not the UTC one


def test_incremental_refresh_after_changes(
    spread: list[FieldReport],
    wards: tuple[AdminUnit, AdminUnit],
    people: dict[str, Any],
    settings: Any,
) -> None:
    settings.URBAN_DASHBOARD_SUMMARY_MAX_AGE = 3600
    units = {wards[0].pk}
    period = (dt.date(2026, 1, 1), timezone.localdate())
    selectors.summary_refresh(full=True)
    before = selectors.dashboard_figures(unit_ids=units, start=period[0], end=period[1])
    # Changes through the services: a new report, a refusal.
    new = services.report_submit(
        category="moi-truong",
        description="Cây đổ chắn ngang ngõ sau cơn mưa lớn tối qua.",
        lat=spread[0].lat,
        lon=spread[0].lon,
    )
    services.report_refuse(report=new, actor=people["officer"], reason="Trùng phản ánh đã có.")
    stale = selectors.dashboard_figures(unit_ids=units, start=period[0], end=period[1])
    assert stale["reports_total"] == before["reports_total"]  # as of the last refresh
    done = selectors.summary_refresh()
    assert done["days"] >= 1
    fresh = selectors.dashboard_figures(unit_ids=units, start=period[0], end=period[1])
    assert fresh["reports_total"] == before["reports_total"] + 1
    assert fresh["reports_refused"] == before["reports_refused"] + 1
    _same(_raw(settings, units, *period), fresh)


def test_dashboard_refreshes_an_old_summary(
    spread: list[FieldReport], wards: tuple[AdminUnit, AdminUnit], settings: Any
) -> None:
    units = {wards[0].pk, wards[1].pk}
    period = (dt.date(2026, 3, 1), dt.date(2026, 4, 30))
    selectors.summary_refresh(full=True, now=timezone.now() - dt.timedelta(hours=2))
    report = spread[5]
    FieldReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.MERGED, updated_at=timezone.now()
    )
    settings.URBAN_DASHBOARD_SUMMARY_MAX_AGE = 300
    figures = selectors.dashboard_figures(unit_ids=units, start=period[0], end=period[1])
    assert figures["as_of"] > timezone.now() - dt.timedelta(minutes=1)
    _same(_raw(settings, units, *period), figures)
