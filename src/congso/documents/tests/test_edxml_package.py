"""edXML build/parse (QCVN 102:2016): round trip, envelope shape, code lists, errors, XXE."""

from __future__ import annotations

import base64
import datetime as dt
import uuid

import pytest
from lxml import etree

from congso.documents.edxml import (
    NS,
    NS_LEGACY,
    Attachment,
    BusinessDocType,
    EdxmlPackage,
    Organ,
    ResponseFor,
    StatusCode,
    StatusMessage,
    build_package,
    build_status,
    parse_package,
    parse_status,
)
from congso.documents.edxml.parser import MAX_ATTACHMENTS
from congso.documents.models import Urgency
from congso.documents.textpdf import Line, render
from congso.kernel.errors import DomainError

PDF = render([Line("Công văn thử nghiệm trao đổi edXML", 14, "center")], title="Thử")
APPENDIX = render([Line("Phụ lục: danh sách hộ dân"), Line("1. Nguyễn Văn A, tổ 5")])


def _package(**overrides: object) -> EdxmlPackage:
    values: dict[str, object] = {
        "sender": Organ(
            org_id="H26.90.01-DEMO",
            name="Sở Xây dựng Hà Nội (mẫu)",
            in_charge="Ủy ban nhân dân thành phố Hà Nội",
            address="52 Lê Đại Hành, Hà Nội",
            email="vanthu@sxd.demo.invalid",
            telephone="024 0000 0000",
        ),
        "recipients": [
            Organ(org_id="H26.103-DEMO", name="Ủy ban nhân dân phường Tây Hồ"),
            Organ(org_id="H26.091-DEMO", name="Ủy ban nhân dân phường Phú Thượng"),
        ],
        "code_number": "1234",
        "code_notation": "SXD-TTr",
        "promulgation_date": dt.date(2026, 3, 9),
        "promulgation_place": "Hà Nội",
        "type_code": 18,
        "type_name": "Công văn",
        "subject": "V/v triển khai kế hoạch kiểm tra trật tự xây dựng trên địa bàn phường năm 2026",
        "content": "Sở Xây dựng đề nghị UBND các phường triển khai kế hoạch kiểm tra.",
        "signer_competence": "KT.",
        "signer_position": "Phó Giám đốc",
        "signer_name": "Trần Văn Mẫu",
        "due_date": dt.date(2026, 3, 31),
        "to_places": ["Như trên", "Lưu: VT, TTr"],
        "priority": 2,
        "promulgation_amount": 5,
        "page_amount": 2,
        "appendixes": ["Phụ lục danh sách công trình"],
        "steering_type": 1,
        "staff_department": "Văn phòng Sở",
        "staff_name": "Lê Thị Văn Thư",
        "attachments": [
            Attachment("1234-SXD-TTr.pdf", "application/pdf", PDF, "Văn bản", str(uuid.uuid4())),
            Attachment("phu-luc.pdf", "application/pdf", APPENDIX, "Phụ lục", str(uuid.uuid4())),
        ],
    }
    values.update(overrides)
    return EdxmlPackage(**values)  # type: ignore[arg-type]


def _fields(pkg: EdxmlPackage) -> dict[str, object]:
    data = dict(vars(pkg))
    data.pop("trace")  # the builder adds a trace entry with the time of building
    data["document_id"] = pkg.effective_document_id()
    return data


def test_round_trip_keeps_metadata_and_attachment_bytes() -> None:
    original = _package()
    parsed = parse_package(build_package(original))
    assert _fields(parsed) == _fields(original)
    assert [a.data for a in parsed.attachments] == [PDF, APPENDIX]
    assert parsed.notation == "1234/SXD-TTr"
    assert parsed.urgency == Urgency.VERY_URGENT
    assert parsed.document_id == "H26.90.01-DEMO,2026/03/09,1234/SXD-TTr"
    assert parsed.trace and parsed.trace[0].org_id == "H26.90.01-DEMO"
    assert parsed.trace[0].timestamp is not None


