"""What a file really is, from its bytes: explicit checks for the formats the committees use
(PDF, PNG, JPEG, TIFF, DOCX/XLSX/PPTX, ODT/ODS, legacy Office, XML, plain text), then
``puremagic`` for anything else (so that a message can at least name what was sent)."""

from __future__ import annotations

import codecs
import zipfile
from dataclasses import dataclass
from typing import IO

import puremagic

HEAD_BYTES = 8192


@dataclass(frozen=True)
class FileKind:
    key: str
    label: str
    mime: str
    #: File name extensions that may carry this content, the usual one first.
    extensions: tuple[str, ...]


_KINDS = [
    FileKind("pdf", "PDF", "application/pdf", ("pdf",)),
    FileKind("png", "PNG", "image/png", ("png",)),
    FileKind("jpeg", "JPEG", "image/jpeg", ("jpg", "jpeg", "jpe", "jfif")),
    FileKind("tiff", "TIFF", "image/tiff", ("tif", "tiff")),
    FileKind(
        "docx",
        "Word (DOCX)",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ("docx",),
    ),
    FileKind(
        "xlsx",
        "Excel (XLSX)",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ("xlsx",),
    ),
    FileKind(
        "pptx",
        "PowerPoint (PPTX)",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ("pptx",),
    ),
    FileKind("odt", "OpenDocument (ODT)", "application/vnd.oasis.opendocument.text", ("odt",)),
    FileKind(
        "ods", "OpenDocument (ODS)", "application/vnd.oasis.opendocument.spreadsheet", ("ods",)
    ),
    FileKind(
        "ole", "Office cũ (DOC, XLS, PPT)", "application/x-ole-storage", ("doc", "xls", "ppt")
    ),
    FileKind("zip", "ZIP", "application/zip", ("zip",)),
    FileKind("xml", "XML", "application/xml", ("xml",)),
    FileKind("text", "văn bản thuần (TXT, CSV)", "text/plain", ("txt", "csv")),
]
KINDS: dict[str, FileKind] = {kind.key: kind for kind in _KINDS}

#: What a file name's extension claims the content is (for messages: "không phải là tệp PDF").
EXTENSION_LABELS: dict[str, str] = {
    "pdf": "PDF",
    "png": "PNG",
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "jpe": "JPEG",
    "jfif": "JPEG",
    "tif": "TIFF",
    "tiff": "TIFF",
    "docx": "Word (DOCX)",
    "xlsx": "Excel (XLSX)",
    "pptx": "PowerPoint (PPTX)",
    "odt": "OpenDocument (ODT)",
    "ods": "OpenDocument (ODS)",
    "doc": "Word (DOC)",
    "xls": "Excel (XLS)",
    "ppt": "PowerPoint (PPT)",
    "zip": "ZIP",
    "xml": "XML",
    "txt": "văn bản thuần (TXT)",
    "csv": "CSV",
    "gif": "GIF",
    "webp": "WebP",
    "svg": "SVG",
    "html": "HTML",
    "htm": "HTML",
    "exe": "chương trình (EXE)",
    "rar": "RAR",
    "7z": "7-Zip",
}

#: Content types by extension where one kind covers several (legacy Office, text).
EXTENSION_MIME: dict[str, str] = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "csv": "text/csv; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
}

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_TEXT_CONTROLS = {"\t", "\n", "\r", "\f"}


def kind_for_key(key: str) -> FileKind | None:
    """A kind by its key or by one of its extensions ("jpg" → JPEG)."""
    key = key.lower().lstrip(".")
    if key in KINDS:
        return KINDS[key]
    for kind in _KINDS:
        if key in kind.extensions:
            return kind
    return None


def _zip_kind(stream: IO[bytes]) -> FileKind:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" in names:
                for prefix, key in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
                    if any(name.startswith(prefix) for name in names):
                        return KINDS[key]
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].strip()
                if mimetype == b"application/vnd.oasis.opendocument.text":
                    return KINDS["odt"]
                if mimetype == b"application/vnd.oasis.opendocument.spreadsheet":
                    return KINDS["ods"]
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError):
        pass
    return KINDS["zip"]


def _is_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return all(ch.isprintable() or ch in _TEXT_CONTROLS or ch == " " for ch in text)


def _puremagic_kind(head: bytes, prefer: str) -> FileKind | None:
    """Byte signatures are ambiguous (MZ is .exe, .dll, .sys…): among the matches, the one the
    file name's extension names wins, else the most confident one."""
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return None
    matches = sorted((m for m in matches if m.extension), key=lambda m: m.confidence, reverse=True)
    if not matches:
        return None
    extensions = tuple(dict.fromkeys(m.extension.lower().lstrip(".") for m in matches))
    chosen = next((m for m in matches if m.extension.lower().lstrip(".") == prefer), matches[0])
    ext = chosen.extension.lower().lstrip(".")
    label = EXTENSION_LABELS.get(ext) or chosen.name or ext.upper()
    return FileKind(ext, label, chosen.mime_type or "application/octet-stream", extensions)


def sniff(stream: IO[bytes], *, extension: str = "") -> FileKind | None:
    """The kind of the seekable ``stream``'s content, or None when nothing recognises it.

    Reads the first bytes (and, for ZIP containers, the central directory), then puts the
    stream back at its start. ``extension`` only breaks ties between formats that share a
    signature in ``puremagic``'s table; the explicit checks never look at it.
    """
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    try:
        if not head:
            return None
        stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
        if stripped.startswith(b"%PDF-"):
            return KINDS["pdf"]
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return KINDS["png"]
        if head.startswith(b"\xff\xd8\xff"):
            return KINDS["jpeg"]
        if head.startswith((b"II*\x00", b"MM\x00*")):
            return KINDS["tiff"]
        if head.startswith(_ZIP):
            stream.seek(0)
            return _zip_kind(stream)
        if head.startswith(_OLE):
            return KINDS["ole"]
        if stripped.startswith(b"<?xml"):
            return KINDS["xml"]
        if _is_text(head):
            return KINDS["text"]
        return _puremagic_kind(head, extension.lower().lstrip("."))
    finally:
        stream.seek(0)
