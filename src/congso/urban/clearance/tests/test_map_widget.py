"""The map widget and location picker includes: local Leaflet only, no tiles by default."""

from __future__ import annotations

import json
import re

from django.template.loader import render_to_string
from django.test import override_settings

from congso.urban.clearance.demo_geo import TAY_HO_BOUNDARY

BOUNDARIES = {
    "type": "FeatureCollection",
    "features": [{"type": "Feature", "geometry": TAY_HO_BOUNDARY, "properties": {"name": "<b>"}}],
}


def _options(html: str, element_id: str) -> dict[str, object]:
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html)
    assert match, html
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def test_map_include_without_tiles() -> None:
    html = render_to_string(
        "urban/_map.html",
        {"map_id": "m1", "map_boundaries": BOUNDARIES, "map_features_url": "/api/v1/urban/map"},
    )
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "/static/urban/map.js" in html
    assert "Không tải bản đồ nền" in html
    assert "http://" not in html and "https://" not in html
    options = _options(html, "m1-options")
    assert options["tileUrl"] == ""
    assert options["featuresUrl"] == "/api/v1/urban/map"
    assert "<b>" not in html  # the ward name travels escaped inside the JSON


@override_settings(
    MAP_TILE_URL="https://tiles.example.org/{z}/{x}/{y}.png", MAP_TILE_ATTRIBUTION="© Ví dụ"
)
def test_map_include_with_tiles() -> None:
    html = render_to_string("urban/_map.html", {"map_id": "m2"})
    options = _options(html, "m2-options")
    assert options["tileUrl"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert options["tileAttribution"] == "© Ví dụ"
    assert "Không tải bản đồ nền" not in html


def test_location_picker_works_without_js() -> None:
    html = render_to_string(
        "urban/_location_picker.html",
        {
            "picker_lat": "21.06",
            "picker_lon": "105.82",
            "picker_required": True,
            "picker_errors": ["Vị trí nằm ngoài địa bàn."],
        },
    )
    assert re.search(r'<input type="text"[^>]*name="lat"[^>]*value="21.06"[^>]*required', html)
    assert re.search(r'<input type="text"[^>]*name="lon"[^>]*value="105.82"', html)
    assert "Vị trí nằm ngoài địa bàn." in html
    assert _options(html, "location-picker-options")["picker"] is True
