"""The map of reports, works and projects (/do-thi/ban-do/) and the per-ward dashboard
(/do-thi/). Both read through ``congso.urban.overview_api`` (the same code as the API)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from congso.kernel.errors import DomainError
from congso.kernel.people.rules import is_staff_member
from congso.kernel.people.selectors import visible_unit_ids
from congso.urban import geo, overview_api


def _units(request: HttpRequest) -> set[int]:
    units = visible_unit_ids(request.user) if is_staff_member(request.user) else set()
    if not units:
        raise DjangoPermissionDenied("Trang này dành cho cán bộ phường.")
    return units


def _choices(module: str, name: str) -> list[tuple[str, str]]:
    """Status/category choices of a layer's app, when it has them."""
    import importlib

    try:
        models = importlib.import_module(module)
    except ImportError:
        return []
    enum = getattr(models, name, None)
    return [(str(v), str(label)) for v, label in getattr(enum, "choices", [])]


@require_GET
@login_required
def map_page(request: HttpRequest) -> HttpResponse:
    units = _units(request)
    wards = overview_api.dashboard_wards(units)
    layers = [v for v in request.GET.get("layers", "").split(",") if v in overview_api.LAYERS]
    statuses = {
        "report": _choices("congso.urban.reports.models", "ReportStatus"),
        "work": _choices("congso.urban.construction.models", "WorkStatus"),
        "project": _choices("congso.urban.clearance.models", "ProjectStatus"),
    }
    categories: list[tuple[str, str]] = []
    try:
        from congso.urban.reports.models import ReportCategory

        categories = [
            (str(code), str(name))
            for code, name in ReportCategory.objects.order_by("name").values_list("code", "name")
        ]
    except (ImportError, AttributeError):
        categories = []
    return render(
        request,
        "urban/map.html",
        {
            "map_boundaries": geo.boundaries_geojson([w.pk for w in wards] or units),
            "map_features_url": reverse("api:urban_map"),
            "layers": [
                (key, overview_api.LAYER_LABELS[key], not layers or key in layers)
                for key in overview_api.LAYERS
            ],
            "statuses": statuses,
            "categories": categories,
            "query": request.GET,
        },
    )


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


@require_GET
@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    units = _units(request)
    default_start, default_end = overview_api.default_period()
    start = _date(request.GET.get("start")) or default_start
    end = _date(request.GET.get("end")) or default_end
    error = ""
    if end < start:
        error = "Ngày kết thúc phải sau ngày bắt đầu; đang hiện kỳ mặc định."
        start, end = default_start, default_end
    unit_id: int | None = None
    try:
        unit_id = int(request.GET.get("unit", "")) if request.GET.get("unit") else None
    except ValueError:
        unit_id = None
    wards = overview_api.dashboard_wards(units)
    if unit_id is None and len(wards) >= 1:
        position = getattr(request, "position", None)
        mine = [w for w in wards if position is not None and w.pk == position.unit_id]
        unit_id = mine[0].pk if mine else wards[0].pk
    data: dict[str, Any] = {"wards": [], "total": None}
    if wards:
        try:
            data = overview_api.dashboard(units, unit_id=unit_id, start=start, end=end)
        except DomainError:
            data = overview_api.dashboard(units, unit_id=None, start=start, end=end)
            unit_id = None
    return render(
        request,
        "urban/dashboard.html",
        {
            "wards": wards,
            "unit_id": unit_id,
            "start": start,
            "end": end,
            "data": data,
            "row": data["wards"][0] if data["wards"] else None,
            "error": error,
        },
    )
