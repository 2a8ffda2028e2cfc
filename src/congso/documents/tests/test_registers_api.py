"""/api/v1/documents/registers, /reports/status and /files: JSON, downloads, errors."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from congso.documents.models import FileEntry
from congso.documents.services import filing
from congso.documents.tests.registers_helpers import assign, make_incoming, make_outgoing
from congso.kernel.orgunits.models import AdminUnit, Department
from congso.kernel.people.models import Role, User
from congso.kernel.people.services import api_token_create

pytestmark = pytest.mark.django_db

BASE = "/api/v1/documents"


@pytest.fixture(autouse=True)
def storage_dir(tmp_path: Path, settings: Any) -> Path:
    location = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }
    return location


@pytest.fixture
def clerk(ward_a: AdminUnit, make_user: Callable[..., User]) -> User:
    return make_user(Role.CLERK, ward_a, full_name="Trần Thị Văn Thư")


@pytest.fixture
def leader(ward_a: AdminUnit, make_user: Callable[..., User]) -> User:
    return make_user(Role.LEADER, ward_a, full_name="Lê Văn Chủ Tịch")


def bearer(user: User) -> dict[str, str]:
    _token, key = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_incoming_register_json(
    client: Client, ward_a: AdminUnit, clerk: User, leader: User
) -> None:
    office = Department.objects.get(unit=ward_a)
    document = make_incoming(
        ward_a, 1, notation="15/QĐ-UBND", type_name="Quyết định", subject="về việc phê duyệt"
    )
    assign(document, by=leader, department=office)
    make_incoming(ward_a, 2)
    auth = bearer(clerk)
    response = client.get(f"{BASE}/registers/incoming", {"year": 2026, "unit": ward_a.pk}, **auth)
    assert response.status_code == 200, response.content
    body = response.json()
    assert [c["label"] for c in body["columns"]][:3] == ["Ngày đến", "Số đến", "Tác giả"]
    assert body["count"] == 2 and body["title"] == "Sổ đăng ký văn bản đến"
    first = body["items"][0]
    assert first["arrival_number"] == 1 and first["arrived_on"] == "2026-03-05"
    assert first["type_and_subject"] == "Quyết định về việc phê duyệt"
    assert first["recipient"] == "Văn phòng HĐND-UBND"
    assert body["digitization_rate"] == {"digitized": 0, "total": 2, "percent": 0.0}
    paged = client.get(
        f"{BASE}/registers/incoming", {"year": 2026, "limit": 1, "offset": 1}, **auth
    )
    assert [i["arrival_number"] for i in paged.json()["items"]] == [2]


def test_json_queries_do_not_grow(client: Client, ward_a: AdminUnit, clerk: User) -> None:
    auth = bearer(clerk)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert (
                client.get(f"{BASE}/registers/outgoing", {"year": 2026}, **auth).status_code == 200
            )
        return len(ctx.captured_queries)

    for i in range(1, 3):
        make_outgoing(ward_a, i, author=clerk)
    queries()  # the first call also records the token's use (once a minute)
    few = queries()
    for i in range(3, 30):
        make_outgoing(ward_a, i, author=clerk)
    assert queries() == few


def test_downloads_and_errors(client: Client, ward_a: AdminUnit, ward_b: AdminUnit,
                              clerk: User, make_user: Callable[..., User]) -> None:  # fmt: skip
    make_outgoing(ward_a, 1, author=clerk)
    auth = bearer(clerk)
    xlsx = client.get(f"{BASE}/registers/outgoing", {"format": "xlsx"}, **auth)
    assert xlsx.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(xlsx.content)).active["A7"].value == "01/QĐ-UBND"
    pdf = client.get(f"{BASE}/registers/followup", {"format": "pdf"}, **auth)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    bad = client.get(f"{BASE}/registers/incoming", {"from": "2026-02-30"}, **auth)
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_period"
    other = client.get(f"{BASE}/registers/incoming", {"unit": ward_b.pk}, **auth)
    assert other.status_code == 404 and other.json()["code"] == "not_found"
    secret = client.get(f"{BASE}/registers/incoming", {"secret": "true"}, **auth)
    assert secret.status_code == 403 and secret.json()["code"] == "permission_denied"
    fmt = client.get(f"{BASE}/registers/incoming", {"format": "doc"}, **auth)
    assert fmt.status_code == 422 and fmt.json()["code"] == "invalid_input"
    specialist = make_user(Role.SPECIALIST, ward_a)
    denied = client.get(f"{BASE}/registers/incoming", **bearer(specialist))
    assert denied.status_code == 403
    assert client.get(f"{BASE}/registers/incoming").status_code == 401


def test_status_report_json(client: Client, ward_a: AdminUnit, clerk: User, leader: User) -> None:
    office = Department.objects.get(unit=ward_a)
    assign(
        make_incoming(ward_a, 1),
        by=leader,
        department=office,
        deadline=dt.date(2026, 3, 10),
        done_on=dt.date(2026, 3, 12),
    )
    make_outgoing(ward_a, 1, author=clerk)
    body = client.get(f"{BASE}/reports/status", {"year": 2026}, **bearer(clerk)).json()
    assert body["incoming"]["totals"]["late"] == 1
    assert body["incoming"]["by_leader"][0]["label"] == "Lê Văn Chủ Tịch"
    assert body["outgoing"]["by_type"][0]["type"] == "Quyết định"
    assert body["outgoing"]["total"] == 1


def test_files_api(client: Client, ward_a: AdminUnit, clerk: User, leader: User) -> None:
    file_list = filing.file_list_create(user=clerk, unit=ward_a, year=2026)
    heading = filing.heading_create(
        user=clerk, file_list=file_list, title="Văn phòng", abbreviation="VP"
    )
    file = filing.file_create(
        user=clerk, heading=heading, title="Hồ sơ hội nghị", retention_years=10
    )
    filing.file_list_approve(user=leader, file_list=file_list)
    filing.file_list_issue(user=clerk, file_list=file_list)
    auth = bearer(clerk)
    listing = client.get(f"{BASE}/files/", {"year": 2026}, **auth)
    assert listing.status_code == 200, listing.content
    body = listing.json()
    assert body["headings"][0]["number"] == "I"
    assert [(f["notation"], f["retention"]) for f in body["files"]] == [("01.VP", "10 năm")]
    assert client.get(f"{BASE}/files/", {"year": 2020}, **auth).status_code == 404

    document = make_incoming(ward_a, 1, page_count=2)
    added = client.post(f"{BASE}/files/{file.pk}/documents",
                        {"kind": "incoming", "document_id": document.pk},
                        content_type="application/json", **auth)  # fmt: skip
    assert added.status_code == 201 and added.json()["ordinal"] == 1
    again = client.post(f"{BASE}/files/{file.pk}/documents",
                        {"kind": "incoming", "document_id": document.pk},
                        content_type="application/json", **auth)  # fmt: skip
    assert again.status_code == 400 and again.json()["code"] == "document_already_filed"
    missing = client.post(f"{BASE}/files/{file.pk}/documents",
                          {"kind": "outgoing", "document_id": 999999},
                          content_type="application/json", **auth)  # fmt: skip
    assert missing.status_code == 404
    assert FileEntry.objects.filter(file=file).count() == 1
    early = client.get(f"{BASE}/files/{file.pk}/export", **auth)
    assert early.status_code == 400 and early.json()["code"] == "file_not_closed"
    closed = client.post(f"{BASE}/files/{file.pk}/close", {"closing_note": "Gồm 01 văn bản."},
                         content_type="application/json", **auth)  # fmt: skip
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    detail = client.get(f"{BASE}/files/{file.pk}", **auth).json()
    assert detail["documents"][0]["notation"] == "101/SNV-VP"
    export = client.get(f"{BASE}/files/{file.pk}/export", **auth)
    assert export.status_code == 200 and export["Content-Type"] == "application/zip"
    assert (
        "H26.TEST.103.2026.01.VP/metadata.xml"
        in zipfile.ZipFile(io.BytesIO(export.content)).namelist()
    )


def test_long_register_pdf_is_accepted_then_polled(
    client: Client, ward_a: AdminUnit, clerk: User, monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    from congso.documents.services import registers as svc

    monkeypatch.setattr(svc, "PDF_SYNC_MAX_ROWS", 0)
    make_incoming(ward_a, 1)
    auth = bearer(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.get(f"{BASE}/registers/incoming", {"format": "pdf"}, **auth)
    assert accepted.status_code == 202
    export_id = accepted.json()["export_id"]
    polled = client.get(f"{BASE}/registers/exports/{export_id}", **auth).json()
    assert polled["status"] == "done" and polled["download_url"].startswith("/tep/")
    other = bearer(User.objects.create_user(username="other", password="x-test-123456"))
    assert client.get(f"{BASE}/registers/exports/{export_id}", **other).status_code == 404
