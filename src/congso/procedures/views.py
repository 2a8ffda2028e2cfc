"""The one-stop shop's officers' screens (/mot-cua/): desk intake, the dossier lists, the leader's
late view, the dossier page with its actions, and the official forms as PDFs.

Thin: parse a form, call one service (``congso.procedures.services``) or selector, render. What a
user may do with a dossier is ``services.allowed_actions(dossier, user)``; a dossier outside the
user's scope (``selectors.dossiers_for``) is a 404.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from congso.kernel.calendar.services import VN_TZ, add_working_hours
from congso.kernel.errors import DomainError
from congso.kernel.errors import PermissionDenied as DomainPermissionDenied
from congso.kernel.orgunits.models import AdminUnit, Department
from congso.kernel.people.models import Position, Role, User
from congso.kernel.people.rules import has_role, is_admin
from congso.procedures import pdf, selectors, services, timing
from congso.procedures.forms import (
    CompleteForm,
    DeskIntakeForm,
    DossierFilterForm,
    EmptyForm,
    ExtendForm,
    FeesPaidForm,
    FeesRequestForm,
    HandOverForm,
    ReasonForm,
    SupplementReceivedForm,
    SupplementRequestForm,
    WithdrawForm,
    active_procedures,
    add_domain_error,
)
from congso.procedures.models import (
    AttachmentKind,
    Dossier,
    DossierAttachment,
    DossierExtension,
    DossierStatus,
    Procedure,
    ProcedureField,
)

TEMPLATES = "procedures/staff"
NON_FIELD = "__all__"  # add_domain_error: not a field name, so the error goes on top
PAGE_SIZE = 25
STAFF_ROLES = (Role.ONESTOP_OFFICER, Role.SPECIALIST, Role.LEADER, Role.ADMIN)
LATE_VIEW_ROLES = (Role.LEADER, Role.ADMIN, Role.ONESTOP_OFFICER)


def due_soon_hours() -> int:
    """Working hours before the due time from which a dossier is shown as "sắp đến hạn"."""
    return int(getattr(settings, "ONESTOP_DUE_SOON_HOURS", 8))


def _require_staff(request: HttpRequest, roles: tuple[str, ...] = STAFF_ROLES) -> None:
    if not (has_role(request.user, *roles) or is_admin(request.user)):
        raise DjangoPermissionDenied("Bạn không có quyền truy cập mục Một cửa.")


def _current_unit(request: HttpRequest) -> AdminUnit | None:
    position = getattr(request, "position", None)
    return position.unit if position is not None else None


def _can_receive(user: Any, unit: AdminUnit | None) -> bool:
    return unit is not None and has_role(user, Role.ONESTOP_OFFICER, unit=unit)


# --- lists -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tab:
    slug: str
    label: str
    condition: Callable[[dt.datetime], Q]


ACTIVE = (DossierStatus.ACCEPTED, DossierStatus.IN_PROCESS)
TABS: list[Tab] = [
    Tab("cho-tiep-nhan", "Chờ tiếp nhận trực tuyến", lambda now: Q(status=DossierStatus.SUBMITTED)),
    Tab("dang-xu-ly", "Đang xử lý", lambda now: Q(status__in=ACTIVE)),
    Tab(
        "cho-bo-sung",
        "Chờ bổ sung, nộp phí",
        lambda now: Q(status__in=(DossierStatus.SUPPLEMENT_REQUESTED, DossierStatus.FEES_DUE)),
    ),
    Tab("cho-tra", "Chờ trả kết quả", lambda now: Q(status=DossierStatus.DONE)),
    Tab("da-tra", "Đã trả kết quả", lambda now: Q(status=DossierStatus.RETURNED)),
    Tab("qua-han", "Quá hạn", lambda now: Q(status__in=ACTIVE, due_at__lt=now)),
    Tab(
        "da-ket-thuc",
        "Từ chối, rút, dừng",
        lambda now: Q(
            status__in=(DossierStatus.REFUSED, DossierStatus.WITHDRAWN, DossierStatus.STOPPED)
        ),
    ),
    Tab("tat-ca", "Tất cả", lambda now: Q()),
]
TAB_BY_SLUG = {tab.slug: tab for tab in TABS}


def _apply_filters(qs: QuerySet[Dossier], filters: dict[str, Any], user: Any) -> QuerySet[Dossier]:
    if "q" in filters:
        text = filters["q"].strip()
        qs = qs.filter(
            Q(code__icontains=text)
            | Q(applicant_name__icontains=text)
            | Q(applicant_phone__icontains=text)
        )
    if "field" in filters:
        qs = qs.filter(field=filters["field"])
    if "procedure" in filters:
        qs = qs.filter(procedure=filters["procedure"])
    if "channel" in filters:
        qs = qs.filter(channel=filters["channel"])
    if "date_from" in filters:
        start = dt.datetime.combine(filters["date_from"], dt.time.min, tzinfo=VN_TZ)
        qs = qs.filter(submitted_at__gte=start)
    if "date_to" in filters:
        end = dt.datetime.combine(filters["date_to"] + dt.timedelta(days=1), dt.time.min, VN_TZ)
        qs = qs.filter(submitted_at__lt=end)
    if filters.get("mine"):
        qs = qs.filter(
            Q(handler=user) | Q(current_step__assignee=user, current_step__finished_at__isnull=True)
        )
    return qs


def _mark_urgency(rows: list[Dossier], now: dt.datetime, soon_before: dt.datetime) -> None:
    """``row.urgency``: "overdue", "soon" (due within N working hours) or "" (for the colours)."""
    for row in rows:
        urgency = ""
        running = row.status in ACTIVE or row.status == DossierStatus.SUBMITTED
        if row.due_at is not None and running and row.paused_since is None:
            if row.due_at < now:
                urgency = "overdue"
            elif row.due_at <= soon_before:
                urgency = "soon"
        row.urgency = urgency  # type: ignore[attr-defined]


def _list_queryset(scope: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return (
        scope.select_related(None)
        .select_related("procedure", "field", "handler")
        .only(
            "id",
            "code",
            "status",
            "channel",
            "applicant_name",
            "applicant_type",
            "submitted_at",
            "received_at",
            "due_at",
            "paused_since",
            "returned_at",
            "completed_at",
            "timeliness",
            "procedure__name",
            "procedure__code",
            "field__name",
            "handler__full_name",
            "handler__username",
        )
    )


@require_GET
@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    now = timezone.now()
    form = DossierFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    scope = _apply_filters(selectors.dossiers_for(request.user), filters, request.user)
    tab = TAB_BY_SLUG.get(request.GET.get("tab", ""), TAB_BY_SLUG["dang-xu-ly"])
    counts = scope.aggregate(
        **{t.slug.replace("-", "_"): Count("id", filter=t.condition(now)) for t in TABS}
    )
    tabs = [(t, counts[t.slug.replace("-", "_")]) for t in TABS]
    qs = _list_queryset(scope.filter(tab.condition(now)))
    qs = qs.order_by("due_at", "id") if tab.slug in ("dang-xu-ly", "qua-han") else qs
    paginator = Paginator(qs, PAGE_SIZE)
    # The aggregate above already counted this tab (same scope and filters): no second COUNT.
    paginator.__dict__["count"] = counts[tab.slug.replace("-", "_")]
    page = paginator.get_page(request.GET.get("page"))
    rows = list(page.object_list)
    _mark_urgency(rows, now, add_working_hours(now, due_soon_hours()))
    query = request.GET.copy()
    query.pop("page", None)
    tab_query = query.copy()
    tab_query.pop("tab", None)
    unit = _current_unit(request)
    context = {
        "form": form,
        "tab": tab,
        "tabs": tabs,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "tab_query": tab_query.urlencode(),
        "can_receive": _can_receive(request.user, unit),
        "soon_hours": due_soon_hours(),
    }
    if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "dossier-rows":
        return render(request, f"{TEMPLATES}/_rows.html", context)
    return render(request, f"{TEMPLATES}/list.html", context)


@require_GET
@login_required
def late_list(request: HttpRequest) -> HttpResponse:
    """The leader's view: everything overdue or due within N working hours, oldest due first."""
    _require_staff(request, LATE_VIEW_ROLES)
    now = timezone.now()
    hours = due_soon_hours()
    with contextlib.suppress(ValueError):
        hours = max(1, min(int(request.GET.get("gio", hours)), 200))
    qs = _list_queryset(selectors.late_or_due_soon(request.user, hours)).order_by("due_at", "id")
    paginator = Paginator(qs, 50)
    page = paginator.get_page(request.GET.get("page"))
    rows = list(page.object_list)
    _mark_urgency(rows, now, add_working_hours(now, hours))
    return render(
        request,
        f"{TEMPLATES}/late.html",
        {
            "rows": rows,
            "page": page,
            "hours": hours,
            "overdue_count": sum(1 for r in rows if r.urgency == "overdue"),
            "query": f"gio={hours}",
        },
    )


