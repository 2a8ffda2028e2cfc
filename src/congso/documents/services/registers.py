"""Registers (sổ đăng ký văn bản) and status reports: Decree 30/2020 Art. 16, 22, App. IV and
App. VI Part I §III (shared/domain/vietnam-rules.md §1.4, §1.7).

- The incoming register (10 columns), the outgoing register (10 columns) and the incoming
  follow-up register (7 columns), for one committee and one period; the secret series apart,
  only for cleared users (each view or export of secret rows is audited).
- Shown as HTML pages (one query for the page's documents plus one per prefetched relation),
  exported to XLSX (openpyxl write-only, rows streamed from a chunked iterator: memory stays flat
  at 100,000 rows) and to a print-ready A4 landscape PDF (kernel.pdf) with a cover, the column
  headers repeated on every page and the signatures block: a register kept in the system must
  still be printed, signed and bound (Art. 16.2.b, 22.3.b).
- Status reports: incoming handled on time / late / pending / overdue by department and by
  leader; outgoing by document type and month; with the digitisation rate of the period.

Everything here reads; the only write is the audit event of a secret read.
"""

from __future__ import annotations

import datetime as dt
import enum
import io
import logging
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from congso.documents.models import (
    Assignment,
    AssignmentStatus,
    Dispatch,
    DocumentType,
    IncomingDocument,
    IncomingStatus,
    OutgoingDocument,
    OutgoingStatus,
    RegisterExport,
    RegisterExportStatus,
    Urgency,
)
from congso.kernel.audit.services import audit_record
from congso.kernel.errors import DomainError, NotFound, PermissionDenied
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import Role
from congso.kernel.people.rules import has_role, is_staff_member
from congso.kernel.people.selectors import effective_positions, unit_descendant_ids

logger = logging.getLogger(__name__)

#: Roles that keep or read a committee's registers (the clerk keeps them; leaders and
#: administrators read them). Leaders and administrators of a parent unit read those of its
#: descendants, as everywhere.
REGISTER_ROLES = frozenset({Role.CLERK.value, Role.LEADER.value, Role.ADMIN.value})
_SCOPE_DOWN = frozenset({Role.LEADER.value, Role.ADMIN.value})

EXPORT_CHUNK = 2000
#: A PDF is laid out in memory; beyond this many rows ask for a shorter period (or the XLSX).
PDF_MAX_ROWS = 20000
FIRST_YEAR = 1945


# --- permissions -----------------------------------------------------------------------------


def register_unit_ids(user: Any) -> set[int]:
    """Committees whose registers ``user`` may read (one or two queries)."""
    if not is_staff_member(user):
        return set()
    if user.is_superuser:
        return set(AdminUnit.objects.values_list("id", flat=True))
    rows = list(effective_positions(user).values_list("unit_id", "role"))
    units = {unit_id for unit_id, role in rows if role in REGISTER_ROLES}
    down = {unit_id for unit_id, role in rows if role in _SCOPE_DOWN}
    if down:
        units |= unit_descendant_ids(down)
    return units


def can_view_registers(user: Any, unit: AdminUnit | int) -> bool:
    unit_id = unit if isinstance(unit, int) else unit.pk
    return unit_id in register_unit_ids(user)


def can_view_secret_registers(user: Any, unit: AdminUnit | int) -> bool:
    """The secret series: a reader of the registers whose clearance is at least Mật."""
    return int(getattr(user, "clearance", 0) or 0) >= 1 and can_view_registers(user, unit)


