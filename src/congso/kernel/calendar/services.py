"""The Vietnamese working-day calendar: which days are worked, and deadline arithmetic.

A day is a **working day** when, in this order:

1. an ``OfficialDay`` row exists for it: its ``kind`` decides (the official notice wins);
2. the ``holidays`` library lists it as a make-up working day (``weekend_workdays``): working;
3. it is a Saturday or Sunday: day off;
4. the library lists it as a holiday (lễ, Tết, nghỉ bù, hoán đổi): day off;
5. otherwise: working.

Semantics (docs/decisions/0002-working-day-calendar.md):

- ``add_working_days(start, n)`` for ``n >= 1`` is the n-th working day **after** ``start``
  (``start`` itself is never counted, whatever it is): Fri 13/02/2026 + 1 → Mon 23/02/2026,
  because 14–22/02/2026 is Tết. ``n == 0`` gives ``start`` if it is a working day, else the next
  working day (a deadline falling on a day off moves to the next working day).
- ``working_days_between(a, b)`` counts working days ``d`` with ``a < d <= b`` (negative when
  ``b < a``), so ``working_days_between(d, add_working_days(d, n)) == n`` for every ``n >= 1``.
- Working hours are periods of local time (default 08:00–12:00 and 13:00–17:00, setting
  ``WORKING_HOURS`` or the ``WorkingHours`` row), the same on every working day, half-open:
  12:00 is outside the morning period. All datetimes are timezone-aware; results are in
  Asia/Ho_Chi_Minh.
- ``add_working_hours(dt, h)`` starts at ``next_working_moment(dt)`` and consumes ``h`` hours of
  working time; when the hours run out exactly at the end of a period the result is that end
  (08:00 + 4 h → 12:00, not 13:00). ``h == 0`` gives ``next_working_moment(dt)``.
- ``working_hours_between(a, b)`` is the working time inside ``[a, b]`` in hours (negative when
  ``b < a``), so it inverts ``add_working_hours``.

Speed: each year is computed once per process (library + that year's ``OfficialDay`` rows) into a
sorted array of working days; day arithmetic is then a binary search, not a day-by-day loop.
The cache is cleared by the write services below at once, and every ``CALENDAR_CACHE_SECONDS``
(default 30) a cheap fingerprint query notices writes made by other processes.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from itertools import pairwise
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max

from congso.kernel.calendar.models import OfficialDay, OfficialDayKind, WorkingHours
from congso.kernel.errors import DomainError

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MIN_YEAR = 1990
MAX_YEAR = 2100
# The most a single call may move: about 40 years of working days / 300 years of hours.
MAX_DAYS = 10_000
MAX_HOURS = 80_000

SOURCE_LIBRARY = "library"
SOURCE_OFFICIAL = "official"

_SAT, _SUN = 5, 6


class HolidayEntry(NamedTuple):
    """One special day of a year: ``(date, name, source)`` first, then kind and legal basis."""

    date: dt.date
    name: str
    source: str  # "library" (the holidays package) or "official" (an OfficialDay row)
    kind: str  # OfficialDayKind value: "day_off" or "working_day"
    legal_basis: str = ""


@dataclass(frozen=True)
class WorkingPeriods:
    """The working periods of one day, sorted, non-overlapping, as offsets from midnight."""

    periods: tuple[tuple[dt.time, dt.time], ...]

    @cached_property
    def spans(self) -> tuple[tuple[dt.timedelta, dt.timedelta], ...]:
        return tuple((_offset(a), _offset(b)) for a, b in self.periods)

    @cached_property
    def per_day(self) -> dt.timedelta:
        return sum((b - a for a, b in self.spans), dt.timedelta())

    def __str__(self) -> str:
        return ",".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in self.periods)


@dataclass(frozen=True)
class _Year:
    year: int
    working: tuple[int, ...]  # ordinals of the year's working days, ascending
    working_set: frozenset[int]
    entries: tuple[HolidayEntry, ...]
    names: dict[dt.date, str]


def _offset(t: dt.time) -> dt.timedelta:
    return dt.timedelta(hours=t.hour, minutes=t.minute, seconds=t.second)


# --- input checks -------------------------------------------------------------------------------


def _bad(code: str, message: str, details: Any = None) -> DomainError:
    return DomainError(code, message, details=details, status=422)


def _check_year(year: int) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise _bad(
            "calendar_year_out_of_range",
            f"Năm phải nằm trong khoảng {MIN_YEAR}–{MAX_YEAR}.",
            {"year": year, "min": MIN_YEAR, "max": MAX_YEAR},
        )


def _check_date(day: dt.date) -> None:
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise _bad("calendar_invalid_date", "Ngày không hợp lệ.", {"value": repr(day)})
    _check_year(day.year)


def _local(moment: dt.datetime) -> dt.datetime:
    if not isinstance(moment, dt.datetime):
        raise _bad("calendar_invalid_datetime", "Thời điểm không hợp lệ.", {"value": repr(moment)})
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise _bad(
            "calendar_naive_datetime",
            "Thời điểm phải có múi giờ (ví dụ +07:00).",
            {"value": moment.isoformat()},
        )
    _check_year(moment.year)  # before converting: 9999-12-31T23:00-05:00 would overflow
    local = moment.astimezone(VN_TZ)
    _check_year(local.year)
    return local


def _hours_delta(hours: float | int | Decimal) -> dt.timedelta:
    if isinstance(hours, bool) or not isinstance(hours, int | float | Decimal):
        raise _bad("calendar_invalid_hours", "Số giờ không hợp lệ.", {"hours": repr(hours)})
    value = float(hours)
    if not math.isfinite(value) or value < 0 or value > MAX_HOURS:
        raise _bad(
            "calendar_invalid_hours",
            f"Số giờ làm việc phải từ 0 đến {MAX_HOURS}.",
            {"hours": str(hours), "max": MAX_HOURS},
        )
    return dt.timedelta(hours=value)


# --- working hours ------------------------------------------------------------------------------


def parse_working_hours(text: str) -> WorkingPeriods:
    """Parse ``"08:00-12:00,13:00-17:00"``.

    Raises ``DomainError("calendar_invalid_working_hours")`` on anything else.
    """

    def fail(reason: str) -> DomainError:
        return _bad(
            "calendar_invalid_working_hours",
            f"Giờ làm việc không hợp lệ: {reason}. Ví dụ đúng: 08:00-12:00,13:00-17:00.",
            {"value": text},
        )

    if not isinstance(text, str) or not text.strip():
        raise fail("chưa nhập")
    periods: list[tuple[dt.time, dt.time]] = []
    for part in text.split(","):
        pieces = [p.strip() for p in part.strip().split("-")]
        if len(pieces) != 2:
            raise fail(f"“{part.strip()}” phải có dạng GG:PP-GG:PP")
        try:
            start, end = (dt.datetime.strptime(p, "%H:%M").time() for p in pieces)
        except ValueError:
            raise fail(f"“{part.strip()}” không phải giờ hợp lệ") from None
        if end <= start:
            raise fail(f"giờ kết thúc phải sau giờ bắt đầu ở “{part.strip()}”")
        periods.append((start, end))
    periods.sort()
    for (_, end), (start, _) in pairwise(periods):
        if start < end:
            raise fail("các khoảng giờ chồng lên nhau")
    return WorkingPeriods(tuple(periods))


# --- the per-process cache ----------------------------------------------------------------------

_lock = threading.RLock()
_years: dict[int, _Year] = {}
_hours: WorkingPeriods | None = None
_fingerprint: tuple[Any, ...] | None = None
_checked_at = -math.inf
_interval = 30.0


def calendar_cache_clear() -> None:
    """Forget every computed year and the working hours (they are recomputed on next use)."""
    global _hours, _fingerprint, _checked_at
    with _lock:
        _years.clear()
        _hours = None
        _fingerprint = None
        _checked_at = -math.inf


def _db_fingerprint() -> tuple[Any, ...]:
    days = OfficialDay.objects.aggregate(n=Count("id"), m=Max("updated_at"), i=Max("id"))
    hours = WorkingHours.objects.aggregate(m=Max("updated_at"), i=Max("id"))
    return (days["n"], days["m"], days["i"], hours["m"], hours["i"])


def _revalidate() -> None:
    """Every CALENDAR_CACHE_SECONDS, drop the cache if the tables changed in another process."""
    global _fingerprint, _checked_at, _interval
    now = time.monotonic()
    if now - _checked_at < _interval:
        return
    with _lock:
        _interval = float(getattr(settings, "CALENDAR_CACHE_SECONDS", 30))
        fingerprint = _db_fingerprint()
        if fingerprint != _fingerprint:
            _years.clear()
            _set_hours(None)
            _fingerprint = fingerprint
        _checked_at = now


def _set_hours(value: WorkingPeriods | None) -> None:
    global _hours
    _hours = value


def _library(years: Iterable[int]) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=list(years), language="vi")


def _build_year(year: int) -> _Year:
    lib = _library([year])
    official = {o.date: o for o in OfficialDay.objects.filter(year=year)}
    entries: dict[dt.date, HolidayEntry] = {}
    for day, name in lib.items():
        entries[day] = HolidayEntry(day, name, SOURCE_LIBRARY, OfficialDayKind.DAY_OFF.value)
    lib_days = set(lib.keys())
    lib_workdays = {d for d in lib.weekend_workdays if d.year == year}
    for day in lib_workdays:
        entries[day] = HolidayEntry(
            day, "Ngày làm việc bù", SOURCE_LIBRARY, OfficialDayKind.WORKING_DAY.value
        )
    for day, row in official.items():
        entries[day] = HolidayEntry(day, row.name, SOURCE_OFFICIAL, row.kind, row.legal_basis)

    working: list[int] = []
    day = dt.date(year, 1, 1)
    one = dt.timedelta(days=1)
    while day.year == year:
        entry = entries.get(day)
        if entry is not None and entry.source == SOURCE_OFFICIAL:
            is_working = entry.kind == OfficialDayKind.WORKING_DAY
        elif day in lib_workdays:
            is_working = True
        elif day.weekday() in (_SAT, _SUN):
            is_working = False
        else:
            is_working = day not in lib_days
        if is_working:
            working.append(day.toordinal())
        day += one
    ordered = tuple(sorted(entries.values()))
    return _Year(
        year=year,
        working=tuple(working),
        working_set=frozenset(working),
        entries=ordered,
        names={e.date: e.name for e in ordered if e.kind == OfficialDayKind.DAY_OFF},
    )


def _year(year: int) -> _Year:
    if time.monotonic() - _checked_at >= _interval:
        _revalidate()
    cal = _years.get(year)
    if cal is None:
        _check_year(year)
        with _lock:
            cal = _years.get(year)
            if cal is None:
                cal = _years[year] = _build_year(year)
    return cal


def working_periods() -> WorkingPeriods:
    """The deployment's working hours: the ``WorkingHours`` row, else ``settings.WORKING_HOURS``."""
    _revalidate()
    hours = _hours
    if hours is None:
        with _lock:
            row = WorkingHours.objects.first()
            text = row.periods if row else getattr(settings, "WORKING_HOURS", "")
            hours = parse_working_hours(text or "08:00-12:00,13:00-17:00")
            _set_hours(hours)
    return hours


