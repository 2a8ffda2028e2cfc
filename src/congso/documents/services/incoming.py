"""Incoming documents (văn bản đến): register, present, assign, record progress, complete, remind.

Decree 30/2020 Art. 20–24 (shared/domain/vietnam-rules.md §1.5): the arrival number (số đến) runs
from 01 each year per committee, shared by paper and electronic documents, secret documents in a
series of their own; a document is presented to a leader the same day (urgent ones at once), the
leader writes the instruction and sets the deadline, handlers report progress and close it.

Notation (số, ký hiệu) rules, decided here:

- The notation is normalised (NFC; "Số:" in front dropped; no spaces around "/" and "-") and must
  parse as ``<number>/<groups>``: the number 1–11 digits, then groups of letters and digits
  (``.`` and ``&`` allowed inside a group) joined by ``-`` or ``/``, with at least one letter:
  ``15/QĐ-UBND``, ``123/UBND-VP``, ``30/2020/NĐ-CP``; the Party's style ``15-KH/ĐU`` is accepted
  too. It fills ``code_number`` ("15", "30") and ``code_notation`` ("QĐ-UBND", "2020/NĐ-CP",
  "KH/ĐU"), the App. VI CodeNumber / CodeNotation.
- A notation that does not parse is refused (``notation_invalid``), except for document types
  without an abbreviation that are not a công văn (Thư công, or a type an administrator adds
  without one): their notation is free text and may be empty.
- A notation is required for every other type (``notation_required``).

Files: PDF or images (PNG, JPEG, TIFF), checked by ``kernel.files`` (type sniffed from the content,
size limit, not empty); a PDF that needs a password to open, or that cannot be read, is refused.
At least one file is required for ordinary documents (the platform's promise: every document is
digitised); a secret document may be registered without a scan (state-secret rules may forbid
putting it on a networked system), and then counts as "not yet electronic".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from congso.documents.models import (
    Assignment,
    AssignmentStatus,
    Channel,
    DigitizationStatus,
    Dispatch,
    DispatchStatus,
    DocumentType,
    IncomingDocument,
    IncomingStatus,
    Organisation,
    OutgoingDocument,
    OutgoingStatus,
    ProgressNote,
    Urgency,
)
from congso.documents.services.digitization import digitization_queue_new
from congso.kernel.audit.services import audit_record
from congso.kernel.calendar.services import add_working_days
from congso.kernel.errors import DomainError, PermissionDenied
from congso.kernel.files.selectors import files_find_by_sha256
from congso.kernel.files.services import file_store
from congso.kernel.notifications.models import NotificationLevel
from congso.kernel.notifications.services import notify
from congso.kernel.numbering.services import format_number, number_next
from congso.kernel.orgunits.models import AdminUnit, Department, DepartmentKind
from congso.kernel.people.models import Position, Role, User

logger = logging.getLogger(__name__)

#: Kinds a registered document's files may be (the scan or the electronic copy).
DOCUMENT_FILE_TYPES = ("pdf", "png", "jpeg", "tiff")
#: Kinds a handler's working notes may carry.
NOTE_FILE_TYPES = ("pdf", "png", "jpeg", "tiff", "docx", "xlsx", "odt", "ods", "ole", "text")
SUBJECT_MAX = 500
NOTATION_MAX = 60
CODE_NUMBER_MAX = 11
CODE_NOTATION_MAX = 40
SENDER_NAME_MAX = 200
INSTRUCTION_MAX = 4000
NOTE_MAX = 4000
MAX_WORKING_DAYS = 366
#: Clock skew tolerated on ``arrived_at`` (a client's clock slightly ahead).
FUTURE_TOLERANCE = dt.timedelta(minutes=10)

SERIES_ARRIVAL = "arrival"
SERIES_ARRIVAL_SECRET = "arrival-secret"  # noqa: S105 - a series name, not a password

_GROUP = r"[^\W_](?:[\w.&]*[^\W_])?"
NOTATION_RE = re.compile(
    rf"^(?P<number>\d{{1,{CODE_NUMBER_MAX}}})/(?P<rest>{_GROUP}(?:[-/]{_GROUP})*)$"
)
#: The Party's own style (its committees send to ward committees too): ``15-KH/ĐU``.
PARTY_NOTATION_RE = re.compile(
    rf"^(?P<number>\d{{1,{CODE_NUMBER_MAX}}})-(?P<rest>{_GROUP}(?:-{_GROUP})*/{_GROUP}(?:[-/]{_GROUP})*)$"
)
_SO_PREFIX = re.compile(r"^\s*số\s*[:.]?\s*", re.IGNORECASE)


# --- small helpers ---------------------------------------------------------------------------


def _nfc(value: Any) -> str:
    return unicodedata.normalize("NFC", str(value or "")).replace("\x00", "").strip()


def _line(value: Any) -> str:
    """One line of text: NFC, inner whitespace collapsed."""
    return " ".join(_nfc(value).split())


def _bad(code: str, message: str, field: str | None = None, **details: Any) -> DomainError:
    if field:
        details["field"] = field
    return DomainError(code, message, details=details or None)


def _date_vn(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def arrival_label(document: IncomingDocument) -> str:
    """ "05/2026" (and "05/2026 (mật)" in the secret series), as written on the ĐẾN stamp."""
    label = f"{format_number(document.arrival_number)}/{document.arrival_year}"
    return f"{label} (mật)" if document.arrival_series == SERIES_ARRIVAL_SECRET else label


def incoming_url(document: IncomingDocument) -> str:
    return reverse("documents:incoming_detail", args=[document.pk])


# --- notation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedNotation:
    notation: str
    code_number: str
    code_notation: str


def notation_normalise(text: str) -> str:
    value = _line(text)
    value = _SO_PREFIX.sub("", value)
    value = re.sub(r"\s*([/-])\s*", r"\1", value)
    return value


def notation_parse(text: str) -> ParsedNotation | None:
    """``15/QĐ-UBND`` → (``15``, ``QĐ-UBND``); ``30/2020/NĐ-CP`` → (``30``, ``2020/NĐ-CP``);
    None when the text is not a number and notation."""
    value = notation_normalise(text)
    match = NOTATION_RE.match(value) or PARTY_NOTATION_RE.match(value)
    if match is None:
        return None
    rest = match.group("rest")
    if not any(ch.isalpha() for ch in rest) or len(rest) > CODE_NOTATION_MAX:
        return None
    return ParsedNotation(notation=value, code_number=match.group("number"), code_notation=rest)


def type_allows_free_notation(document_type: DocumentType) -> bool:
    """Types without an abbreviation that are not a công văn (Thư công…): free-text notation."""
    return not document_type.abbreviation and not document_type.is_letter


# --- files -----------------------------------------------------------------------------------


@dataclass
class _UploadInfo:
    upload: Any
    name: str
    sha256: str | None  # None when too large to hash (file_store refuses it)
    pages: int | None


def _raw(upload: Any) -> IO[bytes]:
    return getattr(upload, "file", upload)


def _rewind(upload: Any) -> None:
    raw = _raw(upload)
    if hasattr(raw, "seek"):
        raw.seek(0)


def _hash_upload(upload: Any, limit: int) -> str | None:
    declared = getattr(upload, "size", None)
    if isinstance(declared, int) and declared > limit:
        return None
    _rewind(upload)
    hasher = hashlib.sha256()
    total = 0
    chunks = upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b"")
    for chunk in chunks:
        total += len(chunk)
        if total > limit:
            _rewind(upload)
            return None
        hasher.update(chunk)
    _rewind(upload)
    return hasher.hexdigest()


def _pdf_pages(upload: Any, name: str) -> int | None:
    """Pages of a PDF upload; refuses one that needs a password or cannot be read. None when the
    content is not a PDF (the files module says what it is)."""
    raw = _raw(upload)
    raw.seek(0)
    head = raw.read(1024)
    raw.seek(0)
    if b"%PDF-" not in head:
        return None
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(raw, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DomainError(
                "file_encrypted",
                f"Tệp '{name}' được đặt mật khẩu: hãy gửi bản không khóa để lưu và số hóa.",
                details={"file": name},
                status=415,
            )
        pages = len(reader.pages)
    except DomainError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise DomainError(
            "file_unreadable",
            f"Tệp '{name}' không đọc được như một tệp PDF (tệp hỏng hoặc không hoàn chỉnh).",
            details={"file": name},
            status=415,
        ) from exc
    finally:
        raw.seek(0)
    if pages < 1:
        raise DomainError(
            "file_unreadable",
            f"Tệp '{name}' không có trang nào.",
            details={"file": name},
            status=415,
        )
    return pages


def _inspect_uploads(files: Sequence[Any]) -> list[_UploadInfo]:
    limit = int(settings.FILE_UPLOAD_MAX_BYTES)
    infos = []
    for upload in files:
        name = _nfc(getattr(upload, "name", "")) or "(không tên)"
        digest = _hash_upload(upload, limit)
        pages = _pdf_pages(upload, name) if digest is not None else None
        infos.append(_UploadInfo(upload=upload, name=name, sha256=digest, pages=pages))
    return infos


# --- duplicates ------------------------------------------------------------------------------


def _match_entry(document: IncomingDocument, reasons: list[str], user: Any) -> dict[str, Any]:
    cleared = user is None or int(getattr(user, "clearance", 0)) >= document.secrecy
    return {
        "id": document.pk,
        "arrival_number": document.arrival_number,
        "arrival_year": document.arrival_year,
        "arrival_label": arrival_label(document),
        "notation": document.notation if cleared else "",
        "sender_name": document.sender_name if cleared else "",
        "issued_date": document.issued_date.isoformat() if document.issued_date else None,
        "subject": document.subject if cleared else "(văn bản mật)",
        "reasons": reasons,
    }


def incoming_find_duplicates(
    *,
    unit: AdminUnit,
    notation: str,
    sender: Organisation | None,
    sender_name: str,
    issued_date: dt.date | None,
    sha256s: Iterable[str] = (),
    user: Any = None,
) -> list[dict[str, Any]]:
    """Documents of the unit already registered with the same notation + issuer + date, or with a
    file of the same content. Each entry says why (``reasons``: "notation", "file")."""
    reasons: dict[int, list[str]] = {}
    notation_key = notation_normalise(notation).casefold()
    if notation_key and issued_date is not None:
        name_key = _line(sender_name).casefold()
        candidates = IncomingDocument.objects.filter(unit=unit, issued_date=issued_date).exclude(
            notation=""
        )
        parsed = notation_parse(notation)
        if parsed is not None:
            # Equal notations hold the same number's digits: let the database drop the others
            # (a busy day's letters are not all read and normalised here).
            candidates = candidates.filter(notation__contains=parsed.code_number)
        for doc in candidates.only("pk", "notation", "sender_id", "sender_name"):
            if notation_normalise(doc.notation).casefold() != notation_key:
                continue
            same_sender = (sender is not None and doc.sender_id == sender.pk) or (
                bool(name_key) and _line(doc.sender_name).casefold() == name_key
            )
            if same_sender:
                reasons.setdefault(doc.pk, []).append("notation")
    content_type = ContentType.objects.get_for_model(IncomingDocument)
    for digest in {d for d in sha256s if d}:
        for stored in files_find_by_sha256(digest, unit_ids={unit.pk}).filter(
            owner_type=content_type
        ):
            try:
                pk = int(stored.owner_id)
            except ValueError:
                continue
            if "file" not in reasons.setdefault(pk, []):
                reasons[pk].append("file")
    if not reasons:
        return []
    documents = IncomingDocument.objects.filter(pk__in=reasons).order_by(
        "-arrival_year", "-arrival_number"
    )
    return [_match_entry(doc, reasons[doc.pk], user) for doc in documents]


def _duplicate_error(matches: list[dict[str, Any]]) -> DomainError:
    first = matches[0]
    described = f"số đến {first['arrival_label']}"
    if first["notation"]:
        described += f" ({first['notation']})"
    more = f" và {len(matches) - 1} văn bản khác" if len(matches) > 1 else ""
    return DomainError(
        "duplicate_suspected",
        f"Văn bản này có thể đã được vào sổ: {described}{more}. "
        "Hãy kiểm tra; nếu vẫn cần vào sổ, ghi rõ lý do.",
        details={"matches": matches},
        status=409,
    )


# --- people ----------------------------------------------------------------------------------


def _active_positions(unit_id: int) -> Any:
    return Position.objects.active().filter(unit_id=unit_id)


def unit_leaders(unit: AdminUnit | int) -> list[User]:
    """The committee's leaders (Chủ tịch, Phó Chủ tịch): leader positions with no department or
    in the leadership department."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    ids = (
        _active_positions(unit_id)
        .filter(role=Role.LEADER)
        .filter(Q(department__isnull=True) | Q(department__kind=DepartmentKind.LEADERSHIP))
        .values_list("user_id", flat=True)
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "pk"))


