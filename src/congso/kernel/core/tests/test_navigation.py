"""The staff menu: registry behaviour and what each role sees in the rendered header."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import RequestFactory
from django.urls import reverse

from congso.kernel.core.navigation import (
    PUBLIC_MENU,
    NavItem,
    nav_links,
    register_nav,
    registered_items,
    unregister_nav,
)
from congso.kernel.people.models import Position, Role


@pytest.fixture
def temp_items() -> Iterator[list[str]]:
    keys: list[str] = []
    yield keys
    for key in keys:
        unregister_nav(key)
        unregister_nav(key, PUBLIC_MENU)


def _menu_labels(html: str) -> list[str]:
    start = html.index('<nav class="staff-nav"')
    end = html.index("</nav>", start)
    return [part.split("</a>")[0].split(">")[-1] for part in html[start:end].split("<a ")[1:]]


def test_kernel_items_are_registered_in_order() -> None:
    keys = [item.key for item in registered_items()]
    assert keys.index("home") < keys.index("notifications") < keys.index("audit")
    assert keys[-1] == "admin"


@pytest.mark.django_db
def test_clerk_sees_no_admin_links(client, ward_a, make_user, login) -> None:
    login(client, make_user(Role.CLERK, ward_a))
    html = client.get(reverse("core:home")).content.decode()
    labels = _menu_labels(html)
    assert "Việc của tôi" in labels
    assert "Nhật ký" not in labels
    assert "Quản trị" not in labels
    assert reverse("audit:list") not in html
    assert 'href="/admin/"' not in html


@pytest.mark.django_db
def test_admin_sees_audit_and_admin_links(client, ward_a, make_user, login) -> None:
    admin = make_user(Role.ADMIN, ward_a, is_staff=True)
    login(client, admin)
    labels = _menu_labels(client.get(reverse("core:home")).content.decode())
    assert "Nhật ký" in labels
    assert "Quản trị" in labels


@pytest.mark.django_db
def test_admin_without_django_admin_access_gets_no_dead_admin_link(
    client, ward_a, make_user, login
) -> None:
    login(client, make_user(Role.ADMIN, ward_a, is_staff=False))
    labels = _menu_labels(client.get(reverse("core:home")).content.decode())
    assert "Nhật ký" in labels
    assert "Quản trị" not in labels


@pytest.mark.django_db
def test_menu_follows_the_current_position(client, ward_a, ward_b, make_user, login) -> None:
    """Someone who is admin in one ward and specialist in another sees admin items only
    through ``is_admin``; a role-limited item follows the position chosen in the switch."""
    user = make_user(Role.SPECIALIST, ward_a)
    other = Position.objects.create(user=user, unit=ward_b, role=Role.CLERK, is_primary=False)
    register_nav(
        NavItem(
            key="test-clerk-only",
            label="Sổ văn bản đến",
            url_name="core:home",
            order=50,
            roles=frozenset({Role.CLERK}),
        )
    )
    try:
        login(client, user)
        assert "Sổ văn bản đến" not in _menu_labels(
            client.get(reverse("core:home")).content.decode()
        )
        response = client.post(
            reverse("people:switch_position"), {"position": other.pk, "next": "/viec-cua-toi/"}
        )
        assert response.status_code == 302
        html = client.get(reverse("core:home")).content.decode()
        assert "Sổ văn bản đến" in _menu_labels(html)
        assert "Phường Phú Thượng" in html
    finally:
        unregister_nav("test-clerk-only")


@pytest.mark.django_db
def test_item_with_missing_url_is_left_out(rf: RequestFactory, ward_a, make_user, temp_items):
    register_nav(NavItem(key="test-missing", label="Chưa có", url_name="nowhere:page"))
    temp_items.append("test-missing")
    request = rf.get("/viec-cua-toi/")
    request.user = make_user(Role.CLERK, ward_a)
    keys = [link.key for link in nav_links(request)]
    assert "home" in keys
    assert "test-missing" not in keys


def test_anonymous_gets_no_staff_menu(rf: RequestFactory) -> None:
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    assert nav_links(request) == []


def test_public_menu_ignores_roles_and_login(rf: RequestFactory, temp_items) -> None:
    from django.contrib.auth.models import AnonymousUser

    register_nav(
        NavItem(
            key="test-public",
            label="Trang chủ",
            url_name="portal:home",
            menu=PUBLIC_MENU,
            roles=frozenset({Role.ADMIN}),
        )
    )
    temp_items.append("test-public")
    request = rf.get("/gioi-thieu/")
    request.user = AnonymousUser()
    links = {link.key: link for link in nav_links(request, PUBLIC_MENU)}
    assert links["test-public"].url == "/"
    assert not links["test-public"].active  # "/" is not a prefix match for every page


def test_registering_the_same_key_replaces_the_item(temp_items) -> None:
    register_nav(NavItem(key="test-replace", label="A", url_name="core:home"))
    register_nav(NavItem(key="test-replace", label="B", url_name="core:home"))
    temp_items.append("test-replace")
    labels = [item.label for item in registered_items() if item.key == "test-replace"]
    assert labels == ["B"]
