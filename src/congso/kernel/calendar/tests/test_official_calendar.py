"""The official civil-servant calendars of 2024–2026 (vietnam-rules §5.3) and the library years."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest

from congso.kernel.calendar.models import UNVERIFIED, OfficialDay
from congso.kernel.calendar.services import (
    SOURCE_LIBRARY,
    SOURCE_OFFICIAL,
    add_working_days,
    day_off_breaks,
    holiday_name,
    holidays_in_year,
    is_working_day,
    working_days_between,
    working_days_in_year,
)

pytestmark = pytest.mark.django_db

D = dt.date


def days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(n) for n in range((end - start).days + 1)]


def off(start: dt.date, end: dt.date) -> None:
    for day in days(start, end):
        assert not is_working_day(day), day


def assert_break(year: int, start: dt.date, end: dt.date) -> None:
    spans = {(b.start, b.end) for b in day_off_breaks(year)}
    assert (start, end) in spans, sorted(spans)


# --- 2026 -----------------------------------------------------------------------------------------


def test_issue_example_tet_2026() -> None:
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 1


def test_tet_2026_runs_saturday_14_to_sunday_22_february() -> None:
    assert is_working_day(D(2026, 2, 13))  # Friday before
    off(D(2026, 2, 14), D(2026, 2, 22))
    assert is_working_day(D(2026, 2, 23))  # Monday after
    for day in days(D(2026, 2, 16), D(2026, 2, 20)):
        assert holiday_name(day), day  # the five official Tết weekdays are holidays
    assert_break(2026, D(2026, 2, 14), D(2026, 2, 22))
    tet = next(b for b in day_off_breaks(2026) if b.start == D(2026, 2, 14))
    assert tet.days == 9


def test_gio_to_2026_on_sunday_is_compensated_on_monday_27_april() -> None:
    assert holiday_name(D(2026, 4, 26)) == "Ngày Giỗ Tổ Hùng Vương"
    assert not is_working_day(D(2026, 4, 27))
    assert "nghỉ bù" in (holiday_name(D(2026, 4, 27)) or "")
    assert is_working_day(D(2026, 4, 28)) and is_working_day(D(2026, 4, 29))
    # 30/4–1/5/2026: Thu → Sun, no swap.
    off(D(2026, 4, 30), D(2026, 5, 3))
    assert is_working_day(D(2026, 5, 4))


def test_national_day_2026_five_days_with_make_up_saturday() -> None:
    off(D(2026, 8, 29), D(2026, 9, 2))
    assert is_working_day(D(2026, 8, 22))  # Saturday made up
    assert is_working_day(D(2026, 9, 3))
    assert_break(2026, D(2026, 8, 29), D(2026, 9, 2))


def test_vietnam_culture_day_24_november_2026() -> None:
    assert D(2026, 11, 24).weekday() == 1  # Tuesday
    assert not is_working_day(D(2026, 11, 24))
    assert holiday_name(D(2026, 11, 24)) == "Ngày Văn hóa Việt Nam"
    assert is_working_day(D(2026, 11, 23)) and is_working_day(D(2026, 11, 25))
    assert add_working_days(D(2026, 11, 23), 1) == D(2026, 11, 25)
    # A paid day from 2026 on, not before.
    assert is_working_day(D(2025, 11, 24))


def test_new_year_2026_swap_with_saturday_10_january() -> None:
    off(D(2026, 1, 1), D(2026, 1, 4))
    assert is_working_day(D(2026, 1, 10))  # Saturday made up
    assert not is_working_day(D(2026, 1, 17))  # an ordinary Saturday


# --- 2025 -----------------------------------------------------------------------------------------


def test_tet_2025_nine_days_from_25_january() -> None:
    assert is_working_day(D(2025, 1, 24))
    off(D(2025, 1, 25), D(2025, 2, 2))
    assert is_working_day(D(2025, 2, 3))
    assert_break(2025, D(2025, 1, 25), D(2025, 2, 2))
    # See docs/decisions/0002: the notice counts Mon 27/01 as a Tết day; no make-up Saturday.
    assert not is_working_day(D(2025, 2, 8))


def test_30_april_2025_swap_friday_2_may_for_saturday_26_april() -> None:
    assert is_working_day(D(2025, 4, 26))  # Saturday made up
    off(D(2025, 4, 30), D(2025, 5, 4))
    assert is_working_day(D(2025, 5, 5))
    assert not is_working_day(D(2025, 4, 7))  # Giỗ Tổ, Monday


def test_national_day_2025_holidays_1_and_2_september() -> None:
    assert is_working_day(D(2025, 8, 29))
    off(D(2025, 8, 30), D(2025, 9, 2))
    assert is_working_day(D(2025, 9, 3))


# --- 2024 -----------------------------------------------------------------------------------------


def test_tet_2024_seven_days_thursday_8_to_wednesday_14_february() -> None:
    assert is_working_day(D(2024, 2, 7))
    off(D(2024, 2, 8), D(2024, 2, 14))
    assert is_working_day(D(2024, 2, 15))
    assert_break(2024, D(2024, 2, 8), D(2024, 2, 14))


def test_30_april_2024_swap_monday_29_april_for_saturday_4_may() -> None:
    assert is_working_day(D(2024, 4, 26))
    off(D(2024, 4, 27), D(2024, 5, 1))
    assert is_working_day(D(2024, 5, 2))
    assert is_working_day(D(2024, 5, 4))  # Saturday made up
    assert not is_working_day(D(2024, 5, 5))
    assert not is_working_day(D(2024, 4, 18))  # Giỗ Tổ, Thursday


def test_national_day_2024_holidays_2_and_3_september() -> None:
    off(D(2024, 8, 31), D(2024, 9, 3))
    assert is_working_day(D(2024, 9, 4))
    assert is_working_day(D(2024, 8, 30))


def test_year_totals() -> None:
    # Weekdays minus weekday days off plus make-up Saturdays, counted by hand from §5.3.
    assert working_days_in_year(2024) == 262 - 12 + 1
    assert working_days_in_year(2025) == 261 - 12 + 1
    assert working_days_in_year(2026) == 261 - 14 + 2


# --- sources ----------------------------------------------------------------------------------


def test_holidays_in_year_marks_sources_and_kinds() -> None:
    entries = {e.date: e for e in holidays_in_year(2026)}
    assert entries[D(2026, 1, 1)].source == SOURCE_LIBRARY
    assert entries[D(2026, 2, 17)].name == "Tết Nguyên Đán"
    assert entries[D(2026, 8, 22)].kind == "working_day"
    assert entries[D(2026, 8, 22)].source == SOURCE_OFFICIAL
    assert entries[D(2026, 11, 24)].source == SOURCE_OFFICIAL
    assert "80-NQ/TW" in entries[D(2026, 11, 24)].legal_basis
    assert list(entries) == sorted(entries)
    # (date, name, source) come first.
    day, name, source = holidays_in_year(2026)[0][:3]
    assert (day, name, source) == (D(2026, 1, 1), "Tết Dương lịch", SOURCE_LIBRARY)


def test_every_loaded_row_is_labelled_and_unverified_rows_say_so() -> None:
    rows = list(OfficialDay.objects.all())
    assert {r.year for r in rows} == {2024, 2025, 2026}
    for row in rows:
        assert row.year == row.date.year
        assert row.legal_basis.strip(), row
        assert row.is_verified == (UNVERIFIED not in row.legal_basis)


def test_years_without_official_rows_follow_the_library() -> None:
    for year in (2027, 2028, 2030):
        lib = holidays.country_holidays("VN", years=year)
        for day in days(D(year, 1, 1), D(year, 12, 31)):
            assert is_working_day(day) == lib.is_working_day(day), day


def test_official_rows_agree_with_library_except_the_documented_differences() -> None:
    """Only 02/01 and 10/01/2026 change the library's answer (docs/decisions/0002)."""
    lib = holidays.country_holidays("VN", years=[2024, 2025, 2026])
    differ = sorted(
        d
        for year in (2024, 2025, 2026)
        for d in days(D(year, 1, 1), D(year, 12, 31))
        if is_working_day(d) != lib.is_working_day(d)
    )
    assert differ == [D(2026, 1, 2), D(2026, 1, 10)]


def test_tet_lunar_dates_are_vietnamese_not_chinese() -> None:
    # UTC+7: Tết 2030 is 02/02 and 2007 is 17/02 (the Chinese calendar gives 03/02 and 18/02).
    assert holiday_name(D(2030, 2, 2)) == "Tết Nguyên Đán"
    assert holiday_name(D(2030, 2, 3)) != "Tết Nguyên Đán"
    assert holiday_name(D(2007, 2, 17)) == "Tết Nguyên Đán"