def assignable_leaders(unit: AdminUnit | int) -> list[User]:
    """Everyone holding the leader role in the unit (committee leaders and department heads)."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    ids = _active_positions(unit_id).filter(role=Role.LEADER).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "pk"))


def unit_staff(unit: AdminUnit | int) -> list[User]:
    unit_id = unit if isinstance(unit, int) else unit.pk
    ids = _active_positions(unit_id).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "pk"))


def department_members(department: Department | int) -> list[User]:
    dept_id = department if isinstance(department, int) else department.pk
    ids = Position.objects.active().filter(department_id=dept_id).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "pk"))


def _holds_position(user: Any, unit_id: int) -> bool:
    return bool(_active_positions(unit_id).filter(user_id=user.pk).exists())


def _level(document: IncomingDocument) -> str:
    return NotificationLevel.URGENT if document.urgency > 0 else NotificationLevel.INFO


def _urgency_prefix(document: IncomingDocument) -> str:
    return f"[{Urgency(document.urgency).label}] " if document.urgency > 0 else ""


# --- dispatch feedback -----------------------------------------------------------------------


def _dispatch_feedback(document: IncomingDocument, status: str) -> None:
    """A document sent inside the platform: tell the sender's dispatch row where it stands."""
    if document.source_dispatch_id is None:
        return
    Dispatch.objects.filter(pk=document.source_dispatch_id).exclude(
        status=DispatchStatus.RECALLED
    ).update(status=status, status_at=timezone.now())


