"""The demo portfolio reproduces the seed's 2016–2020 figures: 52 projects, 22 completed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from congso.urban import geo
from congso.urban.clearance import selectors
from congso.urban.clearance.demo_clearance import load_portfolio
from congso.urban.clearance.models import (
    STEP_DATE_FIELDS,
    AffectedParty,
    ClearanceProject,
    LandType,
    ProjectStatus,
    Step,
)


def test_demo_portfolio_52_22(wards: Any) -> None:
    tay_ho, phu_thuong = wards
    today = dt.date(2026, 11, 27)
    built = load_portfolio(tay_ho, phu_thuong, today)
    assert built.projects == 57
    both = {tay_ho.pk, phu_thuong.pk}
    p = selectors.portfolio(both, dt.date(2016, 1, 1), dt.date(2020, 12, 31))
    assert (p.projects, p.completed) == (52, 22)
    assert p.progress.handed_over > 0 and p.progress.paid_vnd > 0
    names = set(ClearanceProject.objects.values_list("name", flat=True))
    for expected in ("Cầu Nhật Tân", "vành đai 2", "Tây Hồ Tây", "Văn Cao – Hồ Tây"):
        assert any(expected in n for n in names), expected
    assert ClearanceProject.objects.filter(start_date__gte=dt.date(2025, 1, 1)).count() == 5
    # Every point lies in its ward; every party's dates follow the rules.
    for project in ClearanceProject.objects.all():
        assert geo.unit_contains(project.unit, project.lat, project.lon), project.name
    for party in AffectedParty.objects.all():
        dates = [getattr(party, STEP_DATE_FIELDS[s]) for s in range(1, party.step + 1)]
        assert all(d is not None for d in dates)
        assert dates == sorted(dates), party
        assert all(d <= today for d in dates)
        if party.step >= Step.PLAN_APPROVED:
            assert (party.plan_approved_on - party.plan_posted_on).days >= 30
        if party.step >= Step.DECIDED:
            wait = 90 if party.land_type == LandType.AGRICULTURAL else 180
            assert (party.decided_on - party.notified_on).days >= wait
    for project in ClearanceProject.objects.filter(status=ProjectStatus.COMPLETED):
        assert not project.parties.exclude(step=Step.HANDED_OVER).exists()
    # Idempotent.
    again = load_portfolio(tay_ho, phu_thuong, today)
    assert again.projects == 0 and again.skipped == 57