def test_envelope_shape_prefixes_and_attachments_outside() -> None:
    data = build_package(_package())
    text = data.decode("utf-8")
    assert text.startswith("<?xml")
    root = etree.fromstring(data)
    assert root.tag == f"{{{NS}}}edXML"
    envelope, encoded = list(root)
    assert envelope.tag == f"{{{NS}}}edXMLEnvelope"
    assert envelope.prefix == "edXML"
    # Every element of the envelope carries the edXML: prefix (the .NET validator's rule).
    assert all(el.prefix == "edXML" for el in envelope.iter() if isinstance(el.tag, str))
    # AttachmentEncoded: outside the envelope, without a prefix.
    assert encoded.tag == f"{{{NS}}}AttachmentEncoded" and encoded.prefix is None
    assert "<AttachmentEncoded><Attachment>" in text
    header = envelope[0]
    names = [etree.QName(el).localname for el in header]
    assert names == ["MessageHeader", "TraceHeaderList", "DigitalSignature"]
    message = header[0]
    order = [etree.QName(el).localname for el in message]
    assert order[:4] == ["From", "To", "To", "Code"]
    assert order[-2:] == ["SteeringType", "DocumentId"]
    assert message.find(f"{{{NS}}}PromulgationInfo/{{{NS}}}PromulgationDate").text == "2026/03/09"
    assert message.find(f"{{{NS}}}DueDate").text == "2026/03/31"
    other = message.find(f"{{{NS}}}OtherInfo")
    assert other.find(f"{{{NS}}}Priority").text == "2"
    assert other.find(f"{{{NS}}}PageAmount").text == "2"
    assert other.find(f"{{{NS}}}PromulgationAmount").text == "5"
    trace = header[1]
    assert trace.get("mustUnderstand") == "1"
    business = trace.find(f"{{{NS}}}Bussiness")
    assert business.find(f"{{{NS}}}BussinessDocType").text == "0"
    timestamp = trace.find(f"{{{NS}}}TraceHeader/{{{NS}}}Timestamp").text
    dt.datetime.strptime(timestamp, "%Y/%m/%d %H:%M:%S")
    refs = envelope.findall(f"{{{NS}}}edXMLBody/{{{NS}}}edXMLManifest/{{{NS}}}Reference")
    attachments = encoded.findall(f"{{{NS}}}Attachment")
    assert len(refs) == len(attachments) == 2
    for ref, att in zip(refs, attachments, strict=True):
        cid = att.find(f"{{{NS}}}ContentId").text
        uuid.UUID(cid)
        assert ref.get("{http://www.w3.org/1999/xlink}href") == f"cid:{cid}"
        assert ref.find(f"{{{NS}}}ContentId").text == f"cid:{cid}"
        payload = att.find(f"{{{NS}}}ContentTransferEncoded").text
        assert base64.b64decode(payload)[:5] == b"%PDF-"


def test_recall_package_round_trip() -> None:
    pkg = _package(business_doc_type=BusinessDocType.RECALL, business_doc_reason="Sai thể thức")
    parsed = parse_package(build_package(pkg))
    assert parsed.is_recall and parsed.business_doc_reason == "Sai thể thức"


@pytest.mark.parametrize(
    ("priority", "urgency"),
    [
        (0, Urgency.NORMAL),
        (1, Urgency.URGENT),
        (2, Urgency.VERY_URGENT),
        (3, Urgency.FLASH),
        (4, Urgency.FLASH),
    ],
)
def test_priority_maps_to_urgency(priority: int, urgency: int) -> None:
    assert parse_package(build_package(_package(priority=priority))).urgency == urgency


def test_legacy_namespace_is_accepted() -> None:
    data = build_package(_package()).replace(NS.encode(), NS_LEGACY.encode())
    parsed = parse_package(data)
    assert parsed.namespace == NS_LEGACY
    assert parsed.notation == "1234/SXD-TTr"
    assert [a.data for a in parsed.attachments] == [PDF, APPENDIX]


def test_other_date_formats_are_read() -> None:
    data = build_package(_package()).replace(b">2026/03/09<", b">09/03/2026<")
    assert parse_package(data).promulgation_date == dt.date(2026, 3, 9)


def _error(data: bytes) -> DomainError:
    with pytest.raises(DomainError) as info:
        parse_package(data)
    return info.value


