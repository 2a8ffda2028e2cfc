from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from congso.kernel.core.management.commands.clock import clock_jobs


def test_every_configured_task_imports() -> None:
    paths = [path for path, _task, _every in clock_jobs()]
    assert "congso.procedures.tasks.procedures_reminders" in paths
    assert "congso.documents.tasks.incoming_reminders" in paths


@override_settings(CLOCK_TASKS=[("congso.nowhere.task", 60)])
def test_bad_entry_is_an_error_at_start() -> None:
    with pytest.raises(CommandError, match="không nạp được"):
        clock_jobs()


@override_settings(CLOCK_TASKS=[("congso.documents.tasks.incoming_reminders", 0)])
def test_period_must_be_positive() -> None:
    with pytest.raises(CommandError, match="số giây dương"):
        clock_jobs()


@pytest.mark.django_db
@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}},
    CLOCK_TASKS=[("congso.documents.tasks.incoming_reminders", 60)],
)
def test_once_enqueues_each_task_for_the_worker() -> None:
    call_command("clock", "--once")
    assert (
        DBTaskResult.objects.filter(task_path="congso.documents.tasks.incoming_reminders").count()
        == 1
    )
