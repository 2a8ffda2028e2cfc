"""Incoming documents in a real browser: the clerk registers a PDF letter and presents it, the
leader signs in with the second factor and assigns it with a deadline in working days, the
specialist records progress and completes it."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.utils import timezone

from congso.documents.models import IncomingDocument, IncomingStatus
from congso.kernel.calendar.services import add_working_days
from congso.kernel.orgunits.models import Department, DepartmentKind
from congso.kernel.people.models import Position, Role
from tests.e2e.conftest import RequestLog, _new_context, screenshot

PASSWORD = "mat-khau-thu-nghiem-123"


def _totp_code(device: Any) -> str:
    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def _letter() -> bytes:
    from congso.documents.textpdf import Line, render

    return render(
        [
            Line("SỞ XÂY DỰNG THÀNH PHỐ HÀ NỘI", align="center"),
            Line("Số: 2398/SXD-TTr", align="center", space_after=12),
            Line("V/v báo cáo kết quả xử lý vi phạm trật tự xây dựng", align="center"),
            Line("Đề nghị Ủy ban nhân dân phường Tây Hồ báo cáo trước ngày 25.", align="wrap"),
        ],
        title="Công văn 2398/SXD-TTr",
    )


def _restore_migration_data() -> None:
    """The rows data migrations load (the 29 document types) and fresh content types.

    A transactional test that ran before this one flushed the tables; ``serialized_rollback``
    cannot bring them back here, because Playwright's greenlet gives the test body another
    database connection object than the one the serialized copy was kept on."""
    import importlib

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    importlib.import_module("congso.documents.migrations.0002_document_types").load(apps, None)


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_register_assign_complete(
    live_server: Any,
    browser: Any,
    request_log: RequestLog,
    ward_a: Any,
    make_user: Any,
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _restore_migration_data()
    base = live_server.url
    kt = Department.objects.create(
        unit=ward_a,
        name="Phòng Kinh tế, Hạ tầng và Đô thị",
        abbreviation="KT",
        kind=DepartmentKind.DIVISION,
    )
    clerk = make_user(Role.CLERK, ward_a, username="vanthu", full_name="Hoàng Thị Mai")
    leader = make_user(
        Role.LEADER, ward_a, username="chutich", full_name="Nguyễn Thị Thu Hằng", clearance=1
    )
    specialist = make_user(Role.SPECIALIST, None, username="chuyenvien", full_name="Vũ Đức Thắng")
    Position.objects.create(user=specialist, unit=ward_a, role=Role.SPECIALIST, department=kt)
    device = TOTPDevice.objects.create(user=leader, name="Điện thoại", confirmed=True)
    assert clerk and specialist

    # --- the clerk registers the letter and presents it ---------------------------------------
    context = _new_context(browser, request_log, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _login(page, base, "vanthu")
    page.goto(f"{base}/van-ban/den/")
    page.get_by_role("link", name="Vào sổ văn bản đến").click()
    page.get_by_label("Tên loại văn bản").select_option(label="Công văn")
    page.get_by_label("Số, ký hiệu").fill("2398/SXD-TTr")
    issued = timezone.localdate() - dt.timedelta(days=1)
    page.get_by_label("Ngày văn bản").fill(issued.strftime("%d/%m/%Y"))
    page.get_by_label("Cơ quan ban hành").fill("Sở Xây dựng thành phố Hà Nội")
    page.get_by_label("Trích yếu nội dung").fill(
        "V/v báo cáo kết quả xử lý vi phạm trật tự xây dựng"
    )
    page.get_by_label("Độ khẩn").select_option(label="Khẩn")
    page.get_by_label("Bản quét / bản điện tử (PDF hoặc ảnh)").set_input_files(
        {"name": "cong-van-2398.pdf", "mimeType": "application/pdf", "buffer": _letter()}
    )
    screenshot(page, "incoming-register-form")
    page.get_by_role("button", name="Vào sổ").click()
    page.wait_for_url(f"{base}/van-ban/den/*/")
    year = timezone.localdate().year
    assert page.get_by_test_id("arrival-number").inner_text() == f"01/{year}"
    assert page.get_by_test_id("urgency-badge").first.inner_text().upper() == "KHẨN"
    assert "cong-van-2398.pdf" in page.inner_text("main")
    document = IncomingDocument.objects.get()
    page.get_by_role("combobox", name="Trình lãnh đạo").select_option(label="Nguyễn Thị Thu Hằng")
    page.get_by_role("button", name="Trình").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("incoming-status").inner_text() == "Đã trình lãnh đạo"
    screenshot(page, "incoming-registered")
    page.goto(f"{base}/van-ban/den/")
    row = page.get_by_test_id("incoming-row")
    assert row.count() == 1 and "doc-urgent" in (row.get_attribute("class") or "")
    screenshot(page, "incoming-list")
    context.close()

    # --- the leader, with the second factor, assigns it in working days ------------------------
    context = _new_context(browser, request_log, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _login(page, base, "chutich")
    assert "/tai-khoan/" in page.url and page.get_by_label("Mã xác thực (6 chữ số)").count()
    page.get_by_label("Mã xác thực (6 chữ số)").fill(_totp_code(device))
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(f"{base}/viec-cua-toi/")
    item = page.get_by_role("link", name="Văn bản đến chờ tôi phân công")
    assert item.count() == 1
    page.goto(f"{base}/van-ban/den/{document.pk}/")
    page.get_by_label("Người chủ trì").select_option(label="Vũ Đức Thắng")
    page.get_by_label("Văn phòng HĐND-UBND").check()  # cooperating department
    page.get_by_label("hoặc số ngày làm việc").fill("3")
    page.get_by_label("Ý kiến chỉ đạo (bút phê)").fill("Phòng Kinh tế khẩn trương báo cáo.")
    page.get_by_role("button", name="Phân công").click()
    page.wait_for_load_state()
    deadline = add_working_days(timezone.localdate(), 3)
    assert page.get_by_test_id("assignment-deadline").inner_text() == deadline.strftime("%d/%m/%Y")
    assert page.get_by_test_id("incoming-status").inner_text() == "Đã phân công"
    assert "Phối hợp: Văn phòng HĐND-UBND" in page.inner_text("#assignments")
    screenshot(page, "incoming-assigned")
    context.close()

    # --- the specialist records progress and completes it -------------------------------------
    context = _new_context(browser, request_log, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _login(page, base, "chuyenvien")
    page.wait_for_url(f"{base}/viec-cua-toi/")
    page.get_by_role("link", name="Văn bản đến giao cho tôi").click()
    screenshot(page, "incoming-my-work")
    page.get_by_role("link", name=f"01/{year}").click()
    page.get_by_label("Nội dung tiến độ").fill("Đã tổng hợp số liệu vi phạm tháng trước.")
    page.get_by_role("button", name="Ghi nhận").click()
    page.wait_for_load_state()
    assert "Đã tổng hợp số liệu" in page.inner_text("#progress")
    page.get_by_label("Kết quả giải quyết").fill("Đã gửi báo cáo cho Sở Xây dựng.")
    page.get_by_role("button", name="Hoàn thành").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("incoming-status").inner_text() == "Đã giải quyết"
    screenshot(page, "incoming-done")
    context.close()

    document.refresh_from_db()
    assert document.status == IncomingStatus.DONE
    assert request_log.refused == []
    assert request_log.external() == []
