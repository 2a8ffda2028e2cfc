"""The incoming documents API contract: shapes, status codes, stable error codes, pagination."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from congso.documents.models import IncomingDocument
from congso.documents.tests.conftest import letter_pdf
from congso.kernel.numbering.services import number_peek
from congso.kernel.people.services import api_token_create

pytestmark = pytest.mark.django_db

URL = "/api/v1/documents/incoming/"


def _bearer(user: Any) -> dict[str, str]:
    _token, key = api_token_create(user=user, name="thử")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _file(name: str = "cong-van.pdf", content: bytes | None = None) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, letter_pdf() if content is None else content)


def _metadata(**overrides: Any) -> dict[str, Any]:
    data = {
        "subject": "V/v triển khai Kế hoạch chuyển đổi số năm 2026",
        "document_type": "KH",
        "notation": "45/KH-UBND",
        "issued_date": (dt.date.today() - dt.timedelta(days=2)).isoformat(),
        "sender_name": "Ủy ban nhân dân thành phố Hà Nội",
        "urgency": "1",
        "signer_name": "Nguyễn Văn A",
        "signer_position": "Phó Chủ tịch",
    }
    data.update(overrides)
    return data


def test_register_with_two_files_returns_201(client: Client, clerk: Any, ward_a: Any) -> None:
    response = client.post(
        URL,
        {**_metadata(), "file": [_file("a.pdf"), _file("b.pdf")]},
        **_bearer(clerk),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["arrival_number"] == 1
    assert body["arrival_label"] == f"01/{dt.date.today().year}"
    assert body["digitization_status"] in {"pending", "processing", "done"}
    assert body["notation"] == "45/KH-UBND"
    assert (body["code_number"], body["code_notation"]) == ("45", "KH-UBND")
    assert body["document_type"] == "Kế hoạch"
    assert body["urgency_label"] == "Khẩn"
    assert body["channel"] == "electronic"
    assert body["unit_id"] == ward_a.pk
    assert body["page_count"] == 2
    detail = client.get(f"{URL}{body['id']}", **_bearer(clerk)).json()
    assert [f["name"] for f in detail["files"]] == ["a.pdf", "b.pdf"]
    assert detail["files"][0]["url"].startswith("/tep/")


def test_register_errors_have_stable_codes(client: Client, clerk: Any, ward_a: Any) -> None:
    auth = _bearer(clerk)
    cases = [
        ({**_metadata(notation="bốn lăm"), "file": _file()}, 400, "notation_invalid"),
        ({**_metadata(subject=" "), "file": _file()}, 400, "subject_required"),
        (
            {**_metadata(document_type="Nghị định thư"), "file": _file()},
            400,
            "document_type_invalid",
        ),
        (_metadata(), 400, "files_required"),
        (
            {**_metadata(), "file": _file("x.pdf", b"MZ\x90\x00 not a pdf" * 20)},
            415,
            "file_type_mismatch",
        ),
        ({**_metadata(), "file": _file("x.pdf", b"")}, 400, "file_empty"),
        ({**_metadata(issued_date="31/02/2026"), "file": _file()}, 422, "invalid_input"),
        ({"document_type": "QĐ", "file": _file()}, 422, "invalid_input"),
    ]
    for data, status, code in cases:
        response = client.post(URL, data, **auth)
        assert response.status_code == status, (code, response.content)
        body = response.json()
        assert body["code"] == code
        assert body["message"]
    assert IncomingDocument.objects.count() == 0
    year = dt.date.today().year
    assert number_peek(scope=f"unit:{ward_a.pk}", series="arrival", year=year) == 1


def test_oversized_upload_is_413(client: Client, clerk: Any, settings: Any) -> None:
    settings.FILE_UPLOAD_MAX_BYTES = 1500
    response = client.post(
        URL, {**_metadata(), "file": _file("lon.pdf", letter_pdf("chữ " * 2000))}, **_bearer(clerk)
    )
    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"


def test_duplicate_is_409_then_accepted_with_a_reason(client: Client, clerk: Any) -> None:
    auth = _bearer(clerk)
    content = letter_pdf("Thông báo lịch tiếp công dân tháng 4.")
    first = client.post(URL, {**_metadata(), "file": _file("a.pdf", content)}, **auth)
    assert first.status_code == 201
    again = client.post(URL, {**_metadata(), "file": _file("b.pdf", content)}, **auth)
    assert again.status_code == 409
    body = again.json()
    assert body["code"] == "duplicate_suspected"
    assert body["details"]["matches"][0]["id"] == first.json()["id"]
    assert sorted(body["details"]["matches"][0]["reasons"]) == ["file", "notation"]
    forced = client.post(
        URL,
        {
            **_metadata(duplicate_reason="Bản chính gửi sau bản fax"),
            "file": _file("b.pdf", content),
        },
        **auth,
    )
    assert forced.status_code == 201
    assert forced.json()["arrival_number"] == 2
    assert forced.json()["duplicate_reason"] == "Bản chính gửi sau bản fax"


def test_sender_by_directory_code(client: Client, clerk: Any, sender: Any) -> None:
    response = client.post(
        URL,
        {**_metadata(sender_name="", sender_code=sender.org_code), "file": _file()},
        **_bearer(clerk),
    )
    assert response.status_code == 201
    assert response.json()["sender_id"] == sender.pk
    assert response.json()["sender_name"] == sender.name
    unknown = client.post(
        URL, {**_metadata(sender_code="KHONG-CO"), "file": _file()}, **_bearer(clerk)
    )
    assert (unknown.status_code, unknown.json()["code"]) == (400, "sender_invalid")


def test_not_logged_in_and_wrong_role(client: Client, register: Any, specialist: Any) -> None:
    assert client.post(URL, {**_metadata(), "file": _file()}).status_code == 401
    response = client.post(URL, {**_metadata(), "file": _file()}, **_bearer(specialist))
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_list_filters_and_keyset_pagination(
    client: Client, register: Any, clerk: Any, clerk_b: Any, ward_b: Any
) -> None:
    docs = [register(urgency=1 if i % 3 == 0 else 0) for i in range(7)]
    register(unit=ward_b, user=clerk_b)
    auth = _bearer(clerk)
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = client.get(URL, params, **auth).json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert pages == 3
    assert seen == [d.pk for d in reversed(docs)]  # newest first, none twice, none missed
    urgent = client.get(URL, {"urgent": "true"}, **auth).json()["items"]
    assert {i["id"] for i in urgent} == {docs[0].pk, docs[3].pk, docs[6].pk}
    found = client.get(URL, {"q": docs[2].notation}, **auth).json()["items"]
    assert [i["id"] for i in found] == [docs[2].pk]
    bad = client.get(URL, {"cursor": "%%%"}, **auth)
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_cursor")


def test_assign_progress_complete_through_the_api(
    client: Client, register: Any, leader: Any, specialist: Any, clerk: Any, departments: Any
) -> None:
    doc = register()
    leader_auth, specialist_auth = _bearer(leader), _bearer(specialist)
    present = client.post(
        f"{URL}{doc.pk}/present",
        {"leader_id": leader.pk, "note": "Kính trình"},
        content_type="application/json",
        **_bearer(clerk),
    )
    assert present.status_code == 200 and present.json()["status"] == "presented"
    # A specialist cannot assign; the document is not yet theirs to see, either.
    denied = client.post(
        f"{URL}{doc.pk}/assign",
        {"lead_user_id": specialist.pk},
        content_type="application/json",
        **specialist_auth,
    )
    assert denied.status_code == 404
    assigned = client.post(
        f"{URL}{doc.pk}/assign",
        {
            "lead_user_id": specialist.pk,
            "cooperating_department_ids": [departments["VHXH"].pk],
            "instruction": "Khẩn trương xử lý",
            "deadline_working_days": 5,
        },
        content_type="application/json",
        **leader_auth,
    )
    assert assigned.status_code == 201, assigned.content
    body = assigned.json()
    assert body["lead_user_id"] == specialist.pk
    assert body["cooperating_department_ids"] == [departments["VHXH"].pk]
    assert dt.date.fromisoformat(body["deadline"]) > dt.date.today()
    # Now the specialist sees it and reports.
    note = client.post(
        f"{URL}{doc.pk}/progress",
        {"text": "Đang xác minh", "file": _file("ghi-chu.pdf")},
        **specialist_auth,
    )
    assert note.status_code == 201, note.content
    assert note.json()["files"][0]["name"] == "ghi-chu.pdf"
    wrong = client.post(
        f"{URL}{doc.pk}/assign",
        {"lead_user_id": specialist.pk, "deadline": "2001-01-01"},
        content_type="application/json",
        **leader_auth,
    )
    assert (wrong.status_code, wrong.json()["code"]) == (400, "deadline_in_past")
    done = client.post(
        f"{URL}{doc.pk}/complete",
        {"result_note": "Đã trả lời bằng văn bản."},
        content_type="application/json",
        **specialist_auth,
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    detail = client.get(f"{URL}{doc.pk}", **specialist_auth).json()
    assert detail["status"] == "done"
    assert [a["status"] for a in detail["assignments"]] == ["done"]
    assert detail["notes"][0]["text"] == "Đang xác minh"
    again = client.post(
        f"{URL}{doc.pk}/complete",
        {"result_note": "Lần hai"},
        content_type="application/json",
        **specialist_auth,
    )
    assert (again.status_code, again.json()["code"]) == (409, "assignment_missing")


def test_unknown_and_out_of_scope_documents_are_404(
    client: Client, register: Any, clerk_b: Any
) -> None:
    doc = register()
    auth = _bearer(clerk_b)
    for path in (f"{URL}{doc.pk}", f"{URL}999999"):
        response = client.get(path, **auth)
        assert (response.status_code, response.json()["code"]) == (404, "not_found")
    response = client.post(
        f"{URL}{doc.pk}/complete",
        {"result_note": "x"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 404


def test_list_endpoint_query_count_does_not_grow(
    client: Client, register: Any, leader: Any, specialist: Any, departments: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from congso.documents.services.incoming import incoming_assign

    auth = _bearer(specialist)

    def add(n: int) -> None:
        for _ in range(n):
            doc = register()
            incoming_assign(
                document=doc,
                user=leader,
                lead_department=departments["KT"],
                cooperating_users=[specialist],
                deadline=dt.date.today(),
            )

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(URL, {"limit": 100}, **auth).json()
        return len(ctx.captured_queries), len(body["items"])

    client.get(URL, **auth)  # the token's "last used" is written on the first call only
    add(5)
    few, n_few = count()
    add(25)
    many, n_many = count()
    assert (n_few, n_many) == (5, 30)
    assert many == few
