"""Configuration of field reports: the categories (Open311 services) are edited here, saved and
audited by the service; reports are read-only here (handled on the staff pages and the API)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from congso.kernel.errors import DomainError
from congso.urban.reports.models import FieldReport, ReportCategory
from congso.urban.reports.services import category_save


@admin.register(ReportCategory)
class ReportCategoryAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "code",
        "group",
        "default_department",
        "default_level",
        "allows_anonymous",
        "is_construction",
        "is_active",
        "order",
    )
    list_filter = ("is_active", "allows_anonymous", "default_level", "group")
    search_fields = ("name", "code", "keywords")
    ordering = ("order", "name")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            category_save(category=obj, user=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # reports keep their category; deactivate instead


@admin.register(FieldReport)
class FieldReportAdmin(admin.ModelAdmin):
    list_display = ("tracking_code", "category", "unit", "status", "level", "received_at")
    list_filter = ("status", "level", "category", "unit")
    search_fields = ("tracking_code", "description", "address")
    date_hierarchy = "received_at"
    list_select_related = ("category", "unit")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
