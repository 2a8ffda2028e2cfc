"""edXML exchange (QCVN 102:2016/BTTTT, vietnam-rules.md §4): export an issued outgoing document
as a package, import a package into the incoming register, recall, and status messages.

- ``edxml_build(outgoing_document, recipients)`` → the package bytes (signed PDF + attachments).
- ``edxml_export(document=, user=)`` → (file name, bytes) for download; logged and audited.
- ``edxml_import(unit=, user=, package_bytes=)`` → the registered ``IncomingDocument`` (channel
  edXML, arrival number from ``incoming_register``, the attachments as its files), all or nothing.
  A recall package (BussinessDocType 1) for a document imported before marks it recalled
  (Decree 30 Art. 18.4) instead.
- ``edxml_status(document=, user=)`` → the status message for the sender (StatusCode from the
  document's state: 03 registered, 04 assigned, 05 in progress, 06 done, 15 recall accepted).

Each package and status message is logged in ``EdxmlMessage`` (the exchange trail, by DocumentId).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import io
import logging
import re
import unicodedata
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from congso.documents.edxml import (
    Attachment,
    BusinessDocType,
    EdxmlPackage,
    Organ,
    ParsedPackage,
    ResponseFor,
    StatusCode,
    StatusMessage,
    build_package,
    build_status,
    make_document_id,
    parse_package,
)
from congso.documents.edxml.codes import STATUS_LABELS, urgency_to_priority
from congso.documents.models import (
    AssignmentStatus,
    Channel,
    DocumentType,
    EdxmlDirection,
    EdxmlKind,
    EdxmlMessage,
    IncomingDocument,
    IncomingStatus,
    Organisation,
    OutgoingDocument,
    OutgoingStatus,
)
from congso.kernel.audit.services import audit_record
from congso.kernel.errors import DomainError, NotFound, PermissionDenied
from congso.kernel.files.models import StoredFile
from congso.kernel.files.services import file_open, file_store, safe_filename
from congso.kernel.files.sniffing import sniff
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import Position

logger = logging.getLogger(__name__)

#: Attachment kinds registered as the document's own files (scan or electronic copy).
DOCUMENT_KINDS = frozenset({"pdf", "png", "jpeg", "tiff"})
#: Other attachments (appendices in office formats) are kept as files of the document too.
OTHER_KINDS = ("docx", "xlsx", "pptx", "odt", "ods", "ole", "xml", "text")

STATUS_FOR_INCOMING = {
    IncomingStatus.REGISTERED: StatusCode.ACCEPTED,
    IncomingStatus.PRESENTED: StatusCode.ACCEPTED,
    IncomingStatus.ASSIGNED: StatusCode.ASSIGNED,
    IncomingStatus.IN_PROGRESS: StatusCode.IN_PROGRESS,
    IncomingStatus.DONE: StatusCode.DONE,
    IncomingStatus.RECALLED: StatusCode.AGREE_CHANGE,
}


def edxml_max_bytes() -> int:
    """Largest package accepted: ``EDXML_MAX_MB`` (default: the upload limit + base64 growth)."""
    configured = getattr(settings, "EDXML_MAX_BYTES", None)
    if configured:
        return int(configured)
    return int(settings.FILE_UPLOAD_MAX_BYTES) * 4 // 3 + 1024 * 1024


def edxml_parse(package_bytes: bytes) -> ParsedPackage:
    """Parse a package safely (see ``congso.documents.edxml.parser``)."""
    return parse_package(package_bytes, max_bytes=edxml_max_bytes())


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_name(text: str) -> str:
    """An ASCII-safe download name from a notation: "05/QĐ-UBND" → "05-QD-UBND"."""
    folded = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    ascii_text = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-") or "van-ban"


def _area(name: str) -> Any:
    """Another documents area's services module (None while it is not written)."""
    try:
        return importlib.import_module(f"congso.documents.services.{name}")
    except ModuleNotFoundError:
        return None


