"""The demo loader: ~150 works inside the wards, violations in every state, the warehouses case,
idempotent, fast."""

from __future__ import annotations

import time
from typing import Any

import pytest

from congso.kernel.core.demo import DemoContext, run_all
from congso.urban.construction import selectors
from congso.urban.construction.models import Violation, ViolationStatus, Work

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_inside_wards() -> None:
    from congso.kernel.orgunits.demo import demo_units
    from congso.urban import geo

    out: list[str] = []
    run_all(DemoContext(out=out.append), only={"units", "staff", "urban.geo"})
    started = time.monotonic()
    run_all(DemoContext(out=out.append), only={"urban.construction"})
    seconds = time.monotonic() - started
    units = demo_units()
    works = Work.objects.filter(unit__in=[units.tay_ho, units.phu_thuong])
    assert 140 <= works.count() <= 160
    assert units.tay_ho.boundary and units.phu_thuong.boundary  # the urban.geo loader's
    for work in works.select_related("unit"):
        assert work.lat is not None and work.lon is not None
        assert geo.unit_contains(work.unit, work.lat, work.lon), work.code
    statuses = set(Violation.objects.values_list("status", flat=True))
    assert statuses == set(ViolationStatus.values)
    assert selectors.overdue_violations({units.tay_ho.pk, units.phu_thuong.pk}).count() >= 4
    assert (
        Work.objects.filter(
            name="Dãy nhà kho tạm trên đất công", violations__category="encroachment"
        ).count()
        == 2
    )
    rate = selectors.control_rates({units.tay_ho.pk}, *selectors.month_bounds(*_this_month()))[0]
    assert rate.rate is not None and 50 < rate.rate < 100
    run_all(DemoContext(out=out.append), only={"urban.construction"})
    assert works.count() == Work.objects.filter(unit__in=[units.tay_ho, units.phu_thuong]).count()
    assert seconds < 20


def _this_month() -> tuple[int, int]:
    from django.utils import timezone

    today = timezone.localdate()
    return today.year, today.month


def test_demo_users_can_use_it(client: Any, login: Any) -> None:
    from django.urls import reverse

    from congso.kernel.people.models import User

    run_all(
        DemoContext(out=lambda _m: None), only={"units", "staff", "urban.geo", "urban.construction"}
    )
    login(client, User.objects.get(username="thanhtra.tayho"))
    page = client.get(reverse("urban_construction:work_list")).content.decode()
    assert "Sổ theo dõi công trình" in page and ", Phường Tây Hồ" in page
    assert ", Phường Phú Thượng" not in page
    overdue = client.get(
        reverse("urban_construction:violation_list"), {"overdue": "on"}
    ).content.decode()
    assert overdue.count('data-testid="overdue-badge"') >= 2
