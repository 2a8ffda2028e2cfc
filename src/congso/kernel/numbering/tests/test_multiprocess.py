"""Several processes take numbers of one sequence at once, some rolling back: the committed
numbers must be exactly 1..N (no duplicate, no gap), on SQLite (a file) and on PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from congso.kernel.audit.models import AuditEvent
from congso.kernel.numbering.models import Sequence

WORKERS = 4
PER_WORKER = 50
SRC_DIR = Path(__file__).resolve().parents[4]  # .../src


def _start_workers(db_name: str) -> list[subprocess.Popen[str]]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "congso.test_settings"
    env["CONGSO_VAR_DIR"] = str(settings.VAR_DIR)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC_DIR), env.get("PYTHONPATH")]))
    return [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "congso.kernel.numbering.tests.mp_worker",
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


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_processes_take_gap_free_numbers_at_once() -> None:
    db_name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db(), "child processes need a file database"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE numbering_mp_log (n integer NOT NULL, worker integer NOT NULL)"
        )
    procs = _start_workers(db_name)
    try:
        for proc in procs:
            assert proc.stdout is not None
            line = proc.stdout.readline().strip()
            assert line == "ready", (line, proc.stderr.read() if proc.stderr else "")
        for proc in procs:  # all connected: start them together
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        results: list[dict[str, Any]] = []
        for proc in procs:
            out, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, err
            results.append(json.loads(out.strip().splitlines()[-1]))

        with connection.cursor() as cursor:
            cursor.execute("SELECT n, worker FROM numbering_mp_log ORDER BY n, worker")
            rows = cursor.fetchall()
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE numbering_mp_log")

    committed = sum(r["committed"] for r in results)
    rolled_back = sum(r["rolled_back"] for r in results)
    numbers = [n for n, _ in rows]
    assert rolled_back > 0 and committed > 0
    assert committed + rolled_back >= WORKERS * PER_WORKER
    # Exactly 1..N: no duplicate, no gap, whatever was rolled back.
    assert numbers == list(range(1, committed + 1))
    seq = Sequence.objects.get(scope="unit:mp:arrival", series="arrival", year=2026)
    assert seq.last == committed
    # Each committed transaction also recorded its audit event (number first, event last:
    # no deadlock between the counter row and the audit log's lock).
    events = AuditEvent.objects.filter(action="numbering.test")
    assert events.count() == committed
    assert sorted(int(e.summary.split()[1]) for e in events) == numbers
    # The workers really ran at the same time, and each committed some of the numbers.
    assert max(r["started"] for r in results) < min(r["finished"] for r in results)
    assert {w for _, w in rows} == set(range(WORKERS))