def test_truncated_package_is_not_xml() -> None:
    data = build_package(_package())
    assert _error(data[: len(data) // 2]).code == "edxml_not_xml"
    assert _error(b"").code == "edxml_not_xml"
    assert _error(PDF).code == "edxml_not_xml"


def test_wrong_root_and_namespace_are_refused() -> None:
    error = _error(b"<?xml version='1.0'?><invoice><total>5</total></invoice>")
    assert error.code == "edxml_invalid"
    assert "edXML" in error.message
    wrong_ns = build_package(_package()).replace(NS.encode(), b"urn:example:other")
    assert _error(wrong_ns).code == "edxml_invalid"
    status = build_status(_status())
    assert _error(status).code == "edxml_invalid"


@pytest.mark.parametrize(
    ("tag", "field"),
    [
        ("Code", "Code"),
        ("CodeNumber", "Code/CodeNumber"),
        ("Subject", "Subject"),
        ("From", "From"),
        ("PromulgationDate", "PromulgationInfo/PromulgationDate"),
    ],
)
def test_missing_field_is_named(tag: str, field: str) -> None:
    root = etree.fromstring(build_package(_package()))
    element = next(root.iter(f"{{{NS}}}{tag}"))
    element.getparent().remove(element)
    error = _error(etree.tostring(root))
    assert error.code == "edxml_missing_field"
    assert error.details == {"field": field}
    assert "thiếu trường bắt buộc" in error.message


def test_bad_values_are_refused_with_the_field() -> None:
    data = build_package(_package())
    bad_date = data.replace(b">2026/03/09<", b">2026/13/45<")
    error = _error(bad_date)
    assert error.code == "edxml_invalid"
    assert error.details["field"] == "PromulgationInfo/PromulgationDate"
    bad_priority = data.replace(b"<edXML:Priority>2<", b"<edXML:Priority>9<")
    assert _error(bad_priority).details["field"] == "OtherInfo/Priority"


def test_bad_base64_is_an_attachment_error() -> None:
    root = etree.fromstring(build_package(_package()))
    payload = next(root.iter(f"{{{NS}}}ContentTransferEncoded"))
    payload.text = "%%%not base64%%%"
    error = _error(etree.tostring(root))
    assert error.code == "edxml_attachment_invalid"
    assert error.details["attachment"] == "1234-SXD-TTr.pdf"


def test_manifest_reference_without_content_is_refused() -> None:
    root = etree.fromstring(build_package(_package()))
    attachment = next(root.iter(f"{{{NS}}}Attachment"))
    attachment.getparent().remove(attachment)
    error = _error(etree.tostring(root))
    assert error.code == "edxml_attachment_invalid"
    assert "1234-SXD-TTr.pdf" in error.message


def test_too_many_attachments_are_refused() -> None:
    many = [Attachment(f"{i}.pdf", "application/pdf", PDF) for i in range(MAX_ATTACHMENTS + 1)]
    assert _error(build_package(_package(attachments=many))).code == "edxml_attachment_invalid"


def test_size_limit() -> None:
    data = build_package(_package())
    with pytest.raises(DomainError) as info:
        parse_package(data, max_bytes=len(data) - 1)
    assert info.value.code == "edxml_too_large" and info.value.status == 413


XXE_FILE = b"""<?xml version="1.0"?>
<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">
<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXML:edXMLHeader>
<edXML:MessageHeader><edXML:From><edXML:OrganName>X</edXML:OrganName></edXML:From>
<edXML:Code><edXML:CodeNumber>1</edXML:CodeNumber><edXML:CodeNotation>A-B</edXML:CodeNotation>
</edXML:Code><edXML:PromulgationInfo><edXML:PromulgationDate>2026/01/01</edXML:PromulgationDate>
</edXML:PromulgationInfo><edXML:DocumentType><edXML:Type>18</edXML:Type></edXML:DocumentType>
<edXML:Subject>&xxe;</edXML:Subject></edXML:MessageHeader></edXML:edXMLHeader>
</edXML:edXMLEnvelope></edXML>"""

XXE_PARAMETER = b"""<?xml version="1.0"?>
<!DOCTYPE edXML [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"/>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&lol3;</edXML>"""


@pytest.mark.parametrize("payload", [XXE_FILE, XXE_PARAMETER, BILLION_LAUGHS])
def test_entities_and_doctypes_are_refused(payload: bytes) -> None:
    error = _error(payload)
    assert error.code in {"edxml_invalid", "edxml_not_xml"}
    assert "root:" not in repr(error.as_dict())  # nothing of /etc/passwd leaks


def test_xxe_never_resolved_even_below_the_doctype_check() -> None:
    """The parser itself does not resolve entities (defence in depth under the DOCTYPE rule)."""
    from congso.documents.edxml.parser import _xml_parser

    root = etree.fromstring(XXE_FILE, parser=_xml_parser())
    subject = next(root.iter(f"{{{NS}}}Subject"))
    assert "root:" not in etree.tostring(subject).decode()


# --- status messages -------------------------------------------------------------------------


def _status(code: StatusCode = StatusCode.ACCEPTED) -> StatusMessage:
    return StatusMessage(
        response_for=ResponseFor(
            org_id="H26.90.01-DEMO",
            code="1234/SXD-TTr",
            promulgation_date=dt.date(2026, 3, 9),
            document_id="H26.90.01-DEMO,2026/03/09,1234/SXD-TTr",
        ),
        sender=Organ(org_id="H26.103-DEMO", name="Ủy ban nhân dân phường Tây Hồ"),
        status_code=code,
        timestamp=dt.datetime(2026, 3, 10, 8, 30, 5, tzinfo=dt.timezone(dt.timedelta(hours=7))),
        description="Đã vào sổ văn bản đến số 15/2026",
        staff_department="Văn phòng HĐND-UBND",
        staff_name="Văn thư",
    )


@pytest.mark.parametrize("code", list(StatusCode))
def test_status_round_trip_for_every_code(code: StatusCode) -> None:
    status = _status(code)
    data = build_status(status)
    root = etree.fromstring(data)
    element = next(root.iter(f"{{{NS}}}Status"))
    assert element.prefix == "edXML"
    assert element.find(f"{{{NS}}}StatusCode").text == code.value
    assert element.find(f"{{{NS}}}Timestamp").text == "2026/03/10 08:30:05"
    parsed = parse_status(data)
    assert parsed.status_code == code
    assert parsed.response_for == status.response_for
    assert parsed.sender == status.sender
    assert parsed.description == status.description
    assert parsed.staff_name == "Văn thư"
    assert parsed.timestamp == status.timestamp


def test_status_errors() -> None:
    data = build_status(_status())
    with pytest.raises(DomainError) as info:
        parse_status(data.replace(b">03<", b">99<"))
    assert info.value.code == "edxml_invalid"
    with pytest.raises(DomainError) as info:
        parse_status(build_package(_package()))
    assert info.value.code == "edxml_missing_field"
    with pytest.raises(DomainError) as info:
        parse_status(data[:50])
    assert info.value.code == "edxml_not_xml"


# --- shipped samples -------------------------------------------------------------------------


def test_shipped_samples_are_what_the_builder_makes_and_parse() -> None:
    from congso.documents.edxml.samples import HERE, build_samples

    built = build_samples()
    assert len(built) == 4
    for name, data in built.items():
        assert (HERE / name).read_bytes() == data, f"{name}: run samples.write"
    letter = parse_package(built["01-cong-van-so-xay-dung.edxml"])
    assert letter.notation == "1234/SXD-TTr" and len(letter.attachments) == 2
    assert letter.sender.org_id.endswith("-DEMO")
    decision = parse_package(built["02-quyet-dinh-hoa-toc-hen-gio.edxml"])
    assert decision.priority == 4 and decision.urgency == Urgency.FLASH
    recall = parse_package(built["03-thu-hoi-cong-van.edxml"])
    assert recall.is_recall and recall.document_id == letter.document_id
    status = parse_status(built["04-trang-thai-da-vao-so.edxml"])
    assert status.status_code == StatusCode.ACCEPTED
    assert status.response_for.document_id == letter.document_id
