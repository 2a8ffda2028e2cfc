"""The incoming documents demo: directory, a few dozen Tây Hồ documents at every stage,
idempotent."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from congso.documents.demo import DEMO_SENDERS, TAY_HO_INCOMING
from congso.documents.models import Assignment, AssignmentStatus, IncomingDocument, Organisation
from congso.kernel.core import demo as registry

pytestmark = pytest.mark.django_db


def _run() -> list[str]:
    lines: list[str] = []
    registry.run_all(
        registry.DemoContext(out=lines.append), only={"units", "staff", "documents.incoming"}
    )
    return lines


def test_demo_incoming_documents(capsys: Any) -> None:
    from congso.kernel.orgunits.demo import demo_units

    lines = _run()
    units = demo_units()
    assert any("văn bản đến mẫu mới" in line for line in lines)
    # The directory: the demo senders (fake codes, marked) and the served wards, linked.
    for name, code, _abbr in DEMO_SENDERS:
        assert Organisation.objects.get(name=name).org_code == code
        assert code.endswith("-DEMO")
    for unit in units.served:
        assert Organisation.objects.get(unit=unit).name == unit.display_committee
    docs = IncomingDocument.objects.filter(unit=units.tay_ho)
    assert docs.count() == len(TAY_HO_INCOMING)
    # Numbers run 1..N in the order of arrival.
    ordered = list(docs.order_by("arrived_at", "pk").values_list("arrival_number", flat=True))
    assert ordered == list(range(1, len(ordered) + 1))
    statuses = set(docs.values_list("status", flat=True))
    assert statuses == {"registered", "presented", "assigned", "in_progress", "done"}
    assert docs.filter(urgency__gte=1).count() >= 5
    today = timezone.localdate()
    overdue = Assignment.objects.filter(
        document__unit=units.tay_ho, status=AssignmentStatus.OPEN, deadline__lt=today
    )
    assert overdue.count() >= 3
    # Again: nothing new.
    _run()
    assert IncomingDocument.objects.filter(unit=units.tay_ho).count() == len(TAY_HO_INCOMING)
