"""Signing credentials for administrators: read-only facts; registering goes through
``manage.py signing_credential_import`` (docs/signing.md), switching off through the action."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from congso.kernel.signing.models import SigningCredential
from congso.kernel.signing.services import credential_deactivate


@admin.register(SigningCredential)
class SigningCredentialAdmin(admin.ModelAdmin[SigningCredential]):
    list_display = ["label", "kind", "user", "unit", "not_after", "is_test", "is_active"]
    list_filter = ["kind", "is_test", "is_active"]
    search_fields = ["label", "subject", "issuer", "fingerprint_sha256"]
    list_select_related = ["user", "unit"]
    actions = ["deactivate"]
    readonly_fields = [
        "label",
        "kind",
        "user",
        "unit",
        "subject",
        "issuer",
        "serial",
        "fingerprint_sha256",
        "not_before",
        "not_after",
        "pkcs11_module",
        "pkcs11_token_label",
        "pkcs11_key_label",
        "pkcs11_cert_label",
        "image",
        "is_test",
        "is_active",
        "created_by",
        "created_at",
    ]

    @admin.action(description="Ngừng dùng các chứng thư đã chọn")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[SigningCredential]) -> None:
        count = 0
        for credential in queryset.filter(is_active=True):
            credential_deactivate(credential=credential, actor=request.user)
            count += 1
        messages.success(request, f"Đã ngừng dùng {count} chứng thư.")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