# --- our committee as an edXML organ ---------------------------------------------------------


def unit_organ(unit: AdminUnit) -> Organ:
    parent = unit.parent.display_committee if unit.parent_id and unit.parent else ""
    return Organ(org_id=unit.org_code, name=unit.display_committee, in_charge=parent)


def organisation_organ(organisation: Organisation) -> Organ:
    return Organ(org_id=organisation.org_code, name=organisation.name)


# --- export ----------------------------------------------------------------------------------


def _outgoing_files(document: OutgoingDocument) -> list[StoredFile]:
    """The issued document's files, main (signed) PDF first. Uses the outgoing area's selector
    when it has one; otherwise every file owned by the document, PDFs first, oldest first."""
    chooser = getattr(_area("outgoing"), "outgoing_issued_files", None)
    if callable(chooser):
        chosen = list(chooser(document))
        if chosen:
            return chosen
        # A document registered without the signing flow (imported history): its own files.
    content_type = ContentType.objects.get_for_model(OutgoingDocument)
    files = list(
        StoredFile.objects.filter(owner_type=content_type, owner_id=str(document.pk)).order_by(
            "created_at", "pk"
        )
    )
    return sorted(files, key=lambda f: 0 if f.kind == "pdf" else 1)


def _read(stored: StoredFile) -> bytes:
    handle = file_open(stored)
    try:
        return bytes(handle.read())
    finally:
        handle.close()


def edxml_build(
    outgoing_document: OutgoingDocument,
    recipients: list[Organisation] | list[Organ],
    *,
    files: list[tuple[str, str, bytes]] | None = None,
    now: dt.datetime | None = None,
) -> bytes:
    """The package of an issued (or recalled) outgoing document for ``recipients``.

    ``files`` (name, content type, bytes) default to the document's stored files: the signed
    PDF first, then the attachments. A recalled document gives a recall package
    (BussinessDocType 1) with the recall reason.
    """
    document = outgoing_document
    if document.number is None or document.issued_date is None or not document.notation:
        raise DomainError(
            "edxml_not_issued", "Chỉ xuất gói tin edXML cho văn bản đã ban hành (đã có số)."
        )
    unit = document.unit
    if files is None:
        files = [(f.original_name, f.content_type, _read(f)) for f in _outgoing_files(document)]
    if not files:
        raise DomainError(
            "edxml_no_file", "Văn bản chưa có tệp điện tử (bản ký số) để gửi bằng gói tin edXML."
        )
    number, _, notation_part = document.notation.partition("/")
    organs = [r if isinstance(r, Organ) else organisation_organ(r) for r in recipients]
    recall = document.status == OutgoingStatus.RECALLED
    signer = document.signer
    signer_name = ""
    if signer is not None:
        signer_name = str(getattr(signer, "full_name", "") or signer)
    pkg = EdxmlPackage(
        sender=unit_organ(unit),
        recipients=organs,
        code_number=number,
        code_notation=notation_part,
        promulgation_date=document.issued_date,
        promulgation_place=getattr(settings, "EDXML_PLACE", "") or "Hà Nội",
        type_code=document.document_type.order,
        type_name=document.document_type.name,
        subject=document.subject,
        signer_competence=document.signing_authority,
        signer_position=document.signer_title,
        signer_name=signer_name,
        due_date=document.reply_by,
        to_places=[line.strip() for line in document.recipients_text.splitlines() if line.strip()],
        priority=urgency_to_priority(document.urgency),
        promulgation_amount=document.copies or None,
        page_amount=document.page_count,
        document_id=make_document_id(unit.org_code, document.issued_date, document.notation),
        business_doc_type=BusinessDocType.RECALL if recall else BusinessDocType.NEW,
        business_doc_reason=(document.recall_reason or "Thu hồi văn bản") if recall else "",
        staff_department=document.department.name if document.department_id else "",
        staff_name=str(getattr(document.issued_by, "full_name", "") or ""),
        attachments=[
            Attachment(
                name=name,
                content_type=content_type,
                data=data,
                description="Văn bản" if index == 0 else f"Tệp đính kèm {index}",
            )
            for index, (name, content_type, data) in enumerate(files)
        ],
    )
    return build_package(pkg, now=now)


