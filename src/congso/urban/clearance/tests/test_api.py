"""/api/v1/urban/clearance: the same rules as the pages, error shape, scoping, query counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.test import Client

from congso.kernel.people.models import User
from congso.urban.clearance.demo_geo import TAY_HO_PLACES
from congso.urban.clearance.models import AffectedParty, ClearanceProject, Step
from congso.urban.clearance.tests.test_services import xlsx

Login = Callable[[Client, User], Client]
API = "/api/v1/urban/clearance"


def test_project_crud_and_scope(
    client: Client,
    login: Login,
    specialist: User,
    other_ward_leader: User,
    django_assert_max_num_queries: Any,
    wards: Any,
) -> None:
    c = login(client, specialist)
    lat, lon = TAY_HO_PLACES["Nhật Tân"]
    response = c.post(
        f"{API}/projects",
        {
            "name": "Đường Nhật Tân",
            "start_date": "2024-01-10",
            "area_m2": "1.000",
            "lat": lat,
            "lon": lon,
            "target_date": "2025-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "GPMB-2024-001" and body["area_m2"] == "1000.00"
    assert body["progress"]["parties"] == 0
    pk = body["id"]
    response = c.post(
        f"{API}/projects",
        {"name": "X", "start_date": "2024-01-10", "lat": 21.03, "lon": 105.83},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["code"] == "location_outside_ward"
    response = c.patch(
        f"{API}/projects/{pk}", {"investor": "Ban QLDA"}, content_type="application/json"
    )
    assert response.json()["investor"] == "Ban QLDA"
    for i in range(3):
        c.post(
            f"{API}/projects/{pk}/parties",
            {"code": f"H{i}", "name": f"Hộ {i}", "area_m2": 50},
            content_type="application/json",
        )
    with django_assert_max_num_queries(12):
        listing = c.get(f"{API}/projects").json()
    assert listing["count"] == 1 and listing["items"][0]["parties"] == 3
    other = login(Client(), other_ward_leader)
    assert other.get(f"{API}/projects/{pk}").status_code == 404
    assert other.get(f"{API}/projects").json()["count"] == 0
    party = AffectedParty.objects.get(code="H0")
    response = other.post(
        f"{API}/parties/{party.pk}/steps",
        {"step": 1, "on": "2024-02-01"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_steps_obstacles_forced_import(
    client: Client,
    login: Login,
    project: ClearanceProject,
    add_party: Callable[..., AffectedParty],
    specialist: User,
    leader: User,
) -> None:
    party = add_party()
    c = login(client, specialist)
    url = f"{API}/parties/{party.pk}/steps"
    response = c.post(url, {"step": 2, "on": "2024-02-01"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "step_out_of_order"
    assert response.json()["details"] == {"current": 0, "requested": 2}
    response = c.post(url, {"step": 1, "on": "2024-02-01"}, content_type="application/json")
    assert (
        response.json()["step"] == Step.NOTIFIED and response.json()["notified_on"] == "2024-02-01"
    )
    response = c.post(
        f"{API}/parties/{party.pk}/obstacles",
        {"reason": "refuses_inventory", "on": "2024-02-05"},
        content_type="application/json",
    )
    assert response.status_code == 201
    obstacle_id = response.json()["id"]
    response = c.post(
        f"{API}/parties/{party.pk}/forced",
        {"kind": "inventory", "on": "2024-03-01"},
        content_type="application/json",
    )
    assert response.status_code == 403
    lc = login(Client(), leader)
    response = lc.post(
        f"{API}/parties/{party.pk}/forced",
        {"kind": "inventory", "on": "2024-03-01"},
        content_type="application/json",
    )
    assert response.json()["forced_inventory"] is True
    response = c.post(
        f"{API}/obstacles/{obstacle_id}/resolve",
        {"on": "2024-03-02", "resolution": "Đã kiểm đếm"},
        content_type="application/json",
    )
    assert response.json()["resolved_on"] == "2024-03-02"
    timeline = c.get(f"{API}/projects/{project.pk}/timeline").json()
    kinds = [e["kind"] for e in timeline]  # newest first by date: the party was added today
    assert kinds.index("obstacle_resolved") < kinds.index("forced_inventory")
    bad = xlsx([["H9", "", "", "", "", "", "abc", ""]])
    response = c.post(f"{API}/projects/{project.pk}/parties/import", {"file": _file(bad)})
    assert response.status_code == 400 and response.json()["code"] == "import_invalid"
    assert response.json()["details"]["rows"][0]["row"] == 2
    good = xlsx([["H9", "", "Hộ chín", "", "", "", 30, ""]])
    response = c.post(f"{API}/projects/{project.pk}/parties/import", {"file": _file(good)})
    assert response.json() == {"added": 1}
    portfolio = c.get(f"{API}/portfolio", {"start": "2024-01-01", "end": "2024-12-31"}).json()
    assert portfolio["projects"] == 1 and portfolio["progress"]["parties"] == 2
    status = lc.post(
        f"{API}/projects/{project.pk}/status",
        {"status": "completed"},
        content_type="application/json",
    )
    assert status.json()["code"] == "parties_not_handed_over"


def _file(content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("ds.xlsx", content)


def test_dates_in_future_refused(
    client: Client, login: Login, add_party: Callable[..., AffectedParty], specialist: User
) -> None:
    party = add_party()
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    response = login(client, specialist).post(
        f"{API}/parties/{party.pk}/steps",
        {"step": 1, "on": tomorrow},
        content_type="application/json",
    )
    assert response.json()["code"] == "date_in_future"
