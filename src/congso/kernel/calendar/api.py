"""Public calendar endpoints at /api/v1/calendar/ (no authentication).

Inputs are taken as strings and parsed here so that every bad value gets its own stable error
code (``calendar_invalid_date``, ``calendar_invalid_datetime``, ``calendar_invalid_days``,
``calendar_invalid_hours``, ``calendar_year_out_of_range``) with HTTP 422, never a 500.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.http import HttpRequest
from ninja import Query, Router, Schema

from congso.kernel.calendar import services
from congso.kernel.errors import DomainError

router = Router(tags=["calendar"])


class HolidayOut(Schema):
    date: dt.date
    name: str
    kind: str
    source: str
    legal_basis: str


class DateOut(Schema):
    date: dt.date


class DateTimeOut(Schema):
    datetime: dt.datetime


class IsWorkingDayOut(Schema):
    date: dt.date
    is_working_day: bool
    name: str | None


class WorkingDaysOut(Schema):
    start: dt.date
    end: dt.date
    working_days: int


class WorkingHoursOut(Schema):
    start: dt.datetime
    end: dt.datetime
    working_hours: float


def _bad(code: str, message: str, value: object) -> DomainError:
    return DomainError(code, message, details={"value": value}, status=422)


def _date(value: str, field: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise _bad(
            "calendar_invalid_date",
            f"Ngày “{value}” không hợp lệ ({field}); dùng dạng YYYY-MM-DD, ví dụ 2026-02-13.",
            value,
        ) from None
    return day


def _datetime(value: str, field: str) -> dt.datetime:
    text = value.strip()
    # A "+07:00" offset typed into a URL without encoding arrives as " 07:00".
    if " " in text and "T" in text:
        head, _, tail = text.rpartition(" ")
        text = f"{head}+{tail}"
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise _bad(
            "calendar_invalid_datetime",
            f"Thời điểm “{value}” không hợp lệ ({field}); "
            "dùng dạng ISO 8601, ví dụ 2026-02-13T16:00:00+07:00.",
            value,
        ) from None
    if moment.tzinfo is None:  # documented: a time without offset is Vietnamese local time
        moment = moment.replace(tzinfo=services.VN_TZ)
    return moment


def _int(value: str, field: str) -> int:
    try:
        return int(value.strip())
    except (ValueError, AttributeError):
        raise _bad(
            "calendar_invalid_days",
            f"Số ngày “{value}” không hợp lệ ({field}); cần một số nguyên từ 0 đến "
            f"{services.MAX_DAYS}.",
            value,
        ) from None


def _hours(value: str) -> Decimal:
    try:
        hours = Decimal(value.strip())
    except (InvalidOperation, AttributeError):
        raise _bad(
            "calendar_invalid_hours",
            f"Số giờ “{value}” không hợp lệ; cần một số từ 0 đến {services.MAX_HOURS}.",
            value,
        ) from None
    if not hours.is_finite():
        raise _bad("calendar_invalid_hours", "Số giờ phải là một số hữu hạn.", value)
    return hours


@router.get(
    "/holidays",
    response=list[HolidayOut],
    auth=None,
    summary="Ngày nghỉ và ngày làm bù trong năm",
    description=(
        "Ngày nghỉ lễ, Tết, nghỉ bù, hoán đổi (`kind=day_off`) và ngày làm bù "
        "(`kind=working_day`) của năm. `source`: `official` (bảng theo thông báo chính thức, "
        "ưu tiên) hoặc `library` (thư viện holidays; năm tương lai là dự kiến)."
    ),
)
def holidays_list(
    request: HttpRequest, year: str = Query(..., description="Năm, 1990–2100.")
) -> list[services.HolidayEntry]:
    try:
        number = int(year.strip())
    except ValueError:
        raise _bad(
            "calendar_year_out_of_range",
            f"Năm “{year}” không hợp lệ; cần một số từ {services.MIN_YEAR} đến "
            f"{services.MAX_YEAR}.",
            year,
        ) from None
    return services.holidays_in_year(number)


@router.get(
    "/is-working-day",
    response=IsWorkingDayOut,
    auth=None,
    summary="Một ngày có phải ngày làm việc không",
)
def is_working_day(
    request: HttpRequest, date: str = Query(..., description="YYYY-MM-DD")
) -> dict[str, object]:
    day = _date(date, "date")
    return {
        "date": day,
        "is_working_day": services.is_working_day(day),
        "name": services.holiday_name(day),
    }


@router.get(
    "/add-working-days",
    response=DateOut,
    auth=None,
    summary="Ngày làm việc thứ N sau một ngày",
    description=(
        "Ngày làm việc thứ `days` sau `start` (không tính `start`). `days=0`: `start` nếu là "
        "ngày làm việc, nếu không thì ngày làm việc kế tiếp. Ví dụ start=2026-02-13, days=1 → "
        "2026-02-23 (nghỉ Tết 14–22/02/2026)."
    ),
)
def add_working_days(
    request: HttpRequest,
    start: str = Query(..., description="YYYY-MM-DD"),
    days: str = Query(..., description="0–10000"),
) -> dict[str, object]:
    return {"date": services.add_working_days(_date(start, "start"), _int(days, "days"))}


@router.get(
    "/add-working-hours",
    response=DateTimeOut,
    auth=None,
    summary="Thời điểm sau N giờ làm việc",
    description=(
        "Cộng `hours` giờ làm việc vào `start` (ISO 8601; không ghi múi giờ thì hiểu là giờ "
        "Việt Nam). Bắt đầu ngoài giờ làm việc thì tính từ đầu ca làm việc kế tiếp."
    ),
)
def add_working_hours(
    request: HttpRequest,
    start: str = Query(..., description="ISO 8601, ví dụ 2026-02-13T16:00:00+07:00"),
    hours: str = Query(..., description="0–80000, có thể có phần thập phân"),
) -> dict[str, object]:
    return {"datetime": services.add_working_hours(_datetime(start, "start"), _hours(hours))}


@router.get(
    "/working-days-between",
    response=WorkingDaysOut,
    auth=None,
    summary="Số ngày làm việc giữa hai ngày",
    description="Số ngày làm việc d với start < d ≤ end (âm nếu end trước start).",
)
def working_days_between(
    request: HttpRequest,
    start: str = Query(..., description="YYYY-MM-DD"),
    end: str = Query(..., description="YYYY-MM-DD"),
) -> dict[str, object]:
    a, b = _date(start, "start"), _date(end, "end")
    return {"start": a, "end": b, "working_days": services.working_days_between(a, b)}


@router.get(
    "/working-hours-between",
    response=WorkingHoursOut,
    auth=None,
    summary="Số giờ làm việc giữa hai thời điểm",
)
def working_hours_between(
    request: HttpRequest,
    start: str = Query(..., description="ISO 8601"),
    end: str = Query(..., description="ISO 8601"),
) -> dict[str, object]:
    a, b = _datetime(start, "start"), _datetime(end, "end")
    return {
        "start": a.astimezone(services.VN_TZ),
        "end": b.astimezone(services.VN_TZ),
        "working_hours": services.working_hours_between(a, b),
    }
