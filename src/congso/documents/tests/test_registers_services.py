"""Registers: Appendix IV columns in order, rows, periods, secret series, permissions, XLSX, PDF,
and a query count that does not grow with the number of rows."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congso.documents.models import Dispatch, IncomingStatus, Organisation
from congso.documents.services import registers as svc
from congso.documents.tests.registers_helpers import (
    assign,
    digitized,
    make_incoming,
    make_outgoing,
)
from congso.kernel.audit.models import AuditEvent
from congso.kernel.errors import DomainError, NotFound, PermissionDenied
from congso.kernel.orgunits.models import AdminUnit, Department
from congso.kernel.people.models import Role, User

pytestmark = pytest.mark.django_db

# Decree 30/2020, Appendix IV (shared/domain/vietnam-rules.md §1.4), in the official order.
APPENDIX_IV_INCOMING = [
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung",
    "Đơn vị hoặc người nhận",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
]
APPENDIX_IV_OUTGOING = [
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
]
APPENDIX_IV_FOLLOWUP_START = ["Số đến", "Tên loại, số, ký hiệu, ngày tháng văn bản"]
APPENDIX_IV_FOLLOWUP_REST = [
    "Đơn vị hoặc người nhận",
    "Thời hạn giải quyết",
    "Tiến độ giải quyết",
    "Số, ký hiệu văn bản trả lời",
    "Ghi chú",
]


@pytest.fixture
def clerk(ward_a: AdminUnit, make_user: Callable[..., User]) -> User:
    return make_user(Role.CLERK, ward_a, full_name="Trần Thị Văn Thư")


@pytest.fixture
def leader(ward_a: AdminUnit, make_user: Callable[..., User]) -> User:
    return make_user(Role.LEADER, ward_a, full_name="Lê Văn Chủ Tịch", clearance=2)


def test_columns_match_appendix_iv() -> None:
    assert [c.label for c in svc.INCOMING_COLUMNS] == APPENDIX_IV_INCOMING
    assert [c.label for c in svc.OUTGOING_COLUMNS] == APPENDIX_IV_OUTGOING
    followup = [c.label for c in svc.FOLLOWUP_COLUMNS]
    assert len(followup) == 7
    assert followup[0] == APPENDIX_IV_FOLLOWUP_START[0]
    assert followup[1].startswith(APPENDIX_IV_FOLLOWUP_START[1])
    assert followup[2:] == APPENDIX_IV_FOLLOWUP_REST


def test_incoming_rows_in_arrival_order_with_recipient_and_transfer(
    ward_a: AdminUnit, clerk: User, leader: User
) -> None:
    office = Department.objects.get(unit=ward_a, abbreviation="VP")
    third = make_incoming(
        ward_a,
        3,
        day=dt.date(2026, 3, 9),
        type_name="Quyết định",
        subject="về việc phê duyệt kế hoạch",
        urgency=1,
        notation="15/QĐ-UBND",
    )
    make_incoming(ward_a, 1, day=dt.date(2026, 3, 2))
    make_incoming(ward_a, 2, day=dt.date(2026, 3, 3), status=IncomingStatus.RECALLED)
    assign(
        third,
        by=leader,
        department=office,
        deadline=dt.date(2026, 3, 20),
        assigned_on=dt.date(2026, 3, 10),
    )
    query = svc.register_query(user=clerk, kind="incoming", year=2026)
    rows = list(svc.register_rows(query))
    assert [r["arrival_number"] for r in rows] == [1, 2, 3]
    last = rows[2]
    assert last["arrived_on"] == dt.date(2026, 3, 9)
    assert last["notation"] == "15/QĐ-UBND"
    assert last["issued_date"] == dt.date(2026, 3, 7)
    assert last["type_and_subject"] == "Quyết định về việc phê duyệt kế hoạch"
    assert last["recipient"] == "Văn phòng HĐND-UBND"
    assert last["transferred_on"] == dt.date(2026, 3, 10)
    assert last["note"] == "Khẩn"
    assert rows[1]["note"] == "Đã thu hồi"
    # "Công văn V/v …": the type name then the subject.
    assert rows[0]["type_and_subject"].startswith("Công văn V/v báo cáo")


def test_period_filters(ward_a: AdminUnit, clerk: User) -> None:
    make_incoming(ward_a, 1, day=dt.date(2025, 12, 31))
    make_incoming(ward_a, 1, day=dt.date(2026, 1, 2))
    make_incoming(ward_a, 2, day=dt.date(2026, 2, 15))
    make_incoming(ward_a, 3, day=dt.date(2026, 4, 1))

    def numbers(**kw: Any) -> list[tuple[int, int]]:
        query = svc.register_query(user=clerk, kind="incoming", **kw)
        return [(r["arrived_on"].year, r["arrival_number"]) for r in svc.register_rows(query)]

    assert numbers(year=2026) == [(2026, 1), (2026, 2), (2026, 3)]
    assert numbers(year=2025) == [(2025, 1)]
    assert numbers(start="2026-01-01", end="15/02/2026") == [(2026, 1), (2026, 2)]
    assert numbers(start="2025-12-31", end="2026-01-02") == [(2025, 1), (2026, 1)]
    with pytest.raises(DomainError, match="trước ngày kết thúc"):
        svc.register_query(user=clerk, kind="incoming", start="2026-03-01", end="2026-02-01")
    with pytest.raises(DomainError, match="không hợp lệ"):
        svc.register_query(user=clerk, kind="incoming", start="31/31/2026")
    with pytest.raises(DomainError, match="ngoài năm"):
        svc.register_query(user=clerk, kind="incoming", year=2025, start="2026-01-01")


def test_secret_series_apart_and_only_for_cleared_users(
    ward_a: AdminUnit, clerk: User, leader: User
) -> None:
    make_incoming(ward_a, 1)
    make_incoming(ward_a, 1, secrecy=1, subject="Mật: kế hoạch bảo vệ")
    make_incoming(ward_a, 2, secrecy=3, subject="Tuyệt mật")
    normal = svc.register_query(user=leader, kind="incoming", year=2026)
    assert [r["type_and_subject"] for r in svc.register_rows(normal)] == [
        "Công văn V/v báo cáo tình hình thực hiện nhiệm vụ"
    ]
    with pytest.raises(PermissionDenied):
        svc.register_query(user=clerk, kind="incoming", year=2026, secret=True)
    secret = svc.register_query(user=leader, kind="incoming", year=2026, secret=True)
    assert secret.title == "Sổ đăng ký văn bản đến mật"
    rows = list(svc.register_rows(secret))
    # Clearance 2 (Tối mật): the Tuyệt mật document stays out.
    assert [r["type_and_subject"] for r in rows] == ["Công văn Mật: kế hoạch bảo vệ"]
    before = AuditEvent.objects.filter(action="documents.secret_read").count()
    svc.register_xlsx_bytes(secret, actor=leader)
    event = AuditEvent.objects.filter(action="documents.secret_read").latest("pk")
    assert AuditEvent.objects.filter(action="documents.secret_read").count() == before + 1
    assert event.changes["documents"] == [rows[0]["id"]]
    assert event.actor_id == leader.pk


def test_permissions_and_units(
    ward_a: AdminUnit,
    ward_b: AdminUnit,
    hanoi: AdminUnit,
    clerk: User,
    make_user: Callable[..., User],
) -> None:
    specialist = make_user(Role.SPECIALIST, ward_a)
    with pytest.raises(PermissionDenied):
        svc.register_query(user=specialist, kind="incoming")
    with pytest.raises(NotFound):
        svc.register_query(user=clerk, kind="incoming", unit=ward_b.pk)
    assert svc.register_query(user=clerk, kind="incoming").unit == ward_a
    city_leader = make_user(Role.LEADER, hanoi)
    # A leader of the city reads the wards' registers, but must say which.
    with pytest.raises(DomainError, match="chọn cơ quan"):
        svc.register_query(user=city_leader, kind="incoming")
    assert svc.register_query(user=city_leader, kind="incoming", unit=ward_b.pk).unit == ward_b
    with pytest.raises(DomainError):
        svc.register_query(user=clerk, kind="nonsense")


def test_outgoing_rows(ward_a: AdminUnit, clerk: User, leader: User) -> None:
    org = Organisation.objects.create(name="Sở Xây dựng")
    first = make_outgoing(
        ward_a,
        1,
        author=clerk,
        signer=leader,
        copies=3,
        recipients_text="- Như Điều 3;\n- Lưu: VT.",
        archive_copy_to="Văn phòng",
    )
    second = make_outgoing(
        ward_a,
        2,
        author=clerk,
        type_name="Công văn",
        subject="V/v đôn đốc thu thuế",
        day=dt.date(2026, 3, 8),
    )
    Dispatch.objects.create(
        document=second, recipient=org, channel="edxml", sent_at=svc._day_start(dt.date(2026, 3, 9))
    )
    draft = make_outgoing(ward_a, 3, author=clerk, status="draft")
    draft.number = draft.year = None
    draft.notation = ""
    draft.save()
    query = svc.register_query(user=clerk, kind="outgoing", year=2026)
    rows = list(svc.register_rows(query))
    assert [r["notation"] for r in rows] == ["01/QĐ-UBND", "02/UBND-VP"]
    assert rows[0]["signer"] == "Lê Văn Chủ Tịch"
    assert rows[0]["recipients"] == "Như Điều 3; Lưu: VT"
    assert rows[0]["copies"] == 3
    assert rows[0]["archive_copy"] == "Văn phòng"
    assert rows[0]["transferred_on"] == first.issued_date
    assert rows[1]["recipients"] == "Sở Xây dựng"
    assert rows[1]["transferred_on"] == dt.date(2026, 3, 9)
    assert rows[1]["archive_copy"] == "Văn phòng HĐND-UBND"


def test_followup_register(ward_a: AdminUnit, clerk: User, leader: User) -> None:
    office = Department.objects.get(unit=ward_a, abbreviation="VP")
    late = make_incoming(ward_a, 1, notation="20/SXD-QLN", sender="Sở Xây dựng")
    on_time = make_incoming(ward_a, 2)
    open_overdue = make_incoming(ward_a, 3)
    make_incoming(ward_a, 4)  # never assigned, no reply date: not followed
    answer = make_outgoing(ward_a, 7, author=clerk, type_name="Công văn")
    a = assign(
        late,
        by=leader,
        department=office,
        deadline=dt.date(2026, 3, 10),
        done_on=dt.date(2026, 3, 12),
    )
    a.answer = answer
    a.save()
    assign(
        on_time, by=leader, user=clerk, deadline=dt.date(2026, 3, 10), done_on=dt.date(2026, 3, 10)
    )
    assign(open_overdue, by=leader, department=office, deadline=dt.date(2026, 3, 10))
    query = svc.register_query(user=clerk, kind="followup", year=2026)
    rows = list(svc.register_rows(query))
    assert [r["arrival_number"] for r in rows] == [1, 2, 3]
    assert rows[0]["document"].startswith(
        "Công văn số 20/SXD-QLN ngày 03/03/2026 của Sở Xây dựng: V/v"
    )
    assert rows[0]["deadline"] == dt.date(2026, 3, 10)
    assert rows[0]["progress"] == "Đã giải quyết ngày 12/03/2026 (quá hạn 2 ngày)"
    assert rows[0]["answer"] == "07/UBND-VP"
    assert rows[1]["progress"] == "Đã giải quyết ngày 10/03/2026 (đúng hạn)"
    assert rows[1]["recipient"] == "Trần Thị Văn Thư"
    assert rows[2]["progress"].startswith("Đang giải quyết, quá hạn")
    assert rows[2]["overdue"] is True


def _rows_for_count(unit: AdminUnit, clerk: User, leader: User, n: int, start: int) -> None:
    office = Department.objects.get(unit=unit, abbreviation="VP")
    for i in range(start, start + n):
        document = make_incoming(unit, i)
        assign(document, by=leader, department=office, deadline=dt.date(2026, 4, 1))
        make_outgoing(unit, i, author=clerk, signer=leader)


@pytest.mark.parametrize("kind", ["incoming", "outgoing", "followup"])
def test_query_count_does_not_grow_with_rows(
    ward_a: AdminUnit, clerk: User, leader: User, kind: str
) -> None:
    query = svc.register_query(user=clerk, kind=kind, year=2026)

    def count_export() -> int:
        with CaptureQueriesContext(connection) as ctx:
            rows = list(svc.register_rows(query))
            svc.register_xlsx_bytes(query)
        assert rows
        return len(ctx.captured_queries)

    _rows_for_count(ward_a, clerk, leader, 3, 1)
    small = count_export()
    _rows_for_count(ward_a, clerk, leader, 25, 4)
    assert count_export() == small


def test_xlsx_opens_with_rows_headers_and_real_dates(
    ward_a: AdminUnit, clerk: User, leader: User
) -> None:
    for i in range(1, 13):
        document = make_incoming(ward_a, i, day=dt.date(2026, 1, 1) + dt.timedelta(days=i))
        if i <= 3:
            digitized(document)
    query = svc.register_query(user=clerk, kind="incoming", year=2026)
    data = svc.register_xlsx_bytes(query)
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet is not None
    assert sheet.title == "Sổ đăng ký văn bản đến"
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "ỦY BAN NHÂN DÂN PHƯỜNG TÂY HỒ"
    assert values[1][0] == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
    assert values[2][0] == "Năm 2026"
    assert values[3][0] == "Tỷ lệ số hóa: 25% (3/12 văn bản)"
    assert list(values[4]) == APPENDIX_IV_INCOMING
    assert list(values[5]) == [f"({i})" for i in range(1, 11)]
    data_rows = values[6:]
    assert len(data_rows) == 12
    first = sheet.cell(row=7, column=1)
    assert first.is_date and first.value.date() == dt.date(2026, 1, 2)
    assert first.number_format == "DD/MM/YYYY"
    assert [row[1] for row in data_rows] == list(range(1, 13))
    assert sheet.print_title_rows == "$5:$6"
    assert sheet.freeze_panes == "A7"


def test_pdf_renders_with_vietnamese_headers(ward_a: AdminUnit, clerk: User) -> None:
    for i in range(1, 41):
        make_incoming(ward_a, i, subject=f"V/v triển khai nhiệm vụ số {i} về chuyển đổi số")
    query = svc.register_query(user=clerk, kind="incoming", year=2026)
    data = svc.register_pdf(query)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 3  # the cover, then the table over at least two pages
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    cover = reader.pages[0].extract_text()
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in cover
    assert "Từ số 01 đến số 40" in cover
    table_pages = [page.extract_text() for page in reader.pages[1:]]
    with_rows = [text for text in table_pages if "V/v triển khai nhiệm vụ" in text]
    assert len(with_rows) >= 2
    for text in with_rows:  # the column headers repeat on every page of the table
        assert "Tên loại và trích yếu nội dung" in text
        assert "Đơn vị hoặc người nhận" in text
    everything = "\n".join(table_pages)
    assert "Ủy ban nhân dân phường Tây Hồ".upper() in everything
    assert "Thủ trưởng cơ quan".upper() in everything
    assert "Tổng số: 40 văn bản" in everything


def test_pdf_refuses_a_register_too_large(
    ward_a: AdminUnit, clerk: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_incoming(ward_a, 1)
    make_incoming(ward_a, 2)
    monkeypatch.setattr(svc, "PDF_MAX_ROWS", 1)
    query = svc.register_query(user=clerk, kind="incoming", year=2026)
    with pytest.raises(DomainError) as info:
        svc.register_pdf(query)
    assert info.value.code == "register_too_large"
