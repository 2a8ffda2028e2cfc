"""The shared map endpoint and the dashboard: contract, bbox, layers, filters, scoping, pages."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from congso.kernel.people.models import Role, User
from congso.urban.clearance import services
from congso.urban.clearance.demo_geo import PHU_THUONG_PLACES, TAY_HO_PLACES
from congso.urban.clearance.models import ClearanceProject, ProjectStatus

Login = Callable[[Client, User], Client]
MAP = "/api/v1/urban/map"
PROPS = {"layer", "id", "title", "status", "status_label", "category", "overdue", "url"}


@pytest.fixture
def points(wards: Any, specialist: User, make_user: Callable[..., User]) -> dict[str, Any]:
    """A project in each ward, a report and a work in ward A (when those apps are there)."""
    tay_ho, phu_thuong = wards
    out: dict[str, Any] = {"project_a": None, "project_b": None, "report": None, "work": None}
    out["project_a"] = services.project_create(
        unit=tay_ho,
        actor=specialist,
        data=services.ProjectData(
            name="Dự án Quảng An",
            start_date=dt.date(2020, 1, 1),
            target_date=dt.date(2021, 1, 1),
            lat=TAY_HO_PLACES["Quảng An"][0],
            lon=TAY_HO_PLACES["Quảng An"][1],
        ),
    )
    specialist_b = make_user(Role.SPECIALIST, phu_thuong)
    out["project_b"] = services.project_create(
        unit=phu_thuong,
        actor=specialist_b,
        data=services.ProjectData(
            name="Dự án Xuân La",
            start_date=dt.date(2020, 1, 1),
            lat=PHU_THUONG_PLACES["Xuân La"][0],
            lon=PHU_THUONG_PLACES["Xuân La"][1],
        ),
    )
    try:
        from congso.urban.reports import services as report_services
        from congso.urban.reports.models import ReportCategory

        category = ReportCategory.objects.order_by("pk").first()
        if category is not None:
            lat, lon = TAY_HO_PLACES["Yên Phụ"]
            out["report"] = report_services.report_submit(
                category=category,
                description="Đèn chiếu sáng ven hồ không sáng từ ba hôm nay.",
                lat=lat,
                lon=lon,
                address="Đường Thanh Niên",
            )
    except ImportError:  # the reports app is not there yet
        pass
    try:
        from congso.urban.construction import services as construction_services

        lat, lon = TAY_HO_PLACES["Tứ Liên"]
        out["work"] = construction_services.work_register(
            unit=tay_ho,
            actor=make_user(Role.INSPECTOR, tay_ho),
            data={
                "name": "Nhà ở riêng lẻ",
                "address": "Ngõ 12 Tứ Liên",
                "owner_name": "Ông A",
                "lat": lat,
                "lon": lon,
            },
        )
    except (ImportError, AttributeError):
        pass
    return out


def _layers(body: dict[str, Any]) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for f in body["features"]:
        out.setdefault(f["properties"]["layer"], set()).add(f["properties"]["id"])
    return out


def test_map_contract_and_scope(
    client: Client,
    login: Login,
    points: dict[str, Any],
    specialist: User,
    django_assert_max_num_queries: Any,
) -> None:
    c = login(client, specialist)
    with django_assert_max_num_queries(20):
        response = c.get(MAP)
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection" and body["truncated"] is False
    for feature in body["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert (
            isinstance(lon, float) and isinstance(lat, float) and 105 < lon < 106 and 21 < lat < 22
        )
        assert set(feature["properties"]) >= PROPS
    layers = _layers(body)
    assert layers["project"] == {points["project_a"].pk}  # not ward B's project
    if points["report"] is not None:
        assert layers["report"] == {points["report"].pk}
    if points["work"] is not None:
        assert layers["work"] == {points["work"].pk}
    project = next(f for f in body["features"] if f["properties"]["layer"] == "project")
    assert project["properties"]["overdue"] is True  # target 01/01/2021, still planning
    assert project["properties"]["url"] == services.project_url(points["project_a"])


def test_map_bbox_layers_filters(
    client: Client, login: Login, points: dict[str, Any], specialist: User
) -> None:
    c = login(client, specialist)
    lat, lon = TAY_HO_PLACES["Quảng An"]
    around = f"{lon - 0.001},{lat - 0.001},{lon + 0.001},{lat + 0.001}"
    body = c.get(MAP, {"bbox": around}).json()
    assert _layers(body) == {"project": {points["project_a"].pk}}
    body = c.get(MAP, {"bbox": "105.70,20.90,105.71,20.91"}).json()
    assert body["features"] == []
    body = c.get(MAP, {"layers": "project"}).json()
    assert set(_layers(body)) == {"project"}
    assert c.get(MAP, {"layers": "none"}).json()["features"] == []
    body = c.get(MAP, {"status": f"project:{ProjectStatus.IN_PROGRESS}"}).json()
    assert body["features"] == []
    body = c.get(MAP, {"status": f"project:{ProjectStatus.PLANNING}", "overdue": "1"}).json()
    assert _layers(body) == {"project": {points["project_a"].pk}}
    ClearanceProject.objects.create(
        unit=points["project_a"].unit,
        code="X-1",
        name="Thêm",
        start_date=dt.date(2020, 1, 1),
        lat=lat,
        lon=lon,
    )
    body = c.get(MAP, {"layers": "project", "limit": 1}).json()
    assert body["truncated"] is True and len(body["features"]) == 1


def test_map_errors(
    client: Client,
    login: Login,
    points: dict[str, Any],
    specialist: User,
    make_user: Callable[..., User],
) -> None:
    assert client.get(MAP).status_code == 401
    c = login(client, specialist)
    for params, code in (
        ({"bbox": "1,2,3"}, "bbox_invalid"),
        ({"bbox": "x,1,2,3"}, "bbox_invalid"),
        ({"layers": "trees"}, "layers_invalid"),
        ({"limit": 0}, "limit_invalid"),
    ):
        response = c.get(MAP, params)
        assert response.status_code == 400 and response.json()["code"] == code
    citizenless = login(Client(), make_user(Role.SPECIALIST, None))
    assert citizenless.get(MAP).status_code == 403


def test_dashboard_api_and_page(
    client: Client, login: Login, points: dict[str, Any], specialist: User, other_ward_leader: User
) -> None:
    c = login(client, specialist)
    response = c.get("/api/v1/urban/dashboard", {"start": "2019-01-01", "end": "2021-12-31"})
    assert response.status_code == 200
    body = response.json()
    assert [w["unit"]["name"] for w in body["wards"]] == ["Phường Tây Hồ"]
    figures = body["wards"][0]["figures"]
    assert figures["clearance"]["projects"] == 1
    assert figures["clearance"]["projects_overdue"] == 1
    assert set(figures) == {"construction", "clearance", "reports"}
    other = points["project_b"].unit_id
    assert c.get("/api/v1/urban/dashboard", {"unit": other}).status_code == 404
    response = c.get("/api/v1/urban/dashboard", {"start": "2021-01-01", "end": "2020-01-01"})
    assert response.json()["code"] == "period_invalid"
    page = c.get(reverse("urban:dashboard") + "?start=01/01/2019&end=31/12/2021")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="clearance-projects">1<' in html
    assert "Tổng quan quản lý đô thị · Phường Tây Hồ" in html
    b = login(Client(), other_ward_leader).get(reverse("urban:dashboard") + "?start=01/01/2019")
    assert "Phường Phú Thượng" in b.content.decode()


def test_map_page(client: Client, login: Login, points: dict[str, Any], specialist: User) -> None:
    response = login(client, specialist).get(reverse("urban:map"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/vendor/leaflet/leaflet.js" in html and "Không tải bản đồ nền" in html
    assert '"featuresUrl": "/api/v1/urban/map"' in html
    options = json.loads(
        html.split('<script id="urban-map-options" type="application/json">')[1].split("</script>")[
            0
        ]
    )
    assert [f["properties"]["name"] for f in options["boundaries"]["features"]] == ["Phường Tây Hồ"]
    assert client.get("/api/v1/urban/boundaries").json()["features"][0]["properties"]["name"] == (
        "Phường Tây Hồ"
    )