def can_import_registers(user: Any, unit: AdminUnit | int) -> bool:
    """Import a legacy register: the committee's clerks and administrators."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    return is_staff_member(user) and has_role(user, Role.CLERK, Role.ADMIN, unit=unit_id)


# --- columns ---------------------------------------------------------------------------------


class RegisterKind(enum.StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"
    FOLLOWUP = "followup"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text | date | number
    width: float = 14  # XLSX width in characters; the PDF shares it out proportionally


INCOMING_COLUMNS: tuple[Column, ...] = (
    Column("arrived_on", "Ngày đến", "date", 11),
    Column("arrival_number", "Số đến", "number", 7),
    Column("author", "Tác giả", "text", 24),
    Column("notation", "Số, ký hiệu văn bản", "text", 15),
    Column("issued_date", "Ngày tháng văn bản", "date", 11),
    Column("type_and_subject", "Tên loại và trích yếu nội dung", "text", 44),
    Column("recipient", "Đơn vị hoặc người nhận", "text", 22),
    Column("transferred_on", "Ngày chuyển", "date", 11),
    Column("acknowledged", "Ký nhận", "text", 10),
    Column("note", "Ghi chú", "text", 18),
)

OUTGOING_COLUMNS: tuple[Column, ...] = (
    Column("notation", "Số, ký hiệu văn bản", "text", 16),
    Column("issued_date", "Ngày tháng văn bản", "date", 11),
    Column("type_and_subject", "Tên loại và trích yếu nội dung", "text", 44),
    Column("signer", "Người ký", "text", 18),
    Column("recipients", "Nơi nhận văn bản", "text", 26),
    Column("archive_copy", "Đơn vị, người nhận bản lưu", "text", 18),
    Column("copies", "Số lượng bản", "number", 8),
    Column("transferred_on", "Ngày chuyển", "date", 11),
    Column("acknowledged", "Ký nhận", "text", 10),
    Column("note", "Ghi chú", "text", 16),
)

FOLLOWUP_COLUMNS: tuple[Column, ...] = (
    Column("arrival_number", "Số đến", "number", 7),
    Column(
        "document",
        "Tên loại, số, ký hiệu, ngày tháng văn bản và cơ quan ban hành",
        "text",
        46,
    ),
    Column("recipient", "Đơn vị hoặc người nhận", "text", 24),
    Column("deadline", "Thời hạn giải quyết", "date", 12),
    Column("progress", "Tiến độ giải quyết", "text", 30),
    Column("answer", "Số, ký hiệu văn bản trả lời", "text", 18),
    Column("note", "Ghi chú", "text", 18),
)

TITLES = {
    RegisterKind.INCOMING: "Sổ đăng ký văn bản đến",
    RegisterKind.OUTGOING: "Sổ đăng ký văn bản đi",
    RegisterKind.FOLLOWUP: "Sổ theo dõi giải quyết văn bản đến",
}
COLUMNS = {
    RegisterKind.INCOMING: INCOMING_COLUMNS,
    RegisterKind.OUTGOING: OUTGOING_COLUMNS,
    RegisterKind.FOLLOWUP: FOLLOWUP_COLUMNS,
}
SLUGS = {
    RegisterKind.INCOMING: "so-van-ban-den",
    RegisterKind.OUTGOING: "so-van-ban-di",
    RegisterKind.FOLLOWUP: "so-theo-doi-giai-quyet",
}


def vn_date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def local_day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment else None


def type_and_subject(type_name: str, subject: str) -> str:
    """ "Tên loại và trích yếu nội dung": the type name, then the subject (unless the subject
    already starts with it)."""
    subject = " ".join((subject or "").split())
    if not type_name:
        return subject
    if subject.casefold().startswith(type_name.casefold()):
        return subject
    return f"{type_name} {subject}".strip()


# --- the query -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterQuery:
    """Which register, for which committee, over which period; checked by ``register_query``."""

    kind: RegisterKind
    unit: AdminUnit
    year: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    secret: bool = False
    user_id: int | None = None
    clearance: int = 0

    @property
    def title(self) -> str:
        title = TITLES[self.kind]
        return f"{title} mật" if self.secret else title

    @property
    def columns(self) -> tuple[Column, ...]:
        return COLUMNS[self.kind]

    @property
    def period_label(self) -> str:
        if self.start or self.end:
            parts = []
            if self.start:
                parts.append(f"Từ ngày {vn_date(self.start)}")
            if self.end:
                parts.append(
                    f"đến ngày {vn_date(self.end)}"
                    if self.start
                    else f"Đến ngày {vn_date(self.end)}"
                )
            label = " ".join(parts)
            return f"Năm {self.year}: {label[0].lower()}{label[1:]}" if self.year else label
        if self.year:
            return f"Năm {self.year}"
        return "Toàn bộ"

    @property
    def period_bounds(self) -> tuple[dt.date, dt.date]:
        """The first and last day covered (for the digitisation rate and the cover)."""
        start = self.start or (dt.date(self.year, 1, 1) if self.year else dt.date(FIRST_YEAR, 1, 1))
        end = self.end or (dt.date(self.year, 12, 31) if self.year else timezone.localdate())
        if self.year:
            start = max(start, dt.date(self.year, 1, 1))
            end = min(end, dt.date(self.year, 12, 31))
        return start, end

    @property
    def period_slug(self) -> str:
        if self.year and not (self.start or self.end):
            return str(self.year)
        start, end = self.period_bounds
        return f"{start:%Y%m%d}-{end:%Y%m%d}"

    def filename(self, extension: str) -> str:
        base = SLUGS[self.kind] + ("-mat" if self.secret else "")
        return f"{base}-{self.period_slug}.{extension}"


def _parse_date(value: Any, what: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise DomainError(
        "invalid_period", f"{what} không hợp lệ: “{text[:20]}” (dùng dạng dd/mm/yyyy)."
    )


def _parse_year(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        raise DomainError("invalid_period", "Năm không hợp lệ.") from None
    if not FIRST_YEAR <= year <= 9999:
        raise DomainError("invalid_period", "Năm không hợp lệ.")
    return year


def resolve_unit(user: Any, unit: AdminUnit | int | str | None, default: Any = None) -> AdminUnit:
    """The committee asked for (or the default: the current position's unit, else the only one
    the user may read); NotFound when the user may not read its registers."""
    allowed = register_unit_ids(user)
    unit_id: int | None
    if isinstance(unit, AdminUnit):
        unit_id = unit.pk
    elif unit not in (None, ""):
        try:
            unit_id = int(str(unit))
        except ValueError:
            raise NotFound("Không tìm thấy cơ quan.") from None
    else:
        default_id = getattr(default, "pk", default)
        if default_id in allowed:
            unit_id = default_id
        elif len(allowed) == 1:
            unit_id = next(iter(allowed))
        else:
            unit_id = None
    if unit_id is None:
        if not allowed:
            raise PermissionDenied("Bạn không có quyền xem sổ văn bản.")
        raise DomainError("unit_required", "Hãy chọn cơ quan.")
    if unit_id not in allowed:
        if not allowed:
            raise PermissionDenied("Bạn không có quyền xem sổ văn bản.")
        raise NotFound("Không tìm thấy cơ quan.")
    found = AdminUnit.objects.filter(pk=unit_id).first()
    if found is None:
        raise NotFound("Không tìm thấy cơ quan.")
    return found


def register_query(
    *,
    user: Any,
    kind: RegisterKind | str,
    unit: AdminUnit | int | str | None = None,
    default_unit: Any = None,
    year: Any = None,
    start: Any = None,
    end: Any = None,
    secret: bool = False,
) -> RegisterQuery:
    """Check the request for a register (permission, period) and return it.

    No period at all means the current year. ``secret`` asks for the secret series: refused
    (PermissionDenied) to users without clearance.
    """
    try:
        kind = RegisterKind(kind)
    except ValueError:
        raise DomainError("invalid_register", "Không có sổ này.") from None
    target = resolve_unit(user, unit, default_unit)
    year_value = _parse_year(year)
    start_day = _parse_date(start, "Ngày bắt đầu")
    end_day = _parse_date(end, "Ngày kết thúc")
    if start_day and end_day and start_day > end_day:
        raise DomainError("invalid_period", "Ngày bắt đầu phải trước ngày kết thúc.")
    if year_value is None and start_day is None and end_day is None:
        year_value = timezone.localdate().year
    if year_value and (
        (start_day and start_day.year > year_value) or (end_day and end_day.year < year_value)
    ):
        raise DomainError("invalid_period", "Khoảng ngày nằm ngoài năm đã chọn.")
    if secret and not can_view_secret_registers(user, target):
        raise PermissionDenied("Bạn không có quyền xem sổ văn bản mật.")
    return RegisterQuery(
        kind=kind,
        unit=target,
        year=year_value,
        start=start_day,
        end=end_day,
        secret=bool(secret),
        user_id=user.pk,
        clearance=int(getattr(user, "clearance", 0) or 0),
    )


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _secrecy_q(query: RegisterQuery) -> Q:
    if query.secret:
        return Q(secrecy__gte=1, secrecy__lte=query.clearance)
    return Q(secrecy=0)


def _assignments_prefetch() -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.exclude(status=AssignmentStatus.CANCELLED)
        .select_related("lead_user", "lead_department", "answer")
        .order_by("assigned_at", "pk"),
        to_attr="register_assignments",
    )


def _incoming_base(query: RegisterQuery) -> QuerySet[IncomingDocument]:
    qs = IncomingDocument.objects.filter(_secrecy_q(query), unit_id=query.unit.pk)
    if query.year:
        qs = qs.filter(arrival_year=query.year)
    if query.start:
        qs = qs.filter(arrived_at__gte=_day_start(query.start))
    if query.end:
        qs = qs.filter(arrived_at__lt=_day_start(query.end + dt.timedelta(days=1)))
    return qs


def _outgoing_base(query: RegisterQuery) -> QuerySet[OutgoingDocument]:
    qs = OutgoingDocument.objects.filter(
        _secrecy_q(query),
        unit_id=query.unit.pk,
        number__isnull=False,
        status__in=[OutgoingStatus.ISSUED, OutgoingStatus.RECALLED],
    )
    if query.year:
        qs = qs.filter(year=query.year)
    if query.start:
        qs = qs.filter(issued_date__gte=query.start)
    if query.end:
        qs = qs.filter(issued_date__lte=query.end)
    return qs


def register_queryset(query: RegisterQuery) -> QuerySet[Any]:
    """The register's documents in register order, with what the rows show loaded."""
    if query.kind == RegisterKind.OUTGOING:
        return (
            _outgoing_base(query)
            .select_related("document_type", "signer", "department")
            .prefetch_related(
                Prefetch("external_recipients", to_attr="register_recipients"),
                Prefetch(
                    "dispatches",
                    queryset=Dispatch.objects.select_related("recipient").order_by("sent_at", "pk"),
                    to_attr="register_dispatches",
                ),
            )
            .order_by("issued_date", "issued_at", "number", "pk")
        )
    qs = _incoming_base(query)
    if query.kind == RegisterKind.FOLLOWUP:
        with_deadline = Assignment.objects.filter(deadline__isnull=False).exclude(
            status=AssignmentStatus.CANCELLED
        )
        qs = qs.filter(Q(reply_by__isnull=False) | Q(pk__in=with_deadline.values("document_id")))
    return (
        qs.select_related("document_type", "presented_to")
        .prefetch_related(_assignments_prefetch())
        .order_by("arrival_year", "arrival_number", "pk")
    )


