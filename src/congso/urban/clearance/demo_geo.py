"""Approximate demo boundaries of the two served wards (NOT official survey data).

Hand-drawn polygons around Hồ Tây, Hà Nội, good enough to place demo points and to draw the
offline map; the real boundaries come from the land office (admins replace them in the admin or
with ``congso.urban.geo.unit_set_boundary``). Positions are GeoJSON ``[lon, lat]`` (WGS 84).

- Phường Tây Hồ: the lake itself and its north and east shores — Quảng An, Nhật Tân, Tứ Liên,
  Yên Phụ — up to the Red River dyke.
- Phường Phú Thượng: north-west of the lake, around Phú Thượng and Xuân La, up to the river.

The two share the edge from (21.060, 105.806) to (21.093, 105.822).
"""

from __future__ import annotations

from typing import Any

APPROXIMATE_NOTE = "Ranh giới gần đúng, dữ liệu minh hoạ (không phải số liệu đo đạc chính thức)."

TAY_HO_BOUNDARY: dict[str, Any] = {
    "type": "Polygon",
    "coordinates": [
        [
            [105.812, 21.065],
            [105.815, 21.070],
            [105.815, 21.085],
            [105.822, 21.093],
            [105.835, 21.092],
            [105.848, 21.080],
            [105.855, 21.062],
            [105.852, 21.045],
            [105.843, 21.038],
            [105.830, 21.040],
            [105.815, 21.043],
            [105.806, 21.050],
            [105.806, 21.060],
            [105.812, 21.065],
        ]
    ],
}

PHU_THUONG_BOUNDARY: dict[str, Any] = {
    "type": "Polygon",
    "coordinates": [
        [
            [105.812, 21.065],
            [105.806, 21.060],
            [105.795, 21.062],
            [105.785, 21.075],
            [105.790, 21.095],
            [105.803, 21.105],
            [105.822, 21.093],
            [105.815, 21.085],
            [105.815, 21.070],
            [105.812, 21.065],
        ]
    ],
}

#: Named places inside each ward (lat, lon) for demo points and tests.
TAY_HO_PLACES: dict[str, tuple[float, float]] = {
    "Hồ Tây": (21.0560, 105.8220),
    "Quảng An": (21.0630, 105.8280),
    "Nhật Tân": (21.0780, 105.8260),
    "Tứ Liên": (21.0680, 105.8420),
    "Yên Phụ": (21.0470, 105.8420),
    "Cầu Nhật Tân (chân cầu)": (21.0850, 105.8250),
    "Đường Văn Cao – Hồ Tây": (21.0450, 105.8160),
}
PHU_THUONG_PLACES: dict[str, tuple[float, float]] = {
    "Phú Thượng": (21.0880, 105.8050),
    "Xuân La": (21.0660, 105.8050),
    "Tây Hồ Tây": (21.0750, 105.7950),
    "Vành đai 2 (Võ Chí Công)": (21.0700, 105.8050),
}
#: A point outside both (Ba Đình, south of the lake).
OUTSIDE_POINT: tuple[float, float] = (21.0300, 105.8300)
