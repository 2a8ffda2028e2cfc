"""Forms of field reports: the citizen's report and rating, the staff filters and triage."""

from __future__ import annotations

from typing import Any

from django import forms

from congso.kernel.errors import DomainError
from congso.kernel.orgunits.models import AdminUnit, Department
from congso.kernel.people.models import Position, User
from congso.urban.reports.models import ReportLevel, ReportStatus
from congso.urban.reports.selectors import ReportFilters, categories_active


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleImageField, self).clean(f, initial) for f in files]


def _coordinate(value: str, low: float, high: float, label: str) -> float | None:
    text = (value or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError as exc:
        raise forms.ValidationError(f"{label} phải là một số (ví dụ 21.0650).") from exc
    if not low <= number <= high:
        raise forms.ValidationError(f"{label} phải nằm trong khoảng {low:g}…{high:g}.")
    return number


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Put a service's error under the field it names (``details.field``), else on the form."""
    field = (exc.details or {}).get("field") if isinstance(exc.details, dict) else None
    mapping = {"location": "lat", "contact": "name", "photos": "photos", "unit": "unit"}
    name = mapping.get(str(field), str(field)) if field else None
    if name in form.fields:
        form.add_error(name, exc.message)
    elif exc.code.startswith("file_"):
        form.add_error("photos", exc.message) if "photos" in form.fields else form.add_error(
            None, exc.message
        )
    elif exc.code.startswith("location_") and "lat" in form.fields:
        form.add_error("lat", exc.message)
    else:
        form.add_error(None, exc.message)


class ReportForm(forms.Form):
    category = forms.ChoiceField(
        label="Lĩnh vực",
        choices=(),
        error_messages={
            "invalid_choice": "Lĩnh vực phản ánh không tồn tại hoặc đã ngừng sử dụng.",
            "required": "Xin chọn lĩnh vực phản ánh.",
        },
    )
    description = forms.CharField(
        label="Nội dung phản ánh",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text="Mô tả sự việc, thời gian, mức độ ảnh hưởng.",
    )
    photos = MultipleImageField(
        label="Ảnh chụp hiện trường",
        required=False,
        help_text="Ảnh JPEG hoặc PNG, tối đa 4 ảnh.",
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png", "capture": "environment"}
        ),
    )
    lat = forms.CharField(label="Vĩ độ", required=False)
    lon = forms.CharField(label="Kinh độ", required=False)
    address = forms.CharField(label="Địa chỉ, địa điểm", required=False, max_length=300)
    unit = forms.ModelChoiceField(
        label="Phường (khi chỉ ghi địa chỉ)",
        queryset=AdminUnit.objects.none(),
        required=False,
        empty_label="— Xác định theo vị trí —",
    )
    name = forms.CharField(label="Họ và tên", required=False, max_length=120)
    phone = forms.CharField(label="Số điện thoại", required=False, max_length=20)
    email = forms.EmailField(label="Thư điện tử", required=False)
    # A field people do not see: bots fill it in.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = list(categories_active())
        self.categories = {c.code: c for c in categories}
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "— Chọn lĩnh vực —")] + [(c.code, c.name) for c in categories]
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = AdminUnit.objects.filter(is_served=True).order_by("name")

    def clean_lat(self) -> float | None:
        return _coordinate(self.cleaned_data.get("lat", ""), -90, 90, "Vĩ độ")

    def clean_lon(self) -> float | None:
        return _coordinate(self.cleaned_data.get("lon", ""), -180, 180, "Kinh độ")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError("Không gửi được phản ánh. Xin thử lại.")
        return data


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Mức độ hài lòng",
        coerce=int,
        choices=[
            (5, "5 — Rất hài lòng"),
            (4, "4 — Hài lòng"),
            (3, "3 — Bình thường"),
            (2, "2 — Chưa hài lòng"),
            (1, "1 — Không hài lòng"),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Nhận xét", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class LookupForm(forms.Form):
    code = forms.CharField(label="Mã theo dõi", max_length=20)


# --- staff ------------------------------------------------------------------------------------


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Trạng thái",
        required=False,
        choices=[("", "Tất cả"), ("open", "Chưa xong"), *list(ReportStatus.choices)],
    )
    category = forms.ChoiceField(label="Lĩnh vực", required=False, choices=())
    level = forms.ChoiceField(
        label="Mức độ", required=False, choices=[("", "Tất cả"), *list(ReportLevel.choices)]
    )
    overdue = forms.BooleanField(label="Quá hạn", required=False)
    q = forms.CharField(label="Tìm", required=False, max_length=100)
    start = forms.DateField(label="Từ ngày", required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    end = forms.DateField(label="Đến ngày", required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Tất cả")] + [
            (c.code, c.name) for c in categories_active().only("code", "name")
        ]

    def filters(self) -> ReportFilters:
        if not self.is_valid():
            return ReportFilters()
        d = self.cleaned_data
        return ReportFilters(
            status=d.get("status") or "",
            category=d.get("category") or "",
            level=d.get("level") or "",
            overdue=bool(d.get("overdue")),
            q=d.get("q") or "",
            start=d.get("start"),
            end=d.get("end"),
        )


class AcceptForm(forms.Form):
    level = forms.ChoiceField(label="Mức độ", choices=ReportLevel.choices)


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label="Lý do từ chối", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class MergeForm(forms.Form):
    into = forms.CharField(label="Mã phản ánh gốc", max_length=20)


class LevelForm(forms.Form):
    level = forms.ChoiceField(label="Mức độ", choices=ReportLevel.choices)


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(
        label="Phòng ban", queryset=Department.objects.none(), required=False
    )
    assignee = forms.ModelChoiceField(label="Cán bộ", queryset=User.objects.none(), required=False)
    open_inspection = forms.BooleanField(
        label="Mở kiểm tra công trình (trật tự xây dựng)", required=False
    )

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField)
        department.queryset = Department.objects.filter(unit_id=unit_id).order_by("name")
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.ModelChoiceField)
        ids = Position.objects.active().filter(unit_id=unit_id).values_list("user_id", flat=True)
        assignee.queryset = User.objects.filter(pk__in=ids, is_active=True).order_by("full_name")
        assignee.label_from_instance = _person_label  # type: ignore[method-assign,assignment]


def _person_label(user: Any) -> str:
    return str(user.get_full_name() or user.username)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="Trả lời công khai",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text="Nội dung này hiển thị cho người phản ánh và công khai trên Open311.",
    )
