"""Stored files, read-only for administrators: metadata only; the bytes are reached through
the permission-checked download view."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from congso.kernel.files.models import StoredFile


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin[StoredFile]):
    list_display = ["original_name", "kind", "size", "unit", "uploaded_by", "created_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["original_name", "sha256", "=public_id"]
    list_select_related = ["unit", "uploaded_by"]
    readonly_fields = [
        "public_id",
        "original_name",
        "kind",
        "content_type",
        "size",
        "sha256",
        "storage_name",
        "unit",
        "uploaded_by",
        "owner_type",
        "owner_id",
        "created_at",
        "download",
    ]

    @admin.display(description="tải về")
    def download(self, obj: StoredFile) -> str:
        url = reverse("files:download", args=[obj.public_id])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deleting goes through file_delete (audited)
