# ruff: noqa: F811 - fixtures imported from p3_fixtures
"""The public catalogue and online filing (/dich-vu-cong/)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from congso.kernel.files.models import StoredFile
from congso.procedures.models import Dossier, DossierStatus, Procedure
from congso.procedures.tests.p3_fixtures import (  # noqa: F401 - fixtures
    PDF_BYTES,
    PNG_BYTES,
    _fresh_rate_limits,
    civil_field,
    desk_procedure,
    online_procedure,
    papers_of,
)

pytestmark = pytest.mark.django_db


def _post(procedure: Procedure, unit: Any, **over: Any) -> dict[str, Any]:
    papers = papers_of(procedure)
    data: dict[str, Any] = {
        "unit": unit.pk,
        "applicant_type": 0,
        "name": "Trần Thị Bình",
        "id_number": "001190000001",
        "phone": "0912 345 678",
        "email": "binh@example.org",
        "address": "12 Xuân Diệu, Tây Hồ",
        "content": "Đăng ký khai sinh cho con",
        "pledge": "on",
        f"paper_{papers[0].pk}": SimpleUploadedFile("to-khai.pdf", PDF_BYTES),
        f"paper_{papers[1].pk}": SimpleUploadedFile("chung-sinh.png", PNG_BYTES),
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_catalogue_search_filters(
    client: Client, online_procedure: Any, desk_procedure: Any
) -> None:
    url = reverse("procedures_public:catalogue")
    page = client.get(url).content.decode()
    assert online_procedure.name in page and desk_procedure.name in page
    # Without diacritics, case-insensitive.
    page = client.get(url, {"q": "khai sinh"}).content.decode()
    assert online_procedure.name in page and desk_procedure.name not in page
    page = client.get(url, {"linh_vuc": "CT"}).content.decode()
    assert desk_procedure.name in page and online_procedure.name not in page
    page = client.get(url, {"muc": "online"}).content.decode()
    assert online_procedure.name in page and desk_procedure.name not in page


def test_catalogue_query_count(
    client: Client, online_procedure: Any, desk_procedure: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(8):
        assert client.get(reverse("procedures_public:catalogue")).status_code == 200


def test_procedure_page_shows_papers_fees_steps(client: Client, online_procedure: Any) -> None:
    page = client.get(reverse("procedures_public:procedure", args=[online_procedure.code]))
    text = page.content.decode()
    assert page.status_code == 200
    for needle in (
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
        "8.000",
        "Thẩm định",
        "Giấy khai sinh",
        "Nộp hồ sơ trực tuyến",
    ):
        assert needle in text
    assert client.get(reverse("procedures_public:procedure", args=["0.000000"])).status_code == 404


def test_blank_form_download_is_public(client: Client, online_procedure: Any, ward_a: Any) -> None:
    from congso.kernel.files.services import file_store

    paper = papers_of(online_procedure)[0]
    paper.form_file = file_store(
        upload=SimpleUploadedFile("mau.pdf", PDF_BYTES), unit=ward_a, allowed_types=["pdf"]
    )
    paper.save()
    response = client.get(reverse("procedures_public:blank_form", args=[paper.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    other = papers_of(online_procedure)[1]
    assert client.get(reverse("procedures_public:blank_form", args=[other.pk])).status_code == 404


def test_online_filing_gives_code_and_secret_at_once(
    client: Client, online_procedure: Any, ward_a: Any
) -> None:
    url = reverse("procedures_public:file", args=[online_procedure.code])
    assert client.get(url).status_code == 200
    response = client.post(url, _post(online_procedure, ward_a))
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert dossier.status == DossierStatus.SUBMITTED
    assert dossier.code.startswith("H26.TEST.103-")
    assert dossier.attachments.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert dossier.code in page and dossier.lookup_secret in page and "<svg" in page
    assert len(mail.outbox) == 1 and dossier.lookup_secret in mail.outbox[0].body
    # Another browser cannot see the codes page.
    assert Client().get(response["Location"]).status_code == 404


def test_online_filing_csrf(online_procedure: Any, ward_a: Any) -> None:
    strict = Client(enforce_csrf_checks=True)
    url = reverse("procedures_public:file", args=[online_procedure.code])
    assert strict.post(url, _post(online_procedure, ward_a)).status_code == 403
    assert not Dossier.objects.exists()


def test_file_lying_about_its_type_is_refused(
    client: Client, online_procedure: Any, ward_a: Any
) -> None:
    papers = papers_of(online_procedure)
    files_before = StoredFile.objects.count()
    fake = SimpleUploadedFile("to-khai.pdf", b"MZ\x90\x00 this is an executable, not a PDF")
    response = client.post(
        reverse("procedures_public:file", args=[online_procedure.code]),
        _post(online_procedure, ward_a, **{f"paper_{papers[0].pk}": fake}),
    )
    assert response.status_code == 422
    assert "to-khai.pdf" in response.content.decode() or "không" in response.content.decode()
    assert not Dossier.objects.exists()
    assert StoredFile.objects.count() == files_before


def test_missing_required_paper(client: Client, online_procedure: Any, ward_a: Any) -> None:
    papers = papers_of(online_procedure)
    response = client.post(
        reverse("procedures_public:file", args=[online_procedure.code]),
        _post(online_procedure, ward_a, **{f"paper_{papers[1].pk}": None}),
    )
    assert response.status_code == 422
    assert "Cần tải lên: Giấy chứng sinh." in response.content.decode()
    assert not Dossier.objects.exists()


def test_unknown_procedure_and_desk_only(client: Client, desk_procedure: Any, ward_a: Any) -> None:
    assert client.get(reverse("procedures_public:file", args=["9.999999"])).status_code == 404
    response = client.get(reverse("procedures_public:file", args=[desk_procedure.code]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/thu-tuc/{desk_procedure.code}/")


def test_invalid_applicant_fields(client: Client, online_procedure: Any, ward_a: Any) -> None:
    response = client.post(
        reverse("procedures_public:file", args=[online_procedure.code]),
        _post(online_procedure, ward_a, phone="abc", pledge=None),
    )
    text = response.content.decode()
    assert response.status_code == 422
    assert "Cần xác nhận lời cam đoan" in text
    response = client.post(
        reverse("procedures_public:file", args=[online_procedure.code]),
        _post(online_procedure, ward_a, phone="abc"),
    )
    assert response.status_code == 422
    assert "Số điện thoại không hợp lệ." in response.content.decode()
    assert not Dossier.objects.exists()


def test_filing_rate_limited(
    client: Client, online_procedure: Any, ward_a: Any, settings: Any
) -> None:
    settings.ONESTOP_FILING_RATE = 2
    url = reverse("procedures_public:file", args=[online_procedure.code])
    for _ in range(2):
        assert client.post(url, _post(online_procedure, ward_a)).status_code == 302
    response = client.post(url, _post(online_procedure, ward_a))
    assert response.status_code == 429
    assert "thử quá nhiều lần" in response.content.decode()
    assert Dossier.objects.count() == 2


def test_public_menu_entries(client: Client, online_procedure: Any) -> None:
    from congso.procedures.public_views import register_public_ui

    register_public_ui()
    page = client.get("/").content.decode()
    assert reverse("procedures_public:catalogue") in page
    assert reverse("procedures_lookup:lookup") in page
