"""Forms of the public side: online filing, the dossier lookup and the satisfaction rating.

They check shapes and show Vietnamese messages; the rules (applicant fields, papers, file types
and sizes) are the services' (``congso.procedures.services``)."""

from __future__ import annotations

from typing import Any

from django import forms

from congso.kernel.orgunits.models import AdminUnit
from congso.procedures.models import ApplicantType, ProcedurePaper, Satisfaction


def bootstrap(form: forms.Form) -> None:
    """Bootstrap's classes on text inputs and text areas (the template draws the others)."""
    for bound in form:
        widget = bound.field.widget
        if isinstance(widget, (forms.TextInput, forms.Textarea, forms.EmailInput)):
            css = widget.attrs.get("class", "")
            if "form-control" not in css:
                widget.attrs["class"] = f"{css} form-control".strip()


class OnlineFilingForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="Nộp hồ sơ tới",
        queryset=AdminUnit.objects.none(),
        empty_label=None,
        error_messages={"required": "Chọn cơ quan tiếp nhận.", "invalid_choice": "Chọn cơ quan."},
    )
    applicant_type = forms.TypedChoiceField(
        label="Người nộp là",
        choices=ApplicantType.choices,
        coerce=int,
        initial=ApplicantType.CITIZEN,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label="Họ và tên (hoặc tên tổ chức)",
        max_length=255,
        error_messages={"required": "Nhập họ và tên người nộp."},
    )
    id_number = forms.CharField(
        label="Số định danh cá nhân / mã số doanh nghiệp", max_length=20, required=False
    )
    representative = forms.CharField(
        label="Người đại diện (với tổ chức)", max_length=255, required=False
    )
    address = forms.CharField(label="Địa chỉ", max_length=500, required=False)
    phone = forms.CharField(
        label="Số điện thoại",
        max_length=20,
        error_messages={"required": "Nhập số điện thoại để cơ quan liên hệ khi cần."},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label="Thư điện tử (để nhận mã hồ sơ)",
        required=False,
        error_messages={"invalid": "Địa chỉ thư điện tử không hợp lệ."},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    content = forms.CharField(
        label="Nội dung yêu cầu",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    pledge = forms.BooleanField(
        label="Tôi cam đoan những thông tin kê khai trên là đúng sự thật.",
        error_messages={"required": "Cần xác nhận lời cam đoan trước khi nộp."},
    )

    def __init__(
        self, *args: Any, units: list[AdminUnit], papers: list[ProcedurePaper], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = AdminUnit.objects.filter(pk__in=[u.pk for u in units])
        if len(units) == 1:
            unit_field.initial = units[0].pk
            unit_field.widget = forms.HiddenInput()
        self.papers = papers
        for paper in papers:
            self.fields[f"paper_{paper.pk}"] = forms.FileField(
                label=paper.name,
                required=paper.required,
                error_messages={
                    "required": f"Cần tải lên: {paper.name}.",
                    "empty": "Tệp tải lên rỗng.",
                },
                widget=forms.ClearableFileInput(
                    attrs={"accept": ".pdf,.png,.jpg,.jpeg,.tif,.tiff,.docx,.odt"}
                ),
            )

        bootstrap(self)

    def paper_fields(self) -> list[tuple[ProcedurePaper, forms.BoundField]]:
        return [(paper, self[f"paper_{paper.pk}"]) for paper in self.papers]

    def applicant(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "type": data["applicant_type"],
            "name": data["name"],
            "id_number": data.get("id_number", ""),
            "address": data.get("address", ""),
            "phone": data.get("phone", ""),
            "email": data.get("email", ""),
            "representative": data.get("representative", ""),
        }

    def uploads(self) -> list[tuple[int | None, Any]]:
        out: list[tuple[int | None, Any]] = []
        for paper in self.papers:
            upload = self.cleaned_data.get(f"paper_{paper.pk}")
            if upload:
                out.append((paper.pk, upload))
        return out


class LookupForm(forms.Form):
    ma = forms.CharField(
        label="Mã hồ sơ",
        max_length=64,
        error_messages={"required": "Nhập mã hồ sơ (in trên giấy tiếp nhận)."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    k = forms.CharField(
        label="Mã tra cứu hoặc 4 số cuối điện thoại",
        max_length=32,
        error_messages={"required": "Nhập mã tra cứu in trên giấy tiếp nhận."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="Mã tra cứu gồm 8 ký tự in trên giấy tiếp nhận, hoặc 4 chữ số cuối của số "
        "điện thoại đã khai khi nộp hồ sơ.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class RatingForm(LookupForm):
    score = forms.TypedChoiceField(
        label="Mức độ hài lòng",
        choices=sorted(Satisfaction.choices, reverse=True),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Chọn mức độ hài lòng."},
    )
    comment = forms.CharField(
        label="Ý kiến góp ý (không bắt buộc)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