# --- days ---------------------------------------------------------------------------------------


def is_working_day(day: dt.date) -> bool:
    if type(day) is not dt.date:
        _check_date(day)
    return day.toordinal() in _year(day.year).working_set


def holiday_name(day: dt.date) -> str | None:
    """The name of the holiday (or official day off) on ``day``, if any."""
    _check_date(day)
    return _year(day.year).names.get(day)


def holidays_in_year(year: int) -> list[HolidayEntry]:
    """The year's special days (library and official table merged, the table winning), by date.

    Days off (including holidays that fall on a weekend) and make-up working days; ordinary
    weekends are not listed.
    """
    return list(_year(year).entries)


class DayOffBreak(NamedTuple):
    """A run of consecutive days off (weekends included) holding at least one holiday."""

    start: dt.date
    end: dt.date
    days: int
    names: tuple[str, ...]


def day_off_breaks(year: int) -> list[DayOffBreak]:
    """The year's holiday breaks: Tết 2026 is one break, Sat 14/02 – Sun 22/02 (9 days)."""
    one = dt.timedelta(days=1)
    low, high = dt.date(MIN_YEAR, 1, 1), dt.date(MAX_YEAR, 12, 31)
    breaks: list[DayOffBreak] = []
    covered: set[dt.date] = set()
    for entry in _year(year).entries:
        day = entry.date
        if entry.kind != OfficialDayKind.DAY_OFF or day in covered or is_working_day(day):
            continue
        start = end = day
        while start > low and not is_working_day(start - one):
            start -= one
        while end < high and not is_working_day(end + one):
            end += one
        names: list[str] = []
        current = start
        while current <= end:
            covered.add(current)
            name = holiday_name(current)
            if name and name not in names:
                names.append(name)
            current += one
        breaks.append(DayOffBreak(start, end, (end - start).days + 1, tuple(names)))
    return breaks


