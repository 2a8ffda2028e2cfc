"""The demo catalogue (order 50): about 25 ward-level procedures, idempotent, usable end to end."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from congso.kernel.orgunits.models import Department, DepartmentKind
from congso.procedures import demo, timing
from congso.procedures.models import DossierStatus, Procedure
from congso.procedures.services import dossier_receive_at_desk

pytestmark = pytest.mark.django_db


def test_demo_catalogue_is_idempotent_and_complete() -> None:
    assert demo.load_catalogue() == len(demo.SPECS)
    assert demo.load_catalogue() == 0
    procedures = list(Procedure.objects.prefetch_related("papers", "steps", "fees"))
    assert 25 <= len(procedures) <= 30
    assert all(p.is_demo and "DỮ LIỆU MẪU" in p.notes for p in procedures)
    codes = {p.code for p in procedures}
    assert len(codes) == len(procedures)
    for p in procedures:
        assert p.papers.all() and any(x.required for x in p.papers.all()), p.code
        steps = list(p.steps.all())
        assert len(steps) == 4 and all(s.allotted_hours > 0 for s in steps), p.code
        total = sum((s.allotted_hours for s in steps), Decimal(0))
        assert total == (timing.legal_hours(p) or Decimal(8)), p.code
    copies = Procedure.objects.get(code="2.000908")
    assert copies.cutoff_time is not None and copies.cutoff_time.hour == 15
    assert Procedure.objects.filter(duration_unit="hours").exists()
    assert set(Procedure.objects.values_list("field__code", flat=True)) == {
        "HT",
        "CT",
        "HKD",
        "XD",
        "DD",
        "BTXH",
        "NCC",
    }


def test_every_demo_procedure_takes_a_desk_dossier(
    ward_a: Any, onestop: Any, applicant: dict[str, Any]
) -> None:
    for abbreviation, kind in (
        ("TTPVHCC", DepartmentKind.SERVICE_CENTRE),
        ("KT", DepartmentKind.DIVISION),
        ("VHXH", DepartmentKind.DIVISION),
        ("LĐ", DepartmentKind.LEADERSHIP),
    ):
        Department.objects.create(
            unit=ward_a, name=abbreviation, abbreviation=abbreviation, kind=kind
        )
    demo.load_catalogue()
    for procedure in Procedure.objects.all():
        required = [p.pk for p in procedure.papers.all() if p.required]
        dossier = dossier_receive_at_desk(
            unit=ward_a,
            procedure=procedure,
            applicant=applicant,
            papers_provided=required,
            officer=onestop,
        )
        assert dossier.status == DossierStatus.ACCEPTED and dossier.due_at is not None
        step = dossier.current_step
        assert step is not None and step.department is not None
        assert step.department.abbreviation == "TTPVHCC"