# --- register --------------------------------------------------------------------------------


def _check_choice(value: Any, allowed: Iterable[Any], code: str, message: str, field: str) -> Any:
    if value not in set(allowed):
        raise _bad(code, message, field, value=value)
    return value


def incoming_register(
    *,
    unit: AdminUnit,
    user: Any,
    files: Sequence[Any],
    channel: str,
    document_type: DocumentType | int | None,
    subject: str,
    sender: Organisation | None = None,
    sender_name: str = "",
    notation: str = "",
    issued_date: dt.date | None = None,
    signer_name: str = "",
    signer_position: str = "",
    page_count: int | None = None,
    urgency: int = Urgency.NORMAL,
    secrecy: int = 0,
    reply_by: dt.date | None = None,
    duplicate_reason: str = "",
    arrived_at: dt.datetime | None = None,
    note: str = "",
    source_dispatch: Dispatch | None = None,
) -> IncomingDocument:
    """Register a received document and give it the next arrival number of its unit and year.

    ``user`` is the clerk (checked with ``rules.can_register``), or None when the platform itself
    registers a document another committee sent inside it (``source_dispatch``).
    Raises DomainError with a stable code (see the module doc and ``docs/api.md``);
    ``duplicate_suspected`` (409, ``details.matches``) unless ``duplicate_reason`` is given.
    Everything happens in one transaction: a refused file leaves no document, no number taken
    and no file row (bytes already written are removed by ``files_sweep``).
    """
    from congso.documents.rules import can_register

    if user is not None and not can_register(user, unit):
        raise PermissionDenied("Chỉ văn thư của đơn vị được vào sổ văn bản đến.")

    # --- metadata ---
    channel = _check_choice(
        channel, Channel.values, "channel_invalid", "Hình thức nhận không hợp lệ.", "channel"
    )
    urgency = _check_choice(
        urgency, Urgency.values, "urgency_invalid", "Độ khẩn không hợp lệ.", "urgency"
    )
    secrecy = _check_choice(
        secrecy, (0, 1, 2, 3), "secrecy_invalid", "Độ mật không hợp lệ.", "secrecy"
    )
    if user is not None and int(getattr(user, "clearance", 0)) < secrecy:
        raise _bad(
            "secrecy_not_cleared",
            "Bạn không được giao tiếp cận tài liệu ở độ mật này, nên không thể vào sổ văn bản.",
            "secrecy",
        )
    if isinstance(document_type, int):
        document_type = DocumentType.objects.filter(pk=document_type, is_active=True).first()
    if document_type is None:
        raise _bad("document_type_required", "Hãy chọn tên loại văn bản.", "document_type")
    subject = _nfc(subject)
    if not subject:
        raise _bad("subject_required", "Hãy nhập trích yếu nội dung văn bản.", "subject")
    if len(subject) > SUBJECT_MAX:
        raise _bad(
            "subject_too_long",
            f"Trích yếu dài quá {SUBJECT_MAX} ký tự.",
            "subject",
            max=SUBJECT_MAX,
        )
    sender_name = _line(sender_name) or (sender.name if sender is not None else "")
    if not sender_name:
        raise _bad("sender_required", "Hãy chọn hoặc nhập cơ quan ban hành văn bản.", "sender_name")
    if len(sender_name) > SENDER_NAME_MAX:
        raise _bad("sender_too_long", "Tên cơ quan ban hành quá dài.", "sender_name")

    notation = notation_normalise(notation)
    parsed = notation_parse(notation) if notation else None
    if type_allows_free_notation(document_type):
        if len(notation) > NOTATION_MAX:
            raise _bad("notation_too_long", "Số, ký hiệu quá dài.", "notation")
    elif not notation:
        raise _bad(
            "notation_required",
            "Hãy nhập số, ký hiệu như in trên văn bản (ví dụ 15/QĐ-UBND).",
            "notation",
        )
    elif parsed is None:
        raise _bad(
            "notation_invalid",
            f"Số, ký hiệu '{notation}' không đúng dạng <số>/<ký hiệu>, "
            "ví dụ 15/QĐ-UBND, 123/UBND-VP, 30/2020/NĐ-CP hoặc 15-KH/ĐU.",
            "notation",
            notation=notation,
        )

    now = timezone.now()
    if arrived_at is None:
        arrived_at = now
    elif timezone.is_naive(arrived_at):
        arrived_at = timezone.make_aware(arrived_at)
    if arrived_at > now + FUTURE_TOLERANCE:
        raise _bad("arrived_in_future", "Ngày đến không thể ở tương lai.", "arrived_at")
    arrived_day = timezone.localtime(arrived_at).date()
    if issued_date is not None and issued_date > arrived_day:
        raise _bad(
            "issued_after_arrival",
            "Ngày văn bản không thể sau ngày đến.",
            "issued_date",
        )
    if reply_by is not None and issued_date is not None and reply_by < issued_date:
        raise _bad(
            "reply_by_before_issued", "Hạn trả lời không thể trước ngày văn bản.", "reply_by"
        )
    if page_count is not None and not 1 <= int(page_count) <= 9999:
        raise _bad("page_count_invalid", "Số trang phải từ 1 đến 9999.", "page_count")
    duplicate_reason = _line(duplicate_reason)[:255]
    signer_name = _line(signer_name)[:100]
    signer_position = _line(signer_position)[:100]
    note = _line(note)[:500]

    # --- files (read before any lock: hashing and PDF checks take time) ---
    files = list(files or [])
    max_files = int(getattr(settings, "DOCUMENT_MAX_FILES", 20))
    if not files and secrecy == 0:
        raise _bad(
            "files_required",
            "Hãy đính kèm bản quét hoặc bản điện tử của văn bản (PDF hoặc ảnh).",
            "files",
        )
    if len(files) > max_files:
        raise _bad("too_many_files", f"Mỗi văn bản đính kèm tối đa {max_files} tệp.", "files")
    infos = _inspect_uploads(files)
    if page_count is None and infos and all(info.pages is not None for info in infos):
        page_count = sum(info.pages or 0 for info in infos) or None

    # --- duplicates ---
    if not duplicate_reason:
        matches = incoming_find_duplicates(
            unit=unit,
            notation=notation,
            sender=sender,
            sender_name=sender_name,
            issued_date=issued_date,
            sha256s=[info.sha256 for info in infos if info.sha256],
            user=user,
        )
        if matches:
            raise _duplicate_error(matches)

    series = SERIES_ARRIVAL_SECRET if secrecy > 0 else SERIES_ARRIVAL
    year = arrived_day.year
    with transaction.atomic():
        # The number first (lock order: counter row, then the audit log; ADR 0003).
        number = number_next(scope=f"unit:{unit.pk}", series=series, year=year)
        document = IncomingDocument.objects.create(
            unit=unit,
            arrival_year=year,
            arrival_number=number,
            arrival_series=series,
            arrived_at=arrived_at,
            channel=channel,
            sender=sender,
            sender_name=sender_name,
            document_type=document_type,
            notation=notation,
            code_number=parsed.code_number if parsed else "",
            code_notation=parsed.code_notation if parsed else "",
            issued_date=issued_date,
            subject=subject,
            signer_name=signer_name,
            signer_position=signer_position,
            page_count=page_count,
            urgency=urgency,
            secrecy=secrecy,
            reply_by=reply_by,
            status=IncomingStatus.REGISTERED,
            digitization_status=(
                DigitizationStatus.PENDING if infos else DigitizationStatus.NO_FILE
            ),
            duplicate_reason=duplicate_reason,
            source_dispatch=source_dispatch,
            note=note,
            registered_by=user if user is not None else None,
        )
        stored = [
            file_store(
                upload=info.upload,
                owner=document,
                unit=unit,
                user=user,
                allowed_types=DOCUMENT_FILE_TYPES,
            )
            for info in infos
        ]
        if stored:
            # The job row in this transaction (no second transaction after the commit).
            digitization_queue_new(document=document, files=stored)
        audit_record(
            action="documents.incoming_register",
            obj=document,
            actor=user,
            unit=unit,
            changes={
                "arrival_number": [None, number],
                "arrival_series": [None, series],
                "notation": [None, notation],
                "sender_name": [None, sender_name],
                "subject": [None, subject],
                "urgency": [None, urgency],
                "secrecy": [None, secrecy],
                "files": [None, [f.original_name for f in stored]],
                "duplicate_reason": [None, duplicate_reason or None],
                "digitization_status": [None, document.digitization_status],
            },
            summary=f"Vào sổ văn bản đến số {arrival_label(document)}: {subject[:120]}",
        )
        if source_dispatch is not None:
            _dispatch_feedback(document, DispatchStatus.RECEIVED)
        if urgency > 0:
            notify(
                recipients=unit_leaders(unit),
                title=f"{_urgency_prefix(document)}Văn bản đến số {arrival_label(document)}",
                body=f"{sender_name}: {subject[:300]}",
                url=incoming_url(document),
                level=NotificationLevel.URGENT,
                kind="documents.incoming_urgent",
                obj=document,
            )
    return document


