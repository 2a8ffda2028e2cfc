"""Several officers take dossiers at once (threads, PostgreSQL), some failing on purpose after
their numbers were taken: the day's codes and register lines are exactly 1..N, no gap, no
duplicate."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from congso.kernel.errors import DomainError
from congso.procedures.models import Dossier
from congso.procedures.services import dossier_receive_at_desk

from .conftest import PDF_BYTES, vn

WORKERS = 4
PER_WORKER = 6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need a server database")
@pytest.mark.django_db(transaction=True)
def test_concurrent_intake_is_gap_free(
    ward_a: Any, procedure: Any, onestop: Any, applicant: dict[str, Any]
) -> None:
    required = [p.pk for p in procedure.papers.all() if p.required]
    errors: list[BaseException] = []
    failed = {"n": 0}
    lock = threading.Lock()

    def work(worker: int) -> None:
        from django.db import connections

        try:
            for i in range(PER_WORKER):
                lies = (worker + i) % 3 == 0  # a "PDF" that is not one: fails after numbering
                content = b"MZ not a pdf" if lies else PDF_BYTES
                try:
                    dossier_receive_at_desk(
                        unit=ward_a,
                        procedure=procedure,
                        applicant=applicant,
                        papers_provided=required,
                        uploads=[(None, SimpleUploadedFile("a.pdf", content, "application/pdf"))],
                        officer=onestop,
                        at=vn(2026, 3, 2, 9, 0),
                    )
                except DomainError:
                    with lock:
                        failed["n"] += 1
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(w,)) for w in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    made = WORKERS * PER_WORKER - failed["n"]
    assert failed["n"] > 0 and made > 0
    codes = sorted(Dossier.objects.values_list("code", flat=True))
    assert codes == [f"H26.TEST.103-260302-{n:04d}" for n in range(1, made + 1)]
    lines = sorted(Dossier.objects.values_list("register_number", flat=True))
    assert lines == list(range(1, made + 1))
