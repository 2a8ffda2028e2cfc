"""TOTP second factor: required for leaders and administrators, setup, verification, admin site."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from congso.kernel.people.models import Role
from congso.kernel.people.tests.conftest import current_code

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-nghiem-123"
ACCOUNT = "/tai-khoan/"


def password_login(client, username):
    return client.post(reverse("people:login"), {"username": username, "password": PASSWORD})


def test_default_required_roles(settings):
    from congso import settings as production

    assert production.TOTP_REQUIRED_ROLES == ["admin", "leader"]


@pytest.mark.parametrize("role", [Role.LEADER, Role.ADMIN])
def test_leader_and_admin_without_device_are_sent_to_setup(client, make_user, ward_a, role):
    make_user(role, ward_a, username="lanhdao")
    response = password_login(client, "lanhdao")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:totp_setup"))
    # Any staff page sends them back there until they finish.
    response = client.get(ACCOUNT)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('people:totp_setup')}?next=%2Ftai-khoan%2F"


def test_clerk_is_not_asked_for_a_second_factor(client, make_user, ward_a):
    make_user(Role.CLERK, ward_a, username="vanthu")
    response = password_login(client, "vanthu")
    assert response["Location"] == reverse("core:home")
    assert client.get(ACCOUNT).status_code == 200


def test_setup_shows_qr_and_secret_and_right_code_lets_in(client, make_user, ward_a):
    user = make_user(Role.LEADER, ward_a, username="lanhdao")
    password_login(client, "lanhdao")
    response = client.get(reverse("people:totp_setup"), {"next": ACCOUNT})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "Cài đặt xác thực hai lớp" in html
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    assert response.context["secret"].replace(" ", "") in html.replace(" ", "")
    # No request to another host: the QR code is inline SVG.
    assert "http://" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    # Reloading keeps the same secret.
    again = client.get(reverse("people:totp_setup"))
    assert again.context["secret"] == response.context["secret"]

    response = client.post(
        reverse("people:totp_setup"), {"token": current_code(device), "next": ACCOUNT}
    )
    assert response.status_code == 302
    assert response["Location"] == ACCOUNT
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(ACCOUNT).status_code == 200


def test_setup_with_wrong_code_is_refused(client, make_user, ward_a):
    user = make_user(Role.LEADER, ward_a, username="lanhdao")
    password_login(client, "lanhdao")
    client.get(reverse("people:totp_setup"))
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("people:totp_setup"), {"token": wrong})
    assert response.status_code == 200
    assert "Mã xác thực không đúng" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(ACCOUNT).status_code == 302


def test_leader_with_device_must_verify(client, make_user, ward_a, confirmed_device):
    user = make_user(Role.LEADER, ward_a, username="lanhdao")
    device = confirmed_device(user)
    response = password_login(client, "lanhdao")
    assert response["Location"].startswith(reverse("people:totp_verify"))
    response = client.get(ACCOUNT)
    assert response["Location"] == f"{reverse('people:totp_verify')}?next=%2Ftai-khoan%2F"

    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("people:totp_verify"), {"token": wrong, "next": ACCOUNT})
    assert response.status_code == 200
    assert "Mã xác thực không đúng hoặc đã hết hạn" in response.content.decode()
    assert client.get(ACCOUNT).status_code == 302

    # After the throttling delay of one failure, the right code gets in.
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5), tick=False):
        response = client.post(
            reverse("people:totp_verify"), {"token": current_code(device), "next": ACCOUNT}
        )
        assert response.status_code == 302
        assert response["Location"] == ACCOUNT
        assert client.get(ACCOUNT).status_code == 200


def test_code_cannot_be_reused(client, make_user, ward_a, confirmed_device):
    user = make_user(Role.LEADER, ward_a, username="lanhdao")
    device = confirmed_device(user)
    code = current_code(device)
    password_login(client, "lanhdao")
    assert client.post(reverse("people:totp_verify"), {"token": code}).status_code == 302
    client.post(reverse("people:logout"))
    password_login(client, "lanhdao")
    response = client.post(reverse("people:totp_verify"), {"token": code})
    assert response.status_code == 200


def test_malformed_code_is_a_form_error(client, make_user, ward_a, confirmed_device):
    user = make_user(Role.LEADER, ward_a, username="lanhdao")
    confirmed_device(user)
    password_login(client, "lanhdao")
    response = client.post(reverse("people:totp_verify"), {"token": "12ab56"})
    assert response.status_code == 200
    assert "Mã xác thực gồm 6 chữ số" in response.content.decode()


def test_unverified_user_cannot_replace_the_device(client, make_user, ward_a, confirmed_device):
    user = make_user(Role.LEADER, ward_a, username="lanhdao")
    confirmed_device(user)
    password_login(client, "lanhdao")
    response = client.get(reverse("people:totp_setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:totp_verify"))


def test_empty_required_roles_switches_it_off(client, make_user, ward_a, settings):
    settings.TOTP_REQUIRED_ROLES = []
    make_user(Role.LEADER, ward_a, username="lanhdao")
    response = password_login(client, "lanhdao")
    assert response["Location"] == reverse("core:home")
    assert client.get(ACCOUNT).status_code == 200


def test_delegated_leader_must_use_second_factor(client, make_user, ward_a, ward_b):
    from congso.kernel.people import services
    from congso.kernel.people.models import DelegationKind

    chair = make_user(Role.LEADER, ward_b)
    make_user(Role.SPECIALIST, ward_a, username="chuyenvien")
    today = timezone.localdate()
    services.delegation_grant(
        principal=chair,
        delegate=chair.__class__.objects.get(username="chuyenvien"),
        unit=ward_b,
        kind=DelegationKind.ACTING,
        start=today,
        end=today,
    )
    response = password_login(client, "chuyenvien")
    assert response["Location"].startswith(reverse("people:totp_setup"))


def test_login_fixture_passes_the_real_gate(client, make_user, ward_a, login):
    leader = make_user(Role.LEADER, ward_a)
    login(client, leader)
    assert client.get(ACCOUNT).status_code == 200


def test_public_portal_is_not_gated(client, make_user, ward_a):
    make_user(Role.LEADER, ward_a, username="lanhdao")
    password_login(client, "lanhdao")
    assert client.get(reverse("portal:home")).status_code == 200


def test_htmx_requests_get_a_client_redirect(client, make_user, ward_a):
    make_user(Role.LEADER, ward_a, username="lanhdao")
    password_login(client, "lanhdao")
    response = client.get(ACCOUNT, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("people:totp_setup"))


def test_api_session_of_unverified_leader_is_refused(client, make_user, ward_a):
    make_user(Role.LEADER, ward_a, username="lanhdao")
    password_login(client, "lanhdao")
    response = client.get("/api/v1/people/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


# --- the Django admin --------------------------------------------------------------------------


def test_admin_login_page_is_ours(client):
    response = client.get("/admin/login/?next=/admin/people/user/")
    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/dang-nhap/?next=%2Fadmin%2Fpeople%2Fuser%2F"


def test_admin_requires_second_factor_even_for_superuser_without_role(client, make_user):
    make_user(username="root", is_superuser=True, is_staff=True)
    response = password_login(client, "root")
    assert response["Location"].startswith(reverse("people:totp_setup"))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:totp_setup"))


def test_admin_requires_second_factor_for_any_staff_flag(client, make_user, ward_a, settings):
    settings.TOTP_REQUIRED_ROLES = ["leader"]
    make_user(Role.CLERK, ward_a, username="vanthu", is_staff=True)
    password_login(client, "vanthu")
    assert client.get(ACCOUNT).status_code == 200
    response = client.get("/admin/")
    assert response["Location"].startswith(reverse("people:totp_setup"))


def test_admin_open_after_second_factor(client, make_user, login):
    root = make_user(username="root", is_superuser=True, is_staff=True)
    login(client, root)
    response = client.get("/admin/")
    assert response.status_code == 200


def test_admin_login_counts_failures_too(client, make_user, ward_a):
    """The admin's login form is never served: every password goes through ours (axes)."""
    make_user(username="root", is_superuser=True, is_staff=True)
    response = client.post("/admin/login/", {"username": "root", "password": "sai"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:login"))
    assert "_auth_user_id" not in client.session
