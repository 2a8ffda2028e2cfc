"""Geography of the served wards: which ward a point lies in, bounding boxes, map features.

Pure Python (no GEOS, no PostGIS): a ward's territory is ``AdminUnit.boundary``, a GeoJSON
``Polygon`` or ``MultiPolygon`` in WGS 84 with positions ``[lon, lat]``. Rings follow GeoJSON:
the first ring of a polygon is its exterior, the others are holes. A point on an edge counts as
inside (a polygon is a closed set; a hole's edge belongs to the polygon too).

Conventions shared by the urban apps (construction, clearance, reports):

- Function arguments are ``(lat, lon)``, in that order, as people read coordinates.
- A bounding box in Python is ``BBox = (min_lat, min_lon, max_lat, max_lon)`` (what
  ``unit_bbox`` returns and what ``selectors.map_features(bbox=...)`` receives).
- In URLs the ``bbox`` parameter is ``west,south,east,north`` = ``min_lon,min_lat,max_lon,
  max_lat`` (Leaflet's ``getBounds().toBBoxString()`` and GeoJSON order); ``parse_bbox`` turns
  it into a ``BBox``.
- Models store ``lat``/``lon`` in two indexed columns; ``bbox_q(bbox)`` is the filter to use, and
  ``map_feature(...)`` builds the GeoJSON Feature dict each ``map_features`` returns.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from congso.kernel.errors import DomainError
from congso.kernel.orgunits.models import AdminUnit

BBox = tuple[float, float, float, float]  # (min_lat, min_lon, max_lat, max_lon)
Number = float | int | Decimal

# Points exactly on an edge within this distance (degrees, ~0.1 mm) count as on the edge.
_EPS = 1e-9


# --- geometry ---------------------------------------------------------------------------------


def _polygons(geometry: dict[str, Any] | None) -> list[list[list[Sequence[float]]]]:
    """The polygons (each a list of rings of [lon, lat]) of a Polygon/MultiPolygon/Feature."""
    if not geometry or not isinstance(geometry, dict):
        return []
    kind = geometry.get("type")
    if kind == "Feature":
        return _polygons(geometry.get("geometry"))
    if kind == "FeatureCollection":
        return [p for f in geometry.get("features") or [] for p in _polygons(f)]
    if kind == "GeometryCollection":
        return [p for g in geometry.get("geometries") or [] for p in _polygons(g)]
    coordinates = geometry.get("coordinates") or []
    if kind == "Polygon":
        return [coordinates]
    if kind == "MultiPolygon":
        return list(coordinates)
    return []


def _on_segment(x: float, y: float, x1: float, y1: float, x2: float, y2: float) -> bool:
    if min(x1, x2) - _EPS > x or x > max(x1, x2) + _EPS:
        return False
    if min(y1, y2) - _EPS > y or y > max(y1, y2) + _EPS:
        return False
    cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1)
    length = math.hypot(x2 - x1, y2 - y1)
    return abs(cross) <= _EPS * max(length, 1e-12)


def _ring_position(x: float, y: float, ring: Sequence[Sequence[float]]) -> int:
    """1 inside, 0 on the ring, -1 outside (even-odd ray casting towards +x)."""
    n = len(ring)
    if n < 3:
        return -1
    inside = False
    j = n - 1
    for i in range(n):
        xi, yi = float(ring[i][0]), float(ring[i][1])
        xj, yj = float(ring[j][0]), float(ring[j][1])
        if _on_segment(x, y, xi, yi, xj, yj):
            return 0
        if (yi > y) != (yj > y):
            x_cross = xi + (y - yi) * (xj - xi) / (yj - yi)
            if x < x_cross:
                inside = not inside
        j = i
    return 1 if inside else -1


def _in_polygon(x: float, y: float, rings: Sequence[Sequence[Sequence[float]]]) -> bool:
    if not rings:
        return False
    if _ring_position(x, y, rings[0]) < 0:
        return False
    # Strictly inside a hole → outside; on a hole's edge → inside (the edge is the polygon's).
    return all(_ring_position(x, y, hole) <= 0 for hole in rings[1:])


def point_in_geometry(lat: Number, lon: Number, geometry: dict[str, Any] | None) -> bool:
    """Whether the point lies in the (Multi)Polygon ``geometry`` (edges included, holes not)."""
    x, y = float(lon), float(lat)
    if not (math.isfinite(x) and math.isfinite(y)):
        return False
    for rings in _polygons(geometry):
        if rings and _in_bbox(y, x, _rings_bbox(rings[:1])) and _in_polygon(x, y, rings):
            return True
    return False


def _rings_bbox(rings: Iterable[Sequence[Sequence[float]]]) -> BBox:
    lats: list[float] = []
    lons: list[float] = []
    for ring in rings:
        for position in ring:
            lons.append(float(position[0]))
            lats.append(float(position[1]))
    if not lats:
        raise ValueError("empty geometry")
    return (min(lats), min(lons), max(lats), max(lons))


def _in_bbox(lat: float, lon: float, bbox: BBox) -> bool:
    return bbox[0] - _EPS <= lat <= bbox[2] + _EPS and bbox[1] - _EPS <= lon <= bbox[3] + _EPS


def geometry_bbox(geometry: dict[str, Any] | None) -> BBox | None:
    """(min_lat, min_lon, max_lat, max_lon) of the exteriors, or None for no geometry."""
    exteriors = [rings[0] for rings in _polygons(geometry) if rings]
    if not exteriors:
        return None
    return _rings_bbox(exteriors)


def validate_geometry(geometry: Any) -> dict[str, Any]:
    """A clean Polygon/MultiPolygon dict, or DomainError ``geometry_invalid`` (Vietnamese)."""

    def bad(reason: str) -> DomainError:
        return DomainError("geometry_invalid", f"Ranh giới không hợp lệ: {reason}.")

    if isinstance(geometry, dict) and geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise bad("cần một Polygon hoặc MultiPolygon GeoJSON")
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise bad("không có toạ độ")
    clean: list[list[list[list[float]]]] = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise bad("đa giác rỗng")
        rings: list[list[list[float]]] = []
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                raise bad("mỗi vòng cần ít nhất 4 điểm (điểm cuối trùng điểm đầu)")
            points: list[list[float]] = []
            for position in ring:
                try:
                    lon, lat = float(position[0]), float(position[1])
                except (TypeError, ValueError, IndexError, KeyError) as exc:
                    raise bad("toạ độ phải là cặp số [kinh độ, vĩ độ]") from exc
                if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                    raise bad("toạ độ ngoài phạm vi kinh độ/vĩ độ")
                points.append([lon, lat])
            if points[0] != points[-1]:
                raise bad("vòng chưa khép kín (điểm cuối phải trùng điểm đầu)")
            rings.append(points)
        clean.append(rings)
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": clean[0]}
    return {"type": "MultiPolygon", "coordinates": clean}


# --- coordinates and boxes --------------------------------------------------------------------


def clean_point(lat: Any, lon: Any) -> tuple[float, float]:
    """(lat, lon) as floats, or DomainError ``location_invalid`` with a Vietnamese message."""
    try:
        la = float(str(lat).strip().replace(",", "."))
        lo = float(str(lon).strip().replace(",", "."))
    except (TypeError, ValueError) as exc:
        raise DomainError(
            "location_invalid", "Toạ độ không hợp lệ: vĩ độ và kinh độ phải là số."
        ) from exc
    if not (math.isfinite(la) and math.isfinite(lo) and -90 <= la <= 90 and -180 <= lo <= 180):
        raise DomainError(
            "location_invalid",
            "Toạ độ không hợp lệ: vĩ độ trong khoảng −90…90, kinh độ trong khoảng −180…180.",
        )
    return la, lo


def parse_bbox(value: str | None) -> BBox | None:
    """``"west,south,east,north"`` (URL order) → ``(min_lat, min_lon, max_lat, max_lon)``.

    None or "" → None; anything malformed → DomainError ``bbox_invalid``.
    """
    if value is None or not str(value).strip():
        return None
    parts = str(value).split(",")
    error = DomainError(
        "bbox_invalid",
        "Tham số bbox không hợp lệ: cần 4 số 'tây,nam,đông,bắc' (kinh độ, vĩ độ, kinh độ, vĩ độ).",
    )
    if len(parts) != 4:
        raise error
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError as exc:
        raise error from exc
    values = (west, south, east, north)
    if not all(math.isfinite(v) for v in values):
        raise error
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise error
    return (south, west, north, east)


def bbox_q(bbox: BBox | None, *, lat_field: str = "lat", lon_field: str = "lon") -> Q:
    """The filter for rows whose point lies in ``bbox`` (an empty Q for None).

    Use it on indexed ``lat``/``lon`` columns (a composite index ``(lat, lon)`` or, better for
    scoping, ``(unit, lat, lon)``).
    """
    if bbox is None:
        return Q()
    min_lat, min_lon, max_lat, max_lon = bbox
    return Q(
        **{
            f"{lat_field}__gte": min_lat,
            f"{lat_field}__lte": max_lat,
            f"{lon_field}__gte": min_lon,
            f"{lon_field}__lte": max_lon,
        }
    )


def map_feature(
    *,
    layer: str,
    id: int | str,  # the GeoJSON property's name
    lat: Number | None,
    lon: Number | None,
    title: str,
    status: str,
    status_label: str,
    category: str = "",
    overdue: bool = False,
    url: str = "",
    **extra: Any,
) -> dict[str, Any]:
    """One GeoJSON Feature of the shared map (point [lon, lat]); ``extra`` adds properties."""
    properties: dict[str, Any] = {
        "layer": layer,
        "id": id,
        "title": title,
        "status": status,
        "status_label": status_label,
        "category": category,
        "overdue": bool(overdue),
        "url": url,
    }
    properties.update(extra)
    if lat is None or lon is None:
        raise ValueError("a map feature needs a point")
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
        "properties": properties,
    }


# --- wards ------------------------------------------------------------------------------------


def grid_clusters(
    qs: Any,
    *,
    layer: str,
    bbox: BBox,
    cells: int = 12,
    lat_field: str = "lat",
    lon_field: str = "lon",
) -> list[dict[str, Any]]:
    """Server-side clustering: the points of ``qs`` (already filtered to ``bbox``) counted per
    cell of a ``cells`` × ``cells`` grid over ``bbox``, one GROUP BY query (no row reaches
    Python). Each cluster is a Feature at the mean point of its cell with properties ``layer``,
    ``cluster: true``, ``count`` and ``bbox`` (the cell, [west, south, east, north]: the client
    zooms to it)."""
    from django.db.models import Avg, Count, F, FloatField, Value
    from django.db.models.functions import Floor, Greatest, Least

    min_lat, min_lon, max_lat, max_lon = (float(v) for v in bbox)
    cells = max(1, int(cells))
    height = max((max_lat - min_lat) / cells, 1e-9)
    width = max((max_lon - min_lon) / cells, 1e-9)
    last = Value(float(cells - 1), output_field=FloatField())
    zero = Value(0.0, output_field=FloatField())

    def cell(field: str, origin: float, size: float) -> Any:
        raw = Floor(
            (F(field) - Value(origin, output_field=FloatField()))
            / Value(size, output_field=FloatField()),
            output_field=FloatField(),
        )
        return Least(Greatest(raw, zero), last)  # the box's far edges fall in the last cell

    rows = (
        qs.order_by()
        .annotate(_cy=cell(lat_field, min_lat, height), _cx=cell(lon_field, min_lon, width))
        .values("_cy", "_cx")
        .annotate(_n=Count("pk"), _lat=Avg(lat_field), _lon=Avg(lon_field))
        .values_list("_cy", "_cx", "_n", "_lat", "_lon")
    )
    out: list[dict[str, Any]] = []
    for cy, cx, n, lat, lon in rows:
        south = min_lat + int(cy) * height
        west = min_lon + int(cx) * width
        out.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
                "properties": {
                    "layer": layer,
                    "cluster": True,
                    "count": int(n),
                    "bbox": [west, south, west + width, south + height],
                },
            }
        )
    out.sort(key=lambda f: -int(f["properties"]["count"]))  # biggest first
    return out


def served_units(on: dt.date | None = None) -> list[AdminUnit]:
    """The served units valid on ``on`` (today by default) that have a boundary."""
    day = on or timezone.localdate()
    return list(
        AdminUnit.objects.valid_on(day)
        .filter(is_served=True, boundary__isnull=False)
        .order_by("code", "pk")
    )


def unit_contains(unit: AdminUnit, lat: Number, lon: Number) -> bool:
    """Whether ``unit``'s boundary contains the point (False when it has no boundary)."""
    return point_in_geometry(lat, lon, unit.boundary)


