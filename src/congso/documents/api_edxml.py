"""/api/v1/documents/edxml: import a QCVN 102:2016 package, export an issued outgoing document,
download the status message of a document received by edXML. The same services as the pages.

Errors are ``{"code", "message", "details"}``: ``edxml_not_xml``, ``edxml_invalid``,
``edxml_missing_field`` (``details.field``), ``edxml_attachment_invalid``, ``edxml_too_large``
(413), ``duplicate_suspected`` (409, ``details.matches``), ``edxml_recall_unknown`` (404),
``edxml_already_recalled`` (409), and the incoming register's own codes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import File, Form, Router, Schema, Status, UploadedFile

from congso.documents import selectors
from congso.documents.models import IncomingDocument, IncomingStatus, OutgoingDocument
from congso.documents.services import edxml as services
from congso.kernel.errors import DomainError, NotFound
from congso.kernel.people.selectors import active_positions

router = Router(tags=["documents: edXML"])


class EdxmlImportOut(Schema):
    id: int
    unit_id: int
    arrival_number: int
    arrival_year: int
    arrival_label: str
    channel: str
    notation: str
    sender_name: str
    issued_date: dt.date | None
    subject: str
    urgency: int
    status: str
    digitization_status: str
    recalled: bool
    url: str


def _summary(document: IncomingDocument) -> dict[str, Any]:
    from congso.documents.services.incoming import arrival_label

    return {
        "id": document.pk,
        "unit_id": document.unit_id,
        "arrival_number": document.arrival_number,
        "arrival_year": document.arrival_year,
        "arrival_label": arrival_label(document),
        "channel": document.channel,
        "notation": document.notation,
        "sender_name": document.sender_name,
        "issued_date": document.issued_date,
        "subject": document.subject,
        "urgency": document.urgency,
        "status": document.status,
        "digitization_status": document.digitization_status,
        "recalled": document.status == IncomingStatus.RECALLED,
        "url": reverse("documents:incoming_detail", args=[document.pk]),
    }


def _unit_id(request: HttpRequest, user: Any, unit_id: int | None) -> int:
    if unit_id is not None:
        return unit_id
    position = getattr(request, "position", None) if request.user == user else None
    if position is None:
        position = active_positions(user).first()
    if position is None:
        raise DomainError("unit_required", "Không xác định được đơn vị nhận văn bản.")
    return int(position.unit_id)


def _xml(filename: str, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.post(
    "/import",
    response={201: EdxmlImportOut, 200: EdxmlImportOut},
    summary="Nhập gói tin edXML vào sổ văn bản đến",
    description=(
        "Multipart: `file` (gói tin .edxml), tùy chọn `unit_id` (mặc định: đơn vị của vị trí "
        "công tác hiện tại) và `duplicate_reason`. 201 khi vào sổ văn bản mới; 200 khi là gói "
        "tin thu hồi (văn bản đã nhận được đánh dấu thu hồi, `recalled` = true)."
    ),
)
def import_package(
    request: HttpRequest,
    file: File[UploadedFile],
    unit_id: int | None = Form(None),
    duplicate_reason: str = Form(""),
) -> Status:
    from congso.kernel.orgunits.models import AdminUnit

    user: Any = request.auth  # type: ignore[attr-defined]
    unit = AdminUnit.objects.filter(pk=_unit_id(request, user, unit_id)).first()
    if unit is None:
        raise NotFound("Không tìm thấy đơn vị.")
    if file.size is not None and file.size > services.edxml_max_bytes():
        raise DomainError(
            "edxml_too_large", "Gói tin edXML vượt quá dung lượng cho phép.", status=413
        )
    document = services.edxml_import(
        unit=unit, user=user, package_bytes=file.read(), duplicate_reason=duplicate_reason
    )
    recalled = document.status == IncomingStatus.RECALLED
    return Status(200 if recalled else 201, _summary(document))


def _outgoing(user: Any, pk: int) -> OutgoingDocument:
    getter = getattr(selectors, "outgoing_get", None)
    if callable(getter):
        document: OutgoingDocument = getter(user, pk)
        return document
    found = (
        OutgoingDocument.objects.select_related("unit", "document_type", "department")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound("Không tìm thấy văn bản đi.")
    return found


@router.get(
    "/export/{outgoing_id}",
    response={200: None},
    summary="Tải gói tin edXML của văn bản đi đã ban hành",
    description="Trả về tệp XML (QCVN 102:2016) có bản ký số và tệp đính kèm (base64).",
)
def export_package(request: HttpRequest, outgoing_id: int) -> HttpResponse:
    user: Any = request.auth  # type: ignore[attr-defined]
    filename, data = services.edxml_export(document=_outgoing(user, outgoing_id), user=user)
    return _xml(filename, data)


@router.get(
    "/status/{incoming_id}",
    response={200: None},
    summary="Tải gói tin trạng thái gửi cơ quan gửi văn bản",
    description="Mã trạng thái theo tình trạng văn bản: 03 đã vào sổ, 04 đã phân công, "
    "05 đang xử lý, 06 hoàn thành, 15 đồng ý thu hồi.",
)
def status_message(request: HttpRequest, incoming_id: int) -> HttpResponse:
    user: Any = request.auth  # type: ignore[attr-defined]
    document = selectors.incoming_get(user, incoming_id)
    filename, data = services.edxml_status(document=document, user=user)
    return _xml(filename, data)
