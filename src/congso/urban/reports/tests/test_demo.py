"""The field-report demo: a few hundred reports, every one inside its ward's boundary, spread
from 07/2025 to today, realistic outcomes (answered, refused, merged, rated, overdue now),
idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from congso.kernel.core import demo as registry
from congso.urban.reports import selectors
from congso.urban.reports.models import FieldReport, ReportStatus

pytestmark = pytest.mark.django_db


def test_demo_reports(categories: Any) -> None:
    from congso.kernel.orgunits.demo import demo_units
    from congso.urban.geo import point_in_geometry

    lines: list[str] = []
    only = {"units", "staff", "urban.geo", "urban.reports"}
    registry.run_all(registry.DemoContext(out=lines.append), only=only)
    units = demo_units()
    reports = list(FieldReport.objects.select_related("unit"))
    assert 250 <= len(reports) <= 400
    assert {r.unit_id for r in reports} == {units.tay_ho.pk, units.phu_thuong.pk}
    for report in reports:
        assert report.lat is not None and report.lon is not None
        assert point_in_geometry(report.lat, report.lon, report.unit.boundary)
    dates = sorted(r.received_at for r in reports)
    assert dates[0].date() >= dt.date(2025, 7, 1)
    assert dates[-1] <= timezone.now()
    statuses = {r.status for r in reports}
    assert {ReportStatus.CLOSED, ReportStatus.REFUSED, ReportStatus.MERGED} <= statuses
    assert statuses & {ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.ASSIGNED}
    assert sum(1 for r in reports if r.rating) >= 50
    assert FieldReport.objects.filter(selectors.overdue_q()).exists()
    assert len({r.category_id for r in reports}) >= 8
    figures = selectors.dashboard_figures(
        unit_ids={units.tay_ho.pk}, start=dt.date(2025, 7, 1), end=timezone.localdate()
    )
    assert 0.5 < figures["answer_on_time_rate"]["value"] < 1
    # Idempotent.
    registry.run_all(registry.DemoContext(out=lines.append), only={"urban.reports"})
    assert FieldReport.objects.count() == len(reports)
    assert any("phản ánh hiện trường mẫu" in line for line in lines)
