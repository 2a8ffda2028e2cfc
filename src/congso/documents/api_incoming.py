"""/api/v1/documents/incoming: the same services and selectors as the HTML pages.

Errors are ``{"code", "message", "details"}`` with stable codes (see docs/api.md); a document
outside the caller's scope answers 404 ``not_found``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile

from congso.documents import selectors
from congso.documents.models import (
    Assignment,
    AssignmentStatus,
    Channel,
    DocumentType,
    IncomingDocument,
    Organisation,
    OutgoingDocument,
    ProgressNote,
)
from congso.documents.services import incoming as services
from congso.kernel.errors import DomainError, NotFound
from congso.kernel.orgunits.models import AdminUnit, Department
from congso.kernel.people.models import User
from congso.kernel.people.selectors import active_positions

router = Router(tags=["documents: incoming"])


# --- schemas ---------------------------------------------------------------------------------


class FileOut(Schema):
    id: str
    name: str
    size: int
    kind: str
    sha256: str
    url: str
    view_url: str | None


class IncomingOut(Schema):
    id: int
    unit_id: int
    arrival_number: int
    arrival_year: int
    arrival_series: str
    arrival_label: str
    arrived_at: dt.datetime
    channel: str
    sender_id: int | None
    sender_name: str
    document_type_id: int
    document_type: str
    notation: str
    code_number: str
    code_notation: str
    issued_date: dt.date | None
    subject: str
    signer_name: str
    signer_position: str
    page_count: int | None
    urgency: int
    urgency_label: str
    secrecy: int
    reply_by: dt.date | None
    status: str
    status_label: str
    digitization_status: str
    duplicate_reason: str
    is_overdue: bool
    url: str


class AssignmentOut(Schema):
    id: int
    document_id: int
    status: str
    assigned_by_id: int
    assigned_at: dt.datetime
    lead_user_id: int | None
    lead_user_name: str | None
    lead_department_id: int | None
    lead_department_name: str | None
    cooperating_department_ids: list[int]
    cooperating_user_ids: list[int]
    instruction: str
    deadline: dt.date | None
    completed_at: dt.datetime | None
    completed_by_id: int | None
    result_note: str
    answer_id: int | None


class NoteOut(Schema):
    id: int
    assignment_id: int | None
    author_id: int
    author_name: str
    text: str
    created_at: dt.datetime
    files: list[FileOut]


class IncomingDetailOut(IncomingOut):
    files: list[FileOut]
    assignments: list[AssignmentOut]
    notes: list[NoteOut]
    presented_to_id: int | None
    registered_by_id: int | None


class IncomingPage(Schema):
    items: list[IncomingOut]
    next_cursor: str | None


class IncomingRegisterIn(Schema):
    """Metadata of a received document (App. VI §II); files travel as ``file`` parts."""

    subject: str
    document_type: str  # id, abbreviation ("QĐ") or name ("Công văn")
    notation: str = ""
    issued_date: dt.date | None = None
    sender_id: int | None = None
    sender_code: str = ""  # the directory's org_code
    sender_name: str = ""
    signer_name: str = ""
    signer_position: str = ""
    page_count: int | None = None
    urgency: int = 0
    secrecy: int = 0
    reply_by: dt.date | None = None
    channel: str = Channel.ELECTRONIC
    arrived_at: dt.datetime | None = None
    duplicate_reason: str = ""
    note: str = ""
    unit_id: int | None = None  # default: the caller's current position's unit


class IncomingListParams(Schema):
    year: int | None = None
    status: str = ""
    urgency: int | None = None
    urgent: bool = False
    q: str = ""
    overdue: bool = False
    unit: int | None = None
    channel: str = ""
    limit: int = 50
    cursor: str | None = None


class PresentIn(Schema):
    leader_id: int
    note: str = ""


class AssignIn(Schema):
    lead_user_id: int | None = None
    lead_department_id: int | None = None
    cooperating_department_ids: list[int] = []
    cooperating_user_ids: list[int] = []
    instruction: str = ""
    deadline: dt.date | None = None
    deadline_working_days: int | None = None


class CompleteIn(Schema):
    result_note: str
    answer_id: int | None = None
    assignment_id: int | None = None  # default: the document's open assignment


class ProgressIn(Schema):
    text: str
    assignment_id: int | None = None


# --- shaping ---------------------------------------------------------------------------------


def _file_out(stored: Any) -> dict[str, Any]:
    return {
        "id": str(stored.public_id),
        "name": stored.original_name,
        "size": stored.size,
        "kind": stored.kind,
        "sha256": stored.sha256,
        "url": reverse("files:download", args=[stored.public_id]),
        "view_url": (
            reverse("files:view", args=[stored.public_id]) if stored.is_inline_viewable else None
        ),
    }


def _document_out(document: IncomingDocument) -> dict[str, Any]:
    return {
        "id": document.pk,
        "unit_id": document.unit_id,
        "arrival_number": document.arrival_number,
        "arrival_year": document.arrival_year,
        "arrival_series": document.arrival_series,
        "arrival_label": services.arrival_label(document),
        "arrived_at": document.arrived_at,
        "channel": document.channel,
        "sender_id": document.sender_id,
        "sender_name": document.sender_name,
        "document_type_id": document.document_type_id,
        "document_type": document.document_type.name,
        "notation": document.notation,
        "code_number": document.code_number,
        "code_notation": document.code_notation,
        "issued_date": document.issued_date,
        "subject": document.subject,
        "signer_name": document.signer_name,
        "signer_position": document.signer_position,
        "page_count": document.page_count,
        "urgency": document.urgency,
        "urgency_label": document.get_urgency_display(),
        "secrecy": document.secrecy,
        "reply_by": document.reply_by,
        "status": document.status,
        "status_label": document.get_status_display(),
        "digitization_status": document.digitization_status,
        "duplicate_reason": document.duplicate_reason,
        "is_overdue": bool(getattr(document, "is_overdue", False)),
        "url": services.incoming_url(document),
    }


def _assignment_out(assignment: Assignment) -> dict[str, Any]:
    return {
        "id": assignment.pk,
        "document_id": assignment.document_id,
        "status": assignment.status,
        "assigned_by_id": assignment.assigned_by_id,
        "assigned_at": assignment.assigned_at,
        "lead_user_id": assignment.lead_user_id,
        "lead_user_name": assignment.lead_user.get_full_name() if assignment.lead_user else None,
        "lead_department_id": assignment.lead_department_id,
        "lead_department_name": (
            assignment.lead_department.name if assignment.lead_department else None
        ),
        "cooperating_department_ids": sorted(
            d.pk for d in assignment.cooperating_departments.all()
        ),
        "cooperating_user_ids": sorted(u.pk for u in assignment.cooperating_users.all()),
        "instruction": assignment.instruction,
        "deadline": assignment.deadline,
        "completed_at": assignment.completed_at,
        "completed_by_id": assignment.completed_by_id,
        "result_note": assignment.result_note,
        "answer_id": assignment.answer_id,
    }


def _note_out(note: ProgressNote, files: list[Any]) -> dict[str, Any]:
    return {
        "id": note.pk,
        "assignment_id": note.assignment_id,
        "author_id": note.author_id,
        "author_name": note.author.get_full_name(),
        "text": note.text,
        "created_at": note.created_at,
        "files": [_file_out(f) for f in files],
    }


def _detail_out(document: IncomingDocument) -> dict[str, Any]:
    notes = selectors.incoming_notes(document)
    note_files = selectors.progress_note_files(notes)
    out = _document_out(document)
    out.update(
        files=[_file_out(f) for f in selectors.incoming_files(document)],
        assignments=[_assignment_out(a) for a in selectors.incoming_assignments(document)],
        notes=[_note_out(n, note_files.get(n.pk, [])) for n in notes],
        presented_to_id=document.presented_to_id,
        registered_by_id=document.registered_by_id,
    )
    return out


# --- lookups ---------------------------------------------------------------------------------


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _unit_for(request: HttpRequest, unit_id: int | None) -> AdminUnit:
    user = _user(request)
    if unit_id is None:
        position = getattr(request, "position", None) if request.user == user else None
        if position is None:
            position = active_positions(user).first()
        unit_id = position.unit_id if position is not None else None
    unit = AdminUnit.objects.filter(pk=unit_id).first() if unit_id is not None else None
    if unit is None:
        raise DomainError(
            "unit_required", "Không xác định được cơ quan nhận.", details={"field": "unit_id"}
        )
    return unit


def _document_type(value: str) -> DocumentType:
    text = " ".join((value or "").split())
    active = DocumentType.objects.filter(is_active=True)
    found = None
    if text.isdigit():
        found = active.filter(pk=int(text)).first()
    if found is None and text:
        found = active.filter(abbreviation=text).exclude(abbreviation="").first()
    if found is None and text:
        found = next((t for t in active if t.name.casefold() == text.casefold()), None)
    if found is None:
        raise DomainError(
            "document_type_invalid",
            f"Không có tên loại văn bản '{text}'.",
            details={"field": "document_type"},
        )
    return found


def _sender(payload: IncomingRegisterIn) -> Organisation | None:
    if payload.sender_id is not None:
        found = Organisation.objects.filter(pk=payload.sender_id).first()
        if found is None:
            raise DomainError(
                "sender_invalid",
                "Không có cơ quan này trong danh bạ.",
                details={"field": "sender_id"},
            )
        return found
    if payload.sender_code.strip():
        found = Organisation.objects.filter(org_code=payload.sender_code.strip()).first()
        if found is None:
            raise DomainError(
                "sender_invalid",
                f"Không có mã định danh '{payload.sender_code.strip()}' trong danh bạ.",
                details={"field": "sender_code"},
            )
        return found
    return selectors.organisation_by_name(payload.sender_name)


def _document(request: HttpRequest, document_id: int) -> IncomingDocument:
    return selectors.incoming_get(_user(request), document_id)


def _users(ids: list[int], field: str) -> list[User]:
    found = {u.pk: u for u in User.objects.filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise DomainError(
            "handler_invalid", "Không có người dùng này.", details={"field": field, "ids": missing}
        )
    return [found[i] for i in ids]


def _departments(ids: list[int], field: str) -> list[Department]:
    found = {d.pk: d for d in Department.objects.filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise DomainError(
            "department_invalid",
            "Không có đơn vị này.",
            details={"field": field, "ids": missing},
        )
    return [found[i] for i in ids]


def _open_assignment(document: IncomingDocument, assignment_id: int | None) -> Assignment:
    qs = Assignment.objects.select_related("document", "lead_user", "lead_department").filter(
        document=document
    )
    if assignment_id is not None:
        assignment = qs.filter(pk=assignment_id).first()
    else:
        assignment = qs.filter(status=AssignmentStatus.OPEN).order_by("-assigned_at").first()
    if assignment is None:
        raise DomainError(
            "assignment_missing", "Văn bản chưa được phân công giải quyết.", status=409
        )
    return assignment


# --- endpoints -------------------------------------------------------------------------------


@router.post(
    "/",
    response={201: IncomingOut},
    summary="Vào sổ văn bản đến",
    description=(
        "Multipart: một hoặc nhiều phần `file` (PDF, PNG, JPEG, TIFF) và các trường thông tin. "
        "Lỗi thường gặp: 400 `notation_invalid`, `subject_required`, `files_required`; "
        "409 `duplicate_suspected` (`details.matches`; gửi lại với `duplicate_reason`); "
        "413 `file_too_large`; 415 `file_type_mismatch`, `file_empty`, `file_encrypted`."
    ),
)
def register(
    request: HttpRequest,
    payload: Form[IncomingRegisterIn],
    file: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status[dict[str, Any]]:
    document = services.incoming_register(
        unit=_unit_for(request, payload.unit_id),
        user=_user(request),
        files=list(file or []),
        channel=payload.channel,
        sender=_sender(payload),
        sender_name=payload.sender_name,
        document_type=_document_type(payload.document_type),
        notation=payload.notation,
        issued_date=payload.issued_date,
        subject=payload.subject,
        signer_name=payload.signer_name,
        signer_position=payload.signer_position,
        page_count=payload.page_count,
        urgency=payload.urgency,
        secrecy=payload.secrecy,
        reply_by=payload.reply_by,
        duplicate_reason=payload.duplicate_reason,
        arrived_at=payload.arrived_at,
        note=payload.note,
    )
    document.refresh_from_db()
    return Status(201, _document_out(document))


@router.get("/", response=IncomingPage, summary="Danh sách văn bản đến (phân trang theo con trỏ)")
def incoming_list(request: HttpRequest, params: Query[IncomingListParams]) -> dict[str, Any]:
    filters = params.dict()
    cursor = filters.pop("cursor")
    limit = filters.pop("limit")
    page = selectors.incoming_page(_user(request), filters=filters, cursor=cursor, size=limit)
    return {"items": [_document_out(d) for d in page.items], "next_cursor": page.next_cursor}


@router.get("/{document_id}", response=IncomingDetailOut, summary="Một văn bản đến")
def incoming_detail(request: HttpRequest, document_id: int) -> dict[str, Any]:
    document = _document(request, document_id)
    if document.secrecy > 0:
        services.incoming_secret_read(document=document, user=_user(request), what="API")
    return _detail_out(document)


@router.post("/{document_id}/present", response=IncomingOut, summary="Trình lãnh đạo")
def present(request: HttpRequest, document_id: int, payload: PresentIn) -> dict[str, Any]:
    document = _document(request, document_id)
    leader = User.objects.filter(pk=payload.leader_id).first()
    if leader is None:
        raise DomainError(
            "leader_invalid", "Không có người dùng này.", details={"field": "leader_id"}
        )
    services.incoming_present(
        document=document, user=_user(request), leader=leader, note=payload.note
    )
    return _document_out(document)


@router.post("/{document_id}/assign", response={201: AssignmentOut}, summary="Phân công giải quyết")
def assign(request: HttpRequest, document_id: int, payload: AssignIn) -> Status[dict[str, Any]]:
    document = _document(request, document_id)
    lead_user = _users([payload.lead_user_id], "lead_user_id")[0] if payload.lead_user_id else None
    lead_department = (
        _departments([payload.lead_department_id], "lead_department_id")[0]
        if payload.lead_department_id
        else None
    )
    assignment = services.incoming_assign(
        document=document,
        user=_user(request),
        lead_user=lead_user,
        lead_department=lead_department,
        cooperating_departments=_departments(
            payload.cooperating_department_ids, "cooperating_department_ids"
        ),
        cooperating_users=_users(payload.cooperating_user_ids, "cooperating_user_ids"),
        instruction=payload.instruction,
        deadline=payload.deadline,
        deadline_working_days=payload.deadline_working_days,
    )
    return Status(201, _assignment_out(assignment))


@router.post(
    "/{document_id}/progress",
    response={201: NoteOut},
    summary="Ghi nhận tiến độ (multipart: `text`, tùy chọn `assignment_id` và các phần `file`)",
)
def progress(
    request: HttpRequest,
    document_id: int,
    payload: Form[ProgressIn],
    file: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status[dict[str, Any]]:
    document = _document(request, document_id)
    assignment = _open_assignment(document, payload.assignment_id)
    note = services.incoming_progress_add(
        assignment=assignment, user=_user(request), text=payload.text, files=list(file or [])
    )
    files = selectors.progress_note_files([note]).get(note.pk, [])
    return Status(201, _note_out(note, files))


@router.post("/{document_id}/complete", response=AssignmentOut, summary="Hoàn thành giải quyết")
def complete(request: HttpRequest, document_id: int, payload: CompleteIn) -> dict[str, Any]:
    document = _document(request, document_id)
    assignment = _open_assignment(document, payload.assignment_id)
    answer = None
    if payload.answer_id is not None:
        answer = OutgoingDocument.objects.filter(pk=payload.answer_id).first()
        if answer is None:
            raise NotFound("Không tìm thấy văn bản trả lời.")
    done = services.incoming_complete(
        assignment=assignment, user=_user(request), result_note=payload.result_note, answer=answer
    )
    return _assignment_out(done)