# --- rows ------------------------------------------------------------------------------------


def _person(user: Any) -> str:
    if user is None:
        return ""
    full = getattr(user, "full_name", "") or ""
    return full or user.get_username()


def _assignment_target(assignment: Assignment) -> str:
    parts = []
    if assignment.lead_department is not None:
        parts.append(assignment.lead_department.name)
    if assignment.lead_user_id:
        name = _person(assignment.lead_user)
        parts.append(f"({name})" if parts else name)
    return " ".join(parts)


def _joined(values: Iterable[str]) -> str:
    seen: OrderedDict[str, None] = OrderedDict()
    for value in values:
        if value:
            seen[value] = None
    return "; ".join(seen)


def _incoming_note(document: IncomingDocument) -> str:
    parts = []
    if document.urgency:
        parts.append(Urgency(document.urgency).label)
    if document.status == IncomingStatus.RECALLED:
        parts.append("Đã thu hồi")
    if document.note:
        parts.append(document.note)
    return ". ".join(parts)


def _incoming_row(document: IncomingDocument) -> dict[str, Any]:
    assignments: list[Assignment] = getattr(document, "register_assignments", [])
    if assignments:
        recipient = _joined(_assignment_target(a) for a in assignments)
        transferred = local_day(assignments[0].assigned_at)
    else:
        presented_to = getattr(document, "presented_to", None)
        recipient = _person(presented_to) if presented_to is not None else ""
        transferred = local_day(getattr(document, "presented_at", None)) if recipient else None
    return {
        "id": document.pk,
        "arrived_on": local_day(document.arrived_at),
        "arrival_number": document.arrival_number,
        "author": document.sender_name,
        "notation": document.notation,
        "issued_date": document.issued_date,
        "type_and_subject": type_and_subject(document.document_type.name, document.subject),
        "recipient": recipient,
        "transferred_on": transferred,
        "acknowledged": "",
        "note": _incoming_note(document),
        "urgency": document.urgency,
        "secrecy": document.secrecy,
    }


