from __future__ import annotations

from django.apps import AppConfig


class UrbanClearanceConfig(AppConfig):
    name = "congso.urban.clearance"
    label = "urban_clearance"
    verbose_name = "Giải phóng mặt bằng"
