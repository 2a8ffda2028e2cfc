"""Administrators may look at sequences in the admin, never add, change or delete them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from congso.kernel.numbering.models import Sequence
from congso.kernel.numbering.services import number_next
from congso.kernel.people.models import User


@pytest.fixture
def admin_client_logged(
    db: object, client: Client, login: Callable[[Client, User], Client], settings: Any
) -> Client:
    settings.TOTP_REQUIRED_ROLES = []  # this test is about the admin, not the second factor
    user = User.objects.create_superuser("quantri", "qt@example.vn", "mat-khau-quan-tri-123")
    return login(client, user)


@pytest.mark.django_db
def test_admin_lists_sequences_read_only(admin_client_logged: Client) -> None:
    with transaction.atomic():
        number_next(scope="unit:1:arrival", series="arrival", year=2026)
        number_next(scope="unit:1:arrival", series="arrival", year=2026)
    seq = Sequence.objects.get()

    listing = admin_client_logged.get(reverse("admin:numbering_sequence_changelist"))
    assert listing.status_code == 200
    assert "unit:1:arrival" in listing.content.decode()

    assert admin_client_logged.get(reverse("admin:numbering_sequence_add")).status_code == 403
    change_url = reverse("admin:numbering_sequence_change", args=[seq.pk])
    page = admin_client_logged.get(change_url)
    assert page.status_code == 200  # shown, read-only
    assert 'name="last"' not in page.content.decode()
    posted = admin_client_logged.post(
        change_url, {"scope": "x", "series": "y", "year": 2026, "last": 0}
    )
    assert posted.status_code == 403
    delete_url = reverse("admin:numbering_sequence_delete", args=[seq.pk])
    assert admin_client_logged.post(delete_url, {"post": "yes"}).status_code == 403
    seq.refresh_from_db()
    assert (seq.scope, seq.last) == ("unit:1:arrival", 2)
