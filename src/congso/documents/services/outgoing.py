"""Outgoing documents (văn bản đi): draft, review, sign, number and issue, dispatch, recall.

Decree 30/2020 Art. 14–19 and App. I (shared/domain/vietnam-rules.md §1.2, §1.5, §1.6):

1. **Draft** (``outgoing_draft_create``, ``outgoing_version_add``, ``outgoing_attachment_add``):
   the text as DOCX or PDF with its metadata; every upload is a new version.
2. **Review** (``outgoing_review_submit``, ``outgoing_review_decide``): a chain of reviewers in
   order (specialist → head of department → leader), each notified in turn; a return sends the
   draft back to its drafter with the comment. Only the current reviewer decides.
3. **Sign** (``outgoing_sign``): a leader of the committee signs the final version, which must be
   a PDF (``sign_needs_pdf`` otherwise: the drafter uploads the PDF; no converter is bundled, see
   docs/decisions/0005-digital-signatures.md). The leader's signature image goes between the
   title and the name line; empty fields for the number and date go in with it.
4. **Issue** (``outgoing_issue``): the clerk numbers the document — the number is taken FIRST
   (``number_next``, gap-free per committee, year and series), the notation formatted
   (``05/QĐ-UBND``, ``123/UBND-VP``), the number and date filled into the PDF, then the
   organisation's signature (the seal) applied over everything, attachments signed top right.
   All in one transaction: a failure gives the number back.
5. **Dispatch** (``outgoing_dispatch``): committees on the platform receive the document in their
   incoming register at once (``incoming_register`` with ``source_dispatch``; the incoming area
   sends the status back: received, assigned, done); outside bodies get a dispatch "waiting for
   the edXML package".
6. **Recall** (``outgoing_recall``, Art. 18.4): the outgoing document is frozen, the recipients'
   copies are marked recalled (hidden from handling, open assignments cancelled) and notified.

Series (configurable per committee, ``OutgoingSettings.numbering``) [M]:
``outgoing:<abbreviation>`` per typed document ("outgoing:QĐ"), ``outgoing:letter`` for công văn
(and types without an abbreviation), or ``outgoing`` for all in the "single" scheme; secret
documents always ``outgoing-secret``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from congso.documents.models import (
    Assignment,
    AssignmentStatus,
    Channel,
    DigitizationStatus,
    Dispatch,
    DispatchStatus,
    DocumentType,
    DraftVersion,
    IncomingDocument,
    IncomingStatus,
    Organisation,
    OutgoingAttachment,
    OutgoingDocument,
    OutgoingNumbering,
    OutgoingSettings,
    OutgoingStatus,
    ReviewDecision,
    ReviewStep,
    SigningAuthority,
    Urgency,
)
from congso.kernel.audit.services import audit_record
from congso.kernel.errors import DomainError, NotFound, PermissionDenied
from congso.kernel.files.models import StoredFile
from congso.kernel.files.services import file_attach, file_open, file_store
from congso.kernel.notifications.models import NotificationLevel
from congso.kernel.notifications.services import notify
from congso.kernel.numbering.services import format_number, number_next
from congso.kernel.orgunits.models import AdminUnit, Department
from congso.kernel.people.models import Position, Role, User

logger = logging.getLogger(__name__)

DRAFT_FILE_TYPES = ("pdf", "docx")
ATTACHMENT_FILE_TYPES = ("pdf",)
SUBJECT_MAX = 500
COMMENT_MAX = 4000
RECALL_REASON_MAX = 500
MAX_ATTACHMENTS = 20
MAX_REVIEWERS = 6

SERIES_SECRET = "outgoing-secret"  # noqa: S105 - a series name, not a password
SERIES_LETTER = "outgoing:letter"
SERIES_SINGLE = "outgoing"

#: Statuses in which the drafter may still change the text.
EDITABLE = frozenset({OutgoingStatus.DRAFT, OutgoingStatus.RETURNED})
#: Statuses after which nothing changes but dispatch and recall.
FINAL = frozenset({OutgoingStatus.ISSUED, OutgoingStatus.RECALLED})


# --- small helpers ---------------------------------------------------------------------------


def _nfc(value: Any) -> str:
    return unicodedata.normalize("NFC", str(value or "")).strip()


def _bad(code: str, message: str, field: str | None = None, **details: Any) -> DomainError:
    info: dict[str, Any] = dict(details)
    if field:
        info["field"] = field
    return DomainError(code, message, details=info or None)


def outgoing_url(document: OutgoingDocument) -> str:
    try:
        return reverse("documents:outgoing_detail", args=[document.pk])
    except NoReverseMatch:
        return ""


def _label(document: OutgoingDocument) -> str:
    if document.notation:
        return f"văn bản {document.notation}"
    return f"dự thảo '{document.subject[:80]}'"


def _level(document: OutgoingDocument) -> str:
    return NotificationLevel.URGENT if document.urgency > 0 else NotificationLevel.INFO


def _prefix(document: OutgoingDocument) -> str:
    return f"[{Urgency(document.urgency).label}] " if document.urgency > 0 else ""


def _positions(unit_id: int) -> Any:
    return Position.objects.active().filter(unit_id=unit_id)


def unit_clerks(unit: AdminUnit | int) -> list[User]:
    unit_id = unit if isinstance(unit, int) else unit.pk
    ids = _positions(unit_id).filter(role=Role.CLERK).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "pk"))


def possible_reviewers(unit: AdminUnit | int) -> list[User]:
    """Staff who may review drafts of the unit: specialists, leaders, clerks."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    ids = (
        _positions(unit_id)
        .filter(role__in=[Role.SPECIALIST, Role.LEADER, Role.CLERK])
        .values_list("user_id", flat=True)
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "pk"))


