"""/api/v1/documents/outgoing: the same services and selectors as the HTML pages.

Errors are ``{"code", "message", "details"}`` with stable codes (docs/api.md): 400 bad input,
403 ``permission_denied``, 404 ``not_found`` (also for a document outside the caller's scope),
409 ``outgoing_wrong_status`` / ``sign_needs_pdf`` / ``sign_no_credential``, 415 ``pdf_encrypted``
/ ``pdf_invalid`` / ``file_type_mismatch``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile

from congso.documents import rules, selectors
from congso.documents.models import (
    Dispatch,
    DocumentType,
    Organisation,
    OutgoingDocument,
    ReviewStep,
)
from congso.documents.services import outgoing as services
from congso.kernel.errors import DomainError
from congso.kernel.orgunits.models import AdminUnit, Department
from congso.kernel.people.models import User
from congso.kernel.people.selectors import active_positions

router = Router(tags=["documents: outgoing"])


# --- schemas ---------------------------------------------------------------------------------


class FileOut(Schema):
    id: str
    name: str
    size: int
    kind: str
    sha256: str
    url: str


class OutgoingOut(Schema):
    id: int
    unit_id: int
    department_id: int
    department: str
    document_type_id: int
    document_type: str
    subject: str
    status: str
    status_label: str
    urgency: int
    secrecy: int
    year: int | None
    series: str
    number: int | None
    notation: str
    issued_date: dt.date | None
    signer_id: int | None
    signer_name: str | None
    signer_title: str
    signing_authority: str
    signed_at: dt.datetime | None
    signed_with_test_ca: bool
    page_count: int | None
    reply_by: dt.date | None
    created_by_id: int
    created_at: dt.datetime
    digitization_status: str
    url: str


class VersionOut(Schema):
    number: int
    file: FileOut
    comment: str
    uploaded_by_id: int
    created_at: dt.datetime


class StepOut(Schema):
    id: int
    order: int
    reviewer_id: int
    reviewer_name: str
    decision: str
    comment: str
    decided_at: dt.datetime | None
    is_current: bool


class AttachmentOut(Schema):
    id: int
    order: int
    title: str
    file: FileOut
    signed_file: FileOut | None


class DispatchOut(Schema):
    id: int
    recipient_id: int
    recipient: str
    channel: str
    status: str
    status_label: str
    sent_at: dt.datetime
    status_at: dt.datetime
    incoming_id: int | None


class OutgoingDetailOut(OutgoingOut):
    versions: list[VersionOut]
    steps: list[StepOut]
    attachments: list[AttachmentOut]
    dispatches: list[DispatchOut]
    issued_files: list[FileOut]
    signed_file: FileOut | None
    recipient_ids: list[int]
    recipients_text: str
    recall_reason: str


class OutgoingPage(Schema):
    items: list[OutgoingOut]
    count: int
    limit: int
    offset: int


class DraftIn(Schema):
    """Metadata of a draft; the text travels as the ``file`` part (DOCX or PDF), attachments as
    ``attachment`` parts (PDF)."""

    subject: str
    document_type: str  # id, abbreviation ("QĐ") or name ("Công văn")
    department_id: int | None = None  # default: the caller's department
    urgency: int = 0
    secrecy: int = 0
    recipient_ids: list[int] = []
    recipients_text: str = ""
    reply_by: dt.date | None = None
    copies: int = 1
    comment: str = ""
    unit_id: int | None = None  # default: the caller's current position's unit


class SubmitIn(Schema):
    reviewer_ids: list[int]


class ReviewIn(Schema):
    decision: str  # approved | returned
    comment: str = ""


class SignIn(Schema):
    signing_authority: str = ""  # "", "TM.", "KT.", "Q.", "TL.", "TUQ."
    signer_title: str = ""
    page: int | None = None  # 1-based; with box
    box: list[float] | None = None  # [x0, y0, x1, y1] in PDF points from the bottom left
    pin: str | None = None  # PKCS#11 tokens whose PIN is not kept


class DispatchIn(Schema):
    recipient_ids: list[int] | None = None  # default: the document's recipients not yet sent to


class DispatchResultOut(Schema):
    internal: list[DispatchOut]
    external: list[DispatchOut]
    skipped: list[int]
    failed: list[dict[str, Any]]


class RecallIn(Schema):
    reason: str


class ListParams(Schema):
    status: str = ""
    year: int | None = None
    q: str = ""
    unit: int | None = None
    limit: int = 50
    offset: int = 0


# --- shaping ---------------------------------------------------------------------------------


def _file(stored: Any) -> dict[str, Any] | None:
    if stored is None:
        return None
    return {
        "id": str(stored.public_id),
        "name": stored.original_name,
        "size": stored.size,
        "kind": stored.kind,
        "sha256": stored.sha256,
        "url": reverse("files:download", args=[stored.public_id]),
    }


def _out(document: OutgoingDocument) -> dict[str, Any]:
    return {
        "id": document.pk,
        "unit_id": document.unit_id,
        "department_id": document.department_id,
        "department": document.department.abbreviation,
        "document_type_id": document.document_type_id,
        "document_type": document.document_type.name,
        "subject": document.subject,
        "status": document.status,
        "status_label": document.get_status_display(),
        "urgency": document.urgency,
        "secrecy": document.secrecy,
        "year": document.year,
        "series": document.series,
        "number": document.number,
        "notation": document.notation,
        "issued_date": document.issued_date,
        "signer_id": document.signer_id,
        "signer_name": document.signer.get_full_name() if document.signer else None,
        "signer_title": document.signer_title,
        "signing_authority": document.signing_authority,
        "signed_at": document.signed_at,
        "signed_with_test_ca": document.signed_with_test_ca,
        "page_count": document.page_count,
        "reply_by": document.reply_by,
        "created_by_id": document.created_by_id,
        "created_at": document.created_at,
        "digitization_status": document.digitization_status,
        "url": services.outgoing_url(document),
    }


def _dispatch_out(dispatch: Dispatch) -> dict[str, Any]:
    try:
        incoming = dispatch.incoming
    except ObjectDoesNotExist:
        incoming = None
    return {
        "id": dispatch.pk,
        "recipient_id": dispatch.recipient_id,
        "recipient": dispatch.recipient.name,
        "channel": dispatch.channel,
        "status": dispatch.status,
        "status_label": dispatch.get_status_display(),
        "sent_at": dispatch.sent_at,
        "status_at": dispatch.status_at,
        "incoming_id": incoming.pk if incoming is not None else None,
    }


def _step_out(step: ReviewStep, current: ReviewStep | None) -> dict[str, Any]:
    return {
        "id": step.pk,
        "order": step.order,
        "reviewer_id": step.reviewer_id,
        "reviewer_name": step.reviewer.get_full_name(),
        "decision": step.decision,
        "comment": step.comment,
        "decided_at": step.decided_at,
        "is_current": current is not None and current.pk == step.pk,
    }


def _detail(document: OutgoingDocument) -> dict[str, Any]:
    current = rules.outgoing_current_step(document)
    out = _out(document)
    out.update(
        versions=[
            {
                "number": v.number,
                "file": _file(v.file),
                "comment": v.comment,
                "uploaded_by_id": v.uploaded_by_id,
                "created_at": v.created_at,
            }
            for v in document.versions.all()
        ],
        steps=[_step_out(s, current) for s in document.review_steps.all()],
        attachments=[
            {
                "id": a.pk,
                "order": a.order,
                "title": a.title,
                "file": _file(a.file),
                "signed_file": _file(a.signed_file),
            }
            for a in document.attachments.all()
        ],
        dispatches=[_dispatch_out(d) for d in document.dispatches.all()],
        issued_files=[_file(f) for f in services.outgoing_issued_files(document)],
        signed_file=_file(document.signed_file),
        recipient_ids=sorted(o.pk for o in document.external_recipients.all()),
        recipients_text=document.recipients_text,
        recall_reason=document.recall_reason,
    )
    return out


# --- lookups ---------------------------------------------------------------------------------


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _document(request: HttpRequest, document_id: int) -> OutgoingDocument:
    return selectors.outgoing_get(_user(request), document_id)


def _position(request: HttpRequest, unit_id: int | None) -> tuple[AdminUnit, Any]:
    user = _user(request)
    positions = list(active_positions(user))
    current = getattr(request, "position", None) if request.user == user else None
    chosen = None
    if unit_id is not None:
        chosen = next((p for p in positions if p.unit_id == unit_id), None)
        unit = AdminUnit.objects.filter(pk=unit_id).first()
    else:
        chosen = current or (positions[0] if positions else None)
        unit = chosen.unit if chosen is not None else None
    if unit is None:
        raise DomainError(
            "unit_required", "Không xác định được cơ quan ban hành.", details={"field": "unit_id"}
        )
    return unit, chosen


def _document_type(value: str) -> DocumentType:
    text = " ".join((value or "").split())
    active = DocumentType.objects.filter(is_active=True)
    found = active.filter(pk=int(text)).first() if text.isdigit() else None
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


def _users(ids: list[int]) -> list[User]:
    found = {u.pk: u for u in User.objects.filter(pk__in=ids, is_active=True)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise DomainError(
            "reviewer_invalid",
            "Người duyệt không tồn tại.",
            details={"field": "reviewer_ids", "ids": missing},
        )
    return [found[i] for i in ids]


# --- endpoints -------------------------------------------------------------------------------


@router.post(
    "/",
    response={201: OutgoingDetailOut},
    summary="Tạo dự thảo văn bản đi",
    description=(
        "Multipart: phần `file` (DOCX hoặc PDF), các phần `attachment` (PDF, tùy chọn) và các "
        "trường thông tin. Lỗi: 400 `subject_required`, `document_type_invalid`, "
        "`department_invalid`; 403 `permission_denied`; 415 `pdf_encrypted`, `pdf_invalid`, "
        "`file_type_mismatch`."
    ),
)
def draft_create(
    request: HttpRequest,
    payload: Form[DraftIn],
    file: File[UploadedFile] = None,  # type: ignore[assignment]
    attachment: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status[dict[str, Any]]:
    unit, position = _position(request, payload.unit_id)
    department: Department | int | None = payload.department_id
    if department is None:
        department = position.department if position is not None else None
        if department is None:
            raise DomainError(
                "department_invalid",
                "Hãy chọn phòng, ban soạn thảo (department_id).",
                details={"field": "department_id"},
            )
    document = services.outgoing_draft_create(
        unit=unit,
        department=department,
        user=_user(request),
        document_type=_document_type(payload.document_type),
        subject=payload.subject,
        file=file,
        urgency=payload.urgency,
        secrecy=payload.secrecy,
        recipients=payload.recipient_ids,
        recipients_text=payload.recipients_text,
        reply_by=payload.reply_by,
        copies=payload.copies,
        attachments=list(attachment or []),
        comment=payload.comment,
    )
    return Status(201, _detail(selectors.outgoing_get(_user(request), document.pk)))


@router.get("/", response=OutgoingPage, summary="Danh sách văn bản đi")
def outgoing_list(request: HttpRequest, params: Query[ListParams]) -> dict[str, Any]:
    limit = max(1, min(params.limit, 200))
    offset = max(0, params.offset)
    filters = selectors.OutgoingFilters.from_mapping(
        {"status": params.status, "year": params.year, "q": params.q, "unit": params.unit}
    )
    qs = selectors.outgoing_list(_user(request), filters)
    return {
        "items": [_out(d) for d in qs[offset : offset + limit]],
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
    }


@router.get("/{document_id}", response=OutgoingDetailOut, summary="Một văn bản đi")
def outgoing_detail(request: HttpRequest, document_id: int) -> dict[str, Any]:
    document = _document(request, document_id)
    if document.secrecy > 0:
        services.outgoing_secret_read(document=document, user=_user(request), what="API")
    return _detail(document)


@router.post("/{document_id}/submit", response=OutgoingDetailOut, summary="Trình duyệt")
def submit(request: HttpRequest, document_id: int, payload: SubmitIn) -> dict[str, Any]:
    document = _document(request, document_id)
    services.outgoing_review_submit(
        document=document, user=_user(request), reviewers=_users(payload.reviewer_ids)
    )
    return _detail(_document(request, document_id))


@router.post(
    "/{document_id}/review",
    response=OutgoingDetailOut,
    summary="Cho ý kiến (người duyệt đang đến lượt)",
    description="Multipart hoặc form: `decision` (approved | returned), `comment`, `file` "
    "(bản đã sửa, tùy chọn).",
)
def review(
    request: HttpRequest,
    document_id: int,
    payload: Form[ReviewIn],
    file: File[UploadedFile] = None,  # type: ignore[assignment]
) -> dict[str, Any]:
    document = _document(request, document_id)
    step = rules.outgoing_current_step(document)
    if step is None:
        raise DomainError("outgoing_wrong_status", "Văn bản không ở bước trình duyệt.", status=409)
    services.outgoing_review_decide(
        step=step,
        user=_user(request),
        decision=payload.decision,
        comment=payload.comment,
        file=file,
    )
    return _detail(_document(request, document_id))


@router.post("/{document_id}/sign", response=OutgoingDetailOut, summary="Ký số (lãnh đạo)")
def sign(request: HttpRequest, document_id: int, payload: SignIn) -> dict[str, Any]:
    document = _document(request, document_id)
    if (payload.page is None) != (payload.box is None):
        raise DomainError(
            "sign_box_invalid", "Hãy gửi cả trang (page) và khung (box), hoặc không gửi cả hai."
        )
    services.outgoing_sign(
        document=document,
        user=_user(request),
        signing_authority=payload.signing_authority,
        signer_title=payload.signer_title,
        page=payload.page - 1 if payload.page is not None else None,
        box=payload.box,
        pin=payload.pin,
    )
    return _detail(_document(request, document_id))


@router.post(
    "/{document_id}/issue",
    response=OutgoingDetailOut,
    summary="Cấp số và ban hành (văn thư)",
    description='Trả về `number` và `notation` (ví dụ "05/QĐ-UBND").',
)
def issue(request: HttpRequest, document_id: int) -> dict[str, Any]:
    document = _document(request, document_id)
    services.outgoing_issue(document=document, user=_user(request))
    return _detail(_document(request, document_id))


@router.post("/{document_id}/dispatch", response=DispatchResultOut, summary="Gửi văn bản")
def dispatch(request: HttpRequest, document_id: int, payload: DispatchIn) -> dict[str, Any]:
    document = _document(request, document_id)
    recipients: list[Organisation | int] | None = (
        list(payload.recipient_ids) if payload.recipient_ids is not None else None
    )
    result = services.outgoing_dispatch(
        document=document, user=_user(request), recipients=recipients
    )
    ids = [d.pk for d in (*result.internal, *result.external)]
    rows = {
        d.pk: d for d in Dispatch.objects.filter(pk__in=ids).select_related("recipient", "incoming")
    }
    return {
        "internal": [_dispatch_out(rows[d.pk]) for d in result.internal],
        "external": [_dispatch_out(rows[d.pk]) for d in result.external],
        "skipped": [o.pk for o in result.skipped],
        "failed": [{"recipient_id": o.pk, "message": m} for o, m in result.failed],
    }


@router.post("/{document_id}/recall", response=OutgoingDetailOut, summary="Thu hồi văn bản")
def recall(request: HttpRequest, document_id: int, payload: RecallIn) -> dict[str, Any]:
    document = _document(request, document_id)
    services.outgoing_recall(document=document, user=_user(request), reason=payload.reason)
    return _detail(_document(request, document_id))
