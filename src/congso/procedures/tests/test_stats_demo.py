# ruff: noqa: F811 - fixtures imported from p3_fixtures
"""The demo dossiers loader (order 55): consistent codes, counters, outcomes, fast."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from congso.kernel.numbering.services import number_next
from congso.procedures.models import Dossier, DossierStatus, Timeliness
from congso.procedures.stats import summary
from congso.procedures.stats.demo import Plan, generate
from congso.procedures.stats.services import statistics, stats_query
from congso.procedures.tests.p3_fixtures import (  # noqa: F401 - fixtures
    civil_field,
    desk_procedure,
    online_procedure,
)

pytestmark = pytest.mark.django_db
S = DossierStatus


def test_generate_consistent(
    ward_a: Any, ward_b: Any, online_procedure: Any, desk_procedure: Any, make_user: Any
) -> None:
    from congso.kernel.people.models import Role

    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        result = generate(
            [ward_a, ward_b],
            [online_procedure, desk_procedure],
            Plan(start=today - dt.timedelta(days=120), end=today - dt.timedelta(days=1), per_day=8),
            now=now,
        )
    assert result.dossiers == Dossier.objects.count() > 300
    codes = list(Dossier.objects.values_list("unit__org_code", "code", "register_number"))
    for org_code, code, _line in codes:
        assert re.fullmatch(rf"{re.escape(org_code)}-\d{{6}}-\d{{4}}", code)
    lines = [(c[0], c[2]) for c in codes]
    assert len(set(lines)) == len(lines)
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {S.RETURNED, S.IN_PROCESS, S.SUPPLEMENT_REQUESTED} <= statuses
    timeliness = set(Dossier.objects.exclude(timeliness="").values_list("timeliness", flat=True))
    assert timeliness == {Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE}
    assert Dossier.objects.filter(status=S.IN_PROCESS, due_at__lt=now).exists()  # overdue now
    assert Dossier.objects.filter(status=S.IN_PROCESS, due_at__gt=now).exists()
    for d in Dossier.objects.exclude(completed_at=None)[:200]:
        assert d.received_at <= d.completed_at and d.timeliness
    # The counters continue after the bulk load.
    last = Dossier.objects.filter(unit=ward_a).order_by("-submitted_at").first()
    assert last is not None
    day = timezone.localtime(last.submitted_at).date()
    with transaction.atomic():
        following = number_next(
            scope=f"procedures:{ward_a.pk}", series=f"dossier-{day:%y%m%d}", year=day.year
        )
    assert following == int(last.code.rsplit("-", 1)[1]) + 1
    # The statistics see them.
    summary.rebuild()
    leader = make_user(Role.LEADER, ward_a)
    report = statistics(
        stats_query(user=leader, unit=ward_a.pk, start=today - dt.timedelta(days=120), end=today)
    )
    assert report.total.received > 100 and report.total.resolved > 50 and report.total.overdue
    assert report.total.ratings > 0
