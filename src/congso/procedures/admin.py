"""Administration of the procedure catalogue (fields, procedures with their papers, steps and fees,
blank forms), its import/export (JSON, XLSX), and a read-only look at dossiers.

Demo procedures (``is_demo``) are flagged "DỮ LIỆU MẪU" in the list and on the change page.
Every save is audited (``procedures.catalogue_save``) besides Django's own admin log.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html

from congso.kernel.audit.services import audit_record
from congso.kernel.errors import DomainError

from . import catalogue, rules
from .models import (
    Dossier,
    Procedure,
    ProcedureFee,
    ProcedureField,
    ProcedurePaper,
    ProcedureStep,
)

FORM_FILE_TYPES = ("pdf", "docx", "doc", "odt", "ole")


@admin.register(ProcedureField)
class ProcedureFieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


class PaperForm(forms.ModelForm):
    form_upload = forms.FileField(
        label="Tải lên mẫu đơn, tờ khai",
        required=False,
        help_text="PDF, DOCX hoặc ODT; thay cho mẫu hiện có.",
    )

    class Meta:
        model = ProcedurePaper
        fields = ("position", "name", "copy_type", "quantity", "required", "form_name")


class PaperInline(admin.TabularInline):
    model = ProcedurePaper
    form = PaperForm
    extra = 0
    fields = (
        "position",
        "name",
        "copy_type",
        "quantity",
        "required",
        "form_name",
        "form_upload",
        "form_link",
    )
    readonly_fields = ("form_link",)

    @admin.display(description="Mẫu hiện có")
    def form_link(self, obj: ProcedurePaper) -> str:
        if obj.form_file_id is None:
            return "—"
        return str(obj.form_file.original_name) if obj.form_file else "—"


class StepInline(admin.TabularInline):
    model = ProcedureStep
    extra = 0
    fields = ("position", "name", "role", "department_abbreviation", "allotted_hours")


class FeeInline(admin.TabularInline):
    model = ProcedureFee
    extra = 0
    fields = ("name", "amount", "note")


class ImportForm(forms.Form):
    file = forms.FileField(label="Tệp danh mục (JSON hoặc XLSX)")


def _unit_for_files(request: HttpRequest) -> Any:
    from congso.kernel.orgunits.models import AdminUnit
    from congso.kernel.people.selectors import active_positions

    position = active_positions(request.user).first()
    if position is not None:
        return position.unit
    return AdminUnit.objects.filter(is_served=True).order_by("id").first()


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "field",
        "level",
        "duration_display",
        "cutoff_time",
        "online_level",
        "is_active",
        "demo_flag",
    )
    list_filter = ("field", "level", "online_level", "is_active", "is_demo")
    search_fields = ("code", "name")
    list_select_related = ("field",)
    inlines = (PaperInline, StepInline, FeeInline)
    change_list_template = "admin/procedures/procedure/change_list.html"
    fieldsets = (
        (None, {"fields": ("code", "name", "field", "level", "is_active", "is_demo")}),
        (
            "Thời hạn",
            {
                "fields": ("duration_value", "duration_unit", "cutoff_time"),
                "description": (
                    "Thời hạn theo ngày làm việc (1 ngày = 8 giờ làm việc) hoặc giờ làm việc. "
                    "Giờ chốt: hồ sơ nhận từ giờ này tính từ ngày làm việc tiếp theo "
                    "(ví dụ 15:00 với chứng thực bản sao). Thời hạn 0 ngày: trả trong ngày."
                ),
            },
        ),
        (
            "Thông tin công khai",
            {
                "fields": (
                    "online_level",
                    "result_description",
                    "applicant_description",
                    "fee_description",
                    "return_place",
                    "legal_basis",
                    "notes",
                )
            },
        ),
    )

    @admin.display(description="Thời hạn")
    def duration_display(self, obj: Procedure) -> str:
        from .timing import describe_duration

        return describe_duration(obj)

    @admin.display(description="Mẫu", boolean=False)
    def demo_flag(self, obj: Procedure) -> str:
        if not obj.is_demo:
            return ""
        return format_html('<strong style="color:#b45309">{}</strong>', "DỮ LIỆU MẪU")

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> HttpResponse:
        obj = context.get("original")
        if obj is not None and obj.is_demo:
            messages.warning(
                request,
                "Đây là thủ tục DỮ LIỆU MẪU (demo): mã, phí và quy trình chỉ để minh họa, "
                "cần đối chiếu với Cơ sở dữ liệu quốc gia về TTHC trước khi dùng thật.",
            )
        return super().render_change_form(request, context, *args, **kwargs)

    def save_model(self, request: HttpRequest, obj: Procedure, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            action="procedures.catalogue_save",
            obj=obj,
            actor=request.user,
            changes={k: str(form.cleaned_data.get(k)) for k in form.changed_data},
            summary=f"{'Sửa' if change else 'Thêm'} thủ tục {obj.code}",
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        if formset.model is not ProcedurePaper:
            return
        from congso.kernel.files.services import file_store

        for paper_form in formset.forms:
            upload = paper_form.cleaned_data.get("form_upload") if paper_form.is_valid() else None
            paper = paper_form.instance
            if not upload or paper.pk is None:
                continue
            try:
                stored = file_store(
                    upload=upload,
                    owner=paper,
                    unit=_unit_for_files(request),
                    user=request.user,
                    allowed_types=FORM_FILE_TYPES,
                )
            except DomainError as exc:
                messages.error(request, f"{paper.name}: {exc.message}")
                continue
            paper.form_file = stored
            if not paper.form_name:
                paper.form_name = stored.original_name[:255]
            paper.save(update_fields=["form_file", "form_name"])

    # --- import / export ---------------------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "nhap/",
                self.admin_site.admin_view(self.import_view),
                name="procedures_procedure_import",
            ),
            path(
                "xuat/<str:kind>/",
                self.admin_site.admin_view(self.export_view),
                name="procedures_procedure_export",
            ),
        ]
        return own + super().get_urls()

    def export_view(self, request: HttpRequest, kind: str) -> HttpResponse:
        if not rules.can_manage_catalogue(request.user):
            return HttpResponse(status=403)
        stamp = timezone.localdate().strftime("%Y%m%d")
        if kind == "json":
            body, content_type = catalogue.export_json(), "application/json"
        elif kind == "xlsx":
            body = catalogue.export_xlsx()
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            return HttpResponse(status=404)
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="danh-muc-tthc-{stamp}.{kind}"'
        return response

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not rules.can_manage_catalogue(request.user):
            return HttpResponse(status=403)
        form = ImportForm(request.POST or None, request.FILES or None)
        errors: list[dict[str, Any]] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            kind = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
            try:
                result = catalogue.catalogue_import(
                    data=upload.read(catalogue.MAX_BYTES + 1), kind=kind, actor=request.user
                )
            except DomainError as exc:
                messages.error(request, exc.message)
                errors = list((exc.details or {}).get("errors", [])) if exc.details else []
            else:
                messages.success(
                    request,
                    f"Đã nhập danh mục: {result.procedures_created} thủ tục mới, "
                    f"{result.procedures_updated} thủ tục được cập nhật.",
                )
                return HttpResponseRedirect(reverse("admin:procedures_procedure_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Nhập danh mục thủ tục hành chính",
            "form": form,
            "errors": errors,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/procedures/procedure/import.html", context)


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    """Read-only: dossiers are handled through the one-stop pages and the API."""

    list_display = ("code", "unit", "procedure", "status", "channel", "submitted_at", "due_at")
    list_filter = ("status", "channel", "timeliness")
    search_fields = ("code",)
    list_select_related = ("unit", "procedure")
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Dossier]:
        from .selectors import dossiers_for

        return dossiers_for(request.user).select_related("unit", "procedure")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Dossier._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