def _can_export(user: Any, document: OutgoingDocument) -> bool:
    try:
        from congso.documents import rules
    except ImportError:  # pragma: no cover
        return False
    check = getattr(rules, "can_view_outgoing", None)
    if callable(check):
        return bool(check(user, document))
    from congso.kernel.people.models import Role
    from congso.kernel.people.rules import has_role, is_staff_member

    return is_staff_member(user) and has_role(
        user, Role.CLERK, Role.LEADER, Role.ADMIN, unit=document.unit_id
    )


def edxml_export(*, document: OutgoingDocument, user: Any) -> tuple[str, bytes]:
    """The package of an issued outgoing document for its outside recipients, for download
    (clerks send it through the exchange gateway). Logged and audited."""
    if not _can_export(user, document):
        raise PermissionDenied("Bạn không có quyền xuất văn bản này.")
    if document.status not in {OutgoingStatus.ISSUED, OutgoingStatus.RECALLED}:
        raise DomainError(
            "edxml_not_issued", "Chỉ xuất gói tin edXML cho văn bản đã ban hành (đã có số)."
        )
    if document.secrecy > 0:
        raise DomainError(
            "edxml_secret",
            "Văn bản mật không được gửi qua trục liên thông văn bản điện tử.",
            status=403,
        )
    recipients = list(document.external_recipients.filter(unit__isnull=True).order_by("name"))
    data = edxml_build(document, recipients)
    recall = document.status == OutgoingStatus.RECALLED
    with transaction.atomic():
        EdxmlMessage.objects.create(
            unit_id=document.unit_id,
            direction=EdxmlDirection.SENT,
            kind=EdxmlKind.PACKAGE,
            document_id=make_document_id(
                document.unit.org_code,
                document.issued_date or timezone.localdate(),
                document.notation,
            ),
            business_doc_type=int(BusinessDocType.RECALL if recall else BusinessDocType.NEW),
            peer_name="; ".join(r.name for r in recipients)[:200],
            peer_org_id=(recipients[0].org_code if len(recipients) == 1 else "")[:40],
            outgoing=document,
            sha256=_sha256(data),
            size=len(data),
            created_by=user,
        )
        audit_record(
            action="documents.edxml_export",
            obj=document,
            actor=user,
            unit=document.unit_id,
            changes={
                "recipients": [None, [r.name for r in recipients]],
                "business_doc_type": [None, 1 if recall else 0],
                "sha256": [None, _sha256(data)],
            },
            summary=f"Xuất gói tin edXML văn bản {document.notation}"
            + (" (thu hồi)" if recall else "")
            + ".",
        )
    return f"{_file_name(document.notation)}.edxml", data


# --- import ----------------------------------------------------------------------------------


def _document_type(pkg: ParsedPackage) -> DocumentType:
    types = list(DocumentType.objects.filter(is_active=True))
    if pkg.type_name:
        by_name = {t.name.casefold(): t for t in types}
        found = by_name.get(pkg.type_name.casefold())
        if found is not None:
            return found
    if pkg.type_code:
        for candidate in types:
            if candidate.order == pkg.type_code:
                return candidate
    letter = next((t for t in types if t.is_letter), None)
    if letter is None:  # pragma: no cover - seeded by migration 0002
        raise DomainError("document_type_required", "Chưa có loại văn bản Công văn.")
    return letter


def _sender(pkg: ParsedPackage) -> Organisation | None:
    if pkg.sender.org_id:
        found = Organisation.objects.filter(org_code=pkg.sender.org_id, is_active=True).first()
        if found is not None:
            return found
    return Organisation.objects.filter(name__iexact=pkg.sender.name, is_active=True).first()


