from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from congso.kernel.core.ratelimit import RateLimited, rate_limit_hit


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def test_limit_per_address_and_scope() -> None:
    one = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1")
    other = RequestFactory().get("/", REMOTE_ADDR="192.0.2.2")
    assert rate_limit_hit(one, scope="lookup", limit=2) == 1
    assert rate_limit_hit(one, scope="lookup", limit=2) == 0
    with pytest.raises(RateLimited) as caught:
        rate_limit_hit(one, scope="lookup", limit=2)
    assert caught.value.status == 429
    assert caught.value.code == "rate_limited"
    assert 1 <= caught.value.retry_after <= 61
    # Another address and another scope have their own counters.
    assert rate_limit_hit(other, scope="lookup", limit=2) == 1
    assert rate_limit_hit(one, scope="report", limit=2) == 1


def test_explicit_key_and_switch_off() -> None:
    for _ in range(3):
        rate_limit_hit(None, scope="x", limit=3, key="code:ABC")
    with pytest.raises(RateLimited):
        rate_limit_hit(None, scope="x", limit=3, key="code:ABC")
    with override_settings(RATELIMIT_ENABLED=False):
        assert rate_limit_hit(None, scope="x", limit=3, key="code:ABC") == 3
