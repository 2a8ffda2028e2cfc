"""GET /api/v1/units: filters, keyset pagination, error JSON; GET /api/v1/units/{id}."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from congso.kernel.orgunits import services
from congso.kernel.orgunits.demo import DemoUnits
from congso.kernel.people.models import Role, User

URL = "/api/v1/units/"


@pytest.fixture
def api(
    tay_ho: DemoUnits, make_user: Callable[..., User], login: Callable[[Client, User], Client]
) -> Client:
    user = make_user(Role.SPECIALIST, tay_ho.tay_ho)
    return login(Client(), user)


def get(client: Client, url: str = URL, **params: Any) -> Any:
    response = client.get(url, params)
    return response.status_code, response.json()


def test_requires_authentication(tay_ho: DemoUnits) -> None:
    status, body = get(Client())
    assert status == 401
    assert body["code"] == "unauthenticated"


def test_list_filters(api: Client, tay_ho: DemoUnits) -> None:
    status, body = get(api, level="district")
    assert status == 200
    assert [u["name"] for u in body["items"]] == ["Quận Tây Hồ"]
    assert body["items"][0]["valid_to"] == "2025-06-30"
    assert body["next_cursor"] is None

    status, body = get(api, parent=tay_ho.former_district.pk, limit=200)
    assert len(body["items"]) == 8
    assert {u["level"] for u in body["items"]} == {"ward"}

    # On the last day of the old tier the former wards are valid, the new ones not yet.
    _, body = get(api, q="Phú Thượng", valid_on="2025-06-30")
    assert [(u["name"], u["dataset"].split(":")[0]) for u in body["items"]] == [
        ("Phường Phú Thượng", "pre-2025")
    ]
    _, body = get(api, q="Phú Thượng", valid_on="2025-07-01")
    assert [u["id"] for u in body["items"]] == [tay_ho.phu_thuong.pk]

    _, body = get(api, q="00103")  # code prefix: Xuân La (old) and Tây Hồ (new)
    assert sorted(u["name"] for u in body["items"]) == ["Phường Tây Hồ", "Phường Xuân La"]

    services.unit_update(unit=tay_ho.tay_ho, is_served=True)
    _, body = get(api, served="true")
    assert [u["name"] for u in body["items"]] == ["Phường Tây Hồ"]
    assert body["items"][0]["level_label"] == "Phường"


def test_list_keyset_pagination(api: Client, tay_ho: DemoUnits) -> None:
    ids: list[int] = []
    codes: list[tuple[str, int]] = []
    params: dict[str, Any] = {"limit": 30, "valid_on": "2026-01-01"}
    pages = 0
    while True:
        with CaptureQueriesContext(connection) as queries:
            status, body = get(api, **params)
        assert status == 200
        # Session, user and OTP device lookups are constant; the list itself is one query.
        assert len([q for q in queries if "orgunits_adminunit" in q["sql"]]) == 1
        ids += [u["id"] for u in body["items"]]
        codes += [(u["code"], u["id"]) for u in body["items"]]
        pages += 1
        if body["next_cursor"] is None:
            break
        params["cursor"] = body["next_cursor"]
    assert pages == 5  # 127 current units, 30 a page
    assert len(ids) == len(set(ids)) == 127
    assert codes == sorted(codes)  # official order: statistics code


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"cursor": "not-a-cursor"}, 400, "invalid_cursor"),
        ({"cursor": "WzEsMl0"}, 400, "invalid_cursor"),  # [1,2]: a code must be a string
        ({"valid_on": "31/12/2025"}, 422, "invalid_input"),
        ({"level": "hamlet"}, 422, "invalid_input"),
        ({"limit": 0}, 422, "invalid_input"),
        ({"limit": 1000}, 422, "invalid_input"),
        ({"parent": "abc"}, 422, "invalid_input"),
    ],
)
def test_bad_parameters_answer_error_json(
    api: Client, params: dict[str, Any], status: int, code: str
) -> None:
    got_status, body = get(api, **params)
    assert got_status == status
    assert body["code"] == code
    assert body["message"]
    assert "details" in body


def test_detail_with_departments_and_successions(api: Client, tay_ho: DemoUnits) -> None:
    services.department_create(unit=tay_ho.tay_ho, name="Văn phòng HĐND-UBND", abbreviation="VP")
    with CaptureQueriesContext(connection) as queries:
        status, body = get(api, f"{URL}{tay_ho.tay_ho.pk}")
    assert status == 200
    unit_queries = [
        q for q in queries if "orgunits_" in q["sql"] and "people_position" not in q["sql"]
    ]
    assert len(unit_queries) == 4  # unit+parent, departments, successors, predecessors
    assert body["name"] == "Phường Tây Hồ"
    assert body["parent"]["name"] == "Thành phố Hà Nội"
    assert body["display_committee"] == "Ủy ban nhân dân phường Tây Hồ"
    assert [d["abbreviation"] for d in body["departments"]] == ["VP"]
    assert body["successors"] == []
    preds = {p["unit"]["name"]: p for p in body["predecessors"]}
    assert len(preds) == 8
    assert preds["Phường Bưởi"]["partial"] is False
    assert preds["Phường Xuân La"]["partial"] is True
    assert preds["Phường Bưởi"]["legal_basis"] == "Nghị quyết 1656/NQ-UBTVQH15"

    _, old = get(api, f"{URL}{tay_ho.former_wards[0].pk}")
    assert old["successors"] and old["predecessors"] == []
    assert old["parent"]["name"] == "Quận Tây Hồ"


def test_detail_not_found(api: Client) -> None:
    status, body = get(api, f"{URL}999999")
    assert status == 404
    assert body["code"] == "unit_not_found"
