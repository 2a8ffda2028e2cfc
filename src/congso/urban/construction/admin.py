from __future__ import annotations

from django.contrib import admin

from congso.urban.construction.models import CategoryDeadline, Inspection, Violation, Work


@admin.register(CategoryDeadline)
class CategoryDeadlineAdmin(admin.ModelAdmin[CategoryDeadline]):
    """The remedy period per violation category ([M] defaults; administrators adjust them)."""

    list_display = ("category", "days", "day_kind", "note")
    list_editable = ("days", "day_kind")
    ordering = ("category",)


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin[Work]):
    list_display = ("code", "address", "owner_name", "unit", "permit_status", "status")
    list_filter = ("status", "permit_status", "unit")
    search_fields = ("code", "address", "owner_name", "permit_number")
    list_select_related = ("unit",)
    readonly_fields = ("code", "unit", "created_by", "created_at", "updated_at", "source_ref")

    def has_add_permission(self, request: object) -> bool:
        return False  # registered through the register's page (numbering, audit)

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False  # edited through services (audit, search index)


@admin.register(Violation)
class ViolationAdmin(admin.ModelAdmin[Violation]):
    list_display = ("__str__", "work", "status", "record_date", "remedy_deadline", "fine_amount")
    list_filter = ("status", "category", "unit")
    list_select_related = ("work",)
    search_fields = ("work__address", "work__code", "sanction_number")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin[Inspection]):
    list_display = ("work", "status", "inspected_on", "inspector", "result")
    list_filter = ("status", "result", "unit")
    list_select_related = ("work", "inspector")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