def working_days_in_year(year: int) -> int:
    return len(_year(year).working)


def _count_upto(day: dt.date) -> int:
    """Working days in ``[1 Jan of day.year, day]``."""
    return bisect_right(_year(day.year).working, day.toordinal())


def next_working_day(day: dt.date) -> dt.date:
    """``day`` if it is a working day, else the first working day after it."""
    return add_working_days(day, 0)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after ``start`` (``start`` not counted); see the module docstring."""
    _check_date(start)
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_DAYS:
        raise _bad(
            "calendar_invalid_days",
            f"Số ngày làm việc phải là số nguyên từ 0 đến {MAX_DAYS}.",
            {"days": repr(n), "max": MAX_DAYS},
        )
    cal = _year(start.year)
    if n == 0:
        if start.toordinal() in cal.working_set:
            return start
        n = 1
    index = bisect_right(cal.working, start.toordinal()) + n - 1
    year = start.year
    while index >= len(cal.working):
        index -= len(cal.working)
        year += 1
        cal = _year(year)
    return dt.date.fromordinal(cal.working[index])


def working_days_between(a: dt.date, b: dt.date) -> int:
    """The number of working days ``d`` with ``a < d <= b``; ``-working_days_between(b, a)`` if
    ``b < a``."""
    _check_date(a)
    _check_date(b)
    if b < a:
        return -working_days_between(b, a)
    total = _count_upto(b) - _count_upto(a)
    for year in range(a.year, b.year):
        total += len(_year(year).working)
    return total


# --- hours --------------------------------------------------------------------------------------


def _at(day: dt.date, offset: dt.timedelta) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=VN_TZ) + offset


def next_working_moment(moment: dt.datetime) -> dt.datetime:
    """``moment`` if it lies inside a working period of a working day, else the start of the next
    working period (in Asia/Ho_Chi_Minh)."""
    local = _local(moment)
    spans = working_periods().spans
    day = local.date()
    if is_working_day(day):
        now = local - _at(day, dt.timedelta())
        for start, end in spans:
            if now < end:
                return local if now >= start else _at(day, start)
    return _at(add_working_days(day, 1), spans[0][0])


def add_working_hours(start: dt.datetime, hours: float | int | Decimal) -> dt.datetime:
    """The moment ``hours`` of working time after ``start``; see the module docstring."""
    remaining = _hours_delta(hours)
    local = next_working_moment(start)
    if not remaining:
        return local
    periods = working_periods()
    spans = periods.spans
    day = local.date()
    now = local - _at(day, dt.timedelta())
    # The rest of the current day.
    for span_start, span_end in spans:
        if now < span_end:
            begin = max(now, span_start)
            if remaining <= span_end - begin:
                return _at(day, begin + remaining)
            remaining -= span_end - begin
    # Whole days, then the last day's periods.
    full_days, rest = divmod(remaining, periods.per_day)
    if not rest:
        full_days, rest = full_days - 1, periods.per_day
    target = add_working_days(day, full_days + 1)
    for span_start, span_end in spans:
        if rest <= span_end - span_start:
            return _at(target, span_start + rest)
        rest -= span_end - span_start
    raise AssertionError("unreachable: rest <= per_day")  # pragma: no cover


def _worked_in_day(day: dt.date, since: dt.timedelta, until: dt.timedelta) -> dt.timedelta:
    """Working time of ``day`` between the two offsets from its midnight."""
    if not is_working_day(day):
        return dt.timedelta()
    total = dt.timedelta()
    for start, end in working_periods().spans:
        overlap = min(end, until) - max(start, since)
        if overlap > dt.timedelta():
            total += overlap
    return total


def working_time_between(a: dt.datetime, b: dt.datetime) -> dt.timedelta:
    """Working time inside ``[a, b]`` (negative when ``b < a``)."""
    la, lb = _local(a), _local(b)
    if lb < la:
        return -working_time_between(b, a)
    da, db = la.date(), lb.date()
    since = la - _at(da, dt.timedelta())
    until = lb - _at(db, dt.timedelta())
    if da == db:
        return _worked_in_day(da, since, until)
    day_end = dt.timedelta(days=1)
    whole_days = working_days_between(da, db) - (1 if is_working_day(db) else 0)
    return (
        _worked_in_day(da, since, day_end)
        + whole_days * working_periods().per_day
        + _worked_in_day(db, dt.timedelta(), until)
    )


def working_hours_between(a: dt.datetime, b: dt.datetime) -> float:
    """Working hours inside ``[a, b]`` as a float (negative when ``b < a``)."""
    return working_time_between(a, b).total_seconds() / 3600


# --- writes (administrators) -------------------------------------------------------------------


def _audit(**kwargs: Any) -> None:
    from congso.kernel.audit.services import audit_record

    audit_record(**kwargs)


def _invalidate() -> None:
    calendar_cache_clear()
    # Also after commit: a reader in another thread may have cached the old rows meanwhile.
    transaction.on_commit(calendar_cache_clear)


def official_day_save(
    *,
    date: dt.date,
    kind: str,
    name: str,
    legal_basis: str = "",
    instance: OfficialDay | None = None,
    actor: Any = None,
) -> OfficialDay:
    """Create (or, with ``instance``, change) an official day; the calendar follows at once."""
    _check_date(date)
    if kind not in OfficialDayKind.values:
        raise _bad("calendar_invalid_kind", "Loại ngày không hợp lệ.", {"kind": kind})
    name = (name or "").strip()
    if not name:
        raise _bad("calendar_name_required", "Cần nhập tên gọi của ngày.")
    legal_basis = (legal_basis or "").strip()
    clash = OfficialDay.objects.filter(date=date)
    if instance is not None and instance.pk:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise DomainError(
            "calendar_official_day_exists",
            f"Ngày {date:%d/%m/%Y} đã có trong bảng lịch chính thức.",
            details={"date": date.isoformat()},
            status=409,
        )
    with transaction.atomic():
        row = instance if instance is not None else OfficialDay()
        before = (
            {
                "date": str(row.date),
                "kind": row.kind,
                "name": row.name,
                "legal_basis": row.legal_basis,
            }
            if row.pk
            else {}
        )
        created = not row.pk
        row.date, row.year, row.kind, row.name, row.legal_basis = (
            date,
            date.year,
            kind,
            name,
            legal_basis,
        )
        row.save()
        after = {"date": str(date), "kind": kind, "name": name, "legal_basis": legal_basis}
        _audit(
            action="calendar.official_day." + ("create" if created else "update"),
            obj=row,
            actor=actor,
            changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
            summary=f"{'Thêm' if created else 'Sửa'} ngày {date:%d/%m/%Y}: {name}",
        )
        _invalidate()
    return row


def official_day_delete(*, official_day: OfficialDay, actor: Any = None) -> None:
    with transaction.atomic():
        _audit(
            action="calendar.official_day.delete",
            obj=official_day,
            actor=actor,
            changes={"date": [str(official_day.date), None], "kind": [official_day.kind, None]},
            summary=f"Xóa ngày {official_day.date:%d/%m/%Y}: {official_day.name}",
        )
        official_day.delete()
        _invalidate()


def working_hours_set(*, periods: str, actor: Any = None) -> WorkingHours:
    """Set the deployment's working hours (validated; normalised to ``HH:MM-HH:MM,...``)."""
    normalised = str(parse_working_hours(periods))
    with transaction.atomic():
        row = WorkingHours.objects.select_for_update().first() or WorkingHours()
        before = row.periods if row.pk else str(parse_working_hours(settings.WORKING_HOURS))
        row.periods = normalised
        row.save()
        _audit(
            action="calendar.working_hours.update",
            obj=row,
            actor=actor,
            changes={"periods": [before, normalised]},
            summary=f"Giờ làm việc: {normalised}",
        )
        _invalidate()
    return row