def _followup_progress(assignments: list[Assignment], today: dt.date) -> tuple[str, bool]:
    """The progress text and whether it is overdue."""
    if not assignments:
        return "Chưa phân công", False
    texts = []
    overdue = False
    for a in assignments:
        if a.status == AssignmentStatus.DONE:
            done_on = local_day(a.completed_at)
            text = f"Đã giải quyết ngày {vn_date(done_on)}" if done_on else "Đã giải quyết"
            if a.deadline and done_on:
                late = (done_on - a.deadline).days
                text += f" (quá hạn {late} ngày)" if late > 0 else " (đúng hạn)"
            texts.append(text)
        elif a.deadline and a.deadline < today:
            overdue = True
            texts.append(f"Đang giải quyết, quá hạn {(today - a.deadline).days} ngày")
        else:
            texts.append("Đang giải quyết")
    return _joined(texts), overdue


def _followup_row(document: IncomingDocument, today: dt.date) -> dict[str, Any]:
    assignments: list[Assignment] = getattr(document, "register_assignments", [])
    description = document.document_type.name
    if document.notation:
        description += f" số {document.notation}"
    if document.issued_date:
        description += f" ngày {vn_date(document.issued_date)}"
    if document.sender_name:
        description += f" của {document.sender_name}"
    deadlines = [a.deadline for a in assignments if a.deadline]
    progress, overdue = _followup_progress(assignments, today)
    return {
        "id": document.pk,
        "arrival_number": document.arrival_number,
        "document": f"{description}: {document.subject}" if document.subject else description,
        "recipient": _joined(_assignment_target(a) for a in assignments),
        "deadline": min(deadlines) if deadlines else document.reply_by,
        "progress": progress,
        "answer": _joined(a.answer.notation for a in assignments if a.answer_id and a.answer),
        "note": _incoming_note(document),
        "overdue": overdue,
        "urgency": document.urgency,
        "secrecy": document.secrecy,
    }


def _outgoing_row(document: OutgoingDocument) -> dict[str, Any]:
    recipients = [line.strip() for line in (document.recipients_text or "").splitlines()]
    recipients = [line.lstrip("-–•+ ").rstrip(";.,") for line in recipients if line]
    if not recipients:
        recipients = [org.name for org in getattr(document, "register_recipients", [])]
    dispatches: list[Dispatch] = getattr(document, "register_dispatches", [])
    if not recipients:
        recipients = [d.recipient.name for d in dispatches]
    note = []
    if document.urgency:
        note.append(Urgency(document.urgency).label)
    if document.status == OutgoingStatus.RECALLED:
        reason = f": {document.recall_reason}" if document.recall_reason else ""
        note.append(f"Đã thu hồi{reason}")
    # A document imported from a legacy register names its signer in signer_title.
    signer = _person(document.signer) if document.signer_id else document.signer_title
    return {
        "id": document.pk,
        "notation": document.notation,
        "issued_date": document.issued_date,
        "type_and_subject": type_and_subject(document.document_type.name, document.subject),
        "signer": signer,
        "recipients": _joined(recipients),
        "archive_copy": document.archive_copy_to
        or (document.department.name if document.department_id else ""),
        "copies": document.copies,
        "transferred_on": local_day(dispatches[0].sent_at) if dispatches else document.issued_date,
        "acknowledged": "",
        "note": ". ".join(note),
        "urgency": document.urgency,
        "secrecy": document.secrecy,
    }


def register_row(
    query: RegisterQuery, document: Any, today: dt.date | None = None
) -> dict[str, Any]:
    if query.kind == RegisterKind.OUTGOING:
        return _outgoing_row(document)
    if query.kind == RegisterKind.FOLLOWUP:
        return _followup_row(document, today or timezone.localdate())
    return _incoming_row(document)


def register_rows(
    query: RegisterQuery, documents: Iterable[Any] | None = None
) -> Iterator[dict[str, Any]]:
    """Every row of the register, streamed (a chunked iterator with its prefetches)."""
    today = timezone.localdate()
    source = (
        documents
        if documents is not None
        else register_queryset(query).iterator(chunk_size=EXPORT_CHUNK)
    )
    for document in source:
        yield register_row(query, document, today)


