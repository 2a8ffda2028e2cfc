"""``search_reindex`` (resumable, progress bar) and ``search_check`` (reports, repairs)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from congso.documents.models import DocumentType, IncomingDocument
from congso.kernel.people.models import Role
from congso.kernel.search.backends import get_backend
from congso.kernel.search.backends.tantivy_backend import to_tantivy
from congso.kernel.search.models import SearchOutbox
from congso.kernel.search.registry import get_source
from congso.kernel.search.selectors import search_for
from congso.kernel.search.services import search_check, search_drain, search_rebuild
from congso.kernel.search.tests.fixtures import search_index  # noqa: F401

pytestmark = pytest.mark.usefixtures("search_index")


def _docs(unit: Any, n: int, start: int = 1) -> list[IncomingDocument]:
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
            for i in range(start, start + n)
        ]
    )


class Interrupted(Exception):
    pass


@pytest.mark.django_db
def test_reindex_resumes_after_an_interruption(ward_a, make_user) -> None:
    clerk = make_user(Role.CLERK, ward_a)
    first = _docs(ward_a, 5)
    search_rebuild()
    assert search_for(clerk, q="lịch trực").total == 5
    _docs(ward_a, 30, start=6)

    def stop_after_20(kind: str, done: int, total: int) -> None:
        if kind == "incoming" and done >= 20:
            raise Interrupted  # Ctrl-C, a crash…

    with pytest.raises(Interrupted):
        search_rebuild(chunk=10, checkpoint_every=10, progress=stop_after_20)
    # The live index kept answering (the build goes into a new generation).
    assert search_for(clerk, q="lịch trực").total == 5
    assert get_backend().rebuild_in_progress() is not None

    seen: list[int] = []
    report = search_rebuild(chunk=10, checkpoint_every=10, progress=lambda k, d, t: seen.append(d))
    assert report.resumed
    assert seen[0] == 20  # continued from the checkpoint, not from 0
    assert report.per_kind["incoming"] == 15  # only what was left after the checkpoint
    assert get_backend().rebuild_in_progress() is None
    assert search_for(clerk, q="lịch trực").total == 35
    assert search_check().ok
    assert [i.hit.id for i in search_for(clerk, q="lt001").items] == [first[0].pk]


@pytest.mark.django_db
def test_reindex_command_prints_progress_and_a_summary(ward_a) -> None:
    _docs(ward_a, 12)
    out, err = io.StringIO(), io.StringIO()
    call_command("search_reindex", stdout=out, stderr=err)
    assert "12 mục" in out.getvalue()
    assert "incoming" in err.getvalue() and "100.0%" in err.getvalue()
    out = io.StringIO()
    call_command("search_check", "--no-progress", stdout=out)
    assert "Chỉ mục khớp với cơ sở dữ liệu." in out.getvalue()


@pytest.mark.django_db
def test_check_reports_each_kind_of_difference_and_repairs(ward_a) -> None:
    docs = _docs(ward_a, 6)
    search_rebuild()
    assert search_check().ok

    # stale: the text changed behind the outbox's back
    IncomingDocument.objects.filter(pk=docs[0].pk).update(subject="Đổi trích yếu")
    # missing: a document whose outbox row was lost
    missing = _docs(ward_a, 1, start=50)[0]
    # extra: a row deleted behind the ORM's back (no signal)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {IncomingDocument._meta.db_table} WHERE id = %s",  # noqa: S608
            [docs[1].pk],
        )
    # duplicated: the same document twice in the index
    source = get_source("incoming")
    assert source is not None
    with get_backend().writing() as writer:
        writer.writers[0].add_document(to_tantivy(source.to_document(docs[2])))  # 1 shard

    report = search_check()
    assert report.stale == [("incoming", docs[0].pk)]
    assert report.missing == [("incoming", missing.pk)]
    assert report.extra == [("incoming", docs[1].pk)]
    assert report.duplicated == [("incoming", docs[2].pk)]

    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("search_check", "--no-progress", stdout=out)
    assert exit_info.value.code == 1
    assert "Thiếu trong chỉ mục: 1" in out.getvalue() and "4 chỗ khác nhau" in out.getvalue()

    out = io.StringIO()
    call_command("search_check", "--repair", "--no-progress", stdout=out)
    assert "Đã sửa 4 chỗ khác nhau." in out.getvalue()
    assert search_check().ok


@pytest.mark.django_db
def test_pending_changes_are_not_differences(ward_a) -> None:
    docs = _docs(ward_a, 3)
    search_rebuild()
    IncomingDocument.objects.filter(pk=docs[0].pk).update(subject="Trích yếu mới")
    SearchOutbox.objects.create(kind="incoming", object_id=docs[0].pk, op="index")
    report = search_check()
    assert report.ok and report.pending == 1
    search_drain()
    assert search_check().ok and search_check().pending == 0


@pytest.mark.django_db
def test_first_drain_builds_a_missing_index(ward_a) -> None:
    _docs(ward_a, 4)
    assert not get_backend().exists()
    report = search_drain()
    assert report.rebuilt and get_backend().exists()
    assert search_check().checked == 4


@pytest.mark.django_db
def test_search_worker_applies_pending_changes(ward_a) -> None:
    docs = _docs(ward_a, 3)
    search_rebuild()
    IncomingDocument.objects.filter(pk=docs[0].pk).update(subject="Lịch tiếp công dân tháng 6")
    SearchOutbox.objects.create(kind="incoming", object_id=docs[0].pk, op="index")
    call_command("search_worker", "--once")
    assert search_check().ok and search_check().pending == 0
    assert search_check().checked == 3
