from __future__ import annotations

from django.apps import AppConfig


class UrbanConstructionConfig(AppConfig):
    name = "congso.urban.construction"
    label = "urban_construction"
    verbose_name = "Trật tự xây dựng"
