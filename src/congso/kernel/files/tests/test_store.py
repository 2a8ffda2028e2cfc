"""file_store and friends: limits, safe names, hashing, units, audit, attach, delete, duplicates."""

from __future__ import annotations

import hashlib
import io
import os
import re
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction

from congso.kernel.audit.models import AuditEvent
from congso.kernel.errors import DomainError
from congso.kernel.files.models import StoredFile
from congso.kernel.files.selectors import files_find_by_sha256
from congso.kernel.files.services import (
    _HashingReader,
    file_attach,
    file_delete,
    file_open,
    file_store,
    safe_filename,
)
from congso.kernel.files.tests.conftest import make_ooxml, make_pdf, make_png
from congso.kernel.orgunits.models import Department

pytestmark = pytest.mark.django_db


def _stored_paths(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- size ------------------------------------------------------------------------------------


def test_size_limit_per_call(upload: Any, ward_a: Any, storage_dir: Path) -> None:
    data = make_pdf()
    with pytest.raises(DomainError) as err:
        file_store(upload=upload("qd.pdf", data), unit=ward_a, max_bytes=len(data) - 1)
    assert (err.value.code, err.value.status) == ("file_too_large", 413)
    assert "MB" in err.value.message and "'qd.pdf'" in err.value.message
    assert _stored_paths(storage_dir) == []
    assert file_store(upload=upload("qd.pdf", data), unit=ward_a, max_bytes=len(data)).size == len(
        data
    )


def test_size_limit_from_settings_named_in_mb(upload: Any, ward_a: Any, settings: Any) -> None:
    settings.FILE_UPLOAD_MAX_BYTES = 1024 * 1024 + 512 * 1024  # 1,5 MB
    big = make_pdf() + b"%" + b"0" * (2 * 1024 * 1024)
    with pytest.raises(DomainError) as err:
        file_store(upload=upload("lon.pdf", big), unit=ward_a)
    assert err.value.code == "file_too_large"
    assert "1,5 MB" in err.value.message
    settings.FILE_UPLOAD_MAX_BYTES = 50 * 1024 * 1024
    with pytest.raises(DomainError) as err:
        file_store(upload=upload("lon.pdf", big), unit=ward_a, max_bytes=2 * 1024 * 1024)
    assert "(2 MB)" in err.value.message


class _Stream:
    """A file object that cannot seek and does not say its size (e.g. a pipe)."""

    def __init__(self, data: bytes, name: str):
        self._buffer = io.BytesIO(data)
        self.name = name

    def read(self, size: int = -1) -> bytes:
        return self._buffer.read(size)

    def seekable(self) -> bool:
        return False


def test_size_limit_holds_when_the_size_is_not_declared(ward_a: Any, storage_dir: Path) -> None:
    data = make_pdf() + b"%" + b"1" * 5000
    with pytest.raises(DomainError) as err:
        file_store(upload=_Stream(data, "ong.pdf"), unit=ward_a, max_bytes=4000)
    assert err.value.code == "file_too_large"
    assert _stored_paths(storage_dir) == []
    stored = file_store(upload=_Stream(data, "ong.pdf"), unit=ward_a)
    assert (stored.size, stored.sha256) == (len(data), hashlib.sha256(data).hexdigest())


def test_empty_file_is_refused(upload: Any, ward_a: Any) -> None:
    with pytest.raises(DomainError) as err:
        file_store(upload=upload("rong.pdf", b""), unit=ward_a)
    assert err.value.code == "file_empty"


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\win.ini", "win.ini"),
        ("/var/tmp/hồ sơ.pdf", "hồ sơ.pdf"),  # noqa: S108 - a path in a name, not a file
        ("bao\x00cao\x07.pdf", "baocao.pdf"),
        ("anh\u202egnp.exe", "anhgnp.exe"),  # right-to-left override: a classic disguise
        ('a<b>c:"d"|e?f*.pdf', "a_b_c__d__e_f_.pdf"),
        ("  nhiều   khoảng\ttrắng .pdf ", "nhiều khoảng trắng .pdf"),
        ("..", ""),
        ("...pdf", "pdf"),
    ],
)
def test_safe_filename(given: str, safe: str) -> None:
    assert safe_filename(given) == safe