def incoming_secret_read(*, document: IncomingDocument, user: Any, what: str = "xem") -> None:
    """Record that ``user`` read a secret document (every read is audited)."""
    if document.secrecy <= 0:
        return
    with transaction.atomic():
        audit_record(
            action="documents.secret_read",
            obj=document,
            actor=user,
            unit=document.unit_id,
            changes={"secrecy": [document.secrecy, document.secrecy], "what": [None, what]},
            summary=f"Đọc văn bản mật, số đến {arrival_label(document)} ({what}).",
        )


# --- present ---------------------------------------------------------------------------------


def incoming_present(
    *, document: IncomingDocument, user: Any, leader: User, note: str = ""
) -> IncomingDocument:
    """Present (trình) the document to a leader of its unit; the leader is notified at once
    (level "urgent" for urgent documents). May be repeated to another leader until assigned."""
    from congso.documents.rules import can_present, is_unit_leader

    if not can_present(user, document):
        raise PermissionDenied("Chỉ văn thư của đơn vị được trình văn bản chưa phân công.")
    if leader is None or not is_unit_leader(leader, document.unit_id):
        raise _bad("leader_invalid", "Người được trình phải là lãnh đạo của đơn vị.", "leader")
    if int(getattr(leader, "clearance", 0)) < document.secrecy:
        raise _bad(
            "leader_not_cleared",
            "Lãnh đạo này chưa được giao tiếp cận tài liệu ở độ mật của văn bản.",
            "leader",
        )
    note = _line(note)[:NOTE_MAX]
    before = (document.status, document.presented_to_id)
    with transaction.atomic():
        document.status = IncomingStatus.PRESENTED
        document.presented_to = leader
        document.presented_at = timezone.now()
        document.save(update_fields=["status", "presented_to", "presented_at", "updated_at"])
        audit_record(
            action="documents.incoming_present",
            obj=document,
            actor=user,
            changes={
                "status": [before[0], document.status],
                "presented_to": [before[1], leader.pk],
                "note": [None, note or None],
            },
            summary=f"Trình văn bản đến số {arrival_label(document)} tới {leader}.",
        )
        notify(
            recipients=[leader],
            title=(
                f"{_urgency_prefix(document)}Văn bản đến chờ phân công: "
                f"số {arrival_label(document)}"
            ),
            body=f"{document.sender_name}: {document.subject[:300]}"
            + (f"\nVăn thư ghi: {note}" if note else ""),
            url=incoming_url(document),
            level=_level(document),
            kind="documents.incoming_presented",
            obj=document,
        )
    return document


