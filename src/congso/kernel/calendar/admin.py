"""Administrators keep each year's official notice here; saving goes through the services, which
record an audit event and refresh the calendar at once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from congso.kernel.calendar import services
from congso.kernel.calendar.models import OfficialDay, WorkingHours
from congso.kernel.errors import DomainError


class OfficialDayForm(forms.ModelForm[OfficialDay]):
    class Meta:
        model = OfficialDay
        fields = ["date", "kind", "name", "legal_basis"]

    def clean_date(self) -> Any:
        day = self.cleaned_data["date"]
        if day and not services.MIN_YEAR <= day.year <= services.MAX_YEAR:
            raise forms.ValidationError(
                f"Năm phải nằm trong khoảng {services.MIN_YEAR}–{services.MAX_YEAR}."
            )
        return day


@admin.register(OfficialDay)
class OfficialDayAdmin(admin.ModelAdmin[OfficialDay]):
    form = OfficialDayForm
    list_display = ["date_vi", "weekday_vi", "kind", "name", "legal_basis", "verified"]
    list_filter = ["year", "kind"]
    search_fields = ["name", "legal_basis"]
    ordering = ["-date"]
    date_hierarchy = "date"
    readonly_fields = ["year", "created_at", "updated_at"]

    @admin.display(description="ngày", ordering="date")
    def date_vi(self, obj: OfficialDay) -> str:
        return f"{obj.date:%d/%m/%Y}"

    @admin.display(description="thứ")
    def weekday_vi(self, obj: OfficialDay) -> str:
        from congso.kernel.calendar.views import weekday_vi

        return weekday_vi(obj.date)

    @admin.display(description="đã xác minh", boolean=True)
    def verified(self, obj: OfficialDay) -> bool:
        return obj.is_verified

    def save_model(self, request: HttpRequest, obj: OfficialDay, form: Any, change: bool) -> None:
        data = form.cleaned_data
        try:
            saved = services.official_day_save(
                date=data["date"],
                kind=data["kind"],
                name=data["name"],
                legal_basis=data.get("legal_basis", ""),
                instance=obj,
                actor=request.user,
            )
        except DomainError as exc:  # pragma: no cover - the form's unique check comes first
            raise forms.ValidationError(exc.message) from exc
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: OfficialDay) -> None:
        services.official_day_delete(official_day=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[OfficialDay]) -> None:
        for obj in queryset:
            services.official_day_delete(official_day=obj, actor=request.user)


class WorkingHoursForm(forms.ModelForm[WorkingHours]):
    class Meta:
        model = WorkingHours
        fields = ["periods"]

    def clean_periods(self) -> str:
        try:
            return str(services.parse_working_hours(self.cleaned_data["periods"]))
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc


@admin.register(WorkingHours)
class WorkingHoursAdmin(admin.ModelAdmin[WorkingHours]):
    form = WorkingHoursForm
    list_display = ["periods", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not WorkingHours.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: WorkingHours, form: Any, change: bool) -> None:
        saved = services.working_hours_set(periods=form.cleaned_data["periods"], actor=request.user)
        obj.pk = saved.pk
