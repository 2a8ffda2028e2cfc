"""The account page (own tokens) and the administration screens (writes through services)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from congso.kernel.audit.models import AuditEvent
from congso.kernel.people import services
from congso.kernel.people.models import ApiToken, Delegation, Position, Role, User

pytestmark = pytest.mark.django_db


def test_account_page_shows_positions_and_creates_a_token_once(client, make_user, ward_a, login):
    user = make_user(Role.CLERK, ward_a, full_name="Đỗ Thị Hằng")
    login(client, user)
    page = client.get(reverse("people:account"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Tài khoản của tôi" in html and "Đỗ Thị Hằng" in html and "Phường Tây Hồ" in html

    response = client.post(
        reverse("people:token_create"), {"name": "Tập lệnh", "expires_days": "30"}
    )
    assert response.status_code == 302
    first = client.get(reverse("people:account")).content.decode()
    token = ApiToken.objects.get(user=user)
    key = first.split('id="new-api-key">', 1)[1].split("<", 1)[0]
    assert key.startswith("cs_") and token.prefix == key[:11]
    assert key not in client.get(reverse("people:account")).content.decode()  # shown once
    assert client.get("/api/v1/people/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200

    client.post(reverse("people:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_account_token_form_errors_are_messages(client, make_user, ward_a, login):
    login(client, make_user(Role.CLERK, ward_a))
    response = client.post(reverse("people:token_create"), {"expires_days": "0"}, follow=True)
    assert "Số ngày phải từ 1 đến 3650" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_cannot_revoke_someone_elses_token_from_the_page(client, make_user, ward_a, login):
    other_token, _key = services.api_token_create(user=make_user(Role.CLERK, ward_a))
    login(client, make_user(Role.CLERK, ward_a))
    response = client.post(reverse("people:token_revoke", args=[other_token.pk]))
    assert response.status_code == 404
    other_token.refresh_from_db()
    assert other_token.revoked_at is None


def test_account_requires_login(client):
    response = client.get(reverse("people:account"))
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/dang-nhap/")


@pytest.fixture
def admin_client(client, make_user, login):
    root = make_user(username="root", is_superuser=True, is_staff=True, full_name="Quản Trị")
    login(client, root)
    return client


def test_admin_pages_render_in_vietnamese(admin_client, make_user, ward_a):
    user = make_user(Role.CLERK, ward_a)
    services.api_token_create(user=user)
    for url in (
        "/admin/people/user/",
        f"/admin/people/user/{user.pk}/change/",
        "/admin/people/position/",
        "/admin/people/delegation/",
        "/admin/people/delegation/add/",
        "/admin/people/apitoken/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
    html = admin_client.get(f"/admin/people/user/{user.pk}/change/").content.decode()
    assert (
        "vị trí công tác" in html.lower()
        and "Mức được tiếp cận tài liệu mật".lower() in html.lower()
    )
    assert admin_client.get("/admin/people/apitoken/add/").status_code == 403


def test_admin_position_add_goes_through_the_service(admin_client, make_user, ward_a):
    user = make_user()
    response = admin_client.post(
        "/admin/people/position/add/",
        {
            "user": user.pk,
            "unit": ward_a.pk,
            "role": Role.LEADER,
            "title": "Chủ tịch UBND phường",
            "is_primary": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    position = Position.objects.get(user=user)
    assert position.role == Role.LEADER
    event = AuditEvent.objects.get(action="people.position_assigned")
    assert event.actor.username == "root"
    assert event.unit_id == ward_a.pk


def test_admin_position_rule_is_a_form_error(admin_client, make_user, ward_a, ward_b):
    from congso.kernel.orgunits.models import Department

    office_of_a = Department.objects.get(unit=ward_a)
    user = make_user()
    response = admin_client.post(
        "/admin/people/position/add/",
        {"user": user.pk, "unit": ward_b.pk, "department": office_of_a.pk, "role": Role.CLERK},
    )
    assert response.status_code == 200
    assert "không thuộc Phường Phú Thượng" in response.content.decode()
    assert not Position.objects.filter(user=user).exists()


def test_admin_user_inline_positions_through_services(admin_client, make_user, ward_a, ward_b):
    user = make_user(Role.CLERK, ward_a, username="vanthu", full_name="Võ Văn Thư")
    existing = user.positions.get()
    data = {
        "username": "vanthu",
        "full_name": "Võ Văn Thư",
        "email": "",
        "phone": "",
        "kind": "staff",
        "clearance": "1",
        "is_active": "on",
        "date_joined_0": "01/01/2026",
        "date_joined_1": "08:00:00",
        "positions-TOTAL_FORMS": "2",
        "positions-INITIAL_FORMS": "1",
        "positions-MIN_NUM_FORMS": "0",
        "positions-MAX_NUM_FORMS": "1000",
        "positions-0-id": existing.pk,
        "positions-0-user": user.pk,
        "positions-0-unit": ward_a.pk,
        "positions-0-role": Role.CLERK,
        "positions-0-title": "Văn thư",
        "positions-0-is_primary": "on",
        "positions-1-user": user.pk,
        "positions-1-unit": ward_b.pk,
        "positions-1-role": Role.SPECIALIST,
        "positions-1-title": "",
    }
    response = admin_client.post(f"/admin/people/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert user.clearance == 1
    assert set(user.positions.values_list("unit_id", "role")) == {
        (ward_a.pk, Role.CLERK),
        (ward_b.pk, Role.SPECIALIST),
    }
    existing.refresh_from_db()
    assert existing.title == "Văn thư"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"people.user_changed", "people.position_changed", "people.position_assigned"} <= actions


def test_admin_delegation_rule_is_a_form_error(admin_client, make_user, ward_a, ward_b):
    chair = make_user(Role.LEADER, ward_b)
    deputy = make_user(Role.SPECIALIST, ward_a)
    today = timezone.localdate()
    response = admin_client.post(
        "/admin/people/delegation/add/",
        {
            "principal": chair.pk,
            "delegate": deputy.pk,
            "unit": ward_a.pk,
            "kind": "acting",
            "start": today.strftime("%d/%m/%Y"),
            "end": today.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 200
    assert "không giữ vị trí nào tại Phường Tây Hồ" in response.content.decode()
    assert not Delegation.objects.exists()


def test_admin_delegation_add_and_revoke(admin_client, make_user, ward_a, ward_b):
    chair = make_user(Role.LEADER, ward_b)
    deputy = make_user(Role.SPECIALIST, ward_a)
    today = timezone.localdate()
    response = admin_client.post(
        "/admin/people/delegation/add/",
        {
            "principal": chair.pk,
            "delegate": deputy.pk,
            "unit": ward_b.pk,
            "kind": "acting",
            "start": today.strftime("%d/%m/%Y"),
            "end": (today + dt.timedelta(days=3)).strftime("%d/%m/%Y"),
            "note": "Đi học",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    delegation = Delegation.objects.get()
    response = admin_client.post(
        "/admin/people/delegation/",
        {"action": "revoke", "_selected_action": [delegation.pk]},
    )
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None
    assert AuditEvent.objects.filter(action="people.delegation_revoked").count() == 1


def test_admin_resets_second_factor(admin_client, make_user, ward_a, confirmed_device):
    leader = make_user(Role.LEADER, ward_a)
    confirmed_device(leader)
    response = admin_client.post(
        "/admin/people/user/", {"action": "reset_second_factor", "_selected_action": [leader.pk]}
    )
    assert response.status_code == 302
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert not TOTPDevice.objects.filter(user=leader).exists()
    assert User.objects.filter(pk=leader.pk).exists()
