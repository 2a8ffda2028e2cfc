"""Staff pages of field reports under /do-thi/phan-anh/: the list with filters, the detail with
the triage forms (accept, refuse, merge, assign, level, answer, close). Thin: parse, call one
service or selector, render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from congso.kernel.errors import DomainError, NotFound
from congso.kernel.errors import PermissionDenied as DomainPermissionDenied
from congso.kernel.people.rules import is_staff_member
from congso.urban.reports import rules, selectors, services
from congso.urban.reports.forms import (
    AcceptForm,
    AnswerForm,
    AssignForm,
    FilterForm,
    LevelForm,
    MergeForm,
    RefuseForm,
)
from congso.urban.reports.models import FieldReport

TEMPLATES = "urban/reports"


def _staff(request: HttpRequest) -> None:
    if not is_staff_member(request.user):
        raise DjangoPermissionDenied("Chỉ cán bộ được xem phản ánh hiện trường.")


def _report(request: HttpRequest, pk: int) -> FieldReport:
    try:
        return selectors.report_get(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@require_GET
@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    form = FilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else selectors.ReportFilters()
    qs = selectors.report_list(request.user, filters)
    if request.GET.get("mine"):
        mine = selectors.assigned_to_me(request.user).values("pk")
        qs = qs.filter(pk__in=mine)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    now = timezone.now()
    rows = [(r, services.is_overdue(r, now)) for r in page.object_list]
    return render(
        request,
        f"{TEMPLATES}/list.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "accept": AcceptForm,
    "refuse": RefuseForm,
    "merge": MergeForm,
    "assign": AssignForm,
    "level": LevelForm,
    "answer": AnswerForm,
}


def _forms(report: FieldReport, bound: tuple[str, forms.Form] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "accept": AcceptForm(initial={"level": report.level}),
        "refuse": RefuseForm(),
        "merge": MergeForm(),
        "assign": AssignForm(
            unit_id=report.unit_id,
            initial={
                "department": report.department_id or selectors.default_department_id(report),
                "assignee": report.assignee_id,
            },
        ),
        "level": LevelForm(initial={"level": report.level}),
        "answer": AnswerForm(initial={"answer": report.public_answer}),
    }
    if bound is not None:
        out[bound[0]] = bound[1]
    return out


def _detail(
    request: HttpRequest, report: FieldReport, bound: tuple[str, forms.Form] | None = None
) -> HttpResponse:
    user = request.user
    can_triage = rules.can_triage(user, report)
    context = {
        "report": report,
        "photos": selectors.report_photos(report),
        "forms": _forms(report, bound),
        "can_triage": can_triage,
        "can_answer": rules.can_answer(user, report),
        "can_close": rules.can_close(user, report),
        "overdue": services.is_overdue(report),
        "duplicates": selectors.duplicate_candidates(report) if can_triage else [],
        "duplicates_of": list(report.duplicates.only("pk", "tracking_code", "received_at")),
        "inspection_available": report.category.is_construction
        and services.inspection_hook() is not None,
    }
    return render(request, f"{TEMPLATES}/detail.html", context, status=400 if bound else 200)


@require_GET
@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    return _detail(request, _report(request, pk))


def _run(name: str, report: FieldReport, form: forms.Form, user: Any) -> str:
    d = form.cleaned_data
    if name == "accept":
        services.report_accept(report=report, actor=user, level=d["level"])
        return "Đã tiếp nhận phản ánh."
    if name == "refuse":
        services.report_refuse(report=report, actor=user, reason=d["reason"])
        return "Đã từ chối phản ánh."
    if name == "merge":
        code = services.normalise_tracking_code(d["into"])
        target = FieldReport.objects.filter(tracking_code=code, unit_id=report.unit_id).first()
        if target is None:
            raise DomainError(
                "report_merge_unknown",
                "Không tìm thấy phản ánh gốc với mã này trong phường.",
                details={"field": "into"},
            )
        services.report_merge(report=report, into=target, actor=user)
        return f"Đã gộp vào phản ánh {target.tracking_code}."
    if name == "assign":
        services.report_assign(
            report=report,
            actor=user,
            department=d.get("department"),
            assignee=d.get("assignee"),
            open_inspection=bool(d.get("open_inspection")),
        )
        return "Đã giao xử lý phản ánh."
    if name == "level":
        services.report_set_level(report=report, actor=user, level=d["level"])
        return "Đã cập nhật mức độ và thời hạn xử lý."
    if name == "answer":
        services.report_answer(report=report, actor=user, answer=d["answer"])
        return "Đã đăng trả lời công khai."
    raise Http404


@require_POST
@login_required
def report_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _staff(request)
    report = _report(request, pk)
    if action == "close":
        try:
            services.report_close(report=report, actor=request.user)
        except DomainPermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Đã kết thúc phản ánh.")
        return HttpResponseRedirect(reverse("urban_reports:detail", args=[report.pk]))
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404
    form = (
        AssignForm(request.POST, unit_id=report.unit_id)
        if form_class is AssignForm
        else form_class(request.POST)
    )
    if form.is_valid():
        try:
            message = _run(action, report, form, request.user)
        except DomainPermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except DomainError as exc:
            field = (exc.details or {}).get("field") if isinstance(exc.details, dict) else None
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, message)
            return HttpResponseRedirect(reverse("urban_reports:detail", args=[report.pk]))
    return _detail(request, report, (action, form))
