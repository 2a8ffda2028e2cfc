"""The legacy import pages: upload, guessed mapping, the report of bad rows, the import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from congso.documents.models import DocumentType, IncomingDocument
from congso.documents.tests.test_legacy_import_services import incoming_row, xlsx
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import Role, User

pytestmark = pytest.mark.django_db

Login = Callable[[Client, User], Client]


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


def _mapping_form(response: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": response.context["kind"], "unit": response.context["unit"].pk}
    for field, column in response.context["fields"]:
        data[f"map_{field.key}"] = "" if column is None else str(column)
    return data


def test_upload_check_fix_and_import(
    client: Client, login: Login, ward_a: AdminUnit, make_user: Callable[..., User]
) -> None:
    clerk = make_user(Role.CLERK, ward_a)
    login(client, clerk)
    page = client.get(reverse("documents:legacy_import"))
    assert page.status_code == 200 and "Nhập sổ văn bản cũ từ Excel" in page.content.decode()
    rows = [incoming_row(1), incoming_row(2, day="hôm qua"), incoming_row(3)]
    response = client.post(
        reverse("documents:legacy_import"),
        {"kind": "incoming", "file": SimpleUploadedFile("so-den.xlsx", xlsx(rows))},
    )
    assert response.status_code == 302
    mapping = client.get(response["Location"])
    assert mapping.status_code == 200
    form = _mapping_form(mapping)
    assert form["map_arrived_on"] == "0" and form["map_subject"] == "5"
    checked = client.post(response["Location"], {**form, "action": "import"})
    assert checked.status_code == 422
    html = checked.content.decode()
    assert "Không nhập: 1 dòng có lỗi trên tổng số 3 dòng" in html
    assert "Ngày không hợp lệ (dùng dd/mm/yyyy)." in html and "hôm qua" in html
    assert IncomingDocument.objects.count() == 0

    # The same register with the bad date fixed, and a type the catalogue lacks, mapped by hand.
    headers = ["Ngày đến", "Số đến", "Tác giả", "Tên loại", "Trích yếu"]
    data = xlsx(
        [[dt.date(2025, 2, 3), 1, "Sở Tài chính", "CV", "V/v quyết toán"],
         [dt.date(2025, 2, 4), 2, "Sở Tài chính", "Thông báo", "kết luận kiểm tra"]],
        headers=headers, title_rows=False,
    )  # fmt: skip
    response = client.post(
        reverse("documents:legacy_import"),
        {"kind": "incoming", "file": SimpleUploadedFile("b.xlsx", data)},
    )
    url = response["Location"]
    form = _mapping_form(client.get(url))
    checked = client.post(url, {**form, "action": "check"})
    assert checked.status_code == 422
    assert "“CV”" in checked.content.decode()
    letter = DocumentType.objects.get(name="Công văn")
    ok = client.post(url, {**form, "action": "check", "type__CV": letter.pk})
    assert ok.status_code == 200 and "2 dòng hợp lệ" in ok.content.decode()
    done = client.post(url, {**form, "action": "import", "type__CV": letter.pk})
    assert done.status_code == 302
    assert done["Location"].startswith(reverse("documents:register_incoming"))
    assert list(IncomingDocument.objects.order_by("arrival_number")
                .values_list("document_type__name", "subject")) == [
        ("Công văn", "V/v quyết toán"), ("Thông báo", "kết luận kiểm tra"),
    ]  # fmt: skip


def test_only_clerks_and_admins(
    client: Client, login: Login, ward_a: AdminUnit, make_user: Callable[..., User]
) -> None:
    login(client, make_user(Role.SPECIALIST, ward_a))
    assert client.get(reverse("documents:legacy_import")).status_code == 403
    login(client, make_user(Role.LEADER, ward_a))
    assert client.get(reverse("documents:legacy_import")).status_code == 403


def test_not_a_spreadsheet(
    client: Client, login: Login, ward_a: AdminUnit, make_user: Callable[..., User]
) -> None:
    login(client, make_user(Role.CLERK, ward_a))
    response = client.post(
        reverse("documents:legacy_import"),
        {"kind": "incoming", "file": SimpleUploadedFile("so.xlsx", b"%PDF-1.4 a pdf")},
    )
    assert response.status_code == 400
    assert "Tệp" in response.content.decode()