# --- assign ----------------------------------------------------------------------------------


def _handlers(assignment: Assignment) -> list[User]:
    """Who works on an assignment: the lead person (or, without one, the lead department's
    members) and the cooperating people."""
    people: list[User] = []
    if assignment.lead_user is not None:
        people.append(assignment.lead_user)
    elif assignment.lead_department_id is not None:
        people.extend(department_members(assignment.lead_department_id))
    people.extend(assignment.cooperating_users.all())
    return people


def incoming_assign(
    *,
    document: IncomingDocument,
    user: Any,
    lead_user: User | None = None,
    lead_department: Department | None = None,
    cooperating_departments: Iterable[Department] = (),
    cooperating_users: Iterable[User] = (),
    instruction: str = "",
    deadline: dt.date | None = None,
    deadline_working_days: int | None = None,
    assigned_at: dt.datetime | None = None,
) -> Assignment:
    """The leader's instruction (bút phê): who leads, who cooperates, by when.

    ``deadline`` is a date, or ``deadline_working_days`` counts working days (the calendar's
    holidays and swapped days) from the assignment day. A new assignment replaces the open one
    (it stays in the history, cancelled). ``assigned_at`` defaults to now (importers may backdate).
    """
    from congso.documents.rules import can_assign

    if not can_assign(user, document):
        if document.status in {IncomingStatus.DONE, IncomingStatus.RECALLED}:
            raise DomainError("document_closed", "Văn bản đã giải quyết xong hoặc bị thu hồi.")
        raise PermissionDenied("Chỉ lãnh đạo của đơn vị được phân công xử lý văn bản.")
    if lead_user is None and lead_department is None:
        raise _bad("lead_required", "Hãy chọn người hoặc đơn vị chủ trì giải quyết.", "lead")
    unit_id = document.unit_id
    if lead_department is not None and lead_department.unit_id != unit_id:
        raise _bad("department_invalid", "Đơn vị chủ trì không thuộc cơ quan.", "lead_department")
    coop_departments = list(dict.fromkeys(cooperating_departments))
    coop_users = list(dict.fromkeys(cooperating_users))
    for dept in coop_departments:
        if dept.unit_id != unit_id:
            raise _bad(
                "department_invalid",
                f"Đơn vị phối hợp '{dept}' không thuộc cơ quan.",
                "cooperating_departments",
            )
    people = [(lead_user, "lead_user")] + [(u, "cooperating_users") for u in coop_users]
    for person, field in people:
        if person is None:
            continue
        if not person.is_active or not _holds_position(person, unit_id):
            raise _bad("handler_invalid", f"{person} không công tác tại cơ quan.", field)
        if int(getattr(person, "clearance", 0)) < document.secrecy:
            raise _bad(
                "handler_not_cleared",
                f"{person} chưa được giao tiếp cận tài liệu ở độ mật của văn bản.",
                field,
            )
    if lead_department is not None:
        coop_departments = [d for d in coop_departments if d.pk != lead_department.pk]
    if lead_user is not None:
        coop_users = [u for u in coop_users if u.pk != lead_user.pk]

    assigned_at = assigned_at or timezone.now()
    assigned_day = timezone.localtime(assigned_at).date()
    if deadline is not None and deadline_working_days is not None:
        raise _bad(
            "deadline_ambiguous",
            "Chỉ nhập hạn xử lý theo ngày hoặc theo số ngày làm việc, không nhập cả hai.",
            "deadline",
        )
    if deadline_working_days is not None:
        if (
            isinstance(deadline_working_days, bool)
            or not isinstance(deadline_working_days, int)
            or not 1 <= deadline_working_days <= MAX_WORKING_DAYS
        ):
            raise _bad(
                "deadline_days_invalid",
                f"Số ngày làm việc phải từ 1 đến {MAX_WORKING_DAYS}.",
                "deadline_working_days",
            )
        deadline = add_working_days(assigned_day, deadline_working_days)
    if deadline is not None and deadline < assigned_day:
        raise _bad("deadline_in_past", "Hạn giải quyết không thể trước ngày phân công.", "deadline")
    instruction = _nfc(instruction)
    if len(instruction) > INSTRUCTION_MAX:
        raise _bad("instruction_too_long", "Ý kiến chỉ đạo quá dài.", "instruction")

    with transaction.atomic():
        replaced = list(
            Assignment.objects.select_for_update().filter(
                document=document, status=AssignmentStatus.OPEN
            )
        )
        if replaced:
            Assignment.objects.filter(pk__in=[a.pk for a in replaced]).update(
                status=AssignmentStatus.CANCELLED
            )
        assignment = Assignment.objects.create(
            document=document,
            assigned_by=user,
            lead_user=lead_user,
            lead_department=lead_department,
            instruction=instruction,
            deadline=deadline,
            assigned_at=assigned_at,
        )
        if coop_departments:
            assignment.cooperating_departments.set(coop_departments)
        if coop_users:
            assignment.cooperating_users.set(coop_users)
        before_status = document.status
        document.status = IncomingStatus.ASSIGNED
        document.save(update_fields=["status", "updated_at"])
        audit_record(
            action="documents.incoming_assign",
            obj=document,
            actor=user,
            changes={
                "status": [before_status, document.status],
                "lead_user": [None, lead_user.pk if lead_user else None],
                "lead_department": [None, lead_department.pk if lead_department else None],
                "cooperating_departments": [None, [d.pk for d in coop_departments]],
                "cooperating_users": [None, [u.pk for u in coop_users]],
                "instruction": [None, instruction],
                "deadline": [None, deadline],
                "replaced_assignments": [None, [a.pk for a in replaced] or None],
            },
            summary=(
                f"Phân công giải quyết văn bản đến số {arrival_label(document)}"
                + (f", hạn {_date_vn(deadline)}" if deadline else "")
                + "."
            ),
        )
        _dispatch_feedback(document, DispatchStatus.ASSIGNED)
        lead = str(lead_user) if lead_user else str(lead_department)
        notify(
            recipients=[p for p in _handlers(assignment) if p.pk != getattr(user, "pk", None)],
            title=(
                f"{_urgency_prefix(document)}Được giao giải quyết văn bản đến số "
                f"{arrival_label(document)}"
            ),
            body=(
                f"{document.subject[:300]}\nChủ trì: {lead}."
                + (f"\nHạn giải quyết: {_date_vn(deadline)}." if deadline else "")
                + (f"\nÝ kiến chỉ đạo: {instruction}" if instruction else "")
            ),
            url=incoming_url(document),
            level=_level(document),
            kind="documents.incoming_assigned",
            obj=document,
        )
    return assignment