def test_safe_filename_is_nfc_and_bounded() -> None:
    nfd = unicodedata.normalize("NFD", "Quyết định bổ nhiệm.pdf")
    assert nfd != "Quyết định bổ nhiệm.pdf"
    assert safe_filename(nfd) == "Quyết định bổ nhiệm.pdf"
    long = safe_filename("Đ" * 500 + ".docx")
    assert len(long) == 200 and long.endswith(".docx")


def test_stored_under_a_uuid_name_never_the_senders(
    upload: Any, ward_a: Any, storage_dir: Path
) -> None:
    name = "../../etc/" + unicodedata.normalize("NFD", "Hồ sơ đất đai.pdf")
    stored = file_store(upload=upload(name, make_pdf()), unit=ward_a)
    assert stored.original_name == "Hồ sơ đất đai.pdf"
    assert unicodedata.is_normalized("NFC", stored.original_name)
    assert re.fullmatch(r"files/\d{4}/\d{2}/\d{2}/[0-9a-f]{32}\.pdf", stored.storage_name)
    assert stored.storage_name.endswith(f"{stored.public_id.hex}.pdf")
    [path] = _stored_paths(storage_dir)
    assert path.resolve().is_relative_to(storage_dir.resolve())
    assert path.read_bytes() == make_pdf()


# --- content, hash, unit, audit ---------------------------------------------------------------


def test_hash_size_and_bytes_are_right(upload: Any, ward_a: Any, clerk_a: Any) -> None:
    data = make_ooxml("word")
    stored = file_store(upload=upload("to-trinh.docx", data), unit=ward_a, user=clerk_a)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)
    assert stored.uploaded_by == clerk_a
    with file_open(stored) as handle:
        assert handle.read() == data
    event = AuditEvent.objects.get(action="file.store")
    assert event.object_id == str(stored.pk) and event.unit_id == ward_a.pk
    assert event.actor_id == clerk_a.pk
    assert event.changes["sha256"] == [None, stored.sha256]


def test_a_temporary_upload_on_disk_is_copied_not_moved(ward_a: Any, tmp_path: Path) -> None:
    source = tmp_path / "ban-goc.pdf"
    source.write_bytes(make_pdf())
    with source.open("rb") as handle:
        stored = file_store(upload=File(handle, name="ban-goc.pdf"), unit=ward_a)
    assert source.read_bytes() == make_pdf()
    assert stored.sha256 == hashlib.sha256(make_pdf()).hexdigest()


def test_hashing_survives_a_backend_that_reads_out_of_order() -> None:
    data = os.urandom(300_000)
    reader = _HashingReader(io.BytesIO(data), limit=len(data))
    reader.read(1000)
    reader.seek(0)
    reader.read(500)  # re-read: not hashed twice
    reader.seek(200_000)
    reader.read(50_000)  # skipped ahead: hashed later by finish()
    assert reader.finish() == (len(data), hashlib.sha256(data).hexdigest())


def test_unit_comes_from_the_user_when_not_given(upload: Any, clerk_b: Any, ward_b: Any) -> None:
    stored = file_store(upload=upload("a.pdf", make_pdf()), user=clerk_b)
    assert stored.unit == ward_b


def test_unit_comes_from_the_owner(upload: Any, ward_a: Any, ward_b: Any, clerk_b: Any) -> None:
    office = Department.objects.get(unit=ward_a)
    stored = file_store(upload=upload("a.pdf", make_pdf()), owner=office, user=clerk_b)
    assert stored.unit == ward_a and stored.owner == office


