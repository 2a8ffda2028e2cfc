"""Background work of the kernel core."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def worker_heartbeat() -> str:
    """A no-op probe that ``/healthz`` enqueues: when it finishes, a worker is taking tasks."""
    return timezone.now().isoformat()
