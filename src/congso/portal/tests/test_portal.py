"""The public portal's home and about pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from congso.kernel.core.navigation import PUBLIC_MENU, NavItem, register_nav, unregister_nav
from congso.kernel.orgunits.models import AdminUnit


@pytest.mark.django_db
def test_home_names_the_single_served_committee(client: Client, ward_a: AdminUnit) -> None:
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="portal-title" class="h2 mb-2">Ủy ban nhân dân phường Tây Hồ</h1>' in html
    assert "Thành phố Hà Nội" in html
    # Works without an account: a login link, no staff menu.
    assert reverse("people:login") in html
    assert "staff-nav" not in html


@pytest.mark.django_db
def test_home_lists_several_committees(client: Client, ward_a: Any, ward_b: Any, hanoi: Any):
    AdminUnit.objects.filter(pk=ward_b.pk).update(committee_name="UBND phường Phú Thượng")
    # A unit abolished by the reform is no longer served today.
    AdminUnit.objects.create(
        name="Phường Quảng An",
        level="ward",
        code="00106",
        dataset="vietnam-provinces:test-old",
        parent=hanoi,
        valid_to=dt.date(2025, 6, 30),
        is_served=True,
    )
    html = client.get(reverse("portal:home")).content.decode()
    assert "Các cơ quan dùng Công sở số:" in html
    assert "Ủy ban nhân dân phường Tây Hồ" in html
    assert "UBND phường Phú Thượng" in html
    assert "Quảng An" not in html


@pytest.mark.django_db
def test_home_without_served_unit_explains_setup(client: Client) -> None:
    html = client.get(reverse("portal:home")).content.decode()
    assert "chưa được cấu hình cơ quan phục vụ" in html


@pytest.mark.django_db
def test_service_tiles_only_for_pages_that_exist(client: Client, ward_a: Any) -> None:
    html = client.get(reverse("portal:home")).content.decode()
    # The one-stop shop and field reports are installed: their tiles link to their pages.
    assert f'href="{reverse("procedures_lookup:lookup")}"' in html
    assert f'href="{reverse("urban_reports_public:new")}"' in html
    assert f'href="{reverse("procedures_public:catalogue")}"' in html
    # An entry whose page does not exist is not shown (no dead links).
    register_nav(
        NavItem(
            key="test-missing", label="Trang chưa có", url_name="nowhere:page", menu=PUBLIC_MENU
        )
    )
    try:
        assert "Trang chưa có" not in client.get(reverse("portal:home")).content.decode()
    finally:
        unregister_nav("test-missing", PUBLIC_MENU)
    register_nav(
        NavItem(
            key="test-lookup",
            label="Tra cứu thử",
            url_name="portal:about",
            description="Mô tả dịch vụ",
            menu=PUBLIC_MENU,
        )
    )
    try:
        html = client.get(reverse("portal:home")).content.decode()
    finally:
        unregister_nav("test-lookup", PUBLIC_MENU)
    assert f'href="{reverse("portal:about")}">Tra cứu thử</a>' in html
    assert "Mô tả dịch vụ" in html


@pytest.mark.django_db
def test_about_page(client: Client, ward_a: Any) -> None:
    response = client.get(reverse("portal:about"))
    assert response.status_code == 200
    assert "Khả năng tiếp cận" in response.content.decode()


@pytest.mark.django_db
def test_logged_in_user_gets_a_way_to_their_work(client, ward_a, make_user, login) -> None:
    login(client, make_user("clerk", ward_a))
    html = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("core:home")}"' in html
