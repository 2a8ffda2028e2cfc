"""The one-stop shop's REST API: catalogue (public), intake, scoped list and detail, transitions,
stable error codes, nothing half-saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from congso.kernel.files.models import StoredFile
from congso.kernel.people.models import Role
from congso.kernel.people.services import api_token_create
from congso.procedures.models import Dossier, DossierEvent, DossierStatus

from .conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, Any]:
    _token, key = api_token_create(user=user, name="thử")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def form(proc: Any, **over: Any) -> dict[str, Any]:
    required = [str(p.pk) for p in proc.papers.filter(required=True)]
    data = {
        "procedure": proc.code,
        "applicant_name": "Nguyễn Thị Dân",
        "applicant_phone": "0912345678",
        "papers": ",".join(required),
        "content": "Đăng ký khai sinh cho con",
    }
    data.update(over)
    return data


def test_catalogue_is_public_and_filters(client: Client, procedure: Any) -> None:
    response = client.get("/api/v1/procedures")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["code"] == procedure.code
    assert item["duration_text"] == "03 ngày làm việc"
    assert client.get("/api/v1/procedures?field=XX").json()["count"] == 0
    assert client.get("/api/v1/procedures?q=khai sinh").json()["count"] == 1
    detail = client.get(f"/api/v1/procedures/{procedure.code}").json()
    assert detail["papers"][0]["name"] == "Tờ khai đăng ký khai sinh"
    assert len(detail["steps"]) == 4 and detail["fees"][0]["amount"] == 8000
    missing = client.get("/api/v1/procedures/KHONG-CO")
    assert missing.status_code == 404 and missing.json()["code"] == "unknown_procedure"


def test_desk_intake_returns_code_and_appointment(
    client: Client, procedure: Any, onestop: Any
) -> None:
    paper = procedure.papers.get(position=1)
    response = client.post(
        "/api/v1/dossiers",
        {
            **form(procedure, file_papers=str(paper.pk)),
            "file": [SimpleUploadedFile("to-khai.pdf", PDF_BYTES, "application/pdf")],
        },
        **bearer(onestop),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"].startswith("H26.TEST.103-") and body["code"].endswith("-0001")
    assert body["appointment_at"] and body["status"] == DossierStatus.ACCEPTED
    assert "/tra-cuu/?ma=" in body["lookup_url"]
    dossier = Dossier.objects.get(code=body["code"])
    assert dossier.attachments.count() == 1 and dossier.digitised


@pytest.mark.parametrize(
    ("over", "code", "status"),
    [
        ({"procedure": "KHONG-CO"}, "unknown_procedure", 422),
        ({"papers": ""}, "missing_papers", 422),
        ({"applicant_name": "  "}, "applicant_name_required", 422),
        ({"applicant_email": "khong-phai-email"}, "applicant_email_invalid", 422),
        ({"papers": "abc"}, "papers_invalid", 422),
        ({"mode": "fax"}, "mode_invalid", 422),
    ],
)
def test_intake_errors_have_stable_codes(
    client: Client, procedure: Any, onestop: Any, over: dict[str, Any], code: str, status: int
) -> None:
    response = client.post("/api/v1/dossiers", form(procedure, **over), **bearer(onestop))
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert not Dossier.objects.exists()


def test_file_that_lies_about_its_type_saves_nothing(
    client: Client, procedure: Any, onestop: Any
) -> None:
    fake = SimpleUploadedFile("giay-to.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    response = client.post(
        "/api/v1/dossiers", {**form(procedure), "file": [fake]}, **bearer(onestop)
    )
    assert response.status_code == 415, response.content
    assert response.json()["code"] in {"file_type_mismatch", "file_type_not_allowed"}
    assert not Dossier.objects.exists()
    assert not DossierEvent.objects.exists()
    assert not StoredFile.objects.exists()
    # The day's counter was not used up: the next dossier still gets -0001.
    ok = client.post("/api/v1/dossiers", form(procedure), **bearer(onestop))
    assert ok.json()["code"].endswith("-0001")


def test_only_onestop_officers_take_dossiers(
    client: Client, procedure: Any, specialist: Any
) -> None:
    response = client.post("/api/v1/dossiers", form(procedure), **bearer(specialist))
    assert response.status_code == 403
    assert not Dossier.objects.exists()


def test_online_mode_creates_a_submitted_dossier(
    client: Client, procedure: Any, onestop: Any
) -> None:
    response = client.post(
        "/api/v1/dossiers", form(procedure, mode="online", papers=""), **bearer(onestop)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == DossierStatus.SUBMITTED and body["appointment_at"] is None
    accepted = client.post(f"/api/v1/dossiers/{body['code']}/accept", **bearer(onestop))
    assert accepted.status_code == 200
    assert accepted.json()["status"] == DossierStatus.ACCEPTED
    assert accepted.json()["due_at"]


def test_full_journey_through_the_api(
    client: Client, desk_dossier: Any, onestop: Any, specialist: Any, leader: Any
) -> None:
    code = desk_dossier.code
    officer, spec, boss = bearer(onestop), bearer(specialist), bearer(leader)
    r = client.post(
        f"/api/v1/dossiers/{code}/hand-over",
        {"to_user_id": specialist.pk, "note": "Chuyển thẩm định"},
        content_type="application/json",
        **officer,
    )
    assert r.status_code == 200, r.content
    assert r.json()["steps"][0]["timeliness"] in {"early", "on_time", "late"}
    r = client.post(
        f"/api/v1/dossiers/{code}/request-supplement",
        {"items": "Bản sao giấy chứng sinh"},
        content_type="application/json",
        **spec,
    )
    assert r.json()["status"] == DossierStatus.SUPPLEMENT_REQUESTED
    r = client.post(
        f"/api/v1/dossiers/{code}/supplement-received",
        {"file": [SimpleUploadedFile("bo-sung.pdf", PDF_BYTES, "application/pdf")]},
        **officer,
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == DossierStatus.IN_PROCESS
    r = client.post(
        f"/api/v1/dossiers/{code}/hand-over",
        {"to_user_id": leader.pk},
        content_type="application/json",
        **spec,
    )
    assert r.status_code == 200
    r = client.post(
        f"/api/v1/dossiers/{code}/complete",
        {
            "result_summary": "Giấy khai sinh số 12",
            "result": SimpleUploadedFile("kq.pdf", PDF_BYTES, "application/pdf"),
        },
        **boss,
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == DossierStatus.DONE and r.json()["timeliness"] == "early"
    r = client.post(f"/api/v1/dossiers/{code}/return", **officer)
    assert r.json()["status"] == DossierStatus.RETURNED
    assert [e["action"] for e in r.json()["events"]] == [
        "receive",
        "hand_over",
        "request_supplement",
        "supplement_received",
        "hand_over",
        "complete",
        "return",
    ]


def test_transition_out_of_order_is_409(client: Client, desk_dossier: Any, onestop: Any) -> None:
    r = client.post(f"/api/v1/dossiers/{desk_dossier.code}/return", **bearer(onestop))
    assert r.status_code == 409
    body = r.json()
    assert body["code"] == "transition_not_allowed"
    assert "Được tiếp nhận" in body["message"]


def test_other_ward_sees_nothing(
    client: Client, desk_dossier: Any, make_user: Any, ward_b: Any
) -> None:
    stranger = make_user(Role.ONESTOP_OFFICER, ward_b)
    headers = bearer(stranger)
    assert client.get(f"/api/v1/dossiers/{desk_dossier.code}", **headers).status_code == 404
    r = client.post(f"/api/v1/dossiers/{desk_dossier.code}/accept", **headers)
    assert r.status_code == 404
    assert client.get("/api/v1/dossiers", **headers).json()["items"] == []


def test_specialist_cannot_complete_someone_elses_step(
    client: Client, desk_dossier: Any, specialist: Any
) -> None:
    r = client.post(f"/api/v1/dossiers/{desk_dossier.code}/complete", {}, **bearer(specialist))
    assert r.status_code == 403
    desk_dossier.refresh_from_db()
    assert desk_dossier.status == DossierStatus.ACCEPTED


def test_list_pages_with_constant_queries(
    client: Client,
    procedure: Any,
    onestop: Any,
    applicant: dict[str, Any],
    ward_a: Any,
    django_assert_max_num_queries: Any,
) -> None:
    from congso.procedures.services import dossier_receive_at_desk

    required = list(procedure.papers.filter(required=True).values_list("id", flat=True))
    for _ in range(7):
        dossier_receive_at_desk(
            unit=ward_a,
            procedure=procedure,
            applicant=applicant,
            papers_provided=required,
            officer=onestop,
        )
    headers = bearer(onestop)
    with django_assert_max_num_queries(12):
        first = client.get("/api/v1/dossiers?limit=5", **headers).json()
    assert len(first["items"]) == 5 and first["next_cursor"]
    second = client.get(f"/api/v1/dossiers?limit=5&cursor={first['next_cursor']}", **headers).json()
    assert len(second["items"]) == 2 and second["next_cursor"] is None
    codes = {i["code"] for i in first["items"]} | {i["code"] for i in second["items"]}
    assert len(codes) == 7
    bad = client.get("/api/v1/dossiers?cursor=%%%", **headers)
    assert bad.status_code == 422 and bad.json()["code"] == "cursor_invalid"


def test_times_go_out_in_vietnam_time(client: Client, desk_dossier: Any, onestop: Any) -> None:
    body = client.get(f"/api/v1/dossiers/{desk_dossier.code}", **bearer(onestop)).json()
    assert body["due_at"].endswith("+07:00") and body["submitted_at"].endswith("+07:00")
    assert body["steps"][0]["due_at"].endswith("+07:00")
    assert body["events"][0]["at"].endswith("+07:00")