# --- desk intake -----------------------------------------------------------------------------


def _intake_unit(request: HttpRequest) -> AdminUnit:
    unit = _current_unit(request)
    if not _can_receive(request.user, unit):
        raise DjangoPermissionDenied(
            "Chỉ cán bộ Bộ phận một cửa của đơn vị được tiếp nhận hồ sơ trực tiếp."
        )
    assert unit is not None
    return unit


def _fields_with_procedures() -> list[tuple[ProcedureField, list[Any]]]:
    groups: dict[int, tuple[ProcedureField, list[Any]]] = {}
    for procedure in active_procedures().order_by("field__name", "name"):
        groups.setdefault(procedure.field_id, (procedure.field, []))[1].append(procedure)
    return list(groups.values())


@require_http_methods(["GET", "POST"])
@login_required
def intake(request: HttpRequest) -> HttpResponse:
    unit = _intake_unit(request)
    if request.method == "POST":
        form = DeskIntakeForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                dossier = services.dossier_receive_at_desk(
                    unit=unit,
                    procedure=form.cleaned_data["procedure"],
                    applicant=form.applicant(),
                    papers_provided=form.papers_provided(),
                    uploads=form.uploads(),
                    content=form.cleaned_data["content"],
                    sets_count=form.cleaned_data["sets_count"],
                    officer=request.user,
                )
            except DomainPermissionDenied as exc:
                raise DjangoPermissionDenied(exc.message) from exc
            except DomainError as exc:
                # A refused scan names its file: shown at the top, above the papers.
                add_domain_error(form, exc, {"files": NON_FIELD, "papers": NON_FIELD})
            else:
                messages.success(
                    request,
                    f"Đã tiếp nhận hồ sơ {dossier.code}; hẹn trả "
                    f"{timezone.localtime(dossier.due_at):%H:%M ngày %d/%m/%Y}."
                    if dossier.due_at
                    else f"Đã tiếp nhận hồ sơ {dossier.code}.",
                )
                return HttpResponseRedirect(
                    reverse("procedures:dossier_detail", args=[dossier.code]) + "?moi=1"
                )
    else:
        initial: dict[str, Any] = {}
        if request.GET.get("thu_tuc"):
            initial["procedure"] = request.GET["thu_tuc"]
        form = DeskIntakeForm(initial=initial)
    return render(
        request,
        f"{TEMPLATES}/intake.html",
        {
            "form": form,
            "unit": unit,
            "groups": _fields_with_procedures(),
            "preview": due_preview(form.procedure_obj),
            "fields": ProcedureField.objects.all(),
            "files_lost": request.method == "POST" and bool(request.FILES),
        },
        status=400 if request.method == "POST" else 200,
    )


