"""In a real browser: above the threshold the map draws the server's clusters as numbered discs,
says so, and a click on one zooms in to its cell (a new, smaller box is fetched).

The harness's fixtures come from tests/e2e/conftest.py (hence F811 on the test's parameters)."""

# ruff: noqa: F811

from __future__ import annotations

import copy
from typing import Any

import pytest
from tests.e2e.conftest import browser, page, request_log, screenshot  # noqa: F401

from congso.urban.clearance.demo_geo import TAY_HO_PLACES

PASSWORD = "mat-khau-thu-nghiem-123"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_map_clusters_and_zoom(
    live_server: Any, page: Any, request_log: Any, wards: Any, specialist: Any, settings: Any
) -> None:
    reports_models = pytest.importorskip("congso.urban.reports.models")
    report_services = pytest.importorskip("congso.urban.reports.services")
    category = reports_models.ReportCategory.objects.order_by("pk").first()
    if category is None:
        pytest.skip("no report categories")
    lat, lon = TAY_HO_PLACES["Yên Phụ"]
    first = report_services.report_submit(
        category=category, description="Rác thải đổ trộm ven hồ.", lat=lat, lon=lon
    )
    rows = []
    for i in range(11):
        row = copy.copy(first)
        row.pk = row.id = None
        row.tracking_code = f"PA-BR{i:03d}"
        row.lat, row.lon = lat + (i % 4) * 0.0003, lon + (i // 4) * 0.0003
        rows.append(row)
    reports_models.FieldReport.objects.bulk_create(rows)
    settings.URBAN_MAP_CLUSTER_THRESHOLD = 3

    base = live_server.url
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(specialist.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()

    page.goto(f"{base}/do-thi/ban-do/")
    page.wait_for_selector("#urban-map.leaflet-container")
    status = page.locator('[data-urban-map-status="urban-map"]')
    status.filter(has_text="gộp theo ô lưới").wait_for()
    assert status.inner_text().startswith("12 điểm")
    discs = page.locator("#urban-map .urban-map-cluster")
    assert discs.count() >= 1
    assert sum(int(t.replace(".", "")) for t in discs.all_inner_texts()) == 12
    screenshot(page, "urban-map-clusters")
    zoom_before = page.evaluate("document.getElementById('urban-map')._urbanMap.getZoom()")
    with page.expect_response(lambda r: "/api/v1/urban/map?" in r.url):
        discs.first.click()  # zooms to the cell; the smaller box is fetched
    zoom_after = page.evaluate("document.getElementById('urban-map')._urbanMap.getZoom()")
    assert zoom_after > zoom_before
    assert request_log.external() == []
