"""Deadline reminders: steps and dossiers, due soon and overdue, each once per due time."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from congso.kernel.notifications.models import Notification
from congso.procedures.models import DossierReminder
from congso.procedures.reminders import send_reminders
from congso.procedures.services import dossier_receive_at_desk

from .conftest import vn

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(ward_a: Any, procedure: Any, onestop: Any, applicant: dict[str, Any]) -> Any:
    required = [p.pk for p in procedure.papers.all() if p.required]
    d = dossier_receive_at_desk(
        unit=ward_a,
        procedure=procedure,
        applicant=applicant,
        papers_provided=required,
        officer=onestop,
        at=vn(2026, 3, 2, 9, 0),
    )
    assert d.due_at == vn(2026, 3, 5, 9, 0)
    assert d.current_step is not None and d.current_step.due_at == vn(2026, 3, 2, 14, 0)
    return d


def counts(now: Any) -> tuple[int, int, int, int]:
    run = send_reminders(now)
    return (run.step_due_soon, run.step_overdue, run.due_soon, run.overdue)


def test_reminders_go_once_per_threshold(dossier: Any, onestop: Any, leader: Any) -> None:
    assert counts(vn(2026, 3, 2, 8, 30)) == (0, 0, 0, 0)  # step due 14:00; 4 h ahead: 13:30
    assert counts(vn(2026, 3, 2, 10, 30)) == (1, 0, 0, 0)
    assert counts(vn(2026, 3, 2, 10, 45)) == (0, 0, 0, 0)  # once
    assert counts(vn(2026, 3, 2, 14, 30)) == (0, 1, 0, 0)
    assert counts(vn(2026, 3, 4, 15, 0)) == (0, 0, 1, 0)  # dossier due Thu 09:00
    assert counts(vn(2026, 3, 5, 10, 0)) == (0, 0, 0, 1)
    assert counts(vn(2026, 3, 6, 10, 0)) == (0, 0, 0, 0)
    mine = Notification.objects.filter(recipient=onestop, kind__startswith="procedures.")
    assert set(mine.values_list("kind", flat=True)) >= {
        "procedures.step_due_soon",
        "procedures.step_overdue",
        "procedures.due_soon",
        "procedures.overdue",
    }
    assert Notification.objects.filter(recipient=leader, kind="procedures.overdue").count() == 1
    assert DossierReminder.objects.count() == 4


def test_settings_change_the_threshold(dossier: Any, settings: Any) -> None:
    settings.ONESTOP_REMIND_BEFORE_HOURS = 1
    assert counts(vn(2026, 3, 2, 10, 30)) == (0, 0, 0, 0)
    assert counts(vn(2026, 3, 2, 13, 0)) == (1, 0, 0, 0)


def test_paused_dossiers_are_not_reminded(dossier: Any, onestop: Any) -> None:
    from congso.procedures.services import dossier_request_supplement

    dossier_request_supplement(dossier=dossier, actor=onestop, items="Giấy chứng sinh")
    assert counts(vn(2026, 3, 5, 10, 0)) == (0, 0, 0, 0)


def test_command_runs_once(dossier: Any, capsys: Any) -> None:
    call_command("procedures_reminders")
    out = capsys.readouterr().out
    assert "hồ sơ quá hạn: 1" in out  # the dossier of March 2026 is long overdue by now
