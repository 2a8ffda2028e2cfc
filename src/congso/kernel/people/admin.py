"""Administration screens for accounts, positions, delegations and API tokens.

Every save goes through ``services.py`` (validation and the audit event); rules broken in a form
come back as Vietnamese form errors, not as a server error.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from congso.kernel.errors import DomainError
from congso.kernel.people import services
from congso.kernel.people.models import ApiToken, Delegation, Position, User

POSITION_EDITABLE = ("role", "department", "title", "valid_from", "valid_to", "is_primary")


class PositionForm(forms.ModelForm):
    class Meta:
        model = Position
        fields = [
            "user",
            "unit",
            "department",
            "role",
            "title",
            "valid_from",
            "valid_to",
            "is_primary",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is not None and {"user", "unit"} & set(self.changed_data):
            raise forms.ValidationError(
                "Không đổi người hoặc đơn vị của một vị trí: hãy kết thúc vị trí cũ và giao "
                "vị trí mới.",
                code="position_move",
            )
        user = data.get("user") or getattr(self.instance, "user", None)
        unit = data.get("unit") or getattr(self.instance, "unit", None)
        role = data.get("role")
        if user is None or unit is None or not role:
            return data
        try:
            services.position_check(
                user=user,
                unit=unit,
                role=role,
                department=data.get("department"),
                valid_from=data.get("valid_from"),
                valid_to=data.get("valid_to"),
                exclude_pk=self.instance.pk,
            )
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc
        return data


def _save_position(form: forms.ModelForm, actor: Any, user: User | None = None) -> Position:
    """Create or change a position from an admin form, through the services."""
    data = form.cleaned_data
    instance: Position = form.instance
    if instance.pk is None:
        return services.position_assign(
            user=user or data["user"],
            unit=data["unit"],
            role=data["role"],
            department=data.get("department"),
            title=data.get("title") or "",
            valid_from=data.get("valid_from"),
            valid_to=data.get("valid_to"),
            is_primary=bool(data.get("is_primary")),
            actor=actor,
        )
    fresh = Position.objects.select_related("user", "unit").get(pk=instance.pk)
    changes = {name: data[name] for name in POSITION_EDITABLE if name in form.changed_data}
    return services.position_update(position=fresh, actor=actor, **changes)


class PositionInline(admin.TabularInline):
    model = Position
    form = PositionForm
    fields = ["unit", "department", "role", "title", "valid_from", "valid_to", "is_primary"]
    raw_id_fields = ["unit", "department"]
    extra = 0
    verbose_name = "vị trí công tác"
    verbose_name_plural = "vị trí công tác"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "kind", "clearance", "is_active", "is_staff"]
    list_filter = ["kind", "clearance", "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "full_name", "email", "phone"]
    ordering = ["username"]
    inlines = [PositionInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Thông tin cá nhân", {"fields": ("full_name", "email", "phone", "kind")}),
        ("Bảo mật", {"fields": ("clearance", "is_active", "is_staff", "is_superuser")}),
        (
            "Nhóm và quyền chi tiết",
            {"classes": ("collapse",), "fields": ("groups", "user_permissions")},
        ),
        ("Thời điểm", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "kind",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]
    actions = ["reset_second_factor"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        changes = {
            name: [form.initial.get(name) if change else None, form.cleaned_data.get(name)]
            for name in form.changed_data
        }
        services.user_record_change(
            user=obj,
            changes=changes,
            created=not change,
            actor=request.user,  # type: ignore[arg-type]
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Position:
            super().save_formset(request, form, formset, change)
            return
        # Django's change message reads these three lists.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            instance = inline_form.instance
            if formset.can_delete and formset._should_delete_form(inline_form):
                if instance.pk is not None:
                    services.position_delete(position=instance, actor=request.user)  # type: ignore[arg-type]
                    formset.deleted_objects.append(instance)
                continue
            if not inline_form.has_changed():
                continue
            created = instance.pk is None
            saved = _save_position(inline_form, request.user, user=form.instance)
            if created:
                formset.new_objects.append(saved)
            else:
                formset.changed_objects.append((saved, inline_form.changed_data))

    @admin.action(description="Đặt lại xác thực hai lớp (mất điện thoại)")
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.totp_device_reset(user=user, actor=request.user)  # type: ignore[arg-type]
        self.message_user(
            request,
            f"Đã đặt lại xác thực hai lớp cho {queryset.count()} tài khoản; "
            "họ sẽ cài đặt lại ở lần đăng nhập tới.",
            messages.SUCCESS,
        )


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    form = PositionForm
    list_display = [
        "user",
        "role",
        "title",
        "unit",
        "department",
        "valid_from",
        "valid_to",
        "is_primary",
    ]
    list_filter = ["role", "is_primary"]
    search_fields = ["user__username", "user__full_name", "unit__name", "title"]
    list_select_related = ["user", "unit", "department"]
    raw_id_fields = ["user", "unit", "department"]
    date_hierarchy = "valid_from"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["user", "unit"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = _save_position(form, request.user)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.position_delete(position=obj, actor=request.user)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Position]) -> None:
        for position in queryset:
            services.position_delete(position=position, actor=request.user)  # type: ignore[arg-type]


class DelegationForm(forms.ModelForm):
    class Meta:
        model = Delegation
        fields = ["principal", "delegate", "unit", "kind", "start", "end", "note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needed = ("principal", "delegate", "unit", "kind", "start", "end")
        if self.instance.pk is None and all(data.get(name) for name in needed):
            try:
                services.delegation_check(**{name: data[name] for name in needed})
            except DomainError as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from exc
        return data


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    form = DelegationForm
    list_display = ["principal", "delegate", "kind", "unit", "start", "end", "revoked_at"]
    list_filter = ["kind"]
    search_fields = ["principal__full_name", "delegate__full_name", "note"]
    list_select_related = ["principal", "delegate", "unit"]
    raw_id_fields = ["principal", "delegate", "unit"]
    actions = ["revoke"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A delegation is a record: it is revoked, never rewritten.
        if obj is not None:
            return ["principal", "delegate", "unit", "kind", "start", "end", "note", "revoked_at"]
        return ["revoked_at"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            return
        data = form.cleaned_data
        saved = services.delegation_grant(
            principal=data["principal"],
            delegate=data["delegate"],
            unit=data["unit"],
            kind=data["kind"],
            start=data["start"],
            end=data["end"],
            note=data.get("note") or "",
            actor=request.user,  # type: ignore[arg-type]
        )
        obj.pk = saved.pk

    @admin.action(description="Thu hồi giao quyền, ủy quyền đã chọn")
    def revoke(self, request: HttpRequest, queryset: QuerySet[Delegation]) -> None:
        done = 0
        for delegation in queryset.filter(revoked_at__isnull=True):
            services.delegation_revoke(delegation=delegation, actor=request.user)  # type: ignore[arg-type]
            done += 1
        self.message_user(request, f"Đã thu hồi {done} giao quyền, ủy quyền.", messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made by their owner (Tài khoản → Khóa API) or by ``manage.py api_token``; here
    they can only be seen and revoked. The hash is shown, never a key."""

    list_display = [
        "prefix",
        "user",
        "name",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "name", "user__username", "user__full_name"]
    list_select_related = ["user"]
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "key_hash",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Thu hồi các khóa API đã chọn", permissions=["view"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        done = 0
        for token in queryset.filter(revoked_at__isnull=True):
            services.api_token_revoke(token=token, actor=request.user)  # type: ignore[arg-type]
            done += 1
        self.message_user(request, f"Đã thu hồi {done} khóa API.", messages.SUCCESS)
