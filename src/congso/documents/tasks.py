"""Background work of the documents domain: thin wrappers over the services.

Each area appends its own tasks below its heading.

Reminders have no scheduler of their own (django_tasks has none): ``manage.py
documents_reminders --every 900`` is a small clock that enqueues ``incoming_reminders`` every 15
minutes for the worker, and ``scripts/serve.sh`` starts it next to the worker. Without
``--every`` the command runs the reminders once, in-process (for cron or a systemd timer).
See docs/decisions/0005-document-reminders.md.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

# --- incoming documents ----------------------------------------------------------------------


@task()
def incoming_reminders() -> dict[str, Any]:
    """Send the due-soon and overdue reminders of incoming documents (each once)."""
    from congso.documents.services.incoming import incoming_send_reminders

    run = incoming_send_reminders()
    return {"due_soon": run.due_soon, "overdue": run.overdue}


# --- registers and files (hồ sơ) -------------------------------------------------------------


@task()
def register_print(export_id: int) -> str:
    """Lay out a long register as PDF (services.registers.register_pdf_build)."""
    from congso.documents.services.registers import register_pdf_build

    return str(register_pdf_build(export_id=export_id).status)


@task()
def files_deposit_reminders() -> int:
    """Tell keepers and clerks about files due for deposit within 30 days (each file once)."""
    from congso.documents.services.filing import files_deposit_remind

    return files_deposit_remind()
