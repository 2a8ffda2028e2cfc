from __future__ import annotations

from django.apps import AppConfig


class ProceduresStatsConfig(AppConfig):
    name = "congso.procedures.stats"
    label = "procedures_stats"
    verbose_name = "Thống kê một cửa"

    def ready(self) -> None:
        from congso.procedures.stats.views import register_stats_ui

        register_stats_ui()
        # The public menu belongs to congso.procedures (P1 calls it from ready() too); calling it
        # twice only replaces the same entries.
        from congso.procedures.public_views import register_public_ui

        register_public_ui()
