"""Configuration screens: the directory of organisations and document types (edited, audited),
incoming documents read-only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from congso.documents.models import DocumentType, Organisation
from congso.kernel.audit.models import AuditEvent
from congso.kernel.people.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client, login: Any, make_user: Any, ward_a: Any) -> Client:
    admin = make_user(Role.ADMIN, ward_a, username="quantri", is_staff=True, is_superuser=True)
    return login(client, admin)


def test_directory_edits_are_audited(admin_client: Client, ward_b: Any) -> None:
    response = admin_client.post(
        "/admin/documents/organisation/add/",
        {"name": "  Sở Tư pháp  thành phố Hà Nội ", "org_code": "H26.STP-DEMO", "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    org = Organisation.objects.get(org_code="H26.STP-DEMO")
    assert org.name == "Sở Tư pháp thành phố Hà Nội"
    event = AuditEvent.objects.get(action="documents.organisation_create")
    assert event.changes["name"] == [None, "Sở Tư pháp thành phố Hà Nội"]
    response = admin_client.post(
        f"/admin/documents/organisation/{org.pk}/change/",
        {"name": org.name, "org_code": "H26.STP-DEMO", "abbreviation": "STP", "unit": ward_b.pk},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="documents.organisation_update")
    assert event.changes == {
        "abbreviation": ["", "STP"],
        "unit": [None, ward_b.pk],
        "is_active": [True, False],
    }
    assert admin_client.get(f"/admin/documents/organisation/{org.pk}/delete/").status_code == 403


def test_document_types_listed_and_editable(admin_client: Client) -> None:
    page = admin_client.get("/admin/documents/documenttype/")
    assert page.status_code == 200
    assert "Quyết định" in page.content.decode()
    response = admin_client.post(
        "/admin/documents/documenttype/add/",
        {"name": "Nghị định", "abbreviation": "NĐ", "order": "40", "is_active": "on"},
    )
    assert response.status_code == 302
    assert DocumentType.objects.get(name="Nghị định").abbreviation == "NĐ"
    assert AuditEvent.objects.filter(action="documents.documenttype_create").exists()


def test_incoming_documents_are_read_only(admin_client: Client, register: Any) -> None:
    doc = register()
    assert admin_client.get("/admin/documents/incomingdocument/").status_code == 200
    page = admin_client.get(f"/admin/documents/incomingdocument/{doc.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.get("/admin/documents/incomingdocument/add/").status_code == 403
