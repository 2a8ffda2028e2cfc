"""Journeys through the shell in a real browser: login, the home page, the portal on a phone,
and no request to any host but the live server."""

from __future__ import annotations

from typing import Any

import pytest

from congso.kernel.people.models import Position, Role
from tests.e2e.conftest import RequestLog, screenshot

PASSWORD = "mat-khau-thu-nghiem-123"


@pytest.mark.django_db(transaction=True)
def test_specialist_logs_in_and_sees_vietnamese_home(
    live_server: Any, page: Any, request_log: RequestLog, ward_a: Any, ward_b: Any, make_user: Any
) -> None:
    user = make_user(
        Role.SPECIALIST,
        ward_a,
        username="chuyenvien",
        full_name="Phạm Thu Trang",
        password=PASSWORD,
    )
    Position.objects.filter(user=user).update(title="Chuyên viên Phòng Kinh tế")
    Position.objects.create(user=user, unit=ward_b, role=Role.INSPECTOR, is_primary=False)

    page.goto(f"{live_server.url}/viec-cua-toi/")
    # Not logged in: sent to the login form.
    assert "/tai-khoan/dang-nhap/" in page.url
    page.get_by_label("Tên đăng nhập").fill("chuyenvien")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/viec-cua-toi/")

    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", level=1).inner_text() == "Việc của tôi"
    assert "Xin chào Phạm Thu Trang." in page.inner_text("main")
    assert page.get_by_test_id("current-unit").inner_text() == "Ủy ban nhân dân phường Tây Hồ"
    nav = page.get_by_role("navigation", name="Chức năng")
    assert nav.get_by_role("link", name="Việc của tôi").get_attribute("aria-current") == "page"
    assert nav.get_by_role("link", name="Quản trị").count() == 0

    # Keyboard: the first Tab reaches the skip link, which is then visible.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua, đến nội dung chính")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.bounding_box()["y"] >= 0

    # The user menu opens (Bootstrap's script runs from our static files) and switches position.
    page.get_by_role("button", name="Phạm Thu Trang").click()
    switch = page.get_by_label("Vị trí làm việc")
    switch.select_option(label="Thanh tra, kiểm tra — Phường Phú Thượng")
    page.get_by_role("button", name="Chuyển").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("current-unit").inner_text() == "Ủy ban nhân dân phường Phú Thượng"
    screenshot(page, "staff-home")

    assert request_log.refused == []
    assert request_log.external() == []


@pytest.mark.django_db(transaction=True)
def test_portal_home_on_a_phone(
    live_server: Any, phone_page: Any, request_log: RequestLog, ward_a: Any
) -> None:
    page = phone_page
    page.goto(f"{live_server.url}/")

    assert page.get_by_role("heading", level=1).inner_text() == "Ủy ban nhân dân phường Tây Hồ"
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The menu is collapsed behind the toggler and opens with it.
    login_link = page.get_by_role("link", name="Đăng nhập")
    assert not login_link.is_visible()
    page.get_by_role("button", name="Mở menu").click()
    login_link.wait_for(state="visible")
    # Styles came from our own static files.
    header_bg = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert header_bg == "rgb(138, 28, 28)"
    screenshot(page, "portal-phone")

    assert request_log.refused == []
    assert request_log.external() == []


@pytest.mark.django_db(transaction=True)
def test_no_request_leaves_the_live_server(
    live_server: Any, page: Any, request_log: RequestLog, ward_a: Any, make_user: Any
) -> None:
    make_user(Role.CLERK, ward_a, username="vanthu", password=PASSWORD)
    for path in ["/", "/gioi-thieu/", "/lich/", "/khong-co-trang-nay/", "/tai-khoan/dang-nhap/"]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    page.get_by_label("Tên đăng nhập").fill("vanthu")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/viec-cua-toi/")
    page.wait_for_load_state("networkidle")
    screenshot(page, "clerk-home")

    assert len(request_log.urls) > 10  # pages, CSS, JS, images: the log did see the traffic
    assert any(url.endswith("bootstrap.min.css") for url in request_log.urls)
    assert any("htmx" in url for url in request_log.urls)
    live_host = live_server.url.split("//")[1].split(":")[0]
    assert request_log.hosts() == {live_host}, request_log.external()
    assert request_log.refused == []