def _kind(attachment: Attachment) -> str | None:
    found = sniff(io.BytesIO(attachment.data), extension=attachment.name.rpartition(".")[2])
    return found.key if found else None


def _upload(attachment: Attachment, index: int, kind: str | None) -> SimpleUploadedFile:
    name = safe_filename(attachment.name)
    extension = {"jpeg": "jpg", "tiff": "tif"}.get(kind or "", kind or "bin")
    if not name or "." not in name:
        name = f"{name or f'tep-{index}'}.{extension}"
    return SimpleUploadedFile(name, attachment.data, content_type=attachment.content_type)


def _signer_position(pkg: ParsedPackage) -> str:
    return " ".join(part for part in (pkg.signer_competence, pkg.signer_position) if part)


def _received_message(unit: AdminUnit, document_id: str) -> EdxmlMessage | None:
    return (
        EdxmlMessage.objects.filter(
            unit=unit,
            direction=EdxmlDirection.RECEIVED,
            kind=EdxmlKind.PACKAGE,
            document_id=document_id,
            incoming__isnull=False,
        )
        .select_related("incoming")
        .order_by("created_at", "pk")
        .first()
    )


def edxml_import(
    *, unit: AdminUnit, user: Any, package_bytes: bytes, duplicate_reason: str = ""
) -> IncomingDocument:
    """Register the document a package carries in ``unit``'s incoming register (channel edXML),
    with its PDF (or images) as the document's files and other attachments kept beside them.

    All or nothing: a package that does not parse, a file the files module refuses, or a
    suspected duplicate (``duplicate_suspected`` unless ``duplicate_reason``) leaves no
    document, no arrival number and no file row. A recall package marks the document it
    recalls (found by DocumentId) as recalled and returns it.
    """
    from congso.documents.rules import can_register

    if not can_register(user, unit):
        raise PermissionDenied("Chỉ văn thư của đơn vị được tiếp nhận văn bản đến.")
    pkg = edxml_parse(package_bytes)
    if pkg.business_doc_type == BusinessDocType.RECALL:
        return _import_recall(unit=unit, user=user, pkg=pkg, package_bytes=package_bytes)
    if pkg.business_doc_type != BusinessDocType.NEW:
        raise DomainError(
            "edxml_business_unsupported",
            "Gói tin cập nhật hoặc thay thế văn bản chưa được hỗ trợ: hãy vào sổ văn bản mới "
            "hoặc liên hệ cơ quan gửi.",
            details={"business_doc_type": pkg.business_doc_type},
        )
    kinds = [_kind(a) for a in pkg.attachments]
    main = [
        _upload(a, i, k)
        for i, (a, k) in enumerate(zip(pkg.attachments, kinds, strict=True), start=1)
        if k in DOCUMENT_KINDS
    ]
    others = [
        _upload(a, i, k)
        for i, (a, k) in enumerate(zip(pkg.attachments, kinds, strict=True), start=1)
        if k not in DOCUMENT_KINDS
    ]
    if not main:
        raise DomainError(
            "edxml_attachment_invalid",
            "Tệp đính kèm trong gói tin không hợp lệ: gói tin không có bản PDF hoặc ảnh của "
            "văn bản.",
            details={"attachments": [a.name for a in pkg.attachments]},
        )
    from congso.documents.services.incoming import incoming_register

    document_id = pkg.effective_document_id()
    with transaction.atomic():
        document = incoming_register(
            unit=unit,
            user=user,
            files=main,
            channel=Channel.EDXML,
            document_type=_document_type(pkg),
            subject=pkg.subject,
            sender=_sender(pkg),
            sender_name=pkg.sender.name,
            notation=pkg.notation,
            issued_date=pkg.promulgation_date,
            signer_name=pkg.signer_name,
            signer_position=_signer_position(pkg),
            page_count=pkg.page_amount if pkg.page_amount and pkg.page_amount > 0 else None,
            urgency=pkg.urgency,
            secrecy=0,
            reply_by=pkg.due_date,
            duplicate_reason=duplicate_reason,
            note=f"Gói tin edXML {document_id}"[:500],
        )
        kept = [
            file_store(
                upload=upload, owner=document, unit=unit, user=user, allowed_types=OTHER_KINDS
            )
            for upload in others
        ]
        EdxmlMessage.objects.create(
            unit=unit,
            direction=EdxmlDirection.RECEIVED,
            kind=EdxmlKind.PACKAGE,
            document_id=document_id[:255],
            business_doc_type=int(BusinessDocType.NEW),
            peer_org_id=pkg.sender.org_id[:40],
            peer_name=pkg.sender.name[:200],
            incoming=document,
            sha256=_sha256(package_bytes),
            size=len(package_bytes),
            created_by=user,
        )
        audit_record(
            action="documents.edxml_import",
            obj=document,
            actor=user,
            unit=unit,
            changes={
                "document_id": [None, document_id],
                "sender_org_id": [None, pkg.sender.org_id],
                "attachments": [None, [a.name for a in pkg.attachments]],
                "other_files": [None, [f.original_name for f in kept] or None],
                "sha256": [None, _sha256(package_bytes)],
            },
            summary=f"Tiếp nhận gói tin edXML {pkg.notation} của {pkg.sender.name}.",
        )
    return document


