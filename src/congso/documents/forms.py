"""HTML forms of the documents domain. Forms parse and shape input; the services validate the
rules (and their DomainError is shown on the field it names in ``details.field``).

Each area appends its own forms below its heading.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet

from congso.documents.models import (
    Channel,
    DocumentType,
    IncomingStatus,
    Organisation,
    Secrecy,
    Urgency,
)
from congso.kernel.errors import DomainError
from congso.kernel.orgunits.models import AdminUnit, Department
from congso.kernel.people.models import User

#: Dates are typed and shown as dd/mm/yyyy (a browser's date picker follows the browser's own
#: language, often mm/dd/yyyy); ISO is accepted too.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
DATE_ERROR = {"invalid": "Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy."}
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def date_field(label: str, *, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
        ),
        error_messages=DATE_ERROR,
        help_text=help_text,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; ``cleaned_data`` holds a list (possibly empty)."""

    def __init__(self, *args: Any, accept: str = "", **kwargs: Any) -> None:
        attrs = {"accept": accept} if accept else {}
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        kwargs.setdefault("allow_empty_file", True)  # the files module says why it is refused
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def add_domain_error(
    form: forms.Form, exc: DomainError, fields: dict[str, str] | None = None
) -> None:
    """Show a service's error on the field it names (``details.field``), else on the form."""
    details = exc.details if isinstance(exc.details, dict) else {}
    field = details.get("field")
    if field is None and exc.code.startswith("file_"):
        field = "files"  # the files module's errors are about the uploaded files
    if fields and field in fields:
        field = fields[field]
    if field and field in form.fields:
        form.add_error(field, exc.message)
    else:
        form.add_error(None, exc.message)


