"""Forms of construction order: parse and show input; the rules are in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms

from congso.kernel.errors import DomainError
from congso.urban.construction.models import (
    InspectionResult,
    OwnerKind,
    PermitStatus,
    ViolationCategory,
    ViolationStatus,
    WorkStatus,
)

DATE_INPUT = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _date(label: str, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, input_formats=DATE_FORMATS, widget=DATE_INPUT
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's error on the field it names (``details.field``), else on the form."""
    details = exc.details if isinstance(exc.details, dict) else {}
    field = details.get("field")
    if field is None and exc.code.startswith("file_"):
        field = "photos"
    if field and field in form.fields:
        form.add_error(field, exc.message)
    else:
        form.add_error(None, exc.message)


class BootstrapForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"


class WorkFilterForm(BootstrapForm):
    q = forms.CharField(label="Tìm", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Tình trạng", required=False, choices=[("", "Tất cả"), *WorkStatus.choices]
    )
    permit = forms.ChoiceField(
        label="Giấy phép",
        required=False,
        choices=[
            ("", "Tất cả"),
            ("with", "Có phép hoặc miễn phép"),
            ("without", "Không phép / chưa rõ"),
            *PermitStatus.choices,
        ],
    )
    controlled = forms.ChoiceField(
        label="Kiểm soát (tháng này)",
        required=False,
        choices=[("", "Tất cả"), ("yes", "Được kiểm soát"), ("no", "Chưa được kiểm soát")],
    )
    overdue = forms.BooleanField(label="Có vi phạm quá hạn", required=False)

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class WorkForm(BootstrapForm):
    name = forms.CharField(label="Tên công trình", required=False, max_length=300)
    address = forms.CharField(label="Địa chỉ", max_length=300)
    lat = forms.CharField(label="Vĩ độ", required=False, max_length=30)
    lon = forms.CharField(label="Kinh độ", required=False, max_length=30)
    owner_kind = forms.ChoiceField(
        label="Chủ đầu tư là", choices=OwnerKind.choices, initial=OwnerKind.PERSON
    )
    owner_name = forms.CharField(label="Chủ đầu tư", max_length=200)
    owner_contact = forms.CharField(
        label="Điện thoại, địa chỉ liên hệ", required=False, max_length=200
    )
    description = forms.CharField(
        label="Mô tả (quy mô thực tế, loại công trình)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    permit_status = forms.ChoiceField(
        label="Giấy phép xây dựng", choices=PermitStatus.choices, initial=PermitStatus.UNKNOWN
    )
    permit_number = forms.CharField(label="Số giấy phép", required=False, max_length=60)
    permit_date = _date("Ngày cấp")
    permit_issuer = forms.CharField(label="Cơ quan cấp", required=False, max_length=200)
    permit_floors = forms.IntegerField(
        label="Số tầng được phép", required=False, min_value=1, max_value=200
    )
    permit_floor_area = forms.DecimalField(
        label="Tổng diện tích sàn được phép (m²)",
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=0,
        localize=True,
    )
    exempt_reason = forms.CharField(
        label="Lý do được miễn giấy phép", required=False, max_length=300
    )
    status = forms.ChoiceField(
        label="Tình trạng", choices=WorkStatus.choices, initial=WorkStatus.STARTED
    )
    started_on = _date("Ngày khởi công")
    completed_on = _date("Ngày hoàn thành")


class InspectionForm(BootstrapForm):
    inspected_on = _date("Ngày kiểm tra", required=True)
    result = forms.ChoiceField(label="Kết quả", choices=InspectionResult.choices)
    findings = forms.CharField(
        label="Nội dung kiểm tra, hiện trạng", widget=forms.Textarea(attrs={"rows": 4})
    )
    photos = MultipleFileField(label="Ảnh hiện trường (JPEG, PNG)", required=False)
    lat = forms.CharField(label="Vĩ độ nơi chụp", required=False, max_length=30)
    lon = forms.CharField(label="Kinh độ nơi chụp", required=False, max_length=30)


class ViolationForm(BootstrapForm):
    category = forms.ChoiceField(
        label="Hành vi vi phạm (NĐ 16/2022 Điều 16)", choices=ViolationCategory.choices
    )
    description = forms.CharField(label="Mô tả vi phạm", widget=forms.Textarea(attrs={"rows": 4}))
    record_date = _date("Ngày lập biên bản", required=True)
    order_stop = forms.BooleanField(
        label="Đồng thời ra quyết định đình chỉ thi công", required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An unknown category reaches the service, which answers in Vietnamese.
        self.fields["category"] = forms.CharField(
            label=self.fields["category"].label,
            widget=forms.Select(
                choices=[("", "— Chọn hành vi —"), *ViolationCategory.choices],
                attrs={"class": "form-select"},
            ),
        )


class StepForm(BootstrapForm):
    day = _date("Ngày")


class SanctionForm(BootstrapForm):
    decision_number = forms.CharField(label="Số quyết định xử phạt", max_length=60)
    decision_date = _date("Ngày quyết định", required=True)
    fine_amount = forms.CharField(label="Tiền phạt (đồng)", max_length=20)
    dismantling_required = forms.BooleanField(label="Buộc tháo dỡ phần vi phạm", required=False)


class EnforceForm(BootstrapForm):
    day = _date("Ngày cưỡng chế", required=True)
    measures = forms.CharField(
        label="Biện pháp cưỡng chế", widget=forms.Textarea(attrs={"rows": 3})
    )


class DismantleForm(BootstrapForm):
    day = _date("Ngày tháo dỡ xong", required=True)
    note = forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseForm(BootstrapForm):
    day = _date("Ngày kết thúc", required=True)
    note = forms.CharField(label="Kết quả xử lý", widget=forms.Textarea(attrs={"rows": 3}))
    fine_paid = forms.BooleanField(label="Đã nộp tiền phạt", required=False)


class ViolationFilterForm(BootstrapForm):
    status = forms.ChoiceField(
        label="Trạng thái", required=False, choices=[("", "Tất cả"), *ViolationStatus.choices]
    )
    category = forms.ChoiceField(
        label="Hành vi", required=False, choices=[("", "Tất cả"), *ViolationCategory.choices]
    )
    overdue = forms.BooleanField(label="Chỉ quá hạn", required=False)

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class PeriodForm(BootstrapForm):
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    month = forms.IntegerField(label="Tháng", min_value=1, max_value=12)