def due_preview(procedure: Procedure | None) -> dict[str, dt.datetime] | None:
    """When the clock would start and the appointment, were the dossier taken now."""
    if procedure is None:
        return None
    received = timing.reception_moment(procedure, timezone.now())
    return {"received": received, "due": timing.due_for(procedure, received)}


@require_GET
@login_required
def intake_papers(request: HttpRequest) -> HttpResponse:
    """htmx: the papers of the chosen procedure, each with its tick box and scan input."""
    _intake_unit(request)
    form = DeskIntakeForm(initial={"procedure": request.GET.get("procedure")})
    return render(
        request,
        f"{TEMPLATES}/_papers.html",
        {
            "form": form,
            "procedure": form.procedure_obj,
            "preview": due_preview(form.procedure_obj),
        },
    )


@require_GET
@login_required
def intake_procedures(request: HttpRequest) -> HttpResponse:
    """htmx: the procedure options matching the search text and field."""
    _intake_unit(request)
    qs = active_procedures()
    text = (request.GET.get("tim") or "").strip()
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(code__icontains=text))
    field = request.GET.get("linh_vuc") or ""
    if field.isdigit():
        qs = qs.filter(field_id=int(field))
    groups: dict[int, tuple[ProcedureField, list[Any]]] = {}
    for procedure in qs.order_by("field__name", "name")[:500]:
        groups.setdefault(procedure.field_id, (procedure.field, []))[1].append(procedure)
    return render(
        request,
        f"{TEMPLATES}/_procedure_options.html",
        {"groups": list(groups.values()), "selected": request.GET.get("procedure", "")},
    )


