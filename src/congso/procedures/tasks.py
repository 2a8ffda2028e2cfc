"""Background work of the one-stop shop: thin wrappers over the services.

Reminders have no scheduler of their own (django_tasks has none): ``manage.py
procedures_reminders --every 900`` is a small clock that enqueues ``procedures_reminders`` for
the worker every 15 minutes (started next to the documents' clock in ``scripts/serve.sh``).
Without ``--every`` the command runs the reminders once, in-process (cron, a systemd timer).
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
