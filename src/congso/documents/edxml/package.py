"""The content of an edXML package and of a status message, as plain typed data.

The builder turns these into bytes and the parser turns bytes back into them, so that
``parse_package(build_package(p))`` gives ``p`` again (the round-trip test).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from congso.documents.edxml.codes import (
    DATE_FORMAT,
    NS,
    BusinessDocType,
    Priority,
    StatusCode,
    priority_to_urgency,
)


@dataclass(frozen=True)
class Organ:
    """An organisation as edXML names it (From, To, status senders)."""

    org_id: str = ""
    name: str = ""
    in_charge: str = ""
    address: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass(frozen=True)
class Attachment:
    """One file carried in ``AttachmentEncoded``: the signed PDF or an appendix."""

    name: str
    content_type: str
    data: bytes
    description: str = ""
    content_id: str = ""  # a uuid, without the "cid:" prefix

    def __repr__(self) -> str:  # keep test failures readable
        return f"Attachment({self.name!r}, {self.content_type!r}, {len(self.data)} bytes)"


@dataclass(frozen=True)
class TraceEntry:
    org_id: str
    timestamp: dt.datetime | None


@dataclass(frozen=True)
class ResponseFor:
    """The document a package or status message answers."""

    org_id: str = ""
    code: str = ""  # số/ký hiệu, e.g. "123/UBND-VP"
    promulgation_date: dt.date | None = None
    document_id: str = ""


def make_document_id(org_id: str, day: dt.date, notation: str) -> str:
    """DocumentId as ``<OrganId>,<yyyy/MM/dd>,<số/ký hiệu>`` (vietnam-rules.md §4.2: the
    issuer's code, the date and the notation; the shape of the Government Office samples)."""
    return f"{org_id},{day.strftime(DATE_FORMAT)},{notation}"


@dataclass
class EdxmlPackage:
    """A document package (gói tin văn bản): MessageHeader, TraceHeaderList, attachments."""

    sender: Organ
    code_number: str
    code_notation: str
    promulgation_date: dt.date
    subject: str
    recipients: list[Organ] = field(default_factory=list)
    promulgation_place: str = ""
    type_code: int = 18  # Art. 7 order: 18 = Công văn
    type_name: str = "Công văn"
    type_detail: str = ""
    content: str = ""
    signer_competence: str = ""  # TM., KT., Q., TL., TUQ. or ""
    signer_position: str = ""
    signer_name: str = ""
    due_date: dt.date | None = None
    to_places: list[str] = field(default_factory=list)
    priority: int = int(Priority.NORMAL)
    sphere_of_promulgation: str = ""
    typer_notation: str = ""
    promulgation_amount: int | None = None
    page_amount: int | None = None
    appendixes: list[str] = field(default_factory=list)
    response_for: ResponseFor | None = None
    steering_type: int = 0
    document_id: str = ""
    trace: list[TraceEntry] = field(default_factory=list)
    business_doc_type: int = int(BusinessDocType.NEW)
    business_doc_reason: str = ""
    staff_department: str = ""
    staff_name: str = ""
    staff_mobile: str = ""
    staff_email: str = ""
    paper: bool = False
    attachments: list[Attachment] = field(default_factory=list)
    namespace: str = NS  # the namespace the package was read in (NS or NS_LEGACY)

    @property
    def notation(self) -> str:
        """Số, ký hiệu as printed: "123/UBND-VP" (or only one part when the other is empty)."""
        if self.code_number and self.code_notation:
            return f"{self.code_number}/{self.code_notation}"
        return self.code_number or self.code_notation

    @property
    def urgency(self) -> int:
        return priority_to_urgency(self.priority)

    @property
    def is_recall(self) -> bool:
        return self.business_doc_type == BusinessDocType.RECALL

    def effective_document_id(self) -> str:
        return self.document_id or make_document_id(
            self.sender.org_id, self.promulgation_date, self.notation
        )


#: The parser's result (``edxml_parse``) is the same dataclass the builder takes.
ParsedPackage = EdxmlPackage


@dataclass
class StatusMessage:
    """A status message (gói tin trạng thái): the receiver tells the sender what happened."""

    response_for: ResponseFor
    sender: Organ  # who reports (the receiving committee)
    status_code: StatusCode
    timestamp: dt.datetime
    description: str = ""
    staff_department: str = ""
    staff_name: str = ""
    namespace: str = NS
