"""Read-only admin for the audit log (the viewer at /nhat-ky/ is the main screen)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from congso.kernel.audit.models import AuditEvent
from congso.kernel.audit.rules import can_view_audit


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("seq", "time", "actor_name", "ip", "action", "object_repr", "unit")
    list_filter = ("action",)
    search_fields = ("actor_name", "action", "object_repr", "summary")
    list_select_related = ("unit",)
    date_hierarchy = "time"
    ordering = ("-seq",)
    show_full_result_count = False
    actions = None
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_view_audit(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_view_audit(request.user)
