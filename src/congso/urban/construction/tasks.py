"""Background work of construction order: the daily reminders (a thin wrapper over services)."""

from __future__ import annotations

from django_tasks import task

from congso.urban.construction.services import violations_remind


@task()
def construction_reminders_task() -> dict[str, int]:
    return violations_remind()
