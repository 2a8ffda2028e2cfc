"""HTML pages of construction order: register, work page with timeline, inspections, violations
and their steps, the printed record and stop-work order, the control rate and the monthly report.
Thin: parse, call one service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from congso.kernel.errors import DomainError, NotFound
from congso.kernel.errors import PermissionDenied as DomainPermissionDenied
from congso.urban.construction import exports, forms, rules, selectors, services
from congso.urban.construction.models import (
    Inspection,
    InspectionStatus,
    Violation,
    ViolationStatus,
    Work,
)

T = "urban/construction"
PAGE_SIZE = 50


def _need_access(request: HttpRequest) -> None:
    if not rules.can_use(request.user):
        raise DjangoPermissionDenied("Bạn không có quyền xem trật tự xây dựng.")


def _work(request: HttpRequest, pk: int) -> Work:
    _need_access(request)
    try:
        return selectors.work_get(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _violation(request: HttpRequest, pk: int) -> Violation:
    _need_access(request)
    try:
        return selectors.violation_get(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _current_unit(request: HttpRequest) -> Any:
    position = getattr(request, "position", None)
    if position is not None and rules.can_manage_works(request.user, position.unit_id):
        return position.unit
    return None


def _picker(unit: Any) -> dict[str, Any]:
    """The shared location picker (U2's include) when it is installed, with the ward drawn."""
    try:
        get_template("urban/_location_picker.html")
    except TemplateDoesNotExist:
        return {"picker": False}
    from congso.urban import geo

    return {
        "picker": True,
        "picker_boundaries": geo.boundaries_geojson([unit.pk]) if unit else None,
    }


# --- register --------------------------------------------------------------------------------


@require_GET
@login_required
def work_list(request: HttpRequest) -> HttpResponse:
    _need_access(request)
    form = forms.WorkFilterForm(request.GET or None)
    queryset = selectors.work_list(request.user, filters=form.filters() if form.is_bound else {})
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        f"{T}/work_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_register": _current_unit(request) is not None,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def work_create(request: HttpRequest) -> HttpResponse:
    unit = _current_unit(request)
    if unit is None:
        raise DjangoPermissionDenied(
            "Chỉ cán bộ kiểm tra, chuyên viên, lãnh đạo phường được đăng ký công trình."
        )
    form = forms.WorkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            work = services.work_register(unit=unit, actor=request.user, data=form.cleaned_data)
        except DomainPermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except DomainError as exc:
            forms.add_domain_error(form, exc)
        else:
            messages.success(request, f"Đã đăng ký công trình {work.code}.")
            return HttpResponseRedirect(reverse("urban_construction:work_detail", args=[work.pk]))
    return render(
        request, f"{T}/work_form.html", {"form": form, "unit": unit, "work": None, **_picker(unit)}
    )


@require_http_methods(["GET", "POST"])
@login_required
def work_edit(request: HttpRequest, pk: int) -> HttpResponse:
    work = _work(request, pk)
    if not rules.can_manage_works(request.user, work.unit_id):
        raise DjangoPermissionDenied("Bạn không có quyền sửa công trình này.")
    initial = {name: getattr(work, name) for name in services.WORK_FIELDS}
    form = forms.WorkForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.work_update(work=work, actor=request.user, data=form.cleaned_data)
        except DomainError as exc:
            forms.add_domain_error(form, exc)
        else:
            messages.success(request, "Đã cập nhật công trình.")
            return HttpResponseRedirect(reverse("urban_construction:work_detail", args=[work.pk]))
    return render(
        request,
        f"{T}/work_form.html",
        {"form": form, "unit": work.unit, "work": work, **_picker(work.unit)},
    )


@require_GET
@login_required
def work_detail(request: HttpRequest, pk: int) -> HttpResponse:
    work = _work(request, pk)
    today = timezone.localdate()
    violations = selectors.work_violations(work)
    return render(
        request,
        f"{T}/work_detail.html",
        {
            "work": work,
            "today": today,
            "inspections": selectors.work_inspections(work),
            "violations": violations,
            "timeline": selectors.work_timeline(work),
            "can_edit": rules.can_manage_works(request.user, work.unit_id),
            "can_inspect": rules.can_inspect(request.user, work.unit_id),
            "can_record": rules.can_record_violation(request.user, work.unit_id),
        },
    )


# --- inspections -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def inspection_create(request: HttpRequest, pk: int) -> HttpResponse:
    work = _work(request, pk)
    if not rules.can_inspect(request.user, work.unit_id):
        raise DjangoPermissionDenied("Bạn không có quyền ghi kết quả kiểm tra.")
    planned: Inspection | None = None
    planned_id = request.GET.get("ke_hoach") or request.POST.get("planned")
    if planned_id and str(planned_id).isdigit():
        planned = work.inspections.filter(
            pk=int(planned_id), status=InspectionStatus.PLANNED
        ).first()
    form = forms.InspectionForm(
        request.POST or None, request.FILES or None, initial={"inspected_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.inspection_record(
                work=work,
                actor=request.user,
                inspected_on=data["inspected_on"],
                findings=data["findings"],
                result=data["result"],
                photos=data["photos"],
                lat=data["lat"],
                lon=data["lon"],
                inspection=planned,
            )
        except DomainError as exc:
            forms.add_domain_error(form, exc)
        else:
            messages.success(request, "Đã ghi kết quả kiểm tra.")
            return HttpResponseRedirect(reverse("urban_construction:work_detail", args=[work.pk]))
    return render(
        request,
        f"{T}/inspection_form.html",
        {"form": form, "work": work, "planned": planned, **_picker(work.unit)},
    )


# --- violations ------------------------------------------------------------------------------


@require_GET
@login_required
def violation_list(request: HttpRequest) -> HttpResponse:
    _need_access(request)
    form = forms.ViolationFilterForm(request.GET or None)
    queryset = selectors.violation_list(
        request.user, filters=form.filters() if form.is_bound else {}
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        f"{T}/violation_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "today": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
@login_required
def violation_create(request: HttpRequest, pk: int) -> HttpResponse:
    work = _work(request, pk)
    if not rules.can_record_violation(request.user, work.unit_id):
        raise DjangoPermissionDenied("Bạn không có quyền lập biên bản vi phạm.")
    form = forms.ViolationForm(
        request.POST or None,
        initial={
            "record_date": timezone.localdate(),
            "order_stop": True,
            "category": request.GET.get("hanh_vi", ""),
        },
    )
    inspection = (
        work.inspections.filter(status=InspectionStatus.DONE)
        .order_by("-inspected_on", "-id")
        .first()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            violation = services.violation_record(
                work=work,
                actor=request.user,
                category=data["category"],
                description=data["description"],
                record_date=data["record_date"],
                inspection=inspection,
                order_stop=bool(data["order_stop"]),
            )
        except DomainError as exc:
            forms.add_domain_error(form, exc)
        else:
            messages.success(request, f"Đã lập biên bản {violation.record_label}.")
            return HttpResponseRedirect(
                reverse("urban_construction:violation_detail", args=[violation.pk])
            )
    return render(request, f"{T}/violation_form.html", {"form": form, "work": work})


def _violation_context(
    request: HttpRequest, violation: Violation, **override: Any
) -> dict[str, Any]:
    user = request.user
    allowed = services.VIOLATION_TRANSITIONS[violation.status]
    can_record = rules.can_record_violation(user, violation.unit_id)
    can_sanction = rules.can_sanction(user, violation.unit_id)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "violation": violation,
        "work": violation.work,
        "today": today,
        "overdue": violation.is_overdue(today),
        "timeline": list(violation.timeline.select_related("actor").order_by("day", "id")),
    }
    if can_record and ViolationStatus.STOP_ORDERED in allowed:
        context["stop_form"] = override.get("stop_form") or forms.StepForm(initial={"day": today})
    if can_sanction and ViolationStatus.SANCTIONED in allowed:
        context["sanction_form"] = override.get("sanction_form") or forms.SanctionForm(
            initial={"decision_date": today}
        )
    if can_record and ViolationStatus.DISMANTLED in allowed:
        context["dismantle_form"] = override.get("dismantle_form") or forms.DismantleForm(
            initial={"day": today}
        )
    if can_sanction and ViolationStatus.ENFORCED in allowed:
        context["enforce_form"] = override.get("enforce_form") or forms.EnforceForm(
            initial={"day": today}
        )
    if can_record and ViolationStatus.CLOSED in allowed:
        context["close_form"] = override.get("close_form") or forms.CloseForm(
            initial={"day": today}
        )
    return context


@require_GET
@login_required
def violation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    violation = _violation(request, pk)
    return render(request, f"{T}/violation_detail.html", _violation_context(request, violation))


Step = tuple[
    type[forms.BootstrapForm],
    str,
    Callable[..., Violation],
    Callable[[dict[str, Any]], dict[str, Any]],
    str,
]

STEPS: dict[str, Step] = {
    "dinh-chi": (
        forms.StepForm,
        "stop_form",
        services.violation_order_stop,
        lambda d: {"day": d["day"]},
        "Đã ra quyết định đình chỉ thi công.",
    ),
    "xu-phat": (
        forms.SanctionForm,
        "sanction_form",
        services.violation_sanction,
        lambda d: {
            "decision_number": d["decision_number"],
            "decision_date": d["decision_date"],
            "fine_amount": d["fine_amount"],
            "dismantling_required": d["dismantling_required"],
        },
        "Đã ghi quyết định xử phạt.",
    ),
    "thao-do": (
        forms.DismantleForm,
        "dismantle_form",
        services.violation_dismantle,
        lambda d: {"day": d["day"], "note": d["note"]},
        "Đã ghi nhận tháo dỡ.",
    ),
    "cuong-che": (
        forms.EnforceForm,
        "enforce_form",
        services.violation_enforce,
        lambda d: {"day": d["day"], "measures": d["measures"]},
        "Đã ghi nhận cưỡng chế.",
    ),
    "ket-thuc": (
        forms.CloseForm,
        "close_form",
        services.violation_close,
        lambda d: {"day": d["day"], "note": d["note"], "fine_paid": d["fine_paid"]},
        "Đã kết thúc xử lý vi phạm.",
    ),
}


@require_POST
@login_required
def violation_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    violation = _violation(request, pk)
    if step not in STEPS:
        raise Http404("Không có bước xử lý này.")
    form_class, form_name, service, args, done = STEPS[step]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(violation=violation, actor=request.user, **args(form.cleaned_data))
        except DomainPermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except DomainError as exc:
            forms.add_domain_error(form, exc)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(
                reverse("urban_construction:violation_detail", args=[violation.pk])
            )
    context = _violation_context(request, violation, **{form_name: form})
    context[form_name] = form
    return render(request, f"{T}/violation_detail.html", context, status=400)


@require_GET
@login_required
def violation_record_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    violation = _violation(request, pk)
    from congso.kernel.pdf.rendering import pdf_response

    return pdf_response(
        exports.record_pdf(violation),
        filename=f"bien-ban-{violation.record_number}-{violation.record_year}.pdf",
    )


@require_GET
@login_required
def violation_stop_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    violation = _violation(request, pk)
    if not violation.stop_order_number:
        raise Http404("Vi phạm này chưa có quyết định đình chỉ thi công.")
    from congso.kernel.pdf.rendering import pdf_response

    return pdf_response(
        exports.stop_order_pdf(violation),
        filename=f"quyet-dinh-dinh-chi-{violation.stop_order_number}-{violation.record_year}.pdf",
    )


# --- control rate and the monthly report -----------------------------------------------------


def _period(request: HttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    form = forms.PeriodForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return int(form.cleaned_data["year"]), int(form.cleaned_data["month"])
    return today.year, today.month


@require_GET
@login_required
def control(request: HttpRequest) -> HttpResponse:
    _need_access(request)
    year, month = _period(request)
    start, end = selectors.month_bounds(year, month)
    units = rules.construction_unit_ids(request.user)
    rates = selectors.control_rates(units, start, end)
    report = selectors.monthly_report(units, start, end)
    today = timezone.localdate()
    months = [(m, f"Tháng {m}") for m in range(1, 13)]
    return render(
        request,
        f"{T}/control.html",
        {
            "rates": rates,
            "report": report,
            "year": year,
            "month": month,
            "years": list(range(today.year - 5, today.year + 1)),
            "months": months,
            "start": start,
            "end": end,
        },
    )


@require_GET
@login_required
def report_xlsx(request: HttpRequest) -> HttpResponse:
    _need_access(request)
    year, month = _period(request)
    start, end = selectors.month_bounds(year, month)
    units = rules.construction_unit_ids(request.user)
    content = exports.monthly_report_xlsx(units, start, end)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="bao-cao-ttxd-{year}-{month:02d}.xlsx"'
    return response
