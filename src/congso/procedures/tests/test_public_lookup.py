# ruff: noqa: F811 - fixtures imported from p3_fixtures
"""The public lookup (/tra-cuu/ and GET /api/v1/public/dossiers/{code}) and the rating."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from congso.kernel.people.models import Role
from congso.procedures import services
from congso.procedures.models import Dossier, DossierRating, DossierStatus
from congso.procedures.public_lookup import LOOKUP_FAILED_MESSAGE, initials
from congso.procedures.tests.p3_fixtures import (  # noqa: F401 - fixtures
    PDF_BYTES,
    _fresh_rate_limits,
    civil_field,
    online_procedure,
    papers_of,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/public/dossiers/"


@pytest.fixture
def officer(make_user: Any, ward_a: Any) -> Any:
    return make_user(Role.ONESTOP_OFFICER, ward_a, full_name="Lê Văn Một Cửa")


@pytest.fixture
def dossier(online_procedure: Any, ward_a: Any) -> Dossier:
    papers = papers_of(online_procedure)
    return services.dossier_submit_online(
        unit=ward_a,
        procedure=online_procedure,
        applicant={
            "name": "Nguyễn Văn An",
            "phone": "0987 654 321",
            "address": "5 Đặng Thai Mai",
            "id_number": "001099000123",
            "email": "an@example.org",
        },
        uploads=[
            (papers[0].pk, SimpleUploadedFile("a.pdf", PDF_BYTES)),
            (papers[1].pk, SimpleUploadedFile("b.pdf", PDF_BYTES)),
        ],
    )


def test_lookup_by_qr_link_shows_status_without_personal_data(
    client: Client, dossier: Dossier, officer: Any
) -> None:
    services.dossier_accept(dossier=dossier, officer=officer)
    response = client.get(
        reverse("procedures_lookup:lookup"), {"ma": dossier.code, "k": dossier.lookup_secret}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Được tiếp nhận" in text and dossier.code in text
    assert "N.V.A." in text
    dossier.refresh_from_db()
    assert timezone.localtime(dossier.due_at).strftime("%d/%m/%Y") in text
    for secret in (
        "Nguyễn Văn An",
        "0987",
        "654 321",
        "Đặng Thai Mai",
        "001099000123",
        "an@example.org",
        "Lê Văn Một Cửa",
    ):
        assert secret not in text


def test_lookup_form_post_and_phone_digits(client: Client, dossier: Dossier) -> None:
    url = reverse("procedures_lookup:lookup")
    assert client.get(url).status_code == 200
    response = client.post(url, {"ma": dossier.code.lower(), "k": "4321"})
    assert response.status_code == 200
    assert "Mới đăng ký" in response.content.decode()
    response = client.post(url, {"ma": dossier.code, "k": dossier.lookup_secret.lower()})
    assert response.status_code == 200


def test_unknown_code_and_wrong_secret_give_the_same_answer(
    client: Client, dossier: Dossier
) -> None:
    url = reverse("procedures_lookup:lookup")
    wrong = client.post(url, {"ma": dossier.code, "k": "WRONG123"})
    unknown = client.post(url, {"ma": dossier.code[:-4] + "9999", "k": dossier.lookup_secret})
    wrong_phone = client.post(url, {"ma": dossier.code, "k": "0000"})
    assert wrong.status_code == unknown.status_code == wrong_phone.status_code == 404
    for response in (wrong, unknown, wrong_phone):
        assert LOOKUP_FAILED_MESSAGE in response.content.decode()
        assert "Mới đăng ký" not in response.content.decode()
    api_wrong = client.get(API + dossier.code, {"secret": "WRONG123"})
    api_unknown = client.get(API + "X-000000-0000", {"secret": dossier.lookup_secret})
    assert api_wrong.status_code == api_unknown.status_code == 404
    assert api_wrong.json() == api_unknown.json()
    assert api_wrong.json()["code"] == "lookup_failed"


def test_lookup_rate_limited_per_ip_and_per_code(
    client: Client, dossier: Dossier, settings: Any
) -> None:
    settings.ONESTOP_LOOKUP_RATE_IP = 3
    settings.ONESTOP_LOOKUP_RATE_CODE = 100
    url = reverse("procedures_lookup:lookup")
    for _ in range(3):
        assert client.post(url, {"ma": dossier.code, "k": "ZZZZ9999"}).status_code == 404
    response = client.post(url, {"ma": dossier.code, "k": dossier.lookup_secret})
    assert response.status_code == 429
    assert "thử quá nhiều lần" in response.content.decode()
    # Per code: from many addresses, the same code is still limited.
    settings.ONESTOP_LOOKUP_RATE_IP = 1000
    settings.ONESTOP_LOOKUP_RATE_CODE = 5
    from django.core.cache import caches

    caches["default"].clear()
    for i in range(5):
        other = Client(REMOTE_ADDR=f"10.0.0.{i + 1}")
        assert other.get(API + dossier.code, {"secret": "0000"}).status_code == 404
    last = Client(REMOTE_ADDR="10.0.0.99").get(
        API + dossier.code, {"secret": dossier.lookup_secret}
    )
    assert last.status_code == 429
    assert last.json()["code"] == "rate_limited"


def test_api_public_status_and_supplement_items(
    client: Client, dossier: Dossier, officer: Any
) -> None:
    services.dossier_request_supplement(
        dossier=dossier,
        actor=officer,
        items="Bản sao giấy đăng ký kết hôn của cha mẹ",
        note="Nộp bổ sung tại bộ phận một cửa",
    )
    response = client.get(API + dossier.code, {"secret": dossier.lookup_secret})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == DossierStatus.SUPPLEMENT_REQUESTED
    assert body["status_label"] == "Yêu cầu bổ sung giấy tờ"
    assert "giấy đăng ký kết hôn" in body["supplement_items"]
    assert body["applicant_initials"] == "N.V.A."
    assert body["to_bring"]
    labels = [e["label"] for e in body["timeline"]]
    assert labels[0] == "Nộp hồ sơ trực tuyến"
    assert "Yêu cầu bổ sung, hoàn thiện hồ sơ" in labels
    flat = str(body)
    assert "0987" not in flat and "Nguyễn Văn An" not in flat and "an@example.org" not in flat
    page = client.get(
        reverse("procedures_lookup:lookup"), {"ma": dossier.code, "k": dossier.lookup_secret}
    ).content.decode()
    assert "giấy đăng ký kết hôn" in page


def _finish(dossier: Dossier, officer: Any, make_user: Any, ward_a: Any) -> Dossier:
    services.dossier_accept(dossier=dossier, officer=officer)
    leader = make_user(Role.LEADER, ward_a)
    dossier.refresh_from_db()
    services.dossier_complete(dossier=dossier, actor=leader, result_summary="Giấy khai sinh")
    dossier.refresh_from_db()
    return dossier


def test_rating_once_after_result(
    client: Client, dossier: Dossier, officer: Any, make_user: Any, ward_a: Any
) -> None:
    url = reverse("procedures_lookup:rate")
    # Before the result: no rating.
    response = client.post(url, {"ma": dossier.code, "k": dossier.lookup_secret, "score": 3})
    assert response.status_code == 409
    assert "Chỉ đánh giá được sau khi hồ sơ đã có kết quả." in response.content.decode()
    dossier = _finish(dossier, officer, make_user, ward_a)
    page = client.get(
        reverse("procedures_lookup:lookup"), {"ma": dossier.code, "k": dossier.lookup_secret}
    ).content.decode()
    assert "Đánh giá mức độ hài lòng" in page and "Rất hài lòng" in page
    # A wrong secret cannot rate.
    response = client.post(url, {"ma": dossier.code, "k": "WRONG123", "score": 1})
    assert response.status_code == 404
    response = client.post(
        url, {"ma": dossier.code, "k": dossier.lookup_secret, "score": 3, "comment": "Nhanh"}
    )
    assert response.status_code == 200
    rating = DossierRating.objects.get()
    assert rating.score == 3 and rating.comment == "Nhanh"
    assert "Bạn đã đánh giá" in response.content.decode()
    response = client.post(url, {"ma": dossier.code, "k": dossier.lookup_secret, "score": 1})
    assert "Hồ sơ này đã được đánh giá." in response.content.decode()
    assert DossierRating.objects.count() == 1


def test_lookup_query_count(
    client: Client, dossier: Dossier, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(6):
        response = client.get(
            reverse("procedures_lookup:lookup"), {"ma": dossier.code, "k": dossier.lookup_secret}
        )
    assert response.status_code == 200


def test_initials() -> None:
    assert initials("Nguyễn Văn An") == "N.V.A."
    assert initials("  đỗ  thị  hà ") == "Đ.T.H."
    assert initials("") == ""


def test_lookup_uses_submitted_time(dossier: Dossier) -> None:
    assert dossier.submitted_at <= timezone.now() + dt.timedelta(seconds=1)
