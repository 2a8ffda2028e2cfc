"""edXML services: import into the incoming register (all or nothing), recall, status messages,
export of an issued outgoing document, and a package travelling from one committee to another."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from lxml import etree

from congso.documents.edxml import (
    NS,
    Attachment,
    BusinessDocType,
    EdxmlPackage,
    Organ,
    StatusCode,
    build_package,
    parse_package,
    parse_status,
)
from congso.documents.models import (
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
    Urgency,
)
from congso.documents.services.edxml import (
    edxml_build,
    edxml_export,
    edxml_import,
    edxml_status,
)
from congso.documents.textpdf import Line, render
from congso.kernel.audit.models import AuditEvent
from congso.kernel.errors import DomainError, PermissionDenied
from congso.kernel.files.models import StoredFile
from congso.kernel.files.services import file_store
from congso.kernel.numbering.models import Sequence
from congso.kernel.orgunits.models import AdminUnit, Department
from congso.kernel.people.models import Role, User

PDF = render([Line("Công văn về việc kiểm tra trật tự xây dựng", 14, "center")], title="CV")
APPENDIX = render([Line("Phụ lục: danh sách công trình")])
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _package(**overrides: Any) -> EdxmlPackage:
    values: dict[str, Any] = {
        "sender": Organ(org_id="H26.90.01-DEMO", name="Sở Xây dựng Hà Nội (mẫu)"),
        "recipients": [Organ(org_id="H26.TEST.103", name="Ủy ban nhân dân phường Tây Hồ")],
        "code_number": "1234",
        "code_notation": "SXD-TTr",
        "promulgation_date": dt.date(2025, 3, 9),
        "type_code": 18,
        "type_name": "Công văn",
        "subject": "V/v triển khai kế hoạch kiểm tra trật tự xây dựng năm 2026",
        "signer_competence": "KT.",
        "signer_position": "Phó Giám đốc",
        "signer_name": "Trần Văn Mẫu",
        "due_date": dt.date(2025, 3, 31),
        "priority": 1,
        "page_amount": 1,
        "attachments": [
            Attachment("1234-SXD-TTr.pdf", "application/pdf", PDF),
            Attachment("phu-luc.pdf", "application/pdf", APPENDIX),
            Attachment("ghi-chu.txt", "text/plain", "Ghi chú kèm theo.".encode()),
        ],
    }
    values.update(overrides)
    return EdxmlPackage(**values)


@pytest.fixture
def clerk(ward_a: AdminUnit, make_user: Callable[..., User]) -> User:
    return make_user(Role.CLERK, ward_a, full_name="Hoàng Thị Văn Thư")


def _nothing_registered() -> None:
    assert IncomingDocument.objects.count() == 0
    assert StoredFile.objects.count() == 0
    assert EdxmlMessage.objects.count() == 0
    assert not Sequence.objects.filter(last__gt=0).exists()


def test_import_registers_with_arrival_number_and_files(ward_a: AdminUnit, clerk: User) -> None:
    data = build_package(_package())
    document = edxml_import(unit=ward_a, user=clerk, package_bytes=data)
    assert document.arrival_number == 1
    assert document.channel == Channel.EDXML
    assert document.notation == "1234/SXD-TTr"
    assert document.sender_name == "Sở Xây dựng Hà Nội (mẫu)"
    assert document.issued_date == dt.date(2025, 3, 9)
    assert document.reply_by == dt.date(2025, 3, 31)
    assert document.urgency == Urgency.URGENT
    assert document.signer_name == "Trần Văn Mẫu"
    assert document.signer_position == "KT. Phó Giám đốc"
    assert document.document_type.name == "Công văn"
    assert document.registered_by == clerk
    files = StoredFile.objects.filter(
        owner_type=ContentType.objects.get_for_model(IncomingDocument), owner_id=str(document.pk)
    ).order_by("pk")
    assert [f.original_name for f in files] == ["1234-SXD-TTr.pdf", "phu-luc.pdf", "ghi-chu.txt"]
    assert [f.kind for f in files] == ["pdf", "pdf", "text"]
    message = EdxmlMessage.objects.get()
    assert message.direction == EdxmlDirection.RECEIVED and message.kind == EdxmlKind.PACKAGE
    assert message.document_id == "H26.90.01-DEMO,2025/03/09,1234/SXD-TTr"
    assert message.incoming == document and message.peer_org_id == "H26.90.01-DEMO"
    assert AuditEvent.objects.filter(action="documents.edxml_import").count() == 1
    assert AuditEvent.objects.filter(action="documents.incoming_register").count() == 1


def test_same_package_twice_warns_then_registers_with_reason(
    ward_a: AdminUnit, clerk: User
) -> None:
    data = build_package(_package())
    edxml_import(unit=ward_a, user=clerk, package_bytes=data)
    with pytest.raises(DomainError) as info:
        edxml_import(unit=ward_a, user=clerk, package_bytes=data)
    assert info.value.code == "duplicate_suspected"
    assert IncomingDocument.objects.count() == 1
    again = edxml_import(
        unit=ward_a, user=clerk, package_bytes=data, duplicate_reason="Bản gửi lại có dấu đỏ"
    )
    assert again.arrival_number == 2 and again.duplicate_reason == "Bản gửi lại có dấu đỏ"


def _remove(data: bytes, tag: str) -> bytes:
    root = etree.fromstring(data)
    element = next(root.iter(f"{{{NS}}}{tag}"))
    element.getparent().remove(element)
    return bytes(etree.tostring(root))


def _bad_base64(data: bytes) -> bytes:
    root = etree.fromstring(data)
    next(root.iter(f"{{{NS}}}ContentTransferEncoded")).text = "không-phải-base64!!"
    return bytes(etree.tostring(root))


XXE = (
    b'<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&x;</edXML>'
)


@pytest.mark.parametrize(
    ("mangle", "code"),
    [
        (lambda d: d[: len(d) // 3], "edxml_not_xml"),
        (
            lambda d: d.replace(b"<edXML ", b"<Invoice ", 1).replace(b"</edXML>", b"</Invoice>"),
            "edxml_invalid",
        ),
        (lambda d: _remove(d, "Code"), "edxml_missing_field"),
        (_bad_base64, "edxml_attachment_invalid"),
        (lambda d: XXE, "edxml_invalid"),
    ],
    ids=["truncated", "wrong-root", "missing-code", "bad-base64", "xxe"],
)
def test_broken_packages_register_nothing(
    ward_a: AdminUnit, clerk: User, mangle: Callable[[bytes], bytes], code: str
) -> None:
    with pytest.raises(DomainError) as info:
        edxml_import(unit=ward_a, user=clerk, package_bytes=mangle(build_package(_package())))
    assert info.value.code == code
    assert info.value.message  # a sentence for the clerk
    _nothing_registered()


def test_refused_file_after_the_number_rolls_everything_back(
    ward_a: AdminUnit, clerk: User
) -> None:
    """A PNG named .pdf passes the parser but the files module refuses it, after the arrival
    number was taken: nothing stays, and the next import gets number 1 (no gap)."""
    bad = _package(
        attachments=[
            Attachment("van-ban.pdf", "application/pdf", PDF),
            Attachment("scan.pdf", "application/pdf", PNG),
        ]
    )
    with pytest.raises(DomainError) as info:
        edxml_import(unit=ward_a, user=clerk, package_bytes=build_package(bad))
    assert info.value.code == "file_type_mismatch"
    assert IncomingDocument.objects.count() == 0
    assert EdxmlMessage.objects.count() == 0
    assert StoredFile.objects.count() == 0
    document = edxml_import(unit=ward_a, user=clerk, package_bytes=build_package(_package()))
    assert document.arrival_number == 1


def test_package_without_a_pdf_is_refused(ward_a: AdminUnit, clerk: User) -> None:
    only_text = _package(attachments=[Attachment("a.txt", "text/plain", b"xin chao")])
    with pytest.raises(DomainError) as info:
        edxml_import(unit=ward_a, user=clerk, package_bytes=build_package(only_text))
    assert info.value.code == "edxml_attachment_invalid"
    _nothing_registered()


def test_only_clerks_import(
    ward_a: AdminUnit, ward_b: AdminUnit, make_user: Callable[..., User], clerk: User
) -> None:
    data = build_package(_package())
    specialist = make_user(Role.SPECIALIST, ward_a)
    with pytest.raises(PermissionDenied):
        edxml_import(unit=ward_a, user=specialist, package_bytes=data)
    with pytest.raises(PermissionDenied):
        edxml_import(unit=ward_b, user=clerk, package_bytes=data)
    _nothing_registered()


def test_recall_package_marks_the_document_recalled(ward_a: AdminUnit, clerk: User) -> None:
    document = edxml_import(unit=ward_a, user=clerk, package_bytes=build_package(_package()))
    recall = _package(
        business_doc_type=BusinessDocType.RECALL,
        business_doc_reason="Văn bản ban hành sai thẩm quyền",
        attachments=[],
    )
    recalled = edxml_import(unit=ward_a, user=clerk, package_bytes=build_package(recall))
    assert recalled.pk == document.pk
    assert recalled.status == IncomingStatus.RECALLED
    assert IncomingDocument.objects.count() == 1
    assert EdxmlMessage.objects.filter(business_doc_type=1, incoming=document).count() == 1
    assert AuditEvent.objects.filter(action="documents.edxml_recall").count() == 1
    with pytest.raises(DomainError) as info:
        edxml_import(unit=ward_a, user=clerk, package_bytes=build_package(recall))
    assert info.value.code == "edxml_already_recalled"
    # The status for the sender now says "recall accepted" (15).
    _, data = edxml_status(document=recalled, user=clerk)
    assert parse_status(data).status_code == StatusCode.AGREE_CHANGE


def test_recall_of_an_unknown_document(ward_a: AdminUnit, clerk: User) -> None:
    recall = _package(business_doc_type=BusinessDocType.RECALL, attachments=[])
    with pytest.raises(DomainError) as info:
        edxml_import(unit=ward_a, user=clerk, package_bytes=build_package(recall))
    assert info.value.code == "edxml_recall_unknown" and info.value.status == 404
    _nothing_registered()


def test_status_messages_follow_the_document(
    ward_a: AdminUnit, clerk: User, make_user: Callable[..., User]
) -> None:
    from congso.documents.services.incoming import incoming_assign

    document = edxml_import(unit=ward_a, user=clerk, package_bytes=build_package(_package()))
    name, data = edxml_status(document=document, user=clerk)
    assert name.endswith(".edxml") and "03" in name
    status = parse_status(data)
    assert status.status_code == StatusCode.ACCEPTED
    assert "số đến 01/" in status.description
    assert status.response_for.document_id == "H26.90.01-DEMO,2025/03/09,1234/SXD-TTr"
    assert status.response_for.org_id == "H26.90.01-DEMO"
    assert status.response_for.code == "1234/SXD-TTr"
    assert status.sender.org_id == "H26.TEST.103"
    assert status.staff_name == "Hoàng Thị Văn Thư"

    leader = make_user(Role.LEADER, ward_a)
    specialist = make_user(Role.SPECIALIST, ward_a)
    incoming_assign(
        document=document, user=leader, lead_user=specialist, deadline=dt.date(2099, 1, 1)
    )
    document.refresh_from_db()
    _, data = edxml_status(document=document, user=clerk)
    assert parse_status(data).status_code == StatusCode.ASSIGNED
    _, data = edxml_status(document=document, user=clerk, status_code=StatusCode.REFUSED)
    assert parse_status(data).status_code == StatusCode.REFUSED
    sent = EdxmlMessage.objects.filter(direction=EdxmlDirection.SENT, kind=EdxmlKind.STATUS)
    assert list(sent.order_by("pk").values_list("status_code", flat=True)) == ["03", "04", "02"]
    with pytest.raises(PermissionDenied):
        edxml_status(document=document, user=specialist)


def _issued(unit: AdminUnit, user: User, **overrides: Any) -> OutgoingDocument:
    department = Department.objects.get(unit=unit, abbreviation="VP")
    values: dict[str, Any] = {
        "unit": unit,
        "department": department,
        "document_type": DocumentType.objects.get(name="Quyết định"),
        "subject": "Quyết định về việc thành lập Tổ công tác giải phóng mặt bằng dự án đường "
        "Văn Cao – Hồ Tây",
        "status": OutgoingStatus.ISSUED,
        "year": 2025,
        "series": "QĐ",
        "number": 5,
        "notation": "05/QĐ-UBND",
        "issued_date": dt.date(2025, 3, 2),
        "signer_title": "Chủ tịch",
        "signing_authority": "TM.",
        "page_count": 2,
        "copies": 4,
        "urgency": Urgency.FLASH,
        "recipients_text": "Như Điều 3;\nLưu: VT, VP.",
        "created_by": user,
        "issued_by": user,
        "signer": user,
    }
    values.update(overrides)
    document = OutgoingDocument.objects.create(**values)
    signed = render([Line("QUYẾT ĐỊNH", 14, "center")], title="QĐ")
    upload = io.BytesIO(signed)
    upload.name = "05-QD-UBND.pdf"  # type: ignore[attr-defined]
    stored = file_store(upload=upload, owner=document, unit=unit, user=user, allowed_types=("pdf",))
    document.issued_file = stored
    document.save(update_fields=["issued_file"])
    return document


def test_export_then_import_in_another_committee(
    ward_a: AdminUnit, ward_b: AdminUnit, clerk: User, make_user: Callable[..., User]
) -> None:
    document = _issued(ward_a, clerk)
    outside = Organisation.objects.create(name="Sở Xây dựng Hà Nội (mẫu)", org_code="H26.90.01")
    document.external_recipients.add(outside)
    name, data = edxml_export(document=document, user=clerk)
    assert name == "05-QD-UBND.edxml"
    pkg = parse_package(data)
    assert pkg.notation == "05/QĐ-UBND"
    assert pkg.sender.org_id == "H26.TEST.103"
    assert pkg.sender.name == ward_a.display_committee
    assert pkg.sender.in_charge == "Ủy ban nhân dân thành phố Hà Nội"
    assert [r.org_id for r in pkg.recipients] == ["H26.90.01"]
    assert pkg.type_code == 2 and pkg.type_name == "Quyết định"
    assert pkg.priority == 3 and pkg.page_amount == 2 and pkg.promulgation_amount == 4
    assert pkg.signer_competence == "TM." and pkg.signer_position == "Chủ tịch"
    assert pkg.to_places == ["Như Điều 3;", "Lưu: VT, VP."]
    assert pkg.document_id == "H26.TEST.103,2025/03/02,05/QĐ-UBND"
    assert pkg.business_doc_type == BusinessDocType.NEW
    assert pkg.attachments[0].data[:5] == b"%PDF-"
    assert EdxmlMessage.objects.filter(direction=EdxmlDirection.SENT, outgoing=document).count()
    assert AuditEvent.objects.filter(action="documents.edxml_export").count() == 1

    clerk_b = make_user(Role.CLERK, ward_b)
    received = edxml_import(unit=ward_b, user=clerk_b, package_bytes=data)
    assert received.unit == ward_b and received.arrival_number == 1
    assert received.notation == "05/QĐ-UBND"
    assert received.document_type.name == "Quyết định"
    assert received.urgency == Urgency.FLASH

    # The sender recalls it: a recall package for the same document marks it recalled there.
    OutgoingDocument.objects.filter(pk=document.pk).update(
        status=OutgoingStatus.RECALLED, recall_reason="Sai thể thức"
    )
    document.refresh_from_db()
    _, recall = edxml_export(document=document, user=clerk)
    assert parse_package(recall).business_doc_type == BusinessDocType.RECALL
    edxml_import(unit=ward_b, user=clerk_b, package_bytes=recall)
    received.refresh_from_db()
    assert received.status == IncomingStatus.RECALLED


def test_export_refuses_drafts_secret_and_outsiders(
    ward_a: AdminUnit, ward_b: AdminUnit, clerk: User, make_user: Callable[..., User]
) -> None:
    draft = _issued(ward_a, clerk, status=OutgoingStatus.DRAFT, number=None, notation="")
    with pytest.raises(DomainError) as info:
        edxml_export(document=draft, user=clerk)
    assert info.value.code == "edxml_not_issued"
    secret = _issued(ward_a, clerk, secrecy=1, number=6, notation="06/QĐ-UBND")
    cleared = make_user(Role.CLERK, ward_a, clearance=1)
    with pytest.raises(DomainError) as info:
        edxml_export(document=secret, user=cleared)
    assert info.value.code == "edxml_secret"
    issued = _issued(ward_a, clerk, number=7, notation="07/QĐ-UBND")
    with pytest.raises(PermissionDenied):
        edxml_export(document=issued, user=make_user(Role.CLERK, ward_b))


def test_build_without_files_is_refused(ward_a: AdminUnit, clerk: User) -> None:
    document = _issued(ward_a, clerk)
    with pytest.raises(DomainError) as info:
        edxml_build(document, [], files=[])
    assert info.value.code == "edxml_no_file"