# --- detail and actions ----------------------------------------------------------------------


def _dossier(request: HttpRequest, code: str) -> Dossier:
    _require_staff(request)
    dossier = (
        selectors.dossiers_for(request.user)
        .select_related(
            "unit",
            "unit__parent",
            "procedure",
            "field",
            "handler",
            "receiving_officer",
            "current_step",
            "result_file",
        )
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ (hoặc hồ sơ không thuộc phạm vi của bạn).")
    return dossier


def unit_staff(unit: AdminUnit) -> QuerySet[User]:
    ids = Position.objects.active().filter(unit=unit).values_list("user_id", flat=True)
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "pk")


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    button: str
    style: str
    make_form: Callable[..., Any]
    run: Callable[[Dossier, Any, Any, HttpRequest], Any]
    done: str


def _hand_over_form(dossier: Dossier, data: Any = None, files: Any = None) -> HandOverForm:
    if data is not None:
        return HandOverForm(data, unit=dossier.unit, staff=unit_staff(dossier.unit))
    # Suggest the procedure's next step: its department, named in the hint.
    template = services.next_step_template(dossier)
    initial: dict[str, Any] = {}
    hint = ""
    if template is not None:
        hint = f"Bước tiếp theo theo quy trình: {template.name}"
        if template.department_abbreviation:
            department = Department.objects.filter(
                unit=dossier.unit, abbreviation=template.department_abbreviation
            ).first()
            if department is not None:
                initial["to_department"] = department.pk
                hint += f" ({department.name})"
        hint += f", {pdf.vn_number(template.allotted_hours)} giờ làm việc."
    form = HandOverForm(initial=initial, unit=dossier.unit, staff=unit_staff(dossier.unit))
    form.hint = hint
    return form


def _simple(form_class: type) -> Callable[..., Any]:
    def make(dossier: Dossier, data: Any = None, files: Any = None) -> Any:
        return form_class(data, files) if data is not None else form_class()

    return make


def _fees_form(dossier: Dossier, data: Any = None, files: Any = None) -> FeesRequestForm:
    if data is not None:
        return FeesRequestForm(data)
    total = sum((fee.amount for fee in dossier.procedure.fees.all()), 0)
    return FeesRequestForm(initial={"amount": int(total) or None})


