from __future__ import annotations

from django.apps import AppConfig


class UrbanReportsConfig(AppConfig):
    name = "congso.urban.reports"
    label = "urban_reports"
    verbose_name = "Phản ánh hiện trường"
