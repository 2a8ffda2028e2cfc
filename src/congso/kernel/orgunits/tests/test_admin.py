"""The configuration screens: lists, search, filters, and edits through the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import QuerySet
from django.test import Client

from congso.kernel.audit.models import AuditEvent
from congso.kernel.orgunits.demo import DemoUnits
from congso.kernel.orgunits.models import Department
from congso.kernel.people.models import User


@pytest.fixture
def admin_client(
    tay_ho: DemoUnits, make_user: Callable[..., User], login: Callable[[Client, User], Client]
) -> Client:
    user = make_user(username="quantri", is_staff=True, is_superuser=True)
    return login(Client(), user)


def test_unit_list_search_and_filters(admin_client: Client, tay_ho: DemoUnits) -> None:
    response = admin_client.get("/admin/orgunits/adminunit/", {"q": "Tây Hồ"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Phường Tây Hồ" in text and "Quận Tây Hồ" in text
    response = admin_client.get(
        "/admin/orgunits/adminunit/", {"valid": "ended", "level": "district"}
    )
    assert response.status_code == 200
    assert "Quận Tây Hồ" in response.content.decode()
    assert "Phường Tây Hồ" not in response.content.decode()


def test_unit_change_page_shows_inlines_and_saves_through_the_service(
    admin_client: Client, tay_ho: DemoUnits
) -> None:
    unit = tay_ho.tay_ho
    url = f"/admin/orgunits/adminunit/{unit.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Phường Bưởi" in html  # predecessors inline
    assert "hình thành từ" in html.lower()

    response = admin_client.post(
        url,
        {
            "name": unit.name,
            "parent": unit.parent_id,
            "valid_from": "2025-07-01",
            "valid_to": "",
            "committee_name": "Ủy ban nhân dân phường Tây Hồ",
            "org_code": "H26.103-TEST",
            "abbreviation": "UBND",
            "is_served": "on",
            # inline management forms (read-only inlines still post their counts)
            **_inline("departments", unit.departments.all()),
            **_inline("successors_links", unit.successors_links.all()),
            **_inline("predecessor_links", unit.predecessor_links.all()),
        },
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.org_code == "H26.103-TEST" and unit.is_served
    event = AuditEvent.objects.get(action="orgunits.unit_changed")
    assert event.changes["org_code"] == ["", "H26.103-TEST"]
    assert event.actor is not None and event.actor.username == "quantri"


def test_unit_parent_cycle_is_a_form_error(admin_client: Client, tay_ho: DemoUnits) -> None:
    hanoi = tay_ho.hanoi
    response = admin_client.post(
        f"/admin/orgunits/adminunit/{hanoi.pk}/change/",
        {
            "name": hanoi.name,
            "parent": tay_ho.tay_ho.pk,
            "valid_from": "2025-07-01",
            "abbreviation": "UBND",
            **_inline("departments", hanoi.departments.all()),
            **_inline("successors_links", hanoi.successors_links.all()),
            **_inline("predecessor_links", hanoi.predecessor_links.all()),
        },
    )
    assert response.status_code == 200
    assert "đơn vị cấp dưới" in response.content.decode()
    hanoi.refresh_from_db()
    assert hanoi.parent_id is None


def test_department_add_and_duplicate(admin_client: Client, tay_ho: DemoUnits) -> None:
    data = {
        "unit": tay_ho.phu_thuong.pk,
        "name": "Văn phòng HĐND-UBND",
        "abbreviation": "VP",
        "kind": "office",
        "org_code": "",
        "order": 2,
        "is_active": "on",
    }
    response = admin_client.post("/admin/orgunits/department/add/", data)
    assert response.status_code == 302
    department = Department.objects.get(unit=tay_ho.phu_thuong, abbreviation="VP")
    assert AuditEvent.objects.filter(
        action="orgunits.department_created", object_id=str(department.pk)
    ).exists()
    again = admin_client.post("/admin/orgunits/department/add/", data)
    assert again.status_code == 200  # the form shows the uniqueness error, no 500
    assert Department.objects.filter(unit=tay_ho.phu_thuong).count() == 1


def test_read_only_screens(admin_client: Client, tay_ho: DemoUnits) -> None:
    for url in ("/admin/orgunits/unitsuccession/", "/admin/orgunits/datasetimport/"):
        response = admin_client.get(url)
        assert response.status_code == 200
    assert admin_client.get("/admin/orgunits/unitsuccession/add/").status_code == 403
    assert admin_client.get("/admin/orgunits/adminunit/add/").status_code == 403


def _inline(prefix: str, rows: QuerySet[Any]) -> dict[str, object]:
    """What the browser posts for a read-only inline: its management form and row ids."""
    ids = list(rows.values_list("pk", flat=True))
    data: dict[str, object] = {
        f"{prefix}-TOTAL_FORMS": len(ids),
        f"{prefix}-INITIAL_FORMS": len(ids),
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    data.update({f"{prefix}-{i}-id": pk for i, pk in enumerate(ids)})
    return data
