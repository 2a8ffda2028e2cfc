"""Digitisation of incoming documents end to end: registered through the real service, the
task run by the immediate backend once the registration commits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from congso.documents.models import DigitizationStatus, IncomingDocument
from congso.documents.services.digitization import (
    digitization_start,
    digitization_state,
    job_for,
)
from congso.documents.tests.conftest import letter_pdf, upload
from congso.documents.tests.digitization_helpers import (
    KEY_PHRASES,
    attach,
    bare_document,
    files_of,
    image_upload,
    scanned_upload,
)
from congso.kernel.audit.models import AuditEvent
from congso.kernel.notifications.models import Notification
from congso.kernel.ocr.metrics import cer
from congso.kernel.ocr.models import DigitizedCopy, JobStatus
from congso.kernel.ocr.tests.helpers import CORRUPT_PDF, encrypted_pdf

pytestmark = pytest.mark.django_db


def _actions(document: IncomingDocument) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            action__startswith="documents.digitization", object_id=str(document.pk)
        )
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_a_pdf_with_a_text_layer_is_read_without_ocr(
    register: Callable[..., IncomingDocument], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        document = register(files=[upload("cong-van.pdf", letter_pdf("Về việc thu gom rác thải."))])
    document.refresh_from_db()
    assert document.digitization_status == DigitizationStatus.DONE
    assert "Về việc thu gom rác thải." in document.text
    assert document.digitization_error == ""
    (original,) = files_of(document)  # no new file: the original is searchable
    copy = DigitizedCopy.objects.get(original=original)
    assert copy.is_original and copy.ocr_pages == 0 and copy.pages == 1
    job = job_for(document)
    assert job is not None and job.status == JobStatus.DONE and job.attempts == 1
    # Queued by the registration itself (its audit event records the pending status).
    assert _actions(document) == ["documents.digitization_done"]
    registered = AuditEvent.objects.get(
        action="documents.incoming_register", object_id=str(document.pk)
    )
    assert registered.changes["digitization_status"] == [None, DigitizationStatus.PENDING]


@pytest.mark.slow
def test_a_scanned_pdf_gets_a_searchable_copy_and_its_text(
    register: Callable[..., IncomingDocument], django_capture_on_commit_callbacks: Any
) -> None:
    scan = scanned_upload(seed=21, dpi=200)
    with django_capture_on_commit_callbacks(execute=True):
        document = register(files=[scan])
    document.refresh_from_db()
    assert document.digitization_status == DigitizationStatus.DONE, document.digitization_error
    for phrase in KEY_PHRASES:
        assert phrase in document.text
    assert cer(scan.truth, document.text) < 0.03
    original, searchable = files_of(document)
    assert original.original_name == "ban-quet.pdf"  # kept
    assert searchable.original_name == "ban-quet - bản số hóa.pdf"
    assert searchable.kind == "pdf" and searchable.unit_id == document.unit_id
    copy = DigitizedCopy.objects.get(original=original)
    assert copy.searchable == searchable and copy.ocr_pages == 1
    state = digitization_state(document)
    assert not state.running and state.ocr_pages == 1 and state.copies == [copy]
    # starting again does not OCR twice, and the copy is never taken for an original
    with django_capture_on_commit_callbacks(execute=True):
        digitization_start(document=document)
    assert len(files_of(document)) == 2
    assert DigitizedCopy.objects.count() == 1


@pytest.mark.slow
def test_a_photographed_page_becomes_a_searchable_pdf(
    register: Callable[..., IncomingDocument], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        document = register(files=[image_upload("anh-chup.png", seed=5, dpi=150)])
    document.refresh_from_db()
    assert document.digitization_status == DigitizationStatus.DONE, document.digitization_error
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in document.text
    original, searchable = files_of(document)
    assert original.kind == "png" and searchable.original_name == "anh-chup - bản số hóa.pdf"


def test_a_password_protected_pdf_fails_at_once_with_its_reason(
    register: Callable[..., IncomingDocument],
    clerk: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    document = bare_document(register)
    attach(document, "bi-khoa.pdf", encrypted_pdf(letter_pdf()))
    with django_capture_on_commit_callbacks(execute=True):
        digitization_start(document=document)
    document.refresh_from_db()
    assert document.digitization_status == DigitizationStatus.FAILED  # not stuck
    assert "mật khẩu" in document.digitization_error
    job = job_for(document)
    assert job is not None and job.attempts == 1 and job.error_code == "pdf_encrypted"
    assert _actions(document) == ["documents.digitization_start", "documents.digitization_failed"]
    note = Notification.objects.get(recipient=clerk, kind="documents.digitization_failed")
    assert "không thành công" in note.title


def test_a_corrupt_pdf_fails_with_its_reason(
    register: Callable[..., IncomingDocument], django_capture_on_commit_callbacks: Any
) -> None:
    document = bare_document(register)
    attach(document, "hong.pdf", CORRUPT_PDF)
    with django_capture_on_commit_callbacks(execute=True):
        digitization_start(document=document)
    document.refresh_from_db()
    assert document.digitization_status == DigitizationStatus.FAILED
    assert "bị hỏng" in document.digitization_error
    assert job_for(document).error_code == "pdf_corrupt"  # type: ignore[union-attr]


def test_an_owner_password_does_not_stop_digitisation(
    register: Callable[..., IncomingDocument], django_capture_on_commit_callbacks: Any
) -> None:
    """Agencies often send PDFs that forbid copying but open without a password."""
    with django_capture_on_commit_callbacks(execute=True):
        document = register(
            files=[upload("han-che.pdf", encrypted_pdf(letter_pdf("Về việc A."), user_password=""))]
        )
    document.refresh_from_db()
    assert document.digitization_status == DigitizationStatus.DONE
    assert "Về việc A." in document.text


def test_no_pdf_or_image_means_no_file(
    register: Callable[..., IncomingDocument], django_capture_on_commit_callbacks: Any
) -> None:
    document = bare_document(register)
    attach(document, "ghi-chu.txt", "Ghi chú của văn thư".encode())
    with django_capture_on_commit_callbacks(execute=True):
        assert digitization_start(document=document) is None
    document.refresh_from_db()
    assert document.digitization_status == DigitizationStatus.NO_FILE


def test_the_recognised_text_is_queued_for_the_search_index(
    register: Callable[..., IncomingDocument], django_capture_on_commit_callbacks: Any
) -> None:
    from congso.kernel.search.models import SearchOutbox

    document = register(files=[upload("cv.pdf", letter_pdf("Về việc cây xanh đô thị."))])
    SearchOutbox.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        digitization_start(document=document)
    assert SearchOutbox.objects.filter(object_id=document.pk).exists()
