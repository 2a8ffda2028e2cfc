"""Fixtures of the notifications tests."""

from __future__ import annotations

from typing import Any

import pytest

from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import User
from congso.kernel.people.services import api_token_create


@pytest.fixture
def alice(make_user: Any, ward_a: AdminUnit) -> User:
    return make_user(
        "specialist", ward_a, username="alice", email="alice@example.vn", full_name="Nguyễn Thị Hoa"
    )


@pytest.fixture
def bob(make_user: Any, ward_a: AdminUnit) -> User:
    return make_user("clerk", ward_a, username="bob", email="", full_name="Phạm Văn Bình")


@pytest.fixture
def bearer() -> Any:
    """Makes an API token for a user; returns the Authorization header value."""

    def make(user: User) -> str:
        _token, key = api_token_create(user=user, name="thử nghiệm")
        return f"Bearer {key}"

    return make
