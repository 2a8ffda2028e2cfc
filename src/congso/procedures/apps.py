from __future__ import annotations

from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "congso.procedures"
    label = "procedures"
    verbose_name = "Thủ tục hành chính (một cửa)"
