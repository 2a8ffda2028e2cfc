"""Configuration screens of the documents domain: the directory of organisations and the document
types (edited here, saved and audited by the services), incoming documents read-only (they are
registered and handled through the staff pages and the API, never edited here).

Each area appends its own admin classes below its heading.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from congso.documents.models import (
    DocumentType,
    IncomingDocument,
    Organisation,
    OutgoingSettings,
)
from congso.documents.services.incoming import directory_save
from congso.kernel.errors import DomainError


class _DirectoryAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            directory_save(obj=obj, user=request.user)
        except DomainError as exc:  # shown instead of a 500; the form's own checks come first
            messages.error(request, exc.message)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # referenced by registered documents: deactivate instead


@admin.register(Organisation)
class OrganisationAdmin(_DirectoryAdmin):
    list_display = ("name", "org_code", "abbreviation", "unit", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "org_code", "abbreviation")
    autocomplete_fields = ("unit",)
    fields = ("name", "org_code", "abbreviation", "unit", "is_active")


@admin.register(DocumentType)
class DocumentTypeAdmin(_DirectoryAdmin):
    list_display = ("order", "name", "abbreviation", "is_letter", "is_active")
    list_display_links = ("name",)
    list_filter = ("is_active", "is_letter")
    search_fields = ("name", "abbreviation")
    ordering = ("order", "name")
    fields = ("name", "abbreviation", "is_letter", "order", "is_active")


# --- incoming documents ----------------------------------------------------------------------


@admin.register(IncomingDocument)
class IncomingDocumentAdmin(admin.ModelAdmin):
    """Read-only: for administrators looking something up (secret ones excluded)."""

    list_display = (
        "arrival_year",
        "arrival_number",
        "arrival_series",
        "unit",
        "sender_name",
        "notation",
        "status",
        "digitization_status",
    )
    list_filter = ("arrival_year", "status", "digitization_status", "urgency", "channel")
    search_fields = ("subject", "notation", "sender_name")
    list_select_related = ("unit",)
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[IncomingDocument]:
        from congso.documents.selectors import incoming_visible

        return incoming_visible(request.user).select_related("unit", "document_type")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in IncomingDocument._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- outgoing documents ----------------------------------------------------------------------


@admin.register(OutgoingSettings)
class OutgoingSettingsAdmin(admin.ModelAdmin):
    """A committee's numbering scheme and the spot of the number line (saved and audited by
    ``services.outgoing.outgoing_settings_save``)."""

    list_display = ("unit", "numbering", "location")
    autocomplete_fields = ("unit",)
    fields = ("unit", "numbering", "number_line_left_mm", "number_line_top_mm", "location")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        from congso.documents.services.outgoing import outgoing_settings_save

        try:
            outgoing_settings_save(obj=obj, user=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