ACTIONS: dict[str, Action] = {
    a.key: a
    for a in (
        Action(
            "accept",
            "Tiếp nhận hồ sơ trực tuyến",
            "Tiếp nhận",
            "success",
            _simple(EmptyForm),
            lambda d, f, u, r: services.dossier_accept(dossier=d, officer=u),
            "Đã tiếp nhận hồ sơ; thời hạn giải quyết bắt đầu tính.",
        ),
        Action(
            "request_supplement",
            "Yêu cầu bổ sung, hoàn thiện hồ sơ",
            "Gửi yêu cầu bổ sung",
            "warning",
            _simple(SupplementRequestForm),
            lambda d, f, u, r: services.dossier_request_supplement(
                dossier=d, actor=u, items=f.cleaned_data["items"], note=f.cleaned_data["note"]
            ),
            "Đã yêu cầu bổ sung hồ sơ; thời hạn tạm dừng.",
        ),
        Action(
            "supplement_received",
            "Nhận giấy tờ bổ sung",
            "Ghi nhận đã bổ sung",
            "primary",
            _simple(SupplementReceivedForm),
            lambda d, f, u, r: services.dossier_supplement_received(
                dossier=d,
                actor=u,
                uploads=[(None, upload) for upload in f.cleaned_data["scans"]],
                note=f.cleaned_data["note"],
            ),
            "Đã nhận giấy tờ bổ sung; thời hạn tiếp tục tính.",
        ),
        Action(
            "hand_over",
            "Chuyển xử lý",
            "Chuyển",
            "primary",
            _hand_over_form,
            lambda d, f, u, r: services.dossier_hand_over(
                dossier=d,
                actor=u,
                to_user=f.cleaned_data["to_user"],
                to_department=f.cleaned_data["to_department"],
                note=f.cleaned_data["note"],
            ),
            "Đã chuyển hồ sơ.",
        ),
        Action(
            "request_fees",
            "Yêu cầu thực hiện nghĩa vụ tài chính",
            "Yêu cầu nộp phí",
            "warning",
            _fees_form,
            lambda d, f, u, r: services.dossier_request_fees(
                dossier=d, actor=u, amount=f.cleaned_data["amount"]
            ),
            "Đã yêu cầu nộp phí, lệ phí; thời hạn tạm dừng.",
        ),
        Action(
            "fees_paid",
            "Xác nhận đã nộp phí, lệ phí",
            "Đã nộp phí",
            "primary",
            _simple(FeesPaidForm),
            lambda d, f, u, r: services.dossier_fees_paid(
                dossier=d, actor=u, online=f.cleaned_data["online"]
            ),
            "Đã ghi nhận nộp phí; thời hạn tiếp tục tính.",
        ),
        Action(
            "extend",
            "Xin lỗi và gia hạn (một lần)",
            "Gia hạn",
            "warning",
            _simple(ExtendForm),
            lambda d, f, u, r: services.dossier_extend(
                dossier=d, actor=u, new_due_at=f.new_due_at(), reason=f.cleaned_data["reason"]
            ),
            "Đã lập văn bản xin lỗi và hẹn lại ngày trả kết quả.",
        ),
        Action(
            "complete",
            "Hoàn thành giải quyết",
            "Hoàn thành",
            "success",
            _simple(CompleteForm),
            lambda d, f, u, r: services.dossier_complete(
                dossier=d,
                actor=u,
                result_upload=f.cleaned_data["result_file"],
                result_summary=f.cleaned_data["result_summary"],
                electronic=f.cleaned_data["electronic"],
                sign=f.cleaned_data["sign"],
                pin=f.cleaned_data["pin"] or None,
            ),
            "Đã có kết quả giải quyết; hồ sơ chờ trả.",
        ),
        Action(
            "return",
            "Trả kết quả cho người nộp",
            "Đã trả kết quả",
            "success",
            _simple(EmptyForm),
            lambda d, f, u, r: services.dossier_return(dossier=d, actor=u),
            "Đã trả kết quả cho người nộp.",
        ),
        Action(
            "refuse",
            "Từ chối tiếp nhận",
            "Từ chối",
            "danger",
            _simple(ReasonForm),
            lambda d, f, u, r: services.dossier_refuse(
                dossier=d, actor=u, reason=f.cleaned_data["reason"]
            ),
            "Đã từ chối tiếp nhận hồ sơ.",
        ),
        Action(
            "stop",
            "Dừng giải quyết",
            "Dừng giải quyết",
            "danger",
            _simple(ReasonForm),
            lambda d, f, u, r: services.dossier_stop(
                dossier=d, actor=u, reason=f.cleaned_data["reason"]
            ),
            "Đã dừng giải quyết hồ sơ.",
        ),
        Action(
            "withdraw",
            "Người nộp rút hồ sơ",
            "Ghi nhận rút hồ sơ",
            "secondary",
            _simple(WithdrawForm),
            lambda d, f, u, r: services.dossier_withdraw(
                dossier=d, actor=u, reason=f.cleaned_data["reason"]
            ),
            "Đã ghi nhận người nộp rút hồ sơ.",
        ),
    )
}


