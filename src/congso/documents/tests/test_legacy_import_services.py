"""Legacy register import: header guessing, the bad-row report, all or nothing, document types,
and the interplay with the gap-free arrival and outgoing number sequences (ADR 0007)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from congso.documents.models import (
    DocumentType,
    IncomingDocument,
    IncomingStatus,
    OutgoingDocument,
    RegisterImport,
)
from congso.documents.services import legacy_import as svc
from congso.documents.services import registers
from congso.kernel.audit.models import AuditEvent
from congso.kernel.errors import DomainError, PermissionDenied
from congso.kernel.numbering.services import number_next, number_peek
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import Role, User

pytestmark = pytest.mark.django_db

INCOMING_HEADERS = [
    "NGÀY ĐẾN", "Số đến", "Tác giả", "Số, ký hiệu văn bản", "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung", "Đơn vị hoặc người nhận", "Ngày chuyển", "Ký nhận",
    "Ghi chú",
]  # fmt: skip


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


def xlsx(rows: list[list[Any]], *, headers: list[str] = INCOMING_HEADERS,
         title_rows: bool = True) -> bytes:  # fmt: skip
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if title_rows:
        sheet.append(["ỦY BAN NHÂN DÂN PHƯỜNG TÂY HỒ"])
        sheet.append(["SỔ ĐĂNG KÝ VĂN BẢN ĐẾN NĂM 2025"])
        sheet.append([])
    sheet.append(headers)
    if title_rows:
        sheet.append([f"({i})" for i in range(1, len(headers) + 1)])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def incoming_row(number: int, day: Any = None, subject: str = "Công văn V/v báo cáo",
                 **kw: Any) -> list[Any]:  # fmt: skip
    day = day if day is not None else dt.date(2025, 3, number % 28 + 1)
    return [
        day, number, kw.get("sender", "Sở Nội vụ"), kw.get("notation", f"{number}/SNV-VP"),
        "01/03/2025", subject, kw.get("recipient", "Văn phòng"), kw.get("transferred"), None,
        kw.get("note"),
    ]  # fmt: skip


def upload(clerk: User, unit: AdminUnit, data: bytes) -> Any:
    return svc.legacy_upload(
        user=clerk, unit=unit, upload=SimpleUploadedFile("so-den-2025.xlsx", data)
    )


def run(clerk: User, unit: AdminUnit, data: bytes, kind: str = "incoming", **kw: Any) -> Any:
    stored = upload(clerk, unit, data)
    sheet = svc.legacy_read(stored)
    mapping = kw.pop("mapping", None) or svc.legacy_guess_mapping(kind, sheet.headers)
    return svc.legacy_import(user=clerk, unit=unit, kind=kind, source=stored, mapping=mapping, **kw)


def errors_of(exc: svc.LegacyImportInvalid) -> list[tuple[int, str]]:
    return [(e.row, e.message) for e in exc.report.errors]


def test_guess_mapping_accent_insensitive() -> None:
    mapping = svc.legacy_guess_mapping("incoming", INCOMING_HEADERS)
    assert mapping == {
        "arrived_on": 0, "arrival_number": 1, "sender": 2, "notation": 3, "issued_date": 4,
        "type_name": None, "subject": 5, "recipient": 6, "transferred_on": 7,
        "acknowledged": 8, "note": 9,
    }  # fmt: skip
    plain = ["STT", "Ngay den", "SO DEN", "Noi gui", "Trich yeu", "Loai van ban", "ghi chu"]
    guessed = svc.legacy_guess_mapping("incoming", plain)
    assert (guessed["arrived_on"], guessed["arrival_number"], guessed["sender"]) == (1, 2, 3)
    assert (guessed["subject"], guessed["type_name"], guessed["note"]) == (4, 5, 6)
    outgoing = svc.legacy_guess_mapping(
        "outgoing",
        ["Số, ký hiệu", "Ngày tháng", "Tên loại và trích yếu nội dung", "Người ký", "Nơi nhận",
         "Đơn vị, người nhận bản lưu", "Số lượng bản", "Ngày chuyển", "Ký nhận", "Ghi chú"],
    )  # fmt: skip
    keys = ("notation", "issued_date", "subject", "signer", "recipients", "archive_copy",
            "copies", "note")  # fmt: skip
    assert [outgoing[k] for k in keys] == [0, 1, 2, 3, 4, 5, 6, 9]


def test_reads_header_below_titles_and_skips_column_numbers(clerk: User, ward_a: AdminUnit) -> None:
    stored = upload(clerk, ward_a, xlsx([incoming_row(1), [], incoming_row(2)]))
    sheet = svc.legacy_read(stored)
    assert sheet.header_row == 4
    assert [row for row, _values in sheet.rows] == [6, 8]


def test_all_or_nothing_with_a_report_of_each_bad_row(clerk: User, ward_a: AdminUnit) -> None:
    rows = [
        incoming_row(1),
        incoming_row(2, day="31/02/2025"),  # no such date
        incoming_row(3, subject=""),  # missing subject
        incoming_row(1, day=dt.date(2025, 3, 9)),  # duplicate arrival number
        incoming_row(5, day=dt.date(2099, 1, 1)),  # in the future
        incoming_row(6),
    ]
    with pytest.raises(svc.LegacyImportInvalid) as info:
        run(clerk, ward_a, xlsx(rows))
    assert errors_of(info.value) == [
        (7, "Ngày không hợp lệ (dùng dd/mm/yyyy)."),
        (8, "Thiếu trích yếu nội dung."),
        (9, "Số 01 năm 2025 trùng với dòng 6."),
        (10, "Ngày nằm ngoài khoảng cho phép (không được sau hôm nay)."),
    ]
    assert info.value.code == "legacy_import_invalid" and info.value.status == 422
    assert info.value.details["bad_rows"] == 4
    assert IncomingDocument.objects.count() == 0
    assert RegisterImport.objects.count() == 0
    assert number_peek(scope=f"unit:{ward_a.pk}", series="arrival", year=2025) == 1

    good = [incoming_row(n, transferred="05/03/2025", note="Bản photo") for n in (1, 2, 3, 4)]
    report, record = run(clerk, ward_a, xlsx(good))
    assert report.ok and record is not None and record.row_count == 4
    documents = list(IncomingDocument.objects.order_by("arrival_number"))
    assert [d.arrival_number for d in documents] == [1, 2, 3, 4]
    first = documents[0]
    assert first.document_type.name == "Công văn" and first.subject == "V/v báo cáo"
    assert first.status == IncomingStatus.DONE
    assert first.note.startswith("Đơn vị, người nhận: Văn phòng; Ngày chuyển: 05/03/2025")
    assert first.code_number == "1" and first.code_notation == "SNV-VP"
    assert AuditEvent.objects.filter(action="documents.legacy_import").count() == 1
    # Live numbering in 2025 continues after the imported numbers.
    with transaction.atomic():
        assert number_next(scope=f"unit:{ward_a.pk}", series="arrival", year=2025) == 5
    # The imported rows are in the register like any other.
    query = registers.register_query(user=clerk, kind="incoming", year=2025)
    assert [r["arrival_number"] for r in registers.register_rows(query)] == [1, 2, 3, 4]


def test_unknown_type_is_mapped_or_refused(clerk: User, ward_a: AdminUnit) -> None:
    headers = ["Ngày đến", "Số đến", "Tác giả", "Tên loại", "Trích yếu", "Ghi chú"]
    rows = [
        [dt.date(2025, 1, 5), 1, "Sở Xây dựng", "CV", "V/v cấp phép", None],
        [dt.date(2025, 1, 6), 2, "Sở Xây dựng", "Quyết định", "về việc giao đất", None],
        [dt.date(2025, 1, 7), 3, "Sở Xây dựng", "cv", "V/v thẩm định", None],
    ]
    data = xlsx(rows, headers=headers, title_rows=False)
    with pytest.raises(svc.LegacyImportInvalid) as info:
        run(clerk, ward_a, data)
    assert info.value.report.unknown_types == {"CV": 1, "cv": 1}
    assert [row for row, _ in errors_of(info.value)] == [2, 4]
    letter = DocumentType.objects.get(name="Công văn")
    report, _record = run(clerk, ward_a, data, type_mapping={"CV": letter.pk})
    assert report.ok
    assert list(IncomingDocument.objects.order_by("arrival_number")
                .values_list("document_type__name", flat=True)) == [
        "Công văn", "Quyết định", "Công văn",
    ]  # fmt: skip


def test_type_from_notation_when_the_subject_does_not_say(clerk: User, ward_a: AdminUnit) -> None:
    rows = [incoming_row(1, subject="Về việc tổ chức lễ hội", notation="15/QĐ-UBND"),
            incoming_row(2, subject="Xin ý kiến", notation="123/UBND-VP"),
            incoming_row(3, subject="Không rõ", notation="")]  # fmt: skip
    with pytest.raises(svc.LegacyImportInvalid) as info:
        run(clerk, ward_a, xlsx(rows))
    assert [row for row, _ in errors_of(info.value)] == [8]
    plan = DocumentType.objects.get(name="Kế hoạch")
    run(clerk, ward_a, xlsx(rows), type_mapping={"": plan.pk})
    assert list(IncomingDocument.objects.order_by("arrival_number")
                .values_list("document_type__name", flat=True)) == [
        "Quyết định", "Công văn", "Kế hoạch",
    ]  # fmt: skip


def test_sequence_interplay(clerk: User, ward_a: AdminUnit) -> None:
    scope = f"unit:{ward_a.pk}"
    # 2025: numbers 1, 2, 4 (3 missing in the old book): counter 4, a warning about 03.
    report, _ = run(clerk, ward_a, xlsx([incoming_row(n) for n in (1, 2, 4)]))
    assert report.warnings == [
        "Năm 2025: sổ còn thiếu 1 số (03). Có thể nhập bổ sung các số này sau."
    ]
    assert number_peek(scope=scope, series="arrival", year=2025) == 5
    # Live numbering then gives 05 (a late registration of a 2025 letter).
    with transaction.atomic():
        assert number_next(scope=scope, series="arrival", year=2025) == 5
    # Importing 6 now would take a number live numbering has yet to give: refused.
    with pytest.raises(svc.LegacyImportInvalid) as info:
        run(clerk, ward_a, xlsx([incoming_row(3), incoming_row(6)]))
    assert errors_of(info.value) == [
        (7, "Năm 2025 đã bắt đầu cấp số trong hệ thống (đến số 05): chỉ nhập được các số còn "
            "trống không lớn hơn 05."),
    ]  # fmt: skip
    # The free hole 03 below the counter can be filled; the counter does not move.
    report, _ = run(clerk, ward_a, xlsx([incoming_row(3)]))
    assert report.ok
    assert number_peek(scope=scope, series="arrival", year=2025) == 6
    # A number already in the register is refused.
    with pytest.raises(svc.LegacyImportInvalid) as info:
        run(clerk, ward_a, xlsx([incoming_row(2)]))
    assert errors_of(info.value) == [(6, "Số 02 năm 2025 đã có trong sổ của hệ thống.")]


def test_current_year_before_going_live(clerk: User, ward_a: AdminUnit) -> None:
    today = timezone.localdate()
    start = dt.date(today.year, 1, 1)
    rows = [incoming_row(n, day=start) for n in (1, 2, 3)]
    # A continuation imported later (before the first live number) is fine too.
    run(clerk, ward_a, xlsx(rows))
    run(clerk, ward_a, xlsx([incoming_row(4, day=start)]))
    with transaction.atomic():
        assert number_next(scope=f"unit:{ward_a.pk}", series="arrival", year=today.year) == 5


def test_dry_run_writes_nothing(clerk: User, ward_a: AdminUnit) -> None:
    report, record = run(clerk, ward_a, xlsx([incoming_row(1), incoming_row(2)]), dry_run=True)
    assert report.ok and record is None and report.years[0]["count"] == 2
    assert IncomingDocument.objects.count() == 0
    assert number_peek(scope=f"unit:{ward_a.pk}", series="arrival", year=2025) == 1


def test_outgoing_register(clerk: User, ward_a: AdminUnit, make_user: Callable[..., User]) -> None:
    leader = make_user(Role.LEADER, ward_a, full_name="Lê Văn Chủ Tịch")
    headers = ["Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung",
               "Người ký", "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu", "Số lượng bản",
               "Ngày chuyển", "Ký nhận", "Ghi chú"]  # fmt: skip
    rows = [
        ["01/QĐ-UBND", "02/01/2025", "Quyết định về việc thành lập tổ công tác",
         "Lê Văn Chủ Tịch", "Như Điều 3", "VP", 3, None, None, None],
        ["02/QĐ-UBND", "05/01/2025", "về việc giao nhiệm vụ", "Nguyễn Văn Cũ", "Các phòng",
         "VP", 2, None, None, None],
        ["15/UBND-VP", "06/01/2025", "V/v báo cáo", "Lê Văn Chủ Tịch", "UBND Thành phố",
         "VP", 1, None, None, None],
    ]  # fmt: skip
    report, _ = run(clerk, ward_a, xlsx(rows, headers=headers, title_rows=False), kind="outgoing")
    assert report.ok
    documents = list(OutgoingDocument.objects.order_by("issued_date"))
    assert [(d.notation, d.number, d.document_type.name) for d in documents] == [
        ("01/QĐ-UBND", 1, "Quyết định"), ("02/QĐ-UBND", 2, "Quyết định"),
        ("15/UBND-VP", 15, "Công văn"),
    ]  # fmt: skip
    assert documents[0].signer == leader and documents[1].signer_title == "Nguyễn Văn Cũ"
    assert documents[0].copies == 3 and documents[2].department.abbreviation == "VP"
    scope = f"unit:{ward_a.pk}"
    for d in documents:  # each series continues after its highest imported number
        top = max(o.number or 0 for o in documents if o.series == d.series)
        assert number_peek(scope=scope, series=d.series, year=2025) == top + 1
    query = registers.register_query(user=clerk, kind="outgoing", year=2025)
    rows_out = list(registers.register_rows(query))
    assert [r["signer"] for r in rows_out] == [
        "Lê Văn Chủ Tịch",
        "Nguyễn Văn Cũ",
        "Lê Văn Chủ Tịch",
    ]


def test_bad_files_and_permissions(clerk: User, ward_a: AdminUnit,
                                   make_user: Callable[..., User]) -> None:  # fmt: skip
    with pytest.raises(DomainError) as info:
        upload(clerk, ward_a, b"%PDF-1.4 not a spreadsheet")
    assert info.value.code in {"file_type_not_allowed", "file_type_mismatch"}
    no_header = xlsx([["a", "b", "c"]], headers=["x", "y", "z"], title_rows=False)
    stored = upload(clerk, ward_a, no_header)
    with pytest.raises(DomainError) as info:
        svc.legacy_read(stored)
    assert info.value.code == "import_no_header"
    specialist = make_user(Role.SPECIALIST, ward_a)
    with pytest.raises(PermissionDenied):
        upload(specialist, ward_a, xlsx([incoming_row(1)]))
    good = upload(clerk, ward_a, xlsx([incoming_row(1)]))
    with pytest.raises(DomainError, match="Chưa ghép cột"):
        svc.legacy_import(user=clerk, unit=ward_a, kind="incoming", source=good,
                          mapping={"arrived_on": 0})  # fmt: skip
