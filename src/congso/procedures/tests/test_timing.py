"""Counting a dossier's time (procedures/timing.py) across Tết 2024–2026, compensatory days,
make-up Saturdays, cut-off rules, working-hour durations, pauses and resumes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congso.kernel.calendar.services import (
    is_working_day,
    next_working_moment,
    working_hours_between,
    working_time_between,
)
from congso.procedures import timing
from congso.procedures.models import Dossier, DurationUnit, Procedure, Timeliness

from .conftest import vn

pytestmark = pytest.mark.django_db


def proc(value: str, unit: str = DurationUnit.WORKING_DAYS, cutoff: dt.time | None = None) -> Any:
    return Procedure(duration_value=Decimal(value), duration_unit=unit, cutoff_time=cutoff)


FIFTEEN = dt.time(15, 0)


# --- the calendar facts the rules below rely on ----------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2024-02-07", True),
        ("2024-02-08", False),  # Tết Giáp Thìn
        ("2024-02-14", False),
        ("2024-02-15", True),
        ("2024-04-29", False),  # swapped day off
        ("2024-05-04", True),  # make-up Saturday
        ("2025-01-27", False),  # Tết Ất Tỵ
        ("2025-02-03", True),
        ("2025-04-26", True),  # make-up Saturday
        ("2025-05-02", False),  # swapped day off
        ("2026-01-02", False),  # swapped day off (New Year)
        ("2026-01-10", True),  # make-up Saturday
        ("2026-02-13", True),
        ("2026-02-16", False),  # Tết Bính Ngọ
        ("2026-02-23", True),
    ],
)
def test_calendar_facts(day: str, working: bool) -> None:
    assert is_working_day(dt.date.fromisoformat(day)) is working


# --- received moment -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (vn(2026, 3, 2, 9, 30), vn(2026, 3, 2, 9, 30)),  # inside hours: as is
        (vn(2026, 3, 2, 12, 30), vn(2026, 3, 2, 13, 0)),  # lunch: 13:00
        (vn(2026, 3, 2, 17, 30), vn(2026, 3, 3, 8, 0)),  # evening: next morning
        (vn(2026, 3, 7, 10, 0), vn(2026, 3, 9, 8, 0)),  # Saturday: Monday
        (vn(2026, 2, 16, 10, 0), vn(2026, 2, 23, 8, 0)),  # Tết 2026: after it
        (vn(2026, 1, 2, 9, 0), vn(2026, 1, 5, 8, 0)),  # swapped day off
        (vn(2026, 1, 10, 9, 0), vn(2026, 1, 10, 9, 0)),  # make-up Saturday is worked
        (vn(2024, 2, 7, 23, 0), vn(2024, 2, 15, 8, 0)),  # online on Tết's eve 2024
        (vn(2025, 1, 24, 20, 0), vn(2025, 2, 3, 8, 0)),  # online before Tết 2025
    ],
)
def test_reception_without_cutoff(at: dt.datetime, expected: dt.datetime) -> None:
    assert timing.reception_moment(proc("3"), at) == expected


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (vn(2026, 3, 2, 14, 59), vn(2026, 3, 2, 14, 59)),
        (vn(2026, 3, 2, 15, 0), vn(2026, 3, 3, 8, 0)),  # at the cut-off: next working day
        (vn(2026, 3, 2, 16, 30), vn(2026, 3, 3, 8, 0)),
        (vn(2026, 2, 13, 15, 30), vn(2026, 2, 23, 8, 0)),  # Friday before Tết 2026
        (vn(2024, 5, 3, 15, 10), vn(2024, 5, 4, 8, 0)),  # Friday → make-up Saturday
        (vn(2026, 3, 7, 16, 0), vn(2026, 3, 9, 8, 0)),  # Saturday (no cut-off applies)
    ],
)
def test_reception_with_cutoff(at: dt.datetime, expected: dt.datetime) -> None:
    assert timing.reception_moment(proc("0", cutoff=FIFTEEN), at) == expected


# --- due time --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("procedure", "received", "due"),
    [
        (proc("3"), vn(2026, 3, 2, 9, 30), vn(2026, 3, 5, 9, 30)),
        (proc("1"), vn(2026, 3, 2, 8, 0), vn(2026, 3, 2, 17, 0)),  # a whole first day
        (proc("0"), vn(2026, 3, 2, 10, 0), vn(2026, 3, 2, 17, 0)),  # "trong ngày"
        (proc("0.5"), vn(2026, 3, 2, 14, 0), vn(2026, 3, 3, 9, 0)),  # half a day
        (proc("4", DurationUnit.WORKING_HOURS), vn(2026, 3, 2, 15, 0), vn(2026, 3, 3, 10, 0)),
        (proc("2"), vn(2024, 2, 7, 10, 0), vn(2024, 2, 16, 10, 0)),  # across Tết 2024
        (proc("1"), vn(2025, 1, 24, 16, 0), vn(2025, 2, 3, 16, 0)),  # across Tết 2025
        (proc("1"), vn(2026, 2, 13, 9, 0), vn(2026, 2, 23, 9, 0)),  # across Tết 2026
        (proc("1"), vn(2024, 5, 3, 13, 0), vn(2024, 5, 4, 12, 0)),  # make-up Saturday
        (proc("1"), vn(2024, 4, 26, 13, 0), vn(2024, 5, 2, 12, 0)),  # 27/4–1/5/2024 off
        (proc("1"), vn(2025, 12, 31, 9, 0), vn(2026, 1, 5, 9, 0)),  # 1/1 + swapped 2/1/2026
    ],
)
def test_due_for(procedure: Any, received: dt.datetime, due: dt.datetime) -> None:
    assert timing.due_for(procedure, received) == due


def test_due_rule_end_of_day(settings: Any) -> None:
    settings.ONESTOP_DUE_RULE = "end_of_day"
    assert timing.due_for(proc("3"), vn(2026, 3, 2, 9, 30)) == vn(2026, 3, 5, 17, 0)
    assert timing.due_for(proc("1"), vn(2026, 2, 13, 9, 0)) == vn(2026, 2, 23, 17, 0)
    # Hour-based durations still add working hours.
    hours = proc("4", DurationUnit.WORKING_HOURS)
    assert timing.due_for(hours, vn(2026, 3, 2, 15, 0)) == vn(2026, 3, 3, 10, 0)


def test_hours_per_day_setting(settings: Any) -> None:
    settings.ONESTOP_HOURS_PER_DAY = 4
    assert timing.legal_hours(proc("2")) == Decimal(8)
    assert timing.due_for(proc("2"), vn(2026, 3, 2, 8, 0)) == vn(2026, 3, 2, 17, 0)


# --- timeliness ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        (vn(2026, 3, 4, 16, 59), Timeliness.EARLY),  # the working day before
        (vn(2026, 3, 5, 8, 0), Timeliness.ON_TIME),  # the due day, before the hour
        (vn(2026, 3, 5, 9, 30), Timeliness.ON_TIME),  # exactly at the due time
        (vn(2026, 3, 5, 9, 31), Timeliness.LATE),
        (vn(2026, 3, 6, 8, 0), Timeliness.LATE),
    ],
)
def test_classify(finished: dt.datetime, expected: Timeliness) -> None:
    assert timing.classify(vn(2026, 3, 5, 9, 30), finished) == expected


def test_classify_uses_local_days() -> None:
    # 00:30 local on the due day is 17:30 UTC the day before: still the due day here.
    due = vn(2026, 3, 5, 9, 30)
    finished = vn(2026, 3, 5, 0, 30).astimezone(dt.UTC)
    assert timing.classify(due, finished) == Timeliness.ON_TIME


# --- pauses ----------------------------------------------------------------------------------


def test_pause_shifts_due_and_elapsed() -> None:
    received = vn(2026, 2, 11, 9, 0)  # Wednesday before Tết 2026
    procedure = proc("3")
    due = timing.due_for(procedure, received)
    assert due == vn(2026, 2, 23, 9, 0)  # Wed 7 h, Thu 8, Fri 8, (Tết), Mon 23 1 h
    dossier = Dossier(received_at=received, due_at=due, paused_hours=Decimal(0))
    # Paused from Thu 12/02 10:00 to Mon 23/02 10:00: Thu 6 h, Fri 8 h, (Tết), Mon 2 h.
    dossier.paused_since = vn(2026, 2, 12, 10, 0)
    resumed = vn(2026, 2, 23, 10, 0)
    paused = timing.current_pause(dossier, resumed)
    assert paused == dt.timedelta(hours=6 + 8 + 2)
    assert timing.elapsed_hours(dossier, resumed) == Decimal("9.00")  # Wed 7 h + Thu 2 h
    new_due = timing.shift_due(due, paused)
    assert new_due == vn(2026, 2, 25, 9, 0)  # Mon 9–17 7 h, Tue 8 h, Wed 1 h
    dossier.paused_since = None
    dossier.paused_hours = timing.to_decimal_hours(paused)
    assert working_hours_between(received, new_due) - float(dossier.paused_hours) == 24.0
    assert timing.elapsed_hours(dossier, new_due) == Decimal("24.00")


# --- properties ------------------------------------------------------------------------------

START = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
moments = st.integers(min_value=0, max_value=3 * 365 * 24 * 60).map(
    lambda minutes: (START + dt.timedelta(minutes=minutes)).astimezone(timing.VN_TZ)
)
day_values = st.sampled_from(["0.5", "1", "2", "3", "5", "7", "10", "15", "20"])
hour_values = st.sampled_from(["1", "2", "4", "6", "8", "12", "16"])
PROPS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPS
@given(at=moments, cutoff=st.sampled_from([None, dt.time(15, 0), dt.time(16, 0)]))
def test_reception_is_a_working_moment_not_before(at: dt.datetime, cutoff: Any) -> None:
    received = timing.reception_moment(proc("1", cutoff=cutoff), at)
    assert received >= at
    assert next_working_moment(received) == received
    local = at.astimezone(timing.VN_TZ)
    if cutoff is not None and is_working_day(local.date()) and local.time() >= cutoff:
        assert received.date() > local.date()
        assert received.time() == dt.time(8, 0)
    else:
        assert received == next_working_moment(at)


@PROPS
@given(at=moments, value=day_values, unit=st.sampled_from(list(DurationUnit)))
def test_due_is_exactly_the_legal_working_time(at: dt.datetime, value: str, unit: str) -> None:
    if unit == DurationUnit.WORKING_HOURS:
        value = str(int(Decimal(value) * 2))
    procedure = proc(value, unit)
    received = timing.reception_moment(procedure, at)
    due = timing.due_for(procedure, received)
    assert due > received
    assert Decimal(str(working_hours_between(received, due))) == timing.legal_hours(procedure)
    assert is_working_day(due.date())


@PROPS
@given(
    at=moments,
    value=day_values,
    pause_at=st.integers(min_value=0, max_value=200),
    pause_len=st.integers(min_value=0, max_value=400),
)
def test_pause_then_resume_keeps_the_legal_time(
    at: dt.datetime, value: str, pause_at: int, pause_len: int
) -> None:
    procedure = proc(value)
    received = timing.reception_moment(procedure, at)
    due = timing.due_for(procedure, received)
    dossier = Dossier(received_at=received, due_at=due, paused_hours=Decimal(0))
    dossier.paused_since = received + dt.timedelta(hours=pause_at)
    resumed = dossier.paused_since + dt.timedelta(hours=pause_len)
    paused = timing.current_pause(dossier, resumed)
    assert paused == working_time_between(dossier.paused_since, resumed)
    new_due = timing.shift_due(due, paused)
    assert new_due >= due
    worked = working_time_between(received, new_due) - paused
    assert abs(worked.total_seconds() / 3600 - float(timing.legal_hours(procedure))) < 1e-6
    # Elapsed at the new due time, after the pause: the legal time, to the hundredth.
    dossier.paused_since = None
    dossier.paused_hours = timing.to_decimal_hours(paused)
    if resumed <= new_due:
        elapsed = timing.elapsed_hours(dossier, new_due)
        assert abs(elapsed - timing.legal_hours(procedure)) <= Decimal("0.01")


@PROPS
@given(due=moments, finished=moments)
def test_classify_is_monotonic(due: dt.datetime, finished: dt.datetime) -> None:
    result = timing.classify(due, finished)
    order = [Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE]
    later = timing.classify(due, finished + dt.timedelta(hours=5))
    assert order.index(later) >= order.index(result)
    assert (result == Timeliness.LATE) == (finished > due)


def test_describe_duration() -> None:
    assert timing.describe_duration(proc("3")) == "03 ngày làm việc"
    assert timing.describe_duration(proc("0")) == "Trong ngày làm việc"
    assert timing.describe_duration(proc("4", DurationUnit.WORKING_HOURS)) == "04 giờ làm việc"
    assert timing.describe_duration(proc("12")) == "12 ngày làm việc"
