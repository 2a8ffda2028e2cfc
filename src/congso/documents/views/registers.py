"""Registers and status reports: HTML pages, XLSX and PDF downloads (services/registers.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from congso.documents.services import registers as svc
from congso.kernel.errors import DomainError, NotFound, PermissionDenied
from congso.kernel.files.responses import content_disposition
from congso.kernel.orgunits.models import AdminUnit

PAGE_SIZE = 100
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(filename, inline=False)
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _unit_choices(user: Any) -> list[AdminUnit]:
    ids = svc.register_unit_ids(user)
    if not ids:
        return []
    return list(AdminUnit.objects.filter(pk__in=ids).order_by("name")[:500])


def _filters(request: HttpRequest) -> dict[str, Any]:
    params = request.GET
    return {
        "unit": params.get("unit") or None,
        "year": params.get("year") or None,
        "start": params.get("from") or None,
        "end": params.get("to") or None,
        "secret": params.get("secret") in {"1", "on", "true"},
    }


def _query_or_error(
    request: HttpRequest, kind: str
) -> tuple[svc.RegisterQuery | None, str, dict[str, Any]]:
    filters = _filters(request)
    try:
        query = svc.register_query(
            user=request.user,
            kind=kind,
            default_unit=getattr(getattr(request, "position", None), "unit_id", None),
            **filters,
        )
    except PermissionDenied as exc:
        raise HttpForbidden(exc.message) from exc
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        return None, exc.message, filters
    return query, "", filters


def _base_context(request: HttpRequest, filters: dict[str, Any], query: Any) -> dict[str, Any]:
    this_year = timezone.localdate().year
    return {
        "filters": filters,
        "query": query,
        "units": _unit_choices(request.user),
        "years": list(range(this_year, this_year - 12, -1)),
        "can_secret": bool(query and svc.can_view_secret_registers(request.user, query.unit)),
        "can_import": bool(query and svc.can_import_registers(request.user, query.unit)),
    }


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The registers' home: the three registers, the reports, the import and the files."""
    query, error, filters = _query_or_error(request, svc.RegisterKind.INCOMING)
    context = _base_context(request, filters, query)
    rate = None
    if query is not None:
        rate = svc.digitization_rate_for(query.unit, *query.period_bounds)
    context.update({"error": error, "rate": rate})
    return render(request, "documents/registers/index.html", context)


def _download(request: HttpRequest, query: svc.RegisterQuery, fmt: str) -> HttpResponse | None:
    from congso.kernel.pdf import pdf_response

    if fmt == "xlsx":
        data = svc.register_xlsx_bytes(query, actor=request.user)
        return xlsx_response(data, query.filename("xlsx"))
    if fmt == "pdf":
        pdf = svc.register_pdf(query, actor=request.user, request=request)
        return pdf_response(pdf, filename=query.filename("pdf"), inline=True)
    return None


@login_required
@require_GET
def register(request: HttpRequest, kind: str) -> HttpResponse:
    query, error, filters = _query_or_error(request, kind)
    fmt = request.GET.get("format", "")
    if query is not None and fmt in {"xlsx", "pdf"}:
        try:
            response = _download(request, query, fmt)
        except DomainError as exc:
            error = exc.message
        else:
            assert response is not None
            return response
    context = _base_context(request, filters, query)
    context.update({"error": error, "kind": kind, "title": svc.TITLES[svc.RegisterKind(kind)]})
    if query is not None:
        paginator = Paginator(svc.register_queryset(query), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        rows = list(svc.register_rows(query, page.object_list))
        svc.audit_secret_rows(query, [row["id"] for row in rows], what="Xem", actor=request.user)
        context.update(
            {
                "page_obj": page,
                "columns": query.columns,
                "cells": [[(c, row[c.key]) for c in query.columns] for row in rows],
                "rows": rows,
                "rate": svc.digitization_rate_for(query.unit, *query.period_bounds),
                "querystring": _querystring(request, drop={"page", "format"}),
            }
        )
    return render(request, "documents/registers/register.html", context)


def _querystring(request: HttpRequest, *, drop: set[str]) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """The mandatory status reports: incoming handled / pending / overdue, outgoing by type."""
    from congso.kernel.pdf import pdf_response

    query, error, filters = _query_or_error(request, svc.RegisterKind.INCOMING)
    context = _base_context(request, filters, query)
    context["error"] = error
    if query is not None:
        incoming = svc.incoming_status_report(query)
        outgoing = svc.outgoing_type_report(query)
        fmt = request.GET.get("format", "")
        name = f"bao-cao-van-ban-{query.period_slug}"
        if fmt == "xlsx":
            return xlsx_response(svc.report_xlsx(query, incoming, outgoing), f"{name}.xlsx")
        if fmt == "pdf":
            pdf = svc.report_pdf(query, incoming, outgoing, request=request)
            return pdf_response(pdf, filename=f"{name}.pdf")
        context.update(
            {
                "incoming": incoming,
                "outgoing": outgoing,
                "month_labels": [svc.month_name(m) for m in outgoing.months],
                "querystring": _querystring(request, drop={"format"}),
                "today": timezone.localdate(),
            }
        )
    return render(request, "documents/registers/report.html", context)
