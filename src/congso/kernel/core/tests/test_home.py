"""The "Việc của tôi" page and the registry of work-item providers behind it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse

from congso.kernel.core.home import (
    WorkItem,
    register_work_items,
    registered_keys,
    unregister_work_items,
    work_overview,
)
from congso.kernel.people.models import Position, Role


@pytest.fixture
def providers() -> Iterator[list[str]]:
    keys: list[str] = []
    yield keys
    for key in keys:
        unregister_work_items(key)


def test_kernel_provides_unread_notifications() -> None:
    assert "notifications.unread" in registered_keys()


@pytest.mark.django_db
def test_overview_filters_by_role_and_keeps_order(ward_a, make_user, providers) -> None:
    user = make_user(Role.SPECIALIST, ward_a)
    position = Position.objects.get(user=user)

    def assigned(u, p):
        assert u == user and p == position
        return [WorkItem(title="Văn bản được giao", count=3, overdue=1, url="/van-ban/")]

    register_work_items("test.assigned", assigned, roles={Role.SPECIALIST}, order=5)
    register_work_items(
        "test.register", lambda u, p: WorkItem(title="Sổ đến", count=9), roles={Role.CLERK}
    )
    register_work_items("test.all", lambda u, p: WorkItem(title="Chung", count=0), order=200)
    register_work_items("test.none", lambda u, p: None)
    providers.extend(["test.assigned", "test.register", "test.all", "test.none"])

    overview = work_overview(user, position)
    titles = [item.title for item in overview.items]
    assert "Văn bản được giao" in titles
    assert "Sổ đến" not in titles
    assert titles.index("Văn bản được giao") < titles.index("Chung")
    assert overview.failed == []
    assert overview.total_overdue >= 1


@pytest.mark.django_db
def test_failing_provider_is_reported_not_fatal(client, ward_a, make_user, login, providers):
    def broken(u, p):
        raise RuntimeError("module down")

    register_work_items("test.broken", broken)
    register_work_items("test.ok", lambda u, p: WorkItem(title="Hồ sơ chờ tiếp nhận", count=2))
    providers.extend(["test.broken", "test.ok"])
    login(client, make_user(Role.ONESTOP_OFFICER, ward_a))

    response = client.get(reverse("core:home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Một số mục không tải được" in html
    assert "Hồ sơ chờ tiếp nhận" in html


@pytest.mark.django_db
def test_home_greets_and_lists_positions_and_items(
    client, ward_a, ward_b, make_user, login, providers
) -> None:
    user = make_user(Role.SPECIALIST, ward_a, full_name="Trần Thị Hoa")
    Position.objects.create(
        user=user, unit=ward_b, role=Role.INSPECTOR, title="Thanh tra viên", is_primary=False
    )
    register_work_items(
        "test.dossiers",
        lambda u, p: WorkItem(title="Hồ sơ sắp đến hạn", count=4, overdue=2, url="/ho-so/"),
    )
    providers.append("test.dossiers")
    login(client, user)

    response = client.get(reverse("core:home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "Việc của tôi" in html
    assert "Xin chào Trần Thị Hoa." in html
    assert "Chuyên viên" in html and "Ủy ban nhân dân phường Tây Hồ" in html
    assert "Thanh tra viên" in html and "Ủy ban nhân dân phường Phú Thượng" in html
    assert 'href="/ho-so/"' in html
    assert "2 quá hạn" in html
    # A position switch is offered because the user holds two positions.
    assert 'name="position"' in html
    assert reverse("people:switch_position") in html


@pytest.mark.django_db
def test_home_empty_state_in_vietnamese(client, ward_a, make_user, login) -> None:
    login(client, make_user(Role.CLERK, ward_a))
    html = client.get(reverse("core:home")).content.decode()
    assert "Thông báo chưa đọc" in html
    assert "Bạn đã đọc hết thông báo." in html
    assert 'name="position"' not in html  # one position: no switch


@pytest.mark.django_db
def test_home_and_header_count_unread_notifications(client, ward_a, make_user, login) -> None:
    from congso.kernel.notifications.services import notify

    user = make_user(Role.CLERK, ward_a)
    other = make_user(Role.CLERK, ward_a)
    notify(recipients=[user], title="Văn bản mới cần vào sổ", email=False)
    notify(recipients=[user], title="Hồ sơ sắp đến hạn", email=False)
    notify(recipients=[other], title="Không phải của bạn", email=False)
    login(client, user)

    html = client.get(reverse("core:home")).content.decode()

    card = html[html.index("Thông báo chưa đọc") :]
    assert '<p class="display-6 mb-1">2</p>' in card[:400]
    # The header's inbox link carries the same count.
    assert 'data-unread="2"' in html
    assert f'href="{reverse("notifications:inbox")}"' in html


@pytest.mark.django_db
def test_user_without_position_is_told_what_to_do(client, make_user, login) -> None:
    login(client, make_user(Role.CLERK, None))
    html = client.get(reverse("core:home")).content.decode()
    assert "chưa được giao vị trí công tác" in html


def test_home_requires_login(client) -> None:
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:login"))
