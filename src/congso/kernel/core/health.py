"""Health checks behind ``GET /healthz``: database, task worker, file storage, search index.

Each check returns ``{"status": "ok" | "failing" | "not_configured", ...details}``. The endpoint
is public (load balancers and monitors call it without a login), so details never carry error
messages, hosts or paths: only the exception's class name.

How the worker is judged, by task backend:

- ``immediate`` (tests): tasks run inline in the request, there is no worker to lose: ``ok``.
- database (``django_tasks_db``): the package keeps no worker heartbeat, so we measure the queue
  itself. ``/healthz`` enqueues a tiny probe task (``core.tasks.worker_heartbeat``) when none is
  waiting and the last one finished more than ``HEALTH_HEARTBEAT_SECONDS`` ago; a running worker
  picks it up within seconds. The check fails when any task that is due has been waiting longer
  than ``HEALTH_WORKER_MAX_WAIT_SECONDS`` (default 300): a dead worker, or workers that cannot
  keep up. So a worker that stops is reported at most that long after the first probe it leaves
  behind; the time of the last finished probe is reported as ``last_heartbeat``.
- RQ (``django_tasks_rq``): Redis must answer a PING and at least one RQ worker must be registered
  (RQ workers keep their own heartbeat keys in Redis).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Q
from django.utils import timezone

OK = "ok"
FAILING = "failing"
NOT_CONFIGURED = "not_configured"

HEARTBEAT_TASK_PATH = "congso.kernel.core.tasks.worker_heartbeat"


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)


def _failure(exc: BaseException, **extra: Any) -> dict[str, Any]:
    return {"status": FAILING, "error": type(exc).__name__, **extra}


def check_database() -> dict[str, Any]:
    start = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            row = cursor.fetchone()
        if row is None or row[0] != 1:
            return {"status": FAILING, "error": "UnexpectedResult", "vendor": connection.vendor}
    except Exception as exc:
        return _failure(exc, vendor=connection.vendor)
    return {"status": OK, "vendor": connection.vendor, "ms": _ms(start)}


def check_storage() -> dict[str, Any]:
    """Writes, reads back and deletes a small probe file in the default storage."""
    start = time.perf_counter()
    payload = f"congso healthz {uuid.uuid4()}".encode()
    name = f"healthz/probe-{uuid.uuid4().hex}.txt"
    saved: str | None = None
    try:
        saved = default_storage.save(name, ContentFile(payload))
        with default_storage.open(saved, "rb") as handle:
            read_back = handle.read()
        if read_back != payload:
            return {"status": FAILING, "error": "ReadBackMismatch"}
    except Exception as exc:
        return _failure(exc)
    finally:
        if saved is not None:
            # The probe's result above is what we report; a failed clean-up must not mask it.
            with contextlib.suppress(Exception):
                default_storage.delete(saved)
    return {"status": OK, "backend": settings.STORAGE_BACKEND, "ms": _ms(start)}


def check_search() -> dict[str, Any]:
    """Not configured until a search backend is set (``SEARCH_BACKEND``); then the search
    module reports its index: open or not, entries, outbox lag (``kernel/search/health.py``)."""
    backend = getattr(settings, "SEARCH_BACKEND", "")
    if not backend:
        return {"status": NOT_CONFIGURED}
    from congso.kernel.search.health import check

    try:
        result: dict[str, Any] = check()
    except Exception as exc:
        return _failure(exc, backend=backend)
    return {"backend": backend, **result}


# --- the task worker -----------------------------------------------------------------------------


def _task_backend_path(alias: str = "default") -> str:
    return str(settings.TASKS.get(alias, {}).get("BACKEND", ""))


def check_worker() -> dict[str, Any]:
    path = _task_backend_path()
    try:
        if path.endswith("ImmediateBackend"):
            return {"status": OK, "backend": "immediate"}
        if path.startswith("django_tasks_db."):
            return _check_db_worker()
        if path.startswith("django_tasks_rq."):
            return _check_rq_worker()
    except Exception as exc:
        return _failure(exc)
    return {"status": FAILING, "error": "UnknownTaskBackend"}


def _check_db_worker(alias: str = "default") -> dict[str, Any]:
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()
    max_wait = int(settings.HEALTH_WORKER_MAX_WAIT_SECONDS)
    beat_every = int(settings.HEALTH_HEARTBEAT_SECONDS)
    results = DBTaskResult.objects.filter(backend_name=alias)

    # Due tasks nobody has claimed: those without a delay wait since they were enqueued, delayed
    # ones since their run_after passed.
    due = results.filter(status=TaskResultStatus.READY)
    no_delay = due.filter(run_after=get_date_max()).order_by("enqueued_at").first()
    delayed = (
        due.filter(run_after__lte=now).exclude(run_after=get_date_max()).order_by("run_after")
    ).first()
    waiting_since: dt.datetime | None = None
    if no_delay is not None:
        waiting_since = no_delay.enqueued_at
    if delayed is not None and (waiting_since is None or delayed.run_after < waiting_since):
        waiting_since = delayed.run_after
    waiting = due.filter(Q(run_after=get_date_max()) | Q(run_after__lte=now)).count()
    oldest_wait = (now - waiting_since).total_seconds() if waiting_since is not None else 0.0

    beats = results.filter(task_path=HEARTBEAT_TASK_PATH)
    last = beats.filter(status=TaskResultStatus.SUCCESSFUL).order_by("-finished_at").first()
    pending = beats.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).exists()
    if not pending and (last is None or (now - last.finished_at).total_seconds() > beat_every):
        _send_heartbeat(beats, last)

    details: dict[str, Any] = {
        "status": FAILING if oldest_wait > max_wait else OK,
        "backend": "database",
        "waiting": waiting,
        "oldest_wait_seconds": round(oldest_wait),
        "max_wait_seconds": max_wait,
        "last_heartbeat": last.finished_at.isoformat() if last is not None else None,
    }
    return details


def _send_heartbeat(beats: Any, last: Any) -> None:
    from django_tasks_db.compat import TaskResultStatus

    from congso.kernel.core.tasks import worker_heartbeat

    # Keep the table small: only the newest finished probe is worth keeping.
    old = beats.filter(status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED])
    if last is not None:
        old = old.exclude(pk=last.pk)
    old.delete()
    worker_heartbeat.enqueue()


def _check_rq_worker(queue: str = "default") -> dict[str, Any]:
    import redis
    from rq import Worker

    url = settings.RQ_QUEUES[queue]["URL"]
    conn = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        conn.ping()
        workers = Worker.count(connection=conn)
    finally:
        conn.close()
    return {"status": OK if workers > 0 else FAILING, "backend": "rq", "workers": workers}


CHECKS: dict[str, Callable[[], dict[str, Any]]] = {
    "database": check_database,
    "worker": check_worker,
    "storage": check_storage,
    "search": check_search,
}


def health_report() -> tuple[bool, dict[str, Any]]:
    """Runs every check; healthy when none is failing (``not_configured`` does not fail)."""
    checks = {}
    for name, check in CHECKS.items():
        try:
            checks[name] = check()
        except Exception as exc:  # a check must never turn /healthz into a 500
            checks[name] = _failure(exc)
    healthy = all(result["status"] in (OK, NOT_CONFIGURED) for result in checks.values())
    return healthy, {"status": "ok" if healthy else "degraded", "checks": checks}
