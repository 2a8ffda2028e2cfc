"""congso.urban.geo: point in polygon (holes, MultiPolygon, edges), boxes, wards, boundaries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congso.kernel.audit.models import AuditEvent
from congso.kernel.errors import DomainError
from congso.kernel.orgunits.models import AdminUnit
from congso.urban import geo
from congso.urban.clearance.demo_geo import (
    OUTSIDE_POINT,
    PHU_THUONG_BOUNDARY,
    PHU_THUONG_PLACES,
    TAY_HO_BOUNDARY,
    TAY_HO_PLACES,
)


def square(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


SQUARE_WITH_HOLE: dict[str, Any] = {
    "type": "Polygon",
    "coordinates": [square(0, 0, 10, 10), square(4, 4, 6, 6)],
}
TWO_SQUARES: dict[str, Any] = {
    "type": "MultiPolygon",
    "coordinates": [[square(0, 0, 1, 1)], [square(5, 5, 6, 6)]],
}
# A concave "U": the notch (4..6 × 3..10) is outside.
U_SHAPE: dict[str, Any] = {
    "type": "Polygon",
    "coordinates": [[[0, 0], [10, 0], [10, 10], [6, 10], [6, 3], [4, 3], [4, 10], [0, 10], [0, 0]]],
}


# --- point in polygon -------------------------------------------------------------------------


def test_square_with_hole() -> None:
    # lat = y, lon = x
    assert geo.point_in_geometry(1, 1, SQUARE_WITH_HOLE)
    assert not geo.point_in_geometry(5, 5, SQUARE_WITH_HOLE)  # in the hole
    assert geo.point_in_geometry(4, 5, SQUARE_WITH_HOLE)  # on the hole's edge: the polygon's
    assert geo.point_in_geometry(0, 5, SQUARE_WITH_HOLE)  # on the exterior edge
    assert geo.point_in_geometry(10, 10, SQUARE_WITH_HOLE)  # a vertex
    assert not geo.point_in_geometry(11, 5, SQUARE_WITH_HOLE)
    assert not geo.point_in_geometry(-0.001, 5, SQUARE_WITH_HOLE)


def test_multipolygon_and_concave() -> None:
    assert geo.point_in_geometry(0.5, 0.5, TWO_SQUARES)
    assert geo.point_in_geometry(5.5, 5.5, TWO_SQUARES)
    assert not geo.point_in_geometry(3, 3, TWO_SQUARES)
    assert not geo.point_in_geometry(8, 5, U_SHAPE)  # in the notch
    assert geo.point_in_geometry(2, 5, U_SHAPE)  # below the notch
    assert geo.point_in_geometry(8, 2, U_SHAPE)  # a leg


def test_feature_wrappers_and_garbage() -> None:
    feature = {"type": "Feature", "geometry": TWO_SQUARES, "properties": {}}
    assert geo.point_in_geometry(0.5, 0.5, feature)
    assert geo.point_in_geometry(0.5, 0.5, {"type": "FeatureCollection", "features": [feature]})
    assert not geo.point_in_geometry(0.5, 0.5, None)
    assert not geo.point_in_geometry(0.5, 0.5, {"type": "Point", "coordinates": [0.5, 0.5]})
    assert not geo.point_in_geometry(float("nan"), 0.5, TWO_SQUARES)


# Micro-degree positions (what a phone gives, ~0.1 m): far coarser than the edge tolerance.
coord = st.integers(min_value=-20_000_000, max_value=20_000_000).map(lambda n: n / 1e6)


@settings(max_examples=150, deadline=None)
@given(lat=coord, lon=coord)
def test_hole_partition(lat: float, lon: float) -> None:
    """In the polygon with a hole ⇔ in the outer square and not strictly inside the hole."""
    outer = {"type": "Polygon", "coordinates": [square(0, 0, 10, 10)]}
    hole = {"type": "Polygon", "coordinates": [square(4, 4, 6, 6)]}
    strictly_in_hole = 4 < lon < 6 and 4 < lat < 6
    expected = geo.point_in_geometry(lat, lon, outer) and not strictly_in_hole
    assert geo.point_in_geometry(lat, lon, SQUARE_WITH_HOLE) == expected
    assert geo.point_in_geometry(lat, lon, outer) == (0 <= lat <= 10 and 0 <= lon <= 10)
    assert geo.point_in_geometry(lat, lon, hole) == (4 <= lat <= 6 and 4 <= lon <= 6)


@settings(max_examples=150, deadline=None)
@given(lat=coord, lon=coord, dx=coord, dy=coord)
def test_invariants(lat: float, lon: float, dx: float, dy: float) -> None:
    """Translation invariance; a MultiPolygon is the union of its parts; ring orientation and
    starting vertex do not matter; a point outside the bbox is outside."""
    ring = U_SHAPE["coordinates"][0]
    moved = {"type": "Polygon", "coordinates": [[[x + dx, y + dy] for x, y in ring]]}
    inside = geo.point_in_geometry(lat, lon, U_SHAPE)
    # Translating both the point and the polygon keeps the answer (away from float edge noise).
    on_edge = any(geo._on_segment(lon, lat, *ring[i], *ring[i + 1]) for i in range(len(ring) - 1))
    if not on_edge:
        assert geo.point_in_geometry(lat + dy, lon + dx, moved) == inside
    reversed_ring = {"type": "Polygon", "coordinates": [list(reversed(ring))]}
    rotated = {"type": "Polygon", "coordinates": [ring[3:-1] + ring[:4]]}
    assert geo.point_in_geometry(lat, lon, reversed_ring) == inside
    assert geo.point_in_geometry(lat, lon, rotated) == inside
    union = geo.point_in_geometry(lat, lon, TWO_SQUARES)
    parts = [{"type": "Polygon", "coordinates": p} for p in TWO_SQUARES["coordinates"]]
    assert union == any(geo.point_in_geometry(lat, lon, p) for p in parts)
    bbox = geo.geometry_bbox(U_SHAPE)
    assert bbox is not None
    if inside:
        assert bbox[0] <= lat <= bbox[2] and bbox[1] <= lon <= bbox[3]


# --- coordinates, boxes, validation -----------------------------------------------------------


def test_parse_bbox_and_q() -> None:
    assert geo.parse_bbox("105.8,21.0,105.9,21.1") == (21.0, 105.8, 21.1, 105.9)
    assert geo.parse_bbox("") is None
    assert geo.parse_bbox(None) is None
    for bad in ("1,2,3", "a,b,c,d", "105.9,21.0,105.8,21.1", "0,95,1,96", "nan,0,1,1"):
        with pytest.raises(DomainError) as info:
            geo.parse_bbox(bad)
        assert info.value.code == "bbox_invalid"
    q = geo.bbox_q((21.0, 105.8, 21.1, 105.9))
    assert dict(q.children) == {
        "lat__gte": 21.0,
        "lat__lte": 21.1,
        "lon__gte": 105.8,
        "lon__lte": 105.9,
    }
    assert not geo.bbox_q(None)


def test_clean_point() -> None:
    assert geo.clean_point("21,05", " 105.82 ") == (21.05, 105.82)
    for lat, lon in (("abc", 1), (91, 0), (0, 181), (float("inf"), 0), (None, 1)):
        with pytest.raises(DomainError) as info:
            geo.clean_point(lat, lon)
        assert info.value.code == "location_invalid"


def test_validate_geometry() -> None:
    assert geo.validate_geometry(TAY_HO_BOUNDARY)["type"] == "Polygon"
    assert geo.validate_geometry({"type": "Feature", "geometry": TWO_SQUARES})["type"] == (
        "MultiPolygon"
    )
    for bad in (
        None,
        {"type": "Point", "coordinates": [1, 2]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]},  # too short
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]},  # not closed
        {"type": "Polygon", "coordinates": [[[0, 0], [200, 0], [1, 1], [0, 0]]]},
        {"type": "Polygon", "coordinates": [[["x", 0], [1, 0], [1, 1], ["x", 0]]]},
    ):
        with pytest.raises(DomainError) as info:
            geo.validate_geometry(bad)
        assert info.value.code == "geometry_invalid"


def test_map_feature_shape() -> None:
    feature = geo.map_feature(
        layer="project", id=3, lat=21.05, lon=105.82, title="A", status="s", status_label="S"
    )
    assert feature["geometry"] == {"type": "Point", "coordinates": [105.82, 21.05]}
    assert set(feature["properties"]) == {
        "layer",
        "id",
        "title",
        "status",
        "status_label",
        "category",
        "overdue",
        "url",
    }


# --- wards ------------------------------------------------------------------------------------


@pytest.fixture
def bounded(ward_a: AdminUnit, ward_b: AdminUnit) -> tuple[AdminUnit, AdminUnit]:
    geo.unit_set_boundary(unit=ward_a, geometry=TAY_HO_BOUNDARY)
    geo.unit_set_boundary(unit=ward_b, geometry=PHU_THUONG_BOUNDARY)
    return ward_a, ward_b


def test_demo_places_lie_in_their_ward(bounded: tuple[AdminUnit, AdminUnit]) -> None:
    tay_ho, phu_thuong = bounded
    for lat, lon in TAY_HO_PLACES.values():
        assert geo.unit_at(lat, lon) == tay_ho
        assert geo.check_location(lat, lon, tay_ho) == tay_ho
    for lat, lon in PHU_THUONG_PLACES.values():
        assert geo.unit_at(lat, lon) == phu_thuong
        assert not geo.unit_contains(tay_ho, lat, lon)
    assert geo.unit_at(*OUTSIDE_POINT) is None


def test_check_location_errors(bounded: tuple[AdminUnit, AdminUnit]) -> None:
    tay_ho, phu_thuong = bounded
    with pytest.raises(DomainError) as info:
        geo.check_location(*OUTSIDE_POINT)
    assert info.value.code == "location_outside_ward"
    assert "không thuộc địa bàn" in info.value.message
    lat, lon = PHU_THUONG_PLACES["Xuân La"]
    with pytest.raises(DomainError) as info:
        geo.check_location(lat, lon, tay_ho)
    assert info.value.code == "location_outside_ward"
    assert "Phường Tây Hồ" in info.value.message
    assert geo.check_location(str(lat), str(lon)) == phu_thuong
    with pytest.raises(DomainError) as info:
        geo.check_location("x", lon)
    assert info.value.code == "location_invalid"


def test_unit_at_skips_units_not_served_or_not_valid(
    bounded: tuple[AdminUnit, AdminUnit],
) -> None:
    tay_ho, _ = bounded
    lat, lon = TAY_HO_PLACES["Nhật Tân"]
    assert geo.unit_at(lat, lon, on=dt.date(2025, 6, 30)) is None  # wards valid from 01/07/2025
    AdminUnit.objects.filter(pk=tay_ho.pk).update(is_served=False)
    assert geo.unit_at(lat, lon) is None


def test_bbox_and_boundaries_geojson(bounded: tuple[AdminUnit, AdminUnit]) -> None:
    tay_ho, phu_thuong = bounded
    assert geo.unit_bbox(tay_ho) == (21.038, 105.806, 21.093, 105.855)
    collection = geo.boundaries_geojson([tay_ho.pk, phu_thuong.pk, 999999])
    assert collection["type"] == "FeatureCollection"
    assert [f["properties"]["name"] for f in collection["features"]] == [
        "Phường Phú Thượng",
        "Phường Tây Hồ",
    ]
    assert geo.boundaries_geojson([]) == {"type": "FeatureCollection", "features": []}
    tay_ho.parent.boundary = None  # type: ignore[union-attr]
    with pytest.raises(DomainError) as info:
        geo.unit_bbox(tay_ho.parent)  # type: ignore[arg-type]
    assert info.value.code == "unit_without_boundary"


def test_set_boundary_is_audited_and_idempotent(ward_a: AdminUnit) -> None:
    assert geo.unit_set_boundary(unit=ward_a, geometry=TAY_HO_BOUNDARY)
    assert not geo.unit_set_boundary(unit=ward_a, geometry=TAY_HO_BOUNDARY)
    assert AuditEvent.objects.filter(action="unit.boundary_set").count() == 1
    ward_a.refresh_from_db()
    assert ward_a.boundary == TAY_HO_BOUNDARY
    with pytest.raises(DomainError):
        geo.unit_set_boundary(unit=ward_a, geometry={"type": "Point", "coordinates": [0, 0]})
    ward_a.refresh_from_db()
    assert ward_a.boundary == TAY_HO_BOUNDARY
