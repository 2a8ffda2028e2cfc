"""Registers and status reports: HTML pages, XLSX and PDF downloads (services/registers.py)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from congso.documents.models import DocumentType, RegisterImport, RegisterImportKind
from congso.documents.services import registers as svc
from congso.kernel.errors import DomainError, NotFound, PermissionDenied
from congso.kernel.files.models import StoredFile
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
    exports: list[Any] = []
    if query is not None:
        rate = svc.digitization_rate_for(query.unit, *query.period_bounds)
        exports = svc.recent_exports(request.user, query.unit)
    context.update({"error": error, "rate": rate, "exports": exports})
    return render(request, "documents/registers/index.html", context)


def _download(request: HttpRequest, query: svc.RegisterQuery, fmt: str) -> HttpResponse | None:
    from congso.kernel.pdf import pdf_response

    if fmt == "xlsx":
        data = svc.register_xlsx_bytes(query, actor=request.user)
        return xlsx_response(data, query.filename("xlsx"))
    if fmt == "pdf":
        if svc.register_count(query) > svc.PDF_SYNC_MAX_ROWS:
            export = svc.register_pdf_request(user=request.user, query=query)
            messages.info(
                request,
                f"Sổ có {export.rows} văn bản: hệ thống đang in PDF trong nền. Bạn sẽ nhận "
                "thông báo kèm liên kết tải về khi in xong.",
            )
            return redirect(
                reverse("documents:registers_index")
                + "?"
                + _querystring(request, drop={"page", "format", "secret"})
            )
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


# --- legacy register import ------------------------------------------------------------------


def _import_unit(request: HttpRequest) -> AdminUnit:
    position = getattr(request, "position", None)
    raw = request.POST.get("unit") or request.GET.get("unit")
    try:
        unit_id = int(raw) if raw else (position.unit_id if position else None)
    except ValueError:
        unit_id = None
    if unit_id is None or not svc.can_import_registers(request.user, unit_id):
        raise HttpForbidden("Chỉ văn thư, quản trị của cơ quan được nhập sổ cũ.")
    unit = AdminUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise Http404("Không tìm thấy cơ quan.")
    return unit


@login_required
@require_http_methods(["GET", "POST"])
def legacy_upload(request: HttpRequest) -> HttpResponse:
    """Step 1: choose the register kind and upload the XLSX."""
    from congso.documents.services import legacy_import

    unit = _import_unit(request)
    error = ""
    kind = request.POST.get("kind") or request.GET.get("kind") or "incoming"
    if request.method == "POST":
        upload = request.FILES.get("file")
        if kind not in legacy_import.FIELDS:
            error = "Hãy chọn loại sổ."
        elif upload is None:
            error = "Hãy chọn tệp Excel (.xlsx) của sổ cũ."
        else:
            try:
                stored = legacy_import.legacy_upload(user=request.user, unit=unit, upload=upload)
                legacy_import.legacy_read(stored)
            except PermissionDenied as exc:
                raise HttpForbidden(exc.message) from exc
            except DomainError as exc:
                error = exc.message
            else:
                url = reverse("documents:legacy_import_map", args=[stored.public_id])
                return redirect(f"{url}?kind={kind}&unit={unit.pk}")
    recent = RegisterImport.objects.filter(unit=unit).select_related("imported_by", "source")[:10]
    return render(
        request,
        "documents/registers/import_upload.html",
        {"unit": unit, "error": error, "kind": kind, "recent": recent},
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def legacy_map(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Step 2: check the column mapping, see the report, import (all rows or none)."""
    from congso.documents.services import legacy_import

    unit = _import_unit(request)
    stored = StoredFile.objects.filter(public_id=public_id, unit=unit, kind="xlsx").first()
    if stored is None:
        raise Http404("Không tìm thấy tệp.")
    data = request.POST if request.method == "POST" else request.GET
    kind = data.get("kind") or "incoming"
    if kind not in legacy_import.FIELDS:
        raise Http404("Không có loại sổ này.")
    fields = legacy_import.fields_for(kind)
    try:
        sheet = legacy_import.legacy_read(stored)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('documents:legacy_import')}?unit={unit.pk}")
    if request.method == "POST":
        mapping: dict[str, int | None] = {}
        for f in fields:
            raw = request.POST.get(f"map_{f.key}", "")
            mapping[f.key] = int(raw) if raw.isdigit() else None
    else:
        mapping = legacy_import.legacy_guess_mapping(kind, sheet.headers)
    type_mapping = {
        key.removeprefix("type__"): value
        for key, value in request.POST.items()
        if key.startswith("type__") and value
    }
    report = None
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "check")
        try:
            report, record = legacy_import.legacy_import(
                user=request.user,
                unit=unit,
                kind=kind,
                source=stored,
                mapping=mapping,
                type_mapping=type_mapping,
                dry_run=action != "import",
            )
        except legacy_import.LegacyImportInvalid as exc:
            report = exc.report
            error = exc.message
        except PermissionDenied as exc:
            raise HttpForbidden(exc.message) from exc
        except DomainError as exc:
            error = exc.message
        else:
            if record is not None:
                messages.success(
                    request,
                    f"Đã nhập {record.row_count} văn bản vào {record.get_kind_display().lower()}.",
                )
                target = "register_incoming" if kind == "incoming" else "register_outgoing"
                years = sorted({int(item["year"]) for item in record.years})
                query = f"?unit={unit.pk}" + (f"&year={years[-1]}" if years else "")
                return redirect(reverse(f"documents:{target}") + query)
    preview = sheet.rows[:5]
    return render(
        request,
        "documents/registers/import_map.html",
        {
            "unit": unit,
            "stored": stored,
            "kind": kind,
            "kind_label": RegisterImportKind(kind).label,
            "sheet": sheet,
            "fields": [(f, mapping.get(f.key)) for f in fields],
            "preview": [(row, [_cell(v) for v in values]) for row, values in preview],
            "report": report,
            "error": error,
            "document_types": DocumentType.objects.filter(is_active=True),
            "type_mapping": type_mapping,
        },
        status=422 if error else 200,
    )


def _cell(value: Any) -> str:
    import datetime as dt

    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)[:80]
