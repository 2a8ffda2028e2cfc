"""In a real browser: an inspector records a violation with a stop-work order, the order's PDF
is served, the remedy deadline passes (set in the data) and the violation shows as overdue."""

# ruff: noqa: F811
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from congso.urban.construction import services
from congso.urban.construction.models import Violation, ViolationStatus
from congso.urban.construction.tests.conftest import (  # noqa: F401  (fixtures)
    inspector,
    wards,
    work_data,
)
from tests.e2e.conftest import screenshot

PASSWORD = "mat-khau-thu-nghiem-123"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_inspector_records_violation_until_overdue(
    live_server: Any,
    page: Any,
    request_log: Any,
    wards: Any,
    inspector: Any,
) -> None:
    work = services.work_register(
        unit=wards[0], actor=inspector, data=work_data(permit_status="none")
    )
    base = live_server.url
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(inspector.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()

    page.goto(f"{base}/do-thi/cong-trinh/")
    page.get_by_role("link", name=work.code).click()
    page.get_by_role("link", name="Lập biên bản vi phạm").click()
    page.get_by_label("Hành vi vi phạm").select_option("no_permit")
    page.get_by_label("Mô tả vi phạm").fill("Đang xây tầng 4 khi chưa có giấy phép xây dựng.")
    page.get_by_role("button", name="Lập biên bản").click()
    page.wait_for_load_state()
    assert "Đã lập biên bản" in page.content()
    status = page.get_by_test_id("violation-status")
    assert "Đã đình chỉ thi công" in status.inner_text()
    assert page.get_by_test_id("overdue-badge").count() == 0
    screenshot(page, "construction-violation")

    href = page.get_by_test_id("stop-order-pdf").get_attribute("href")
    pdf = page.request.get(f"{base}{href}")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    violation = Violation.objects.get(work=work)
    assert violation.status == ViolationStatus.STOP_ORDERED
    Violation.objects.filter(pk=violation.pk).update(
        remedy_deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    page.reload()
    assert "Quá hạn" in page.get_by_test_id("violation-status").inner_text()
    page.goto(f"{base}/do-thi/cong-trinh/vi-pham/?overdue=on")
    assert page.get_by_test_id("violation-row").count() == 1
    assert page.get_by_test_id("overdue-badge").count() == 1
    screenshot(page, "construction-overdue")
    assert request_log.external() == []
