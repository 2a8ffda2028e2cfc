"""Several processes issue outgoing documents of one series at once through ``outgoing_issue``
(signing included), some rolled back after the number was taken: the numbers must be exactly
01..N, without gap or duplicate, on SQLite (a file) and on PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from congso.documents.models import OutgoingDocument, OutgoingStatus
from congso.kernel.audit.models import AuditEvent
from congso.kernel.numbering.models import Sequence

WORKERS = 3
PER_WORKER = 3
SRC_DIR = Path(__file__).resolve().parents[3]  # .../src


def _start(db_name: str, shares: list[list[int]], clerk_id: int) -> list[subprocess.Popen[str]]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "congso.test_settings"
    env["CONGSO_VAR_DIR"] = str(settings.VAR_DIR)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC_DIR), env.get("PYTHONPATH")]))
    env["OMP_THREAD_LIMIT"] = "1"
    return [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "congso.documents.tests.outgoing_mp_worker",
                "--db-name",
                db_name,
                "--worker",
                str(i),
                "--documents",
                ",".join(str(pk) for pk in share),
                "--clerk",
                str(clerk_id),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for i, share in enumerate(shares)
    ]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_processes_issue_gap_free_numbers(
    make_outgoing: Callable[..., OutgoingDocument],
    signing_credentials: dict[str, Any],
    clerk: Any,
) -> None:
    db_name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db(), "child processes need a file database"
    documents = [make_outgoing(until="signed") for _ in range(WORKERS * PER_WORKER)]
    shares = [[d.pk for d in documents[i::WORKERS]] for i in range(WORKERS)]
    procs = _start(db_name, shares, clerk.pk)
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
            out, err = proc.communicate(timeout=900)
            assert proc.returncode == 0, err[-3000:]
            results.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()

    total = WORKERS * PER_WORKER
    taken = sorted(n for r in results for n in r["issued"])
    assert sum(r["rolled_back"] for r in results) >= WORKERS
    # Exactly 1..N: no duplicate, no gap, whatever was rolled back.
    assert taken == list(range(1, total + 1))
    rows = OutgoingDocument.objects.filter(pk__in=[d.pk for d in documents])
    assert all(d.status == OutgoingStatus.ISSUED for d in rows)
    notations = sorted(rows.values_list("notation", flat=True))
    assert notations == sorted(f"{n:02d}/QĐ-UBND" for n in range(1, total + 1))
    year = rows.values_list("year", flat=True).first()
    unit_id = documents[0].unit_id
    assert (
        Sequence.objects.get(scope=f"unit:{unit_id}", series="outgoing:QĐ", year=year).last == total
    )
    assert AuditEvent.objects.filter(action="documents.outgoing_issue").count() == total
    assert max(r["started"] for r in results) < min(r["finished"] for r in results)
