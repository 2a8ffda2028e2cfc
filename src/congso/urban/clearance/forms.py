"""Forms of the clearance pages (validation messages in Vietnamese; the rules are in services)."""

from __future__ import annotations

from typing import Any

from django import forms

from congso.documents.forms import BootstrapForm, add_domain_error, date_field
from congso.urban.clearance import services
from congso.urban.clearance.models import LandType, ObstacleReason, PartyKind, ProjectStatus

__all__ = ["add_domain_error"]

REQUIRED = {"required": "Trường này là bắt buộc."}


class ProjectForm(BootstrapForm):
    name = forms.CharField(label="Tên dự án", max_length=300, error_messages=REQUIRED)
    investor = forms.CharField(label="Chủ đầu tư", max_length=300, required=False)
    purpose = forms.CharField(
        label="Mục đích thu hồi đất", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    area_m2 = forms.CharField(
        label="Diện tích thu hồi (m²)",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "1.234,5"}),
    )
    address = forms.CharField(label="Địa điểm", max_length=300, required=False)
    start_date = date_field("Ngày bắt đầu", required=True)
    target_date = date_field("Ngày hoàn thành dự kiến")
    boundary = forms.CharField(
        label="Ranh giới (GeoJSON, không bắt buộc)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        help_text="Polygon hoặc MultiPolygon, toạ độ [kinh độ, vĩ độ].",
    )

    def data_for(self, lat: Any, lon: Any) -> services.ProjectData:
        import json

        d = self.cleaned_data
        boundary: Any = None
        if d.get("boundary"):
            try:
                boundary = json.loads(d["boundary"])
            except ValueError:
                boundary = "invalid"  # validate_geometry refuses it with a clear message
        return services.ProjectData(
            name=d["name"],
            investor=d.get("investor", ""),
            purpose=d.get("purpose", ""),
            area_m2=d.get("area_m2") or "0",
            address=d.get("address", ""),
            lat=lat,
            lon=lon,
            boundary=boundary,
            start_date=d["start_date"],
            target_date=d.get("target_date"),
        )


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label="Tìm", required=False)
    status = forms.ChoiceField(
        label="Trạng thái", required=False, choices=[("", "Tất cả"), *ProjectStatus.choices]
    )
    year_from = forms.IntegerField(label="Bắt đầu từ năm", required=False, min_value=1990)
    year_to = forms.IntegerField(label="đến năm", required=False, max_value=2100)


class PartyForm(BootstrapForm):
    code = forms.CharField(label="Mã hộ", max_length=30, error_messages=REQUIRED)
    kind = forms.ChoiceField(label="Loại", choices=PartyKind.choices)
    name = forms.CharField(label="Tên hộ/tổ chức", max_length=200, error_messages=REQUIRED)
    address = forms.CharField(label="Địa chỉ", max_length=300, required=False)
    parcel = forms.CharField(label="Thửa đất (tờ/thửa)", max_length=100, required=False)
    land_type = forms.ChoiceField(label="Loại đất", choices=LandType.choices)
    area_m2 = forms.CharField(
        label="Diện tích thu hồi (m²)",
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    note = forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def party_data(self) -> services.PartyData:
        return services.PartyData(**self.cleaned_data)


class StepForm(BootstrapForm):
    on = date_field("Ngày", required=True)
    amount = forms.CharField(
        label="Số tiền (đồng)",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "1.500.000.000"}),
    )
    decision_number = forms.CharField(label="Số quyết định", max_length=60, required=False)
    note = forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ForcedForm(BootstrapForm):
    on = date_field("Ngày", required=True)
    note = forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ObstacleForm(BootstrapForm):
    reason = forms.ChoiceField(label="Lý do", choices=ObstacleReason.choices)
    on = date_field("Từ ngày", required=True)
    description = forms.CharField(
        label="Mô tả", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResolveForm(BootstrapForm):
    on = date_field("Ngày giải quyết", required=True)
    resolution = forms.CharField(
        label="Cách giải quyết", widget=forms.Textarea(attrs={"rows": 2}), error_messages=REQUIRED
    )


class StatusForm(BootstrapForm):
    status = forms.ChoiceField(
        label="Trạng thái mới",
        choices=[(s, label) for s, label in ProjectStatus.choices if s != ProjectStatus.PLANNING],
    )
    on = date_field("Ngày")
    note = forms.CharField(
        label="Lý do / ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ImportForm(BootstrapForm):
    file = forms.FileField(
        label="Tệp Excel (.xlsx) theo mẫu",
        error_messages={"required": "Chưa chọn tệp.", "empty": "Tệp rỗng."},
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = 5 * 1024 * 1024
        if upload.size > limit:
            raise forms.ValidationError("Tệp lớn hơn 5 MB.")
        return upload