# --- progress and completion -----------------------------------------------------------------


def incoming_progress_add(
    *, assignment: Assignment, user: Any, text: str, files: Sequence[Any] = ()
) -> ProgressNote:
    """A handler's note on the work, with optional attachments (working papers)."""
    from congso.documents.rules import can_handle

    document = assignment.document
    if not can_handle(user, assignment):
        raise PermissionDenied("Bạn không tham gia giải quyết văn bản này.")
    text = _nfc(text)
    if not text:
        raise _bad("note_required", "Hãy nhập nội dung tiến độ.", "text")
    if len(text) > NOTE_MAX:
        raise _bad("note_too_long", f"Nội dung dài quá {NOTE_MAX} ký tự.", "text")
    files = list(files or [])
    if len(files) > int(getattr(settings, "DOCUMENT_MAX_FILES", 20)):
        raise _bad("too_many_files", "Quá nhiều tệp đính kèm.", "files")
    with transaction.atomic():
        note = ProgressNote.objects.create(
            document=document, assignment=assignment, author=user, text=text
        )
        stored = [
            file_store(
                upload=upload,
                owner=note,
                unit=document.unit_id,
                user=user,
                allowed_types=NOTE_FILE_TYPES,
            )
            for upload in files
        ]
        before = document.status
        if document.status == IncomingStatus.ASSIGNED:
            document.status = IncomingStatus.IN_PROGRESS
            document.save(update_fields=["status", "updated_at"])
        audit_record(
            action="documents.incoming_progress",
            obj=document,
            actor=user,
            changes={
                "status": [before, document.status],
                "note": [None, text[:500]],
                "files": [None, [f.original_name for f in stored] or None],
            },
            summary=f"Ghi nhận tiến độ văn bản đến số {arrival_label(document)}.",
        )
    return note


