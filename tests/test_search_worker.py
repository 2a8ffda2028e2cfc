"""The worker dies in the middle of an indexing batch; after a restart the index is complete
and ``search_check`` reports no difference. Runs on SQLite (a file) and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from congso.documents.models import DocumentType, IncomingDocument
from congso.kernel.people.models import Role
from congso.kernel.search.models import SearchOutbox
from congso.kernel.search.selectors import search_for
from congso.kernel.search.services import pending_outbox, search_check, search_drain, search_rebuild
from congso.kernel.search.tests.fixtures import search_index  # noqa: F401

pytestmark = pytest.mark.usefixtures("search_index")

SRC_DIR = Path(__file__).resolve().parents[1] / "src"
DOCUMENTS = 400
BATCH = 20
PARAGRAPH = (
    "Căn cứ Luật Tổ chức chính quyền địa phương; xét đề nghị của Văn phòng HĐND-UBND phường, "
    "Ủy ban nhân dân phường giao các tổ dân phố rà soát, thống kê và báo cáo kết quả. "
)


def _child(db_name: str, index: Path) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "congso.test_settings"
    env["CONGSO_VAR_DIR"] = str(settings.VAR_DIR)
    env["SEARCH_INDEX_DIR"] = str(index)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC_DIR), env.get("PYTHONPATH")]))
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "congso.kernel.search.tests.drain_worker",
            "--db-name",
            db_name,
            "--batch",
            str(BATCH),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_batch_then_restarted(ward_a: Any, make_user: Any) -> None:
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db(), "the child process needs a file database"
    search_rebuild()  # an empty live index, as on a running system
    doc_type = DocumentType.objects.order_by("pk").first()
    docs = IncomingDocument.objects.bulk_create(
        [
            IncomingDocument(
                unit=ward_a,
                arrival_year=2026,
                arrival_number=n,
                channel="paper",
                sender_name="Sở Nội vụ",
                document_type=doc_type,
                subject=f"Báo cáo rà soát tổ dân phố số {n}",
                text=PARAGRAPH * 40 + f" Mã kiểm tra vb{n:04d}.",
            )
            for n in range(1, DOCUMENTS + 1)
        ]
    )
    # The rows the services wrote with those changes (bulk_create sends no signal).
    SearchOutbox.objects.bulk_create(
        [SearchOutbox(kind="incoming", object_id=d.pk, op="index") for d in docs]
    )

    child = _child(str(connection.settings_dict["NAME"]), Path(settings.SEARCH_INDEX_DIR))
    started = 0
    committed = 0
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready", (
            child.stderr.read() if child.stderr else ""
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            if line.startswith("search drain: batch of"):
                started += 1
                if started == 4:  # inside the fourth batch: three are committed
                    child.send_signal(signal.SIGKILL)
                    break
            elif line.startswith("search drain: committed"):
                committed += 1
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    assert (started, committed) == (4, 3)

    # Killed before the fourth batch was marked: exactly three batches are processed.
    processed = DOCUMENTS - pending_outbox().count()
    assert processed == 3 * BATCH
    before = search_check()
    assert len(before.missing) == 0 and before.pending == DOCUMENTS - 3 * BATCH

    # Restart: the next drain applies what is left (the fourth batch again, harmlessly).
    report = search_drain(batch_size=BATCH, time_budget=600)
    assert report.rows == DOCUMENTS - 3 * BATCH
    assert not pending_outbox().exists()
    after = search_check()
    assert after.ok, (after.missing[:5], after.stale[:5], after.extra[:5], after.duplicated[:5])
    assert after.checked == DOCUMENTS

    clerk = make_user(Role.CLERK, ward_a)
    for n in (1, BATCH * 3 + 1, DOCUMENTS):  # before, in and after the killed batch
        page = search_for(clerk, q=f"vb{n:04d}")
        assert [i.hit.id for i in page.items] == [docs[n - 1].pk]
    assert search_for(clerk, q="to dan pho").total == DOCUMENTS
