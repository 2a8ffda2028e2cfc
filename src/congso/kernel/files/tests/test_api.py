"""/api/v1/files: multipart upload, metadata, content; errors as JSON with stable codes."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from congso.kernel.files.models import StoredFile
from congso.kernel.files.tests.conftest import make_ooxml, make_pdf
from congso.kernel.people import services as people_services

pytestmark = pytest.mark.django_db

BASE = "/api/v1/files"


def _bearer(user: Any) -> dict[str, str]:
    _token, key = people_services.api_token_create(user=user, name="kiểm thử")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(client: Client, auth: dict[str, str], name: str, data: bytes, **form: Any) -> Any:
    return client.post(f"{BASE}/", {"file": SimpleUploadedFile(name, data), **form}, **auth)


def test_upload_returns_metadata_and_duplicates(client: Client, clerk_a: Any, ward_a: Any) -> None:
    auth = _bearer(clerk_a)
    data = make_pdf()
    first = _post(client, auth, "Công văn 12.pdf", data)
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["name"] == "Công văn 12.pdf"
    assert body["size"] == len(data)
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["content_type"] == "application/pdf"
    assert body["unit_id"] == ward_a.pk
    assert body["duplicates"] == []
    assert body["url"] == f"/tep/{body['id']}/"

    second = _post(client, auth, "Công văn 12 (bản sao).pdf", data).json()
    assert [d["id"] for d in second["duplicates"]] == [body["id"]]
    assert StoredFile.objects.count() == 2


def test_duplicates_outside_the_users_scope_are_not_shown(
    client: Client, clerk_a: Any, clerk_b: Any
) -> None:
    assert _post(client, _bearer(clerk_a), "a.pdf", make_pdf()).status_code == 201
    other = _post(client, _bearer(clerk_b), "b.pdf", make_pdf()).json()
    assert other["duplicates"] == []


def test_metadata_and_content(client: Client, clerk_a: Any) -> None:
    auth = _bearer(clerk_a)
    data = make_ooxml("word")
    file_id = _post(client, auth, "to-trinh.docx", data).json()["id"]
    meta = client.get(f"{BASE}/{file_id}", **auth)
    assert meta.status_code == 200
    assert meta.json()["kind"] == "docx" and meta.json()["view_url"] is None
    content = client.get(f"{BASE}/{file_id}/content", **auth)
    assert content.status_code == 200
    assert b"".join(content.streaming_content) == data
    assert content["Content-Disposition"].startswith("attachment; ")
    assert content["X-Content-Type-Options"] == "nosniff"


def test_other_ward_gets_404_json(client: Client, clerk_a: Any, clerk_b: Any) -> None:
    file_id = _post(client, _bearer(clerk_a), "a.pdf", make_pdf()).json()["id"]
    auth_b = _bearer(clerk_b)
    for url in (f"{BASE}/{file_id}", f"{BASE}/{file_id}/content"):
        response = client.get(url, **auth_b)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("name", "data", "status", "code", "message"),
    [
        (
            "x.pdf",
            b"khong phai pdf",
            415,
            "file_type_mismatch",
            "Tệp 'x.pdf' không phải là tệp PDF.",
        ),
        ("x.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 60, 415, "file_type_not_allowed", None),
    ],
)
def test_type_errors_are_json(
    client: Client, clerk_a: Any, name: str, data: bytes, status: int, code: str, message: Any
) -> None:
    response = _post(client, _bearer(clerk_a), name, data)
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code
    if message:
        assert body["message"] == message
    assert not StoredFile.objects.exists()


def test_too_large_is_413(client: Client, clerk_a: Any, settings: Any) -> None:
    settings.FILE_UPLOAD_MAX_BYTES = 100
    response = _post(client, _bearer(clerk_a), "a.pdf", make_pdf())
    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"
    assert "MB" in response.json()["message"]


def test_upload_to_another_wards_unit_is_refused(client: Client, clerk_a: Any, ward_b: Any) -> None:
    response = _post(client, _bearer(clerk_a), "a.pdf", make_pdf(), unit_id=ward_b.pk)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_session_user_can_upload(client: Client, login: Any, clerk_a: Any) -> None:
    login(client, clerk_a)
    response = client.post(f"{BASE}/", {"file": SimpleUploadedFile("a.pdf", make_pdf())})
    assert response.status_code == 201


def test_anonymous_gets_401(client: Client, clerk_a: Any) -> None:
    file_id = _post(client, _bearer(clerk_a), "a.pdf", make_pdf()).json()["id"]
    assert client.get(f"{BASE}/{file_id}").status_code == 401
    response = client.post(f"{BASE}/", {"file": SimpleUploadedFile("a.pdf", make_pdf())})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_openapi_documents_the_endpoints(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {f"{BASE}/", f"{BASE}/{{file_id}}", f"{BASE}/{{file_id}}/content"} <= set(paths)
    assert "multipart/form-data" in paths[f"{BASE}/"]["post"]["requestBody"]["content"]
