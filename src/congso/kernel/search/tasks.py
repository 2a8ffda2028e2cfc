"""Background work of search: apply the outbox to the index."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from congso.kernel.search.services import search_drain


@task()
def search_drain_task() -> dict[str, Any]:
    """Apply every pending outbox row (enqueued after each committed change)."""
    report = search_drain()
    return {
        "rows": report.rows,
        "upserted": report.upserted,
        "deleted": report.deleted,
        "rebuilt": report.rebuilt,
    }
