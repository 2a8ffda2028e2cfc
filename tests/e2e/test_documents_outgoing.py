"""Outgoing documents in a real browser: the specialist drafts a decision and sends it to the
leader, the leader (second factor) signs it with the test CA, the clerk numbers and issues it
(01/QĐ-UBND) and sends it to the other ward, whose clerk sees it arrive."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.utils import timezone

from congso.documents.models import IncomingDocument, OutgoingDocument, OutgoingStatus
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


def _restore_migration_data() -> None:
    """The 29 document types a data migration loads (a transactional test before this one may
    have flushed them) and fresh content types."""
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
def test_draft_sign_issue_and_the_other_ward_receives(
    live_server: Any,
    browser: Any,
    request_log: RequestLog,
    ward_a: Any,
    ward_b: Any,
    make_user: Any,
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from congso.documents.services.outgoing import organisation_for_unit
    from congso.kernel.signing.services import demo_credential_issue
    from congso.kernel.signing.tests.samples import decision_pdf

    _restore_migration_data()
    base = live_server.url
    departments = {
        abbr: Department.objects.get_or_create(
            unit=ward_a, abbreviation=abbr, defaults={"name": name, "kind": kind}
        )[0]
        for abbr, name, kind in (
            ("LĐ", "Lãnh đạo Ủy ban nhân dân", DepartmentKind.LEADERSHIP),
            ("VP", "Văn phòng HĐND-UBND", DepartmentKind.OFFICE),
            ("KT", "Phòng Kinh tế, Hạ tầng và Đô thị", DepartmentKind.DIVISION),
        )
    }
    people = {}
    for username, full_name, role, unit, dept in (
        ("chuyenvien", "Vũ Đức Thắng", Role.SPECIALIST, ward_a, "KT"),
        ("chutich", "Nguyễn Thị Thu Hằng", Role.LEADER, ward_a, "LĐ"),
        ("vanthu", "Hoàng Thị Mai", Role.CLERK, ward_a, "VP"),
        ("vanthu.b", "Dương Thị Hà", Role.CLERK, ward_b, None),
    ):
        user = make_user(role, None, username=username, full_name=full_name)
        Position.objects.create(
            user=user,
            unit=unit,
            role=role,
            department=departments[dept] if dept else None,
            title="Chủ tịch UBND phường" if role == Role.LEADER else "",
        )
        people[username] = user
    device = TOTPDevice.objects.create(user=people["chutich"], name="Điện thoại", confirmed=True)
    demo_credential_issue(user=people["chutich"])
    demo_credential_issue(unit=ward_a)
    ward_b_org = organisation_for_unit(ward_b)
    draft = decision_pdf(signer="Nguyễn Thị Thu Hằng", title="CHỦ TỊCH")

    # --- the specialist drafts and sends it to the leader ---------------------------------------
    context = _new_context(browser, request_log, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _login(page, base, "chuyenvien")
    page.goto(f"{base}/van-ban/di/")
    page.get_by_role("link", name="Soạn văn bản đi").click()
    page.get_by_label("Tên loại văn bản").select_option(label="Quyết định")
    page.get_by_label("Đơn vị soạn thảo").select_option(label="Phòng Kinh tế, Hạ tầng và Đô thị")
    page.get_by_label("Trích yếu nội dung").fill(
        "Về việc thành lập Tổ công tác chuyển đổi số phường"
    )
    page.get_by_label("Nơi nhận (gửi điện tử)").select_option(label=ward_b_org.name)
    page.get_by_label("Dự thảo (DOCX hoặc PDF)").set_input_files(
        {"name": "du-thao-quyet-dinh.pdf", "mimeType": "application/pdf", "buffer": draft}
    )
    screenshot(page, "outgoing-draft-form")
    page.get_by_role("button", name="Tạo dự thảo").click()
    page.wait_for_url(f"{base}/van-ban/di/*/")
    assert page.get_by_test_id("outgoing-status").inner_text() == "Dự thảo"
    document = OutgoingDocument.objects.get()
    page.get_by_label("Người duyệt 1").select_option(label="Nguyễn Thị Thu Hằng")
    page.get_by_role("button", name="Trình", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_test_id("outgoing-status").inner_text() == "Đang trình duyệt"
    context.close()

    # --- the leader signs, with the second factor ----------------------------------------------
    context = _new_context(browser, request_log, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _login(page, base, "chutich")
    page.get_by_label("Mã xác thực (6 chữ số)").fill(_totp_code(device))
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(f"{base}/viec-cua-toi/")
    page.get_by_role("link", name="Dự thảo văn bản đi chờ tôi cho ý kiến").click()
    page.get_by_role("link", name="(chưa cấp số)").click()
    page.get_by_role("link", name="Ký số").click()
    credential = page.get_by_test_id("credential")
    assert "CA THỬ NGHIỆM" in credential.inner_text()
    assert page.get_by_label("Chức vụ người ký").input_value() == "Chủ tịch UBND phường"
    screenshot(page, "outgoing-sign-form")
    page.get_by_role("button", name="Ký số").click()
    page.wait_for_url(f"{base}/van-ban/di/{document.pk}/")
    assert page.get_by_test_id("outgoing-status").inner_text() == "Đã ký số"
    signatures = page.get_by_test_id("signature")
    assert signatures.count() == 1 and "Hợp lệ" in signatures.first.inner_text()
    context.close()

    # --- the clerk numbers, issues and sends it ------------------------------------------------
    context = _new_context(browser, request_log, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _login(page, base, "vanthu")
    page.wait_for_url(f"{base}/viec-cua-toi/")
    page.get_by_role("link", name="Văn bản đã ký chờ cấp số, ban hành").click()
    page.get_by_role("link", name="(chưa cấp số)").click()
    page.get_by_role("button", name="Cấp số và ban hành").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("outgoing-notation").inner_text() == "01/QĐ-UBND"
    assert page.get_by_test_id("outgoing-status").inner_text() == "Đã ban hành"
    signatures = page.get_by_test_id("signature")
    assert signatures.count() == 2
    assert all("Hợp lệ" in signatures.nth(i).inner_text() for i in range(2))
    assert "Ủy ban nhân dân phường Tây Hồ" in signatures.nth(1).inner_text()
    assert page.get_by_test_id("test-ca-warning").is_visible()
    screenshot(page, "outgoing-issued")
    page.get_by_label(ward_b_org.name).check()
    page.get_by_role("button", name="Gửi", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_test_id("dispatch-status").inner_text() == "Đã tiếp nhận"
    context.close()

    # --- the other ward's clerk sees it arrive -------------------------------------------------
    context = _new_context(browser, request_log, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _login(page, base, "vanthu.b")
    page.goto(f"{base}/van-ban/den/")
    row = page.get_by_test_id("incoming-row")
    assert row.count() == 1
    assert "01/QĐ-UBND" in row.inner_text()
    assert "Ủy ban nhân dân phường Tây Hồ" in row.inner_text()
    screenshot(page, "outgoing-arrived")
    context.close()

    document.refresh_from_db()
    assert document.status == OutgoingStatus.ISSUED
    assert document.issued_date == timezone.localdate()
    incoming = IncomingDocument.objects.get(unit=ward_b)
    assert incoming.notation == "01/QĐ-UBND" and incoming.arrival_number == 1
    assert request_log.refused == []
    assert request_log.external() == []
