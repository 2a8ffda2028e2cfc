"""Sign-in, sign-out and failed sign-in are recorded (never the password)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from congso.kernel.audit.models import AuditEvent
from congso.kernel.orgunits.models import AdminUnit

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-nghiem-123"


def test_login_and_logout_recorded(client: Client, make_user: Any, ward_a: AdminUnit) -> None:
    user = make_user("specialist", ward_a)
    response = client.post(
        reverse("people:login"),
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.44",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="people.login")
    assert event.actor_id == user.pk
    assert event.object_id == str(user.pk)
    assert event.ip == "192.0.2.44"

    client.post(reverse("people:logout"))
    logout = AuditEvent.objects.get(action="people.logout")
    assert logout.actor_id == user.pk


def test_failed_login_recorded_without_password(
    client: Client, make_user: Any, ward_a: AdminUnit
) -> None:
    user = make_user("specialist", ward_a)
    client.post(
        reverse("people:login"),
        {"username": user.username, "password": "sai-mat-khau-bi-mat"},
        REMOTE_ADDR="192.0.2.45",
    )
    event = AuditEvent.objects.get(action="people.login_failed")
    assert event.actor is None
    assert event.ip == "192.0.2.45"
    assert event.changes == {"username": [None, user.username]}
    assert user.username in event.summary
    stored = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert "sai-mat-khau-bi-mat" not in stored
    assert not AuditEvent.objects.filter(action="people.login").exists()
