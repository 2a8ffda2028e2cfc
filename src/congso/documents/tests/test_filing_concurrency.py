"""Filing under concurrency on PostgreSQL: documents added to one file at once by several
connections take distinct, consecutive ordinals, and no transaction deadlocks between the file's
row lock and the audit chain's lock (lock order of ADR 0003: the row first, the audit last)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from congso.documents.models import FileEntry
from congso.documents.services import filing
from congso.documents.tests.registers_helpers import make_incoming
from congso.kernel.audit.models import AuditEvent
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import Role, User

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks matter on PostgreSQL (SQLite serialises every writer)",
    ),
]

THREADS = 6


def test_parallel_additions_to_one_file(ward_a: AdminUnit, make_user: Callable[..., User]) -> None:
    clerk = make_user(Role.CLERK, ward_a, full_name="Trần Thị Văn Thư")
    leader = make_user(Role.LEADER, ward_a, full_name="Lê Văn Chủ Tịch")
    file_list = filing.file_list_create(user=clerk, unit=ward_a, year=2026)
    heading = filing.heading_create(
        user=clerk, file_list=file_list, title="Văn phòng", abbreviation="VP"
    )
    file = filing.file_create(user=clerk, heading=heading, title="Hồ sơ công văn đến")
    filing.file_list_approve(user=leader, file_list=file_list)
    filing.file_list_issue(user=clerk, file_list=file_list)
    documents = [
        make_incoming(ward_a, n, day=dt.date(2026, 3, 5), notation=f"{n}/SNV-VP")
        for n in range(1, THREADS + 1)
    ]
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def work(document: Any) -> None:
        try:
            barrier.wait(timeout=30)
            filing.file_add_document(user=clerk, file=file, document=document)
            # and an audited state change of the same file right after, in its own transaction
            filing.file_update(user=clerk, file=file, note=f"thêm {document.pk}")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(d,)) for d in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    ordinals = sorted(FileEntry.objects.filter(file=file).values_list("ordinal", flat=True))
    assert ordinals == list(range(1, THREADS + 1))
    assert AuditEvent.objects.filter(action="documents.file_add_document").count() == THREADS