def audit_secret_rows(
    query: RegisterQuery, ids: list[int], *, what: str, actor: Any = None
) -> None:
    """A secret register shown or exported: one audit event naming the documents read."""
    if not query.secret or not ids:
        return
    model = "outgoing" if query.kind == RegisterKind.OUTGOING else "incoming"
    with transaction.atomic():
        audit_record(
            action="documents.secret_read",
            actor=actor,
            unit=query.unit,
            summary=(
                f"{what}: {query.title.lower()} ({query.period_label.lower()}), {len(ids)} văn bản"
            ),
            changes={"register": str(query.kind), "model": model, "documents": ids[:5000]},
        )


# --- the digitisation rate (from the digitisation module, when installed) -------------------


@dataclass(frozen=True)
class Rate:
    digitized: int
    total: int

    @property
    def percent(self) -> float | None:
        return round(100.0 * self.digitized / self.total, 1) if self.total else None

    @property
    def label(self) -> str:
        percent = self.percent
        if percent is None:
            return "chưa có văn bản"
        text = f"{percent:.1f}".replace(".", ",").removesuffix(",0")
        return f"{text}% ({_thousands(self.digitized)}/{_thousands(self.total)} văn bản)"


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def digitization_rate_for(unit: AdminUnit, start: dt.date, end: dt.date) -> Rate:
    """The committee's digitisation rate over the period (``selectors.digitization_rate``,
    the digitisation area's count), with a label for the registers and reports."""
    from congso.documents.selectors import digitization_rate

    result = digitization_rate(unit, start, end)
    return Rate(digitized=int(result.digitized), total=int(result.total))


# --- XLSX ------------------------------------------------------------------------------------


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


def register_xlsx(query: RegisterQuery, out: IO[bytes], *, actor: Any = None) -> int:
    """Write the register as an XLSX workbook to ``out``; return the number of rows.

    Write-only workbook, rows streamed: constant memory whatever the size. Dates are real
    dates shown dd/mm/yyyy; the header rows repeat on every printed page.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, Side

    columns = query.columns
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(query.title[:31])
    header_row = 5
    sheet.freeze_panes = f"A{header_row + 2}"
    sheet.print_title_rows = f"{header_row}:{header_row + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[_column_letter(index)].width = column.width

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(name="Times New Roman", bold=True, size=12)
    normal = Font(name="Times New Roman", size=11)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def cell(
        value: Any,
        *,
        font: Font = normal,
        align: Alignment = wrap,
        boxed: bool = False,
        number_format: str | None = None,
    ) -> Any:
        item = WriteOnlyCell(sheet, value=value)
        item.font = font
        item.alignment = align
        if boxed:
            item.border = border
        if number_format:
            item.number_format = number_format
        return item

    sheet.append([cell(query.unit.display_committee.upper(), font=bold, align=Alignment())])
    sheet.append(
        [
            cell(
                query.title.upper(),
                font=Font(name="Times New Roman", bold=True, size=14),
                align=Alignment(),
            )
        ]
    )
    sheet.append([cell(query.period_label, align=Alignment())])
    rate = digitization_rate_for(query.unit, *query.period_bounds)
    sheet.append([cell(f"Tỷ lệ số hóa: {rate.label}", align=Alignment())] if rate else [])
    sheet.append([cell(c.label, font=bold, align=centre, boxed=True) for c in columns])
    sheet.append(
        [cell(f"({i})", font=bold, align=centre, boxed=True) for i in range(1, len(columns) + 1)]
    )

    count = 0
    secret_ids: list[int] = []
    for row in register_rows(query):
        values = []
        for column in columns:
            value = row[column.key]
            if column.kind == "date":
                values.append(
                    cell(
                        value,
                        boxed=True,
                        number_format="DD/MM/YYYY",
                        align=Alignment(horizontal="center", vertical="top"),
                    )
                )
            elif column.kind == "number":
                values.append(
                    cell(value, boxed=True, align=Alignment(horizontal="center", vertical="top"))
                )
            else:
                values.append(cell(value or None, boxed=True))
        sheet.append(values)
        count += 1
        if query.secret:
            secret_ids.append(row["id"])
    workbook.save(out)
    audit_secret_rows(query, secret_ids, what="Xuất Excel", actor=actor)
    return count


def register_xlsx_bytes(query: RegisterQuery, *, actor: Any = None) -> bytes:
    buffer = io.BytesIO()
    register_xlsx(query, buffer, actor=actor)
    return buffer.getvalue()


# --- PDF -------------------------------------------------------------------------------------


#: Width of the table on A4 landscape within the Decree 30 margins (297 − 30 − 15 mm), in pt.
_PDF_TABLE_PT = (297 - 45) * 72 / 25.4
#: Narrowest a column may be in the PDF (pt): a date "05/03/2026" at 10.5 pt with its padding.
_PDF_MIN_PT = {"date": 58.0, "number": 38.0}


def _pdf_widths(columns: tuple[Column, ...]) -> list[float]:
    """Column widths in percent for the fixed table layout: dates and numbers get at least
    what they need on one line, the text columns share the rest by their XLSX widths."""
    fixed = {i: _PDF_MIN_PT[c.kind] for i, c in enumerate(columns) if c.kind in _PDF_MIN_PT}
    rest = _PDF_TABLE_PT - sum(fixed.values())
    text_total = sum(c.width for i, c in enumerate(columns) if i not in fixed)
    widths = [
        fixed[i] if i in fixed else rest * c.width / text_total for i, c in enumerate(columns)
    ]
    return [round(100 * w / _PDF_TABLE_PT, 2) for w in widths]


def register_pdf(query: RegisterQuery, *, actor: Any = None, request: Any = None) -> bytes:
    """The print-ready register: A4 landscape, a cover, the columns repeated on every page and
    the signatures block at the end."""
    from congso.kernel.pdf import render_pdf

    count = _register_count(query)
    if count > PDF_MAX_ROWS:
        raise DomainError(
            "register_too_large",
            f"Sổ có {_thousands(count)} văn bản, quá nhiều để in một lần "
            f"(tối đa {_thousands(PDF_MAX_ROWS)}): hãy chọn khoảng thời gian ngắn hơn "
            "hoặc xuất Excel.",
            details={"rows": count, "max_rows": PDF_MAX_ROWS},
        )
    rows = list(register_rows(query))
    pdf = render_pdf(
        "documents/registers/pdf_register.html",
        register_print_context(query, rows),
        request=request,
    )
    audit_secret_rows(query, [row["id"] for row in rows], what="In PDF", actor=actor)
    return pdf


#: Up to this many rows the PDF is made within the request; beyond, in the background.
PDF_SYNC_MAX_ROWS = 600


def register_count(query: RegisterQuery) -> int:
    return _register_count(query)


def can_read_register_export(user: Any, export: RegisterExport) -> bool:
    """Access rule of a background-printed register's PDF: its requester, and readers of the
    committee's registers."""
    if export.params.get("secret"):
        return bool(getattr(user, "pk", None) == export.requested_by_id) and (
            can_view_secret_registers(user, export.unit_id)
        )
    return can_view_registers(user, export.unit_id)


