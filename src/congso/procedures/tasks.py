"""Background work of the one-stop shop: thin wrappers over the services.

The platform's clock (``manage.py clock``, ``settings.CLOCK_TASKS``) enqueues
``procedures_reminders`` for the worker periodically. ``manage.py procedures_reminders`` runs the
reminders once, in-process (cron, a systemd timer); with ``--every N`` it is a clock of its own.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def procedures_reminders() -> dict[str, Any]:
    """Send the due-soon and overdue reminders of dossiers and their steps (each once)."""
    from congso.procedures.reminders import send_reminders

    run = send_reminders()
    return {
        "step_due_soon": run.step_due_soon,
        "step_overdue": run.step_overdue,
        "due_soon": run.due_soon,
        "overdue": run.overdue,
    }
