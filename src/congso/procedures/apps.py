from __future__ import annotations

import importlib.util
import logging
from typing import Any

from django.apps import AppConfig

logger = logging.getLogger(__name__)


def _can_read_dossier_file(user: Any, owner: Any) -> bool:
    from congso.procedures.rules import can_read_dossier_file

    return can_read_dossier_file(user, owner)


def _optional(module: str, function: str) -> None:
    """Call ``module.function()`` when that module exists (parts written by other helpers)."""
    if importlib.util.find_spec(module) is None:
        return
    getattr(importlib.import_module(module), function)()


class ProceduresConfig(AppConfig):
    name = "congso.procedures"
    label = "procedures"
    verbose_name = "Thủ tục hành chính (một cửa)"

    def ready(self) -> None:
        from congso.kernel.files.rules import register_access_rule
        from congso.procedures.models import Dossier, DossierAttachment

        register_access_rule(Dossier, _can_read_dossier_file)
        register_access_rule(DossierAttachment, _can_read_dossier_file)
        # Dossiers in the search index (kernel/search).
        _optional("congso.procedures.search", "register_search_sources")
        # Menu entries and home-page work items (the officers' UI).
        _optional("congso.procedures.ui", "register_ui")
        # The public portal's menu entries (the citizens' side).
        _optional("congso.procedures.public_views", "register_public_ui")
