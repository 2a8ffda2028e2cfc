"""The results page, the header box with results as you type (htmx), Vietnamese messages."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from congso.documents.models import DocumentType, IncomingDocument, IncomingStatus
from congso.kernel.people.models import AccountKind, Role
from congso.kernel.search.services import search_drain
from congso.kernel.search.tests.fixtures import search_index  # noqa: F401

pytestmark = pytest.mark.usefixtures("search_index")
_numbers = itertools.count(1)
RESULTS = "/tim-kiem/"


def _doc(unit: Any, subject: str, **kw: Any) -> IncomingDocument:
    return IncomingDocument.objects.create(
        unit=unit,
        arrival_year=2026,
        arrival_number=next(_numbers),
        channel="paper",
        sender_name="Sở Văn hóa và Thể thao",
        document_type=DocumentType.objects.order_by("pk").first(),
        subject=subject,
        **kw,
    )


@pytest.fixture
def clerk_client(client: Client, ward_a, make_user, login) -> Client:
    return login(client, make_user(Role.CLERK, ward_a))


@pytest.mark.django_db
def test_results_page_with_tabs_counts_snippets_and_filters(clerk_client: Client, ward_a) -> None:
    festival = _doc(
        ward_a,
        "Kế hoạch tổ chức lễ hội truyền thống làng hoa Nhật Tân",
        notation="05/KH-UBND",
        text="Lễ hội diễn ra tại phủ Tây Hồ, có rước kiệu và thi cắm hoa.",
        status=IncomingStatus.ASSIGNED,
    )
    _doc(ward_a, "Báo cáo kết quả lễ hội năm trước")
    search_drain()
    assert reverse("search:results") == RESULTS
    html = clerk_client.get(RESULTS, {"q": "le hoi"}).content.decode()
    assert "Kết quả 1–2 trong 2" in html
    assert 'href="/tim-kiem/?q=le+hoi&amp;kind=incoming"' in html
    assert re.search(r"Văn bản đến <span class=\"badge[^\"]*\">2</span>", html)
    assert "<mark>Lễ</mark> <mark>hội</mark> diễn ra" in html  # the text as written
    assert "05/KH-UBND" in html and f"/van-ban/den/{festival.pk}/" in html

    html = clerk_client.get(RESULTS, {"q": "le hoi", "kind": "incoming"}).content.decode()
    assert 'name="status"' in html and "Đã phân công (1)" in html and "Đã vào sổ (1)" in html
    html = clerk_client.get(
        RESULTS, {"q": "le hoi", "kind": "incoming", "status": "assigned"}
    ).content.decode()
    assert "Kết quả 1–1 trong 1" in html


@pytest.mark.django_db
def test_empty_query_shows_how_to_search(clerk_client: Client) -> None:
    response = clerk_client.get(RESULTS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cách tìm" in html and "30/2020/NĐ-CP" in html
    for q in ["", "   ", "!!!", '""']:
        assert "Cách tìm" in clerk_client.get(RESULTS, {"q": q}).content.decode()


@pytest.mark.django_db
def test_bad_input_gives_vietnamese_messages_not_errors(clerk_client: Client) -> None:
    cases = [
        ({"q": "x", "from": "31/02/2026"}, "không đúng dạng ngày/tháng/năm"),
        ({"q": "x", "from": "01/05/2026", "to": "01/01/2026"}, "phải trước"),
        ({"q": "x", "kind": "spaceship"}, "Loại dữ liệu cần tìm không có"),
        ({"q": "x", "unit": "abc"}, "Đơn vị không hợp lệ"),
        ({"q": "x", "cursor": "zzz"}, "Con trỏ trang không hợp lệ"),
    ]
    for params, message in cases:
        response = clerk_client.get(RESULTS, params)
        assert response.status_code == 200, params
        assert message in response.content.decode(), params
    long = clerk_client.get(RESULTS, {"q": "giấy phép " * 300})
    assert long.status_code == 200 and "Từ khóa quá dài" in long.content.decode()


@pytest.mark.django_db
def test_no_results_and_scope(clerk_client: Client, ward_b) -> None:
    _doc(ward_b, "Kế hoạch riêng của phường khác")
    search_drain()
    html = clerk_client.get(RESULTS, {"q": "kế hoạch riêng"}).content.decode()
    assert "Không tìm thấy kết quả" in html and "phường khác" not in html


@pytest.mark.django_db
def test_header_box_and_suggestions(clerk_client: Client, ward_a) -> None:
    doc = _doc(ward_a, "Thông báo tuyển dụng công chức cấp xã", notation="07/TB-UBND")
    search_drain()
    home = clerk_client.get(reverse("core:home")).content.decode()
    assert 'action="/tim-kiem/"' in home
    assert 'hx-get="/tim-kiem/goi-y/"' in home and 'id="shell-search-suggest"' in home

    html = clerk_client.get("/tim-kiem/goi-y/", {"q": "tuyen dung"}, HTTP_HX_REQUEST="true")
    body = html.content.decode()
    assert html.status_code == 200 and "<html" not in body
    assert "<mark>tuyển</mark> <mark>dụng</mark>" in body
    assert f"/van-ban/den/{doc.pk}/" in body and "Xem tất cả 1 kết quả" in body
    empty = clerk_client.get(
        "/tim-kiem/goi-y/", {"q": "không có gì như thế"}, HTTP_HX_REQUEST="true"
    )
    assert "Không có kết quả" in empty.content.decode()
    assert (
        clerk_client.get("/tim-kiem/goi-y/", {"q": ""}, HTTP_HX_REQUEST="true").content.strip()
        == b""
    )
    # Without htmx the suggestion URL leads to the full page.
    redirect = clerk_client.get("/tim-kiem/goi-y/", {"q": "tuyen dung"})
    assert redirect.status_code == 302 and redirect["Location"] == "/tim-kiem/?q=tuyen+dung"


@pytest.mark.django_db
def test_login_and_staff_required(client: Client, make_user, login) -> None:
    response = client.get(RESULTS, {"q": "x"})
    assert response.status_code == 302 and "/tai-khoan/" in response["Location"]
    citizen = make_user(Role.SPECIALIST, None, kind=AccountKind.CITIZEN)
    login(client, citizen)
    assert client.get(RESULTS, {"q": "x"}).status_code == 403
