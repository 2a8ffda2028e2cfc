"""The one-stop desk in a real browser: the officer finds the procedure (htmx search), its papers
appear, a missing required paper is refused with its name, then the dossier is taken with a scan
and the receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả) is served as a PDF."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from congso.kernel.people.models import Role
from congso.procedures.models import (
    Dossier,
    DossierStatus,
    DurationUnit,
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


def _catalogue() -> Procedure:
    civil = ProcedureField.objects.create(code="HT-E2E", name="Hộ tịch")
    certify = ProcedureField.objects.create(code="CT-E2E", name="Chứng thực")
    Procedure.objects.create(
        code="2.000815.E2E",
        name="Chứng thực bản sao từ bản chính",
        field=certify,
        duration_value=Decimal("4"),
        duration_unit=DurationUnit.WORKING_HOURS,
    )
    birth = Procedure.objects.create(
        code="1.001193.E2E",
        name="Thủ tục đăng ký khai sinh",
        field=civil,
        duration_value=Decimal("1"),
        duration_unit=DurationUnit.WORKING_DAYS,
        return_place="Bộ phận một cửa UBND phường Tây Hồ",
    )
    ProcedurePaper.objects.bulk_create(
        [
            ProcedurePaper(procedure=birth, position=1, name="Tờ khai đăng ký khai sinh"),
            ProcedurePaper(procedure=birth, position=2, name="Giấy chứng sinh"),
            ProcedurePaper(procedure=birth, position=3, name="Văn bản ủy quyền", required=False),
        ]
    )
    ProcedureStep.objects.create(
        procedure=birth,
        position=1,
        name="Tiếp nhận, chuyển hồ sơ",
        role=Role.ONESTOP_OFFICER,
        allotted_hours=Decimal("2"),
    )
    return birth


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_desk_intake_and_receipt(
    live_server: Any,
    browser: Any,
    request_log: RequestLog,
    ward_a: Any,
    make_user: Any,
) -> None:
    base = live_server.url
    birth = _catalogue()
    make_user(Role.ONESTOP_OFFICER, ward_a, username="motcua", full_name="Lê Thị Một Cửa")

    context = _new_context(browser, request_log, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _login(page, base, "motcua")
    page.goto(f"{base}/mot-cua/")
    page.get_by_role("link", name="Tiếp nhận hồ sơ").first.click()
    page.wait_for_url(f"{base}/mot-cua/tiep-nhan/")

    # Search the catalogue: htmx narrows the list, choosing one brings its papers.
    page.get_by_label("Tìm thủ tục (tên hoặc mã)").fill("khai sinh")
    procedure_select = page.get_by_label("Thủ tục hành chính")
    page.wait_for_function(
        "() => document.querySelectorAll('#id_procedure option[value]:not([value=\"\"])')"
        ".length === 1"
    )
    procedure_select.select_option(label=f"{birth.name} ({birth.code})")
    rows = page.get_by_test_id("paper-row")
    rows.first.wait_for()
    assert rows.count() == 3

    # First attempt without the birth certificate: refused, its name given, nothing saved.
    page.get_by_label("Tờ khai đăng ký khai sinh", exact=True).check()
    page.get_by_label("Họ tên người nộp / tên tổ chức").fill("Nguyễn Thị Dân")
    page.get_by_label("Điện thoại").fill("0912345678")
    page.get_by_label("Địa chỉ").fill("Số 1 Tây Hồ")
    page.get_by_test_id("intake-submit").click()
    page.wait_for_load_state()
    errors = page.get_by_test_id("form-errors").inner_text()
    assert "thiếu giấy tờ bắt buộc" in errors and "Giấy chứng sinh" in errors
    assert not Dossier.objects.exists()
    screenshot(page, "procedures-desk-missing-paper")

    # The form kept the procedure and the applicant: tick the certificate, add a scan, submit.
    page.get_by_label("Giấy chứng sinh", exact=True).check()
    page.get_by_label("Bản quét: Giấy chứng sinh").set_input_files(
        {"name": "giay-chung-sinh.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_test_id("intake-submit").click()
    page.wait_for_url(f"{base}/mot-cua/ho-so/**")
    dossier = Dossier.objects.get()
    assert dossier.status == DossierStatus.ACCEPTED
    assert page.get_by_test_id("dossier-code").inner_text() == dossier.code
    assert "giay-chung-sinh.pdf" in page.inner_text("main")
    screenshot(page, "procedures-desk-dossier")

    # Print the receipt: the link opens the PDF; fetch it with the page's session.
    link = page.get_by_role("link", name="In giấy tiếp nhận")
    href = link.get_attribute("href")
    assert href and href.endswith("/in/giay-tiep-nhan/")
    response = page.request.get(f"{base}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    # The dossier is in the officer's list, in the "being processed" tab.
    page.goto(f"{base}/mot-cua/")
    row = page.get_by_test_id("dossier-row")
    assert row.count() == 1 and dossier.code in row.inner_text()
    screenshot(page, "procedures-desk-list")
    context.close()

    assert request_log.refused == []
    assert request_log.external() == []
