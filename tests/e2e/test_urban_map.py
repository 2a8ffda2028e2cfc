"""In a real browser: the map page draws the ward boundaries and the points fetched from
/api/v1/urban/map with no tile server and no request to any host but the live server; the
location picker fills lat/lon on a click; above the threshold the server's clusters are drawn as
numbered discs and a click on one zooms in to its cell.
"""

# ruff: noqa: F811

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from congso.urban.clearance import services
from congso.urban.clearance.demo_geo import TAY_HO_PLACES
from congso.urban.clearance.tests.conftest import specialist, wards  # noqa: F401  (fixtures)
from tests.e2e.conftest import screenshot

PASSWORD = "mat-khau-thu-nghiem-123"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_map_page_offline_and_picker(
    live_server: Any, page: Any, request_log: Any, wards: Any, specialist: Any
) -> None:
    lat, lon = TAY_HO_PLACES["Quảng An"]
    project = services.project_create(
        unit=wards[0],
        actor=specialist,
        data=services.ProjectData(
            name="Đường ven hồ Quảng An", start_date=dt.date(2024, 1, 1), lat=lat, lon=lon
        ),
    )
    base = live_server.url
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(specialist.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()

    page.goto(f"{base}/do-thi/ban-do/")
    page.wait_for_selector("#urban-map.leaflet-container")
    status = page.locator('[data-urban-map-status="urban-map"]')
    status.filter(has_text="điểm trong khung nhìn").wait_for()
    assert status.inner_text().startswith("1 điểm")
    # The ward boundary and the project's point are drawn as SVG paths; no tile images.
    assert page.locator("#urban-map path.leaflet-interactive").count() >= 2
    assert page.locator("#urban-map img.leaflet-tile").count() == 0
    assert (
        "Không có bản đồ nền"
        in page.locator("#urban-map .leaflet-control-attribution").inner_text()
    )
    screenshot(page, "urban-map")
    # Switching the project layer off empties the map.
    page.get_by_label("Dự án GPMB").uncheck()
    status.filter(has_text="0 điểm").wait_for()

    # The location picker: a click on the map fills the typed inputs.
    page.goto(f"{base}/do-thi/gpmb/{project.pk}/sua/")
    page.wait_for_selector("#location-picker-map.leaflet-container")
    page.get_by_label("Vĩ độ (lat)").fill("")
    box = page.locator("#location-picker-map").bounding_box()
    page.locator("#location-picker-map").click(
        position={"x": box["width"] / 2, "y": box["height"] / 2}
    )
    filled = page.get_by_label("Vĩ độ (lat)").input_value()
    assert filled and 21.0 < float(filled) < 21.2
    assert 105.7 < float(page.get_by_label("Kinh độ (lon)").input_value()) < 105.9

    assert request_log.refused == []
    assert request_log.external() == []
    assert any(url.endswith("/static/vendor/leaflet/leaflet.js") for url in request_log.urls)
    assert any("/api/v1/urban/map?" in url for url in request_log.urls)


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