def register_pdf_request(*, user: Any, query: RegisterQuery) -> RegisterExport:
    """Print the register in the background: a RegisterExport row now, the PDF by a task after
    commit, then a notification with the download link."""
    if query.secret:
        raise DomainError(
            "register_too_large",
            "Sổ văn bản mật quá dài để in một lần: hãy chọn khoảng thời gian ngắn hơn.",
        )
    count = _register_count(query)
    if count > PDF_MAX_ROWS:
        raise DomainError(
            "register_too_large",
            f"Sổ có {_thousands(count)} văn bản, quá nhiều để in một lần "
            f"(tối đa {_thousands(PDF_MAX_ROWS)}): hãy chọn khoảng thời gian ngắn hơn "
            "hoặc xuất Excel.",
            details={"rows": count, "max_rows": PDF_MAX_ROWS},
        )
    params = {
        "year": query.year,
        "start": query.start.isoformat() if query.start else None,
        "end": query.end.isoformat() if query.end else None,
    }
    with transaction.atomic():
        export = RegisterExport.objects.create(
            unit=query.unit,
            kind=str(query.kind),
            params=params,
            title=f"{query.title} — {query.period_label}"[:200],
            requested_by=user,
            rows=count,
        )
        audit_record(
            action="documents.register_print",
            obj=export,
            actor=user,
            unit=query.unit,
            summary=f"In {query.title.lower()} ({query.period_label.lower()}, {count} văn bản)",
        )
        transaction.on_commit(lambda: _enqueue_print(export.pk))
    return export


def _enqueue_print(export_id: int) -> None:
    from congso.documents.tasks import register_print

    register_print.enqueue(export_id)


def register_pdf_build(*, export_id: int) -> RegisterExport:
    """The task's work: lay out the PDF, store it (owned by the export), tell the requester."""
    from django.core.files.base import ContentFile
    from django.urls import reverse

    from congso.kernel.files.services import file_store
    from congso.kernel.notifications.services import notify

    export = RegisterExport.objects.select_related("unit", "requested_by").get(pk=export_id)
    if export.status != RegisterExportStatus.PENDING:
        return export
    user = export.requested_by
    try:
        query = register_query(
            user=user,
            kind=export.kind,
            unit=export.unit_id,
            year=export.params.get("year"),
            start=export.params.get("start"),
            end=export.params.get("end"),
        )
        pdf = register_pdf(query, actor=user)
    except DomainError as exc:
        _print_failed(export, exc.message)
        return export
    except Exception as exc:
        logger.exception("register print %s failed", export_id)
        _print_failed(export, f"Lỗi khi dàn trang PDF ({type(exc).__name__}).")
        return export
    with transaction.atomic():
        stored = file_store(
            upload=ContentFile(pdf, name=query.filename("pdf")),
            owner=export,
            unit=export.unit,
            user=user,
            allowed_types=["pdf"],
            max_bytes=max(len(pdf), 1),
        )
        export.file = stored
        export.status = RegisterExportStatus.DONE
        export.finished_at = timezone.now()
        export.save(update_fields=["file", "status", "finished_at"])
        notify(
            recipients=[user],
            title=f"Đã in xong {export.title}",
            body="Bấm để tải bản PDF, in, ký và đóng quyển sổ.",
            url=reverse("files:download", args=[stored.public_id]),
            obj=export,
        )
    return export


def _print_failed(export: RegisterExport, reason: str) -> None:
    from congso.kernel.notifications.services import notify

    with transaction.atomic():
        export.status = RegisterExportStatus.FAILED
        export.error = reason[:2000]
        export.finished_at = timezone.now()
        export.save(update_fields=["status", "error", "finished_at"])
        notify(
            recipients=[export.requested_by],
            title=f"Không in được {export.title}",
            body=reason,
            level="warning",
            obj=export,
        )


