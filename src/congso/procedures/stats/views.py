"""Staff pages: the statistics (leaders, one-stop officers, inspectors) and the dossier register
(Sổ theo dõi hồ sơ) as a page, XLSX and PDF. Thin: the figures come from ``services``/
``register``; permissions by unit and role are checked there."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from congso.kernel.errors import DomainError, PermissionDenied
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import Role
from congso.procedures.models import ProcedureField
from congso.procedures.stats import register as reg
from congso.procedures.stats import services as svc

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 100


def _default_unit(request: HttpRequest) -> int | None:
    return getattr(getattr(request, "position", None), "unit_id", None)


def _units(user: Any) -> list[AdminUnit]:
    ids = svc.stats_unit_ids(user)
    return list(AdminUnit.objects.filter(pk__in=ids).order_by("name")[:500]) if ids else []


@login_required
@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    params = request.GET
    filters = {
        "unit": params.get("unit", ""),
        "field": params.get("field", ""),
        "group": params.get("group") or "procedure",
    }
    report = None
    error = ""
    try:
        query = svc.stats_query(
            user=request.user,
            unit=filters["unit"] or None,
            start=params.get("from") or None,
            end=params.get("to") or None,
            group=filters["group"],
            field=filters["field"] or None,
            procedure=params.get("procedure") or None,
            default_unit=None if "unit" in params else _default_unit(request),
        )
    except PermissionDenied as exc:
        raise HttpForbidden(exc.message) from exc
    except DomainError as exc:
        error = exc.message
    else:
        report = svc.statistics(query)
        if not filters["unit"] and len(query.unit_ids) == 1:
            filters["unit"] = str(query.unit_ids[0])
    return render(
        request,
        "procedures/stats/index.html",
        {
            "report": report,
            "error": error,
            "filters": filters,
            "units": _units(request.user),
            "fields": list(ProcedureField.objects.order_by("name")),
            "groups": list(svc.GROUPS.items()),
            "group_label": svc.GROUPS.get(filters["group"], "Thủ tục"),
            "start_text": report.query.start.strftime("%d/%m/%Y")
            if report
            else params.get("from", ""),
            "end_text": report.query.end.strftime("%d/%m/%Y") if report else params.get("to", ""),
        },
    )


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    from congso.kernel.files.responses import content_disposition

    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(filename, inline=False)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def register_page(request: HttpRequest) -> HttpResponse:
    params = request.GET
    error = ""
    query = None
    try:
        query = reg.register_query(
            user=request.user,
            unit=params.get("unit") or None,
            start=params.get("from") or None,
            end=params.get("to") or None,
            default_unit=_default_unit(request),
        )
    except PermissionDenied as exc:
        raise HttpForbidden(exc.message) from exc
    except DomainError as exc:
        error = exc.message
    fmt = params.get("format", "")
    if query is not None and fmt in {"xlsx", "pdf"}:
        try:
            if fmt == "xlsx":
                return _xlsx_response(
                    reg.register_xlsx(query, actor=request.user), query.filename("xlsx")
                )
            from congso.kernel.pdf import pdf_response

            pdf = reg.register_pdf(query, actor=request.user, request=request)
            return pdf_response(pdf, filename=query.filename("pdf"), inline=True)
        except DomainError as exc:
            error = exc.message
    context: dict[str, Any] = {
        "query": query,
        "error": error,
        "units": _units(request.user),
        "columns": reg.COLUMNS,
        "start_text": query.start.strftime("%d/%m/%Y") if query else params.get("from", ""),
        "end_text": query.end.strftime("%d/%m/%Y") if query else params.get("to", ""),
    }
    if query is not None:
        paginator = Paginator(reg.register_queryset(query), PAGE_SIZE)
        page = paginator.get_page(params.get("page"))
        context["page_obj"] = page
        context["rows"] = list(reg.register_rows(query, page.object_list))
        context["querystring"] = urlencode(
            {
                "unit": query.unit.pk,
                "from": query.start.strftime("%d/%m/%Y"),
                "to": query.end.strftime("%d/%m/%Y"),
            }
        )
    return render(request, "procedures/stats/register.html", context)


def register_stats_ui() -> None:
    """Staff menu entries for the statistics and the register."""
    from congso.kernel.core.navigation import NavItem, register_nav

    roles = frozenset(svc.STATS_ROLES)
    register_nav(
        NavItem(
            key="procedures.statistics",
            label="Thống kê một cửa",
            url_name="procedures_stats:index",
            roles=roles,
            order=36,
            description="Hồ sơ tiếp nhận, giải quyết đúng hạn, trực tuyến, số hóa, hài lòng; "
            "chỉ số Quyết định 766.",
        )
    )
    register_nav(
        NavItem(
            key="procedures.register",
            label="Sổ theo dõi hồ sơ",
            url_name="procedures_stats:register",
            roles=frozenset({Role.ONESTOP_OFFICER.value, Role.LEADER.value, Role.ADMIN.value}),
            order=37,
            description="Sổ theo dõi hồ sơ theo kỳ: xuất Excel, in PDF.",
        )
    )
