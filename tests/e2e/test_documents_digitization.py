"""Digitisation in a real browser: the clerk registers a scanned letter (an image-only PDF),
the document page shows it waiting, the worker runs the OCR, and the page — polling with htmx,
without a reload — shows the recognised text."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from congso.documents.models import DigitizationStatus, IncomingDocument
from congso.kernel.ocr.testdata.scan import make_scanned_pdf
from congso.kernel.people.models import Role
from tests.e2e.conftest import RequestLog, _new_context, screenshot

PASSWORD = "mat-khau-thu-nghiem-123"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _restore_migration_data() -> None:
    """The 29 document types (a data migration) and fresh content types: a transactional test
    that ran before this one flushed the tables, and ``serialized_rollback`` cannot reach the
    connection Playwright's greenlet gives the test body (see test_documents_incoming.py)."""
    import importlib

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    importlib.import_module("congso.documents.migrations.0002_document_types").load(apps, None)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_scanned_letter_text_appears_on_the_page(
    live_server: Any, browser: Any, request_log: RequestLog, ward_a: Any, make_user: Any
) -> None:
    _restore_migration_data()
    base = live_server.url
    make_user(Role.CLERK, ward_a, username="vanthu", full_name="Hoàng Thị Mai")
    scan = make_scanned_pdf(pages=1, seed=8, dpi=150)

    context = _new_context(browser, request_log, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("vanthu")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()

    page.goto(f"{base}/van-ban/den/vao-so/")
    page.get_by_label("Tên loại văn bản").select_option(label="Công văn")
    page.get_by_label("Số, ký hiệu").fill("15/QĐ-UBND")
    page.get_by_label("Ngày văn bản").fill(
        (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    )
    page.get_by_label("Cơ quan ban hành").fill("Ủy ban nhân dân phường Phú Thượng")
    page.get_by_label("Trích yếu nội dung").fill("Về việc kiện toàn Ban chỉ đạo chuyển đổi số")
    page.get_by_label("Bản quét / bản điện tử (PDF hoặc ảnh)").set_input_files(
        {"name": "ban-quet.pdf", "mimeType": "application/pdf", "buffer": scan.pdf}
    )
    page.get_by_role("button", name="Vào sổ").click()
    page.wait_for_url(f"{base}/van-ban/den/*/")

    # waiting for the worker: the block says so and polls
    block = page.locator("#digitization")
    assert block.get_attribute("data-status") == "pending"
    assert block.get_attribute("hx-trigger") == "every 2s"
    assert "Chờ số hóa" in page.get_by_test_id("digitization-status").inner_text()
    screenshot(page, "digitization-pending")

    # the worker takes the task (what `manage.py db_worker` does)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    document = IncomingDocument.objects.get()
    assert document.digitization_status == DigitizationStatus.DONE, document.digitization_error

    # the page learns it by polling, without a reload, and stops polling
    page.locator('#digitization[data-status="done"]').wait_for(timeout=15_000)
    assert page.locator("#digitization").get_attribute("hx-trigger") is None
    assert "Đã số hóa" in page.get_by_test_id("digitization-status").inner_text()
    page.get_by_test_id("digitization-text").locator("summary").click()
    text = page.get_by_test_id("digitization-text").inner_text()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "QUYẾT ĐỊNH" in text
    assert "ban-quet - bản số hóa.pdf" in page.get_by_test_id("digitization-copies").inner_text()
    screenshot(page, "digitization-done")
    assert request_log.external() == []
    context.close()
