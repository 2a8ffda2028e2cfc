"""Admin of site clearance: read-mostly views for administrators (changes go through services
in the staff pages; the admin is for looking things up and fixing typos in names)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from congso.urban.clearance.models import (
    AffectedParty,
    ClearanceEvent,
    ClearanceObstacle,
    ClearanceProject,
)


class PartyInline(admin.TabularInline):
    model = AffectedParty
    extra = 0
    fields = ("code", "name", "kind", "land_type", "area_m2", "step", "paid_amount")
    readonly_fields = ("step", "paid_amount")
    show_change_link = True


@admin.register(ClearanceProject)
class ClearanceProjectAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "unit", "status", "start_date", "target_date", "completed_on")
    list_filter = ("status", "unit")
    search_fields = ("code", "name", "investor", "address")
    date_hierarchy = "start_date"
    readonly_fields = ("code", "status", "completed_on", "created_by", "created_at", "updated_at")
    inlines = [PartyInline]


@admin.register(AffectedParty)
class AffectedPartyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "project", "kind", "step", "area_m2", "paid_amount")
    list_filter = ("step", "kind", "land_type", "forced_inventory", "forced_recovery")
    search_fields = ("code", "name", "project__name", "project__code")
    list_select_related = ("project",)
    readonly_fields = (
        "step",
        "notified_on",
        "inventoried_on",
        "forced_inventory",
        "plan_drafted_on",
        "plan_amount",
        "plan_posted_on",
        "plan_approved_on",
        "approved_amount",
        "decided_on",
        "paid_on",
        "paid_amount",
        "handed_over_on",
        "forced_recovery",
    )


@admin.register(ClearanceObstacle)
class ClearanceObstacleAdmin(admin.ModelAdmin):
    list_display = ("party", "reason", "opened_on", "resolved_on")
    list_filter = ("reason",)
    list_select_related = ("party",)


@admin.register(ClearanceEvent)
class ClearanceEventAdmin(admin.ModelAdmin):
    list_display = ("on", "kind", "project", "party", "actor")
    list_filter = ("kind",)
    list_select_related = ("project", "party", "actor")

    def has_add_permission(
        self, request: HttpRequest
    ) -> bool:  # the timeline is written by services
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
