"""The public working-day calendar page at /lich/: a year's days off and make-up days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from congso.kernel.calendar import services
from congso.kernel.calendar.models import UNVERIFIED, OfficialDayKind
from congso.kernel.errors import DomainError

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
SOURCES = {
    services.SOURCE_OFFICIAL: "Bảng lịch chính thức",
    services.SOURCE_LIBRARY: "Theo Bộ luật Lao động (tính tự động)",
}


def weekday_vi(day: dt.date) -> str:
    return WEEKDAYS[day.weekday()]


def _year_param(request: HttpRequest, today: dt.date) -> tuple[int, str]:
    raw = request.GET.get("nam", "").strip()
    if not raw:
        return today.year, ""
    try:
        year = int(raw)
    except ValueError:
        year = 0
    if not services.MIN_YEAR <= year <= services.MAX_YEAR:
        return today.year, (
            f"Năm “{raw}” không hợp lệ: chọn một năm từ {services.MIN_YEAR} đến "
            f"{services.MAX_YEAR}. Đang hiển thị năm {today.year}."
        )
    return year, ""


def _calculator(request: HttpRequest) -> dict[str, Any] | None:
    """The optional "add working days" form (GET ``tu_ngay`` and ``so_ngay``)."""
    start_raw = request.GET.get("tu_ngay", "").strip()
    days_raw = request.GET.get("so_ngay", "").strip()
    if not start_raw and not days_raw:
        return None
    result: dict[str, Any] = {"start": start_raw, "days": days_raw}
    try:
        start = dt.date.fromisoformat(start_raw)
    except ValueError:
        result["error"] = "Ngày bắt đầu không hợp lệ: hãy chọn một ngày (dd/mm/yyyy)."
        return result
    try:
        days = int(days_raw)
    except ValueError:
        result["error"] = f"Số ngày làm việc phải là số nguyên từ 0 đến {services.MAX_DAYS}."
        return result
    try:
        end = services.add_working_days(start, days)
    except DomainError as exc:
        result["error"] = exc.message
        return result
    result.update(
        start_date=start,
        start_weekday=weekday_vi(start),
        days_int=days,
        end=end,
        end_weekday=weekday_vi(end),
    )
    return result


def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year, error = _year_param(request, today)
    rows = [
        {
            "date": entry.date,
            "weekday": weekday_vi(entry.date),
            "name": entry.name,
            "kind": entry.kind,
            "kind_label": (
                "Ngày nghỉ" if entry.kind == OfficialDayKind.DAY_OFF else "Ngày làm việc bù"
            ),
            "is_weekend": entry.date.weekday() >= 5,
            "source": SOURCES.get(entry.source, entry.source),
            "official": entry.source == services.SOURCE_OFFICIAL,
            "legal_basis": entry.legal_basis.replace(UNVERIFIED, "").strip(),
            "unverified": entry.source == services.SOURCE_OFFICIAL
            and (UNVERIFIED in entry.legal_basis or not entry.legal_basis.strip()),
        }
        for entry in services.holidays_in_year(year)
    ]
    breaks = [
        {
            "start": b.start,
            "end": b.end,
            "start_weekday": weekday_vi(b.start),
            "end_weekday": weekday_vi(b.end),
            "days": b.days,
            "names": b.names,
        }
        for b in services.day_off_breaks(year)
    ]
    calculator = _calculator(request)
    context = {
        "year": year,
        "years": range(max(services.MIN_YEAR, year - 2), min(services.MAX_YEAR, year + 2) + 1),
        "prev_year": year - 1 if year > services.MIN_YEAR else None,
        "next_year": year + 1 if year < services.MAX_YEAR else None,
        "min_year": services.MIN_YEAR,
        "max_year": services.MAX_YEAR,
        "error": error,
        "rows": rows,
        "breaks": breaks,
        "days_off": sum(
            1 for r in rows if r["kind"] == OfficialDayKind.DAY_OFF and not r["is_weekend"]
        ),
        "makeup_days": sum(1 for r in rows if r["kind"] == OfficialDayKind.WORKING_DAY),
        "working_days": services.working_days_in_year(year),
        "working_hours": services.working_periods(),
        "has_official": any(r["official"] for r in rows),
        "calculator": calculator,
        "today": today,
    }
    status = 400 if error or (calculator and calculator.get("error")) else 200
    return render(request, "calendar/index.html", context, status=status)
