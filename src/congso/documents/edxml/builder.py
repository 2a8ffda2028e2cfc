"""Build edXML packages and status messages (QCVN 102:2016, vietnam-rules.md §4.1) with lxml.

Layout of a package::

    <edXML xmlns="…QCVN_102_2016">                         the root, default namespace
      <edXML:edXMLEnvelope xmlns:edXML="…QCVN_102_2016">   every envelope element prefixed
        <edXML:edXMLHeader> MessageHeader, TraceHeaderList, DigitalSignature
        <edXML:edXMLBody><edXML:edXMLManifest> Reference* (xlink:href="cid:<uuid>")
      </edXML:edXMLEnvelope>
      <AttachmentEncoded> Attachment* (base64)             outside the envelope, no prefix
    </edXML>
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable

from django.utils import timezone
from lxml import etree
from lxml.etree import _Element

from congso.documents.edxml.codes import (
    DATE_FORMAT,
    NS,
    SOAP_ACTOR,
    SOAP_ENV_NS,
    TIMESTAMP_FORMAT,
    XLINK_NS,
    XSD_NS,
    XSI_NS,
)
from congso.documents.edxml.package import (
    Attachment,
    EdxmlPackage,
    Organ,
    ResponseFor,
    StatusMessage,
    TraceEntry,
)

_E = f"{{{NS}}}"


def _fmt_date(day: dt.date | None) -> str:
    return day.strftime(DATE_FORMAT) if day else ""


def _fmt_timestamp(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime(TIMESTAMP_FORMAT)


def _sub(parent: _Element, tag: str, text: str | int | None = None) -> _Element:
    element = etree.SubElement(parent, _E + tag)
    if text is not None and text != "":
        element.text = str(text)
    return element


def _organ(parent: _Element, tag: str, organ: Organ) -> _Element:
    element = _sub(parent, tag)
    _sub(element, "OrganId", organ.org_id)
    _sub(element, "OrganizationInCharge", organ.in_charge)
    _sub(element, "OrganName", organ.name)
    _sub(element, "OrganAdd", organ.address)
    _sub(element, "Email", organ.email)
    _sub(element, "Telephone", organ.telephone)
    _sub(element, "Fax", organ.fax)
    _sub(element, "Website", organ.website)
    return element


def _response_for(parent: _Element, response: ResponseFor) -> None:
    element = _sub(parent, "ResponseFor")
    _sub(element, "OrganId", response.org_id)
    _sub(element, "Code", response.code)
    _sub(element, "PromulgationDate", _fmt_date(response.promulgation_date))
    _sub(element, "DocumentId", response.document_id)


def _with_content_ids(attachments: Iterable[Attachment]) -> list[Attachment]:
    out = []
    for attachment in attachments:
        content_id = attachment.content_id or str(uuid.uuid4())
        out.append(
            Attachment(
                name=attachment.name,
                content_type=attachment.content_type or "application/octet-stream",
                data=attachment.data,
                description=attachment.description,
                content_id=content_id,
            )
        )
    return out


def _message_header(header: _Element, pkg: EdxmlPackage) -> None:
    message = _sub(header, "MessageHeader")
    _organ(message, "From", pkg.sender)
    for recipient in pkg.recipients:
        _organ(message, "To", recipient)
    code = _sub(message, "Code")
    _sub(code, "CodeNumber", pkg.code_number)
    _sub(code, "CodeNotation", pkg.code_notation)
    promulgation = _sub(message, "PromulgationInfo")
    _sub(promulgation, "Place", pkg.promulgation_place)
    _sub(promulgation, "PromulgationDate", _fmt_date(pkg.promulgation_date))
    doc_type = _sub(message, "DocumentType")
    _sub(doc_type, "Type", pkg.type_code)
    _sub(doc_type, "TypeName", pkg.type_name)
    _sub(doc_type, "TypeDetail", pkg.type_detail)
    _sub(message, "Subject", pkg.subject)
    _sub(message, "Content", pkg.content)
    signer = _sub(message, "SignerInfo")
    _sub(signer, "Competence", pkg.signer_competence)
    _sub(signer, "Position", pkg.signer_position)
    _sub(signer, "FullName", pkg.signer_name)
    _sub(message, "DueDate", _fmt_date(pkg.due_date))
    places = _sub(message, "ToPlaces")
    for place in pkg.to_places:
        _sub(places, "Place", place)
    other = _sub(message, "OtherInfo")
    _sub(other, "Priority", int(pkg.priority))
    _sub(other, "SphereOfPromulgation", pkg.sphere_of_promulgation)
    _sub(other, "TyperNotation", pkg.typer_notation)
    _sub(other, "PromulgationAmount", pkg.promulgation_amount)
    _sub(other, "PageAmount", pkg.page_amount)
    appendixes = _sub(other, "Appendixes")
    for appendix in pkg.appendixes:
        _sub(appendixes, "Appendix", appendix)
    if pkg.response_for is not None:
        _response_for(message, pkg.response_for)
    _sub(message, "SteeringType", int(pkg.steering_type))
    _sub(message, "DocumentId", pkg.effective_document_id())


def _trace_header_list(header: _Element, pkg: EdxmlPackage, now: dt.datetime) -> None:
    trace = _sub(header, "TraceHeaderList")
    # A short id of this trace list, stable for the same document and time (reproducible files).
    key = f"{pkg.effective_document_id()}|{_fmt_timestamp(now)}".encode()
    trace.set("id", hashlib.sha256(key).hexdigest()[:8])
    trace.set("version", "1.0")
    trace.set("mustUnderstand", "1")
    trace.set("actor", SOAP_ACTOR)
    entries = pkg.trace or [TraceEntry(org_id=pkg.sender.org_id, timestamp=now)]
    for entry in entries:
        element = _sub(trace, "TraceHeader")
        _sub(element, "OrganId", entry.org_id)
        _sub(element, "Timestamp", _fmt_timestamp(entry.timestamp))
    business = _sub(trace, "Bussiness")
    _sub(business, "BussinessDocType", int(pkg.business_doc_type))
    _sub(business, "BussinessDocReason", pkg.business_doc_reason)
    _sub(business, "DocumentId", pkg.effective_document_id())
    staff = _sub(business, "StaffInfo")
    _sub(staff, "Department", pkg.staff_department)
    _sub(staff, "Staff", pkg.staff_name)
    _sub(staff, "Mobile", pkg.staff_mobile)
    _sub(staff, "Email", pkg.staff_email)
    _sub(business, "Paper", 1 if pkg.paper else 0)


def build_package(pkg: EdxmlPackage, *, now: dt.datetime | None = None) -> bytes:
    """The package as UTF-8 bytes with an XML declaration."""
    now = now or timezone.now()
    attachments = _with_content_ids(pkg.attachments)
    root = etree.Element(_E + "edXML", nsmap={None: NS, "xsi": XSI_NS, "xsd": XSD_NS})
    envelope = etree.SubElement(root, _E + "edXMLEnvelope", nsmap={"edXML": NS})
    header = _sub(envelope, "edXMLHeader")
    _message_header(header, pkg)
    _trace_header_list(header, pkg, now)
    # The packages we send are not XML-signed: the PDF inside carries the PAdES signatures
    # (docs/edxml.md). The element is kept, empty, as the Government Office samples have it.
    _sub(header, "DigitalSignature")
    body = _sub(envelope, "edXMLBody")
    manifest = _sub(body, "edXMLManifest")
    manifest.set("version", "1.0")
    for attachment in attachments:
        reference = etree.SubElement(manifest, _E + "Reference", nsmap={"xlink": XLINK_NS})
        reference.set(f"{{{XLINK_NS}}}href", f"cid:{attachment.content_id}")
        reference.set(f"{{{XLINK_NS}}}role", "XLinkRole")
        reference.set(f"{{{XLINK_NS}}}type", "simple")
        _sub(reference, "Description", attachment.description)
        _sub(reference, "AttachmentName", attachment.name)
        _sub(reference, "ContentType", attachment.content_type)
        _sub(reference, "ContentId", f"cid:{attachment.content_id}")
    encoded = etree.SubElement(root, _E + "AttachmentEncoded")
    for attachment in attachments:
        element = etree.SubElement(encoded, _E + "Attachment")
        for tag, text in (
            ("ContentType", attachment.content_type),
            ("ContentId", attachment.content_id),
            ("Description", attachment.description),
            ("ContentTransferEncoded", base64.b64encode(attachment.data).decode("ascii")),
            ("AttachmentName", attachment.name),
        ):
            child = etree.SubElement(element, _E + tag)
            child.text = text or None
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def build_status(status: StatusMessage) -> bytes:
    """A status message: ``SOAP-ENV:Envelope/SOAP-ENV:Header/edXML:Status`` as the exchange
    gateways send them, in the QCVN 102:2016 namespace."""
    root = etree.Element(f"{{{SOAP_ENV_NS}}}Envelope", nsmap={"SOAP-ENV": SOAP_ENV_NS})
    header = etree.SubElement(root, f"{{{SOAP_ENV_NS}}}Header")
    element = etree.SubElement(header, _E + "Status", nsmap={"edXML": NS})
    _response_for(element, status.response_for)
    _organ(element, "From", status.sender)
    _sub(element, "StatusCode", str(status.status_code.value))
    _sub(element, "Description", status.description)
    _sub(element, "Timestamp", _fmt_timestamp(status.timestamp))
    staff = _sub(element, "StaffInfo")
    _sub(staff, "Department", status.staff_department)
    _sub(staff, "Staff", status.staff_name)
    etree.SubElement(root, f"{{{SOAP_ENV_NS}}}Body")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
