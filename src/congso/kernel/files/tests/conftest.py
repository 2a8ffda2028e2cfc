"""Fixtures of the files tests: real tiny files of each kind, made here, and a storage folder
of each test's own."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import Role, User


@pytest.fixture(autouse=True)
def storage_dir(tmp_path: Path, settings: Any) -> Path:
    """``default_storage`` writes under this test's own folder."""
    location = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }
    return location


def make_pdf(text: str = "Quyet dinh so 05") -> bytes:
    """A minimal valid one-page PDF with correct cross-reference offsets."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def make_png(width: int = 2, height: int = 2) -> bytes:
    """A valid RGB PNG (red pixels), chunks with their CRCs."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def make_jpeg() -> bytes:
    """The start of a JFIF file (SOI, APP0 JFIF, a comment) and EOI: what sniffing looks at."""
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    comment = "Ảnh chụp hiện trường".encode()
    return (
        b"\xff\xd8"
        + b"\xff\xe0"
        + struct.pack(">H", len(app0) + 2)
        + app0
        + b"\xff\xfe"
        + struct.pack(">H", len(comment) + 2)
        + comment
        + b"\xff\xd9"
    )


def make_ooxml(part: str = "word") -> bytes:
    """A DOCX (part="word") or XLSX (part="xl") container made with zipfile."""
    main = {"word": "word/document.xml", "xl": "xl/workbook.xml"}[part]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(main, "<document>Tờ trình</document>")
    return buffer.getvalue()


def make_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ghi-chu.txt", "không phải tài liệu Office")
    return buffer.getvalue()


@pytest.fixture
def upload() -> Callable[[str, bytes], SimpleUploadedFile]:
    def _upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> Any:
        return SimpleUploadedFile(name, data, content_type=content_type)

    return _upload


@pytest.fixture
def clerk_a(make_user: Callable[..., User], ward_a: AdminUnit) -> User:
    return make_user(Role.CLERK, ward_a, full_name="Trần Thị Văn Thư")


@pytest.fixture
def clerk_b(make_user: Callable[..., User], ward_b: AdminUnit) -> User:
    return make_user(Role.CLERK, ward_b, full_name="Lê Văn Bình")
