"""Helpers of the digitisation tests: uploads of generated scans and files attached directly
(the way an edXML import or an outgoing document attaches them, past the register's checks)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from congso.kernel.files.models import StoredFile
from congso.kernel.files.services import file_store
from congso.kernel.ocr.testdata.scan import make_scanned_image, make_scanned_pdf

KEY_PHRASES = ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "QUYẾT ĐỊNH")


def scanned_upload(name: str = "ban-quet.pdf", *, seed: int = 1, dpi: int = 150) -> Any:
    scan = make_scanned_pdf(pages=1, seed=seed, dpi=dpi)
    upload = SimpleUploadedFile(name, scan.pdf, content_type="application/pdf")
    upload.truth = scan.text  # type: ignore[attr-defined]
    return upload


def image_upload(name: str = "anh-chup.png", *, seed: int = 2, dpi: int = 150) -> Any:
    data, text = make_scanned_image(seed=seed, dpi=dpi, fmt=name.rsplit(".", 1)[-1])
    upload = SimpleUploadedFile(name, data)
    upload.truth = text  # type: ignore[attr-defined]
    return upload


def attach(document: Any, name: str, data: bytes) -> StoredFile:
    return file_store(upload=SimpleUploadedFile(name, data), owner=document, unit=document.unit_id)


def files_of(document: Any) -> list[StoredFile]:
    from django.contrib.contenttypes.models import ContentType

    return list(
        StoredFile.objects.filter(
            owner_type=ContentType.objects.get_for_model(type(document)),
            owner_id=str(document.pk),
        ).order_by("pk")
    )


def bare_document(register: Any) -> Any:
    """A registered incoming document whose file was removed again (to attach others)."""
    from congso.kernel.files.services import file_delete

    document = register(files=[SimpleUploadedFile("tam.pdf", _letter())])
    for stored in files_of(document):
        file_delete(stored_file=stored)
    return document


def _letter() -> bytes:
    from congso.documents.tests.conftest import letter_pdf

    return letter_pdf()
