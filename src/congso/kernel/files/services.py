"""Storing, opening, attaching and deleting files. Every write is audited.

``file_store`` checks the upload before a byte is written (declared size, type sniffed from the
content, extension agreeing with the content, allowed types), then streams it to
``default_storage`` (local disk or S3, see settings.STORAGE_BACKEND) while hashing it with
SHA-256, under a name made of the date and a uuid — never the sender's file name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import unicodedata
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any, cast

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone

from congso.kernel.audit.services import audit_record
from congso.kernel.errors import DomainError
from congso.kernel.files.models import StoredFile
from congso.kernel.files.selectors import files_find_by_sha256
from congso.kernel.files.sniffing import (
    EXTENSION_LABELS,
    EXTENSION_MIME,
    FileKind,
    kind_for_key,
    sniff,
)
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.selectors import active_positions

__all__ = [
    "DEFAULT_ALLOWED_TYPES",
    "file_attach",
    "file_delete",
    "file_open",
    "file_store",
    "files_find_by_sha256",
    "files_sweep_orphans",
    "safe_filename",
]

#: Kinds accepted when neither the caller nor settings.FILE_ALLOWED_TYPES says otherwise.
DEFAULT_ALLOWED_TYPES = (
    "pdf",
    "png",
    "jpeg",
    "tiff",
    "docx",
    "xlsx",
    "pptx",
    "odt",
    "ods",
    "ole",
    "xml",
    "text",
)
STORAGE_PREFIX = "files"
_CHUNK = 64 * 1024
_NAME_MAX = 200
_FORBIDDEN_NAME_CHARS = set('<>:"|?*')
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


class _TooLarge(Exception):
    pass


# --- names -----------------------------------------------------------------------------------


def safe_filename(name: str) -> str:
    """The name to show and to offer on download: NFC, no directory part, no control or
    direction-override characters, no characters Windows forbids, at most 200 characters
    (the extension kept). May be empty when nothing usable is left."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(
        " " if ch.isspace() else "_" if ch in _FORBIDDEN_NAME_CHARS else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in _DROPPED_CATEGORIES
    )
    text = " ".join(text.split()).strip(" .")
    if len(text) > _NAME_MAX:
        base, dot, ext = text.rpartition(".")
        if dot and base and 0 < len(ext) <= 16:
            text = base[: _NAME_MAX - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            text = text[:_NAME_MAX].rstrip(" .")
    return text


def _extension(name: str) -> str:
    base, dot, ext = name.rpartition(".")
    return ext.lower() if dot and base else ""


def _megabytes(n: int) -> str:
    """Bytes as MB for people, with a decimal comma: 52428800 → "50", 1572864 → "1,5"."""
    mb = (Decimal(n) / Decimal(1024 * 1024)).quantize(Decimal("0.1"))
    text = f"{mb.normalize():f}" if mb == mb.to_integral() else f"{mb:f}"
    return text.replace(".", ",")


# --- checks ----------------------------------------------------------------------------------


def _too_large(name: str, limit: int) -> DomainError:
    return DomainError(
        "file_too_large",
        f"Tệp '{name}' vượt quá dung lượng cho phép ({_megabytes(limit)} MB).",
        details={"max_bytes": limit},
        status=413,
    )


def _allowed_kinds(allowed_types: Iterable[str] | None) -> list[FileKind]:
    keys = (
        allowed_types
        if allowed_types is not None
        else getattr(settings, "FILE_ALLOWED_TYPES", None) or DEFAULT_ALLOWED_TYPES
    )
    kinds = []
    for key in keys:
        kind = kind_for_key(key)
        if kind is None:
            raise ValueError(f"unknown file type in allowed_types: {key!r}")
        kinds.append(kind)
    return kinds


def _check_type(name: str, kind: FileKind | None, allowed: list[FileKind]) -> None:
    ext = _extension(name)
    claims_other = ext in EXTENSION_LABELS and (kind is None or ext not in kind.extensions)
    if claims_other:
        raise DomainError(
            "file_type_mismatch",
            f"Tệp '{name}' không phải là tệp {EXTENSION_LABELS[ext]}.",
            details={"extension": ext, "detected": kind.key if kind else None},
            status=415,
        )
    if kind is None:
        raise DomainError(
            "file_type_not_allowed",
            f"Không nhận dạng được loại của tệp '{name}'.",
            details={"extension": ext or None, "detected": None},
            status=415,
        )
    if ext not in kind.extensions:
        raise DomainError(
            "file_type_mismatch",
            f"Tệp '{name}' có nội dung {kind.label} nhưng phần mở rộng không phù hợp "
            f"(cần .{kind.extensions[0]}).",
            details={"extension": ext or None, "detected": kind.key},
            status=415,
        )
    if kind.key not in {k.key for k in allowed}:
        labels = ", ".join(k.label for k in allowed)
        raise DomainError(
            "file_type_not_allowed",
            f"Không nhận tệp {kind.label} ('{name}'). Các loại được nhận: {labels}.",
            details={"detected": kind.key, "allowed": [k.key for k in allowed]},
            status=415,
        )


def _resolve_unit(unit: AdminUnit | int | None, owner: models.Model | None, user: Any) -> AdminUnit:
    if isinstance(unit, AdminUnit):
        return unit
    unit_id = unit if isinstance(unit, int) else getattr(owner, "unit_id", None)
    if unit_id is None and user is not None and getattr(user, "is_authenticated", False):
        position = active_positions(user).first()
        unit_id = position.unit_id if position else None
    found = AdminUnit.objects.filter(pk=unit_id).first() if unit_id is not None else None
    if found is None:
        raise DomainError("file_unit_required", "Không xác định được đơn vị sở hữu tệp.")
    return found


# --- streaming -------------------------------------------------------------------------------


class _HashingReader:
    """Reads ``raw`` for the storage backend, hashing each byte the first time it passes and
    refusing to go past ``limit`` bytes. Re-reads (a backend that seeks back) are not hashed
    twice; bytes a backend skipped are hashed afterwards by ``finish``."""

    def __init__(self, raw: IO[bytes], limit: int):
        self.raw = raw
        self.limit = limit
        self.hasher = hashlib.sha256()
        self.hashed = 0
        self.pos = 0

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0 or self.pos + size > self.limit + 1:
            size = self.limit + 1 - self.pos
        data = self.raw.read(max(size, 0))
        start, end = self.pos, self.pos + len(data)
        if end > self.limit:
            raise _TooLarge
        if start <= self.hashed < end:
            self.hasher.update(data[self.hashed - start :])
            self.hashed = end
        self.pos = end
        return data

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        self.pos = self.raw.seek(offset, whence)
        return self.pos

    def tell(self) -> int:
        return self.pos

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def close(self) -> None:  # the caller owns ``raw``
        pass

    def finish(self) -> tuple[int, str]:
        """(size, sha256 hex) of the whole content."""
        self.raw.seek(self.hashed)
        while chunk := self.raw.read(_CHUNK):
            self.hashed += len(chunk)
            if self.hashed > self.limit:
                raise _TooLarge
            self.hasher.update(chunk)
        return self.hashed, self.hasher.hexdigest()


def _seekable(upload: Any, limit: int, name: str) -> tuple[IO[bytes], bool]:
    """The upload itself when it can seek, else a spooled copy (at most ``limit`` bytes)."""
    raw = getattr(upload, "file", upload)
    seekable = getattr(raw, "seekable", None)
    if callable(seekable) and seekable():
        return raw, False
    copy = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - caller closes
    chunks = (
        upload.chunks(_CHUNK)
        if hasattr(upload, "chunks")
        else iter(lambda: upload.read(_CHUNK), b"")
    )
    copied = 0
    for chunk in chunks:
        copied += len(chunk)
        if copied > limit:
            copy.close()
            raise _too_large(name, limit)
        copy.write(chunk)
    copy.seek(0)
    return copy, True


# --- services --------------------------------------------------------------------------------


def file_store(
    *,
    upload: Any,
    owner: models.Model | None = None,
    unit: AdminUnit | int | None = None,
    user: Any = None,
    allowed_types: Iterable[str] | None = None,
    max_bytes: int | None = None,
) -> StoredFile:
    """Check and store an uploaded file; return its row (audited as ``file.store``).

    ``upload`` is a Django ``UploadedFile``/``File`` or any binary file object with a name.
    ``unit`` defaults to ``owner.unit`` and then to the user's primary position's unit.
    ``allowed_types`` are kind keys or extensions ("pdf", "jpg", "docx"); the default is
    ``settings.FILE_ALLOWED_TYPES`` or ``DEFAULT_ALLOWED_TYPES``. ``max_bytes`` defaults to
    ``settings.FILE_UPLOAD_MAX_BYTES``.

    The row and its audit event belong to the caller's transaction; the bytes are written at
    once (storage is not transactional). If the caller rolls back later, the bytes stay behind
    without a row: ``manage.py files_sweep`` removes such orphans.

    Raises DomainError: ``file_too_large`` (413), ``file_type_mismatch`` /
    ``file_type_not_allowed`` (415), ``file_empty``, ``file_unit_required``.
    """
    given_name = safe_filename(getattr(upload, "name", "") or "")
    limit = int(max_bytes if max_bytes is not None else settings.FILE_UPLOAD_MAX_BYTES)
    shown = given_name or "(không tên)"
    declared = getattr(upload, "size", None)
    if isinstance(declared, int) and declared > limit:
        raise _too_large(shown, limit)
    allowed = _allowed_kinds(allowed_types)
    owner_unit = _resolve_unit(unit, owner, user)
    if owner is not None and owner.pk is None:
        raise ValueError("file_store(owner=...) needs a saved object")

    raw, is_copy = _seekable(upload, limit, shown)
    try:
        kind = sniff(raw, extension=_extension(given_name))
        if kind is None and raw.read(1) == b"":
            raise DomainError("file_empty", f"Tệp '{shown}' không có nội dung.")
        raw.seek(0)
        name = given_name or (f"tep-tai-len.{kind.extensions[0]}" if kind else "")
        _check_type(name, kind, allowed)
        assert kind is not None
        ext = _extension(name)

        public_id = uuid.uuid4()
        storage_name = (
            f"{STORAGE_PREFIX}/{timezone.localdate():%Y/%m/%d}/{public_id.hex}.{kind.extensions[0]}"
        )
        reader = _HashingReader(raw, limit)
        try:
            saved_name = default_storage.save(
                storage_name, File(cast(IO[bytes], reader), name=storage_name)
            )
            size, digest = reader.finish()
        except _TooLarge:
            _discard(storage_name)
            raise _too_large(name, limit) from None
        except BaseException:
            _discard(storage_name)
            raise
    finally:
        if is_copy:
            raw.close()

    if size == 0:
        _discard(saved_name)
        raise DomainError("file_empty", f"Tệp '{name}' không có nội dung.")
    content_type = EXTENSION_MIME.get(ext, kind.mime) if kind.key in {"ole", "text"} else kind.mime
    try:
        with transaction.atomic():
            stored = StoredFile.objects.create(
                public_id=public_id,
                storage_name=saved_name,
                original_name=name,
                kind=kind.key,
                content_type=content_type,
                size=size,
                sha256=digest,
                uploaded_by=user if getattr(user, "is_authenticated", False) else None,
                unit=owner_unit,
                owner_type=ContentType.objects.get_for_model(owner) if owner else None,
                owner_id=str(owner.pk) if owner else "",
            )
            audit_record(
                action="file.store",
                obj=stored,
                actor=user if getattr(user, "is_authenticated", False) else None,
                unit=owner_unit,
                changes={"name": [None, name], "size": [None, size], "sha256": [None, digest]},
                summary=f"Tải lên tệp '{name}' ({kind.label}, {size} byte).",
            )
    except BaseException:
        _discard(saved_name)
        raise
    return stored


def _discard(storage_name: str) -> None:
    try:
        if default_storage.exists(storage_name):
            default_storage.delete(storage_name)
    except OSError:  # pragma: no cover - best effort; the sweep finds what is left
        pass


def file_open(stored_file: StoredFile) -> File:
    """The stored bytes, opened for reading (the caller closes it; FileResponse does)."""
    try:
        return default_storage.open(stored_file.storage_name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise DomainError(
            "file_missing",
            f"Không tìm thấy nội dung của tệp '{stored_file.original_name}' trong kho lưu trữ.",
            status=404,
        ) from exc


def file_attach(*, stored_file: StoredFile, owner: models.Model, user: Any = None) -> StoredFile:
    """Attach a stored file to the object it belongs to (a document, a dossier…). The file
    moves to the owner's unit when the owner has one. Audited as ``file.attach``."""
    if owner.pk is None:
        raise ValueError("file_attach(owner=...) needs a saved object")
    owner_type = ContentType.objects.get_for_model(owner)
    before = (stored_file.owner_type_id, stored_file.owner_id, stored_file.unit_id)
    stored_file.owner_type = owner_type
    stored_file.owner_id = str(owner.pk)
    owner_unit_id = getattr(owner, "unit_id", None)
    if isinstance(owner_unit_id, int):
        stored_file.unit_id = owner_unit_id
    with transaction.atomic():
        stored_file.save(update_fields=["owner_type", "owner_id", "unit"])
        audit_record(
            action="file.attach",
            obj=stored_file,
            actor=user if getattr(user, "is_authenticated", False) else None,
            changes={
                "owner": [
                    f"{before[0]}:{before[1]}" if before[0] else None,
                    f"{owner_type.app_label}.{owner_type.model}:{owner.pk}",
                ],
                "unit": [before[2], stored_file.unit_id],
            },
            summary=f"Gắn tệp '{stored_file.original_name}' vào {owner}.",
        )
    return stored_file


def file_delete(*, stored_file: StoredFile, user: Any = None) -> None:
    """Delete the row (audited as ``file.delete``) and, once that commits, the stored bytes."""
    storage_name = stored_file.storage_name
    with transaction.atomic():
        audit_record(
            action="file.delete",
            obj=stored_file,
            actor=user if getattr(user, "is_authenticated", False) else None,
            unit=stored_file.unit_id,
            changes={
                "name": [stored_file.original_name, None],
                "sha256": [stored_file.sha256, None],
                "size": [stored_file.size, None],
            },
            summary=f"Xóa tệp '{stored_file.original_name}'.",
        )
        stored_file.delete()
        transaction.on_commit(lambda: _discard(storage_name))


def _walk(prefix: str) -> Iterable[str]:
    directories, files = default_storage.listdir(prefix)
    for name in files:
        yield f"{prefix}/{name}"
    for directory in directories:
        yield from _walk(f"{prefix}/{directory}")


def files_sweep_orphans(*, older_than: dt.datetime, dry_run: bool = False) -> list[str]:
    """Delete (or, with ``dry_run``, list) stored objects under ``files/`` that no row names and
    that were written before ``older_than``. Returns their storage names."""
    try:
        names = list(_walk(STORAGE_PREFIX))
    except FileNotFoundError:
        return []
    orphans = []
    batch = 500
    for start in range(0, len(names), batch):
        chunk = names[start : start + batch]
        known = set(
            StoredFile.objects.filter(storage_name__in=chunk).values_list("storage_name", flat=True)
        )
        for name in chunk:
            if name in known:
                continue
            try:
                modified = default_storage.get_modified_time(name)
            except (FileNotFoundError, OSError, NotImplementedError):
                continue
            if modified < older_than:
                orphans.append(name)
    if not dry_run:
        for name in orphans:
            _discard(name)
    return orphans