def test_no_unit_is_refused(upload: Any, db: Any) -> None:
    with pytest.raises(DomainError) as err:
        file_store(upload=upload("a.pdf", make_pdf()))
    assert err.value.code == "file_unit_required"


def test_rolled_back_caller_leaves_no_row(upload: Any, ward_a: Any) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        file_store(upload=upload("a.pdf", make_pdf()), unit=ward_a)
        raise Boom
    assert not StoredFile.objects.exists()
    assert not AuditEvent.objects.filter(action="file.store").exists()


# --- attach, delete, duplicates ---------------------------------------------------------------


def test_attach_moves_the_file_to_the_owners_unit(
    upload: Any, ward_a: Any, ward_b: Any, clerk_b: Any
) -> None:
    stored = file_store(upload=upload("a.pdf", make_pdf()), unit=ward_b, user=clerk_b)
    office = Department.objects.get(unit=ward_a)
    file_attach(stored_file=stored, owner=office, user=clerk_b)
    stored.refresh_from_db()
    assert stored.owner == office and stored.unit == ward_a
    event = AuditEvent.objects.get(action="file.attach")
    assert event.changes["unit"] == [ward_b.pk, ward_a.pk]


def test_delete_removes_row_then_bytes_and_is_audited(
    upload: Any,
    ward_a: Any,
    clerk_a: Any,
    storage_dir: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    stored = file_store(upload=upload("a.pdf", make_pdf()), unit=ward_a, user=clerk_a)
    name = stored.storage_name
    with django_capture_on_commit_callbacks(execute=True):
        file_delete(stored_file=stored, user=clerk_a)
    assert not StoredFile.objects.exists()
    assert not default_storage.exists(name)
    assert _stored_paths(storage_dir) == []
    event = AuditEvent.objects.get(action="file.delete")
    assert event.changes["name"] == ["a.pdf", None] and event.actor_id == clerk_a.pk


def test_duplicates_are_found_by_content_within_the_users_scope(
    upload: Any, ward_a: Any, ward_b: Any, clerk_a: Any, clerk_b: Any
) -> None:
    first = file_store(upload=upload("lan-1.pdf", make_pdf()), unit=ward_a)
    second = file_store(upload=upload("lan-2.pdf", make_pdf()), unit=ward_a)
    elsewhere = file_store(upload=upload("phuong-b.pdf", make_pdf()), unit=ward_b)
    other = file_store(upload=upload("khac.png", make_png()), unit=ward_a)
    digest = first.sha256
    assert second.sha256 == elsewhere.sha256 == digest != other.sha256
    assert list(files_find_by_sha256(digest, user=clerk_a)) == [second, first]
    assert list(files_find_by_sha256(digest.upper(), user=clerk_a, exclude=second)) == [first]
    assert list(files_find_by_sha256(digest, user=clerk_b)) == [elsewhere]
    assert set(files_find_by_sha256(digest)) == {first, second, elsewhere}
    assert not files_find_by_sha256("not-a-hash").exists()


def test_sweep_deletes_only_old_orphans(upload: Any, ward_a: Any, storage_dir: Path) -> None:
    kept = file_store(upload=upload("giu.pdf", make_pdf()), unit=ward_a)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():  # the caller rolls back: bytes stay behind
        file_store(upload=upload("mo-coi.pdf", make_pdf("khac")), unit=ward_a)
        raise Boom
    [orphan] = [p for p in _stored_paths(storage_dir) if kept.public_id.hex not in p.name]
    out = io.StringIO()
    call_command("files_sweep", "--hours", "1", stdout=out)
    assert orphan.exists()  # too young: may be an upload in flight
    old = time.time() - 2 * 3600
    os.utime(orphan, (old, old))
    call_command("files_sweep", "--hours", "1", "--dry-run", stdout=out)
    assert orphan.exists()
    call_command("files_sweep", "--hours", "1", stdout=out)
    assert not orphan.exists()
    assert "Đã xóa 1 tệp mồ côi." in out.getvalue()
    assert default_storage.exists(kept.storage_name)
