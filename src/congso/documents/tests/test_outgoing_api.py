"""/api/v1/documents/outgoing: draft (multipart) → submit → review → sign → issue → dispatch →
recall, with bearer tokens; error shapes with stable codes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from congso.documents.models import IncomingDocument, OutgoingDocument
from congso.documents.services import outgoing as svc
from congso.documents.tests.conftest import upload
from congso.kernel.orgunits.models import AdminUnit, Department
from congso.kernel.people.models import User
from congso.kernel.signing.models import SigningCredential

pytestmark = pytest.mark.django_db
BASE = "/api/v1/documents/outgoing"


@pytest.fixture
def bearer() -> Callable[[User], dict[str, str]]:
    from congso.kernel.people.services import api_token_create

    def _headers(user: User) -> dict[str, str]:
        _token, key = api_token_create(user=user, name="test")
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    return _headers


def test_the_whole_flow_through_the_api(
    client: Client,
    bearer: Callable[[User], dict[str, str]],
    ward_b: AdminUnit,
    departments: dict[str, Department],
    specialist: User,
    head_kt: User,
    leader: User,
    clerk: User,
    signing_credentials: dict[str, SigningCredential],
    decision_bytes: bytes,
    appendix_bytes: bytes,
) -> None:
    ward_b_org = svc.organisation_for_unit(ward_b)
    response = client.post(
        f"{BASE}/",
        {
            "subject": "Về việc thành lập Tổ công tác chuyển đổi số phường",
            "document_type": "QĐ",
            "recipient_ids": [ward_b_org.pk],
            "file": upload("du-thao.pdf", decision_bytes),
            "attachment": [upload("phu-luc.pdf", appendix_bytes)],
        },
        **bearer(specialist),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    doc_id = body["id"]
    assert body["status"] == "draft" and body["department"] == "KT"
    assert len(body["versions"]) == 1 and len(body["attachments"]) == 1
    assert body["recipient_ids"] == [ward_b_org.pk]

    response = client.post(
        f"{BASE}/{doc_id}/submit",
        {"reviewer_ids": [head_kt.pk, leader.pk]},
        content_type="application/json",
        **bearer(specialist),
    )
    assert response.status_code == 200 and response.json()["status"] == "in_review"
    steps = response.json()["steps"]
    assert [s["is_current"] for s in steps] == [True, False]

    # Not the leader's turn yet.
    response = client.post(f"{BASE}/{doc_id}/review", {"decision": "approved"}, **bearer(leader))
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    response = client.post(f"{BASE}/{doc_id}/review", {"decision": "approved"}, **bearer(head_kt))
    assert response.status_code == 200

    response = client.post(
        f"{BASE}/{doc_id}/sign",
        {"signing_authority": "TM.", "signer_title": "Chủ tịch"},
        content_type="application/json",
        **bearer(leader),
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "signed" and response.json()["signed_with_test_ca"]

    response = client.post(f"{BASE}/{doc_id}/issue", **bearer(leader))
    assert response.status_code == 403
    response = client.post(f"{BASE}/{doc_id}/issue", **bearer(clerk))
    assert response.status_code == 200, response.content
    issued = response.json()
    assert (issued["number"], issued["notation"]) == (1, "01/QĐ-UBND")
    assert len(issued["issued_files"]) == 2 and issued["attachments"][0]["signed_file"]

    response = client.post(
        f"{BASE}/{doc_id}/dispatch", {}, content_type="application/json", **bearer(clerk)
    )
    assert response.status_code == 200, response.content
    result = response.json()
    assert [d["recipient_id"] for d in result["internal"]] == [ward_b_org.pk]
    incoming = IncomingDocument.objects.get(unit=ward_b)
    assert result["internal"][0]["incoming_id"] == incoming.pk
    assert result["internal"][0]["status"] == "received"

    listing = client.get(f"{BASE}/?status=issued", **bearer(clerk)).json()
    assert listing["count"] == 1 and listing["items"][0]["notation"] == "01/QĐ-UBND"

    response = client.post(
        f"{BASE}/{doc_id}/recall",
        {"reason": "Sai căn cứ"},
        content_type="application/json",
        **bearer(clerk),
    )
    assert response.status_code == 200 and response.json()["status"] == "recalled"
    assert response.json()["dispatches"][0]["status"] == "recalled"


@pytest.mark.parametrize(
    ("content", "name", "code", "status"),
    [
        (b"%PDF-1.7\n broken", "du-thao.pdf", "pdf_invalid", 415),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 64, "du-thao.pdf", "file_type_mismatch", 415),
    ],
)
def test_bad_drafts_answer_with_codes(
    client: Client,
    bearer: Callable[[User], dict[str, str]],
    specialist: User,
    content: bytes,
    name: str,
    code: str,
    status: int,
) -> None:
    response = client.post(
        f"{BASE}/",
        {"subject": "Trích yếu", "document_type": "Công văn", "file": upload(name, content)},
        **bearer(specialist),
    )
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert not OutgoingDocument.objects.exists()


def test_errors_and_scope(
    client: Client,
    bearer: Callable[[User], dict[str, str]],
    make_outgoing: Callable[..., OutgoingDocument],
    clerk: User,
    clerk_b: User,
    specialist: User,
    signing_credentials: dict[str, SigningCredential],
) -> None:
    draft = make_outgoing(until="draft")
    # Another committee's clerk: not found, not forbidden (no leak of existence).
    response = client.get(f"{BASE}/{draft.pk}", **bearer(clerk_b))
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    response = client.post(f"{BASE}/{draft.pk}/issue", **bearer(clerk))
    assert response.status_code == 403
    response = client.post(
        f"{BASE}/", {"subject": "x", "document_type": "XYZ"}, **bearer(specialist)
    )
    assert response.status_code == 400 and response.json()["code"] == "document_type_invalid"
    response = client.post(
        f"{BASE}/{draft.pk}/sign",
        {"page": 1},
        content_type="application/json",
        **bearer(specialist),
    )
    assert response.status_code == 400 and response.json()["code"] == "sign_box_invalid"
    response = client.get(f"{BASE}/", **bearer(specialist))
    assert response.json()["count"] == 1
    assert client.get(f"{BASE}/").status_code == 401