def incoming_complete(
    *,
    assignment: Assignment,
    user: Any,
    result_note: str,
    answer: OutgoingDocument | None = None,
) -> Assignment:
    """Close the assignment with its result, optionally linking the outgoing document that
    answers it; the document is then done. The assigning leader is told."""
    from congso.documents.rules import can_complete

    document = assignment.document
    if assignment.status != AssignmentStatus.OPEN:
        raise DomainError("assignment_closed", "Việc này đã kết thúc.")
    if not can_complete(user, assignment):
        raise PermissionDenied("Chỉ người chủ trì hoặc lãnh đạo được kết thúc việc giải quyết.")
    result_note = _nfc(result_note)
    if not result_note:
        raise _bad("result_required", "Hãy nhập kết quả giải quyết.", "result_note")
    if len(result_note) > NOTE_MAX:
        raise _bad("result_too_long", f"Kết quả dài quá {NOTE_MAX} ký tự.", "result_note")
    if answer is not None and (
        answer.unit_id != document.unit_id or answer.status != OutgoingStatus.ISSUED
    ):
        raise _bad(
            "answer_invalid",
            "Văn bản trả lời phải là văn bản đi đã ban hành của cùng cơ quan.",
            "answer",
        )
    now = timezone.now()
    with transaction.atomic():
        updated = Assignment.objects.filter(pk=assignment.pk, status=AssignmentStatus.OPEN).update(
            status=AssignmentStatus.DONE,
            completed_at=now,
            completed_by=user,
            result_note=result_note,
            answer=answer,
        )
        if not updated:  # closed by someone else meanwhile
            raise DomainError("assignment_closed", "Việc này đã kết thúc.")
        assignment.refresh_from_db()
        before = document.status
        still_open = Assignment.objects.filter(
            document=document, status=AssignmentStatus.OPEN
        ).exists()
        if not still_open:
            document.status = IncomingStatus.DONE
            document.save(update_fields=["status", "updated_at"])
        audit_record(
            action="documents.incoming_complete",
            obj=document,
            actor=user,
            changes={
                "status": [before, document.status],
                "result_note": [None, result_note[:500]],
                "answer": [None, answer.pk if answer else None],
            },
            summary=f"Hoàn thành giải quyết văn bản đến số {arrival_label(document)}.",
        )
        if document.status == IncomingStatus.DONE:
            _dispatch_feedback(document, DispatchStatus.DONE)
        notify(
            recipients=[assignment.assigned_by]
            if assignment.assigned_by_id != getattr(user, "pk", None)
            else [],
            title=f"Đã giải quyết văn bản đến số {arrival_label(document)}",
            body=f"{document.subject[:300]}\nKết quả: {result_note[:500]}",
            url=incoming_url(document),
            kind="documents.incoming_done",
            obj=document,
        )
    return assignment


