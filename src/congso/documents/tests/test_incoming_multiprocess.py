"""Several processes register incoming documents at once through the service (files, audit,
duplicate checks and all), some failing on purpose: the arrival numbers must be exactly 1..N,
without gap or duplicate, on SQLite (a file) and on PostgreSQL."""

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

from congso.documents.models import IncomingDocument
from congso.kernel.audit.models import AuditEvent
from congso.kernel.numbering.models import Sequence

WORKERS = 4
PER_WORKER = 15
SRC_DIR = Path(__file__).resolve().parents[3]  # .../src


def _start(db_name: str, unit_id: int, clerk_id: int) -> list[subprocess.Popen[str]]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "congso.test_settings"
    env["CONGSO_VAR_DIR"] = str(settings.VAR_DIR)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC_DIR), env.get("PYTHONPATH")]))
    return [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "congso.documents.tests.incoming_mp_worker",
                "--db-name",
                db_name,
                "--worker",
                str(i),
                "--count",
                str(PER_WORKER),
                "--unit",
                str(unit_id),
                "--clerk",
                str(clerk_id),
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
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_processes_register_with_gap_free_arrival_numbers(ward_a: Any, clerk: Any) -> None:
    db_name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db(), "child processes need a file database"
    procs = _start(db_name, ward_a.pk, clerk.pk)
    results: list[dict[str, Any]] = []
    try:
        for proc in procs:
            assert proc.stdout is not None
            line = proc.stdout.readline().strip()
            assert line == "ready", (line, proc.stderr.read() if proc.stderr else "")
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        for proc in procs:
            out, err = proc.communicate(timeout=600)
            assert proc.returncode == 0, err[-3000:]
            results.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()

    refused = sum(r["refused"] for r in results)
    taken = sorted(n for r in results for n in r["committed"])
    assert refused == WORKERS * (PER_WORKER // 5)
    assert len(taken) == WORKERS * PER_WORKER - refused
    # Exactly 1..N, whatever failed and whoever ran when.
    assert taken == list(range(1, len(taken) + 1))
    stored = sorted(
        IncomingDocument.objects.filter(unit=ward_a).values_list("arrival_number", flat=True)
    )
    assert stored == taken
    year = IncomingDocument.objects.values_list("arrival_year", flat=True).first()
    assert Sequence.objects.get(scope=f"unit:{ward_a.pk}", series="arrival", year=year).last == len(
        taken
    )
    assert AuditEvent.objects.filter(action="documents.incoming_register").count() == len(taken)
    # They ran at the same time, and each got some of the numbers.
    assert max(r["started"] for r in results) < min(r["finished"] for r in results)
    assert all(r["committed"] for r in results)
