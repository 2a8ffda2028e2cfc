"""The citizen's online journey in a real browser (a phone for the citizen):

a citizen files a birth registration online with two scans → gets the tracking code and the
lookup secret at once → the one-stop officer accepts it (the clock starts) and hands it to the
specialist → the specialist hands it to the leader → the leader (second factor) records the
result → the officer returns it → the citizen opens the lookup link (the receipt's QR target),
sees "Đã trả kết quả" and rates the service once."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

import pytest

from congso.kernel.people.models import Role
from congso.procedures.models import (
    Dossier,
    DossierRating,
    DossierStatus,
    DurationUnit,
    OnlineLevel,
    Procedure,
    ProcedureField,
    ProcedurePaper,
    ProcedureStep,
)
from tests.e2e.conftest import RequestLog, _new_context, screenshot

PASSWORD = "mat-khau-thu-nghiem-123"
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _totp_code(device: Any) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def _procedure() -> Procedure:
    civil = ProcedureField.objects.create(code="HT-ONL", name="Hộ tịch")
    birth = Procedure.objects.create(
        code="1.001193.ONL",
        name="Thủ tục đăng ký khai sinh",
        field=civil,
        duration_value=Decimal("3"),
        duration_unit=DurationUnit.WORKING_DAYS,
        online_level=OnlineLevel.FULL,
        result_description="Giấy khai sinh",
        return_place="Bộ phận một cửa UBND phường Tây Hồ",
    )
    ProcedurePaper.objects.bulk_create(
        [
            ProcedurePaper(procedure=birth, position=1, name="Tờ khai đăng ký khai sinh"),
            ProcedurePaper(procedure=birth, position=2, name="Giấy chứng sinh"),
            ProcedurePaper(procedure=birth, position=3, name="Văn bản ủy quyền", required=False),
        ]
    )
    for position, name, role, hours in (
        (1, "Tiếp nhận, chuyển hồ sơ", Role.ONESTOP_OFFICER, "2"),
        (2, "Thẩm định, trình ký", Role.SPECIALIST, "14"),
        (3, "Ký kết quả", Role.LEADER, "6"),
    ):
        ProcedureStep.objects.create(
            procedure=birth, position=position, name=name, role=role, allotted_hours=Decimal(hours)
        )
    return birth


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def _act(page: Any, key: str) -> Any:
    """Open the action's panel on the dossier page; returns the panel."""
    panel = page.get_by_test_id(f"action-{key}")
    panel.locator("summary").click()
    return panel


