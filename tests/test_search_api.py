"""``GET /api/v1/search``: the contract, the errors, and the scope (nothing out of scope leaks
through hits, counts, facets or snippets)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.test import Client

from congso.documents.models import DocumentType, IncomingDocument
from congso.kernel.people.models import AccountKind, Role
from congso.kernel.people.services import api_token_create
from congso.kernel.search.services import search_drain
from congso.kernel.search.tests.fixtures import search_index  # noqa: F401

pytestmark = pytest.mark.usefixtures("search_index")
URL = "/api/v1/search"
_numbers = itertools.count(1)


def _doc(unit: Any, subject: str, **kw: Any) -> IncomingDocument:
    return IncomingDocument.objects.create(
        unit=unit,
        arrival_year=2026,
        arrival_number=next(_numbers),
        channel="paper",
        sender_name="Sở Tài nguyên và Môi trường",
        document_type=kw.pop("document_type", DocumentType.objects.order_by("pk").first()),
        subject=subject,
        **kw,
    )


def _bearer(user: Any) -> dict[str, str]:
    _token, raw = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def corpus(ward_a, ward_b) -> dict[str, IncomingDocument]:
    docs = {
        "land": _doc(
            ward_a,
            "Kế hoạch kiểm kê đất đai năm 2026",
            notation="12/KH-UBND",
            text="Tổ chức kiểm kê đất đai, lập bản đồ hiện trạng sử dụng đất trên địa bàn.",
            urgency=1,
        ),
        "other": _doc(
            ward_b,
            "Kế hoạch kiểm kê đất đai phường Phú Thượng",
            text="Kiểm kê đất đai, ranh giới hành chính",
        ),
        "secret": _doc(
            ward_a, "Kế hoạch kiểm kê đất quốc phòng", secrecy=1, text="Vị trí trận địa phòng không"
        ),
    }
    search_drain()
    return docs


@pytest.mark.django_db
def test_contract(client: Client, ward_a, make_user, corpus) -> None:
    clerk = make_user(Role.CLERK, ward_a)
    response = client.get(URL, {"q": "kiem ke dat dai"}, **_bearer(clerk))
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {
        "query",
        "truncated",
        "lenient",
        "total",
        "estimated",
        "took_ms",
        "hits",
        "facets",
        "next_cursor",
    }
    assert body["total"] == 1 and body["facets"] == {"kind": {"incoming": 1}}
    (hit,) = body["hits"]
    assert set(hit) == {
        "kind",
        "id",
        "title",
        "notation",
        "date",
        "unit_id",
        "secrecy",
        "score",
        "snippet",
        "url",
    }
    assert (hit["kind"], hit["id"], hit["notation"]) == (
        "incoming",
        corpus["land"].pk,
        "12/KH-UBND",
    )
    assert hit["title"] == "Kế hoạch kiểm kê đất đai năm 2026"
    assert "<mark>kiểm</mark> <mark>kê</mark> <mark>đất</mark> <mark>đai</mark>" in hit["snippet"]
    assert hit["url"] == f"/van-ban/den/{corpus['land'].pk}/"
    assert isinstance(hit["score"], float) and hit["score"] > 0
    assert body["next_cursor"] is None


@pytest.mark.django_db
def test_filters_facets_and_cursor(client: Client, ward_a, make_user) -> None:
    leader = make_user(Role.LEADER, ward_a)
    for i in range(25):
        _doc(ward_a, f"Báo cáo công tác tuần {i}", urgency=i % 2)
    search_drain()
    auth = _bearer(leader)
    body = client.get(URL, {"q": "bao cao", "kind": "incoming"}, **auth).json()
    assert body["total"] == 25 and len(body["hits"]) == 20
    assert body["facets"]["urgency"] == {"0": 13, "1": 12}
    assert body["facets"]["status"] == {"registered": 25}
    second = client.get(
        URL, {"q": "bao cao", "kind": "incoming", "cursor": body["next_cursor"]}, **auth
    ).json()
    assert len(second["hits"]) == 5 and second["next_cursor"] is None
    assert not {h["id"] for h in body["hits"]} & {h["id"] for h in second["hits"]}
    urgent = client.get(URL, {"q": "bao cao", "kind": "incoming", "urgency": "1"}, **auth).json()
    assert urgent["total"] == 12
    # Dates filter on the arrival day (today here).
    assert client.get(URL, {"q": "bao cao", "to": "2020-01-01"}, **auth).json()["total"] == 0


@pytest.mark.django_db
def test_scope_in_hits_counts_facets_and_snippets(client: Client, ward_a, make_user, corpus):
    clerk = make_user(Role.CLERK, ward_a)
    for q in ["kiem ke", "trận địa", "phong khong", "Phú Thượng", "ranh giới"]:
        body = client.get(URL, {"q": q}, **_bearer(clerk)).json()
        ids = {h["id"] for h in body["hits"]}
        assert corpus["other"].pk not in ids and corpus["secret"].pk not in ids, q
        assert body["total"] == len(ids) == sum(body["facets"]["kind"].values()), q
        assert "trận địa" not in str(body["hits"]) and "ranh giới" not in str(body["hits"])
    cleared = make_user(Role.CLERK, ward_a, clearance=1)
    body = client.get(URL, {"q": "trận địa"}, **_bearer(cleared)).json()
    assert [h["id"] for h in body["hits"]] == [corpus["secret"].pk]
    assert body["hits"][0]["snippet"] == "" and body["hits"][0]["secrecy"] == 1
    # Asking for a unit outside the scope gives nothing, not an error that confirms it exists.
    other_unit = corpus["other"].unit_id
    body = client.get(URL, {"q": "kiem ke", "unit": other_unit}, **_bearer(clerk)).json()
    assert body["total"] == 0 and body["hits"] == []


@pytest.mark.django_db
def test_errors(client: Client, ward_a, make_user, corpus) -> None:
    auth = _bearer(make_user(Role.CLERK, ward_a))
    cases = [
        ({"q": "x", "kind": "spaceship"}, 400, "search_unknown_kind"),
        ({"q": "x", "from": "2026-05-01", "to": "2026-01-01"}, 400, "search_bad_dates"),
        ({"q": "x", "cursor": "!!!"}, 400, "search_bad_cursor"),
        ({"q": "x", "cursor": "bzk5OTk5"}, 400, "search_bad_cursor"),  # offset 99999
        ({"q": "x", "from": "21/05/2026"}, 422, "invalid_input"),
        ({"q": "x", "limit": 500}, 422, "invalid_input"),
        ({"q": "x", "unit": "abc"}, 422, "invalid_input"),
    ]
    for params, status, code in cases:
        response = client.get(URL, params, **auth)
        assert response.status_code == status, (params, response.content)
        body = response.json()
        assert body["code"] == code and body["message"], params
    assert client.get(URL, {"q": "x"}).status_code == 401
    citizen = make_user(Role.SPECIALIST, None, kind=AccountKind.CITIZEN)
    assert client.get(URL, {"q": "x"}, **_bearer(citizen)).status_code == 403


@pytest.mark.django_db
def test_odd_queries_are_answered(client: Client, ward_a, make_user, corpus) -> None:
    auth = _bearer(make_user(Role.CLERK, ward_a))
    for q in ["", "   ", "!!!", '"', "a" * 5000, "12/KH-UBND" * 50, "\x00\u202e", "🙂 kiểm kê"]:
        response = client.get(URL, {"q": q}, **auth)
        assert response.status_code == 200, (q, response.content)
    assert client.get(URL, {"q": ""}, **auth).json()["total"] == 0
    assert client.get(URL, {"q": "a" * 5000}, **auth).json()["truncated"] is True
    body = client.get(URL, {"q": "12/KH-UBND"}, **auth).json()
    assert [h["id"] for h in body["hits"]] == [corpus["land"].pk]
