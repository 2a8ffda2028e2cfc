"""Registering incoming documents: numbers, series, notation, duplicates, bad inputs (nothing
half-registered), urgent notifications."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from congso.documents.models import DigitizationStatus, IncomingDocument, IncomingStatus
from congso.documents.services.incoming import (
    incoming_register,
    notation_parse,
)
from congso.documents.tests.conftest import doc_type, letter_pdf, upload
from congso.kernel.audit.models import AuditEvent
from congso.kernel.errors import DomainError, PermissionDenied
from congso.kernel.files.models import StoredFile
from congso.kernel.notifications.models import Notification
from congso.kernel.numbering.services import number_peek
from congso.kernel.people.models import Role

pytestmark = pytest.mark.django_db


def _at(year: int, month: int, day: int, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def _next_number(unit: Any, series: str = "arrival", year: int | None = None) -> int:
    year = year or timezone.localdate().year
    return number_peek(scope=f"unit:{unit.pk}", series=series, year=year)


@pytest.mark.parametrize(
    ("text", "number", "notation"),
    [
        ("15/QĐ-UBND", "15", "QĐ-UBND"),
        ("Số: 123/UBND-VP", "123", "UBND-VP"),
        ("30/2020/NĐ-CP", "30", "2020/NĐ-CP"),
        ("05 / KH - UBND", "05", "KH-UBND"),
        ("12/QyĐ-UBND", "12", "QyĐ-UBND"),
        ("1234/SXD-QLXD&HT", "1234", "SXD-QLXD&HT"),
        ("24/2025/QĐ-UBND", "24", "2025/QĐ-UBND"),
        ("15-KH/ĐU", "15", "KH/ĐU"),
        ("36-HD/VPTW", "36", "HD/VPTW"),
    ],
)
def test_notation_parses(text: str, number: str, notation: str) -> None:
    parsed = notation_parse(text)
    assert parsed is not None
    assert (parsed.code_number, parsed.code_notation) == (number, notation)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "QĐ-UBND",
        "15",
        "15/",
        "/QĐ-UBND",
        "15/2020",
        "15/QĐ--UBND",
        "15/QĐ UBND",
        "a/b",
        "15-KH",
        "15-/ĐU",
    ],
)
def test_notation_refused(text: str) -> None:
    assert notation_parse(text) is None


def test_registration_numbers_are_consecutive_and_stored(
    register: Any, ward_a: Any, clerk: Any
) -> None:
    docs = [register() for _ in range(3)]
    assert [d.arrival_number for d in docs] == [1, 2, 3]
    doc = docs[0]
    doc.refresh_from_db()
    assert doc.arrival_series == "arrival"
    assert doc.arrival_year == timezone.localdate().year
    assert doc.status == IncomingStatus.REGISTERED
    assert doc.registered_by == clerk
    assert (doc.code_number, doc.code_notation) == ("101", "SXD-QLXD")
    # The file is stored, owned by the document, and counted: digitisation is pending.
    files = StoredFile.objects.filter(
        owner_type=ContentType.objects.get_for_model(IncomingDocument), owner_id=str(doc.pk)
    )
    assert files.count() == 1
    assert files.get().unit_id == ward_a.pk
    assert doc.digitization_status == DigitizationStatus.PENDING
    assert doc.page_count == 1  # taken from the PDF
    event = AuditEvent.objects.get(action="documents.incoming_register", object_id=str(doc.pk))
    assert event.changes["arrival_number"] == [None, 1]
    assert _next_number(ward_a) == 4


def test_secret_documents_have_their_own_series(register: Any, clerk: Any) -> None:
    clerk.clearance = 2
    clerk.save()
    a = register()
    s1 = register(secrecy=1, files=[])  # a secret document may be registered without a scan
    s2 = register(secrecy=2)
    b = register()
    assert [a.arrival_number, b.arrival_number] == [1, 2]
    assert [(s1.arrival_series, s1.arrival_number), (s2.arrival_series, s2.arrival_number)] == [
        ("arrival-secret", 1),
        ("arrival-secret", 2),
    ]
    assert s1.digitization_status == DigitizationStatus.NO_FILE


def test_numbers_restart_each_year_and_per_ward(
    register: Any, ward_a: Any, ward_b: Any, clerk_b: Any
) -> None:
    last_year = timezone.localdate().year - 1
    old = [
        register(arrived_at=_at(last_year, 12, 30), issued_date=dt.date(last_year, 12, 29))
        for _ in range(2)
    ]
    new = register()
    other = register(unit=ward_b, user=clerk_b)
    assert [(d.arrival_year, d.arrival_number) for d in old] == [(last_year, 1), (last_year, 2)]
    assert (new.arrival_year, new.arrival_number) == (timezone.localdate().year, 1)
    assert (other.unit_id, other.arrival_number) == (ward_b.pk, 1)


def test_only_clerks_and_admins_register(
    register: Any, make_user: Any, ward_a: Any, specialist: Any, leader: Any, clerk_b: Any
) -> None:
    for user in (specialist, leader, clerk_b):
        with pytest.raises(PermissionDenied):
            register(user=user)
    admin = make_user(Role.ADMIN, ward_a)
    assert register(user=admin).arrival_number == 1
    assert IncomingDocument.objects.count() == 1


# --- duplicates --------------------------------------------------------------------------------


def test_same_notation_sender_and_date_is_warned_then_accepted_with_a_reason(
    register: Any, sender: Any
) -> None:
    day = dt.date.today() - dt.timedelta(days=5)
    first = register(notation="15/SXD-QLXD", sender=sender, issued_date=day)
    with pytest.raises(DomainError) as caught:
        # Typed with other spacing and case, sender typed as a name: still the same document.
        register(notation="số 15 / sxd-qlxd", sender=None, sender_name=sender.name, issued_date=day)
    assert caught.value.code == "duplicate_suspected"
    assert caught.value.status == 409
    matches = caught.value.details["matches"]
    assert [(m["id"], m["reasons"]) for m in matches] == [(first.pk, ["notation"])]
    assert "số đến 01/" in caught.value.message
    # Another date or another sender is another document.
    register(notation="15/SXD-QLXD", sender=sender, issued_date=day - dt.timedelta(days=1))
    register(notation="15/SXD-QLXD", sender_name="Sở Nội vụ thành phố Hà Nội", issued_date=day)
    # With a reason it goes through, and the reason is kept.
    again = register(
        notation="15/SXD-QLXD",
        sender=sender,
        issued_date=day,
        duplicate_reason="Bản gửi lại có bổ sung phụ lục",
    )
    assert again.arrival_number == 4
    assert again.duplicate_reason == "Bản gửi lại có bổ sung phụ lục"


def test_same_file_content_is_warned(register: Any, ward_b: Any, clerk_b: Any) -> None:
    content = letter_pdf("Kế hoạch tổ chức Tết Trung thu cho thiếu nhi năm 2026.")
    first = register(files=[upload("ke-hoach.pdf", content)])
    before = _next_number(first.unit)
    with pytest.raises(DomainError) as caught:
        register(files=[upload("ban-khac-ten.pdf", content)], notation="999/KH-UBND")
    assert caught.value.code == "duplicate_suspected"
    assert caught.value.details["matches"][0]["id"] == first.pk
    assert caught.value.details["matches"][0]["reasons"] == ["file"]
    assert _next_number(first.unit) == before
    # Another ward's registry is its own: the same file there is no duplicate.
    register(unit=ward_b, user=clerk_b, files=[upload("ke-hoach.pdf", content)])


def test_duplicate_of_a_secret_document_does_not_reveal_it(register: Any, clerk: Any) -> None:
    clerk.clearance = 1
    clerk.save()
    content = letter_pdf("Nội dung mật.")
    register(files=[upload("mat.pdf", content)], secrecy=1, subject="Về công tác bảo vệ bí mật")
    clerk.clearance = 0
    clerk.save()
    with pytest.raises(DomainError) as caught:
        register(files=[upload("mat.pdf", content)])
    match = caught.value.details["matches"][0]
    assert match["subject"] == "(văn bản mật)"
    assert match["notation"] == ""


# --- bad inputs: clear errors, nothing half-registered -----------------------------------------


def _state(unit: Any) -> tuple[int, int, int]:
    return (IncomingDocument.objects.count(), StoredFile.objects.count(), _next_number(unit))


def _encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(letter_pdf())))
    writer.encrypt(user_password="mat-khau", owner_password="chu-so-huu")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


BAD_INPUTS: list[tuple[str, Any, str]] = [
    (
        "files",
        lambda: [upload("cong-van.pdf", b"PK\x03\x04 a zip, not a PDF" * 10)],
        "file_type_mismatch",
    ),
    ("files", lambda: [upload("trong.pdf", b"")], "file_empty"),
    (
        "files",
        lambda: [upload("hong.pdf", b"%PDF-1.4\n garbage without pages\n")],
        "file_unreadable",
    ),
    ("files", lambda: [upload("khoa.pdf", _encrypted_pdf())], "file_encrypted"),
    ("files", lambda: [upload("ghi-chu.txt", "Văn bản thuần".encode())], "file_type_not_allowed"),
    ("files", lambda: [], "files_required"),
    ("notation", lambda: "QĐ-UBND số 15", "notation_invalid"),
    ("notation", lambda: "", "notation_required"),
    ("subject", lambda: "   ", "subject_required"),
    ("subject", lambda: "x" * 501, "subject_too_long"),
    ("sender_name", lambda: "", "sender_required"),
    ("document_type", lambda: None, "document_type_required"),
    ("urgency", lambda: 7, "urgency_invalid"),
    ("channel", lambda: "fax", "channel_invalid"),
    ("secrecy", lambda: 1, "secrecy_not_cleared"),
    ("issued_date", lambda: dt.date.today() + dt.timedelta(days=2), "issued_after_arrival"),
    ("arrived_at", lambda: timezone.now() + dt.timedelta(days=1), "arrived_in_future"),
    ("page_count", lambda: 0, "page_count_invalid"),
]


@pytest.mark.parametrize(("field", "value", "code"), BAD_INPUTS, ids=[c for _, _, c in BAD_INPUTS])
def test_bad_input_leaves_nothing_behind(
    register: Any, ward_a: Any, field: str, value: Any, code: str
) -> None:
    register()  # number 1 taken: the failed ones must not take 2
    before = _state(ward_a)
    with pytest.raises(DomainError) as caught:
        register(**{field: value()})
    assert caught.value.code == code
    assert caught.value.message  # a sentence for people, in Vietnamese
    assert _state(ward_a) == before
    assert register().arrival_number == 2


def test_oversized_upload_is_refused_before_anything_is_kept(
    register: Any, ward_a: Any, settings: Any
) -> None:
    settings.FILE_UPLOAD_MAX_BYTES = 2000
    before = _state(ward_a)
    with pytest.raises(DomainError) as caught:
        register(files=[upload("lon.pdf", letter_pdf("x " * 3000))])
    assert (caught.value.code, caught.value.status) == ("file_too_large", 413)
    assert _state(ward_a) == before


def test_a_bad_second_file_rolls_back_the_first(register: Any, ward_a: Any) -> None:
    before = _state(ward_a)
    with pytest.raises(DomainError) as caught:
        register(files=[upload("trang-1.pdf"), upload("trang-2.pdf", b"GIF89a not allowed")])
    assert caught.value.code in {"file_type_mismatch", "file_type_not_allowed"}
    assert _state(ward_a) == before
    assert not AuditEvent.objects.filter(action="documents.incoming_register").exists()


def test_free_text_notation_for_a_thu_cong(register: Any) -> None:
    doc = register(document_type=doc_type("Thư công"), notation="Thư chúc mừng năm mới")
    assert doc.notation == "Thư chúc mừng năm mới"
    assert (doc.code_number, doc.code_notation) == ("", "")
    assert register(document_type=doc_type("Thư công"), notation="").notation == ""


def test_several_files_and_images_count_pages(register: Any) -> None:
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
        b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe"
        b"\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    doc = register(files=[upload("a.pdf", letter_pdf(pages=3)), upload("b.png", png)])
    assert doc.page_count is None  # an image's pages are not counted: the clerk types them
    doc = register(files=[upload("a.pdf", letter_pdf(pages=3)), upload("b.pdf", letter_pdf())])
    assert doc.page_count == 4
    assert register(page_count=7).page_count == 7


def test_urgent_document_notifies_the_committee_leaders_at_once(
    register: Any, leader: Any, make_user: Any, ward_a: Any, departments: Any
) -> None:
    from congso.kernel.people.models import Position

    head = make_user(Role.LEADER, None, username="truongphong")
    Position.objects.create(user=head, unit=ward_a, role=Role.LEADER, department=departments["KT"])
    register()
    assert not Notification.objects.exists()
    doc = register(urgency=3)
    notes = Notification.objects.filter(kind="documents.incoming_urgent")
    assert [n.recipient for n in notes] == [leader]  # the committee's leaders, not department heads
    note = notes.get()
    assert note.level == "urgent"
    assert note.title.startswith("[Hỏa tốc] Văn bản đến số 02/")
    assert note.url == f"/van-ban/den/{doc.pk}/"


def test_text_is_normalised_to_nfc(register: Any) -> None:
    decomposed = "Quyết định".replace("ế", "e\u0302\u0301")
    doc = register(subject=f"  {decomposed} về việc  ", sender_name="Sở  Nội vụ")
    assert doc.subject == "Quyết định về việc"
    assert doc.sender_name == "Sở Nội vụ"


def test_system_registration_without_a_user(ward_a: Any) -> None:
    doc = incoming_register(
        unit=ward_a,
        user=None,
        files=[upload()],
        channel="internal",
        document_type=doc_type("Quyết định"),
        notation="05/QĐ-UBND",
        sender_name="Ủy ban nhân dân phường Phú Thượng",
        issued_date=dt.date.today(),
        subject="Về việc phối hợp kiểm tra",
    )
    assert doc.registered_by is None
    assert doc.arrival_number == 1
