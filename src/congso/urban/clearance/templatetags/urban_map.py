"""Template helpers of the shared map widget (``urban/_map.html``, ``urban/_location_picker.html``).

Tiles: the setting ``MAP_TILE_URL`` (default "" = no tiles: the map draws the ward boundaries on
a plain background and fetches nothing from outside) and ``MAP_TILE_ATTRIBUTION``.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

register = template.Library()

#: Centre of the demo area (Hồ Tây) when there is no boundary to fit.
DEFAULT_CENTER = (21.06, 105.82)


def tile_url() -> str:
    return str(getattr(settings, "MAP_TILE_URL", "") or "")


@register.simple_tag
def urban_map_options(**kwargs: Any) -> dict[str, Any]:
    """The JSON options the map script reads (rendered with ``json_script``)."""
    url = tile_url()
    options: dict[str, Any] = {
        "tileUrl": url,
        "tileAttribution": str(getattr(settings, "MAP_TILE_ATTRIBUTION", "") or ""),
        "offlineNotice": "Không tải bản đồ nền (ngoại tuyến): chỉ vẽ ranh giới phường và các điểm.",
        "center": list(DEFAULT_CENTER),
        "zoom": 13,
    }
    for key, value in kwargs.items():
        if value not in (None, ""):
            options[key] = value
    return options


@register.simple_tag
def map_tiles_enabled() -> bool:
    return bool(tile_url())
