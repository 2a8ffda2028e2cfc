"""Downloads only through the permission-checked views: scope, owner rules, headers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from congso.kernel.files.models import StoredFile
from congso.kernel.files.rules import can_download, register_access_rule, unregister_access_rule
from congso.kernel.files.services import file_store
from congso.kernel.files.tests.conftest import make_ooxml, make_pdf, make_png
from congso.kernel.orgunits.models import Department
from congso.kernel.people.models import Role

pytestmark = pytest.mark.django_db

NAME = "Quyết định số 05.pdf"


@pytest.fixture
def file_a(upload: Any, ward_a: Any, clerk_a: Any) -> StoredFile:
    return file_store(upload=upload(NAME, make_pdf()), unit=ward_a, user=clerk_a)


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def _page(response: Any, path: str) -> str:
    """The page without its per-request CSRF token and its own address."""
    return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode()).replace(path, "URL")


def test_download_streams_with_safe_headers(
    client: Client, login: Any, clerk_a: Any, file_a: StoredFile
) -> None:
    login(client, clerk_a)
    response = client.get(reverse("files:download", args=[file_a.public_id]))
    assert response.status_code == 200
    assert response.streaming
    assert _body(response) == make_pdf()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(make_pdf()))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert 'filename="Quyet dinh so 05.pdf"' in disposition
    assert f"filename*=UTF-8''{quote(NAME, safe='')}" in disposition
    _body(response)  # consuming closes it (close() itself would end the DB connection)


def test_inline_view_for_pdf_and_images_only(
    client: Client, login: Any, clerk_a: Any, ward_a: Any, upload: Any, file_a: StoredFile
) -> None:
    login(client, clerk_a)
    response = client.get(reverse("files:view", args=[file_a.public_id]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline; ")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    _body(response)

    image = file_store(upload=upload("anh.png", make_png()), unit=ward_a)
    response = client.get(reverse("files:view", args=[image.public_id]))
    assert response["Content-Disposition"].startswith("inline; ")
    assert "sandbox" in response["Content-Security-Policy"]
    _body(response)

    docx = file_store(upload=upload("to-trinh.docx", make_ooxml()), unit=ward_a)
    response = client.get(reverse("files:view", args=[docx.public_id]))
    assert response["Content-Disposition"].startswith("attachment; ")
    _body(response)


def test_another_wards_user_gets_404_as_for_a_file_that_does_not_exist(
    client: Client, login: Any, clerk_b: Any, file_a: StoredFile
) -> None:
    login(client, clerk_b)
    hidden_url = reverse("files:download", args=[file_a.public_id])
    missing_url = reverse("files:download", args=["00000000-0000-4000-8000-000000000000"])
    hidden, missing = client.get(hidden_url), client.get(missing_url)
    assert hidden.status_code == missing.status_code == 404
    assert "Không tìm thấy" in hidden.content.decode()
    assert NAME not in hidden.content.decode()
    assert _page(hidden, hidden_url) == _page(missing, missing_url)
    assert client.get(reverse("files:view", args=[file_a.public_id])).status_code == 404


def test_anonymous_is_sent_to_login(client: Client, file_a: StoredFile) -> None:
    response = client.get(reverse("files:download", args=[file_a.public_id]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_leader_of_the_parent_unit_sees_the_wards_files(
    client: Client, login: Any, make_user: Any, hanoi: Any, file_a: StoredFile
) -> None:
    leader = make_user(Role.LEADER, hanoi)
    login(client, leader)
    response = client.get(reverse("files:download", args=[file_a.public_id]))
    assert response.status_code == 200
    _body(response)


@pytest.fixture
def secret_rule() -> Iterator[None]:
    """As a domain app would: files of a Department need clearance ≥ 1 (a stand-in rule)."""
    register_access_rule(Department, lambda user, owner: user.clearance >= 1)
    yield
    unregister_access_rule(Department)


def test_owner_access_rule_decides_inside_the_scope(
    client: Client,
    login: Any,
    make_user: Any,
    ward_a: Any,
    upload: Any,
    secret_rule: None,
) -> None:
    office = Department.objects.get(unit=ward_a)
    stored = file_store(upload=upload("mat.pdf", make_pdf()), owner=office)
    ordinary = make_user(Role.SPECIALIST, ward_a, clearance=0)
    cleared = make_user(Role.SPECIALIST, ward_a, clearance=1)
    assert not can_download(ordinary, stored) and can_download(cleared, stored)

    login(client, ordinary)
    refused = client.get(reverse("files:download", args=[stored.public_id]))
    assert refused.status_code == 403
    assert "quyền" in refused.content.decode()
    login(client, cleared)
    allowed = client.get(reverse("files:download", args=[stored.public_id]))
    assert allowed.status_code == 200
    _body(allowed)


def test_a_file_whose_ruled_owner_is_gone_is_refused(
    ward_a: Any, make_user: Any, upload: Any, secret_rule: None
) -> None:
    office = Department.objects.create(unit=ward_a, name="Tổ tạm", abbreviation="TT", kind="other")
    stored = file_store(upload=upload("mat.pdf", make_pdf()), owner=office)
    office.delete()
    stored.refresh_from_db()
    assert not can_download(make_user(Role.SPECIALIST, ward_a, clearance=3), stored)


def test_no_public_media_url(client: Client, login: Any, clerk_a: Any, file_a: StoredFile) -> None:
    assert not settings.MEDIA_URL or settings.MEDIA_URL == "/"
    login(client, clerk_a)
    for prefix in ("/media/", "/"):
        assert client.get(prefix + file_a.storage_name).status_code == 404


def test_missing_bytes_give_404_not_500(
    client: Client, login: Any, clerk_a: Any, file_a: StoredFile, storage_dir: Any
) -> None:
    (storage_dir / file_a.storage_name).unlink()
    login(client, clerk_a)
    assert client.get(reverse("files:download", args=[file_a.public_id])).status_code == 404


def test_admin_shows_metadata_read_only(
    client: Client, login: Any, file_a: StoredFile, django_user_model: Any
) -> None:
    admin = django_user_model.objects.create_superuser("quantri", "qt@example.vn", "mat-khau-123")
    login(client, admin)
    listing = client.get(reverse("admin:files_storedfile_changelist"))
    assert listing.status_code == 200 and NAME in listing.content.decode()
    page = client.get(reverse("admin:files_storedfile_change", args=[file_a.pk]))
    assert page.status_code == 200
    assert reverse("files:download", args=[file_a.public_id]) in page.content.decode()
    assert client.get(reverse("admin:files_storedfile_add")).status_code == 403
    delete_url = reverse("admin:files_storedfile_delete", args=[file_a.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert StoredFile.objects.filter(pk=file_a.pk).exists()


def test_head_gives_headers_and_other_methods_are_refused(
    client: Client, login: Any, clerk_a: Any, file_a: StoredFile
) -> None:
    login(client, clerk_a)
    url = reverse("files:download", args=[file_a.public_id])
    head = client.head(url)
    assert head.status_code == 200 and head["Content-Length"] == str(file_a.size)
    assert client.post(url).status_code == 405
    assert client.delete(url).status_code == 405
