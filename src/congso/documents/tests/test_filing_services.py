"""Files (hồ sơ): the file list and its numbering, approval and issue, documents in files,
closing, deposit reminders and the export for deposit."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree

from congso.documents.models import (
    File,
    FileHeading,
    FileList,
    FileNumbering,
    FileStatus,
)
from congso.documents.services import filing
from congso.documents.tests.registers_helpers import assign, at, make_incoming, make_outgoing
from congso.kernel.audit.models import AuditEvent
from congso.kernel.errors import DomainError, NotFound, PermissionDenied
from congso.kernel.notifications.models import Notification
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def storage_dir(tmp_path: Path, settings: Any) -> Path:
    location = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }
    return location


@pytest.fixture
def clerk(ward_a: AdminUnit, make_user: Callable[..., User]) -> User:
    return make_user(Role.CLERK, ward_a, full_name="Trần Thị Văn Thư")


@pytest.fixture
def leader(ward_a: AdminUnit, make_user: Callable[..., User]) -> User:
    return make_user(Role.LEADER, ward_a, full_name="Lê Văn Chủ Tịch", clearance=1)


@pytest.fixture
def keeper(ward_a: AdminUnit, make_user: Callable[..., User]) -> User:
    return make_user(Role.SPECIALIST, ward_a, full_name="Phạm Chuyên Viên")


def _list_with_headings(
    clerk: User, unit: AdminUnit, **kw: Any
) -> tuple[FileList, FileHeading, FileHeading]:
    file_list = filing.file_list_create(user=clerk, unit=unit, year=2026, **kw)
    tccb = filing.heading_create(
        user=clerk, file_list=file_list, title="Tổ chức, cán bộ", abbreviation="tccb"
    )
    vp = filing.heading_create(
        user=clerk, file_list=file_list, title="Văn phòng", abbreviation="VP"
    )
    return file_list, tccb, vp


def _issued_file(
    clerk: User,
    leader: User,
    unit: AdminUnit,
    keeper: User | None = None,
    retention: int | None = 10,
) -> File:
    file_list, tccb, _vp = _list_with_headings(clerk, unit)
    file = filing.file_create(
        user=clerk,
        heading=tccb,
        title="Hồ sơ tuyển dụng công chức năm 2026",
        retention_years=retention,
        keeper=keeper,
    )
    filing.file_list_approve(user=leader, file_list=file_list, decision_notation="01/QĐ-UBND")
    filing.file_list_issue(user=clerk, file_list=file_list)
    file.refresh_from_db()
    return file


def test_numbering_across_the_list(ward_a: AdminUnit, clerk: User) -> None:
    file_list, tccb, vp = _list_with_headings(clerk, ward_a)
    sub = filing.heading_create(user=clerk, file_list=file_list, title="Tuyển dụng", parent=tccb)
    sub2 = filing.heading_create(user=clerk, file_list=file_list, title="Đào tạo", parent=tccb)
    assert [tccb.number, vp.number, sub.number, sub2.number] == ["I", "II", "1", "2"]
    assert tccb.abbreviation == "TCCB"  # upper-cased
    a = filing.file_create(user=clerk, heading=sub, title="Hồ sơ tuyển dụng", retention_years=70)
    b = filing.file_create(user=clerk, heading=vp, title="Sổ đăng ký văn bản đến")
    c = filing.file_create(user=clerk, heading=sub2, title="Hồ sơ đào tạo", retention_years=10)
    assert [a.notation, b.notation, c.notation] == ["01.TCCB", "02.VP", "03.TCCB"]
    assert b.retention_label == "Vĩnh viễn"
    # Switching to "within each top heading", and deleting a file, renumbers a draft list.
    filing.file_list_update(user=clerk, file_list=file_list, numbering=FileNumbering.HEADING)
    assert list(
        File.objects.filter(file_list=file_list)
        .order_by("notation")
        .values_list("notation", "title")
    ) == [
        ("01.TCCB", "Hồ sơ tuyển dụng"),
        ("01.VP", "Sổ đăng ký văn bản đến"),
        ("02.TCCB", "Hồ sơ đào tạo"),
    ]
    filing.file_delete(user=clerk, file=a)
    assert sorted(File.objects.filter(file_list=file_list).values_list("notation", flat=True)) == [
        "01.TCCB",
        "01.VP",
    ]
    filing.heading_update(user=clerk, heading=tccb, abbreviation="NV")
    assert File.objects.get(title="Hồ sơ đào tạo").notation == "01.NV"


def test_heading_rules(ward_a: AdminUnit, clerk: User) -> None:
    file_list, tccb, _vp = _list_with_headings(clerk, ward_a)
    with pytest.raises(DomainError, match="đã được dùng"):
        filing.heading_create(user=clerk, file_list=file_list, title="X", abbreviation="TCCB")
    with pytest.raises(DomainError, match="chữ in hoa"):
        filing.heading_create(user=clerk, file_list=file_list, title="X", abbreviation="T C")
    sub = filing.heading_create(user=clerk, file_list=file_list, title="Tuyển dụng", parent=tccb)
    with pytest.raises(DomainError, match="hai cấp"):
        filing.heading_create(user=clerk, file_list=file_list, title="Con", parent=sub)
    filing.file_create(user=clerk, heading=sub, title="Hồ sơ A")
    with pytest.raises(DomainError, match="còn đề mục nhỏ"):
        filing.heading_delete(user=clerk, heading=tccb)
    with pytest.raises(DomainError, match="đã có danh mục"):
        filing.file_list_create(user=clerk, unit=ward_a, year=2026)


def test_approve_and_issue(ward_a: AdminUnit, clerk: User, leader: User, keeper: User) -> None:
    file_list, tccb, _vp = _list_with_headings(clerk, ward_a)
    with pytest.raises(DomainError, match="chưa có hồ sơ"):
        filing.file_list_approve(user=leader, file_list=file_list)
    file = filing.file_create(user=clerk, heading=tccb, title="Hồ sơ A", keeper=keeper)
    with pytest.raises(PermissionDenied):
        filing.file_list_approve(user=clerk, file_list=file_list)
    with pytest.raises(DomainError, match="phê duyệt trước"):
        filing.file_list_issue(user=clerk, file_list=file_list)
    filing.file_list_approve(user=leader, file_list=file_list)
    with pytest.raises(DomainError, match="đã được phê duyệt"):
        filing.heading_create(user=clerk, file_list=file_list, title="Mới", abbreviation="MOI")
    filing.file_list_issue(user=clerk, file_list=file_list)
    file.refresh_from_db()
    assert file.opened_at is not None
    assert Notification.objects.filter(
        recipient=keeper, title__contains="Danh mục hồ sơ năm 2026"
    ).exists()
    # A file added after the issue (bổ sung) opens at once and takes the next number.
    late = filing.file_create(user=clerk, heading=tccb, title="Hồ sơ bổ sung")
    assert late.notation == "02.TCCB" and late.opened_at is not None
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "documents.file_list_approve",
        "documents.file_list_issue",
        "documents.file_create",
    } <= actions


def test_copy_from_previous_year(ward_a: AdminUnit, clerk: User, keeper: User) -> None:
    old = filing.file_list_create(user=clerk, unit=ward_a, year=2025)
    top = filing.heading_create(user=clerk, file_list=old, title="Tổng hợp", abbreviation="TH")
    sub = filing.heading_create(user=clerk, file_list=old, title="Báo cáo", parent=top)
    filing.file_create(
        user=clerk, heading=sub, title="Báo cáo năm", retention_years=20, keeper=keeper
    )
    new = filing.file_list_create(user=clerk, unit=ward_a, year=2026, copy_from_previous=True)
    files = list(File.objects.filter(file_list=new))
    assert [(f.notation, f.title, f.retention_years, f.keeper_id) for f in files] == [
        ("01.TH", "Báo cáo năm", 20, keeper.pk)
    ]
    assert files[0].heading.parent.title == "Tổng hợp"


def test_documents_in_a_file(
    ward_a: AdminUnit, ward_b: AdminUnit, clerk: User, leader: User, keeper: User
) -> None:
    file_list, tccb, _vp = _list_with_headings(clerk, ward_a)
    file = filing.file_create(user=clerk, heading=tccb, title="Hồ sơ A", keeper=keeper)
    incoming = make_incoming(ward_a, 1, page_count=3, day=dt.date(2026, 3, 5))
    with pytest.raises(DomainError, match="chưa ban hành"):
        filing.file_add_document(user=clerk, file=file, document=incoming)
    filing.file_list_approve(user=leader, file_list=file_list)
    filing.file_list_issue(user=clerk, file_list=file_list)
    first = filing.file_add_document(user=clerk, file=file, document=incoming)
    outgoing = make_outgoing(ward_a, 5, author=clerk, day=dt.date(2026, 4, 2), page_count=2)
    second = filing.file_add_document(user=clerk, file=file, document=outgoing, pages=4)
    assert (first.ordinal, first.pages, second.ordinal, second.pages) == (1, 3, 2, 4)
    file.refresh_from_db()
    assert (file.start_date, file.end_date, file.page_total) == (
        dt.date(2026, 3, 3),
        dt.date(2026, 4, 2),
        7,
    )
    rows = filing.file_document_rows(file, clerk)
    assert [(r["ordinal"], r["notation"], r["sheet"]) for r in rows] == [
        (1, "101/SNV-VP", 1),
        (2, "05/QĐ-UBND", 4),
    ]
    assert rows[1]["author"] == "Ủy ban nhân dân phường Tây Hồ"
    with pytest.raises(DomainError, match="đã có trong hồ sơ"):
        filing.file_add_document(user=clerk, file=file, document=incoming)
    other = make_incoming(ward_b, 1)
    with pytest.raises(DomainError, match="không thuộc cơ quan"):
        filing.file_add_document(user=clerk, file=file, document=other)
    draft = make_outgoing(ward_a, 6, author=clerk, status="draft")
    draft.number = None
    draft.save()
    with pytest.raises(DomainError, match="đã ban hành"):
        filing.file_add_document(user=clerk, file=file, document=draft)
    secret = make_incoming(ward_a, 1, secrecy=1)
    with pytest.raises(NotFound):
        filing.file_add_document(user=clerk, file=file, document=secret)
    # The keeper may file; another specialist may not, and reads only what he may see.
    assert filing.can_file_documents(keeper, file)
    other = User.objects.create_user(username="khac", password="x-test-123456")
    from congso.kernel.people.models import Position

    Position.objects.create(user=other, unit=ward_a, role=Role.SPECIALIST)
    assert not filing.can_file_documents(other, file)
    seen = filing.file_document_rows(file, other)
    assert [r["type_and_subject"] for r in seen] == ["(Không có quyền xem)"] * 2
    assign(incoming, by=leader, user=other)
    seen = filing.file_document_rows(file, other)
    assert seen[0]["type_and_subject"].startswith("Công văn V/v") and seen[1]["hidden"]
    assert not any(r["hidden"] for r in filing.file_document_rows(file, keeper))
    filing.file_remove_document(user=clerk, entry=first)
    file.refresh_from_db()
    assert file.page_total == 4
    assert [e.ordinal for e in file.entries.all()] == [1]
    assert filing.document_files(outgoing)[0].file == file


def test_close_and_reopen(ward_a: AdminUnit, clerk: User, leader: User) -> None:
    file = _issued_file(clerk, leader, ward_a)
    with pytest.raises(DomainError, match="chưa có văn bản"):
        filing.file_close(user=clerk, file=file, closing_note="Hồ sơ gồm 0 tờ.")
    filing.file_add_document(user=clerk, file=file, document=make_incoming(ward_a, 1))
    with pytest.raises(DomainError, match="chứng từ kết thúc"):
        filing.file_close(user=clerk, file=file, closing_note="   ")
    filing.file_close(user=clerk, file=file, closing_note="Hồ sơ gồm 01 văn bản, 0 tờ.")
    file.refresh_from_db()
    assert file.status == FileStatus.CLOSED and file.closed_by == clerk
    with pytest.raises(DomainError, match="đã kết thúc"):
        filing.file_add_document(user=clerk, file=file, document=make_incoming(ward_a, 2))
    with pytest.raises(PermissionDenied):
        filing.file_reopen(user=clerk, file=file, reason="Thiếu văn bản")
    filing.file_reopen(user=leader, file=file, reason="Thiếu văn bản")
    file.refresh_from_db()
    assert file.status == FileStatus.OPEN


def test_deposit_due_and_reminder(
    ward_a: AdminUnit, clerk: User, leader: User, keeper: User
) -> None:
    kept_long = _issued_file(clerk, leader, ward_a, keeper=keeper, retention=10)
    list_ = kept_long.file_list
    heading = kept_long.heading
    short = filing.file_create(user=clerk, heading=heading, title="Hồ sơ 2 năm", retention_years=2)
    forever = filing.file_create(user=clerk, heading=heading, title="Hồ sơ vĩnh viễn")
    for f in (kept_long, short, forever):
        filing.file_add_document(user=clerk, file=f, document=make_incoming(ward_a, f.number))
        filing.file_close(user=clerk, file=f, closing_note="Kết thúc.")
    File.objects.filter(pk=kept_long.pk).update(closed_at=at(dt.date(2026, 3, 1)))
    File.objects.filter(pk__in=[short.pk, forever.pk]).update(closed_at=at(dt.date(2026, 6, 1)))
    kept_long.refresh_from_db()
    assert filing.deposit_due_on(kept_long) == dt.date(2027, 3, 1)
    short.refresh_from_db()
    assert filing.deposit_due_on(short) is None  # under 5 years: stays with the unit
    assert list_.year == 2026
    # 31 days before the due date: nothing yet; 30 days before: the keeper and clerk are told.
    assert filing.files_deposit_remind(today=dt.date(2027, 1, 29)) == 0
    assert filing.files_deposit_remind(today=dt.date(2027, 1, 30)) == 1
    notes = Notification.objects.filter(title__startswith="Hồ sơ 01.TCCB đến hạn nộp lưu")
    assert set(notes.values_list("recipient_id", flat=True)) == {keeper.pk, clerk.pk}
    assert filing.files_deposit_remind(today=dt.date(2027, 2, 15)) == 0  # once per file
    due = filing.files_due_for_deposit(ward_a, on=dt.date(2027, 5, 10))
    assert [(f.title, d) for f, d in due] == [
        ("Hồ sơ tuyển dụng công chức năm 2026", dt.date(2027, 3, 1)),
        ("Hồ sơ vĩnh viễn", dt.date(2027, 6, 1)),
    ]
    filing.file_mark_deposited(user=clerk, file=kept_long)
    assert [f.title for f, _d in filing.files_due_for_deposit(ward_a, on=dt.date(2027, 5, 10))] == [
        "Hồ sơ vĩnh viễn"
    ]


def _pdf_bytes(text: str) -> bytes:
    from congso.kernel.pdf import render_pdf_string

    return render_pdf_string(
        '{% extends "pdf/base.html" %}{% block content %}<p>{{ text }}</p>{% endblock %}',
        {"text": text},
    )


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff")) + chunk(b"IEND", b"")
    )  # fmt: skip


def test_export_for_deposit(ward_a: AdminUnit, clerk: User, leader: User, keeper: User) -> None:
    from congso.kernel.files.services import file_store

    file = _issued_file(clerk, leader, ward_a, keeper=keeper)
    incoming = make_incoming(
        ward_a,
        7,
        type_name="Quyết định",
        notation="15/QĐ-UBND",
        subject="về việc tuyển dụng công chức",
        page_count=2,
    )
    outgoing = make_outgoing(ward_a, 3, author=clerk, signer=leader, page_count=1)
    scan = _pdf_bytes("Quyết định tuyển dụng")
    file_store(upload=SimpleUploadedFile("quyet-dinh.pdf", scan), owner=incoming, user=clerk)
    file_store(upload=SimpleUploadedFile("ghi-chu.txt", b"not a pdf"), owner=incoming, user=clerk)
    draft = _pdf_bytes("Dự thảo")
    file_store(upload=SimpleUploadedFile("du-thao.pdf", draft), owner=outgoing, user=clerk)
    signed = _pdf_bytes("Văn bản đi đã ký")
    outgoing.issued_file = file_store(
        upload=SimpleUploadedFile("van-ban-di.pdf", signed), owner=outgoing, user=clerk
    )
    outgoing.save(update_fields=["issued_file"])
    # A photographed page and the searchable PDF the digitisation made of it: the copy goes.
    from congso.kernel.ocr.models import DigitizedCopy

    photo = file_store(upload=SimpleUploadedFile("anh.png", _png()), owner=incoming, user=clerk)
    ocr_pdf = _pdf_bytes("Bản số hóa của ảnh")
    copy = file_store(upload=SimpleUploadedFile("anh-so-hoa.pdf", ocr_pdf), owner=incoming,
                      user=clerk)  # fmt: skip
    DigitizedCopy.objects.create(original=photo, searchable=copy, pages=1, ocr_pages=1)
    # The keeper files what he may read: the incoming letter assigned to him; the clerk the rest.
    assign(incoming, by=leader, user=keeper)
    filing.file_add_document(user=keeper, file=file, document=incoming)
    with pytest.raises(NotFound):
        filing.file_add_document(user=keeper, file=file, document=outgoing)
    filing.file_add_document(user=clerk, file=file, document=outgoing)
    with pytest.raises(DomainError, match="chưa kết thúc"):
        filing.files_export_for_deposit(user=clerk, files=[file])
    filing.file_close(user=keeper, file=file, closing_note="Hồ sơ gồm 02 văn bản, 03 trang.")
    file.refresh_from_db()
    data = filing.files_export_for_deposit(user=clerk, files=[file])
    archive = zipfile.ZipFile(io.BytesIO(data))
    folder = "H26.TEST.103.2026.01.TCCB"
    assert sorted(archive.namelist()) == sorted(
        [
            "muc-luc-ho-so-nop-luu.pdf",
            f"{folder}/metadata.xml",
            f"{folder}/muc-luc-van-ban.pdf",
            f"{folder}/van-ban/001-15-QD-UBND-1.pdf",
            f"{folder}/van-ban/001-15-QD-UBND-2.pdf",
            f"{folder}/van-ban/002-03-QD-UBND.pdf",
        ]
    )
    assert archive.read(f"{folder}/van-ban/001-15-QD-UBND-1.pdf") == scan
    assert archive.read(f"{folder}/van-ban/001-15-QD-UBND-2.pdf") == ocr_pdf
    assert archive.read(f"{folder}/van-ban/002-03-QD-UBND.pdf") == signed
    xml = etree.fromstring(archive.read(f"{folder}/metadata.xml"))
    assert xml.findtext("FileCode") == "H26.TEST.103.2026.01.TCCB"
    assert xml.findtext("Title") == "Hồ sơ tuyển dụng công chức năm 2026"
    assert xml.findtext("Maintenance") == "10 năm"
    assert xml.findtext("Rights") == "Sử dụng rộng rãi"
    assert xml.findtext("Creator") == "Phạm Chuyên Viên"
    assert xml.findtext("DocTotal") == "2"
    assert xml.findtext("PageTotal") == "3"
    assert xml.findtext("StartDate") == "03/03/2026"
    docs = xml.findall("Documents/Document")
    assert [d.findtext("DocOrdinal") for d in docs] == ["1", "2"]
    assert docs[0].findtext("CodeNumber") == "15" and docs[0].findtext("CodeNotation") == "QĐ-UBND"
    assert docs[0].findtext("ArrivalNumber") == "7"
    assert docs[1].findtext("OrganName") == "Ủy ban nhân dân phường Tây Hồ"
    listing = pypdf.PdfReader(io.BytesIO(archive.read("muc-luc-ho-so-nop-luu.pdf")))
    text = listing.pages[0].extract_text()
    assert "MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU" in text
    assert "01.TCCB" in text and "10 năm" in text
    contents = pypdf.PdfReader(io.BytesIO(archive.read(f"{folder}/muc-luc-van-ban.pdf")))
    assert "Quyết định về việc tuyển dụng công chức" in " ".join(
        contents.pages[0].extract_text().split()
    )
    assert AuditEvent.objects.filter(action="documents.file_export").count() == 1


def test_export_refuses_secret_above_clearance(
    ward_a: AdminUnit, clerk: User, leader: User
) -> None:
    file = _issued_file(clerk, leader, ward_a)
    filing.file_add_document(user=leader, file=file, document=make_incoming(ward_a, 1, secrecy=1))
    filing.file_close(user=leader, file=file, closing_note="Kết thúc.")
    with pytest.raises(PermissionDenied):
        filing.files_export_for_deposit(user=clerk, files=[file])
    assert filing.files_export_for_deposit(user=leader, files=[file]).startswith(b"PK")


def test_file_list_pdf(ward_a: AdminUnit, clerk: User, keeper: User) -> None:
    file_list, tccb, vp = _list_with_headings(clerk, ward_a)
    sub = filing.heading_create(user=clerk, file_list=file_list, title="Tuyển dụng", parent=tccb)
    filing.file_create(
        user=clerk, heading=sub, title="Hồ sơ tuyển dụng", retention_years=70, keeper=keeper
    )
    filing.file_create(user=clerk, heading=vp, title="Sổ đăng ký văn bản đến")
    reader = pypdf.PdfReader(io.BytesIO(filing.file_list_pdf(file_list)))
    text = " ".join(reader.pages[0].extract_text().split())
    assert "DANH MỤC HỒ SƠ NĂM 2026" in text
    assert "TỔ CHỨC, CÁN BỘ" in text and "01.TCCB" in text and "02.VP" in text
    assert "70 năm" in text and "Vĩnh viễn" in text and "Phạm Chuyên Viên" in text
