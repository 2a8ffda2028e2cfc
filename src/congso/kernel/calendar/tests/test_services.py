"""Working-day and working-hour arithmetic, overrides, validation and the cache."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from congso.kernel.audit.models import AuditEvent
from congso.kernel.calendar import services
from congso.kernel.calendar.models import OfficialDay, OfficialDayKind, WorkingHours
from congso.kernel.calendar.services import (
    add_working_days,
    add_working_hours,
    calendar_cache_clear,
    is_working_day,
    next_working_moment,
    official_day_delete,
    official_day_save,
    parse_working_hours,
    working_days_between,
    working_hours_between,
    working_hours_set,
    working_periods,
)
from congso.kernel.calendar.tests.conftest import vn
from congso.kernel.errors import DomainError

pytestmark = pytest.mark.django_db

D = dt.date


# --- days -----------------------------------------------------------------------------------------


def test_add_working_days_basics() -> None:
    assert add_working_days(D(2026, 3, 2), 1) == D(2026, 3, 3)  # Mon → Tue
    assert add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 9)  # Fri → Mon
    assert add_working_days(D(2026, 3, 7), 1) == D(2026, 3, 9)  # Sat → Mon
    assert add_working_days(D(2026, 3, 2), 5) == D(2026, 3, 9)
    assert add_working_days(D(2026, 3, 2), 0) == D(2026, 3, 2)
    assert add_working_days(D(2026, 3, 7), 0) == D(2026, 3, 9)  # a day off moves forward
    assert add_working_days(D(2026, 2, 14), 0) == D(2026, 2, 23)


def test_add_working_days_across_years_and_new_year() -> None:
    # 31/12/2026 Thu; 01/01/2027 Fri is New Year; 02–03/01 weekend.
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert working_days_between(D(2026, 12, 31), D(2027, 1, 4)) == 1
    # 2025 has 250 working days: the 250th after New Year's Day is the last one of the year, the
    # 251st is Mon 05/01/2026 (01/01 holiday, 02/01 swapped, then the weekend).
    assert add_working_days(D(2025, 1, 1), 250) == D(2025, 12, 31)
    assert add_working_days(D(2025, 1, 1), 251) == D(2026, 1, 5)
    assert working_days_between(D(2025, 1, 1), D(2026, 1, 5)) == 251
    assert add_working_days(D(2024, 6, 3), 1000) == add_working_days(
        add_working_days(D(2024, 6, 3), 600), 400
    )


def test_working_days_between_semantics() -> None:
    assert working_days_between(D(2026, 3, 2), D(2026, 3, 2)) == 0
    assert working_days_between(D(2026, 3, 2), D(2026, 3, 3)) == 1
    assert working_days_between(D(2026, 3, 6), D(2026, 3, 8)) == 0  # Fri → Sun
    assert working_days_between(D(2026, 3, 9), D(2026, 3, 2)) == -5
    assert working_days_between(D(2026, 1, 1), D(2026, 12, 31)) == 249
    assert working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 249


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: add_working_days(D(2026, 1, 1), -1), "calendar_invalid_days"),
        (lambda: add_working_days(D(2026, 1, 1), 10_001), "calendar_invalid_days"),
        (lambda: add_working_days(D(2026, 1, 1), 1.5), "calendar_invalid_days"),
        (lambda: add_working_days(D(2026, 1, 1), True), "calendar_invalid_days"),
        (lambda: add_working_days(D(2100, 12, 30), 5), "calendar_year_out_of_range"),
        (lambda: is_working_day(D(1989, 12, 31)), "calendar_year_out_of_range"),
        (lambda: is_working_day(D(2101, 1, 1)), "calendar_year_out_of_range"),
        (lambda: is_working_day("2026-01-01"), "calendar_invalid_date"),
        (lambda: is_working_day(vn(2026, 1, 1)), "calendar_invalid_date"),
        (lambda: services.holidays_in_year(1989), "calendar_year_out_of_range"),
        (lambda: services.holidays_in_year("2026"), "calendar_year_out_of_range"),
        (lambda: add_working_hours(dt.datetime(2026, 3, 2, 8), 1), "calendar_naive_datetime"),
        (lambda: add_working_hours(vn(2026, 3, 2, 8), -1), "calendar_invalid_hours"),
        (lambda: add_working_hours(vn(2026, 3, 2, 8), float("nan")), "calendar_invalid_hours"),
        (lambda: add_working_hours(vn(2026, 3, 2, 8), float("inf")), "calendar_invalid_hours"),
        (lambda: add_working_hours(vn(2026, 3, 2, 8), 10**9), "calendar_invalid_hours"),
        (lambda: add_working_hours(D(2026, 3, 2), 1), "calendar_invalid_datetime"),
        (
            lambda: add_working_hours(
                dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone(dt.timedelta(hours=-5))), 1
            ),
            "calendar_year_out_of_range",
        ),
    ],
)
def test_bad_input_raises_domain_error(call: Any, code: str) -> None:
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code
    assert caught.value.status == 422


# --- hours ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "end"),
    [
        (vn(2026, 3, 2, 8), 1, vn(2026, 3, 2, 9)),
        (vn(2026, 3, 2, 8), 4, vn(2026, 3, 2, 12)),  # ends at noon, not 13:00
        (vn(2026, 3, 2, 11), 2, vn(2026, 3, 2, 14)),  # lunch break skipped
        (vn(2026, 3, 2, 8), 8, vn(2026, 3, 2, 17)),  # a full day ends at 17:00 the same day
        (vn(2026, 3, 2, 8), 16, vn(2026, 3, 3, 17)),
        (vn(2026, 3, 2, 16, 30), 1, vn(2026, 3, 3, 8, 30)),  # end of day
        (vn(2026, 3, 2, 12, 30), 1, vn(2026, 3, 2, 14)),  # start in the lunch break
        (vn(2026, 3, 2, 6), 1, vn(2026, 3, 2, 9)),  # start before the day
        (vn(2026, 3, 2, 18), 1, vn(2026, 3, 3, 9)),  # start after the day
        (vn(2026, 3, 6, 16), 2, vn(2026, 3, 9, 9)),  # Friday → Monday
        (vn(2026, 3, 7, 10), 1, vn(2026, 3, 9, 9)),  # start on a Saturday
        (vn(2026, 2, 13, 16), 2, vn(2026, 2, 23, 9)),  # across Tết 2026
        (vn(2026, 2, 13, 16), 1, vn(2026, 2, 13, 17)),
        (vn(2026, 3, 2, 8), 0.5, vn(2026, 3, 2, 8, 30)),
        (vn(2026, 3, 2, 12), 0, vn(2026, 3, 2, 13)),  # 0 h: next working moment
        (vn(2026, 3, 2, 9, 15), 0, vn(2026, 3, 2, 9, 15)),
        (vn(2026, 8, 21, 16), 2, vn(2026, 8, 22, 9)),  # Saturday 22/08/2026 is worked
        (vn(2026, 8, 28, 16), 2, vn(2026, 9, 3, 9)),  # across the 2/9/2026 break
        (vn(2026, 3, 2, 8), 40, vn(2026, 3, 6, 17)),  # a working week
        (vn(2026, 3, 2, 8), 40.25, vn(2026, 3, 9, 8, 15)),
    ],
)
def test_add_working_hours(start: dt.datetime, hours: float, end: dt.datetime) -> None:
    result = add_working_hours(start, hours)
    assert result == end
    assert result.tzinfo is not None and result.utcoffset() == dt.timedelta(hours=7)
    assert working_hours_between(start, result) == pytest.approx(hours)


def test_add_working_hours_accepts_other_time_zones_and_decimal() -> None:
    from decimal import Decimal

    utc = dt.datetime(2026, 3, 2, 1, tzinfo=dt.UTC)  # 08:00 in Hà Nội
    assert add_working_hours(utc, 1) == vn(2026, 3, 2, 9)
    assert add_working_hours(vn(2026, 3, 2, 8), Decimal("1.5")) == vn(2026, 3, 2, 9, 30)


def test_working_hours_between() -> None:
    assert working_hours_between(vn(2026, 3, 2, 11), vn(2026, 3, 2, 14)) == 2
    assert working_hours_between(vn(2026, 3, 2, 12), vn(2026, 3, 2, 13)) == 0
    assert working_hours_between(vn(2026, 3, 2, 0), vn(2026, 3, 3, 0)) == 8
    assert working_hours_between(vn(2026, 3, 6, 16), vn(2026, 3, 9, 9)) == 2
    assert working_hours_between(vn(2026, 3, 9, 9), vn(2026, 3, 6, 16)) == -2
    assert working_hours_between(vn(2026, 2, 13, 8), vn(2026, 2, 23, 17)) == 16  # Tết between
    assert working_hours_between(vn(2026, 3, 7, 8), vn(2026, 3, 7, 17)) == 0  # Saturday
    assert working_hours_between(vn(2026, 3, 2, 8), vn(2026, 3, 9, 8)) == 40


def test_next_working_moment() -> None:
    assert next_working_moment(vn(2026, 3, 2, 9)) == vn(2026, 3, 2, 9)
    assert next_working_moment(vn(2026, 3, 2, 7, 59)) == vn(2026, 3, 2, 8)
    assert next_working_moment(vn(2026, 3, 2, 12)) == vn(2026, 3, 2, 13)
    assert next_working_moment(vn(2026, 3, 2, 17)) == vn(2026, 3, 3, 8)
    assert next_working_moment(vn(2026, 2, 13, 17, 30)) == vn(2026, 2, 23, 8)


def test_working_hours_are_configurable() -> None:
    assert str(working_periods()) == "08:00-12:00,13:00-17:00"
    row = working_hours_set(periods=" 13:30-17:00 , 07:30-11:30 ")
    assert row.periods == "07:30-11:30,13:30-17:00"  # normalised and sorted
    assert add_working_hours(vn(2026, 3, 2, 11), 1) == vn(2026, 3, 2, 14)
    assert working_hours_between(vn(2026, 3, 2, 0), vn(2026, 3, 3, 0)) == 7.5
    assert next_working_moment(vn(2026, 3, 2, 7)) == vn(2026, 3, 2, 7, 30)
    assert AuditEvent.objects.filter(action="calendar.working_hours.update").count() == 1
    working_hours_set(periods="08:00-17:00")
    assert WorkingHours.objects.count() == 1
    assert add_working_hours(vn(2026, 3, 2, 11), 2) == vn(2026, 3, 2, 13)


def test_working_hours_default_comes_from_settings(settings: Any) -> None:
    settings.WORKING_HOURS = "07:00-11:00,14:00-18:00"
    calendar_cache_clear()
    assert add_working_hours(vn(2026, 3, 2, 10), 2) == vn(2026, 3, 2, 15)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "08:00",
        "8-12",
        "08:00-07:00",
        "08:00-12:00,11:00-13:00",
        "25:00-26:00",
        "a-b",
        "08:00-08:00",
    ],
)
def test_bad_working_hours_are_refused(text: str) -> None:
    with pytest.raises(DomainError) as caught:
        parse_working_hours(text)
    assert caught.value.code == "calendar_invalid_working_hours"
    with pytest.raises(DomainError):
        working_hours_set(periods=text)
    assert not WorkingHours.objects.exists()


# --- the official table wins --------------------------------------------------------------------


def test_an_official_working_day_beats_the_library() -> None:
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    row = official_day_save(
        date=D(2026, 2, 20), kind=OfficialDayKind.WORKING_DAY, name="Đi làm (thử nghiệm)"
    )
    assert is_working_day(D(2026, 2, 20))
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 20)
    assert working_days_between(D(2026, 1, 1), D(2026, 12, 31)) == 250
    official_day_delete(official_day=row)
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)


def test_an_official_day_off_beats_the_library_and_is_listed() -> None:
    official_day_save(
        date=D(2026, 2, 23),
        kind=OfficialDayKind.DAY_OFF,
        name="Nghỉ thêm (thử nghiệm)",
        legal_basis="Thông báo 1/TB-THU",
    )
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 24)
    entry = next(e for e in services.holidays_in_year(2026) if e.date == D(2026, 2, 23))
    assert (entry.source, entry.kind, entry.legal_basis) == (
        "official",
        "day_off",
        "Thông báo 1/TB-THU",
    )
    assert add_working_hours(vn(2026, 2, 13, 16), 2) == vn(2026, 2, 24, 9)


def test_an_official_working_day_can_cancel_a_library_prediction() -> None:
    # 2027: the library predicts 03/05 (Mon) as the compensatory day for 01/05 (Sat).
    assert not is_working_day(D(2027, 5, 3))
    official_day_save(date=D(2027, 5, 3), kind="working_day", name="Không nghỉ bù (thử)")
    assert is_working_day(D(2027, 5, 3))


def test_editing_and_deleting_official_days_is_audited() -> None:
    row = official_day_save(date=D(2027, 2, 11), kind="day_off", name="Tết (thử)")
    assert row.year == 2027
    official_day_save(date=D(2027, 2, 12), kind="day_off", name="Tết (thử, sửa)", instance=row)
    row.refresh_from_db()
    assert (row.date, row.year) == (D(2027, 2, 12), 2027)
    assert not is_working_day(D(2027, 2, 12))
    official_day_delete(official_day=row)
    actions = list(
        AuditEvent.objects.filter(action__startswith="calendar.official_day.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "calendar.official_day.create",
        "calendar.official_day.update",
        "calendar.official_day.delete",
    ]


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        (
            {"date": D(2026, 11, 24), "kind": "day_off", "name": "Trùng"},
            "calendar_official_day_exists",
        ),
        ({"date": D(2027, 1, 4), "kind": "holiday", "name": "x"}, "calendar_invalid_kind"),
        ({"date": D(2027, 1, 4), "kind": "day_off", "name": "  "}, "calendar_name_required"),
        ({"date": D(1980, 1, 4), "kind": "day_off", "name": "x"}, "calendar_year_out_of_range"),
    ],
)
def test_official_day_save_refuses_bad_rows(kwargs: dict[str, Any], code: str) -> None:
    count = OfficialDay.objects.count()
    with pytest.raises(DomainError) as caught:
        official_day_save(**kwargs)
    assert caught.value.code == code
    assert OfficialDay.objects.count() == count


def test_writes_by_another_process_are_noticed_after_the_cache_interval(settings: Any) -> None:
    settings.CALENDAR_CACHE_SECONDS = 0
    assert is_working_day(D(2027, 3, 1))
    # As another process would: straight to the table, no service, no cache clearing here.
    OfficialDay.objects.create(date=D(2027, 3, 1), year=2027, kind="day_off", name="Nghỉ (thử)")
    assert not is_working_day(D(2027, 3, 1))
    OfficialDay.objects.filter(date=D(2027, 3, 1)).delete()
    assert is_working_day(D(2027, 3, 1))
    WorkingHours.objects.create(periods="09:00-10:00")
    assert str(working_periods()) == "09:00-10:00"


def test_within_the_cache_interval_the_cache_answers_without_queries(
    django_assert_num_queries: Any,
) -> None:
    is_working_day(D(2026, 3, 2))
    working_periods()
    with django_assert_num_queries(0):
        for n in range(50):
            add_working_days(D(2026, 1, 1), n)
        add_working_hours(vn(2026, 3, 2, 8), 100)
        working_hours_between(vn(2026, 1, 2, 8), vn(2026, 12, 1, 8))
