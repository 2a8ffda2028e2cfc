"""Hypothesis properties of the calendar arithmetic.

Dates are drawn over 2023–2029 so that examples hit the official years (2024–2026, with the
table) and the library's predicted years alike; the day-by-day reference loop below is the
oracle for the binary-search implementation.
"""

from __future__ import annotations

import datetime as dt

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congso.kernel.calendar.models import OfficialDay, OfficialDayKind
from congso.kernel.calendar.services import (
    VN_TZ,
    add_working_days,
    add_working_hours,
    is_working_day,
    next_working_moment,
    working_days_between,
    working_hours_between,
    working_periods,
)

pytestmark = pytest.mark.django_db

PROPS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

dates = st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2029, 12, 31))
small_n = st.integers(min_value=1, max_value=400)
moments = st.builds(
    lambda day, minute: (
        dt.datetime.combine(day, dt.time(), tzinfo=VN_TZ) + dt.timedelta(minutes=minute)
    ),
    dates,
    st.integers(min_value=0, max_value=24 * 60 - 1),
)
# Whole minutes, so that the expected hours are exact.
hour_amounts = st.integers(min_value=0, max_value=60 * 400).map(lambda m: m / 60)


def reference_add(start: dt.date, n: int) -> dt.date:
    """The naive definition: step day by day, count working days, start not counted."""
    day = start
    if n == 0:
        while not is_working_day(day):
            day += dt.timedelta(days=1)
        return day
    counted = 0
    while counted < n:
        day += dt.timedelta(days=1)
        counted += is_working_day(day)
    return day


def reference_is_working(day: dt.date) -> bool:
    """Independent of the service: the table row if there is one, else the library."""
    row = OfficialDay.objects.filter(date=day).first()
    if row is not None:
        return row.kind == OfficialDayKind.WORKING_DAY
    return holidays.country_holidays("VN", years=day.year).is_working_day(day)


@PROPS
@given(day=dates)
def test_is_working_day_matches_table_then_library(day: dt.date) -> None:
    assert is_working_day(day) == reference_is_working(day)


@PROPS
@given(start=dates, n=st.integers(min_value=0, max_value=400))
def test_add_working_days_matches_the_naive_loop(start: dt.date, n: int) -> None:
    assert add_working_days(start, n) == reference_add(start, n)


@PROPS
@given(start=dates, n=small_n)
def test_add_working_days_lands_on_a_working_day_n_days_later(start: dt.date, n: int) -> None:
    end = add_working_days(start, n)
    assert end > start
    assert is_working_day(end)
    assert working_days_between(start, end) == n
    assert working_days_between(end, start) == -n
    # Nothing in between is skipped: the day before the result is n-1 working days away.
    assert working_days_between(start, end - dt.timedelta(days=1)) == n - 1


@PROPS
@given(start=dates, n=st.integers(min_value=0, max_value=400))
def test_zero_days_is_the_next_working_day_and_result_is_a_working_day(
    start: dt.date, n: int
) -> None:
    end = add_working_days(start, n)
    assert is_working_day(end)
    if n == 0:
        assert end == start if is_working_day(start) else working_days_between(start, end) == 1


@PROPS
@given(start=dates, m=small_n, n=small_n)
def test_add_working_days_is_monotonic_and_composes(start: dt.date, m: int, n: int) -> None:
    a, b = sorted((m, n))
    if a < b:
        assert add_working_days(start, a) < add_working_days(start, b)
    assert add_working_days(add_working_days(start, m), n) == add_working_days(start, m + n)


@PROPS
@given(a=dates, b=dates, c=dates)
def test_working_days_between_is_additive(a: dt.date, b: dt.date, c: dt.date) -> None:
    assert working_days_between(a, b) + working_days_between(b, c) == working_days_between(a, c)


@PROPS
@given(start=moments, hours=hour_amounts)
def test_add_working_hours_inverts_working_hours_between(start: dt.datetime, hours: float) -> None:
    end = add_working_hours(start, hours)
    assert end >= start
    assert working_hours_between(start, end) == pytest.approx(hours, abs=1e-9)


@PROPS
@given(start=moments, hours=hour_amounts.filter(lambda h: h > 0))
def test_add_working_hours_ends_inside_working_time_of_a_working_day(
    start: dt.datetime, hours: float
) -> None:
    end = add_working_hours(start, hours)
    assert end.utcoffset() == dt.timedelta(hours=7)
    assert is_working_day(end.date())
    clock = end.time()
    assert any(a < clock <= b for a, b in working_periods().periods), end
    # The working time ends exactly there: a minute earlier it was not yet reached.
    assert working_hours_between(start, end - dt.timedelta(minutes=1)) < hours


@PROPS
@given(start=moments, a=hour_amounts, b=hour_amounts)
def test_add_working_hours_is_monotonic_and_composes(
    start: dt.datetime, a: float, b: float
) -> None:
    low, high = sorted((a, b))
    assert add_working_hours(start, low) <= add_working_hours(start, high)
    if a > 0:  # a zero step may move the start to the next period first
        composed = add_working_hours(add_working_hours(start, a), b)
        assert composed == add_working_hours(start, a + b) or (
            b == 0 and composed >= add_working_hours(start, a)
        )


@PROPS
@given(a=moments, b=moments, c=moments)
def test_working_hours_between_is_additive(a: dt.datetime, b: dt.datetime, c: dt.datetime) -> None:
    total = working_hours_between(a, b) + working_hours_between(b, c)
    assert total == pytest.approx(working_hours_between(a, c), abs=1e-9)


@PROPS
@given(moment=moments)
def test_next_working_moment(moment: dt.datetime) -> None:
    nxt = next_working_moment(moment)
    assert nxt >= moment
    assert next_working_moment(nxt) == nxt
    assert is_working_day(nxt.date())
    assert working_hours_between(moment, nxt) == 0
    assert add_working_hours(moment, 0) == nxt


@PROPS
@given(day=dates)
def test_whole_working_days_are_eight_hours(day: dt.date) -> None:
    start = dt.datetime.combine(day, dt.time(), tzinfo=VN_TZ)
    expected = 8 if is_working_day(day) else 0
    assert working_hours_between(start, start + dt.timedelta(days=1)) == expected


@PROPS
@given(
    day=st.dates(min_value=dt.date(2027, 1, 1), max_value=dt.date(2027, 12, 31)),
    kind=st.sampled_from(OfficialDayKind.values),
    n=small_n,
)
def test_an_official_row_always_wins(day: dt.date, kind: str, n: int) -> None:
    from django.db import transaction

    from congso.kernel.calendar.services import calendar_cache_clear, official_day_save

    before = add_working_days(day - dt.timedelta(days=3), n)
    try:
        with transaction.atomic():
            official_day_save(date=day, kind=kind, name="Thử nghiệm")
            assert is_working_day(day) == (kind == OfficialDayKind.WORKING_DAY)
            after = add_working_days(day - dt.timedelta(days=3), n)
            assert after == reference_add(day - dt.timedelta(days=3), n)
            if kind == OfficialDayKind.DAY_OFF:
                assert after >= before and after != day
            else:
                assert after <= before
            transaction.set_rollback(True)
    finally:
        calendar_cache_clear()