def recent_exports(user: Any, unit: AdminUnit) -> list[RegisterExport]:
    return list(
        RegisterExport.objects.filter(requested_by_id=user.pk, unit=unit)
        .select_related("file")
        .order_by("-created_at", "-pk")[:10]
    )


def _register_count(query: RegisterQuery) -> int:
    if query.kind == RegisterKind.OUTGOING:
        return _outgoing_base(query).count()
    return register_queryset(query).count()


def _number_range(query: RegisterQuery, rows: list[dict[str, Any]]) -> tuple[str, str]:
    if not rows:
        return "", ""
    if query.kind == RegisterKind.OUTGOING:
        return rows[0]["notation"], rows[-1]["notation"]
    numbers = [row["arrival_number"] for row in rows]
    return f"{min(numbers):02d}", f"{max(numbers):02d}"


def register_print_context(query: RegisterQuery, rows: list[dict[str, Any]]) -> dict[str, Any]:
    start, end = query.period_bounds
    first_number, last_number = _number_range(query, rows)
    place = query.unit.name
    for prefix in (
        "Phường ",
        "Xã ",
        "Đặc khu ",
        "Thị trấn ",
        "Thành phố ",
        "Tỉnh ",
        "Quận ",
        "Huyện ",
    ):
        if place.startswith(prefix):
            place = place[len(prefix) :]
            break
    today = timezone.localdate()
    return {
        "query": query,
        "columns": query.columns,
        "widths": _pdf_widths(query.columns),
        "cells": [[(column, row[column.key]) for column in query.columns] for row in rows],
        "count": len(rows),
        "committee": query.unit.display_committee,
        "parent_committee": query.unit.parent.display_committee
        if query.unit.parent_id and query.unit.parent
        else "",
        "start": start,
        "end": end,
        "first_number": first_number,
        "last_number": last_number,
        "place": place,
        "today": today,
        "rate": digitization_rate_for(query.unit, start, end),
        "keeper_title": "Người lập sổ" if query.kind != RegisterKind.FOLLOWUP else "Người theo dõi",
    }


# --- status reports (App. VI Part I §III mandatory outputs) ---------------------------------