def unit_at(lat: Number, lon: Number, *, on: dt.date | None = None) -> AdminUnit | None:
    """The served ward (valid on ``on``) whose boundary contains the point, or None.

    On a shared edge the first by statistics code wins (deterministic).
    """
    for unit in served_units(on):
        if unit_contains(unit, lat, lon):
            return unit
    return None


def check_location(lat: Any, lon: Any, unit: AdminUnit | None = None) -> AdminUnit:
    """The ward the point lies in, or DomainError ``location_outside_ward``.

    With ``unit``: the point must lie in that unit's boundary (a unit without a boundary cannot
    be checked and accepts any valid point). Without: in some served ward. Malformed numbers
    raise ``location_invalid``.
    """
    la, lo = clean_point(lat, lon)
    if unit is not None:
        if unit.boundary is None or unit_contains(unit, la, lo):
            return unit
        raise DomainError(
            "location_outside_ward",
            f"Vị trí ({la:.6f}, {lo:.6f}) nằm ngoài địa bàn {unit.name}. "
            "Vui lòng chọn lại điểm trên bản đồ hoặc kiểm tra toạ độ.",
            details={"lat": la, "lon": lo, "unit_id": unit.pk},
        )
    found = unit_at(la, lo)
    if found is None:
        raise DomainError(
            "location_outside_ward",
            f"Vị trí ({la:.6f}, {lo:.6f}) không thuộc địa bàn phường, xã nào dùng hệ thống. "
            "Vui lòng chọn lại điểm trên bản đồ hoặc kiểm tra toạ độ.",
            details={"lat": la, "lon": lo},
        )
    return found