def _submit(page: Any, panel: Any, key: str, base: str, code: str) -> None:
    panel.get_by_test_id(f"submit-{key}").click()
    page.wait_for_url(f"{base}/mot-cua/ho-so/{code}/")
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_online_filing_to_rating(
    live_server: Any,
    browser: Any,
    request_log: RequestLog,
    ward_a: Any,
    make_user: Any,
) -> None:
    from django.core.cache import caches
    from django_otp.plugins.otp_totp.models import TOTPDevice

    caches["default"].clear()
    base = live_server.url
    birth = _procedure()
    make_user(Role.ONESTOP_OFFICER, ward_a, username="motcua", full_name="Ngô Thị Thanh Hương")
    specialist = make_user(
        Role.SPECIALIST, ward_a, username="chuyenvien", full_name="Nguyễn Văn Bình"
    )
    leader = make_user(Role.LEADER, ward_a, username="chutich", full_name="Nguyễn Thị Thu Hằng")
    device = TOTPDevice.objects.create(user=leader, name="Điện thoại", confirmed=True)

    # --- the citizen, on a phone: catalogue → procedure → online form -------------------------
    phone = _new_context(
        browser, request_log, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    page.goto(f"{base}/dich-vu-cong/")
    page.get_by_label("Tên thủ tục").fill("khai sinh")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_role("link", name="Thủ tục đăng ký khai sinh").click()
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.wait_for_url(f"{base}/dich-vu-cong/thu-tuc/{birth.code}/nop-truc-tuyen/")
    page.get_by_label("Họ và tên (hoặc tên tổ chức)").fill("Trần Thị Bình")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_label("Địa chỉ").fill("12 Xuân Diệu, Tây Hồ")
    page.get_by_label("Tờ khai đăng ký khai sinh").set_input_files(
        {"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    # First without the birth certificate and the pledge: refused with the paper's name.
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_load_state()
    assert "Cần tải lên: Giấy chứng sinh." in page.inner_text("main")
    assert not Dossier.objects.exists()
    page.get_by_label("Tờ khai đăng ký khai sinh").set_input_files(
        {"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_label("Giấy chứng sinh").set_input_files(
        {"name": "chung-sinh.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_label("Tôi cam đoan").check()
    screenshot(page, "procedures-online-form")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_url(f"{base}/dich-vu-cong/da-nop/**")
    dossier = Dossier.objects.get()
    assert dossier.status == DossierStatus.SUBMITTED
    assert page.locator("#dossier-code").inner_text() == dossier.code
    secret = page.locator("#lookup-secret").inner_text()
    assert secret == dossier.lookup_secret
    lookup_link = page.get_by_role("link", name="Tra cứu hồ sơ này").get_attribute("href")
    assert lookup_link and f"ma={dossier.code}" in lookup_link
    screenshot(page, "procedures-online-filed")
    # The page fits the phone: nothing wider than the viewport.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # --- the one-stop officer accepts and hands over to the specialist ------------------------
    office = _new_context(browser, request_log, viewport={"width": 1280, "height": 900})
    staff = office.new_page()
    _login(staff, base, "motcua")
    staff.goto(f"{base}/mot-cua/ho-so/{dossier.code}/")
    panel = _act(staff, "accept")
    _submit(staff, panel, "accept", base, dossier.code)
    assert staff.get_by_test_id("dossier-status").inner_text() == "Được tiếp nhận"
    panel = _act(staff, "hand_over")
    panel.get_by_label("Chuyển cho cán bộ").select_option(value=str(specialist.pk))
    _submit(staff, panel, "hand_over", base, dossier.code)
    office.close()

    # --- the specialist hands it to the leader -----------------------------------------------
    office = _new_context(browser, request_log, viewport={"width": 1280, "height": 900})
    staff = office.new_page()
    _login(staff, base, "chuyenvien")
    staff.goto(f"{base}/mot-cua/ho-so/{dossier.code}/")
    panel = _act(staff, "hand_over")
    panel.get_by_label("Chuyển cho cán bộ").select_option(value=str(leader.pk))
    panel.get_by_label("Ghi chú").fill("Hồ sơ đủ điều kiện, kính trình ký.")
    _submit(staff, panel, "hand_over", base, dossier.code)
    office.close()

    # --- the leader (second factor) records the result ---------------------------------------
    office = _new_context(browser, request_log, viewport={"width": 1280, "height": 900})
    staff = office.new_page()
    _login(staff, base, "chutich")
    staff.get_by_label("Mã xác thực (6 chữ số)").fill(_totp_code(device))
    staff.get_by_role("button", name="Xác nhận").click()
    staff.wait_for_url(f"{base}/viec-cua-toi/")
    staff.goto(f"{base}/mot-cua/ho-so/{dossier.code}/")
    panel = _act(staff, "complete")
    panel.get_by_label("Kết quả (số, ký hiệu, trích yếu)").fill("Giấy khai sinh số 125/2026")
    panel.get_by_label("Có kết quả điện tử").check()
    _submit(staff, panel, "complete", base, dossier.code)
    assert staff.get_by_test_id("dossier-status").inner_text() == "Đã xử lý xong"
    office.close()

    # --- the officer returns the result -------------------------------------------------------
    office = _new_context(browser, request_log, viewport={"width": 1280, "height": 900})
    staff = office.new_page()
    _login(staff, base, "motcua")
    staff.goto(f"{base}/mot-cua/ho-so/{dossier.code}/")
    panel = _act(staff, "return")
    _submit(staff, panel, "return", base, dossier.code)
    assert staff.get_by_test_id("dossier-status").inner_text() == "Đã trả kết quả"
    office.close()

    # --- the citizen looks it up (the QR's link) and rates it once ----------------------------
    page.goto(f"{base}/tra-cuu/?ma={dossier.code}&k={secret}")
    assert page.locator("#dossier-status").inner_text() == "Đã trả kết quả"
    timeline = page.locator("#timeline").inner_text()
    for label in (
        "Nộp hồ sơ trực tuyến",
        "Tiếp nhận hồ sơ",
        "Đã có kết quả giải quyết",
        "Đã trả kết quả",
    ):
        assert label in timeline
    main = page.inner_text("main")
    assert "T.T.B." in main and "Trần Thị Bình" not in main and "0912345678" not in main
    screenshot(page, "procedures-online-lookup")
    page.get_by_label("Rất hài lòng").check()
    page.get_by_label("Ý kiến góp ý (không bắt buộc)").fill("Nhanh, không phải đi lại.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.wait_for_load_state()
    assert "Cảm ơn bạn đã đánh giá" in page.inner_text("main")
    assert page.get_by_role("button", name="Gửi đánh giá").count() == 0
    rating = DossierRating.objects.get()
    assert rating.score == 3 and rating.dossier_id == dossier.pk
    # The wrong secret gives the generic message, not the dossier.
    page.goto(f"{base}/tra-cuu/?ma={dossier.code}&k=SAIMA123")
    assert "Mã hồ sơ hoặc mã tra cứu không đúng" in page.inner_text("main")
    screenshot(page, "procedures-online-rated")
    phone.close()

    assert request_log.refused == []
    assert request_log.external() == []