@dataclass
class StatusCounts:
    label: str
    total: int = 0
    on_time: int = 0
    late: int = 0
    pending: int = 0
    overdue: int = 0

    @property
    def done(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_percent(self) -> float | None:
        return round(100.0 * self.on_time / self.done, 1) if self.done else None


@dataclass
class IncomingStatusReport:
    query: RegisterQuery
    received: int
    unassigned: int
    totals: StatusCounts
    by_department: list[StatusCounts]
    by_leader: list[StatusCounts]
    rate: Rate | None
    today: dt.date


@dataclass
class OutgoingTypeReport:
    query: RegisterQuery
    months: list[int]
    rows: list[tuple[str, list[int], int]]
    month_totals: list[int]
    total: int
    rate: Rate | None = None
    by_department: list[tuple[str, int]] = field(default_factory=list)


def _status_aggregates(today: dt.date) -> dict[str, Any]:
    done = Q(status=AssignmentStatus.DONE)
    has_deadline = Q(deadline__isnull=False)
    return {
        "total": Count("pk"),
        "on_time": Count(
            "pk", filter=done & (Q(deadline__isnull=True) | Q(completed_on__lte=F("deadline")))
        ),
        "late": Count("pk", filter=done & has_deadline & Q(completed_on__gt=F("deadline"))),
        "pending": Count(
            "pk",
            filter=Q(status=AssignmentStatus.OPEN)
            & (Q(deadline__isnull=True) | Q(deadline__gte=today)),
        ),
        "overdue": Count("pk", filter=Q(status=AssignmentStatus.OPEN, deadline__lt=today)),
    }


def incoming_status_report(
    query: RegisterQuery, *, today: dt.date | None = None
) -> IncomingStatusReport:
    """Handled on time / handled late / pending / overdue, over the assignments (not cancelled)
    of the incoming documents registered in the period, in total, by lead department and by the
    leader who assigned them. A handful of aggregate queries whatever the volume."""
    from django.db.models.functions import TruncDate

    today = today or timezone.localdate()
    documents = _incoming_base(query)
    received = documents.count()
    assignments = (
        Assignment.objects.filter(document__in=documents)
        .exclude(status=AssignmentStatus.CANCELLED)
        .annotate(completed_on=TruncDate("completed_at", tzinfo=timezone.get_current_timezone()))
    )
    unassigned = documents.exclude(
        pk__in=Assignment.objects.exclude(status=AssignmentStatus.CANCELLED).values("document_id")
    ).count()
    aggregates = _status_aggregates(today)
    totals = StatusCounts("Tổng cộng", **assignments.aggregate(**aggregates))

    by_department: list[StatusCounts] = []
    for row in (
        assignments.values("lead_department__name", "lead_user__full_name", "lead_user__username")
        .annotate(**aggregates)
        .order_by("lead_department__name", "lead_user__full_name")
    ):
        label = row["lead_department__name"] or (
            row["lead_user__full_name"] or row["lead_user__username"] or "(không rõ)"
        )
        by_department.append(StatusCounts(label, **{key: row[key] for key in aggregates}))
    by_department = _merge_counts(by_department)

    by_leader = [
        StatusCounts(
            row["assigned_by__full_name"] or row["assigned_by__username"] or "(không rõ)",
            **{key: row[key] for key in aggregates},
        )
        for row in assignments.values("assigned_by__full_name", "assigned_by__username")
        .annotate(**aggregates)
        .order_by("assigned_by__full_name", "assigned_by__username")
    ]
    start, end = query.period_bounds
    return IncomingStatusReport(
        query=query,
        received=received,
        unassigned=unassigned,
        totals=totals,
        by_department=by_department,
        by_leader=_merge_counts(by_leader),
        rate=digitization_rate_for(query.unit, start, end),
        today=today,
    )


def _merge_counts(items: list[StatusCounts]) -> list[StatusCounts]:
    merged: OrderedDict[str, StatusCounts] = OrderedDict()
    for item in items:
        target = merged.setdefault(item.label, StatusCounts(item.label))
        target.total += item.total
        target.on_time += item.on_time
        target.late += item.late
        target.pending += item.pending
        target.overdue += item.overdue
    return list(merged.values())


def outgoing_type_report(query: RegisterQuery) -> OutgoingTypeReport:
    """Issued outgoing documents by document type (rows) and month (columns), one query."""
    documents = _outgoing_base(query)
    start, end = query.period_bounds
    if start.year == end.year:
        months = list(range(start.month, end.month + 1))
    else:
        months = list(range(1, 13))
    table: OrderedDict[str, dict[int, int]] = OrderedDict()
    names = dict(DocumentType.objects.values_list("pk", "name"))
    order = {pk: i for i, pk in enumerate(DocumentType.objects.values_list("pk", flat=True))}
    raw = list(
        documents.annotate(month=ExtractMonth("issued_date"))
        .values("document_type_id", "month")
        .annotate(n=Count("pk"))
    )
    for row in sorted(raw, key=lambda r: order.get(r["document_type_id"], 10**6)):
        name = names.get(row["document_type_id"], "?")
        table.setdefault(name, {})
        month = row["month"] or 0
        table[name][month] = table[name].get(month, 0) + row["n"]
    rows = []
    month_totals = [0] * len(months)
    for name, by_month in table.items():
        values = [by_month.get(m, 0) for m in months]
        for i, v in enumerate(values):
            month_totals[i] += v
        rows.append((name, values, sum(by_month.values())))
    by_department = [
        (row["department__name"] or "", row["n"])
        for row in documents.values("department__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "department__name")
    ]
    return OutgoingTypeReport(
        query=query,
        months=months,
        rows=rows,
        month_totals=month_totals,
        total=sum(r[2] for r in rows),
        rate=digitization_rate_for(query.unit, start, end),
        by_department=by_department,
    )


def month_name(month: int) -> str:
    return f"Tháng {month:02d}" if 1 <= month <= 12 else "?"


def report_xlsx(
    query: RegisterQuery, incoming: IncomingStatusReport, outgoing: OutgoingTypeReport
) -> bytes:
    """Both status reports in one workbook (two sheets)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Văn bản đến"
    bold = Font(bold=True)
    sheet.append([query.unit.display_committee.upper()])
    sheet.append(["BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐẾN"])
    sheet.append([query.period_label])
    if incoming.rate:
        sheet.append([f"Tỷ lệ số hóa: {incoming.rate.label}"])
    sheet.append([f"Số văn bản đến: {incoming.received}; chưa phân công: {incoming.unassigned}"])
    headers = [
        "",
        "Tổng số việc",
        "Đã giải quyết đúng hạn",
        "Đã giải quyết quá hạn",
        "Đang giải quyết trong hạn",
        "Quá hạn chưa giải quyết",
    ]
    for title, items in (
        ("Theo đơn vị, người chủ trì", incoming.by_department),
        ("Theo lãnh đạo phân công", incoming.by_leader),
    ):
        sheet.append([])
        sheet.append([title])
        sheet.append(headers)
        for item in [*items, incoming.totals]:
            sheet.append(
                [item.label, item.total, item.on_time, item.late, item.pending, item.overdue]
            )
    for row in sheet.iter_rows(min_row=1, max_row=2):
        for c in row:
            c.font = bold
    sheet.column_dimensions["A"].width = 40

    out = workbook.create_sheet("Văn bản đi")
    out.append([query.unit.display_committee.upper()])
    out.append(["BÁO CÁO VĂN BẢN ĐI THEO LOẠI VĂN BẢN"])
    out.append([query.period_label])
    out.append([])
    out.append(["Loại văn bản", *[month_name(m) for m in outgoing.months], "Tổng cộng"])
    for name, values, total in outgoing.rows:
        out.append([name, *values, total])
    out.append(["Tổng cộng", *outgoing.month_totals, outgoing.total])
    out.column_dimensions["A"].width = 30
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_pdf(
    query: RegisterQuery,
    incoming: IncomingStatusReport,
    outgoing: OutgoingTypeReport,
    *,
    request: Any = None,
) -> bytes:
    from congso.kernel.pdf import render_pdf

    context = register_print_context(query, [])
    context.update(
        {
            "incoming": incoming,
            "outgoing": outgoing,
            "month_labels": [month_name(m) for m in outgoing.months],
        }
    )
    return render_pdf("documents/registers/pdf_report.html", context, request=request)
