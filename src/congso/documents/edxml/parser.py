"""Parse edXML packages and status messages, safely and with clear errors.

Safety: the XML parser never resolves entities, never loads a DTD, never touches the network
and keeps libxml2's size limits (``huge_tree`` off); a document that declares a DOCTYPE at all
is refused. Robustness: elements are matched by local name in the QCVN 102:2016 namespace, the
older ``http://www.go.vn/eDoc`` namespace, or no namespace; dates in ``yyyy/MM/dd`` (the
standard), ``yyyy-MM-dd`` or ``dd/MM/yyyy``.

Errors are ``DomainError`` with stable codes: ``edxml_not_xml`` (not well-formed, empty,
truncated), ``edxml_invalid`` (wrong root, DOCTYPE, bad value), ``edxml_missing_field``
(``details["field"]`` names it), ``edxml_attachment_invalid``, ``edxml_too_large``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
import unicodedata
from collections.abc import Iterator

from django.utils import timezone
from lxml import etree
from lxml.etree import _Element

from congso.documents.edxml.codes import (
    ACCEPTED_NAMESPACES,
    NS,
    SOAP_ENV_NS,
    XLINK_NS,
    BusinessDocType,
    Priority,
    StatusCode,
)
from congso.documents.edxml.package import (
    Attachment,
    EdxmlPackage,
    Organ,
    ResponseFor,
    StatusMessage,
    TraceEntry,
)
from congso.kernel.errors import DomainError

#: At most this many attachments in one package.
MAX_ATTACHMENTS = 50

_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})"), ("y", "m", "d")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})"), ("d", "m", "y")),
)
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")

# Labels for people, by field path.
FIELD_LABELS = {
    "MessageHeader": "phần đầu gói tin (MessageHeader)",
    "From": "cơ quan gửi (From)",
    "From/OrganName": "tên cơ quan gửi (From/OrganName)",
    "Code": "số, ký hiệu văn bản (Code)",
    "Code/CodeNumber": "số văn bản (Code/CodeNumber)",
    "Code/CodeNotation": "ký hiệu văn bản (Code/CodeNotation)",
    "PromulgationInfo": "thông tin ban hành (PromulgationInfo)",
    "PromulgationInfo/PromulgationDate": "ngày ban hành (PromulgationDate)",
    "DocumentType": "loại văn bản (DocumentType)",
    "Subject": "trích yếu (Subject)",
    "ResponseFor": "văn bản được phản hồi (ResponseFor)",
    "StatusCode": "mã trạng thái (StatusCode)",
    "Status": "gói tin trạng thái (edXML:Status)",
}


# --- errors ----------------------------------------------------------------------------------


def _not_xml(reason: str) -> DomainError:
    return DomainError(
        "edxml_not_xml",
        "Tệp không phải là gói tin edXML hợp lệ: nội dung không phải XML đúng cú pháp "
        "(tệp hỏng, bị cắt cụt hoặc không phải XML).",
        details={"reason": reason[:300]},
    )


def _invalid(message: str, **details: object) -> DomainError:
    return DomainError("edxml_invalid", f"Gói tin edXML không hợp lệ: {message}", details=details)


def _missing(path: str) -> DomainError:
    label = FIELD_LABELS.get(path, path)
    return DomainError(
        "edxml_missing_field",
        f"Gói tin edXML thiếu trường bắt buộc: {label}.",
        details={"field": path},
    )


def _attachment_invalid(message: str, **details: object) -> DomainError:
    return DomainError(
        "edxml_attachment_invalid",
        f"Tệp đính kèm trong gói tin không hợp lệ: {message}",
        details=details,
    )


# --- XML -------------------------------------------------------------------------------------


def _xml_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_pis=True,
        remove_comments=True,
        collect_ids=False,
    )


def parse_xml(data: bytes, *, max_bytes: int | None = None) -> _Element:
    """The root element of ``data``, parsed safely (see the module docstring)."""
    if not isinstance(data, bytes | bytearray):
        raise _not_xml("not bytes")
    if max_bytes is not None and len(data) > max_bytes:
        raise DomainError(
            "edxml_too_large",
            f"Gói tin edXML vượt quá dung lượng cho phép ({max_bytes // (1024 * 1024)} MB).",
            details={"max_bytes": max_bytes},
            status=413,
        )
    if not bytes(data).strip():
        raise _not_xml("empty")
    try:
        root = etree.fromstring(bytes(data), parser=_xml_parser())  # the safe parser above
    except etree.XMLSyntaxError as exc:
        text = str(exc)
        if "huge" in text.lower() or "too long" in text.lower():
            raise _attachment_invalid(
                "một phần của gói tin vượt quá giới hạn đọc an toàn (khoảng 7 MB mỗi tệp "
                "đính kèm). Hãy gửi các tệp lớn qua kênh khác.",
                reason=text[:300],
            ) from exc
        raise _not_xml(text) from exc
    if root is None:
        raise _not_xml("no root element")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise _invalid("gói tin có khai báo DOCTYPE hoặc thực thể (không được phép).")
    return root


def _nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


class _Reader:
    """Element lookups by local name within the accepted namespaces."""

    def __init__(self, namespaces: frozenset[str]):
        self.namespaces = namespaces

    def ok(self, element: object, name: str) -> bool:
        if not isinstance(element, _Element) or not isinstance(element.tag, str):
            return False
        qname = etree.QName(element)
        return qname.localname == name and (qname.namespace or "") in self.namespaces

    def children(self, parent: _Element | None, name: str) -> list[_Element]:
        if parent is None:
            return []
        return [child for child in parent if self.ok(child, name)]

    def child(self, parent: _Element | None, name: str) -> _Element | None:
        found = self.children(parent, name)
        return found[0] if found else None

    def text(self, parent: _Element | None, name: str) -> str:
        element = self.child(parent, name)
        return _nfc(element.text) if element is not None else ""

    def require(self, parent: _Element | None, name: str, path: str) -> _Element:
        element = self.child(parent, name)
        if element is None:
            raise _missing(path)
        return element

    def require_text(self, parent: _Element | None, name: str, path: str) -> str:
        text = self.text(parent, name)
        if not text:
            raise _missing(path)
        return text

    def descendants(self, root: _Element, name: str) -> Iterator[_Element]:
        for element in root.iter():
            if self.ok(element, name):
                yield element


def _date(text: str, path: str) -> dt.date | None:
    if not text:
        return None
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return dt.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                break
    raise _invalid(f"ngày không hợp lệ ở trường {path}: {text[:40]!r}.", field=path)


def _timestamp(text: str) -> dt.datetime | None:
    """A timestamp in Vietnam time; ``None`` when absent or unreadable (traces are advisory)."""
    if not text:
        return None
    try:
        day = _date(text, "Timestamp")
    except DomainError:
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
        return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
    if day is None:
        return None
    hour = minute = second = 0
    match = _TIME.search(text[8:])
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        second = int(match.group(3) or 0)
    try:
        naive = dt.datetime(day.year, day.month, day.day, hour, minute, second)
    except ValueError:
        return None
    return timezone.make_aware(naive)


def _int(text: str, path: str, *, allowed: range | None = None) -> int | None:
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        message = f"giá trị không phải số ở trường {path}: {text[:20]!r}."
        raise _invalid(message, field=path) from None
    if allowed is not None and value not in allowed:
        raise _invalid(f"giá trị {value} không có trong danh mục của trường {path}.", field=path)
    return value


def _organ(reader: _Reader, element: _Element | None) -> Organ:
    return Organ(
        org_id=reader.text(element, "OrganId"),
        name=reader.text(element, "OrganName"),
        in_charge=reader.text(element, "OrganizationInCharge"),
        address=reader.text(element, "OrganAdd"),
        email=reader.text(element, "Email"),
        telephone=reader.text(element, "Telephone"),
        fax=reader.text(element, "Fax"),
        website=reader.text(element, "Website"),
    )


def _response_for(reader: _Reader, element: _Element | None) -> ResponseFor | None:
    if element is None:
        return None
    return ResponseFor(
        org_id=reader.text(element, "OrganId"),
        code=reader.text(element, "Code"),
        promulgation_date=_date(
            reader.text(element, "PromulgationDate"), "ResponseFor/PromulgationDate"
        ),
        document_id=reader.text(element, "DocumentId"),
    )


def _strip_cid(value: str) -> str:
    value = value.strip()
    if value.lower().startswith("cid:"):
        value = value[4:]
    return value.strip("<> ")


def _decode(text: str, name: str) -> bytes:
    compact = "".join(text.split())
    if not compact:
        raise _attachment_invalid(f"tệp '{name}' không có nội dung.", attachment=name)
    try:
        data = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise _attachment_invalid(
            f"nội dung tệp '{name}' không phải base64 hợp lệ.", attachment=name
        ) from None
    if not data:
        raise _attachment_invalid(f"tệp '{name}' không có nội dung.", attachment=name)
    return data


def _attachments(reader: _Reader, root: _Element, envelope: _Element) -> list[Attachment]:
    body = reader.child(envelope, "edXMLBody")
    manifest = reader.child(body, "edXMLManifest")
    references: dict[str, _Element] = {}
    for reference in reader.children(manifest, "Reference"):
        cid = _strip_cid(
            reader.text(reference, "ContentId") or reference.get(f"{{{XLINK_NS}}}href", "")
        )
        if cid:
            references[cid] = reference
    encoded_blocks = reader.children(root, "AttachmentEncoded") or reader.children(
        envelope, "AttachmentEncoded"
    )
    items = [a for block in encoded_blocks for a in reader.children(block, "Attachment")]
    if len(items) > MAX_ATTACHMENTS:
        raise _attachment_invalid(
            f"gói tin có {len(items)} tệp, tối đa {MAX_ATTACHMENTS}.", count=len(items)
        )
    out: list[Attachment] = []
    seen: set[str] = set()
    for index, item in enumerate(items, start=1):
        cid = _strip_cid(reader.text(item, "ContentId"))
        reference = references.get(cid) if cid else None
        name = reader.text(item, "AttachmentName") or reader.text(reference, "AttachmentName")
        if not name:
            raise _attachment_invalid(f"tệp thứ {index} không có tên.", index=index)
        if cid and cid in seen:
            raise _attachment_invalid(f"mã tệp '{cid}' lặp lại.", content_id=cid)
        seen.add(cid)
        data = _decode(reader.text(item, "ContentTransferEncoded"), name)
        content_type = (
            reader.text(item, "ContentType")
            or reader.text(reference, "ContentType")
            or "application/octet-stream"
        )
        out.append(
            Attachment(
                name=name,
                content_type=content_type,
                data=data,
                description=(
                    reader.text(item, "Description") or reader.text(reference, "Description")
                ),
                content_id=cid,
            )
        )
    missing = sorted(set(references) - seen)
    if missing:
        names = ", ".join(reader.text(references[cid], "AttachmentName") or cid for cid in missing)
        raise _attachment_invalid(
            f"danh mục gói tin có tệp nhưng gói không chứa nội dung: {names}.", missing=missing
        )
    return out


def _namespaces(root: _Element) -> frozenset[str]:
    namespace = etree.QName(root).namespace or ""
    if namespace not in ACCEPTED_NAMESPACES:
        raise _invalid(
            f"không đúng không gian tên của QCVN 102:2016 (nhận được {namespace or 'không có'}).",
            namespace=namespace,
        )
    return frozenset({namespace, ""})


def parse_package(data: bytes, *, max_bytes: int | None = None) -> EdxmlPackage:
    """Read a document package; raise ``DomainError`` (codes above) when it is not usable."""
    root = parse_xml(data, max_bytes=max_bytes)
    local = etree.QName(root).localname
    if local not in {"edXML", "edXMLEnvelope"}:
        if local in {"Envelope", "Status"}:
            raise _invalid("đây là gói tin trạng thái, không phải gói tin văn bản.", root=local)
        raise _invalid(f"phần tử gốc phải là edXML, không phải {local!r}.", root=local)
    reader = _Reader(_namespaces(root))
    if local == "edXML":
        envelope = reader.child(root, "edXMLEnvelope")
        if envelope is None:
            raise _missing("edXMLEnvelope")
    else:
        envelope = root
    header = reader.require(envelope, "edXMLHeader", "edXMLHeader")
    message = reader.require(header, "MessageHeader", "MessageHeader")

    sender_el = reader.require(message, "From", "From")
    sender = _organ(reader, sender_el)
    if not sender.name:
        raise _missing("From/OrganName")
    recipients = [_organ(reader, el) for el in reader.children(message, "To")]
    code = reader.require(message, "Code", "Code")
    code_number = reader.require_text(code, "CodeNumber", "Code/CodeNumber")
    code_notation = reader.require_text(code, "CodeNotation", "Code/CodeNotation")
    promulgation = reader.require(message, "PromulgationInfo", "PromulgationInfo")
    promulgation_date = _date(
        reader.require_text(promulgation, "PromulgationDate", "PromulgationInfo/PromulgationDate"),
        "PromulgationInfo/PromulgationDate",
    )
    assert promulgation_date is not None
    doc_type = reader.require(message, "DocumentType", "DocumentType")
    type_code = _int(reader.text(doc_type, "Type"), "DocumentType/Type")
    type_name = reader.text(doc_type, "TypeName")
    if type_code is None and not type_name:
        raise _missing("DocumentType")
    subject = reader.require_text(message, "Subject", "Subject")
    signer = reader.child(message, "SignerInfo")
    other = reader.child(message, "OtherInfo")
    priority = _int(
        reader.text(other, "Priority"),
        "OtherInfo/Priority",
        allowed=range(int(Priority.NORMAL), int(Priority.FLASH_TIMED) + 1),
    )
    steering = _int(reader.text(message, "SteeringType"), "SteeringType", allowed=range(0, 3))

    trace_list = reader.child(header, "TraceHeaderList")
    trace = [
        TraceEntry(
            org_id=reader.text(el, "OrganId"), timestamp=_timestamp(reader.text(el, "Timestamp"))
        )
        for el in reader.children(trace_list, "TraceHeader")
    ]
    business = reader.child(trace_list, "Bussiness")
    staff = reader.child(business, "StaffInfo")
    business_type = _int(
        reader.text(business, "BussinessDocType"),
        "Bussiness/BussinessDocType",
        allowed=range(int(BusinessDocType.NEW), int(BusinessDocType.REPLACE) + 1),
    )
    paper = reader.text(business, "Paper")

    return EdxmlPackage(
        sender=sender,
        recipients=recipients,
        code_number=code_number,
        code_notation=code_notation,
        promulgation_date=promulgation_date,
        promulgation_place=reader.text(promulgation, "Place"),
        type_code=type_code if type_code is not None else 0,
        type_name=type_name,
        type_detail=reader.text(doc_type, "TypeDetail"),
        subject=subject,
        content=reader.text(message, "Content"),
        signer_competence=reader.text(signer, "Competence"),
        signer_position=reader.text(signer, "Position"),
        signer_name=reader.text(signer, "FullName"),
        due_date=_date(reader.text(message, "DueDate"), "DueDate"),
        to_places=[
            _nfc(el.text)
            for el in reader.children(reader.child(message, "ToPlaces"), "Place")
            if _nfc(el.text)
        ],
        priority=priority or 0,
        sphere_of_promulgation=reader.text(other, "SphereOfPromulgation"),
        typer_notation=reader.text(other, "TyperNotation"),
        promulgation_amount=_int(
            reader.text(other, "PromulgationAmount"), "OtherInfo/PromulgationAmount"
        ),
        page_amount=_int(reader.text(other, "PageAmount"), "OtherInfo/PageAmount"),
        appendixes=[
            _nfc(el.text)
            for el in reader.children(reader.child(other, "Appendixes"), "Appendix")
            if _nfc(el.text)
        ],
        response_for=_response_for(reader, reader.child(message, "ResponseFor")),
        steering_type=steering or 0,
        document_id=reader.text(message, "DocumentId") or reader.text(business, "DocumentId"),
        trace=trace,
        business_doc_type=business_type or 0,
        business_doc_reason=reader.text(business, "BussinessDocReason"),
        staff_department=reader.text(staff, "Department"),
        staff_name=reader.text(staff, "Staff"),
        staff_mobile=reader.text(staff, "Mobile"),
        staff_email=reader.text(staff, "Email"),
        paper=paper in {"1", "true", "True"},
        attachments=_attachments(reader, root, envelope),
        namespace=etree.QName(root).namespace or NS,
    )


def parse_status(data: bytes, *, max_bytes: int | None = None) -> StatusMessage:
    """Read a status message (``edXML:Status``, alone or inside a SOAP envelope)."""
    root = parse_xml(data, max_bytes=max_bytes)
    # Some gateways put edXML:Status in the SOAP namespace: accept it there too.
    reader = _Reader(ACCEPTED_NAMESPACES | {SOAP_ENV_NS, ""})
    status = next(reader.descendants(root, "Status"), None)
    if status is None:
        raise _missing("Status")
    code_text = reader.require_text(status, "StatusCode", "StatusCode")
    try:
        code = StatusCode(code_text.zfill(2))
    except ValueError:
        raise _invalid(
            f"mã trạng thái {code_text[:10]!r} không có trong danh mục.", field="StatusCode"
        ) from None
    response = _response_for(reader, reader.require(status, "ResponseFor", "ResponseFor"))
    assert response is not None
    if not (response.document_id or response.code):
        raise _missing("ResponseFor")
    timestamp = _timestamp(reader.text(status, "Timestamp")) or timezone.now()
    staff = reader.child(status, "StaffInfo")
    namespace = etree.QName(status).namespace or NS
    return StatusMessage(
        response_for=response,
        sender=_organ(reader, reader.child(status, "From")),
        status_code=code,
        timestamp=timestamp,
        description=reader.text(status, "Description"),
        staff_department=reader.text(staff, "Department"),
        staff_name=reader.text(staff, "Staff"),
        namespace=namespace if namespace in ACCEPTED_NAMESPACES else NS,
    )
