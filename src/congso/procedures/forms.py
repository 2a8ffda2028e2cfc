"""HTML forms of the one-stop shop's officers' screens. Forms parse and shape input; the services
(``congso.procedures.services``) hold the rules, and their DomainError is shown on the field it
names (``details.field``) or at the top of the form."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from congso.documents.forms import (
    DATE_ERROR,
    DATE_INPUT_FORMATS,
    BootstrapForm,
    MultipleFileField,
    add_domain_error,
)
from congso.kernel.calendar.services import VN_TZ
from congso.kernel.orgunits.models import AdminUnit, Department
from congso.kernel.people.models import User
from congso.procedures.models import (
    ApplicantType,
    Channel,
    Procedure,
    ProcedureField,
    ProcedurePaper,
)

__all__ = ["add_domain_error"]

#: What the desk scans: PDF and images (the files module sniffs the content).
SCAN_ACCEPT = ".pdf,.jpg,.jpeg,.png,.tif,.tiff,application/pdf,image/*"
RESULT_ACCEPT = ".pdf,.docx,.odt,.jpg,.jpeg,.png,application/pdf"


def _date_field(label: str, *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
        ),
        error_messages={**DATE_ERROR, "required": f"Hãy nhập {label.lower()}."},
    )


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


# --- desk intake -----------------------------------------------------------------------------


class ProcedureChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


def active_procedures() -> QuerySet[Procedure]:
    return Procedure.objects.filter(is_active=True).select_related("field")


class DeskIntakeForm(BootstrapForm):
    """The desk intake (tiếp nhận trực tiếp). Per paper of the chosen procedure, two dynamic
    fields: ``paper_<id>`` (ticked: handed in) and ``files_<id>`` (its scans)."""

    procedure = ProcedureChoice(
        label="Thủ tục hành chính",
        queryset=Procedure.objects.none(),
        empty_label="— Chọn thủ tục —",
        error_messages={
            "required": "Hãy chọn thủ tục hành chính.",
            "invalid_choice": "Thủ tục đã chọn không tồn tại hoặc không còn áp dụng.",
        },
    )
    applicant_type = forms.TypedChoiceField(
        label="Đối tượng",
        choices=ApplicantType.choices,
        coerce=int,
        initial=ApplicantType.CITIZEN,
    )
    applicant_name = forms.CharField(
        label="Họ tên người nộp / tên tổ chức",
        max_length=255,
        error_messages={"required": "Hãy nhập họ tên người nộp hoặc tên tổ chức."},
    )
    applicant_id_number = forms.CharField(
        label="Số định danh cá nhân / mã số doanh nghiệp", max_length=20, required=False
    )
    representative = forms.CharField(
        label="Người đại diện (tổ chức)", max_length=255, required=False
    )
    applicant_address = forms.CharField(label="Địa chỉ", max_length=500, required=False)
    applicant_phone = forms.RegexField(
        label="Điện thoại",
        regex=r"^[0-9 +().-]{6,20}$",
        max_length=20,
        required=False,
        error_messages={"invalid": "Số điện thoại không hợp lệ."},
    )
    applicant_email = forms.EmailField(
        label="Thư điện tử",
        required=False,
        error_messages={"invalid": "Địa chỉ thư điện tử không hợp lệ."},
    )
    content = forms.CharField(
        label="Nội dung yêu cầu",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    sets_count = forms.IntegerField(
        label="Số bộ hồ sơ",
        min_value=1,
        max_value=99,
        initial=1,
        error_messages={
            "required": "Hãy nhập số bộ hồ sơ.",
            "min_value": "Số bộ hồ sơ ít nhất là 1.",
            "max_value": "Số bộ hồ sơ không quá 99.",
            "invalid": "Số bộ hồ sơ phải là số nguyên.",
        },
    )
    extra_files = MultipleFileField(
        label="Tệp khác (không gắn với giấy tờ nào)", required=False, accept=SCAN_ACCEPT
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = active_procedures()  # type: ignore[attr-defined]
        self.papers: list[ProcedurePaper] = []
        procedure = self._bound_procedure()
        self.procedure_obj = procedure
        if procedure is not None:
            self.set_papers(list(procedure.papers.all()))

    def _bound_procedure(self) -> Procedure | None:
        raw = self.data.get("procedure") if self.is_bound else self.initial.get("procedure")
        if isinstance(raw, Procedure):
            return raw
        try:
            pk = int(str(raw))
        except (TypeError, ValueError):
            return None
        return active_procedures().filter(pk=pk).first()

    def set_papers(self, papers: list[ProcedurePaper]) -> None:
        self.papers = papers
        for paper in papers:
            self.fields[f"paper_{paper.pk}"] = forms.BooleanField(
                label=paper.name,
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.fields[f"files_{paper.pk}"] = MultipleFileField(
                label=f"Bản quét: {paper.name}",
                required=False,
                accept=SCAN_ACCEPT,
            )
            self.fields[f"files_{paper.pk}"].widget.attrs["class"] = "form-control form-control-sm"

    def paper_rows(self) -> list[dict[str, Any]]:
        """The papers with their two bound fields, for the template."""
        return [
            {
                "paper": paper,
                "tick": self[f"paper_{paper.pk}"],
                "files": self[f"files_{paper.pk}"],
            }
            for paper in self.papers
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        procedure = data.get("procedure")
        if procedure is None:
            return data
        missing = [
            paper.name
            for paper in self.papers
            if paper.required and not data.get(f"paper_{paper.pk}")
        ]
        if missing:
            self.add_error(
                None,
                "Hồ sơ thiếu giấy tờ bắt buộc: " + "; ".join(missing) + ".",
            )
        for paper in self.papers:
            if data.get(f"files_{paper.pk}") and not data.get(f"paper_{paper.pk}"):
                self.add_error(
                    f"files_{paper.pk}",
                    f"Đã chọn tệp cho '{paper.name}' nhưng chưa đánh dấu đã nhận giấy tờ này.",
                )
        return data

    def applicant(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "type": data["applicant_type"],
            "name": data["applicant_name"].strip(),
            "id_number": data["applicant_id_number"].strip(),
            "address": data["applicant_address"].strip(),
            "phone": (data["applicant_phone"] or "").strip(),
            "email": data["applicant_email"].strip(),
            "representative": data["representative"].strip(),
        }

    def papers_provided(self) -> list[int]:
        return [p.pk for p in self.papers if self.cleaned_data.get(f"paper_{p.pk}")]

    def uploads(self) -> list[tuple[int | None, Any]]:
        out: list[tuple[int | None, Any]] = []
        for paper in self.papers:
            out.extend((paper.pk, f) for f in self.cleaned_data.get(f"files_{paper.pk}") or [])
        out.extend((None, f) for f in self.cleaned_data.get("extra_files") or [])
        return out


# --- lists -----------------------------------------------------------------------------------


class DossierFilterForm(forms.Form):
    q = forms.CharField(label="Mã hồ sơ, người nộp", required=False, max_length=100)
    field = forms.ModelChoiceField(
        label="Lĩnh vực",
        queryset=ProcedureField.objects.all(),
        required=False,
        empty_label="Tất cả lĩnh vực",
    )
    procedure = ProcedureChoice(
        label="Thủ tục",
        queryset=Procedure.objects.all(),
        required=False,
        empty_label="Tất cả thủ tục",
    )
    channel = forms.TypedChoiceField(
        label="Hình thức nộp",
        choices=[("", "Mọi hình thức"), *Channel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    date_from = _date_field("Nộp từ ngày")
    date_to = _date_field("Đến ngày")
    mine = forms.BooleanField(label="Chỉ hồ sơ tôi đang xử lý", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "Ngày kết thúc phải sau ngày bắt đầu.")
        return data

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}


# --- actions on a dossier --------------------------------------------------------------------


class EmptyForm(BootstrapForm):
    note = forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(BootstrapForm):
    reason = forms.CharField(
        label="Lý do",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Hãy nêu lý do cụ thể."},
    )


class WithdrawForm(BootstrapForm):
    reason = forms.CharField(
        label="Lý do rút hồ sơ",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class SupplementRequestForm(BootstrapForm):
    items = forms.CharField(
        label="Nội dung cần bổ sung, hoàn thiện (mỗi dòng một nội dung)",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": "Hãy liệt kê những nội dung cần bổ sung, hoàn thiện."},
    )
    note = forms.CharField(
        label="Lý do, hướng dẫn",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class SupplementReceivedForm(BootstrapForm):
    scans = MultipleFileField(label="Bản quét giấy tờ bổ sung", required=False, accept=SCAN_ACCEPT)
    note = forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class HandOverForm(BootstrapForm):
    to_user = _UserChoice(
        label="Chuyển cho cán bộ",
        queryset=User.objects.none(),
        required=False,
        empty_label="— Chọn cán bộ —",
        error_messages={"invalid_choice": "Cán bộ đã chọn không thuộc đơn vị."},
    )
    to_department = forms.ModelChoiceField(
        label="hoặc phòng, ban",
        queryset=Department.objects.none(),
        required=False,
        empty_label="— Chọn phòng, ban —",
        error_messages={"invalid_choice": "Phòng, ban đã chọn không thuộc đơn vị."},
    )
    note = forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, unit: AdminUnit, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hint = ""  # the procedure's next step, shown above the fields
        self.fields["to_user"].queryset = staff  # type: ignore[attr-defined]
        self.fields["to_department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            unit=unit
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("to_user") and not data.get("to_department"):
            self.add_error("to_user", "Hãy chọn cán bộ hoặc phòng, ban nhận hồ sơ.")
        return data


class FeesRequestForm(BootstrapForm):
    amount = forms.DecimalField(
        label="Số tiền phí, lệ phí (đồng)",
        min_value=Decimal("1"),
        max_digits=14,
        decimal_places=0,
        error_messages={
            "required": "Hãy nhập số tiền phí, lệ phí.",
            "min_value": "Số tiền phải lớn hơn 0.",
            "invalid": "Số tiền không hợp lệ (chỉ nhập chữ số).",
            "max_decimal_places": "Số tiền tính bằng đồng, không có phần lẻ.",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args and hasattr(args[0], "copy"):
            data = args[0].copy()
            raw = data.get("amount")
            if raw:
                data["amount"] = str(raw).replace(".", "").replace(" ", "")
            args = (data, *args[1:])
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget = forms.TextInput(
            attrs={"class": "form-control", "inputmode": "numeric"}
        )


class FeesPaidForm(BootstrapForm):
    online = forms.BooleanField(label="Thanh toán trực tuyến", required=False)


class ExtendForm(BootstrapForm):
    new_due_date = _date_field("Ngày hẹn trả mới", required=True)
    new_due_time = forms.TimeField(
        label="Giờ hẹn",
        initial=dt.time(16, 30),
        input_formats=["%H:%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "hh:mm"}),
        error_messages={"invalid": "Giờ không hợp lệ; hãy nhập theo dạng hh:mm."},
    )
    reason = forms.CharField(
        label="Lý do chậm trễ",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Hãy nêu lý do chậm trễ."},
    )

    def new_due_at(self) -> dt.datetime:
        day = self.cleaned_data["new_due_date"]
        at = self.cleaned_data["new_due_time"] or dt.time(16, 30)
        return dt.datetime.combine(day, at, tzinfo=VN_TZ)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_due_date") and data["new_due_date"] < timezone.localdate():
            self.add_error("new_due_date", "Ngày hẹn mới không thể ở quá khứ.")
        return data


class CompleteForm(BootstrapForm):
    result_file = forms.FileField(
        label="Tệp kết quả giải quyết",
        required=False,
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": RESULT_ACCEPT}),
    )
    result_summary = forms.CharField(
        label="Kết quả (số, ký hiệu, trích yếu)", max_length=500, required=False
    )
    electronic = forms.BooleanField(label="Có kết quả điện tử", required=False)
    sign = forms.BooleanField(
        label="Ký số tệp kết quả (PDF) bằng chứng thư của tôi", required=False
    )
    pin = forms.CharField(
        label="Mã PIN thiết bị ký (nếu có)",
        required=False,
        max_length=64,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("sign") and not data.get("result_file"):
            self.add_error("result_file", "Hãy chọn tệp kết quả PDF để ký số.")
        if not self.errors and not data.get("result_file") and not data.get("result_summary"):
            self.add_error(
                "result_summary", "Hãy đính kèm tệp kết quả hoặc ghi số, ký hiệu của kết quả."
            )
        return data