class BootstrapForm(forms.Form):
    """A form whose widgets carry Bootstrap's classes (and ``aria-invalid`` when in error)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
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


# --- incoming documents ----------------------------------------------------------------------


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name()


class _UsersChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name()


def _urgency_choices() -> list[tuple[int, str]]:
    return [(int(value), str(label)) for value, label in Urgency.choices]


class IncomingRegisterForm(BootstrapForm):
    channel = forms.ChoiceField(
        label="Hình thức nhận",
        choices=[
            (Channel.PAPER, Channel.PAPER.label),
            (Channel.ELECTRONIC, Channel.ELECTRONIC.label),
        ],
        initial=Channel.PAPER,
    )
    document_type = forms.ModelChoiceField(
        label="Tên loại văn bản",
        queryset=DocumentType.objects.none(),
        empty_label="— Chọn tên loại —",
        error_messages={"required": "Hãy chọn tên loại văn bản."},
    )
    notation = forms.CharField(
        label="Số, ký hiệu",
        required=False,
        max_length=60,
        help_text="Như in trên văn bản, ví dụ 15/QĐ-UBND, 123/UBND-VP, 30/2020/NĐ-CP.",
    )
    issued_date = date_field("Ngày văn bản")
    sender_name = forms.CharField(
        label="Cơ quan ban hành",
        max_length=200,
        help_text="Chọn trong danh bạ cơ quan hoặc gõ tên.",
        widget=forms.TextInput(attrs={"list": "organisation-directory", "autocomplete": "off"}),
        error_messages={"required": "Hãy chọn hoặc nhập cơ quan ban hành văn bản."},
    )
    subject = forms.CharField(
        label="Trích yếu nội dung",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Hãy nhập trích yếu nội dung văn bản."},
    )
    signer_name = forms.CharField(label="Người ký", required=False, max_length=100)
    signer_position = forms.CharField(label="Chức vụ người ký", required=False, max_length=100)
    page_count = forms.IntegerField(
        label="Số trang",
        required=False,
        min_value=1,
        max_value=9999,
        help_text="Để trống: tính từ tệp PDF.",
    )
    urgency = forms.TypedChoiceField(
        label="Độ khẩn", coerce=int, choices=_urgency_choices, initial=0
    )
    secrecy = forms.TypedChoiceField(label="Độ mật", coerce=int, choices=[(0, "Thường")], initial=0)
    reply_by = date_field("Hạn trả lời")
    arrived_at = forms.DateTimeField(
        label="Thời điểm đến",
        required=False,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(
            format="%d/%m/%Y %H:%M", attrs={"placeholder": "dd/mm/yyyy hh:mm"}
        ),
        help_text="Để trống: bây giờ.",
        error_messages={"invalid": "Thời điểm không hợp lệ; hãy nhập theo dạng dd/mm/yyyy hh:mm."},
    )
    scans = MultipleFileField(
        label="Bản quét / bản điện tử (PDF hoặc ảnh)",
        required=False,
        accept=".pdf,.png,.jpg,.jpeg,.tif,.tiff,application/pdf,image/png,image/jpeg,image/tiff",
        help_text="Có thể chọn nhiều tệp. Văn bản mật có thể vào sổ không kèm tệp.",
    )
    note = forms.CharField(label="Ghi chú", required=False, max_length=500)
    duplicate_reason = forms.CharField(
        label="Vẫn vào sổ, lý do",
        required=False,
        max_length=255,
        help_text="Chỉ điền khi hệ thống cảnh báo văn bản có thể đã vào sổ.",
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types_field = self.fields["document_type"]
        assert isinstance(types_field, forms.ModelChoiceField)
        types_field.queryset = DocumentType.objects.filter(is_active=True).order_by("order", "name")
        clearance = int(getattr(user, "clearance", 0) or 0)
        secrecy_field = self.fields["secrecy"]
        assert isinstance(secrecy_field, forms.TypedChoiceField)
        secrecy_field.choices = [
            (int(value), "Thường" if value == 0 else str(label))
            for value, label in Secrecy.choices
            if value <= clearance
        ]

    def organisation(self) -> Organisation | None:
        from congso.documents.selectors import organisation_by_name

        return organisation_by_name(self.cleaned_data.get("sender_name") or "")


class IncomingFilterForm(BootstrapForm):
    q = forms.CharField(
        label="Tìm",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Trích yếu, số ký hiệu, nơi gửi"}
        ),
    )
    year = forms.TypedChoiceField(label="Năm", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label="Trạng thái", required=False, choices=[("", "Tất cả"), *IncomingStatus.choices]
    )
    urgency = forms.TypedChoiceField(
        label="Độ khẩn",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Tất cả"), *_urgency_choices()],
    )
    overdue = forms.BooleanField(label="Chỉ văn bản quá hạn", required=False)

    def __init__(self, *args: Any, years: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = dt.date.today().year
        years = years or list(range(this_year, this_year - 6, -1))
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = [("", "Tất cả"), *[(y, str(y)) for y in years]]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "year": data.get("year"),
            "status": data.get("status") or "",
            "urgency": data.get("urgency"),
            "overdue": "1" if data.get("overdue") else "",
        }


class IncomingPresentForm(BootstrapForm):
    leader = _UserChoice(
        label="Trình lãnh đạo",
        queryset=User.objects.none(),
        empty_label="— Chọn lãnh đạo —",
        error_messages={"required": "Hãy chọn lãnh đạo để trình."},
    )
    note = forms.CharField(label="Ghi chú của văn thư", required=False, max_length=500)

    def __init__(self, *args: Any, leaders: list[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["leader"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=[u.pk for u in leaders or []]).order_by(
            "full_name", "pk"
        )


class IncomingAssignForm(BootstrapForm):
    lead_user = _UserChoice(
        label="Người chủ trì", required=False, queryset=User.objects.none(), empty_label="—"
    )
    lead_department = forms.ModelChoiceField(
        label="Đơn vị chủ trì", required=False, queryset=Department.objects.none(), empty_label="—"
    )
    cooperating_departments = forms.ModelMultipleChoiceField(
        label="Đơn vị phối hợp",
        required=False,
        queryset=Department.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    cooperating_users = _UsersChoice(
        label="Người phối hợp",
        required=False,
        queryset=User.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    instruction = forms.CharField(
        label="Ý kiến chỉ đạo (bút phê)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    deadline = date_field("Hạn giải quyết (ngày)")
    deadline_working_days = forms.IntegerField(
        label="hoặc số ngày làm việc",
        required=False,
        min_value=1,
        max_value=366,
        help_text="Tính theo lịch làm việc (trừ ngày nghỉ, lễ, Tết).",
    )

    def __init__(
        self, *args: Any, unit: AdminUnit | None = None, staff: list[User] | None = None, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        people: QuerySet[User] = User.objects.filter(pk__in=[u.pk for u in staff or []]).order_by(
            "full_name", "pk"
        )
        departments: QuerySet[Department] = (
            Department.objects.filter(unit=unit, is_active=True).order_by("order", "name")
            if unit is not None
            else Department.objects.none()
        )
        for name in ("lead_user", "cooperating_users"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = people
        for name in ("lead_department", "cooperating_departments"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = departments

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("lead_user") and not data.get("lead_department"):
            raise forms.ValidationError("Hãy chọn người hoặc đơn vị chủ trì giải quyết.")
        if data.get("deadline") and data.get("deadline_working_days"):
            raise forms.ValidationError(
                "Chỉ nhập hạn xử lý theo ngày hoặc theo số ngày làm việc, không nhập cả hai."
            )
        return data


class IncomingProgressForm(BootstrapForm):
    text = forms.CharField(
        label="Nội dung tiến độ",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Hãy nhập nội dung tiến độ."},
    )
    attachments = MultipleFileField(label="Tệp đính kèm", required=False)


class IncomingCompleteForm(BootstrapForm):
    result_note = forms.CharField(
        label="Kết quả giải quyết",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Hãy nhập kết quả giải quyết."},
    )
    answer_notation = forms.CharField(
        label="Văn bản trả lời (số, ký hiệu văn bản đi)",
        required=False,
        max_length=60,
        help_text="Tùy chọn: văn bản đi đã ban hành trả lời văn bản này.",
    )


# --- signing credentials (chứng thư ký số) ---------------------------------------------------


def _person_label(user: User) -> str:
    return user.get_full_name() or user.username


class CredentialUploadForm(BootstrapForm):
    """A PKCS#12 file for a person of the committee or for the committee itself (its seal)."""

    OWNER_PERSON = "person"
    OWNER_UNIT = "unit"

    owner = forms.ChoiceField(
        label="Chứng thư của",
        choices=[
            (OWNER_PERSON, "Một cán bộ (chữ ký cá nhân của người ký)"),
            (OWNER_UNIT, "Cơ quan (chữ ký số và con dấu của UBND)"),
        ],
        initial=OWNER_PERSON,
        widget=forms.RadioSelect,
    )
    user = forms.ModelChoiceField(
        label="Cán bộ",
        queryset=User.objects.none(),
        required=False,
        empty_label="— chọn cán bộ —",
    )
    label = forms.CharField(label="Tên gợi nhớ", max_length=200, required=False)
    pkcs12 = forms.FileField(
        label="Tệp PKCS#12 (.p12, .pfx)",
        widget=forms.ClearableFileInput(attrs={"accept": ".p12,.pfx,application/x-pkcs12"}),
    )
    passphrase = forms.CharField(
        label="Mật khẩu của tệp",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Được mã hóa trước khi lưu; không bao giờ lưu hoặc hiển thị dạng rõ.",
    )
    image = forms.FileField(
        label="Hình ảnh chữ ký hoặc con dấu (PNG nền trong suốt)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png"}),
    )

    #: Largest PKCS#12 file accepted (a real one is a few kilobytes).
    PKCS12_MAX_BYTES = 1024 * 1024

    def __init__(self, *args: Any, people: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_field = self.fields["user"]
        assert isinstance(user_field, forms.ModelChoiceField)
        user_field.queryset = people if people is not None else User.objects.none()
        user_field.label_from_instance = _person_label  # type: ignore[method-assign,assignment]
        self.fields["owner"].widget.attrs["class"] = "form-check-input"

    def clean_pkcs12(self) -> bytes:
        upload = self.cleaned_data["pkcs12"]
        if upload.size > self.PKCS12_MAX_BYTES:
            raise forms.ValidationError("Tệp PKCS#12 quá lớn (tối đa 1 MB).")
        data: bytes = upload.read()
        if not data:
            raise forms.ValidationError("Tệp PKCS#12 rỗng.")
        return data

    def clean_image(self) -> bytes | None:
        upload = self.cleaned_data.get("image")
        if not upload:
            return None
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError("Hình ảnh quá lớn (tối đa 2 MB).")
        data: bytes = upload.read()
        return data

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("owner") == self.OWNER_PERSON and not data.get("user"):
            self.add_error("user", "Hãy chọn cán bộ sở hữu chứng thư.")
        return data
