"""Searchable copies of stored files.

``digitize_file(stored_file=...)`` reads a stored PDF or image and records a ``DigitizedCopy``:

- a PDF whose every page has a text layer is searchable already: the copy *is* the original;
- otherwise (a scan, a photo, a mixed PDF) OCRmyPDF makes a searchable PDF (PDF/A-2b when it
  validates), stored as a new StoredFile of the same owner and unit, and the original is kept.

The OCR runs outside any transaction (it takes seconds); the new file, its row and the copy
record are written together afterwards. Domain apps decide what a finished copy means for
their objects (``congso.documents.services.digitization``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.core.files import File
from django.db import transaction
from django.db.models import F

from congso.kernel.files.models import StoredFile
from congso.kernel.files.services import file_open, file_store
from congso.kernel.ocr.engine import (
    DEFAULT_LANGUAGES,
    OcrError,
    extract_page_texts,
    image_to_pdf,
    join_pages,
    ocr_pdf,
    pages_without_text,
)
from congso.kernel.ocr.models import DigitizedCopy

#: Kinds of stored files that can be digitised (``StoredFile.kind``).
DIGITIZABLE_KINDS = frozenset({"pdf", "png", "jpeg", "tiff"})
#: A searchable copy may be larger than the upload limit (an image becomes a PDF with text).
COPY_MAX_BYTES = 2 * 1024 * 1024 * 1024
COPY_SUFFIX = " - bản số hóa"


def is_digitizable(stored_file: StoredFile) -> bool:
    return stored_file.kind in DIGITIZABLE_KINDS


def _copy_name(original_name: str) -> str:
    stem = original_name.rsplit(".", 1)[0] if "." in original_name else original_name
    return f"{stem}{COPY_SUFFIX}.pdf"


def _read(stored_file: StoredFile) -> bytes:
    with file_open(stored_file) as handle:
        data = handle.read()
    return data if isinstance(data, bytes) else data.encode()


def digitize_file(
    *,
    stored_file: StoredFile,
    languages: str = DEFAULT_LANGUAGES,
    jobs: int | None = None,
    user: Any = None,
) -> DigitizedCopy:
    """The searchable copy of ``stored_file``, made now unless one exists.

    Raises ``OcrError`` (``file_not_digitizable``, ``pdf_encrypted``, ``pdf_corrupt``,
    ``image_unreadable``, ``ocr_failed``, ``ocr_unavailable``) or DomainError ``file_missing``.
    """
    existing = DigitizedCopy.objects.filter(original=stored_file).first()
    if existing is not None:
        return existing
    if not is_digitizable(stored_file):
        raise OcrError(
            "file_not_digitizable",
            f"Tệp '{stored_file.original_name}' không phải PDF hay ảnh quét nên không số hóa.",
        )
    data = _read(stored_file)
    pdf = data if stored_file.kind == "pdf" else image_to_pdf(data)
    texts = extract_page_texts(pdf)
    if stored_file.kind == "pdf" and texts and not pages_without_text(texts):
        with transaction.atomic():
            copy, _ = DigitizedCopy.objects.get_or_create(
                original=stored_file,
                defaults={
                    "searchable": stored_file,
                    "pages": len(texts),
                    "ocr_pages": 0,
                    "engine": "lớp chữ có sẵn (pypdf)",
                    "text": join_pages(texts),
                },
            )
        return copy
    with tempfile.TemporaryDirectory(prefix="congso-ocr-") as tmp:
        source, target = Path(tmp, "input.pdf"), Path(tmp, "output.pdf")
        source.write_bytes(pdf)
        result = ocr_pdf(source, target, languages=languages, jobs=jobs)
        owner = stored_file.owner
        with transaction.atomic(), target.open("rb") as handle:
            searchable = file_store(
                upload=File(handle, name=_copy_name(stored_file.original_name)),
                owner=owner,
                unit=stored_file.unit_id,
                user=user,
                allowed_types=["pdf"],
                max_bytes=COPY_MAX_BYTES,
            )
            copy, created = DigitizedCopy.objects.get_or_create(
                original=stored_file,
                defaults={
                    "searchable": searchable,
                    "pages": result.pages,
                    "ocr_pages": len(result.ocr_pages),
                    "engine": result.engine[:120],
                    "seconds": round(result.seconds, 3),
                    "pdfa": result.pdfa,
                    "text": result.text,
                },
            )
            if not created:  # another run finished first: keep its copy only
                transaction.set_rollback(True)
    return copy


def copies_by_original(files: list[StoredFile]) -> dict[int, DigitizedCopy]:
    """The copies of these files, by original file id (one query)."""
    ids = [f.pk for f in files]
    return {
        c.original_id: c
        for c in DigitizedCopy.objects.filter(original_id__in=ids).select_related("searchable")
    }


def searchable_copy_ids(files: list[StoredFile]) -> set[int]:
    """Ids among ``files`` that are searchable copies made by OCR (not originals)."""
    return set(
        DigitizedCopy.objects.filter(searchable_id__in=[f.pk for f in files])
        .exclude(searchable_id=F("original_id"))
        .values_list("searchable_id", flat=True)
    )
