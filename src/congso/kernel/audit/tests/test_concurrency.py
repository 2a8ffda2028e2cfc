"""Writers in several processes (and threads) at once: the chain must stay strictly serial."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections, transaction

from congso.kernel.audit.models import AuditEvent
from congso.kernel.audit.services import audit_record

SRC_DIR = Path(__file__).resolve().parents[4]  # .../src
WORKERS = 4
PER_WORKER = 40


def _assert_chain_intact(expected: int) -> None:
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, expected + 1))
    out = io.StringIO()
    call_command("audit_verify", stdout=out, stderr=io.StringIO())
    assert f"Nhật ký toàn vẹn: {expected} sự kiện" in out.getvalue()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_processes_record_at_once() -> None:
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db(), "child processes need a file database"
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "congso.test_settings"
    env["CONGSO_VAR_DIR"] = str(settings.VAR_DIR)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC_DIR), env.get("PYTHONPATH")]))
    db_name = str(connection.settings_dict["NAME"])
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "congso.kernel.audit.tests.mp_worker",
                "--db-name",
                db_name,
                "--worker",
                str(i),
                "--count",
                str(PER_WORKER),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for i in range(WORKERS)
    ]
    try:
        for proc in procs:
            assert proc.stdout is not None
            line = proc.stdout.readline().strip()
            assert line == "ready", (line, proc.stderr.read() if proc.stderr else "")
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        committed = 0
        for proc in procs:
            out, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, err
            result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
            assert result["committed"] + result["rolled_back"] == PER_WORKER
            committed += result["committed"]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    assert 0 < committed < WORKERS * PER_WORKER  # some were rolled back on purpose
    _assert_chain_intact(committed)
    workers = {e.changes["worker"][1] for e in AuditEvent.objects.all()}
    assert workers == set(range(WORKERS))


@pytest.mark.django_db(transaction=True)
def test_threads_record_at_once() -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads need a file database on SQLite")
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            barrier.wait()
            for i in range(15):
                with transaction.atomic():
                    audit_record(action="test.thread", summary=f"luồng {n}, sự kiện {i}")
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    _assert_chain_intact(60)