def outgoing_settings(unit: AdminUnit | int) -> OutgoingSettings:
    """The committee's settings (the defaults when it has none saved)."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    found = OutgoingSettings.objects.filter(unit_id=unit_id).first()
    return found if found is not None else OutgoingSettings(unit_id=unit_id)


def _read_upload(upload: Any) -> bytes:
    raw = getattr(upload, "file", upload)
    with contextlib.suppress(AttributeError, OSError):
        raw.seek(0)
    data = b"".join(upload.chunks()) if hasattr(upload, "chunks") else raw.read()
    with contextlib.suppress(AttributeError, OSError):
        raw.seek(0)
    return bytes(data)


def _upload_name(upload: Any) -> str:
    return str(getattr(upload, "name", "") or "")


def _check_pdf_upload(upload: Any, *, field: str) -> int:
    """Page count of an uploaded PDF; refuses encrypted and unreadable files up front."""
    from congso.kernel.signing.pdf import pdf_page_count

    data = _read_upload(upload)
    try:
        return pdf_page_count(data)
    except DomainError as exc:
        name = _upload_name(upload) or "tệp"
        raise DomainError(
            exc.code, f"{name}: {exc.message}", details={"field": field}, status=exc.status
        ) from exc


def _is_pdf_upload(upload: Any) -> bool:
    data = _read_upload(upload)
    return data.lstrip()[:5].startswith(b"%PDF-")


def _file_bytes(stored: StoredFile) -> bytes:
    with file_open(stored) as handle:
        return bytes(handle.read())


def outgoing_settings_save(*, obj: OutgoingSettings, user: Any) -> OutgoingSettings:
    """Save a committee's outgoing settings (from the configuration screen), audited. The
    numbering scheme may only change before the year's first number of the committee: a
    series changed mid-year would restart numbers that are already taken."""
    from congso.kernel.audit.services import diff_fields
    from congso.kernel.numbering.models import Sequence

    if obj.numbering not in OutgoingNumbering.values:
        raise _bad("numbering_invalid", "Cách đánh số không hợp lệ.", "numbering")
    before = OutgoingSettings.objects.filter(pk=obj.pk).first() if obj.pk else None
    was = before.numbering if before else OutgoingNumbering.PER_TYPE
    year = timezone.localdate().year
    if (
        obj.numbering != was
        and Sequence.objects.filter(
            scope=f"unit:{obj.unit_id}", series__startswith="outgoing", year=year, last__gt=0
        )
        .exclude(series=SERIES_SECRET)
        .exists()
    ):
        raise _bad(
            "numbering_in_use",
            f"Năm {year} cơ quan đã cấp số văn bản đi: chỉ đổi cách đánh số từ năm sau.",
            "numbering",
        )
    if obj.number_line_left_mm > 180 or obj.number_line_top_mm > 60:
        raise _bad("number_line_invalid", "Vị trí dòng số, ngày nằm ngoài lề trên trang.")
    obj.location = _nfc(obj.location)[:100]
    with transaction.atomic():
        obj.save()
        audit_record(
            action="documents.outgoing_settings_save",
            obj=obj,
            actor=user,
            unit=obj.unit_id,
            changes=diff_fields(
                before,
                obj,
                ["numbering", "number_line_left_mm", "number_line_top_mm", "location"],
            ),
            summary=f"Cấu hình văn bản đi của {obj.unit}.",
        )
    return obj


# --- series and notation ---------------------------------------------------------------------


def outgoing_series(document: OutgoingDocument) -> str:
    """The number series of the document (see the module doc)."""
    if document.secrecy > 0:
        return SERIES_SECRET
    if outgoing_settings(document.unit_id).numbering == OutgoingNumbering.SINGLE:
        return SERIES_SINGLE
    doc_type = document.document_type
    if doc_type.is_letter or not doc_type.abbreviation:
        return SERIES_LETTER
    return f"outgoing:{doc_type.abbreviation}"


def outgoing_notation(*, number: int, document: OutgoingDocument) -> str:
    """``05/QĐ-UBND`` (type - committee) or, for a công văn, ``123/UBND-VP`` (committee -
    drafting department). Numbers below 10 take a leading zero (App. I §II.3)."""
    unit_abbr = document.unit.abbreviation or "UBND"
    doc_type = document.document_type
    if doc_type.is_letter or not doc_type.abbreviation:
        symbol = f"{unit_abbr}-{document.department.abbreviation}"
    else:
        symbol = f"{doc_type.abbreviation}-{unit_abbr}"
    return unicodedata.normalize("NFC", f"{format_number(number)}/{symbol}")


# --- permissions used here -------------------------------------------------------------------


def _rules() -> Any:
    from congso.documents import rules

    return rules


def _lock(document: OutgoingDocument) -> OutgoingDocument:
    """The document row locked until the end of the transaction, fresh from the database.

    Only the document's own row (``of=("self",)``: PostgreSQL would otherwise lock the joined
    unit, department and type rows too), and as NO KEY UPDATE: other transactions' foreign-key
    checks against it (KEY SHARE at their commit) are not blocked, which would deadlock with the
    audit log's lock (a deadlock the multi-process test found on PostgreSQL)."""
    locked = (
        OutgoingDocument.objects.select_for_update(of=("self",), no_key=True)
        .select_related("unit", "department", "document_type")
        .filter(pk=document.pk)
        .first()
    )
    if locked is None:
        raise NotFound("Không tìm thấy văn bản đi.")
    return locked


def _expect(document: OutgoingDocument, statuses: Iterable[str], what: str) -> None:
    if document.status not in set(statuses):
        raise DomainError(
            "outgoing_wrong_status",
            f"Không thể {what}: văn bản đang ở trạng thái '{document.get_status_display()}'.",
            details={"status": document.status},
            status=409,
        )


# --- draft -----------------------------------------------------------------------------------


