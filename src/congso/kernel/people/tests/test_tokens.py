"""API tokens: service, bearer authentication, the people API, the api_token command."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from congso.kernel.audit.models import AuditEvent
from congso.kernel.errors import DomainError
from congso.kernel.people import services
from congso.kernel.people.models import ApiToken, Role

pytestmark = pytest.mark.django_db

ME = "/api/v1/people/me"


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_token_is_stored_hashed(make_user, ward_a):
    user = make_user(Role.CLERK, ward_a)
    token, key = services.api_token_create(user=user, name="Phần mềm một cửa")
    assert key.startswith("cs_") and len(key) > 40
    assert token.prefix == key[:11]
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert not ApiToken.objects.filter(key_hash=key).exists()
    assert key not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    event = AuditEvent.objects.filter(action="people.api_token_created").get()
    assert key not in str(event.changes)


def test_valid_token_authenticates(client, make_user, ward_a, ward_b):
    user = make_user(Role.CLERK, ward_a, full_name="Phạm Thị Văn Thư")
    _token, key = services.api_token_create(user=user)
    response = client.get(ME, **bearer(key))
    assert response.status_code == 200
    data = response.json()
    assert data["username"] == user.username
    assert data["full_name"] == "Phạm Thị Văn Thư"
    assert data["roles"] == ["clerk"]
    assert data["visible_units_count"] == 1
    assert data["positions"][0]["unit_name"] == "Phường Tây Hồ"
    assert data["positions"][0]["is_current"] is True
    assert ApiToken.objects.get(user=user).last_used_at is not None


@pytest.mark.parametrize("case", ["revoked", "expired", "wrong", "inactive", "malformed", "none"])
def test_refused_tokens_get_401_json(client, make_user, ward_a, case):
    user = make_user(Role.CLERK, ward_a)
    token, key = services.api_token_create(
        user=user, expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    headers = bearer(key)
    if case == "revoked":
        services.api_token_revoke(token=token)
    elif case == "wrong":
        headers = bearer(key[:-2] + ("AA" if key[-2:] != "AA" else "BB"))
    elif case == "inactive":
        user.is_active = False
        user.save()
    elif case == "malformed":
        headers = {"HTTP_AUTHORIZATION": "Bearer"}
    elif case == "none":
        headers = {}
    if case == "expired":
        with time_machine.travel(timezone.now() + dt.timedelta(hours=2), tick=False):
            response = client.get(ME, **headers)
    else:
        response = client.get(ME, **headers)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "unauthenticated"


def test_token_before_expiry_works(client, make_user, ward_a):
    user = make_user(Role.CLERK, ward_a)
    _token, key = services.api_token_create(
        user=user, expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    assert client.get(ME, **bearer(key)).status_code == 200


def test_expiry_in_the_past_is_refused(make_user):
    with pytest.raises(DomainError) as exc:
        services.api_token_create(user=make_user(), expires_at=timezone.now())
    assert exc.value.code == "invalid_expiry"


def test_api_token_lifecycle(client, make_user, ward_a):
    user = make_user(Role.CLERK, ward_a)
    _first, key = services.api_token_create(user=user, name="đầu tiên")
    response = client.post(
        "/api/v1/people/tokens",
        {"name": "Kết nối thống kê", "expires_days": 30},
        content_type="application/json",
        **bearer(key),
    )
    assert response.status_code == 201
    created = response.json()
    assert created["token"].startswith("cs_") and created["name"] == "Kết nối thống kê"
    assert created["expires_at"] is not None
    # The new key works, and the list shows both without any key.
    listing = client.get("/api/v1/people/tokens", **bearer(created["token"]))
    assert listing.status_code == 200
    items = listing.json()["items"]
    assert [item["name"] for item in items] == ["Kết nối thống kê", "đầu tiên"]
    assert all("token" not in item and "key_hash" not in item for item in items)
    # Delete (revoke) it; it stops working at once.
    response = client.delete(f"/api/v1/people/tokens/{created['id']}", **bearer(key))
    assert response.status_code == 204
    assert client.get(ME, **bearer(created["token"])).status_code == 401
    again = client.delete(f"/api/v1/people/tokens/{created['id']}", **bearer(key))
    assert again.status_code == 400 and again.json()["code"] == "already_revoked"


def test_token_list_is_paginated_by_keyset(client, make_user, ward_a):
    user = make_user(Role.CLERK, ward_a)
    keys = [services.api_token_create(user=user, name=f"khóa {i}")[1] for i in range(5)]
    seen = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/people/tokens", params, **bearer(keys[0])).json()
        seen += [item["name"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"khóa {i}" for i in reversed(range(5))]
    bad = client.get("/api/v1/people/tokens", {"cursor": "%%%"}, **bearer(keys[0]))
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_cursor"


def test_cannot_touch_someone_elses_token(client, make_user, ward_a):
    alice = make_user(Role.CLERK, ward_a)
    bob = make_user(Role.CLERK, ward_a)
    _t, alice_key = services.api_token_create(user=alice)
    bob_token, _k = services.api_token_create(user=bob)
    response = client.delete(f"/api/v1/people/tokens/{bob_token.pk}", **bearer(alice_key))
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    bob_token.refresh_from_db()
    assert bob_token.revoked_at is None
    listing = client.get("/api/v1/people/tokens", **bearer(alice_key)).json()
    assert [item["id"] for item in listing["items"]] == [_t.pk]


def test_invalid_token_input_is_422(client, make_user, ward_a):
    _t, key = services.api_token_create(user=make_user(Role.CLERK, ward_a))
    response = client.post(
        "/api/v1/people/tokens", {"expires_days": 0}, content_type="application/json", **bearer(key)
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"


def test_session_api_needs_csrf_for_writes(make_user, ward_a, login):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    login(client, make_user(Role.CLERK, ward_a))
    assert client.get(ME).status_code == 200
    response = client.post("/api/v1/people/tokens", {}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert not ApiToken.objects.exists()


# --- the command --------------------------------------------------------------------------------


def test_command_prints_a_working_token(client, make_user, ward_a):
    user = make_user(Role.CLERK, ward_a, username="tichhop")
    out, err = StringIO(), StringIO()
    call_command(
        "api_token", "tichhop", "--name", "Tập lệnh", "--expires-days", "7", stdout=out, stderr=err
    )
    key = out.getvalue().strip()
    assert key.startswith("cs_") and "\n" not in key
    token = ApiToken.objects.get(user=user)
    assert token.name == "Tập lệnh"
    assert token.expires_at.date() == (timezone.now() + dt.timedelta(days=7)).date()
    assert "Đã tạo khóa API" in err.getvalue()
    assert client.get(ME, **bearer(key)).status_code == 200


def test_command_unknown_user_fails_clearly():
    with pytest.raises(CommandError, match="Không có người dùng “khong-co”"):
        call_command("api_token", "khong-co")


def test_command_unknown_user_exits_non_zero(db, capsys):
    """As ``manage.py api_token`` runs it: exit status 1 and the message on stderr."""
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["manage.py", "api_token", "khong-co-ai"]).execute()
    assert exc.value.code == 1
    assert "Không có người dùng “khong-co-ai”" in capsys.readouterr().err


def test_command_revokes_by_prefix(client, make_user, ward_a):
    make_user(Role.CLERK, ward_a, username="tichhop")
    out = StringIO()
    call_command("api_token", "tichhop", stdout=out, stderr=StringIO())
    key = out.getvalue().strip()
    out = StringIO()
    call_command("api_token", "tichhop", "--revoke", key[:11], stdout=out)
    assert "Đã thu hồi" in out.getvalue()
    assert client.get(ME, **bearer(key)).status_code == 401
    with pytest.raises(CommandError, match="Không có khóa đang dùng"):
        call_command("api_token", "tichhop", "--revoke", key[:11])
    with pytest.raises(CommandError, match="ít nhất 4 ký tự"):
        call_command("api_token", "tichhop", "--revoke", "")