def _find_recalled(unit: AdminUnit, pkg: ParsedPackage) -> IncomingDocument | None:
    message = _received_message(unit, pkg.effective_document_id())
    if message is not None and message.incoming is not None:
        return message.incoming
    # A document registered another way (paper, e-mail): same notation, date and sender.
    from congso.documents.services.incoming import notation_normalise

    key = notation_normalise(pkg.notation).casefold()
    for candidate in IncomingDocument.objects.filter(
        unit=unit, issued_date=pkg.promulgation_date, sender_name__iexact=pkg.sender.name
    ).order_by("arrived_at", "pk"):
        if notation_normalise(candidate.notation).casefold() == key:
            return candidate
    return None


def _mark_recalled(*, document: IncomingDocument, user: Any, reason: str) -> None:
    """Art. 18.4 on the receiving side, through the incoming area's recall when it has one."""
    from congso.documents.services import incoming as incoming_services

    recall = getattr(incoming_services, "incoming_recall", None)
    if callable(recall):
        recall(document=document, user=user, reason=reason)
        return
    before = document.status
    document.assignments.filter(status=AssignmentStatus.OPEN).update(
        status=AssignmentStatus.CANCELLED
    )
    document.status = IncomingStatus.RECALLED
    document.save(update_fields=["status", "updated_at"])
    audit_record(
        action="documents.incoming_recall",
        obj=document,
        actor=user,
        unit=document.unit_id,
        changes={"status": [before, document.status], "reason": [None, reason]},
        summary=f"Văn bản đến {document.notation} bị cơ quan gửi thu hồi: {reason}"[:300],
    )


def _import_recall(
    *, unit: AdminUnit, user: Any, pkg: ParsedPackage, package_bytes: bytes
) -> IncomingDocument:
    document = _find_recalled(unit, pkg)
    if document is None:
        raise DomainError(
            "edxml_recall_unknown",
            f"Gói tin thu hồi văn bản {pkg.notation} ngày "
            f"{pkg.promulgation_date:%d/%m/%Y} của {pkg.sender.name}, nhưng văn bản này "
            "chưa được vào sổ văn bản đến của đơn vị.",
            details={"document_id": pkg.effective_document_id()},
            status=404,
        )
    if document.status == IncomingStatus.RECALLED:
        raise DomainError(
            "edxml_already_recalled",
            f"Văn bản {document.notation} đã được đánh dấu thu hồi trước đó.",
            details={"id": document.pk},
            status=409,
        )
    reason = pkg.business_doc_reason or "Cơ quan ban hành thu hồi văn bản."
    with transaction.atomic():
        _mark_recalled(document=document, user=user, reason=reason)
        EdxmlMessage.objects.create(
            unit=unit,
            direction=EdxmlDirection.RECEIVED,
            kind=EdxmlKind.PACKAGE,
            document_id=pkg.effective_document_id()[:255],
            business_doc_type=int(BusinessDocType.RECALL),
            peer_org_id=pkg.sender.org_id[:40],
            peer_name=pkg.sender.name[:200],
            incoming=document,
            sha256=_sha256(package_bytes),
            size=len(package_bytes),
            created_by=user,
        )
        audit_record(
            action="documents.edxml_recall",
            obj=document,
            actor=user,
            unit=unit,
            changes={"document_id": [None, pkg.effective_document_id()], "reason": [None, reason]},
            summary=f"Tiếp nhận gói tin thu hồi văn bản {pkg.notation} của {pkg.sender.name}.",
        )
    document.refresh_from_db()
    return document


