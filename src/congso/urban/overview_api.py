"""/api/v1/urban: the shared map layers and the per-ward dashboard figures.

- ``GET /api/v1/urban/map?bbox=west,south,east,north&layers=report,work,project&status=&category=
  &overdue=1&limit=2000`` → a GeoJSON FeatureCollection of the points the caller may see, from
  each app's ``selectors.map_features``; ``truncated`` tells that a layer hit ``limit``.
- ``GET /api/v1/urban/boundaries`` → the caller's wards' boundaries (FeatureCollection).
- ``GET /api/v1/urban/dashboard?unit=&start=yyyy-mm-dd&end=yyyy-mm-dd`` → per ward (and in total)
  the construction, clearance and report figures of each app's ``selectors.dashboard_figures``.

A layer whose app is not installed (or has no selectors yet) is skipped and listed in
``layers_missing``.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import inspect
import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Max, Min
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from congso.kernel.errors import DomainError, NotFound, PermissionDenied
from congso.kernel.orgunits.models import AdminUnit, AdminUnitLevel
from congso.kernel.people.rules import is_staff_member
from congso.kernel.people.selectors import visible_unit_ids
from congso.urban import geo

router = Router(tags=["urban: map and dashboard"])
logger = logging.getLogger(__name__)

#: layer → the module whose ``map_features`` draws it.
LAYERS: dict[str, str] = {
    "report": "congso.urban.reports.selectors",
    "work": "congso.urban.construction.selectors",
    "project": "congso.urban.clearance.selectors",
}
LAYER_LABELS = {
    "report": "Phản ánh hiện trường",
    "work": "Công trình xây dựng",
    "project": "Dự án GPMB",
}
#: dashboard section → the module whose ``dashboard_figures`` fills it.
SECTIONS: dict[str, str] = {
    "construction": "congso.urban.construction.selectors",
    "clearance": "congso.urban.clearance.selectors",
    "reports": "congso.urban.reports.selectors",
}
MAX_LIMIT = 5000


def _function(module: str, name: str) -> Callable[..., Any] | None:
    """``module.name`` if the module and the function exist (the app may not be there yet)."""
    try:
        loaded = importlib.import_module(module)
    except ImportError:
        return None
    func = getattr(loaded, name, None)
    return func if callable(func) else None


def _number(value: Any) -> float:
    return float(value) if isinstance(value, Decimal | str) else value


def _normalise(feature: dict[str, Any]) -> dict[str, Any]:
    """Coordinates as numbers (some selectors give Decimals)."""
    geometry = feature.get("geometry") or {}
    coordinates = geometry.get("coordinates")
    if coordinates and len(coordinates) == 2:
        geometry["coordinates"] = [_number(coordinates[0]), _number(coordinates[1])]
    return feature


def _staff_units(request: HttpRequest) -> set[int]:
    if not is_staff_member(request.user):
        raise PermissionDenied("Bản đồ và số liệu đô thị dành cho cán bộ.")
    units = visible_unit_ids(request.user)
    if not units:
        raise PermissionDenied("Bạn chưa được giao vị trí công tác ở đơn vị nào.")
    return units


def parse_layers(value: str) -> list[str]:
    wanted = [v.strip() for v in (value or "").split(",") if v.strip()]
    if wanted == ["none"]:  # every layer switched off
        return []
    if not wanted:
        return list(LAYERS)
    unknown = [v for v in wanted if v not in LAYERS]
    if unknown:
        raise DomainError(
            "layers_invalid",
            "Lớp bản đồ không hợp lệ: " + ", ".join(unknown) + ". Dùng: report, work, project.",
        )
    return list(dict.fromkeys(wanted))


def cluster_threshold() -> int:
    """``URBAN_MAP_CLUSTER_THRESHOLD`` (default 400): above this many points of a layer in the
    box, the layer comes as grid clusters (counts) instead of points."""
    return max(1, int(getattr(settings, "URBAN_MAP_CLUSTER_THRESHOLD", 400) or 400))


def cluster_cells() -> int:
    """``URBAN_MAP_CLUSTER_CELLS`` (default 12): the clustering grid is cells × cells."""
    return max(1, min(64, int(getattr(settings, "URBAN_MAP_CLUSTER_CELLS", 12) or 12)))


@functools.cache
def _accepts_unit_ids(func: Callable[..., Any]) -> bool:
    return "unit_ids" in inspect.signature(func).parameters


def _units_bbox(unit_ids: set[int]) -> geo.BBox | None:
    """The box around the boundaries of ``unit_ids`` (None when none has a boundary)."""
    boxes = [
        box
        for box in (
            geo.geometry_bbox(b)
            for b in AdminUnit.objects.filter(pk__in=unit_ids, boundary__isnull=False).values_list(
                "boundary", flat=True
            )
        )
        if box is not None
    ]
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _cluster_box(qs: Any, bbox: geo.BBox | None, unit_ids: set[int]) -> geo.BBox | None:
    if bbox is not None:
        return bbox
    box = _units_bbox(unit_ids)
    if box is not None:
        return box
    agg = qs.aggregate(a=Min("lat"), b=Min("lon"), c=Max("lat"), d=Max("lon"))
    if agg["a"] is None:
        return None
    return (float(agg["a"]), float(agg["b"]), float(agg["c"]), float(agg["d"]))


def map_collection(
    user: Any,
    *,
    bbox: geo.BBox | None,
    layers: list[str],
    filters: dict[str, str],
    limit: int,
    unit_ids: set[int] | None = None,
    cluster: bool = True,
) -> dict[str, Any]:
    """The FeatureCollection of the map endpoint (also used by the benchmark).

    With ``cluster`` (the default), a layer with more than :func:`cluster_threshold` points
    in the box comes as grid clusters: features with ``cluster: true``,
    ``count`` and the cell's ``bbox``; ``clustered`` lists those layers and ``counts`` gives
    their exact totals. Below the threshold, the exact points. ``unit_ids``: the caller's
    ``visible_unit_ids`` (looked up once per request and handed to the layers)."""
    if unit_ids is None:
        unit_ids = visible_unit_ids(user)
    status = filters.get("status", "")
    if ":" in status:  # "report:submitted": that layer's status, that layer only
        layer, _sep, value = status.partition(":")
        layers = [layer] if layer in layers else []
        filters = {**filters, "status": value}
    features: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    missing: list[str] = []
    failed: list[str] = []
    clustered: list[str] = []
    truncated = False
    threshold = cluster_threshold()
    for layer in layers:
        func = _function(LAYERS[layer], "map_features")
        if func is None:
            missing.append(layer)
            continue
        extra: dict[str, Any] = {"unit_ids": unit_ids} if _accepts_unit_ids(func) else {}
        try:
            queryset = _function(LAYERS[layer], "map_queryset") if cluster else None
            if queryset is not None:
                qs = queryset(user=user, bbox=bbox, filters=filters, unit_ids=unit_ids)
                if qs is None:
                    counts[layer] = 0
                    continue
                if qs.values("pk")[: threshold + 1].count() > threshold:
                    box = _cluster_box(qs, bbox, unit_ids)
                    if box is not None:
                        cells = geo.grid_clusters(qs, layer=layer, bbox=box, cells=cluster_cells())
                        counts[layer] = sum(int(c["properties"]["count"]) for c in cells)
                        clustered.append(layer)
                        features.extend(cells)
                        continue
            rows = func(user=user, bbox=bbox, filters=filters, limit=limit + 1, **extra)
        except Exception:  # one broken layer must not take the whole map down
            logger.exception("map layer %s failed", layer)
            failed.append(layer)
            continue
        if len(rows) > limit:
            truncated = True
            rows = rows[:limit]
        counts[layer] = len(rows)
        features.extend(_normalise(f) for f in rows)
    return {
        "type": "FeatureCollection",
        "features": features,
        "counts": counts,
        "truncated": truncated,
        "clustered": clustered,
        "layers_missing": missing,
        "layers_failed": failed,
    }


class MapParams(Schema):
    bbox: str = ""
    layers: str = ""
    status: str = ""
    category: str = ""
    overdue: str = ""
    unit: str = ""
    limit: int = 2000
    cluster: str = "auto"


@router.get(
    "/map", response=dict[str, Any], summary="Điểm trên bản đồ (GeoJSON)", url_name="urban_map"
)
def map_points(request: HttpRequest, params: Query[MapParams]) -> dict[str, Any]:
    units = _staff_units(request)
    bbox = geo.parse_bbox(params.bbox)
    layers = parse_layers(params.layers)
    if not 1 <= params.limit <= MAX_LIMIT:
        raise DomainError("limit_invalid", f"limit phải từ 1 đến {MAX_LIMIT}.")
    filters = {
        k: v
        for k, v in (
            ("status", params.status),
            ("category", params.category),
            ("overdue", params.overdue),
            ("unit", params.unit),
        )
        if v
    }
    if params.cluster not in ("auto", "off"):
        raise DomainError("cluster_invalid", "cluster phải là auto hoặc off.")
    return map_collection(
        request.user,
        bbox=bbox,
        layers=layers,
        filters=filters,
        limit=params.limit,
        unit_ids=units,
        cluster=params.cluster == "auto",
    )


@router.get("/boundaries", response=dict[str, Any], summary="Ranh giới các phường (GeoJSON)")
def boundaries(request: HttpRequest) -> dict[str, Any]:
    return geo.boundaries_geojson(_staff_units(request))


# --- dashboard ------------------------------------------------------------------------------------


def dashboard_wards(unit_ids: set[int]) -> list[AdminUnit]:
    """The wards/communes among ``unit_ids`` (the dashboard is per ward)."""
    return list(
        AdminUnit.objects.filter(
            pk__in=unit_ids,
            is_served=True,
            level__in=[AdminUnitLevel.WARD, AdminUnitLevel.COMMUNE, AdminUnitLevel.SPECIAL_ZONE],
        ).order_by("name")
    )


def figures(unit_ids: set[int], start: dt.date, end: dt.date) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for section, module in SECTIONS.items():
        func = _function(module, "dashboard_figures")
        out[section] = func(unit_ids=set(unit_ids), start=start, end=end) if func else None
    return out


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return dt.date(today.year, 1, 1), today


def dashboard(
    user_units: set[int], *, unit_id: int | None, start: dt.date, end: dt.date
) -> dict[str, Any]:
    wards = dashboard_wards(user_units)
    if unit_id is not None:
        wards = [w for w in wards if w.pk == unit_id]
        if not wards:
            raise NotFound("Không tìm thấy đơn vị.")
    rows = [
        {"unit": {"id": w.pk, "name": w.name}, "figures": figures({w.pk}, start, end)}
        for w in wards
    ]
    total = figures({w.pk for w in wards}, start, end) if len(wards) > 1 else None
    return {"start": start, "end": end, "wards": rows, "total": total}


class DashboardParams(Schema):
    unit: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None


@router.get("/dashboard", response=dict[str, Any], summary="Số liệu đô thị theo phường")
def dashboard_endpoint(request: HttpRequest, params: Query[DashboardParams]) -> dict[str, Any]:
    units = _staff_units(request)
    start, end = default_period()
    start = params.start or start
    end = params.end or end
    if end < start:
        raise DomainError("period_invalid", "Ngày kết thúc phải sau ngày bắt đầu.")
    if (end - start).days > 366 * 20:
        raise DomainError("period_invalid", "Kỳ báo cáo dài quá 20 năm.")
    return dashboard(units, unit_id=params.unit, start=start, end=end)


__all__ = ["LAYER_LABELS", "dashboard", "map_collection", "router"]
