"""The dossier register (Sổ theo dõi hồ sơ, Circular 03/2025 form 7; vietnam-rules.md §2.1) of one
unit for a period: the rows, XLSX (openpyxl, streamed in write-only mode) and PDF (A4 landscape).

Columns: STT (the register line), Mã hồ sơ, Tên TTHC, Số lượng hồ sơ, Tên cá nhân / tổ chức,
Địa chỉ / số điện thoại, Cơ quan chủ trì giải quyết; the dates (received, appointment, sent to
the handling agency, result received back, result returned); Ghi chú.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Min, OuterRef, QuerySet, Subquery
from django.utils import timezone

from congso.kernel.audit.services import audit_record
from congso.kernel.errors import DomainError, PermissionDenied
from congso.kernel.orgunits.models import AdminUnit
from congso.procedures.models import Dossier, DossierStatus, DossierStep, Timeliness
from congso.procedures.stats.services import parse_date, stats_unit_ids
from congso.procedures.stats.summary import day_bounds

COLUMNS: tuple[tuple[str, str, int], ...] = (
    # key, header, XLSX width
    ("line", "STT", 7),
    ("code", "Mã hồ sơ", 24),
    ("procedure", "Tên thủ tục hành chính", 36),
    ("sets", "Số lượng hồ sơ (bộ)", 9),
    ("applicant", "Tên cá nhân, tổ chức", 24),
    ("contact", "Địa chỉ, số điện thoại", 28),
    ("agency", "Cơ quan chủ trì giải quyết", 22),
    ("received", "Nhận hồ sơ", 12),
    ("due", "Hẹn trả kết quả", 12),
    ("sent", "Chuyển hồ sơ đến cơ quan giải quyết", 12),
    ("result", "Nhận kết quả từ cơ quan giải quyết", 12),
    ("returned", "Trả kết quả cho cá nhân, tổ chức", 12),
    ("note", "Ghi chú", 22),
)
DATE_KEYS = frozenset({"received", "due", "sent", "result", "returned"})


def pdf_max_rows() -> int:
    return int(getattr(settings, "ONESTOP_REGISTER_PDF_MAX_ROWS", 3000))


@dataclass
class RegisterQuery:
    unit: AdminUnit
    start: dt.date
    end: dt.date

    @property
    def period_label(self) -> str:
        return f"từ {self.start:%d/%m/%Y} đến {self.end:%d/%m/%Y}"

    def filename(self, ext: str) -> str:
        return f"so-theo-doi-ho-so-{self.unit.code}-{self.start:%Y%m%d}-{self.end:%Y%m%d}.{ext}"


def register_query(
    *,
    user: Any,
    unit: Any = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    default_unit: int | None = None,
) -> RegisterQuery:
    allowed = stats_unit_ids(user)
    if not allowed:
        raise PermissionDenied("Bạn không có quyền xem sổ theo dõi hồ sơ.")
    try:
        unit_id = int(unit) if unit not in (None, "") else None
    except (TypeError, ValueError):
        raise DomainError("invalid_filter", "Cơ quan không hợp lệ.") from None
    if unit_id is None:
        unit_id = default_unit if default_unit in allowed else min(allowed)
    if unit_id not in allowed:
        raise PermissionDenied("Bạn không có quyền xem sổ theo dõi hồ sơ của cơ quan này.")
    unit_row = AdminUnit.objects.filter(pk=unit_id).first()
    if unit_row is None:
        raise PermissionDenied("Bạn không có quyền xem sổ theo dõi hồ sơ của cơ quan này.")
    today = timezone.localdate()
    start_d = start if isinstance(start, dt.date) else parse_date(start)
    end_d = end if isinstance(end, dt.date) else parse_date(end)
    start_d = start_d or today.replace(day=1)
    end_d = end_d or today
    if end_d < start_d:
        raise DomainError("invalid_period", "Ngày kết thúc phải sau ngày bắt đầu.")
    if (end_d - start_d).days > 366 * 2:
        raise DomainError("invalid_period", "Sổ theo dõi in tối đa 2 năm một lần.")
    return RegisterQuery(unit=unit_row, start=start_d, end=end_d)


def register_queryset(query: RegisterQuery) -> QuerySet[Dossier]:
    """The unit's dossiers filed in the period, in register order (one query with the first
    hand-over moment as a subquery)."""
    start, _ = day_bounds(query.start)
    _, end = day_bounds(query.end)
    first_handover = (
        DossierStep.objects.filter(dossier_id=OuterRef("pk"), position__gt=1)
        .values("dossier_id")
        .annotate(m=Min("started_at"))
        .values("m")[:1]
    )
    return (
        Dossier.objects.filter(unit_id=query.unit.pk, submitted_at__gte=start, submitted_at__lt=end)
        .select_related("procedure")
        .annotate(sent_at=Subquery(first_handover))
        .only(
            "id",
            "code",
            "register_year",
            "register_number",
            "sets_count",
            "applicant_name",
            "applicant_address",
            "applicant_phone",
            "submitted_at",
            "received_at",
            "due_at",
            "completed_at",
            "returned_at",
            "status",
            "timeliness",
            "channel",
            "original_due_at",
            "procedure__name",
            "unit_id",
        )
        .order_by("register_year", "register_number", "id")
    )


def _local(value: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(value).date() if value else None


def _note(d: Dossier) -> str:
    parts = []
    if d.channel != 1:
        parts.append(d.get_channel_display())
    if d.status in (DossierStatus.REFUSED, DossierStatus.WITHDRAWN, DossierStatus.STOPPED):
        parts.append(d.get_status_display())
    elif d.timeliness:
        parts.append(Timeliness(d.timeliness).label)
    if d.original_due_at and d.due_at and d.due_at != d.original_due_at:
        parts.append(f"Gia hạn (hẹn cũ {_local(d.original_due_at):%d/%m/%Y})")
    return "; ".join(parts)


def register_rows(query: RegisterQuery, dossiers: Any = None) -> Iterator[dict[str, Any]]:
    agency = query.unit.display_committee
    rows = dossiers if dossiers is not None else register_queryset(query).iterator(2000)
    for d in rows:
        contact = ", ".join(x for x in (d.applicant_address, d.applicant_phone) if x)
        yield {
            "id": d.pk,
            "line": d.register_number,
            "code": d.code,
            "procedure": d.procedure.name,
            "sets": d.sets_count,
            "applicant": d.applicant_name,
            "contact": contact,
            "agency": agency,
            "received": _local(d.received_at or d.submitted_at),
            "due": _local(d.due_at),
            "sent": _local(getattr(d, "sent_at", None)),
            "result": _local(d.completed_at),
            "returned": _local(d.returned_at),
            "note": _note(d),
        }


def _audit(query: RegisterQuery, what: str, rows: int, actor: Any) -> None:
    audit_record(
        action=f"dossier_register.{what}",
        obj=query.unit,
        actor=actor,
        unit=query.unit.pk,
        changes={"start": query.start.isoformat(), "end": query.end.isoformat(), "rows": rows},
        summary=f"Xuất sổ theo dõi hồ sơ ({what.upper()}) {query.period_label}: {rows} hồ sơ",
    )


def register_xlsx(query: RegisterQuery, *, actor: Any = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("So theo doi ho so")
    for i, (_key, _label, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A5"
    bold = Font(bold=True)
    title = WriteOnlyCell(ws, value="SỔ THEO DÕI HỒ SƠ")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    ws.append([f"{query.unit.display_committee} — {query.period_label}"])
    header = []
    for _key, label, _w in COLUMNS:
        cell = WriteOnlyCell(ws, value=label)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        header.append(cell)
    ws.append(header)
    ws.append([f"({i})" for i in range(1, len(COLUMNS) + 1)])
    count = 0
    for row in register_rows(query):
        out: list[Any] = []
        for key, _label, _w in COLUMNS:
            value = row[key]
            if key in DATE_KEYS and value is not None:
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "DD/MM/YYYY"
                out.append(cell)
            else:
                out.append(value)
        ws.append(out)
        count += 1
    buffer = io.BytesIO()
    wb.save(buffer)
    _audit(query, "xlsx", count, actor)
    return buffer.getvalue()


def register_count(query: RegisterQuery) -> int:
    start, _ = day_bounds(query.start)
    _, end = day_bounds(query.end)
    return Dossier.objects.filter(
        unit_id=query.unit.pk, submitted_at__gte=start, submitted_at__lt=end
    ).count()


def register_pdf(query: RegisterQuery, *, actor: Any = None, request: Any = None) -> bytes:
    from congso.kernel.pdf import render_pdf

    count = register_count(query)
    if count > pdf_max_rows():
        raise DomainError(
            "register_too_large",
            f"Sổ có {count:,} hồ sơ, quá nhiều để in một lần (tối đa {pdf_max_rows():,}): "
            "hãy chọn khoảng thời gian ngắn hơn hoặc xuất Excel.".replace(",", "."),
            details={"rows": count, "max_rows": pdf_max_rows()},
        )
    rows = list(register_rows(query))
    unit = query.unit
    parent = getattr(unit, "parent", None)
    pdf = render_pdf(
        "procedures/stats/pdf_register.html",
        {
            "query": query,
            "rows": rows,
            "columns": COLUMNS,
            "date_keys": DATE_KEYS,
            "committee": unit.display_committee,
            "parent_committee": parent.display_committee if parent else "",
            "printed_at": timezone.localtime(),
        },
        request=request,
    )
    _audit(query, "pdf", len(rows), actor)
    return pdf
