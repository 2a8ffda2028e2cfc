"""Works in /tim-kiem/ and GET /api/v1/search (kind ``work``): queued by the services in the same
transaction, found by address, owner and permit number, scoped to the user's wards."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from congso.kernel.people.services import api_token_create
from congso.kernel.search.services import search_drain
from congso.kernel.search.tests.fixtures import search_index  # noqa: F401
from congso.urban.construction import services
from congso.urban.construction.models import Work

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_index")]


def _hits(client: Client, user: Any, q: str) -> list[dict[str, Any]]:
    _token, raw = api_token_create(user=user, name="t")
    response = client.get(
        "/api/v1/search", {"q": q, "kind": "work"}, HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    return list(body.get("hits") or body.get("items") or [])


def test_work_found_by_owner_permit_and_violation(
    client: Client, work: Work, work_b: Work, inspector: Any, inspector_b: Any
) -> None:
    services.violation_record(
        work=work,
        actor=inspector,
        category="encroachment",
        description="Dựng nhà kho trên đất công",
    )
    search_drain()
    assert [h["id"] for h in _hits(client, inspector, "Nguyễn Văn An")] == [work.pk]
    assert [h["id"] for h in _hits(client, inspector, "123/GPXD")] == [work.pk]
    assert [h["id"] for h in _hits(client, inspector, "nhà kho đất công")] == [work.pk]
    assert [h["id"] for h in _hits(client, inspector_b, "Nguyễn Văn An")] == [work_b.pk]