# --- reminders -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderRun:
    due_soon: int
    overdue: int


def reminder_days() -> int:
    return max(int(getattr(settings, "DOCUMENT_REMINDER_DAYS", 1)), 0)


def incoming_send_reminders(now: dt.datetime | None = None) -> ReminderRun:
    """Remind handlers of open assignments due within ``DOCUMENT_REMINDER_DAYS`` working days,
    and tell handlers and the assigning leader when one is overdue. Each reminder goes once per
    assignment (``reminded_at``, ``overdue_notified_at`` claimed with a conditional UPDATE, so
    two runs at once never send twice); inbox and e-mail through ``notify``."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    horizon = add_working_days(today, reminder_days())
    base = Assignment.objects.filter(
        status=AssignmentStatus.OPEN, deadline__isnull=False
    ).select_related("document", "lead_user", "assigned_by")
    due_soon = overdue = 0

    for assignment in base.filter(
        reminded_at__isnull=True,
        overdue_notified_at__isnull=True,
        deadline__gte=today,
        deadline__lte=horizon,
    ).order_by("deadline", "pk"):
        with transaction.atomic():
            claimed = Assignment.objects.filter(
                pk=assignment.pk, status=AssignmentStatus.OPEN, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue
            document = assignment.document
            notify(
                recipients=_handlers(assignment),
                title=(
                    f"{_urgency_prefix(document)}Sắp đến hạn: văn bản đến số "
                    f"{arrival_label(document)} (hạn {_date_vn(assignment.deadline)})"
                ),
                body=document.subject[:300],
                url=incoming_url(document),
                level=NotificationLevel.WARNING,
                kind="documents.incoming_due",
                obj=document,
            )
            due_soon += 1

    for assignment in base.filter(overdue_notified_at__isnull=True, deadline__lt=today).order_by(
        "deadline", "pk"
    ):
        with transaction.atomic():
            claimed = Assignment.objects.filter(
                pk=assignment.pk, status=AssignmentStatus.OPEN, overdue_notified_at__isnull=True
            ).update(overdue_notified_at=now)
            if not claimed:
                continue
            document = assignment.document
            notify(
                recipients=[*_handlers(assignment), assignment.assigned_by],
                title=(
                    f"Quá hạn: văn bản đến số {arrival_label(document)} "
                    f"(hạn {_date_vn(assignment.deadline)})"
                ),
                body=document.subject[:300],
                url=incoming_url(document),
                level=NotificationLevel.URGENT,
                kind="documents.incoming_overdue",
                obj=document,
            )
            overdue += 1
    if due_soon or overdue:
        logger.info("incoming reminders: %s due soon, %s overdue", due_soon, overdue)
    return ReminderRun(due_soon=due_soon, overdue=overdue)


# --- directory -------------------------------------------------------------------------------


def organisation_ensure_for_unit(*, unit: AdminUnit) -> Organisation:
    """The directory entry of a committee served by the platform (created when missing), so that
    documents addressed to it travel inside the platform."""
    existing = Organisation.objects.filter(unit=unit).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name=unit.display_committee,
            org_code=unit.org_code,
            abbreviation=unit.abbreviation or "UBND",
            unit=unit,
        )
        audit_record(
            action="documents.organisation_create",
            obj=organisation,
            unit=unit,
            changes={"name": [None, organisation.name], "unit": [None, unit.pk]},
            summary=f"Thêm '{organisation.name}' vào danh bạ cơ quan.",
        )
    return organisation


DIRECTORY_FIELDS = {
    Organisation: ("name", "org_code", "abbreviation", "unit", "is_active"),
    DocumentType: ("name", "abbreviation", "is_letter", "order", "is_active"),
}


def directory_save(*, obj: Organisation | DocumentType, user: Any) -> Organisation | DocumentType:
    """Save a directory entry (an organisation or a document type) from the configuration
    screens, audited with what changed."""
    fields = DIRECTORY_FIELDS[type(obj)]
    before = type(obj).objects.filter(pk=obj.pk).first() if obj.pk else None
    obj.name = _line(obj.name)
    if isinstance(obj, Organisation):
        obj.org_code = _line(obj.org_code)
        obj.abbreviation = _line(obj.abbreviation)
        if obj.unit_id is not None and (
            Organisation.objects.filter(unit_id=obj.unit_id).exclude(pk=obj.pk).exists()
        ):
            raise _bad(
                "organisation_unit_taken",
                "Đơn vị này đã có một mục trong danh bạ cơ quan.",
                "unit",
            )
    else:
        obj.abbreviation = _line(obj.abbreviation)
    if not obj.name:
        raise _bad("name_required", "Hãy nhập tên.", "name")
    from congso.kernel.audit.services import diff_fields

    with transaction.atomic():
        obj.save()
        label = type(obj)._meta.model_name
        audit_record(
            action=f"documents.{label}_{'update' if before else 'create'}",
            obj=obj,
            actor=user,
            unit=getattr(obj, "unit_id", None),
            changes=diff_fields(before, obj, fields),
            summary=f"{'Sửa' if before else 'Thêm'} '{obj.name}' ({type(obj)._meta.verbose_name}).",
        )
    return obj
