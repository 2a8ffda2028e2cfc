"""Register and report pages: who sees them, downloads, bad input, queries per page."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pypdf
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congso.documents.tests.registers_helpers import (
    assign,
    digitized,
    make_incoming,
    make_outgoing,
)
from congso.kernel.audit.models import AuditEvent
from congso.kernel.orgunits.models import AdminUnit, Department
from congso.kernel.people.models import Role, User

pytestmark = pytest.mark.django_db

Login = Callable[[Client, User], Client]


def make_user_for(unit: AdminUnit, role: str) -> User:
    from congso.kernel.people.models import Position

    user = User.objects.create_user(username=f"u-{role}-{unit.pk}", password="x-test-123456")
    Position.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def clerk(ward_a: AdminUnit, make_user: Callable[..., User]) -> User:
    return make_user(Role.CLERK, ward_a, full_name="Trần Thị Văn Thư")


@pytest.fixture
def leader(ward_a: AdminUnit, make_user: Callable[..., User]) -> User:
    return make_user(Role.LEADER, ward_a, full_name="Lê Văn Chủ Tịch", clearance=1)


def test_incoming_register_page(
    client: Client, login: Login, ward_a: AdminUnit, clerk: User
) -> None:
    digitized(make_incoming(ward_a, 1, subject="V/v kiểm tra trật tự xây dựng"))
    make_incoming(ward_a, 2)
    make_outgoing(ward_a, 1, author=clerk)
    login(client, clerk)
    response = client.get(reverse("documents:register_incoming"), {"year": "2026"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sổ đăng ký văn bản đến" in html
    assert "Tên loại và trích yếu nội dung" in html
    assert "Công văn V/v kiểm tra trật tự xây dựng" in html
    assert "2.026" not in html  # years are not localised as numbers
    # The digitisation rate of the period: one of two incoming and one outgoing digitised.
    assert "33,3% (1/3 văn bản)" in html


def test_page_queries_do_not_grow_with_rows(
    client: Client, login: Login, ward_a: AdminUnit, clerk: User, leader: User
) -> None:
    office = Department.objects.get(unit=ward_a)
    login(client, clerk)
    url = reverse("documents:register_incoming")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"year": "2026"}).status_code == 200
        return len(ctx.captured_queries)

    for i in range(1, 4):
        assign(make_incoming(ward_a, i), by=leader, department=office)
    few = queries()
    for i in range(4, 40):
        assign(make_incoming(ward_a, i), by=leader, department=office)
    assert queries() == few


def test_downloads(client: Client, login: Login, ward_a: AdminUnit, clerk: User) -> None:
    make_outgoing(ward_a, 1, author=clerk)
    login(client, clerk)
    url = reverse("documents:register_outgoing")
    xlsx = client.get(url, {"year": "2026", "format": "xlsx"})
    assert xlsx.status_code == 200
    assert "so-van-ban-di-2026.xlsx" in xlsx["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet.cell(row=7, column=1).value == "01/QĐ-UBND"
    pdf = client.get(url, {"year": "2026", "format": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in text


def test_permissions(
    client: Client,
    login: Login,
    ward_a: AdminUnit,
    ward_b: AdminUnit,
    clerk: User,
    make_user: Callable[..., User],
) -> None:
    specialist = make_user(Role.SPECIALIST, ward_a)
    login(client, specialist)
    assert client.get(reverse("documents:register_incoming")).status_code == 403
    login(client, clerk)
    assert (
        client.get(reverse("documents:register_incoming"), {"unit": ward_b.pk}).status_code == 404
    )
    # The secret series is refused to a clerk without clearance.
    assert client.get(reverse("documents:register_incoming"), {"secret": "1"}).status_code == 403
    client.logout()
    response = client.get(reverse("documents:register_incoming"))
    assert response.status_code == 302


def test_bad_period_is_a_message_not_an_error(client: Client, login: Login, clerk: User) -> None:
    login(client, clerk)
    response = client.get(reverse("documents:register_incoming"), {"from": "2026-13-45"})
    assert response.status_code == 200
    assert "không hợp lệ" in response.content.decode()


def test_secret_register_view_is_audited(
    client: Client, login: Login, ward_a: AdminUnit, leader: User
) -> None:
    secret = make_incoming(ward_a, 1, secrecy=1, subject="Kế hoạch bảo vệ bí mật nhà nước")
    login(client, leader)
    response = client.get(reverse("documents:register_incoming"), {"secret": "1", "year": "2026"})
    assert response.status_code == 200
    assert "Kế hoạch bảo vệ bí mật nhà nước" in response.content.decode()
    event = AuditEvent.objects.filter(action="documents.secret_read").latest("pk")
    assert event.changes["documents"] == [secret.pk]
    plain = client.get(reverse("documents:register_incoming"), {"year": "2026"})
    assert "Kế hoạch bảo vệ bí mật nhà nước" not in plain.content.decode()


def test_status_report(
    client: Client, login: Login, ward_a: AdminUnit, clerk: User, leader: User
) -> None:
    office = Department.objects.get(unit=ward_a)
    today = dt.date.today()
    assign(
        make_incoming(ward_a, 1),
        by=leader,
        department=office,
        deadline=dt.date(2026, 3, 10),
        done_on=dt.date(2026, 3, 9),
    )
    assign(
        make_incoming(ward_a, 2),
        by=leader,
        department=office,
        deadline=dt.date(2026, 3, 10),
        done_on=dt.date(2026, 3, 12),
    )
    assign(
        make_incoming(ward_a, 3),
        by=leader,
        department=office,
        deadline=today - dt.timedelta(days=1),
    )
    assign(make_incoming(ward_a, 4), by=leader, user=clerk, deadline=today + dt.timedelta(days=5))
    make_incoming(ward_a, 5)
    make_outgoing(ward_a, 1, author=clerk)
    make_outgoing(ward_a, 2, author=clerk, type_name="Công văn", day=dt.date(2026, 5, 4))
    login(client, clerk)
    response = client.get(reverse("documents:report_status"), {"year": "2026"})
    assert response.status_code == 200
    report = response.context["incoming"]
    assert (report.received, report.unassigned) == (5, 1)
    totals = report.totals
    assert (totals.total, totals.on_time, totals.late, totals.overdue, totals.pending) == (
        4,
        1,
        1,
        1,
        1,
    )
    by_department = {
        c.label: (c.on_time, c.late, c.overdue, c.pending) for c in report.by_department
    }
    assert by_department == {
        "Văn phòng HĐND-UBND": (1, 1, 1, 0),
        "Trần Thị Văn Thư": (0, 0, 0, 1),
    }
    assert [(c.label, c.total) for c in report.by_leader] == [("Lê Văn Chủ Tịch", 4)]
    outgoing = response.context["outgoing"]
    assert outgoing.rows == [
        ("Quyết định", [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0], 1),
        ("Công văn", [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0], 1),
    ]
    pdf = client.get(reverse("documents:report_status"), {"year": "2026", "format": "pdf"})
    text = pypdf.PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "BÁO CÁO TÌNH HÌNH XỬ LÝ VĂN BẢN" in text
    xlsx = client.get(reverse("documents:report_status"), {"year": "2026", "format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Văn bản đến", "Văn bản đi"]


def test_index_page(client: Client, login: Login, clerk: User) -> None:
    login(client, clerk)
    response = client.get(reverse("documents:registers_index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("documents:register_followup") in html
    assert reverse("documents:filing_index") in html


def test_long_register_is_printed_in_the_background(
    client: Client,
    login: Login,
    ward_a: AdminUnit,
    clerk: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
    tmp_path: Any,
    settings: Any,
) -> None:
    from congso.documents.models import RegisterExport
    from congso.documents.services import registers as svc
    from congso.kernel.files.models import StoredFile
    from congso.kernel.notifications.models import Notification

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    monkeypatch.setattr(svc, "PDF_SYNC_MAX_ROWS", 2)
    for i in range(1, 5):
        make_incoming(ward_a, i)
    login(client, clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(
            reverse("documents:register_incoming"), {"year": "2026", "format": "pdf"}
        )
    assert response.status_code == 302
    export = RegisterExport.objects.get()
    assert (export.status, export.rows, export.requested_by) == ("done", 4, clerk)
    stored = StoredFile.objects.get(pk=export.file_id)
    assert stored.kind == "pdf" and stored.owner == export
    note = Notification.objects.get(recipient=clerk, title__startswith="Đã in xong")
    assert note.url == reverse("files:download", args=[stored.public_id])
    index = client.get(response["Location"])
    assert "Tải PDF" in index.content.decode()
    download = client.get(note.url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    # A specialist of the same committee may not download the register.
    specialist = make_user_for(ward_a, Role.SPECIALIST)
    login(client, specialist)
    assert client.get(note.url).status_code in {403, 404}


def test_background_print_fails_cleanly(
    ward_a: AdminUnit,
    clerk: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from congso.documents.models import RegisterExport
    from congso.documents.services import registers as svc
    from congso.kernel.people.models import Position

    make_incoming(ward_a, 1)
    query = svc.register_query(user=clerk, kind="incoming", year=2026)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        export = svc.register_pdf_request(user=clerk, query=query)
    Position.objects.filter(user=clerk).delete()  # the clerk left before the worker ran
    for callback in callbacks:
        callback()
    export = RegisterExport.objects.get(pk=export.pk)
    assert export.status == "failed" and "quyền" in export.error