def unit_bbox(unit: AdminUnit) -> BBox:
    """(min_lat, min_lon, max_lat, max_lon) of ``unit``'s boundary.

    DomainError ``unit_without_boundary`` when the unit has none.
    """
    bbox = geometry_bbox(unit.boundary)
    if bbox is None:
        raise DomainError(
            "unit_without_boundary", f"{unit.name} chưa có ranh giới trên bản đồ.", status=404
        )
    return bbox


def boundaries_geojson(unit_ids: Iterable[int]) -> dict[str, Any]:
    """A FeatureCollection of the given units' boundaries (units without one are left out)."""
    ids = list(unit_ids)
    units = (
        AdminUnit.objects.filter(pk__in=ids, boundary__isnull=False).order_by("name")
        if ids
        else AdminUnit.objects.none()
    )
    features = [
        {
            "type": "Feature",
            "id": unit.pk,
            "geometry": unit.boundary,
            "properties": {"id": unit.pk, "name": unit.name, "code": unit.code},
        }
        for unit in units.only("pk", "name", "code", "boundary")
    ]
    return {"type": "FeatureCollection", "features": features}


def unit_set_boundary(*, unit: AdminUnit, geometry: Any, actor: Any = None, note: str = "") -> bool:
    """Set ``unit.boundary`` (validated, audited); False when it was already that geometry."""
    from congso.kernel.audit.services import audit_record

    clean = validate_geometry(geometry) if geometry is not None else None
    with transaction.atomic():
        locked = AdminUnit.objects.select_for_update().get(pk=unit.pk)
        if locked.boundary == clean:
            return False
        locked.boundary = clean
        locked.save(update_fields=["boundary"])
        audit_record(
            action="unit.boundary_set",
            obj=locked,
            actor=actor,
            changes={"boundary": {"bbox": geometry_bbox(clean)}},
            summary=f"Cập nhật ranh giới {locked.name}" + (f" ({note})" if note else ""),
        )
    unit.boundary = clean
    return True
