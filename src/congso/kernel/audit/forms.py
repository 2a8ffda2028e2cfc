"""The audit viewer's filter form (dates as dd/mm/yyyy)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType

from congso.kernel.audit.selectors import AuditFilters, audit_object_types, audit_units
from congso.kernel.orgunits.models import AdminUnit

DATE_FORMATS = ["%d/%m/%Y"]


class _ContentTypeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        model = obj.model_class()
        name = model._meta.verbose_name if model is not None else obj.model
        return f"{name} ({obj.app_label}.{obj.model})"


class AuditFilterForm(forms.Form):
    actor = forms.CharField(
        label="Người thực hiện",
        required=False,
        max_length=150,
        help_text="Tên hoặc tên đăng nhập.",
    )
    action = forms.CharField(
        label="Hành động",
        required=False,
        max_length=80,
        help_text="Ví dụ people.login; kết thúc bằng dấu chấm để lọc cả nhóm (people.).",
    )
    content_type = _ContentTypeChoice(
        label="Loại đối tượng",
        required=False,
        queryset=ContentType.objects.none(),
        empty_label="Tất cả",
    )
    object_id = forms.CharField(label="Mã đối tượng", required=False, max_length=64)
    unit = forms.ModelChoiceField(
        label="Đơn vị", required=False, queryset=AdminUnit.objects.none(), empty_label="Tất cả"
    )
    date_from = forms.DateField(
        label="Từ ngày",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"invalid": "Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy."},
    )
    date_to = forms.DateField(
        label="Đến ngày",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"invalid": "Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["content_type"].queryset = audit_object_types()  # type: ignore[attr-defined]
        self.fields["unit"].queryset = audit_units()  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            css = (
                "form-select form-select-sm"
                if name in {"content_type", "unit"}
                else ("form-control form-control-sm")
            )
            field.widget.attrs.setdefault("class", css)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "“Đến ngày” phải sau hoặc bằng “Từ ngày”.")
        return data

    def filters(self) -> AuditFilters:
        """The filters from the fields that are valid (an invalid one is shown and ignored)."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return AuditFilters(
            actor=data.get("actor") or "",
            action=data.get("action") or "",
            content_type=data.get("content_type"),
            object_id=data.get("object_id") or "",
            unit=data.get("unit"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