def _check_recipients(recipients: Iterable[Organisation | int]) -> list[Organisation]:
    out: list[Organisation] = []
    ids = [r if isinstance(r, int) else r.pk for r in recipients]
    if not ids:
        return out
    found = {o.pk: o for o in Organisation.objects.filter(pk__in=ids, is_active=True)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise _bad(
            "recipient_invalid",
            "Nơi nhận không có trong danh bạ cơ quan.",
            "recipients",
            ids=missing,
        )
    for i in ids:
        if found[i] not in out:
            out.append(found[i])
    return out


def outgoing_draft_create(
    *,
    unit: AdminUnit,
    department: Department | int,
    user: Any,
    document_type: DocumentType | int,
    subject: str,
    file: Any,
    urgency: int = Urgency.NORMAL,
    secrecy: int = 0,
    recipients: Iterable[Organisation | int] = (),
    recipients_text: str = "",
    reply_by: dt.date | None = None,
    copies: int = 1,
    attachments: Sequence[Any] = (),
    comment: str = "",
) -> OutgoingDocument:
    """A new draft with its first version (DOCX or PDF) and, optionally, attachments (PDF)."""
    rules = _rules()
    if not rules.can_draft_outgoing(user, unit):
        raise PermissionDenied("Bạn không có quyền soạn văn bản đi của đơn vị này.")
    if isinstance(department, int):
        department = Department.objects.filter(pk=department).first()  # type: ignore[assignment]
    if not isinstance(department, Department) or department.unit_id != unit.pk:
        raise _bad("department_invalid", "Hãy chọn phòng, ban soạn thảo của đơn vị.", "department")
    if isinstance(document_type, int):
        document_type = DocumentType.objects.filter(pk=document_type, is_active=True).first()  # type: ignore[assignment]
    if not isinstance(document_type, DocumentType) or not document_type.is_active:
        raise _bad("document_type_required", "Hãy chọn tên loại văn bản.", "document_type")
    subject = _nfc(subject)
    if not subject:
        raise _bad("subject_required", "Hãy nhập trích yếu nội dung văn bản.", "subject")
    if len(subject) > SUBJECT_MAX:
        raise _bad("subject_too_long", f"Trích yếu dài quá {SUBJECT_MAX} ký tự.", "subject")
    if urgency not in Urgency.values:
        raise _bad("urgency_invalid", "Độ khẩn không hợp lệ.", "urgency")
    if secrecy not in (0, 1, 2, 3):
        raise _bad("secrecy_invalid", "Độ mật không hợp lệ.", "secrecy")
    if int(getattr(user, "clearance", 0)) < secrecy:
        raise _bad(
            "secrecy_not_cleared",
            "Bạn không được giao tiếp cận tài liệu ở độ mật này.",
            "secrecy",
        )
    if not 1 <= int(copies) <= 999:
        raise _bad("copies_invalid", "Số lượng bản phải từ 1 đến 999.", "copies")
    if file is None:
        raise _bad("file_required", "Hãy tải lên dự thảo (DOCX hoặc PDF).", "file")
    page_count = _check_pdf_upload(file, field="file") if _is_pdf_upload(file) else None
    attachments = list(attachments or [])
    if len(attachments) > MAX_ATTACHMENTS:
        raise _bad("too_many_files", f"Tối đa {MAX_ATTACHMENTS} tài liệu kèm theo.", "attachments")
    for upload in attachments:
        _check_pdf_upload(upload, field="attachments")
    orgs = _check_recipients(recipients)
    recipients_text = "\n".join(
        line for line in (_nfc(x) for x in str(recipients_text or "").splitlines()) if line
    )
    comment = _nfc(comment)[:COMMENT_MAX]

    with transaction.atomic():
        document = OutgoingDocument.objects.create(
            unit=unit,
            department=department,
            document_type=document_type,
            subject=subject,
            urgency=urgency,
            secrecy=secrecy,
            status=OutgoingStatus.DRAFT,
            page_count=page_count,
            copies=int(copies),
            reply_by=reply_by,
            recipients_text=recipients_text,
            created_by=user,
        )
        if orgs:
            document.external_recipients.set(orgs)
        version = _version_create(document=document, user=user, upload=file, comment=comment)
        for upload in attachments:
            _attachment_create(document=document, user=user, upload=upload, title="")
        audit_record(
            action="documents.outgoing_draft_create",
            obj=document,
            actor=user,
            unit=unit,
            changes={
                "subject": [None, subject],
                "document_type": [None, document_type.name],
                "department": [None, department.abbreviation],
                "urgency": [None, urgency],
                "secrecy": [None, secrecy],
                "version": [None, version.number],
                "recipients": [None, [o.name for o in orgs]],
            },
            summary=f"Tạo dự thảo văn bản đi: {subject[:120]}",
        )
    return document


def _version_create(
    *, document: OutgoingDocument, user: Any, upload: Any, comment: str
) -> DraftVersion:
    number = (document.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    stored = file_store(
        upload=upload, unit=document.unit, user=user, allowed_types=DRAFT_FILE_TYPES
    )
    version = DraftVersion.objects.create(
        document=document, number=number, file=stored, comment=comment, uploaded_by=user
    )
    file_attach(stored_file=stored, owner=version, user=user)
    return version


def _attachment_create(
    *, document: OutgoingDocument, user: Any, upload: Any, title: str
) -> OutgoingAttachment:
    order = (document.attachments.aggregate(m=Max("order"))["m"] or 0) + 1
    stored = file_store(
        upload=upload, unit=document.unit, user=user, allowed_types=ATTACHMENT_FILE_TYPES
    )
    attachment = OutgoingAttachment.objects.create(
        document=document,
        order=order,
        title=_nfc(title)[:200] or f"Tài liệu kèm theo {order}",
        file=stored,
        uploaded_by=user,
    )
    file_attach(stored_file=stored, owner=attachment, user=user)
    return attachment


def latest_version(document: OutgoingDocument) -> DraftVersion | None:
    return document.versions.select_related("file").order_by("-number").first()


def outgoing_version_add(
    *, document: OutgoingDocument, user: Any, file: Any, comment: str = ""
) -> DraftVersion:
    """A new version of the text: by the drafter while the draft is with them, or by the
    current reviewer (who may correct it before deciding)."""
    rules = _rules()
    if file is None:
        raise _bad("file_required", "Hãy tải lên tệp dự thảo (DOCX hoặc PDF).", "file")
    page_count = _check_pdf_upload(file, field="file") if _is_pdf_upload(file) else None
    comment = _nfc(comment)[:COMMENT_MAX]
    with transaction.atomic():
        document = _lock(document)
        if not rules.can_add_version(user, document):
            raise PermissionDenied("Bạn không thể thêm phiên bản cho văn bản này lúc này.")
        version = _version_create(document=document, user=user, upload=file, comment=comment)
        document.page_count = page_count
        document.save(update_fields=["page_count", "updated_at"])
        audit_record(
            action="documents.outgoing_version_add",
            obj=document,
            actor=user,
            changes={"version": [version.number - 1, version.number]},
            summary=f"Thêm phiên bản {version.number} của {_label(document)}.",
        )
    return version


def outgoing_attachment_add(
    *, document: OutgoingDocument, user: Any, file: Any, title: str = ""
) -> OutgoingAttachment:
    """A phụ lục in a separate PDF, before the document is signed."""
    rules = _rules()
    if file is None:
        raise _bad("file_required", "Hãy chọn tệp PDF của tài liệu kèm theo.", "file")
    _check_pdf_upload(file, field="file")
    with transaction.atomic():
        document = _lock(document)
        if not rules.can_add_version(user, document):
            raise PermissionDenied("Không thể thêm tài liệu kèm theo lúc này.")
        if document.attachments.count() >= MAX_ATTACHMENTS:
            raise _bad("too_many_files", f"Tối đa {MAX_ATTACHMENTS} tài liệu kèm theo.", "file")
        attachment = _attachment_create(document=document, user=user, upload=file, title=title)
        audit_record(
            action="documents.outgoing_attachment_add",
            obj=document,
            actor=user,
            changes={"attachment": [None, attachment.title]},
            summary=f"Thêm tài liệu kèm theo '{attachment.title}' vào {_label(document)}.",
        )
    return attachment


# --- review ----------------------------------------------------------------------------------


def current_step(document: OutgoingDocument) -> ReviewStep | None:
    """The pending step whose turn it is (the first pending one of the current round)."""
    if document.status != OutgoingStatus.IN_REVIEW:
        return None
    return (
        document.review_steps.filter(decision=ReviewDecision.PENDING)
        .select_related("reviewer")
        .order_by("order", "pk")
        .first()
    )


def outgoing_review_submit(
    *, document: OutgoingDocument, user: Any, reviewers: Sequence[User]
) -> list[ReviewStep]:
    """Send the draft for review to ``reviewers`` in order (the last one normally a leader)."""
    rules = _rules()
    reviewers = list(reviewers)
    if not reviewers:
        raise _bad("reviewers_required", "Hãy chọn người duyệt.", "reviewers")
    if len(reviewers) > MAX_REVIEWERS:
        raise _bad("too_many_reviewers", f"Tối đa {MAX_REVIEWERS} người duyệt.", "reviewers")
    if len({r.pk for r in reviewers}) != len(reviewers):
        raise _bad("reviewers_repeated", "Mỗi người chỉ duyệt một lần trong một lượt.", "reviewers")
    with transaction.atomic():
        document = _lock(document)
        if not rules.can_submit_outgoing(user, document):
            raise PermissionDenied("Chỉ người soạn thảo được trình dự thảo.")
        _expect(document, EDITABLE, "trình duyệt")
        if user.pk in {r.pk for r in reviewers}:
            raise _bad("reviewer_is_drafter", "Người soạn thảo không tự duyệt.", "reviewers")
        allowed = {u.pk for u in possible_reviewers(document.unit_id)}
        for reviewer in reviewers:
            if reviewer.pk not in allowed:
                raise _bad(
                    "reviewer_invalid",
                    f"{reviewer} không công tác tại đơn vị ban hành.",
                    "reviewers",
                )
            if int(getattr(reviewer, "clearance", 0)) < document.secrecy:
                raise _bad(
                    "reviewer_not_cleared",
                    f"{reviewer} không được tiếp cận tài liệu ở độ mật này.",
                    "reviewers",
                )
        version = latest_version(document)
        start = (document.review_steps.aggregate(m=Max("order"))["m"] or 0) + 1
        steps = [
            ReviewStep.objects.create(
                document=document, order=start + i, reviewer=reviewer, version=version
            )
            for i, reviewer in enumerate(reviewers)
        ]
        before = document.status
        document.status = OutgoingStatus.IN_REVIEW
        document.save(update_fields=["status", "updated_at"])
        audit_record(
            action="documents.outgoing_review_submit",
            obj=document,
            actor=user,
            changes={
                "status": [before, document.status],
                "reviewers": [None, [str(r) for r in reviewers]],
                "version": [None, version.number if version else None],
            },
            summary=f"Trình duyệt {_label(document)}: {', '.join(str(r) for r in reviewers)}.",
        )
        notify(
            recipients=[reviewers[0]],
            title=f"{_prefix(document)}Dự thảo chờ bạn cho ý kiến",
            body=f"{user}: {document.subject[:300]}",
            url=outgoing_url(document),
            level=_level(document),
            kind="documents.outgoing_review",
            obj=document,
        )
    return steps


def outgoing_review_decide(
    *,
    step: ReviewStep,
    user: Any,
    decision: str,
    comment: str = "",
    file: Any = None,
) -> ReviewStep:
    """The current reviewer approves (the next reviewer is notified; after the last one the
    draft waits for signing) or returns it to the drafter with a comment."""
    rules = _rules()
    if decision not in (ReviewDecision.APPROVED, ReviewDecision.RETURNED):
        raise _bad("decision_invalid", "Ý kiến phải là đồng ý hoặc trả lại.", "decision")
    comment = _nfc(comment)[:COMMENT_MAX]
    if decision == ReviewDecision.RETURNED and not comment:
        raise _bad("comment_required", "Khi trả lại, hãy ghi rõ nội dung cần sửa.", "comment")
    if file is not None and _is_pdf_upload(file):
        _check_pdf_upload(file, field="file")
    with transaction.atomic():
        document = _lock(step.document)
        step = ReviewStep.objects.select_related("reviewer").get(pk=step.pk)
        if not rules.can_decide_review(user, step):
            raise PermissionDenied("Chỉ người duyệt đang đến lượt được cho ý kiến.")
        version = None
        if file is not None:
            version = _version_create(
                document=document, user=user, upload=file, comment=comment or "Người duyệt sửa"
            )
        step.decision = decision
        step.comment = comment
        step.decided_at = timezone.now()
        step.version = version or latest_version(document)
        step.save(update_fields=["decision", "comment", "decided_at", "version"])
        before = document.status
        following = None
        if decision == ReviewDecision.RETURNED:
            document.review_steps.filter(decision=ReviewDecision.PENDING).update(
                decision=ReviewDecision.SKIPPED
            )
            document.status = OutgoingStatus.RETURNED
        else:
            following = current_step(document)
            if following is None:
                document.status = OutgoingStatus.APPROVED
        document.save(update_fields=["status", "updated_at"])
        audit_record(
            action="documents.outgoing_review_decide",
            obj=document,
            actor=user,
            changes={
                "step": [None, step.order],
                "decision": [ReviewDecision.PENDING, decision],
                "status": [before, document.status],
                "comment": [None, comment or None],
                "version": [None, version.number if version else None],
            },
            summary=(
                f"{'Đồng ý' if decision == ReviewDecision.APPROVED else 'Trả lại'} "
                f"{_label(document)}" + (f": {comment[:200]}" if comment else ".")
            ),
        )
        url = outgoing_url(document)
        if decision == ReviewDecision.RETURNED:
            notify(
                recipients=[document.created_by],
                title=f"{_prefix(document)}Dự thảo bị trả lại để sửa",
                body=f"{user}: {comment}",
                url=url,
                level=NotificationLevel.WARNING,
                kind="documents.outgoing_returned",
                obj=document,
            )
        elif following is not None:
            notify(
                recipients=[following.reviewer],
                title=f"{_prefix(document)}Dự thảo chờ bạn cho ý kiến",
                body=f"{user} đã đồng ý: {document.subject[:300]}",
                url=url,
                level=_level(document),
                kind="documents.outgoing_review",
                obj=document,
            )
        else:
            notify(
                recipients=[document.created_by],
                title=f"{_prefix(document)}Dự thảo đã được duyệt, chờ ký",
                body=document.subject[:300],
                url=url,
                level=_level(document),
                kind="documents.outgoing_approved",
                obj=document,
            )
    return step


# --- sign ------------------------------------------------------------------------------------


def _location(unit: AdminUnit) -> str:
    configured = outgoing_settings(unit).location
    if configured:
        return configured
    name = unit.name
    for prefix in ("Phường ", "Xã ", "Thị trấn ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _number_fallback_box(unit: AdminUnit, pdf_bytes: bytes) -> tuple[float, float, float, float]:
    from congso.kernel.signing.pdf import page_size
    from congso.kernel.signing.placement import MM

    cfg = outgoing_settings(unit)
    _width, height = page_size(pdf_bytes, 0)
    left = cfg.number_line_left_mm * MM
    top = height - cfg.number_line_top_mm * MM
    return (left, top - 7 * MM, left + 120 * MM, top)


def outgoing_sign(
    *,
    document: OutgoingDocument,
    user: Any,
    signing_authority: str = "",
    signer_title: str = "",
    page: int | None = None,
    box: Sequence[float] | None = None,
    pin: str | None = None,
) -> OutgoingDocument:
    """The leader signs the final version (a PDF) with their personal certificate.

    ``page`` (0-based) and ``box`` (PDF points) place the signature image; by default it goes
    between the title and the signer's name (docs/signing.md). The document then waits for the
    clerk to number and issue it.
    """
    from congso.kernel.signing.selectors import credential_for_user
    from congso.kernel.signing.services import sign_main_leader

    rules = _rules()
    if signing_authority not in SigningAuthority.values:
        raise _bad("signing_authority_invalid", "Thẩm quyền ký không hợp lệ.", "signing_authority")
    signer_title = _nfc(signer_title)[:120]
    fresh = (
        OutgoingDocument.objects.select_related("unit", "department", "document_type")
        .filter(pk=document.pk)
        .first()
    )
    if fresh is None:
        raise NotFound("Không tìm thấy văn bản đi.")
    if not rules.can_sign_outgoing(user, fresh):
        raise PermissionDenied("Chỉ lãnh đạo của cơ quan được ký văn bản đã được duyệt.")
    version = latest_version(fresh)
    if version is None:
        raise _bad("file_required", "Văn bản chưa có tệp dự thảo.")
    if version.file.kind != "pdf":
        raise DomainError(
            "sign_needs_pdf",
            "Chỉ ký số được tệp PDF: phiên bản cuối cùng đang là tệp Word (DOCX). "
            "Người soạn thảo hãy tải lên bản PDF của văn bản rồi trình ký lại.",
            details={"version": version.number, "kind": version.file.kind},
            status=409,
        )
    credential = credential_for_user(user)
    if credential is None:
        raise DomainError(
            "sign_no_credential",
            "Bạn chưa có chứng thư ký số cá nhân còn hiệu lực. Hãy liên hệ quản trị hệ thống.",
            status=409,
        )
    if box is not None and len(box) != 4:
        raise _bad("sign_box_invalid", "Khung chữ ký phải gồm 4 số.", "box")
    if not signer_title:
        position = (
            Position.objects.active()
            .filter(user_id=user.pk, unit_id=fresh.unit_id, role=Role.LEADER)
            .order_by("-is_primary")
            .first()
        )
        signer_title = position.title if position and position.title else "Lãnh đạo"
    pdf_bytes = _file_bytes(version.file)
    # The cryptographic work happens before the transaction (no lock held while signing).
    signed = sign_main_leader(
        pdf_bytes=pdf_bytes,
        credential=credential,
        signer_name=user.get_full_name(),
        page=page,
        box=tuple(float(v) for v in box) if box is not None else None,  # type: ignore[arg-type]
        location=_location(fresh.unit),
        pin=pin,
        number_fallback=_number_fallback_box(fresh.unit, pdf_bytes),
    )
    base = (version.file.original_name.rsplit(".", 1)[0] or "van-ban")[:150]
    with transaction.atomic():
        document = _lock(fresh)
        if not rules.can_sign_outgoing(user, document) or latest_version(document) != version:
            raise DomainError(
                "outgoing_changed",
                "Văn bản vừa thay đổi trong lúc ký; hãy tải lại trang và ký lại.",
                status=409,
            )
        step = current_step(document)
        if step is not None and step.reviewer_id == user.pk:
            # Signing is the leader's approval of their own (last) step.
            step.decision = ReviewDecision.APPROVED
            step.decided_at = timezone.now()
            step.comment = step.comment or "Đồng ý, ký ban hành."
            step.save(update_fields=["decision", "decided_at", "comment"])
        stored = file_store(
            upload=ContentFile(signed.pdf, name=f"{base}-da-ky.pdf"),
            unit=document.unit,
            user=user,
            allowed_types=["pdf"],
        )
        file_attach(stored_file=stored, owner=version, user=user)
        before = document.status
        document.status = OutgoingStatus.SIGNED
        document.signer = user
        document.signer_title = signer_title
        document.signing_authority = signing_authority
        document.signed_at = timezone.now()
        document.signed_file = stored
        document.signature_page = signed.page
        document.signature_box = [round(v, 2) for v in signed.box]
        document.signed_with_test_ca = credential.is_test
        document.page_count = pdf_pages(signed.pdf) or document.page_count
        document.save()
        audit_record(
            action="documents.outgoing_sign",
            obj=document,
            actor=user,
            changes={
                "status": [before, document.status],
                "version": [None, version.number],
                "certificate": [None, credential.subject],
                "issuer": [None, credential.issuer],
                "test_ca": [None, credential.is_test],
                "placed_by_name": [None, signed.placed_by_name],
            },
            summary=f"Ký số {_label(document)} ({signing_authority or 'ký trực tiếp'}, "
            f"{signer_title}).",
        )
        clerks = unit_clerks(document.unit_id)
        notify(
            recipients=[u for u in clerks if can_read(u, document)] + [document.created_by],
            title=f"{_prefix(document)}Văn bản đã ký, chờ cấp số và ban hành",
            body=document.subject[:300],
            url=outgoing_url(document),
            level=_level(document),
            kind="documents.outgoing_signed",
            obj=document,
        )
    return document


def can_read(user: Any, document: OutgoingDocument) -> bool:
    return int(getattr(user, "clearance", 0)) >= document.secrecy


# --- issue -----------------------------------------------------------------------------------


def outgoing_issue(
    *, document: OutgoingDocument, user: Any, pin: str | None = None
) -> OutgoingDocument:
    """The clerk numbers and issues a signed document (Art. 15–16, App. I §II.8).

    Order, in ONE transaction: lock the document; take the number (first: lock order with the
    audit log, ADR 0003); format the notation; fill the number and date into the signed PDF; the
    organisation's signature with the seal (covering everything before it); sign each
    attachment top right; store the files; save; audit. Any failure rolls everything back and
    the number is given back (the next document gets it: no gap).
    """
    from congso.kernel.signing.selectors import credential_for_unit
    from congso.kernel.signing.services import sign_attachment, sign_main_organisation

    rules = _rules()
    fresh = (
        OutgoingDocument.objects.select_related("unit", "department", "document_type")
        .filter(pk=document.pk)
        .first()
    )
    if fresh is None:
        raise NotFound("Không tìm thấy văn bản đi.")
    if not rules.can_issue_outgoing(user, fresh):
        raise PermissionDenied("Chỉ văn thư của cơ quan được cấp số và ban hành văn bản đã ký.")
    credential = credential_for_unit(fresh.unit_id)
    if credential is None:
        raise DomainError(
            "issue_no_organisation_credential",
            "Cơ quan chưa có chứng thư ký số tổ chức còn hiệu lực để đóng dấu điện tử. "
            "Hãy liên hệ quản trị hệ thống.",
            status=409,
        )
    if fresh.signed_file is None or fresh.signature_box is None:
        raise DomainError("issue_not_signed", "Văn bản chưa có bản ký số của lãnh đạo.", status=409)
    signed_bytes = _file_bytes(fresh.signed_file)
    attachments = list(fresh.attachments.select_related("file").order_by("order", "pk"))
    attachment_bytes = [(a, _file_bytes(a.file)) for a in attachments]
    today = timezone.localdate()
    location = _location(fresh.unit)

    with transaction.atomic():
        document = _lock(fresh)
        _expect(document, {OutgoingStatus.SIGNED}, "ban hành")
        series = outgoing_series(document)
        number = number_next(scope=f"unit:{document.unit_id}", series=series, year=today.year)
        notation = outgoing_notation(number=number, document=document)
        moment = timezone.now()
        issued_pdf = sign_main_organisation(
            pdf_bytes=signed_bytes,
            credential=credential,
            leader_page=int(document.signature_page or 0),
            leader_box=tuple(document.signature_box),  # type: ignore[arg-type]
            number=format_number(number),
            notation=notation,
            issued=today,
            location=location,
            timestamp=moment,
            pin=pin,
        )
        signed_attachments = [
            (
                attachment,
                sign_attachment(
                    pdf_bytes=data,
                    credential=credential,
                    notation=notation,
                    location=location,
                    timestamp=moment,
                    pin=pin,
                ),
            )
            for attachment, data in attachment_bytes
        ]
        stem = _safe_stem(notation)
        issued_file = file_store(
            upload=ContentFile(issued_pdf, name=f"{stem}.pdf"),
            owner=document,
            unit=document.unit,
            user=user,
            allowed_types=["pdf"],
        )
        for attachment, data in signed_attachments:
            stored = file_store(
                upload=ContentFile(data, name=f"{stem}-phu-luc-{attachment.order:02d}.pdf"),
                owner=document,
                unit=document.unit,
                user=user,
                allowed_types=["pdf"],
            )
            attachment.signed_file = stored
            attachment.save(update_fields=["signed_file"])
        before = document.status
        document.year = today.year
        document.series = series
        document.number = number
        document.notation = notation
        document.issued_date = today
        document.issued_at = moment
        document.issued_by = user
        document.issued_file = issued_file
        document.status = OutgoingStatus.ISSUED
        document.digitization_status = DigitizationStatus.PENDING
        document.signed_with_test_ca = document.signed_with_test_ca or credential.is_test
        document.save()
        audit_record(
            action="documents.outgoing_issue",
            obj=document,
            actor=user,
            changes={
                "status": [before, document.status],
                "number": [None, number],
                "notation": [None, notation],
                "series": [None, series],
                "issued_date": [None, today.isoformat()],
                "organisation_certificate": [None, credential.subject],
                "test_ca": [None, credential.is_test],
            },
            summary=f"Cấp số và ban hành {notation}: {document.subject[:120]}",
        )
        recipients = {document.created_by_id, document.signer_id}
        notify(
            recipients=[pk for pk in recipients if pk],
            title=f"{_prefix(document)}Đã ban hành văn bản {notation}",
            body=document.subject[:300],
            url=outgoing_url(document),
            level=_level(document),
            kind="documents.outgoing_issued",
            obj=document,
        )
        transaction.on_commit(partial(_start_digitization, document.pk))
    return document


def _safe_stem(notation: str) -> str:
    folded = unicodedata.normalize("NFD", notation.replace("Đ", "D").replace("đ", "d"))
    ascii_text = "".join(ch for ch in folded if not unicodedata.combining(ch))
    out = "".join(ch if ch.isalnum() else "-" for ch in ascii_text).strip("-")
    return out or "van-ban"


def _start_digitization(document_id: int) -> None:
    """After commit: the issued PDF has a text layer; the digitisation pipeline extracts it."""
    try:
        from congso.documents.services.digitization import digitization_start
    except ImportError:  # pragma: no cover - the area is installed
        return
    document = OutgoingDocument.objects.filter(pk=document_id).first()
    if document is None:
        return
    try:
        digitization_start(document=document)
    except Exception:
        logger.exception("digitisation of outgoing document %s did not start", document_id)
        OutgoingDocument.objects.filter(pk=document_id).update(
            digitization_status=DigitizationStatus.FAILED
        )
        _search_changed(document)


def outgoing_issued_files(document: OutgoingDocument) -> list[StoredFile]:
    """The issued document's files: the main signed PDF first, then the signed attachments
    (used by the edXML package and the dispatch to other committees). A document issued
    outside this workflow (imported from a legacy register, the demo corpus) has no
    ``issued_file``: then every file it owns, PDFs first, oldest first."""
    if document.issued_file_id is None:
        owned = StoredFile.objects.filter(
            owner_type=ContentType.objects.get_for_model(OutgoingDocument),
            owner_id=str(document.pk),
        ).order_by("created_at", "pk")
        return sorted(owned, key=lambda f: 0 if f.kind == "pdf" else 1)
    files: list[StoredFile] = [StoredFile.objects.get(pk=document.issued_file_id)]
    signed = (
        OutgoingAttachment.objects.filter(document=document, signed_file__isnull=False)
        .select_related("signed_file")
        .order_by("order", "pk")
    )
    files.extend(a.signed_file for a in signed if a.signed_file is not None)
    return files


# --- dispatch --------------------------------------------------------------------------------


@dataclass
class DispatchResult:
    internal: list[Dispatch] = field(default_factory=list)
    external: list[Dispatch] = field(default_factory=list)
    skipped: list[Organisation] = field(default_factory=list)  # already sent
    failed: list[tuple[Organisation, str]] = field(default_factory=list)


def organisation_for_unit(unit: AdminUnit) -> Organisation:
    """The directory entry of a committee on the platform (made on first use)."""
    found = Organisation.objects.filter(unit=unit).first()
    if found is not None:
        return found
    from congso.documents.services.incoming import directory_save

    entry = Organisation(
        name=unit.display_committee,
        org_code=unit.org_code,
        abbreviation=unit.abbreviation,
        unit=unit,
    )
    directory_save(obj=entry, user=None)  # audited like an entry made on the directory screen
    return entry


def _internal_unit(organisation: Organisation, sender_unit_id: int) -> AdminUnit | None:
    unit = organisation.unit
    if unit is None or not unit.is_served or unit.pk == sender_unit_id:
        return None
    return unit


def outgoing_dispatch(
    *,
    document: OutgoingDocument,
    user: Any,
    recipients: Iterable[Organisation | int] | None = None,
) -> DispatchResult:
    """Send an issued document to ``recipients`` (default: its "nơi nhận" not yet sent to).

    A committee on the platform receives it at once in its incoming register (arrival number,
    the signed PDF and attachments copied, channel "internal"); each such recipient is its own
    transaction (its arrival number taken first, lock order), so one failure does not undo the
    others and a retry sends only what is missing. Outside bodies get a dispatch waiting for
    the edXML package (``channel=edxml``, status "pending").
    """
    from congso.documents.services.incoming import incoming_register

    rules = _rules()
    document = OutgoingDocument.objects.select_related(
        "unit", "department", "document_type", "signer"
    ).get(pk=document.pk)
    if not rules.can_dispatch_outgoing(user, document):
        raise PermissionDenied("Chỉ văn thư của cơ quan được gửi văn bản đã ban hành.")
    _expect(document, {OutgoingStatus.ISSUED}, "gửi")
    orgs = (
        _check_recipients(recipients)
        if recipients is not None
        else list(document.external_recipients.filter(is_active=True).order_by("name", "pk"))
    )
    if not orgs:
        raise _bad("recipients_required", "Hãy chọn nơi nhận.", "recipients")
    result = DispatchResult()
    already = set(document.dispatches.values_list("recipient_id", flat=True))
    files = [(f.original_name, _file_bytes(f)) for f in outgoing_issued_files(document)]
    if not files:
        raise DomainError("dispatch_no_file", "Văn bản chưa có bản điện tử đã ký số.", status=409)
    sender = organisation_for_unit(document.unit)
    # Internal recipients in a fixed order (by unit id): concurrent dispatches take the
    # recipients' arrival-number locks in the same order.
    ordered = sorted(
        orgs, key=lambda o: (_internal_unit(o, document.unit_id) is None, o.unit_id or 0, o.pk)
    )
    for org in ordered:
        if org.pk in already:
            result.skipped.append(org)
            continue
        unit = _internal_unit(org, document.unit_id)
        if unit is None:
            with transaction.atomic():
                dispatch = Dispatch.objects.create(
                    document=document,
                    recipient=org,
                    channel=Channel.EDXML,
                    status=DispatchStatus.PENDING,
                    sent_by=user,
                )
                document.external_recipients.add(org)
                audit_record(
                    action="documents.outgoing_dispatch",
                    obj=document,
                    actor=user,
                    changes={"recipient": [None, org.name], "channel": [None, Channel.EDXML]},
                    summary=f"Gửi {document.notation} đến {org.name}: chờ gửi gói edXML.",
                )
            result.external.append(dispatch)
            continue
        try:
            with transaction.atomic():
                dispatch = Dispatch.objects.create(
                    document=document,
                    recipient=org,
                    channel=Channel.INTERNAL,
                    status=DispatchStatus.SENT,
                    sent_by=user,
                )
                incoming = _receive_internal(
                    register=incoming_register,
                    document=document,
                    unit=unit,
                    sender=sender,
                    dispatch=dispatch,
                    files=files,
                )
                document.external_recipients.add(org)
                audit_record(
                    action="documents.outgoing_dispatch",
                    obj=document,
                    actor=user,
                    changes={
                        "recipient": [None, org.name],
                        "channel": [None, Channel.INTERNAL],
                        "incoming_id": [None, incoming.pk],
                    },
                    summary=f"Gửi {document.notation} đến {org.name} (trong hệ thống).",
                )
                notify(
                    recipients=_receiving_clerks(unit, document),
                    title=f"{_prefix(document)}Văn bản đến từ {document.unit.display_committee}",
                    body=f"{document.notation}: {document.subject[:300]}",
                    url=_incoming_url(incoming),
                    level=_level(document),
                    kind="documents.incoming_internal",
                    obj=incoming,
                )
            result.internal.append(dispatch)
        except DomainError as exc:
            logger.warning("dispatch of %s to %s failed: %s", document.pk, org.pk, exc.code)
            result.failed.append((org, exc.message))
    return result


def _receiving_clerks(unit: AdminUnit, document: OutgoingDocument) -> list[User]:
    return [u for u in unit_clerks(unit) if can_read(u, document)]


def _incoming_url(incoming: IncomingDocument) -> str:
    try:
        return reverse("documents:incoming_detail", args=[incoming.pk])
    except NoReverseMatch:
        return ""


def _receive_internal(
    *,
    register: Any,
    document: OutgoingDocument,
    unit: AdminUnit,
    sender: Organisation,
    dispatch: Dispatch,
    files: list[tuple[str, bytes]],
) -> IncomingDocument:
    """Register the document at the receiving committee through the incoming area's service
    (its arrival number, its checks); a suspected duplicate (the clerk there registered a copy
    by hand already) is registered anyway with the reason noted."""
    kwargs: dict[str, Any] = {
        "unit": unit,
        "user": None,
        "files": [ContentFile(data, name=name) for name, data in files],
        "channel": Channel.INTERNAL,
        "document_type": document.document_type,
        "subject": document.subject,
        "sender": sender,
        "sender_name": document.unit.display_committee,
        "notation": document.notation,
        "issued_date": document.issued_date,
        "signer_name": document.signer.get_full_name() if document.signer else "",
        "signer_position": document.signer_title,
        "page_count": document.page_count,
        "urgency": document.urgency,
        "secrecy": document.secrecy,
        "reply_by": document.reply_by,
        "source_dispatch": dispatch,
        "note": "Nhận tự động qua Công sở số.",
    }
    try:
        return register(**kwargs)
    except DomainError as exc:
        if exc.code != "duplicate_suspected":
            raise
    kwargs["files"] = [ContentFile(data, name=name) for name, data in files]
    kwargs["duplicate_reason"] = "Văn bản chuyển trong hệ thống; trùng với bản đã vào sổ trước."
    return register(**kwargs)


# --- recall ----------------------------------------------------------------------------------


def outgoing_recall(*, document: OutgoingDocument, user: Any, reason: str) -> OutgoingDocument:
    """Recall an issued document (Art. 18.4): freeze it, mark the recipients' copies recalled
    (their open assignments cancelled, hidden from handling) and tell the recipients."""
    rules = _rules()
    reason = _nfc(reason)[:RECALL_REASON_MAX]
    if not reason:
        raise _bad("reason_required", "Hãy ghi lý do thu hồi.", "reason")
    with transaction.atomic():
        document = _lock(document)
        if not rules.can_recall_outgoing(user, document):
            raise PermissionDenied("Chỉ văn thư hoặc lãnh đạo của cơ quan được thu hồi văn bản.")
        _expect(document, {OutgoingStatus.ISSUED}, "thu hồi")
        now = timezone.now()
        before = document.status
        document.status = OutgoingStatus.RECALLED
        document.recalled_at = now
        document.recall_reason = reason
        document.save(update_fields=["status", "recalled_at", "recall_reason", "updated_at"])
        dispatches = list(document.dispatches.select_related("recipient"))
        Dispatch.objects.filter(document=document).update(
            status=DispatchStatus.RECALLED, status_at=now
        )
        copies = list(
            IncomingDocument.objects.filter(source_dispatch__document=document).select_related(
                "unit"
            )
        )
        audit_record(
            action="documents.outgoing_recall",
            obj=document,
            actor=user,
            changes={
                "status": [before, document.status],
                "reason": [None, reason],
                "recipients": [None, [d.recipient.name for d in dispatches]],
            },
            summary=f"Thu hồi {_label(document)}: {reason[:200]}",
        )
        for incoming in copies:
            _recall_copy(incoming=incoming, document=document, reason=reason, user=user)
    return document


def _recall_copy(
    *, incoming: IncomingDocument, document: OutgoingDocument, reason: str, user: Any
) -> None:
    """The receiving committee's copy: recalled, assignments cancelled, people told."""
    if incoming.status == IncomingStatus.RECALLED:
        return
    open_assignments = list(
        Assignment.objects.filter(document=incoming, status=AssignmentStatus.OPEN).select_related(
            "lead_user"
        )
    )
    handlers = {a.lead_user for a in open_assignments if a.lead_user is not None}
    for assignment in open_assignments:
        handlers.update(assignment.cooperating_users.all())
    Assignment.objects.filter(pk__in=[a.pk for a in open_assignments]).update(
        status=AssignmentStatus.CANCELLED
    )
    before = incoming.status
    IncomingDocument.objects.filter(pk=incoming.pk).update(
        status=IncomingStatus.RECALLED,
        note=(f"Bị thu hồi: {reason}")[:500],
        updated_at=timezone.now(),
    )
    _search_changed(incoming)
    audit_record(
        action="documents.incoming_recalled",
        obj=incoming,
        actor=user,
        unit=incoming.unit_id,
        changes={
            "status": [before, IncomingStatus.RECALLED],
            "assignments_cancelled": [None, len(open_assignments)],
        },
        summary=(
            f"{document.unit.display_committee} thu hồi văn bản {document.notation}: {reason[:200]}"
        ),
    )
    people = set(_receiving_clerks(incoming.unit, document)) | handlers
    from congso.documents.services.incoming import unit_leaders

    people.update(unit_leaders(incoming.unit_id))
    notify(
        recipients=[p for p in people if can_read(p, document)],
        title=f"Văn bản {document.notation} đã bị thu hồi",
        body=f"{document.unit.display_committee} thu hồi văn bản: {reason}",
        url=_incoming_url(incoming),
        level=NotificationLevel.WARNING,
        kind="documents.incoming_recalled",
        obj=incoming,
    )


# --- reads with an audit trail ---------------------------------------------------------------


def _search_changed(document: IncomingDocument | OutgoingDocument) -> None:
    """Re-index a document written with ``QuerySet.update()`` (no signal is sent)."""
    try:
        from congso.documents.search import document_changed
    except ImportError:  # pragma: no cover - the search area is installed
        return
    document_changed(document)


def outgoing_secret_read(*, document: OutgoingDocument, user: Any, what: str = "xem") -> None:
    """Record that ``user`` read a secret outgoing document (every read is audited)."""
    if document.secrecy <= 0:
        return
    audit_record(
        action="documents.secret_read",
        obj=document,
        actor=user,
        changes={"secrecy": [None, document.secrecy], "what": [None, what]},
        summary=f"{what.capitalize()} văn bản đi mật: {_label(document)}.",
    )


def outgoing_file_owner_document(owner: Any) -> OutgoingDocument | None:
    """The outgoing document a stored file belongs to (the document, a version, an
    attachment), for the file access rule."""
    if isinstance(owner, OutgoingDocument):
        return owner
    if isinstance(owner, DraftVersion | OutgoingAttachment):
        return owner.document
    return None


def pdf_pages(data: bytes) -> int | None:
    from congso.kernel.signing.pdf import pdf_page_count

    try:
        return pdf_page_count(data)
    except DomainError:
        return None
