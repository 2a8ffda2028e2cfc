"""Server-side clustering of the map endpoint: above URBAN_MAP_CLUSTER_THRESHOLD points a layer
comes as grid cells with exact counts; below it, the exact points; scoped like the points."""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import User
from congso.urban import geo
from congso.urban.clearance.demo_geo import PHU_THUONG_PLACES, TAY_HO_PLACES

reports_models = pytest.importorskip("congso.urban.reports.models")
report_services = pytest.importorskip("congso.urban.reports.services")

Login = Callable[[Client, User], Client]
MAP = "/api/v1/urban/map"


def _clone(report: Any, n: int, lat: float, lon: float, prefix: str) -> list[Any]:
    """``n`` copies of ``report`` spread a little around (lat, lon)."""
    rows = []
    for i in range(n):
        row = copy.copy(report)
        row.pk = None
        row.id = None
        row.tracking_code = f"{prefix}{i:04d}"
        row.lat = lat + (i % 5) * 0.0004
        row.lon = lon + (i // 5) * 0.0004
        rows.append(row)
    return list(reports_models.FieldReport.objects.bulk_create(rows))


@pytest.fixture
def many(wards: tuple[AdminUnit, AdminUnit]) -> dict[str, Any]:
    """23 reports in ward A around Yên Phụ, 6 in ward B around Xuân La."""
    category = reports_models.ReportCategory.objects.order_by("pk").first()
    if category is None:
        pytest.skip("no report categories")
    lat, lon = TAY_HO_PLACES["Yên Phụ"]
    first = report_services.report_submit(
        category=category, description="Rác thải đổ trộm ven hồ.", lat=lat, lon=lon
    )
    a = [first, *_clone(first, 22, lat, lon, "PA-A")]
    lat_b, lon_b = PHU_THUONG_PLACES["Xuân La"]
    first.unit = wards[1]
    b = _clone(first, 6, lat_b, lon_b, "PA-B")
    return {"a": a, "b": b, "box": (lat - 0.001, lon - 0.001, lat + 0.003, lon + 0.003)}


def _url_box(box: tuple[float, float, float, float]) -> str:
    min_lat, min_lon, max_lat, max_lon = box
    return f"{min_lon},{min_lat},{max_lon},{max_lat}"


def test_clusters_above_threshold_points_below(
    client: Client,
    login: Login,
    leader: User,
    many: dict[str, Any],
    settings: Any,
    django_assert_max_num_queries: Any,
) -> None:
    settings.URBAN_MAP_CLUSTER_THRESHOLD = 10
    settings.URBAN_MAP_CLUSTER_CELLS = 4
    c = login(client, leader)
    with django_assert_max_num_queries(20):
        body = c.get(MAP, {"layers": "report", "bbox": _url_box(many["box"])}).json()
    assert body["clustered"] == ["report"]
    clusters = body["features"]
    assert clusters and all(f["properties"]["cluster"] is True for f in clusters)
    assert sum(f["properties"]["count"] for f in clusters) == 23 == body["counts"]["report"]
    # Each cluster's point lies in its cell, and the cell counts are the true ones.
    expected: Counter[tuple[float, ...]] = Counter()
    for f in clusters:
        west, south, east, north = f["properties"]["bbox"]
        lon, lat = f["geometry"]["coordinates"]
        assert west - 1e-9 <= lon <= east + 1e-9 and south - 1e-9 <= lat <= north + 1e-9
        inside = [
            r for r in many["a"] if west <= r.lon < east + 1e-12 and south <= r.lat < north + 1e-12
        ]
        expected[(west, south)] = len(inside)
        assert f["properties"]["count"] == len(inside)
    # cluster=off: the exact points, as before.
    body = c.get(MAP, {"layers": "report", "bbox": _url_box(many["box"]), "cluster": "off"}).json()
    assert body["clustered"] == [] and len(body["features"]) == 23
    assert {f["properties"]["id"] for f in body["features"]} == {r.pk for r in many["a"]}
    # Below the threshold: exact points.
    settings.URBAN_MAP_CLUSTER_THRESHOLD = 100
    body = c.get(MAP, {"layers": "report", "bbox": _url_box(many["box"])}).json()
    assert body["clustered"] == [] and len(body["features"]) == 23
    assert all("cluster" not in f["properties"] for f in body["features"])
    assert c.get(MAP, {"cluster": "x"}).json()["code"] == "cluster_invalid"


def test_clusters_whole_ward_and_scope(
    client: Client,
    login: Login,
    leader: User,
    other_ward_leader: User,
    many: dict[str, Any],
    settings: Any,
) -> None:
    settings.URBAN_MAP_CLUSTER_THRESHOLD = 5
    body = login(client, leader).get(MAP, {"layers": "report"}).json()
    assert body["clustered"] == ["report"]
    assert sum(f["properties"]["count"] for f in body["features"]) == 23  # not ward B's 6
    body = login(Client(), other_ward_leader).get(MAP, {"layers": "report"}).json()
    assert body["clustered"] == ["report"]
    assert sum(f["properties"]["count"] for f in body["features"]) == 6
    settings.URBAN_MAP_CLUSTER_THRESHOLD = 6
    body = login(Client(), other_ward_leader).get(MAP, {"layers": "report"}).json()
    assert body["clustered"] == [] and len(body["features"]) == 6


def test_grid_clusters_counts_match_python(many: dict[str, Any]) -> None:
    qs = reports_models.FieldReport.objects.all()
    box = (21.0, 105.7, 21.2, 105.9)
    cells = 7
    clusters = geo.grid_clusters(qs, layer="report", bbox=box, cells=cells)
    height, width = (box[2] - box[0]) / cells, (box[3] - box[1]) / cells
    want: Counter[tuple[int, int]] = Counter(
        (
            min(cells - 1, max(0, int((r.lat - box[0]) // height))),
            min(cells - 1, max(0, int((r.lon - box[1]) // width))),
        )
        for r in [*many["a"], *many["b"]]
    )
    got = {
        (
            round((f["properties"]["bbox"][1] - box[0]) / height),
            round((f["properties"]["bbox"][0] - box[1]) / width),
        ): f["properties"]["count"]
        for f in clusters
    }
    assert got == dict(want)
