"""The inbox pages: own notifications only, unread first, htmx fragments, no open redirect."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congso.kernel.notifications.models import Notification
from congso.kernel.notifications.services import notify
from congso.kernel.notifications.views import is_local_url
from congso.kernel.people.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_client(client: Client, login: Any, alice: User) -> Client:
    return login(client, alice)


def _titles(response: Any) -> list[str]:
    return [n.title for n in response.context["page_obj"].object_list]


def test_inbox_requires_login(client: Client) -> None:
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302


def test_inbox_unread_first_and_only_own(alice_client: Client, alice: User, bob: User) -> None:
    (_old,) = notify(recipients=[alice], title="Cũ, chưa đọc", email=False)
    (read,) = notify(recipients=[alice], title="Mới, đã đọc", email=False)
    notify(recipients=[alice], title="Mới nhất, chưa đọc", email=False)
    notify(recipients=[bob], title="Của người khác", email=False)
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    response = alice_client.get(reverse("notifications:inbox"))
    assert response.status_code == 200
    assert _titles(response) == ["Mới nhất, chưa đọc", "Cũ, chưa đọc", "Mới, đã đọc"]
    body = response.content.decode()
    assert "Của người khác" not in body
    assert "Đánh dấu tất cả là đã đọc (2)" in body
    assert 'id="notif-unread-badge"' in body  # the header's badge, through the shell


def test_inbox_paginates(alice_client: Client, alice: User, monkeypatch: Any) -> None:
    from congso.kernel.notifications import views

    monkeypatch.setattr(views, "PAGE_SIZE", 5)
    for i in range(12):
        notify(recipients=[alice], title=f"Thông báo {i:02d}", email=False)
    url = reverse("notifications:inbox")
    assert _titles(alice_client.get(url)) == [f"Thông báo {i:02d}" for i in range(11, 6, -1)]
    assert _titles(alice_client.get(url, {"page": 3})) == ["Thông báo 01", "Thông báo 00"]
    assert alice_client.get(url, {"page": "x"}).status_code == 200


def test_inbox_query_count_is_constant(alice_client: Client, alice: User) -> None:
    url = reverse("notifications:inbox")

    def count() -> int:
        alice_client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert alice_client.get(url).status_code == 200
        return len(ctx)

    notify(recipients=[alice], title="một", url="/a/", email=False)
    few = count()
    for i in range(15):
        notify(recipients=[alice], title=f"thêm {i}", url="/a/", level="warning", email=False)
    assert count() == few


def test_mark_read_post_only_own(client: Client, login: Any, alice: User, bob: User) -> None:
    (mine,) = notify(recipients=[alice], title="Của Hoa", email=False)
    login(client, bob)
    url = reverse("notifications:mark_read", args=[mine.pk])
    assert client.post(url).status_code == 404
    assert client.get(reverse("notifications:open", args=[mine.pk])).status_code == 404
    assert Notification.objects.get(pk=mine.pk).read_at is None
    login(client, alice)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert Notification.objects.get(pk=mine.pk).read_at is not None


def test_mark_read_htmx_returns_fragment(alice_client: Client, alice: User) -> None:
    a, _b = (notify(recipients=[alice], title=t, email=False)[0] for t in ("Một", "Hai"))
    response = alice_client.post(
        reverse("notifications:mark_read", args=[a.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="notification-{a.pk}"' in body
    assert "<html" not in body
    assert "Đánh dấu đã đọc" not in body  # it is read now
    assert 'hx-swap-oob="true"' in body and 'data-unread="1"' in body


def test_mark_all_read(alice_client: Client, alice: User, bob: User) -> None:
    notify(recipients=[alice, bob], title="Chung", email=False)
    notify(recipients=[alice], title="Riêng", email=False)
    response = alice_client.post(reverse("notifications:mark_all_read"), follow=True)
    assert "Đã đánh dấu 2 thông báo là đã đọc." in response.content.decode()
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).count() == 1
    htmx = alice_client.post(reverse("notifications:mark_all_read"), HTTP_HX_REQUEST="true")
    assert htmx.headers.get("HX-Refresh") == "true"


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("/van-ban/15/?tab=xu-ly#y-kien", True),
        ("/", True),
        ("", False),
        ("https://evil.example/", False),
        ("//evil.example/", False),
        ("/\\evil.example/", False),
        ("/\t/evil.example/", False),
        ("/\n/evil.example", False),
        ("javascript:alert(1)", False),
        ("van-ban/15/", False),
        ("http:/evil.example", False),
    ],
)
def test_is_local_url(url: str, local: bool) -> None:
    assert is_local_url(url) is local


def test_open_marks_read_and_redirects_locally(alice_client: Client, alice: User) -> None:
    (n,) = notify(recipients=[alice], title="Mở", url="/van-ban/15/", email=False)
    response = alice_client.get(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/van-ban/15/"
    assert Notification.objects.get(pk=n.pk).read_at is not None


def test_open_refuses_outside_links(alice_client: Client, alice: User) -> None:
    for target in ("https://evil.example/phish", "//evil.example/", "/\\evil.example"):
        (n,) = notify(recipients=[alice], title="Lừa", url=target, email=False)
        response = alice_client.get(reverse("notifications:open", args=[n.pk]))
        assert response.status_code == 302
        assert response["Location"] == reverse("notifications:inbox")
        assert Notification.objects.get(pk=n.pk).read_at is not None


def test_badge_counts_once_per_request(rf: Any, alice: User, bob: User) -> None:
    from django.template import engines

    notify(recipients=[alice, alice], title="Một", email=False)
    notify(recipients=[alice, bob], title="Hai", email=False)
    request = rf.get("/")
    request.user = alice
    template = engines["django"].from_string(
        "{% load notifications %}{% unread_badge %}|{% unread_badge %}"
    )
    with CaptureQueriesContext(connection) as ctx:
        html = template.render({}, request)
    assert len(ctx) == 1
    assert html.count('data-unread="2"') == 2
    assert "(2 chưa đọc)" in html
    request = rf.get("/")
    request.user = bob
    assert 'data-unread="1"' in template.render({}, request)


def test_badge_empty_for_anonymous(rf: Any) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.template import engines

    request = rf.get("/")
    request.user = AnonymousUser()
    html = (
        engines["django"]
        .from_string("{% load notifications %}{% unread_badge %}")
        .render({}, request)
    )
    assert html.strip() == ""
