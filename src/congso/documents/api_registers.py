"""/api/v1/documents/: registers, status reports and files (hồ sơ), the same services as the
pages (services/registers.py, services/filing.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from congso.documents.models import (
    File,
    FileList,
    IncomingDocument,
    OutgoingDocument,
    RegisterExport,
)
from congso.documents.services import filing
from congso.documents.services import registers as svc
from congso.kernel.errors import NotFound
from congso.kernel.files.responses import content_disposition

router = Router(tags=["documents: registers, files"])

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_LIMIT = 1000

_BINARY = {
    "responses": {
        200: {
            "description": "JSON, hoặc tệp XLSX / PDF khi format=xlsx|pdf",
            "content": {
                "application/json": {"schema": {"type": "object"}},
                XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    }
}


class RegisterParams(Schema):
    unit: int | None = Field(None, description="Cơ quan (mặc định: của vị trí công tác)")
    year: int | None = Field(None, description="Năm (mặc định: năm nay khi không có khoảng)")
    from_: str | None = Field(None, alias="from", description="Từ ngày, YYYY-MM-DD hoặc dd/mm/yyyy")
    to: str | None = Field(None, description="Đến ngày")
    secret: bool = Field(False, description="Sổ văn bản mật (người có thẩm quyền)")
    format: Literal["json", "xlsx", "pdf"] = "json"
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _default_unit(request: HttpRequest) -> int | None:
    position = getattr(request, "position", None) if request.user == _user(request) else None
    return position.unit_id if position is not None else None


def _query(request: HttpRequest, kind: str, params: RegisterParams) -> svc.RegisterQuery:
    return svc.register_query(
        user=_user(request),
        kind=kind,
        unit=params.unit,
        default_unit=_default_unit(request),
        year=params.year,
        start=params.from_,
        end=params.to,
        secret=params.secret,
    )


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(filename, inline=False)
    response["Cache-Control"] = "private, no-store"
    return response


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _rate(rate: svc.Rate | None) -> dict[str, Any] | None:
    if rate is None:
        return None
    return {"digitized": rate.digitized, "total": rate.total, "percent": rate.percent}


def _register(request: HttpRequest, kind: str, params: RegisterParams) -> Any:
    from congso.kernel.pdf import pdf_response

    query = _query(request, kind, params)
    if params.format == "xlsx":
        return _xlsx(svc.register_xlsx_bytes(query, actor=_user(request)), query.filename("xlsx"))
    if params.format == "pdf":
        if svc.register_count(query) > svc.PDF_SYNC_MAX_ROWS:
            export = svc.register_pdf_request(user=_user(request), query=query)
            return Status(202, _export_out(export))
        pdf = svc.register_pdf(query, actor=_user(request))
        return pdf_response(pdf, filename=query.filename("pdf"), inline=False)
    documents = svc.register_queryset(query)
    total = documents.count()
    page = list(documents[params.offset : params.offset + params.limit])
    rows = list(svc.register_rows(query, page))
    svc.audit_secret_rows(query, [r["id"] for r in rows], what="API", actor=_user(request))
    keys = [c.key for c in query.columns]
    start, end = query.period_bounds
    return {
        "register": str(query.kind),
        "title": query.title,
        "unit_id": query.unit.pk,
        "unit_name": query.unit.display_committee,
        "period": {"label": query.period_label, "start": start, "end": end, "year": query.year},
        "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in query.columns],
        "count": total,
        "offset": params.offset,
        "limit": params.limit,
        "items": [{"id": r["id"], **{key: _json_value(r[key]) for key in keys}} for r in rows],
        "digitization_rate": _rate(svc.digitization_rate_for(query.unit, start, end)),
    }


@router.get(
    "/registers/incoming",
    response={200: dict, 202: dict},
    summary="Sổ đăng ký văn bản đến",
    description="10 cột theo Phụ lục IV Nghị định 30/2020. `format=xlsx|pdf` để tải tệp.",
    openapi_extra=_BINARY,
)
def register_incoming(request: HttpRequest, params: Query[RegisterParams]) -> Any:
    return _register(request, "incoming", params)


@router.get(
    "/registers/outgoing",
    response={200: dict, 202: dict},
    summary="Sổ đăng ký văn bản đi",
    openapi_extra=_BINARY,
)
def register_outgoing(request: HttpRequest, params: Query[RegisterParams]) -> Any:
    return _register(request, "outgoing", params)


@router.get(
    "/registers/followup",
    response={200: dict, 202: dict},
    summary="Sổ theo dõi giải quyết văn bản đến",
    openapi_extra=_BINARY,
)
def register_followup(request: HttpRequest, params: Query[RegisterParams]) -> Any:
    return _register(request, "followup", params)


def _export_out(export: RegisterExport) -> dict[str, Any]:
    return {
        "export_id": export.pk,
        "status": export.status,
        "title": export.title,
        "rows": export.rows,
        "error": export.error or None,
        "download_url": (
            reverse("files:download", args=[export.file.public_id])
            if export.file_id and export.file
            else None
        ),
    }


@router.get(
    "/registers/exports/{export_id}",
    summary="Bản in sổ (PDF in trong nền)",
    description="Sổ dài hơn 600 văn bản được in trong nền: `format=pdf` trả 202 với "
    "`export_id`; hỏi lại ở đây đến khi `status` là `done` rồi tải `download_url`.",
)
def register_export(request: HttpRequest, export_id: int) -> dict[str, Any]:
    export = (
        RegisterExport.objects.select_related("file")
        .filter(pk=export_id, requested_by_id=_user(request).pk)
        .first()
    )
    if export is None:
        raise NotFound("Không tìm thấy bản in sổ.")
    return _export_out(export)


def _counts(item: svc.StatusCounts) -> dict[str, Any]:
    return {
        "label": item.label,
        "total": item.total,
        "on_time": item.on_time,
        "late": item.late,
        "pending": item.pending,
        "overdue": item.overdue,
    }


@router.get(
    "/reports/status",
    summary="Báo cáo tình hình xử lý văn bản",
    description="Văn bản đến: đúng hạn, quá hạn, đang giải quyết, quá hạn chưa giải quyết "
    "(theo đơn vị và theo lãnh đạo); văn bản đi theo loại và tháng; tỷ lệ số hóa.",
    openapi_extra=_BINARY,
)
def report_status(request: HttpRequest, params: Query[RegisterParams]) -> Any:
    from congso.kernel.pdf import pdf_response

    query = _query(request, "incoming", params.model_copy(update={"secret": False}))
    incoming = svc.incoming_status_report(query)
    outgoing = svc.outgoing_type_report(query)
    name = f"bao-cao-van-ban-{query.period_slug}"
    if params.format == "xlsx":
        return _xlsx(svc.report_xlsx(query, incoming, outgoing), f"{name}.xlsx")
    if params.format == "pdf":
        return pdf_response(
            svc.report_pdf(query, incoming, outgoing), filename=f"{name}.pdf", inline=False
        )
    start, end = query.period_bounds
    return {
        "unit_id": query.unit.pk,
        "period": {"label": query.period_label, "start": start, "end": end, "year": query.year},
        "as_of": incoming.today,
        "incoming": {
            "received": incoming.received,
            "unassigned": incoming.unassigned,
            "totals": _counts(incoming.totals),
            "by_department": [_counts(c) for c in incoming.by_department],
            "by_leader": [_counts(c) for c in incoming.by_leader],
        },
        "outgoing": {
            "months": outgoing.months,
            "by_type": [
                {"type": name, "by_month": values, "total": total}
                for name, values, total in outgoing.rows
            ],
            "month_totals": outgoing.month_totals,
            "total": outgoing.total,
        },
        "digitization_rate": _rate(incoming.rate),
    }


# --- files -----------------------------------------------------------------------------------


class FileListParams(Schema):
    unit: int | None = None
    year: int | None = None


def _file_out(file: File) -> dict[str, Any]:
    return {
        "id": file.pk,
        "code": filing.file_code(file),
        "notation": file.notation,
        "number": file.number,
        "title": file.title,
        "heading_id": file.heading_id,
        "retention_years": file.retention_years,
        "retention": file.retention_label,
        "access": file.access,
        "keeper": file.keeper.get_full_name() if file.keeper else None,
        "keeper_id": file.keeper_id,
        "status": file.status,
        "opened_at": file.opened_at,
        "closed_at": file.closed_at,
        "deposited_at": file.deposited_at,
        "start_date": file.start_date,
        "end_date": file.end_date,
        "page_total": file.page_total,
        "deposit_due": filing.deposit_due_on(file),
        "url": reverse("documents:filing_file", args=[file.pk]),
    }


@router.get("/files/", summary="Danh mục hồ sơ của một năm")
def file_list(request: HttpRequest, params: Query[FileListParams]) -> dict[str, Any]:
    user = _user(request)
    unit_id = params.unit if params.unit is not None else _default_unit(request)
    if unit_id is None or not filing.can_view_files(user, unit_id):
        raise NotFound("Không tìm thấy cơ quan.")
    year = params.year or timezone.localdate().year
    found = FileList.objects.filter(unit_id=unit_id, year=year).select_related("unit").first()
    if found is None:
        raise NotFound(f"Cơ quan chưa có danh mục hồ sơ năm {year}.")
    tree = filing.file_list_tree(found)
    headings = []
    files = []
    for node in tree:
        for level in [node, *node.children]:
            heading = level.heading
            headings.append(
                {
                    "id": heading.pk,
                    "parent_id": heading.parent_id,
                    "number": heading.number,
                    "title": heading.title,
                    "abbreviation": heading.abbreviation,
                }
            )
            for file in level.files:
                file.unit = found.unit
                file.file_list = found
                files.append(_file_out(file))
    return {
        "id": found.pk,
        "unit_id": found.unit_id,
        "year": found.year,
        "title": str(found),
        "numbering": found.numbering,
        "approved_at": found.approved_at,
        "issued_at": found.issued_at,
        "headings": headings,
        "files": files,
    }


@router.get("/files/{file_id}", summary="Một hồ sơ và mục lục văn bản")
def file_detail(request: HttpRequest, file_id: int) -> dict[str, Any]:
    user = _user(request)
    file = filing.file_get(user, file_id)
    rows = filing.file_document_rows(file, user)
    body = _file_out(file)
    body["documents"] = [
        {
            "ordinal": r["ordinal"],
            "kind": r["kind"],
            "document_id": r["document"].pk,
            "notation": r["notation"],
            "date": r["date"],
            "type_and_subject": r["type_and_subject"],
            "author": r["author"],
            "sheet": r["sheet"],
            "pages": r["pages"],
            "note": r["note"],
        }
        for r in rows
    ]
    return body


class AddDocumentIn(Schema):
    kind: Literal["incoming", "outgoing"]
    document_id: int
    pages: int | None = Field(None, ge=0, le=30000)
    note: str = Field("", max_length=255)


@router.post("/files/{file_id}/documents", response={201: dict}, summary="Đưa văn bản vào hồ sơ")
def file_add_document(
    request: HttpRequest, file_id: int, payload: AddDocumentIn
) -> Status[dict[str, Any]]:
    user = _user(request)
    file = filing.file_get(user, file_id)
    model: type[IncomingDocument] | type[OutgoingDocument] = (
        IncomingDocument if payload.kind == "incoming" else OutgoingDocument
    )
    document = model.objects.filter(pk=payload.document_id).first()
    if document is None:
        raise NotFound("Không tìm thấy văn bản.")
    entry = filing.file_add_document(
        user=user, file=file, document=document, pages=payload.pages, note=payload.note
    )
    return Status(
        201,
        {
            "file_id": file.pk,
            "notation": file.notation,
            "ordinal": entry.ordinal,
            "pages": entry.pages,
            "kind": payload.kind,
            "document_id": document.pk,
        },
    )


class CloseIn(Schema):
    closing_note: str = Field(..., max_length=5000)


@router.post("/files/{file_id}/close", summary="Kết thúc hồ sơ")
def file_close(request: HttpRequest, file_id: int, payload: CloseIn) -> dict[str, Any]:
    user = _user(request)
    file = filing.file_close(
        user=user, file=filing.file_get(user, file_id), closing_note=payload.closing_note
    )
    return _file_out(filing.file_get(user, file.pk))


@router.get(
    "/files/{file_id}/export",
    summary="Xuất hồ sơ để nộp lưu (ZIP)",
    description="Các văn bản (PDF), metadata.xml (Phụ lục VI) và mục lục hồ sơ nộp lưu (PDF).",
    response={200: None},
    openapi_extra={
        "responses": {
            200: {
                "description": "Tệp ZIP",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def file_export(request: HttpRequest, file_id: int) -> HttpResponse:
    user = _user(request)
    file = filing.file_get(user, file_id)
    data = filing.files_export_for_deposit(user=user, files=[file])
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = content_disposition(
        f"nop-luu-{filing.file_code(file)}.zip", inline=False
    )
    response["Cache-Control"] = "private, no-store"
    return response
