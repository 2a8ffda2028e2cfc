"""``search_rebuild`` with worker processes (``SEARCH_REBUILD_PROCESSES``): same index, same
checkpoints, resumable. The workers read the database with their own connections, so the data
must be committed: a transactional test, on a database other processes can open (PostgreSQL;
the in-memory SQLite test database falls back to one process, tested everywhere else)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from congso.documents.models import DocumentType, IncomingDocument
from congso.kernel.people.models import Role
from congso.kernel.search.backends import get_backend
from congso.kernel.search.selectors import search_for
from congso.kernel.search.services import _can_fork, search_check, search_rebuild
from congso.kernel.search.tests.fixtures import search_index  # noqa: F401

pytestmark = pytest.mark.usefixtures("search_index")


def _docs(unit: Any, n: int) -> list[IncomingDocument]:
    doc_type = DocumentType.objects.order_by("pk").first()
    return IncomingDocument.objects.bulk_create(
        [
            IncomingDocument(
                unit=unit,
                arrival_year=2026,
                arrival_number=i,
                channel="paper",
                sender_name="Công an phường",
                document_type=doc_type,
                subject=f"Thông báo lịch trực số {i}",
                text=f"Lịch trực bảo vệ ngày lễ, mã lt{i:03d}.",
            )
            for i in range(1, n + 1)
        ]
    )


class Interrupted(Exception):
    pass


@pytest.mark.django_db
def test_no_worker_processes_inside_a_transaction() -> None:
    assert not _can_fork()  # the test's transaction: workers would not see its rows


@pytest.mark.django_db(transaction=True)
def test_rebuild_with_worker_processes_resumes_and_matches_the_database(
    ward_a: Any, make_user: Any
) -> None:
    if getattr(connection, "is_in_memory_db", lambda: False)():
        pytest.skip("worker processes cannot open an in-memory SQLite database")
    assert _can_fork()
    clerk = make_user(Role.CLERK, ward_a)
    first = _docs(ward_a, 41)

    def stop_after_20(kind: str, done: int, total: int) -> None:
        if kind == "incoming" and done >= 20:
            raise Interrupted

    with pytest.raises(Interrupted):
        search_rebuild(chunk=5, checkpoint_every=10, processes=2, progress=stop_after_20)
    assert get_backend().rebuild_in_progress() is not None

    seen: list[int] = []
    report = search_rebuild(
        chunk=5, checkpoint_every=10, processes=2, progress=lambda k, d, t: seen.append(d)
    )
    assert report.resumed
    assert seen[0] == 20  # from the checkpoint
    assert report.per_kind["incoming"] == 21
    assert search_for(clerk, q="lịch trực").total == 41
    assert search_check().ok
    assert [i.hit.id for i in search_for(clerk, q="lt001").items] == [first[0].pk]
