"""Configuration screens: units (committee fields), departments, successions, imports.

Units come from imports (``import_units``) and the demo, not from this screen: their code,
dataset and level are read-only here. Edits go through the services, which audit them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from congso.kernel.orgunits import services
from congso.kernel.orgunits.models import AdminUnit, DatasetImport, Department, UnitSuccession
from congso.kernel.orgunits.selectors import descendant_ids

UNIT_EDITABLE = (
    "name",
    "committee_name",
    "org_code",
    "abbreviation",
    "is_served",
    "parent",
    "valid_from",
    "valid_to",
)


class ValidTodayFilter(admin.SimpleListFilter):
    title = "hiệu lực"
    parameter_name = "valid"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("now", "Đang có hiệu lực"),
            ("ended", "Đã hết hiệu lực"),
            ("future", "Chưa có hiệu lực"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        today: dt.date = timezone.localdate()
        if self.value() == "now":
            return queryset.filter(
                Q(valid_from__isnull=True) | Q(valid_from__lte=today),
                Q(valid_to__isnull=True) | Q(valid_to__gte=today),
            )
        if self.value() == "ended":
            return queryset.filter(valid_to__lt=today)
        if self.value() == "future":
            return queryset.filter(valid_from__gt=today)
        return queryset


class DatasetFilter(admin.SimpleListFilter):
    title = "bộ dữ liệu"
    parameter_name = "dataset"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        datasets = AdminUnit.objects.order_by("dataset").values_list("dataset", flat=True)
        return [(d, d) for d in datasets.distinct()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(dataset=self.value()) if self.value() else queryset


class DepartmentInline(admin.TabularInline):
    model = Department
    fields = ("order", "name", "abbreviation", "kind", "org_code", "is_active")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = "phòng, ban"
    verbose_name_plural = "phòng, ban (sửa ở mục Phòng, ban)"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SuccessorInline(admin.TabularInline):
    model = UnitSuccession
    fk_name = "old"
    fields = ("new", "partial", "effective", "legal_basis")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "đơn vị kế thừa"
    verbose_name_plural = "sáp nhập vào (đơn vị kế thừa)"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PredecessorInline(SuccessorInline):
    fk_name = "new"
    fields = ("old", "partial", "effective", "legal_basis")
    readonly_fields = fields
    verbose_name = "đơn vị tiền thân"
    verbose_name_plural = "hình thành từ (đơn vị tiền thân)"


class AdminUnitForm(forms.ModelForm):
    class Meta:
        model = AdminUnit
        fields = UNIT_EDITABLE

    def clean_parent(self) -> AdminUnit | None:
        parent: AdminUnit | None = self.cleaned_data.get("parent")
        if (
            parent is not None
            and self.instance.pk
            and parent.pk in descendant_ids([self.instance.pk])
        ):
            raise forms.ValidationError(
                "Không thể chọn chính đơn vị này hoặc một đơn vị cấp dưới của nó làm cấp trên."
            )
        return parent


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    form = AdminUnitForm
    list_display = (
        "name",
        "code",
        "level",
        "parent",
        "valid_from",
        "valid_to",
        "is_served",
        "dataset",
    )
    list_filter = ("level", "is_served", ValidTodayFilter, DatasetFilter)
    search_fields = ("name", "code", "committee_name", "org_code")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    readonly_fields = ("code", "level", "dataset")
    fieldsets = (
        (None, {"fields": ("name", "code", "level", "dataset", "parent")}),
        ("Hiệu lực", {"fields": ("valid_from", "valid_to")}),
        ("Cơ quan (UBND)", {"fields": ("committee_name", "org_code", "abbreviation", "is_served")}),
    )
    inlines = (DepartmentInline, SuccessorInline, PredecessorInline)
    ordering = ("code", "pk")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # units are never deleted: they end (valid_to)

    def save_model(self, request: HttpRequest, obj: AdminUnit, form: Any, change: bool) -> None:
        current = AdminUnit.objects.get(pk=obj.pk)
        data = {
            name: form.cleaned_data[name] for name in UNIT_EDITABLE if name in form.changed_data
        }
        services.unit_update(unit=current, actor=request.user, **data)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "abbreviation", "unit", "kind", "order", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "abbreviation", "unit__name", "org_code")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    ordering = ("unit__name", "order", "name")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("unit",) if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # positions and documents refer to departments: deactivate instead

    def save_model(self, request: HttpRequest, obj: Department, form: Any, change: bool) -> None:
        fields = {name: form.cleaned_data[name] for name in services.DEPARTMENT_FIELDS}
        if change:
            current = Department.objects.select_related("unit").get(pk=obj.pk)
            changed = {k: v for k, v in fields.items() if k in form.changed_data}
            services.department_update(department=current, actor=request.user, **changed)
        else:
            created = services.department_create(
                unit=form.cleaned_data["unit"], actor=request.user, **fields
            )
            obj.pk = created.pk


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ("old", "new", "partial", "effective", "legal_basis")
    list_filter = ("partial", "effective")
    search_fields = ("old__name", "old__code", "new__name", "new__code", "legal_basis")
    list_select_related = ("old", "new")

    # Successions come from the imports (vietnam-provinces, the demo's Resolution 1656 table).
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DatasetImport)
class DatasetImportAdmin(admin.ModelAdmin):
    list_display = (
        "imported_at",
        "source",
        "version",
        "scope",
        "units_created",
        "units_updated",
        "units_unchanged",
        "successions_created",
    )
    list_filter = ("source", "version")
    readonly_fields = (
        "source",
        "version",
        "scope",
        "imported_at",
        "units_created",
        "units_updated",
        "units_unchanged",
        "successions_created",
        "note",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
