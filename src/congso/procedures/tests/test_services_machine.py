"""Property test of the state machine: any sequence of actions by anyone either moves the dossier
along an allowed transition (with its event and audit record) or is refused leaving it as it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congso.kernel.audit.models import AuditEvent
from congso.kernel.errors import DomainError
from congso.procedures import services
from congso.procedures.models import Dossier

pytestmark = pytest.mark.django_db

Action = Callable[[Dossier, dict[str, Any]], Any]

ACTIONS: dict[str, Action] = {
    "accept": lambda d, p: services.dossier_accept(dossier=d, officer=p["actor"]),
    "refuse": lambda d, p: services.dossier_refuse(dossier=d, actor=p["actor"], reason="Sai"),
    "supplement": lambda d, p: services.dossier_request_supplement(
        dossier=d, actor=p["actor"], items="Tờ khai"
    ),
    "supplied": lambda d, p: services.dossier_supplement_received(dossier=d, actor=p["actor"]),
    "fees": lambda d, p: services.dossier_request_fees(dossier=d, actor=p["actor"], amount=1000),
    "paid": lambda d, p: services.dossier_fees_paid(dossier=d, actor=p["actor"]),
    "hand_over": lambda d, p: services.dossier_hand_over(
        dossier=d, actor=p["actor"], to_user=p["specialist"]
    ),
    "extend": lambda d, p: services.dossier_extend(
        dossier=d,
        actor=p["actor"],
        new_due_at=(d.due_at or d.submitted_at) + dt.timedelta(days=30),
        reason="Xác minh",
    ),
    "stop": lambda d, p: services.dossier_stop(dossier=d, actor=p["actor"], reason="Dừng"),
    "withdraw": lambda d, p: services.dossier_withdraw(dossier=d, actor=p["actor"]),
    "complete": lambda d, p: services.dossier_complete(dossier=d, actor=p["actor"]),
    "return": lambda d, p: services.dossier_return(dossier=d, actor=p["actor"]),
}
ACTORS = ("onestop", "specialist", "leader", "stranger")


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    online=st.booleans(),
    moves=st.lists(
        st.tuples(st.sampled_from(sorted(ACTIONS)), st.sampled_from(ACTORS)), max_size=7
    ),
)
def test_any_sequence_follows_the_table(
    ward_a: Any,
    ward_b: Any,
    procedure: Any,
    onestop: Any,
    specialist: Any,
    leader: Any,
    make_user: Any,
    applicant: dict[str, Any],
    online: bool,
    moves: list[tuple[str, str]],
) -> None:
    stranger = make_user("onestop_officer", ward_b)
    people = {"onestop": onestop, "specialist": specialist, "leader": leader, "stranger": stranger}
    if online:
        dossier = services.dossier_submit_online(
            unit=ward_a, procedure=procedure, applicant=applicant
        )
    else:
        required = [p.pk for p in procedure.papers.all() if p.required]
        dossier = services.dossier_receive_at_desk(
            unit=ward_a,
            procedure=procedure,
            applicant=applicant,
            papers_provided=required,
            officer=onestop,
        )
    for name, who in moves:
        before = Dossier.objects.get(pk=dossier.pk)
        events = before.events.count()
        audits = AuditEvent.objects.count()
        try:
            ACTIONS[name](before, {"actor": people[who], "specialist": specialist})
        except DomainError:
            after = Dossier.objects.get(pk=dossier.pk)
            assert after.status == before.status
            assert after.due_at == before.due_at
            assert after.events.count() == events
            assert AuditEvent.objects.count() == audits
            continue
        after = Dossier.objects.get(pk=dossier.pk)
        assert who != "stranger"
        if after.status != before.status:
            assert after.status in services.TRANSITIONS[before.status], (name, before.status)
        assert after.events.count() == events + 1
        assert AuditEvent.objects.filter(action__startswith="dossier.").count() > 0
        assert after.status not in {3, 7, 8, 10} or after.closed_at or after.returned_at
