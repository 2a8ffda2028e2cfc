"""/api/v1/urban/construction: the same services, JSON errors with stable codes, scoping."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from congso.kernel.people.services import api_token_create
from congso.urban.construction import services
from congso.urban.construction.models import Violation, Work
from congso.urban.construction.tests.conftest import INSIDE_A, INSIDE_B, jpeg_bytes, work_data

pytestmark = pytest.mark.django_db
BASE = "/api/v1/urban/construction"


def _auth(user: Any) -> dict[str, str]:
    _token, key = api_token_create(user=user, name="thử")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_works_crud_and_list_query_count(
    client: Client, wards: Any, inspector: Any, django_assert_max_num_queries: Any
) -> None:
    auth = _auth(inspector)
    payload = {
        "address": "Số 3 Quảng An",
        "owner_name": "Ông Trần Văn B",
        "lat": INSIDE_A[0],
        "lon": INSIDE_A[1],
        "permit_status": "exempt",
        "exempt_reason": "Nhà tạm",
        "unit_id": wards[0].pk,
    }
    created = client.post(f"{BASE}/works", payload, content_type="application/json", **auth)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["permit_status_label"] == "Miễn giấy phép" and body["url"].endswith(
        f"/{body['id']}/"
    )
    for i in range(12):
        services.work_register(unit=wards[0], actor=inspector, data=work_data(address=f"Ngõ {i}"))
    with django_assert_max_num_queries(8):
        listing = client.get(f"{BASE}/works", {"limit": 50}, **auth)
    assert listing.status_code == 200 and listing.json()["count"] == 13
    one = client.get(f"{BASE}/works/{body['id']}", **auth).json()
    assert one["address"] == "Số 3 Quảng An"
    updated = client.put(
        f"{BASE}/works/{body['id']}",
        {**payload, "status": "completed"},
        content_type="application/json",
        **auth,
    )
    assert (
        updated.status_code == 200
        and updated.json()["completed_on"] == timezone.localdate().isoformat()
    )


def test_errors_have_codes(
    client: Client, wards: Any, inspector: Any, work_b: Work, clerk: Any
) -> None:
    auth = _auth(inspector)
    outside = client.post(
        f"{BASE}/works",
        {
            "address": "x",
            "owner_name": "y",
            "lat": INSIDE_B[0],
            "lon": INSIDE_B[1],
            "unit_id": wards[0].pk,
        },
        content_type="application/json",
        **auth,
    )
    assert outside.status_code == 400 and outside.json()["code"] == "location_outside_ward"
    assert client.get(f"{BASE}/works/{work_b.pk}", **auth).json()["code"] == "not_found"
    assert client.get(f"{BASE}/works/{work_b.pk}", **auth).status_code == 404
    other_unit = client.post(
        f"{BASE}/works",
        {"address": "x", "owner_name": "y", "unit_id": wards[1].pk},
        content_type="application/json",
        **auth,
    )
    assert other_unit.status_code == 404 and other_unit.json()["code"] == "unit_invalid"
    denied = client.get(f"{BASE}/works", **_auth(clerk))
    assert denied.status_code == 403 and denied.json()["code"] == "permission_denied"
    assert not Work.objects.filter(unit=wards[0]).exists()


def test_violation_flow_over_api(client: Client, work: Work, inspector: Any, leader: Any) -> None:
    auth = _auth(inspector)
    bad = client.post(
        f"{BASE}/works/{work.pk}/violations",
        {"category": "nope", "description": "x"},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 400 and bad.json()["code"] == "violation_category_unknown"
    made = client.post(
        f"{BASE}/works/{work.pk}/violations",
        {
            "category": "encroachment",
            "description": "Kho trên đất công",
            "record_date": (timezone.localdate() - dt.timedelta(days=40)).isoformat(),
        },
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 201
    v = made.json()
    assert v["status"] == "stop_ordered" and v["overdue"] is True and v["stop_order_pdf"]
    wrong = client.post(
        f"{BASE}/violations/{v['id']}/enforce",
        {"measures": "x"},
        content_type="application/json",
        **_auth(leader),
    )
    assert wrong.status_code == 409 and wrong.json()["code"] == "violation_bad_transition"
    not_leader = client.post(
        f"{BASE}/violations/{v['id']}/sanction",
        {"decision_number": "1", "fine_amount": "1000"},
        content_type="application/json",
        **auth,
    )
    assert not_leader.status_code == 403
    sanctioned = client.post(
        f"{BASE}/violations/{v['id']}/sanction",
        {"decision_number": "12/QĐ-XPHC", "fine_amount": "35000000", "dismantling_required": True},
        content_type="application/json",
        **_auth(leader),
    )
    assert sanctioned.status_code == 200 and sanctioned.json()["fine_amount"] in (
        "35000000",
        35000000,
    )
    closed = client.post(
        f"{BASE}/violations/{v['id']}/dismantle",
        {"note": "Đã tháo"},
        content_type="application/json",
        **auth,
    )
    assert closed.json()["status"] == "dismantled"
    closed = client.post(
        f"{BASE}/violations/{v['id']}/close",
        {"note": "Đã trả mặt bằng", "fine_paid": True},
        content_type="application/json",
        **auth,
    )
    assert closed.json()["status"] == "closed" and closed.json()["overdue"] is False
    listing = client.get(f"{BASE}/violations", {"overdue": True}, **auth).json()
    assert listing["count"] == 0
    assert Violation.objects.get().fine_paid


def test_inspection_upload_over_api(client: Client, work: Work, inspector: Any) -> None:
    auth = _auth(inspector)
    from django.core.files.uploadedfile import SimpleUploadedFile

    ok = client.post(
        f"{BASE}/works/{work.pk}/inspections",
        {
            "inspected_on": timezone.localdate().isoformat(),
            "findings": "Đúng phép",
            "result": "compliant",
            "lat": INSIDE_A[0],
            "lon": INSIDE_A[1],
            "photo": SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg"),
        },
        **auth,
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["photos"][0]["location_source"] == "form"
    fake = client.post(
        f"{BASE}/works/{work.pk}/inspections",
        {
            "inspected_on": timezone.localdate().isoformat(),
            "findings": "x",
            "result": "compliant",
            "photo": SimpleUploadedFile("a.png", b"GIF89a....", content_type="image/png"),
        },
        **auth,
    )
    assert fake.status_code == 415 and fake.json()["code"].startswith("file_type")
    assert len(client.get(f"{BASE}/works/{work.pk}/inspections", **auth).json()) == 1
    cats = client.get(f"{BASE}/categories", **auth).json()
    assert {c["code"] for c in cats} >= {"no_permit", "encroachment"}
    rates = client.get(
        f"{BASE}/control",
        {"year": timezone.localdate().year, "month": timezone.localdate().month},
        **auth,
    ).json()
    assert rates[0]["controlled"] == 1
