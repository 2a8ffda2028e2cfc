"""GET /healthz: database, task worker, storage and search, 200 when all are fine, else 503."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _get(client: Client) -> tuple[int, dict[str, Any]]:
    response = client.get(reverse("core:healthz"))
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response.get("Cache-Control", "")
    return response.status_code, response.json()


def _run_db_worker() -> None:
    """The real django_tasks_db worker loop, once through the queue (as `db_worker --batch`)."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


@pytest.mark.django_db
def test_all_ok(client: Client) -> None:
    status, body = _get(client)
    assert status == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "worker", "storage", "search"}
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["storage"]["status"] == "ok"
    assert body["checks"]["worker"] == {"status": "ok", "backend": "immediate"}
    search = body["checks"]["search"]
    assert (search["status"], search["backend"], search["index"]) == ("ok", "tantivy", "open")
    with override_settings(SEARCH_BACKEND=""):
        assert _get(client)[1]["checks"]["search"] == {"status": "not_configured"}


@pytest.mark.django_db
def test_storage_probe_leaves_nothing_behind(client: Client, tmp_path: Path) -> None:
    storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)},
    }
    with override_settings(STORAGES={**_storages(), "default": storage}):
        status, body = _get(client)
    assert status == 200, body
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def _storages() -> dict[str, Any]:
    from django.conf import settings

    return dict(settings.STORAGES)


@pytest.mark.django_db
def test_broken_storage_gives_503(client: Client, tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(not_a_dir / "media")},
    }
    with override_settings(STORAGES={**_storages(), "default": storage}):
        status, body = _get(client)
    assert status == 503
    assert body["status"] == "degraded"
    assert body["checks"]["storage"]["status"] == "failing"
    assert body["checks"]["storage"]["error"]  # the exception class, no path or message
    assert str(tmp_path) not in str(body)
    assert body["checks"]["database"]["status"] == "ok"


@pytest.mark.django_db
def test_configured_search_without_index_fails(client: Client, tmp_path: Path) -> None:
    with override_settings(SEARCH_BACKEND="sqlite", SEARCH_INDEX_DIR=tmp_path / "missing"):
        status, body = _get(client)
    assert status == 503
    assert body["checks"]["search"]["status"] == "failing"


@pytest.mark.django_db(transaction=True)  # the worker closes connections
def test_db_worker_heartbeat_round_trip(client: Client) -> None:
    from django_tasks_db.models import DBTaskResult

    from congso.kernel.core.health import HEARTBEAT_TASK_PATH

    # Search off: with the database task backend nothing would build a missing index, and
    # whether this worker process built one earlier depends on which tests it ran before.
    with override_settings(TASKS=DB_TASKS, SEARCH_BACKEND=""):
        status, body = _get(client)
        worker = body["checks"]["worker"]
        assert status == 200, body
        assert worker["backend"] == "database"
        assert worker["last_heartbeat"] is None
        # The probe waits in the queue for a worker.
        assert (
            DBTaskResult.objects.filter(task_path=HEARTBEAT_TASK_PATH, status="READY").count() == 1
        )

        # A second call does not pile up probes while one is waiting.
        _get(client)
        assert DBTaskResult.objects.filter(task_path=HEARTBEAT_TASK_PATH).count() == 1

        _run_db_worker()

        status, body = _get(client)
        worker = body["checks"]["worker"]
        assert status == 200
        assert worker["waiting"] == 0
        assert worker["last_heartbeat"] is not None
        beat = dt.datetime.fromisoformat(worker["last_heartbeat"])
        assert (timezone.now() - beat).total_seconds() < 60


@pytest.mark.django_db(transaction=True)  # the worker closes connections
def test_stuck_queue_gives_503(client: Client) -> None:
    """A due task nobody picked up for longer than the limit: the worker is down."""
    from django_tasks_db.models import DBTaskResult

    from congso.kernel.core.tasks import worker_heartbeat

    with override_settings(TASKS=DB_TASKS, HEALTH_WORKER_MAX_WAIT_SECONDS=300, SEARCH_BACKEND=""):
        result = worker_heartbeat.enqueue()
        DBTaskResult.objects.filter(pk=result.id).update(
            enqueued_at=timezone.now() - dt.timedelta(minutes=10)
        )
        status, body = _get(client)
        assert status == 503
        worker = body["checks"]["worker"]
        assert worker["status"] == "failing"
        assert worker["oldest_wait_seconds"] >= 600
        assert worker["waiting"] >= 1

        # Once a worker drains the queue, the check recovers.
        _run_db_worker()
        status, body = _get(client)
        assert status == 200
        assert body["checks"]["worker"]["status"] == "ok"


@pytest.mark.django_db
def test_delayed_task_not_yet_due_does_not_count(client: Client) -> None:
    from congso.kernel.core.tasks import worker_heartbeat

    with override_settings(TASKS=DB_TASKS, HEALTH_WORKER_MAX_WAIT_SECONDS=60, SEARCH_BACKEND=""):
        worker_heartbeat.using(run_after=timezone.now() + dt.timedelta(hours=1)).enqueue()
        status, body = _get(client)
    assert status == 200
    assert body["checks"]["worker"]["oldest_wait_seconds"] < 60


def _redis_url() -> str | None:
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return None
    return url


@pytest.mark.django_db
def test_rq_worker_check(client: Client) -> None:
    url = _redis_url()
    if url is None:
        pytest.skip("no Redis server at 127.0.0.1:6379")
    import redis
    from rq import Queue, Worker

    rq_tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    conn = redis.Redis.from_url(url)
    with override_settings(TASKS=rq_tasks, RQ_QUEUES={"default": {"URL": url}}):
        for stale in Worker.all(connection=conn):
            stale.register_death()
        status, body = _get(client)
        assert status == 503
        assert body["checks"]["worker"] == {"status": "failing", "backend": "rq", "workers": 0}

        worker = Worker([Queue("default", connection=conn)], connection=conn, name="healthz-test")
        worker.register_birth()
        try:
            status, body = _get(client)
            assert status == 200
            assert body["checks"]["worker"]["workers"] == 1
        finally:
            worker.register_death()