# --- status messages -------------------------------------------------------------------------


def edxml_received_message(document: IncomingDocument) -> EdxmlMessage | None:
    """The package this incoming document came in (None when it did not come by edXML)."""
    return (
        EdxmlMessage.objects.filter(
            incoming=document,
            direction=EdxmlDirection.RECEIVED,
            kind=EdxmlKind.PACKAGE,
            business_doc_type=int(BusinessDocType.NEW),
        )
        .order_by("created_at", "pk")
        .first()
    )


def edxml_status_code(document: IncomingDocument) -> StatusCode:
    return STATUS_FOR_INCOMING.get(IncomingStatus(document.status), StatusCode.ACCEPTED)


def edxml_status(
    *, document: IncomingDocument, user: Any, status_code: StatusCode | None = None
) -> tuple[str, bytes]:
    """The status message telling the sender where the document stands (by default from its
    state: 03 registered, 04 assigned, 05 in progress, 06 done, 15 recall accepted)."""
    from congso.documents.rules import can_register

    if not can_register(user, document.unit_id):
        raise PermissionDenied("Chỉ văn thư của đơn vị được gửi gói tin trạng thái.")
    received = edxml_received_message(document)
    if received is None:
        raise NotFound(
            "Văn bản này không được nhận bằng gói tin edXML.", code="edxml_not_exchanged"
        )
    code = status_code or edxml_status_code(document)
    unit = document.unit
    now = timezone.now()
    description = STATUS_LABELS[code]
    if code == StatusCode.ACCEPTED:
        from congso.documents.services.incoming import arrival_label

        description = f"{description}: số đến {arrival_label(document)}"
    position = (
        Position.objects.active()
        .filter(user_id=user.pk, unit_id=unit.pk)
        .select_related("department")
        .first()
    )
    staff_department = position.department.name if position and position.department else ""
    message = StatusMessage(
        response_for=ResponseFor(
            org_id=received.peer_org_id,
            code=document.notation,
            promulgation_date=document.issued_date,
            document_id=received.document_id,
        ),
        sender=unit_organ(unit),
        status_code=code,
        timestamp=now,
        description=description,
        staff_department=staff_department,
        staff_name=str(getattr(user, "full_name", "") or user),
    )
    data = build_status(message)
    with transaction.atomic():
        EdxmlMessage.objects.create(
            unit=unit,
            direction=EdxmlDirection.SENT,
            kind=EdxmlKind.STATUS,
            document_id=received.document_id,
            status_code=code.value,
            peer_org_id=received.peer_org_id,
            peer_name=received.peer_name,
            incoming=document,
            sha256=_sha256(data),
            size=len(data),
            created_by=user,
        )
        audit_record(
            action="documents.edxml_status",
            obj=document,
            actor=user,
            unit=unit,
            changes={"status_code": [None, code.value]},
            summary=f"Lập gói tin trạng thái {code.value} ({STATUS_LABELS[code]}) cho văn bản "
            f"{document.notation}.",
        )
    return f"trang-thai-{code.value}-{_file_name(document.notation)}.edxml", data
