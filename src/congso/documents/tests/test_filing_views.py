"""File pages: a clerk builds the list, a leader approves, documents go in from the document
page's "add to file" form, the file is closed and exported for deposit."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from congso.documents.models import File, FileEntry, FileHeading, FileList, FileStatus
from congso.documents.tests.registers_helpers import make_incoming
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


def test_journey(
    client: Client, login: Login, ward_a: AdminUnit, make_user: Callable[..., User]
) -> None:
    clerk = make_user(Role.CLERK, ward_a, full_name="Trần Thị Văn Thư")
    leader = make_user(Role.LEADER, ward_a, full_name="Lê Văn Chủ Tịch")
    login(client, clerk)
    index = client.get(reverse("documents:filing_index"))
    assert index.status_code == 200 and "Lập danh mục hồ sơ mới" in index.content.decode()
    response = client.post(
        reverse("documents:filing_list_create"),
        {"unit": ward_a.pk, "year": "2026", "numbering": "list"},
    )
    file_list = FileList.objects.get(unit=ward_a, year=2026)
    assert response.status_code == 302
    action = lambda name: reverse("documents:filing_list_action", args=[file_list.pk, name])  # noqa: E731
    client.post(action("heading"), {"title": "Tổ chức, cán bộ", "abbreviation": "TCCB"})
    heading = FileHeading.objects.get(file_list=file_list)
    client.post(action("heading"), {"title": "Tuyển dụng", "parent": heading.pk})
    sub = FileHeading.objects.get(parent=heading)
    client.post(
        action("file"),
        {
            "heading": sub.pk,
            "title": "Hồ sơ tuyển dụng 2026",
            "retention_years": "70",
            "keeper": clerk.pk,
            "access": "restricted",
        },
    )
    file = File.objects.get(file_list=file_list)
    assert (file.notation, file.retention_years, file.access) == ("01.TCCB", 70, "restricted")
    # Renaming the top heading's abbreviation renumbers its files; a heading with files stays.
    client.post(
        action("heading-update"),
        {"heading": heading.pk, "title": "Tổ chức, cán bộ", "abbreviation": "NV"},
    )
    file.refresh_from_db()
    assert file.notation == "01.NV"
    client.post(
        action("heading-update"),
        {"heading": heading.pk, "title": "Tổ chức, cán bộ", "abbreviation": "TCCB"},
    )
    refused = client.post(action("heading-delete"), {"heading": sub.pk}, follow=True)
    assert "Đề mục còn đề mục nhỏ hoặc hồ sơ" in refused.content.decode()
    assert FileHeading.objects.filter(pk=sub.pk).exists()
    page = client.get(reverse("documents:filing_list", args=[file_list.pk]))
    html = page.content.decode()
    assert "01.TCCB" in html and "TỔ CHỨC, CÁN BỘ" in html
    # A clerk cannot approve: the page says why, nothing changes.
    denied = client.post(action("approve"))
    assert denied.status_code == 403
    login(client, leader)
    client.post(action("approve"), {"decision_notation": "01/QĐ-UBND"})
    login(client, clerk)
    client.post(action("issue"))
    file_list.refresh_from_db()
    assert file_list.issued_at is not None
    pdf = client.get(reverse("documents:filing_list", args=[file_list.pk]), {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"

    # From the incoming document's page: the htmx form lists the open file; posting adds it.
    document = make_incoming(ward_a, 1, page_count=2)
    form = client.get(
        reverse("documents:filing_add"),
        {"kind": "incoming", "document": document.pk},
        HTTP_HX_REQUEST="true",
    )
    assert "01.TCCB" in form.content.decode()
    assert "<html" not in form.content.decode()  # a fragment for htmx
    page = client.get(
        reverse("documents:filing_add"), {"kind": "incoming", "document": document.pk}
    )
    assert "<html" in page.content.decode() and "01.TCCB" in page.content.decode()
    # The box a document page includes loads that form.
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/van-ban/den/1/")
    box = render_to_string(
        "documents/filing/_add_to_file.html",
        {"document": document, "kind": "incoming", "request": request},
    )
    assert (
        f'hx-get="{reverse("documents:filing_add")}?kind=incoming&amp;document={document.pk}' in box
    )
    added = client.post(
        reverse("documents:filing_add"),
        {"kind": "incoming", "document": document.pk, "file": file.pk, "pages": "2"},
        HTTP_HX_REQUEST="true",
    )
    assert "Đã đưa vào hồ sơ 01.TCCB" in added.content.decode()
    again = client.post(
        reverse("documents:filing_add"),
        {"kind": "incoming", "document": document.pk, "file": file.pk, "next": "/van-ban/den/"},
    )
    assert again.status_code == 302 and again["Location"] == "/van-ban/den/"
    assert FileEntry.objects.filter(file=file).count() == 1
    detail = client.get(reverse("documents:filing_file", args=[file.pk]))
    assert "Sở Nội vụ thành phố Hà Nội" in detail.content.decode()

    close = reverse("documents:filing_file_action", args=[file.pk, "close"])
    client.post(close, {"closing_note": ""})
    file.refresh_from_db()
    assert file.status == FileStatus.OPEN
    client.post(close, {"closing_note": "Hồ sơ gồm 01 văn bản, 02 trang."})
    file.refresh_from_db()
    assert file.status == FileStatus.CLOSED
    export = client.get(reverse("documents:filing_export", args=[file.pk]))
    assert export.status_code == 200 and export["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(export.content)).namelist()
    assert "H26.TEST.103.2026.01.TCCB/metadata.xml" in names


def test_other_committees_files_are_not_found(
    client: Client,
    login: Login,
    ward_a: AdminUnit,
    ward_b: AdminUnit,
    make_user: Callable[..., User],
) -> None:
    clerk_b = make_user(Role.CLERK, ward_b)
    clerk_a = make_user(Role.CLERK, ward_a)
    file_list = FileList.objects.create(unit=ward_a, year=2026, created_by=clerk_a)
    login(client, clerk_b)
    assert client.get(reverse("documents:filing_list", args=[file_list.pk])).status_code == 404
    assert client.get(reverse("documents:filing_index"), {"unit": ward_a.pk}).status_code == 404
    document = make_incoming(ward_a, 1)
    form = client.get(
        reverse("documents:filing_add"), {"kind": "incoming", "document": document.pk}
    )
    assert form.status_code == 404
    specialist = make_user(Role.SPECIALIST, ward_a)
    login(client, specialist)
    response = client.post(
        reverse("documents:filing_list_create"), {"unit": ward_a.pk, "year": "2027"}
    )
    assert response.status_code == 403
