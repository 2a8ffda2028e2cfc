"""Background work of field reports: thin wrappers over the services."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def reports_reminders() -> dict[str, Any]:
    """Due-soon and overdue reminders of field reports (each report once per kind)."""
    from congso.urban.reports.services import reports_send_reminders

    run = reports_send_reminders()
    return {
        "receipt_soon": run.receipt_soon,
        "handling_soon": run.handling_soon,
        "overdue": run.overdue,
    }
