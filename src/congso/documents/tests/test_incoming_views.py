"""The HTML pages: list (constant queries, urgent rows, filters), register form with the duplicate
warning, detail with its workflow forms, print views, "Việc của tôi"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from congso.documents.models import IncomingDocument, IncomingStatus
from congso.documents.services.incoming import incoming_assign
from congso.documents.tests.conftest import doc_type, letter_pdf, upload

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize("viewer", ["leader", "specialist"])
def test_list_runs_a_constant_number_of_queries(
    request: Any,
    viewer: str,
    register: Any,
    leader: Any,
    specialist: Any,
    departments: Any,
    client: Client,
    login: Any,
) -> None:
    def add(n: int) -> None:
        for i in range(n):
            doc = register(urgency=i % 4)
            incoming_assign(
                document=doc,
                user=leader,
                lead_user=specialist if i % 2 else None,
                lead_department=None if i % 2 else departments["KT"],
                cooperating_departments=[departments["VHXH"]],
                deadline=dt.date.today(),
            )

    user = request.getfixturevalue(viewer)
    login(client, user)
    add(10)
    few, html = _queries(client, "/van-ban/den/")
    assert html.count('data-testid="incoming-row"') == 10
    add(40)
    many, html = _queries(client, "/van-ban/den/")
    assert html.count('data-testid="incoming-row"') == 50
    assert many == few, (few, many)
    assert many <= 20


def test_list_highlights_urgent_rows_and_filters(
    register: Any, clerk: Any, client: Client, login: Any
) -> None:
    register(urgency=0, subject="Về việc họp giao ban tuần")
    register(urgency=2, subject="Về việc phòng chống bão số 3")
    login(client, clerk)
    html = client.get("/van-ban/den/").content.decode()
    assert html.count('class="doc-urgent') == 1
    assert "Thượng khẩn" in html
    assert "Vào sổ văn bản đến" in html  # the clerk's button
    html = client.get("/van-ban/den/", {"urgency": "2"}).content.decode()
    assert "phòng chống bão" in html and "giao ban" not in html
    html = client.get("/van-ban/den/", {"q": "giao ban"}).content.decode()
    assert "giao ban" in html and "phòng chống bão" not in html
    # htmx asks for the rows only.
    partial = client.get(
        "/van-ban/den/", {"q": "bão"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="incoming-rows"
    )
    assert partial.content.decode().lstrip().startswith('<div id="incoming-rows">')
    # A broken cursor does not break the page.
    assert client.get("/van-ban/den/", {"cursor": "@@@"}).status_code == 200


def test_register_form_with_duplicate_warning(
    clerk: Any, client: Client, login: Any, sender: Any
) -> None:
    login(client, clerk)
    page = client.get("/van-ban/den/vao-so/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="organisation-directory"' in html and sender.name in html
    content = letter_pdf("Hướng dẫn kiểm tra công trình xây dựng.")
    data = {
        "channel": "paper",
        "document_type": doc_type("Hướng dẫn").pk,
        "notation": "12/HD-SXD",
        "issued_date": (dt.date.today() - dt.timedelta(days=1)).isoformat(),
        "sender_name": sender.name,
        "subject": "Hướng dẫn kiểm tra công trình",
        "urgency": "0",
        "secrecy": "0",
    }
    response = client.post("/van-ban/den/vao-so/", {**data, "scans": upload("hd.pdf", content)})
    assert response.status_code == 302
    doc = IncomingDocument.objects.get()
    assert response["Location"] == f"/van-ban/den/{doc.pk}/"
    assert doc.sender == sender  # picked from the directory by its name
    # The same letter again: warned, shown with the match, nothing registered.
    response = client.post("/van-ban/den/vao-so/", {**data, "scans": upload("hd.pdf", content)})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="duplicate-warning"' in html
    assert f"Số đến 01/{dt.date.today().year}" in html
    assert "Vẫn vào sổ, lý do" in html
    assert IncomingDocument.objects.count() == 1
    response = client.post(
        "/van-ban/den/vao-so/",
        {**data, "scans": upload("hd.pdf", content), "duplicate_reason": "Bản gửi bổ sung"},
    )
    assert response.status_code == 302
    assert IncomingDocument.objects.count() == 2


def test_register_form_shows_errors_on_the_fields(clerk: Any, client: Client, login: Any) -> None:
    login(client, clerk)
    data = {
        "channel": "paper",
        "document_type": doc_type("Quyết định").pk,
        "notation": "mười lăm",
        "sender_name": "Sở Tài chính",
        "subject": "Về việc phân bổ kinh phí",
        "urgency": "0",
        "secrecy": "0",
        "scans": upload("qd.pdf"),
    }
    html = client.post("/van-ban/den/vao-so/", data).content.decode()
    assert "không đúng dạng" in html
    data["notation"] = "15/QĐ-STC"
    data["scans"] = upload("qd.pdf", b"not a pdf at all, just text")
    html = client.post("/van-ban/den/vao-so/", data).content.decode()
    assert "không phải là tệp PDF" in html
    assert IncomingDocument.objects.count() == 0


def test_register_page_is_for_clerks(specialist: Any, client: Client, login: Any) -> None:
    login(client, specialist)
    assert client.get("/van-ban/den/vao-so/").status_code == 403


def test_detail_forms_follow_the_role(
    register: Any, clerk: Any, leader: Any, specialist: Any, client: Client, login: Any
) -> None:
    doc = register(urgency=1)
    login(client, clerk)
    html = client.get(f"/van-ban/den/{doc.pk}/").content.decode()
    assert "Trình lãnh đạo" in html and f"/van-ban/den/{doc.pk}/phan-cong/" not in html
    assert 'data-testid="urgency-badge"' in html
    response = client.post(f"/van-ban/den/{doc.pk}/trinh/", {"leader": leader.pk})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.status == IncomingStatus.PRESENTED

    client.logout()
    login(client, leader)
    html = client.get(f"/van-ban/den/{doc.pk}/").content.decode()
    assert f"/van-ban/den/{doc.pk}/phan-cong/" in html
    bad = client.post(f"/van-ban/den/{doc.pk}/phan-cong/", {"instruction": "?"})
    assert bad.status_code == 400
    assert "Hãy chọn người hoặc đơn vị chủ trì" in bad.content.decode()
    response = client.post(
        f"/van-ban/den/{doc.pk}/phan-cong/",
        {"lead_user": specialist.pk, "deadline_working_days": "2", "instruction": "Xử lý ngay"},
    )
    assert response.status_code == 302
    assignment = doc.assignments.get()

    client.logout()
    login(client, specialist)
    html = client.get(f"/van-ban/den/{doc.pk}/").content.decode()
    assert "Ghi nhận tiến độ" in html and "Hoàn thành giải quyết" in html
    response = client.post(
        f"/van-ban/den/giao-viec/{assignment.pk}/tien-do/",
        {"text": "Đã làm việc với chủ đầu tư", "attachments": upload("bb.pdf")},
    )
    assert response.status_code == 302
    response = client.post(
        f"/van-ban/den/giao-viec/{assignment.pk}/hoan-thanh/",
        {"result_note": "Đã xử lý", "answer_notation": "99/UBND-KT"},
    )
    assert response.status_code == 400
    assert "Không tìm thấy văn bản đi" in response.content.decode()
    response = client.post(
        f"/van-ban/den/giao-viec/{assignment.pk}/hoan-thanh/", {"result_note": "Đã xử lý"}
    )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.status == IncomingStatus.DONE
    html = client.get(f"/van-ban/den/{doc.pk}/").content.decode()
    assert "bb.pdf" in html and "Đã xử lý" in html


def test_print_views(
    register: Any, leader: Any, specialist: Any, client: Client, login: Any
) -> None:
    doc = register(urgency=3)
    incoming_assign(
        document=doc, user=leader, lead_user=specialist, instruction="Giao chủ trì xử lý"
    )
    login(client, leader)
    stamp = client.get(f"/van-ban/den/{doc.pk}/dau-den/").content.decode()
    assert "ĐẾN" in stamp and "Số: <strong>01</strong>" in stamp
    assert specialist.get_full_name() in stamp
    slip = client.get(f"/van-ban/den/{doc.pk}/phieu-giai-quyet/").content.decode()
    assert "Phiếu giải quyết văn bản đến" in slip
    assert "Giao chủ trì xử lý" in slip and "Hỏa tốc" in slip
    pdf = client.get(f"/van-ban/den/{doc.pk}/phieu-giai-quyet/", {"format": "pdf"})
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    from io import BytesIO

    from pypdf import PdfReader

    text = PdfReader(BytesIO(pdf.content)).pages[0].extract_text()
    assert "PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN" in text.upper()


def test_my_work_page_and_home_items(
    register: Any, clerk: Any, leader: Any, specialist: Any, client: Client, login: Any
) -> None:
    from congso.documents.services.incoming import incoming_present

    waiting = register(urgency=1)
    incoming_present(document=waiting, user=clerk, leader=leader)
    mine = register()
    incoming_assign(document=mine, user=leader, lead_user=specialist, deadline=dt.date.today())
    register()  # registered, not presented: the clerk's item
    login(client, specialist)
    html = client.get("/van-ban/den/viec-cua-toi/").content.decode()
    assert html.count('data-testid="my-work-row"') == 1
    home = client.get("/viec-cua-toi/").content.decode()
    assert "Văn bản đến giao cho tôi" in home
    client.logout()
    login(client, leader)
    home = client.get("/viec-cua-toi/").content.decode()
    assert "Văn bản đến chờ tôi phân công" in home and "1 văn bản khẩn" in home
    client.logout()
    login(client, clerk)
    home = client.get("/viec-cua-toi/").content.decode()
    assert "Văn bản đến đã vào sổ, chờ trình" in home
    nav = client.get("/van-ban/den/").content.decode()
    assert 'href="/van-ban/den/"' in nav


def test_digitization_block_refreshes_while_pending(
    register: Any, clerk: Any, client: Client, login: Any
) -> None:
    doc = register()
    login(client, clerk)
    html = client.get(f"/van-ban/den/{doc.pk}/so-hoa/").content.decode()
    assert 'id="digitization"' in html
    assert 'data-testid="digitization-status"' in html
