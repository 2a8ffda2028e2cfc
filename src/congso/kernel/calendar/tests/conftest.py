"""Calendar tests start and end with an empty calendar cache: a test that adds an official day
inside its (rolled back) transaction must not leave it cached for the next test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from congso.kernel.calendar import services


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Iterator[None]:
    services.calendar_cache_clear()
    yield
    services.calendar_cache_clear()


def vn(*args: int) -> dt.datetime:
    """A datetime in Vietnamese local time: vn(2026, 2, 13, 16) is 13/02/2026 16:00 +07:00."""
    return dt.datetime(*args, tzinfo=services.VN_TZ)  # type: ignore[misc]
