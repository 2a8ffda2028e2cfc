"""edXML over HTTP: the API (import, export, status) and the clerk's upload page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from congso.documents.edxml import (
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
    DocumentType,
    IncomingDocument,
    IncomingStatus,
    OutgoingDocument,
    OutgoingStatus,
)
from congso.documents.textpdf import Line, render
from congso.kernel.files.services import file_store
from congso.kernel.orgunits.models import AdminUnit, Department
from congso.kernel.people.models import Role, User
from congso.kernel.people.services import api_token_create

BASE = "/api/v1/documents/edxml"
PDF = render([Line("Giấy mời họp giao ban công tác trật tự đô thị", 14, "center")], title="GM")


def _package(**overrides: Any) -> bytes:
    values: dict[str, Any] = {
        "sender": Organ(org_id="H26.CA.DEMO", name="Công an phường Tây Hồ (mẫu)"),
        "code_number": "87",
        "code_notation": "GM-CAP",
        "promulgation_date": dt.date(2025, 9, 15),
        "type_code": 23,
        "type_name": "Giấy mời",
        "subject": "Giấy mời họp giao ban công tác bảo đảm trật tự đô thị quý III",
        "priority": 0,
        "attachments": [Attachment("87-GM-CAP.pdf", "application/pdf", PDF)],
    }
    values.update(overrides)
    return build_package(EdxmlPackage(**values))


@pytest.fixture
def clerk(ward_a: AdminUnit, make_user: Callable[..., User]) -> User:
    return make_user(Role.CLERK, ward_a)


def _auth(user: User) -> dict[str, str]:
    _, key = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _upload(data: bytes, name: str = "goi-tin.edxml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/xml")


def test_api_import_returns_201_with_the_arrival_number(client: Client, clerk: User) -> None:
    response = client.post(f"{BASE}/import", {"file": _upload(_package())}, **_auth(clerk))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["arrival_number"] == 1
    assert body["channel"] == "edxml"
    assert body["notation"] == "87/GM-CAP"
    assert body["recalled"] is False
    assert body["digitization_status"] in {"pending", "processing", "done"}
    assert IncomingDocument.objects.get(pk=body["id"]).document_type.name == "Giấy mời"


def test_api_import_errors_are_json_and_register_nothing(client: Client, clerk: User) -> None:
    data = _package()
    response = client.post(f"{BASE}/import", {"file": _upload(data[:200])}, **_auth(clerk))
    assert response.status_code == 400
    assert response.json()["code"] == "edxml_not_xml"
    missing_code = data.replace(b"<edXML:CodeNumber>87</edXML:CodeNumber>", b"")
    response = client.post(f"{BASE}/import", {"file": _upload(missing_code)}, **_auth(clerk))
    assert response.json()["code"] == "edxml_missing_field"
    assert response.json()["details"] == {"field": "Code/CodeNumber"}
    response = client.post(f"{BASE}/import", {}, **_auth(clerk))
    assert response.status_code == 422
    assert IncomingDocument.objects.count() == 0


def test_api_duplicate_then_recall(client: Client, clerk: User) -> None:
    data = _package()
    assert client.post(f"{BASE}/import", {"file": _upload(data)}, **_auth(clerk)).status_code == 201
    again = client.post(f"{BASE}/import", {"file": _upload(data)}, **_auth(clerk))
    assert again.status_code == 409 and again.json()["code"] == "duplicate_suspected"
    recall = _package(business_doc_type=BusinessDocType.RECALL, attachments=[])
    response = client.post(f"{BASE}/import", {"file": _upload(recall)}, **_auth(clerk))
    assert response.status_code == 200
    assert response.json()["recalled"] is True
    assert IncomingDocument.objects.get().status == IncomingStatus.RECALLED


def test_api_status_message(client: Client, clerk: User, make_user: Callable[..., User]) -> None:
    created = client.post(f"{BASE}/import", {"file": _upload(_package())}, **_auth(clerk)).json()
    response = client.get(f"{BASE}/status/{created['id']}", **_auth(clerk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert parse_status(response.content).status_code == StatusCode.ACCEPTED
    outsider = make_user(Role.CLERK, None)
    assert client.get(f"{BASE}/status/{created['id']}", **_auth(outsider)).status_code == 404


def _issued(unit: AdminUnit, user: User, number: int = 27) -> OutgoingDocument:
    document = OutgoingDocument.objects.create(
        unit=unit,
        department=Department.objects.get(unit=unit, abbreviation="VP"),
        document_type=DocumentType.objects.get(name="Kế hoạch"),
        subject="Kế hoạch kiểm tra trật tự xây dựng trên địa bàn phường năm 2026",
        status=OutgoingStatus.ISSUED,
        year=2025,
        series="KH",
        number=number,
        notation=f"{number:02d}/KH-UBND",
        issued_date=dt.date(2025, 12, 1),
        created_by=user,
        issued_by=user,
    )
    upload = SimpleUploadedFile("27-KH-UBND.pdf", PDF, content_type="application/pdf")
    file_store(upload=upload, owner=document, unit=unit, user=user, allowed_types=("pdf",))
    return document


def test_api_export(client: Client, ward_a: AdminUnit, clerk: User) -> None:
    document = _issued(ward_a, clerk)
    response = client.get(f"{BASE}/export/{document.pk}", **_auth(clerk))
    assert response.status_code == 200
    assert 'filename="27-KH-UBND.edxml"' in response["Content-Disposition"]
    pkg = parse_package(response.content)
    assert pkg.notation == "27/KH-UBND" and pkg.type_name == "Kế hoạch"
    assert pkg.attachments[0].data == PDF
    draft = _issued(ward_a, clerk, number=28)
    OutgoingDocument.objects.filter(pk=draft.pk).update(status=OutgoingStatus.DRAFT)
    response = client.get(f"{BASE}/export/{draft.pk}", **_auth(clerk))
    assert response.status_code == 400 and response.json()["code"] == "edxml_not_issued"


def test_openapi_lists_the_edxml_endpoints(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert f"{BASE}/import" in paths
    assert f"{BASE}/export/{{outgoing_id}}" in paths


# --- the upload page -------------------------------------------------------------------------


def test_page_imports_and_redirects_to_the_document(
    client: Client, clerk: User, login: Callable[[Client, User], Client]
) -> None:
    login(client, clerk)
    url = reverse("documents:edxml_import")
    page = client.get(url)
    assert page.status_code == 200
    assert "Nhập gói edXML" in page.content.decode()
    response = client.post(url, {"package": _upload(_package())})
    document = IncomingDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:incoming_detail", args=[document.pk])
    page = client.get(url)
    assert "87/GM-CAP" in page.content.decode()  # in the recent packages


def test_page_shows_parse_errors_clearly(
    client: Client, clerk: User, login: Callable[[Client, User], Client]
) -> None:
    login(client, clerk)
    url = reverse("documents:edxml_import")
    broken = _package().replace(b"<edXML:Subject>", b"<edXML:Topic>")
    broken = broken.replace(b"</edXML:Subject>", b"</edXML:Topic>")
    response = client.post(url, {"package": _upload(broken)})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-code="edxml_missing_field"' in html
    assert "trích yếu (Subject)" in html
    assert "Không có văn bản nào được vào sổ" in html
    assert IncomingDocument.objects.count() == 0
    response = client.post(url, {"package": _upload(b"%PDF-1.4 not a package", "a.pdf")})
    assert 'data-code="edxml_not_xml"' in response.content.decode()


def test_page_duplicate_warning_then_reason(
    client: Client, clerk: User, login: Callable[[Client, User], Client]
) -> None:
    login(client, clerk)
    url = reverse("documents:edxml_import")
    data = _package()
    client.post(url, {"package": _upload(data)})
    response = client.post(url, {"package": _upload(data)})
    assert response.status_code == 200
    assert 'data-testid="duplicate-warning"' in response.content.decode()
    response = client.post(url, {"package": _upload(data), "duplicate_reason": "Gửi bổ sung"})
    assert response.status_code == 302
    assert IncomingDocument.objects.count() == 2


def test_page_is_for_clerks(
    client: Client, ward_a: AdminUnit, make_user: Callable[..., User], login: Any
) -> None:
    login(client, make_user(Role.SPECIALIST, ward_a))
    assert client.get(reverse("documents:edxml_import")).status_code == 403


def test_status_and_export_downloads(
    client: Client, ward_a: AdminUnit, clerk: User, login: Callable[[Client, User], Client]
) -> None:
    login(client, clerk)
    client.post(reverse("documents:edxml_import"), {"package": _upload(_package())})
    document = IncomingDocument.objects.get()
    response = client.get(reverse("documents:edxml_status", args=[document.pk]))
    assert response.status_code == 200
    assert parse_status(response.content).response_for.code == "87/GM-CAP"
    outgoing = _issued(ward_a, clerk)
    response = client.get(reverse("documents:edxml_export", args=[outgoing.pk]))
    assert response.status_code == 200
    assert parse_package(response.content).notation == "27/KH-UBND"
