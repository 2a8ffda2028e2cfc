"""Login, lockout after repeated failures, session idle timeout, password hashing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.hashers import identify_hasher
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from congso.kernel.people.models import Role

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-nghiem-123"


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    # These tests are about the password step; the second factor has its own tests.
    settings.TOTP_REQUIRED_ROLES = []


def test_login_page_is_vietnamese(client):
    response = client.get(reverse("people:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đăng nhập" in html and "Tên đăng nhập" in html and "Mật khẩu" in html
    assert reverse("people:login") == "/tai-khoan/dang-nhap/"


def test_login_with_right_password_goes_to_next(client, make_user, ward_a):
    user = make_user(Role.CLERK, ward_a, username="vanthu")
    response = client.post(
        reverse("people:login"),
        {"username": "vanthu", "password": PASSWORD, "next": "/tai-khoan/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_refuses_outside_next(client, make_user, ward_a):
    make_user(Role.CLERK, ward_a, username="vanthu")
    response = client.post(
        reverse("people:login"),
        {"username": "vanthu", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_wrong_password_shows_vietnamese_error(client, make_user, ward_a):
    make_user(Role.CLERK, ward_a, username="vanthu")
    response = client.post(reverse("people:login"), {"username": "vanthu", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_after_five_failures(client, make_user, ward_a, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    make_user(Role.CLERK, ward_a, username="vanthu")
    url = reverse("people:login")
    for attempt in range(1, 5):
        response = client.post(url, {"username": "vanthu", "password": f"sai-{attempt}"})
        assert response.status_code == 200, attempt
    response = client.post(url, {"username": "vanthu", "password": "sai-5"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Tạm khóa đăng nhập" in html
    assert "5 lần" in html
    assert "15 phút" in html
    assert AccessAttempt.objects.get(username="vanthu").failures_since_start == 5
    # Even the right password is refused while locked out.
    response = client.post(url, {"username": "vanthu", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_ends_after_cooloff(client, make_user, ward_a):
    make_user(Role.CLERK, ward_a, username="vanthu")
    url = reverse("people:login")
    for attempt in range(5):
        client.post(url, {"username": "vanthu", "password": f"sai-{attempt}"})
    later = timezone.now() + dt.timedelta(minutes=16)
    with time_machine.travel(later, tick=False):
        response = client.post(url, {"username": "vanthu", "password": PASSWORD})
    assert response.status_code == 302


def test_other_user_not_locked(client, make_user, ward_a):
    make_user(Role.CLERK, ward_a, username="vanthu")
    make_user(Role.CLERK, ward_a, username="chuyenvien")
    url = reverse("people:login")
    for attempt in range(5):
        client.post(url, {"username": "vanthu", "password": f"sai-{attempt}"})
    response = client.post(url, {"username": "chuyenvien", "password": PASSWORD})
    assert response.status_code == 302


def test_logout_is_post_only(client, make_user, ward_a, login):
    user = make_user(Role.CLERK, ward_a)
    login(client, user)
    assert client.get(reverse("people:logout")).status_code == 405
    response = client.post(reverse("people:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_session_idle_timeout(client, make_user, ward_a, login, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    user = make_user(Role.CLERK, ward_a)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        login(client, user)
    account = reverse("people:account")
    # Activity every 20 minutes keeps the session alive well past 30 minutes in all.
    for minutes in (20, 40, 60):
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            assert client.get(account).status_code == 200, minutes
    # 31 idle minutes end it.
    with time_machine.travel(start + dt.timedelta(minutes=91), tick=False):
        response = client.get(account)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:login"))


def test_argon2_is_the_default_hasher_in_production_settings(make_user):
    from congso import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        user = make_user(username="argon")
        assert user.password.startswith("argon2$")
        assert identify_hasher(user.password).algorithm == "argon2"
        assert user.check_password(PASSWORD)