def _allowed(dossier: Dossier, user: Any) -> list[str]:
    return [key for key in services.allowed_actions(dossier, user) if key in ACTIONS]


def _detail_context(
    request: HttpRequest, dossier: Dossier, failed: tuple[str, Any] | None = None
) -> dict[str, Any]:
    papers = list(
        dossier.papers.prefetch_related(
            Prefetch(
                "files",
                queryset=DossierAttachment.objects.select_related("stored_file").order_by("id"),
            )
        ).order_by("id")
    )
    other_files = list(
        dossier.attachments.filter(paper__isnull=True)
        .select_related("stored_file", "added_by")
        .order_by("id")
    )
    allowed = _allowed(dossier, request.user)
    forms: list[dict[str, Any]] = []
    for key in allowed:
        action = ACTIONS[key]
        form = failed[1] if failed and failed[0] == key else action.make_form(dossier)
        form.auto_id = f"id_{key}_%s"  # several forms on one page: unique ids
        forms.append({"action": action, "form": form, "open": bool(failed and failed[0] == key)})
    now = timezone.now()
    _mark_urgency([dossier], now, add_working_hours(now, due_soon_hours()))
    extension = DossierExtension.objects.filter(dossier=dossier).first()
    return {
        "dossier": dossier,
        "papers": papers,
        "other_files": other_files,
        "supplements": [a for a in other_files if a.kind == AttachmentKind.SUPPLEMENT],
        "events": list(dossier.events.select_related("actor").order_by("at", "id")),
        "steps": list(
            dossier.steps.select_related("department", "assignee", "handed_by").order_by(
                "position", "id"
            )
        ),
        "pauses": list(dossier.pauses.select_related("requested_by").order_by("started_at")),
        "extension": extension,
        "action_forms": forms,
        "print_forms": pdf.available_forms(dossier),
        "is_new": request.GET.get("moi") == "1",
        "fee_text": pdf.vn_number(dossier.fee_amount),
        "now": now,
    }


@require_GET
@login_required
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier(request, code)
    return render(request, f"{TEMPLATES}/detail.html", _detail_context(request, dossier))


@require_POST
@login_required
def dossier_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    dossier = _dossier(request, code)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("Không có thao tác này.")
    if action not in _allowed(dossier, request.user):
        raise DjangoPermissionDenied(
            f"Bạn không thể thực hiện thao tác '{spec.label}' với hồ sơ ở trạng thái "
            f"'{dossier.get_status_display()}'."
        )
    form = spec.make_form(dossier, request.POST, request.FILES)
    if form.is_valid():
        try:
            spec.run(dossier, form, request.user, request)
        except DomainPermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except DomainError as exc:
            add_domain_error(
                form,
                exc,
                {"files": "scans" if "scans" in form.fields else "result_file", "uploads": "scans"},
            )
        else:
            messages.success(request, spec.done)
            return HttpResponseRedirect(reverse("procedures:dossier_detail", args=[dossier.code]))
    dossier.refresh_from_db()
    return render(
        request,
        f"{TEMPLATES}/detail.html",
        _detail_context(request, dossier, failed=(action, form)),
        status=400,
    )


# --- printed forms ---------------------------------------------------------------------------


@require_GET
@login_required
def dossier_form_pdf(request: HttpRequest, code: str, form: str) -> HttpResponse:
    from congso.kernel.pdf import pdf_response

    dossier = _dossier(request, code)
    spec = pdf.FORMS.get(form)
    if spec is None:
        raise Http404("Không có mẫu phiếu này.")
    if not spec.available(dossier):
        raise Http404(f"Hồ sơ chưa có {spec.title.lower()}.")
    data = pdf.render_form(form, dossier, request=request)
    return pdf_response(data, filename=pdf.form_filename(form, dossier))


__all__ = [
    "ACTIONS",
    "TABS",
    "dossier_action",
    "dossier_detail",
    "dossier_form_pdf",
    "dossier_list",
    "intake",
    "intake_papers",
    "intake_procedures",
    "late_list",
]
