"""Sequences are shown to administrators read-only: numbers are taken only by services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from congso.kernel.numbering.models import Sequence


@admin.register(Sequence)
class SequenceAdmin(admin.ModelAdmin[Sequence]):
    list_display = ["scope", "series", "year", "last", "updated_at"]
    list_filter = ["year"]
    search_fields = ["scope", "series"]
    ordering = ["scope", "series", "-year"]
    readonly_fields = ["scope", "series", "year", "last", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
