"""/api/v1/notifications: own inbox by token, keyset pages, read marks, unread count."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from congso.kernel.notifications.models import Notification
from congso.kernel.notifications.services import notify
from congso.kernel.people.models import User

pytestmark = pytest.mark.django_db

BASE = "/api/v1/notifications"


@pytest.fixture
def as_alice(bearer: Any, alice: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": bearer(alice)}


def test_requires_authentication(client: Client) -> None:
    response = client.get(f"{BASE}/")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_list_keyset_pages_and_filter(
    client: Client, as_alice: dict[str, str], alice: User, bob: User
) -> None:
    ids = [notify(recipients=[alice], title=f"T{i}", email=False)[0].pk for i in range(7)]
    notify(recipients=[bob], title="Của Bình", email=False)
    Notification.objects.filter(pk__in=ids[:2]).update(
        read_at=Notification.objects.get(pk=ids[0]).created_at
    )

    first = client.get(f"{BASE}/", {"limit": 3}, **as_alice).json()
    assert [n["id"] for n in first["items"]] == ids[::-1][:3]
    assert first["next_cursor"]
    second = client.get(f"{BASE}/", {"limit": 3, "cursor": first["next_cursor"]}, **as_alice)
    assert [n["id"] for n in second.json()["items"]] == ids[::-1][3:6]
    third = client.get(
        f"{BASE}/", {"limit": 3, "cursor": second.json()["next_cursor"]}, **as_alice
    ).json()
    assert [n["id"] for n in third["items"]] == [ids[0]]
    assert third["next_cursor"] is None

    unread = client.get(f"{BASE}/", {"unread": "true", "limit": 100}, **as_alice).json()
    assert [n["id"] for n in unread["items"]] == ids[::-1][:5]
    assert all(not n["is_read"] for n in unread["items"])
    read = client.get(f"{BASE}/", {"unread": "false"}, **as_alice).json()
    assert [n["id"] for n in read["items"]] == [ids[1], ids[0]]
    assert "Của Bình" not in str(first) + str(second.json()) + str(third)


def test_bad_cursor_and_limit(client: Client, as_alice: dict[str, str]) -> None:
    response = client.get(f"{BASE}/", {"cursor": "@@không-hợp-lệ"}, **as_alice)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"
    response = client.get(f"{BASE}/", {"limit": 1000}, **as_alice)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_list_query_count_is_constant(
    client: Client, as_alice: dict[str, str], alice: User
) -> None:
    def count() -> int:
        client.get(f"{BASE}/", **as_alice)  # the token's last use is touched once a minute
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{BASE}/", {"limit": 50}, **as_alice).status_code == 200
        return len(ctx)

    notify(recipients=[alice], title="một", email=False)
    few = count()
    for i in range(20):
        notify(recipients=[alice], title=f"thêm {i}", email=False)
    assert count() == few


def test_read_unread_count_and_read_all(
    client: Client, as_alice: dict[str, str], alice: User, bob: User, bearer: Any
) -> None:
    a, b = (notify(recipients=[alice], title=t, email=False)[0] for t in ("A", "B"))
    (bobs,) = notify(recipients=[bob], title="Của Bình", email=False)
    assert client.get(f"{BASE}/unread-count", **as_alice).json() == {"count": 2}

    response = client.post(f"{BASE}/{a.pk}/read", **as_alice)
    assert response.status_code == 200
    assert response.json()["is_read"] is True and response.json()["id"] == a.pk
    assert client.get(f"{BASE}/unread-count", **as_alice).json() == {"count": 1}

    response = client.post(f"{BASE}/{bobs.pk}/read", **as_alice)
    assert response.status_code == 404
    assert response.json()["code"] == "notification_not_found"
    assert Notification.objects.get(pk=bobs.pk).read_at is None

    assert client.post(f"{BASE}/read-all", **as_alice).json() == {"updated": 1}
    assert client.get(f"{BASE}/unread-count", **as_alice).json() == {"count": 0}
    as_bob = {"HTTP_AUTHORIZATION": bearer(bob)}
    assert client.get(f"{BASE}/unread-count", **as_bob).json() == {"count": 1}
    assert Notification.objects.get(pk=b.pk).read_at is not None
