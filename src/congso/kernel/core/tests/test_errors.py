"""Error pages in Vietnamese: 400, 403, 404, 500 and the CSRF failure page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

URLS = "congso.kernel.core.tests.urls"


@pytest.mark.django_db
def test_404_is_vietnamese(client: Client) -> None:
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html
    assert '<html lang="vi">' in html
    assert 'href="/"' in html


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_403_is_vietnamese(client: Client) -> None:
    response = client.get("/__test__/forbidden/")
    assert response.status_code == 403
    assert "Bạn không có quyền xem trang này" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_400_is_vietnamese(client: Client) -> None:
    response = client.get("/__test__/bad/")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_500_is_self_contained_and_needs_no_database() -> None:
    client = Client(raise_request_exception=False)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/__test__/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Hệ thống đang gặp sự cố" in html
    # No stylesheet, script or image to fetch: the page stands alone.
    assert "<link" not in html and "<script" not in html and "<img" not in html
    assert not [q for q in queries.captured_queries if "SELECT" in q["sql"].upper()]


def test_500_template_renders_without_request() -> None:
    from django.template import loader

    html = loader.get_template("errors/500.html").render()
    assert "Hệ thống đang gặp sự cố" in html


@pytest.mark.django_db
def test_csrf_failure_page_is_vietnamese() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Biểu mẫu đã hết hạn hoặc không hợp lệ" in html
    assert "Hãy tải lại trang" in html
