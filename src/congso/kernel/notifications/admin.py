"""Notifications in the admin: for support (who was told what, was it e-mailed)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from congso.kernel.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "level", "kind", "created_at", "read_at", "emailed_at")
    list_filter = ("level", "kind")
    search_fields = ("title", "recipient__username", "recipient__full_name")
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient",)
    readonly_fields = ("created_at", "read_at", "emailed_at")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # notifications are sent by the modules, through notify()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
