"""Field reports in a real browser on a phone-sized screen: a citizen files a report with a photo
and a pin on the map, the ward's one-stop officer triages (accepts, assigns) and answers, the
citizen sees it closed and rates it."""

from __future__ import annotations

import io
from typing import Any

import pytest

from congso.kernel.orgunits.models import Department, DepartmentKind
from congso.kernel.people.models import Role
from congso.urban.reports.models import FieldReport, ReportCategory, ReportStatus
from tests.e2e.conftest import RequestLog, _new_context, screenshot

PASSWORD = "mat-khau-thu-nghiem-123"


def _jpeg() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 140, 60)).save(buf, format="JPEG")
    return buf.getvalue()


def _categories() -> None:
    from importlib import import_module

    rows = import_module("congso.urban.reports.migrations.0002_categories").CATEGORIES
    for row in rows:
        ReportCategory.objects.update_or_create(code=row["code"], defaults=row)


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_citizen_reports_ward_answers_citizen_rates(
    live_server: Any,
    browser: Any,
    request_log: RequestLog,
    ward_a: Any,
    make_user: Any,
) -> None:
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    _categories()
    ward_a.boundary = {
        "type": "Polygon",
        "coordinates": [
            [[105.80, 21.05], [105.83, 21.05], [105.83, 21.08], [105.80, 21.08], [105.80, 21.05]]
        ],
    }
    ward_a.save(update_fields=["boundary"])
    Department.objects.create(
        unit=ward_a,
        name="Phòng Kinh tế, Hạ tầng và Đô thị",
        abbreviation="KT",
        kind=DepartmentKind.DIVISION,
    )
    make_user(Role.ONESTOP_OFFICER, ward_a, username="motcua", full_name="Ngô Thị Thanh Hương")
    base = live_server.url

    # --- the citizen, on a phone, files a report with a photo and a pin ------------------------
    phone = {"width": 390, "height": 844}
    context = _new_context(
        browser, request_log, viewport=phone, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(f"{base}/phan-anh/")
    page.get_by_label("Lĩnh vực").select_option(label="Chiếu sáng công cộng")
    page.get_by_label("Nội dung phản ánh").fill(
        "Ba cột đèn đường trên phố Xuân Diệu tắt từ tối qua, <b>rất tối</b>."
    )
    page.get_by_label("Ảnh chụp hiện trường").set_input_files(
        {"name": "den-tat.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}
    )
    lat_input = page.locator("input[name=lat]")
    map_box = page.locator("[data-picker]").first
    map_box.scroll_into_view_if_needed()
    map_box.click()  # the centre of the map: inside the ward drawn on it
    # The pin sets the typed coordinates (the picker also works without JavaScript by typing).
    assert 21.05 < float(lat_input.input_value()) < 21.08
    assert 105.80 < float(page.locator("input[name=lon]").input_value()) < 105.83
    screenshot(page, "report-phone-form")
    page.get_by_test_id("report-submit").click()
    page.wait_for_url(f"{base}/phan-anh/theo-doi/*/")
    code = page.get_by_test_id("tracking-code").inner_text()
    report = FieldReport.objects.get(tracking_code=code)
    assert report.unit_id == ward_a.pk and report.lat is not None
    assert page.get_by_test_id("report-status").first.inner_text() == "Chờ tiếp nhận"
    assert "<b>rất tối</b>" in page.get_by_test_id("report-description").inner_text()
    assert page.locator("img[alt^='Ảnh hiện trường']").count() == 1
    screenshot(page, "report-phone-tracking")
    context.close()

    # --- the ward's one-stop officer accepts, assigns and answers ------------------------------
    context = _new_context(browser, request_log, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _login(page, base, "motcua")
    page.goto(f"{base}/do-thi/phan-anh/")
    page.get_by_role("link", name=code).click()
    page.get_by_test_id("accept-form").get_by_label("Mức độ").select_option(label="Khẩn")
    page.get_by_role("button", name="Tiếp nhận").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("report-status").first.inner_text() == "Đã tiếp nhận, chờ xử lý"
    page.get_by_test_id("assign-form").get_by_label("Phòng ban").select_option(
        label="Phòng Kinh tế, Hạ tầng và Đô thị"
    )
    page.get_by_role("button", name="Giao", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_test_id("report-status").first.inner_text() == "Đang xử lý"
    page.get_by_label("Trả lời công khai").fill(
        "Đơn vị quản lý chiếu sáng đã thay bóng, sửa tủ điện; đèn đã sáng trở lại."
    )
    page.get_by_role("button", name="Đăng trả lời").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Kết thúc phản ánh").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("report-status").first.inner_text() == "Đã xử lý xong"
    screenshot(page, "report-staff-closed")
    context.close()

    # --- the citizen sees it closed and rates it -----------------------------------------------
    context = _new_context(
        browser, request_log, viewport=phone, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(f"{base}/phan-anh/tra-cuu/")
    page.get_by_label("Mã theo dõi").fill(code.lower())
    page.get_by_role("button", name="Tra cứu").click()
    page.wait_for_url(f"{base}/phan-anh/theo-doi/{code}/")
    assert page.get_by_test_id("report-status").first.inner_text() == "Đã xử lý xong"
    assert "đèn đã sáng trở lại" in page.get_by_test_id("public-answer").inner_text()
    page.get_by_label("5 — Rất hài lòng").check()
    page.get_by_label("Nhận xét").fill("Xử lý nhanh, cảm ơn phường.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.wait_for_load_state()
    assert "5/5" in page.get_by_test_id("rating-done").inner_text()
    screenshot(page, "report-phone-rated")
    context.close()
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED and report.rating == 5
    assert report.answered_on_time is True
    assert not request_log.external()
