"""Counting a dossier's time: the received moment, the appointment (due time), pauses, timeliness.

Rules (shared/domain/vietnam-rules.md §2.3–2.4; docs/procedures.md "Tính thời gian"):

- **Received moment** (``reception_moment``): the moment the clock starts.
  - A procedure with a cut-off (``Procedure.cutoff_time``, e.g. 15:00 for certified copies,
    Decree 23/2015 Art. 21): a dossier received at or after the cut-off on a working day counts
    from the start of the next working day.
  - Outside working hours, at lunch, on a weekend or a holiday (online filing; Decree 45/2020
    [M]): the next working moment (the next working period's start).
- **Due time** (``due_for``): the legal time in working hours (a working day counts
  ``ONESTOP_HOURS_PER_DAY`` hours, default 8) added to the received moment with the kernel's
  working-hour arithmetic, so 09:30 Monday + 3 working days = 09:30 Thursday, and Tết, weekends,
  compensatory days off and make-up Saturdays are respected (kernel calendar).
  - Setting ``ONESTOP_DUE_RULE`` (default ``"hours"``): ``"end_of_day"`` gives instead the end of
    the N-th working day after the received day for day-based durations (some wards print
    "17 giờ 00 phút ngày …" on receipts). Hour-based durations always add working hours.
  - A day-based duration of 0 ("trả ngay trong ngày") gives the end of the received working day.
- **Pauses** (statuses 5 and 6): the working hours between the pause and the resume are added to
  ``paused_hours`` and the due time moves forward by exactly those working hours
  (``shift_due``), so ``working_hours_between(received_at, due_at) - paused_hours`` stays the
  legal time.
- **Timeliness** (``classify``, the control sheet's "Trước hạn / Đúng hạn / Quá hạn"), comparing
  the finishing moment with the due time:
  - after the due time → **late** (quá hạn);
  - on the due time's working day, not after it → **on time** (đúng hạn);
  - on an earlier day → **early** (trước hạn).
  Allotted vs spent working time (§2.3) gives the same answer up to the day: finishing a day
  early means spending at least a working day less than allotted. The same rule classifies each
  step of the control sheet against the step's own due time.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from congso.kernel.calendar.services import (
    VN_TZ,
    add_working_days,
    add_working_hours,
    is_working_day,
    next_working_moment,
    working_periods,
    working_time_between,
)

from .models import DurationUnit, Timeliness

if TYPE_CHECKING:
    from .models import Dossier, Procedure

RULE_HOURS = "hours"
RULE_END_OF_DAY = "end_of_day"
_CENT = Decimal("0.01")


def hours_per_day() -> Decimal:
    return Decimal(str(getattr(settings, "ONESTOP_HOURS_PER_DAY", 8)))


def due_rule() -> str:
    rule = str(getattr(settings, "ONESTOP_DUE_RULE", RULE_HOURS))
    return rule if rule in (RULE_HOURS, RULE_END_OF_DAY) else RULE_HOURS


def to_decimal_hours(delta: dt.timedelta) -> Decimal:
    """A duration as hours rounded to 0.01 (what the models store)."""
    return (Decimal(delta.total_seconds()) / Decimal(3600)).quantize(_CENT, ROUND_HALF_UP)


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(VN_TZ)


def _day_start(day: dt.date) -> dt.datetime:
    first = working_periods().periods[0][0]
    return dt.datetime.combine(day, first, tzinfo=VN_TZ)


def _day_end(day: dt.date) -> dt.datetime:
    last = working_periods().periods[-1][1]
    return dt.datetime.combine(day, last, tzinfo=VN_TZ)


def reception_moment(procedure: Procedure, at: dt.datetime) -> dt.datetime:
    """When the clock starts for a dossier handed in / accepted at ``at`` (see the module doc)."""
    moment = local(at)
    day = moment.date()
    cutoff = procedure.cutoff_time
    if (
        cutoff is not None
        and is_working_day(day)
        and moment.timetz().replace(tzinfo=None) >= cutoff
    ):
        return _day_start(add_working_days(day, 1))
    return next_working_moment(moment)


def legal_hours(procedure: Procedure) -> Decimal:
    """The procedure's legal time in working hours."""
    if procedure.duration_unit == DurationUnit.WORKING_DAYS:
        return Decimal(procedure.duration_value) * hours_per_day()
    return Decimal(procedure.duration_value)


def due_for(procedure: Procedure, received_at: dt.datetime) -> dt.datetime:
    """The appointment (hẹn trả) for a dossier whose clock started at ``received_at``."""
    start = next_working_moment(received_at)
    if procedure.duration_unit == DurationUnit.WORKING_DAYS:
        value = Decimal(procedure.duration_value)
        if value <= 0:
            return _day_end(start.date())
        if due_rule() == RULE_END_OF_DAY:
            whole = int(value.to_integral_value(rounding=ROUND_CEILING))
            return _day_end(add_working_days(start.date(), whole))
    return add_working_hours(start, legal_hours(procedure))


def shift_due(due_at: dt.datetime, paused: dt.timedelta) -> dt.datetime:
    """Move a due time forward by ``paused`` working time (after a pause ended)."""
    if paused <= dt.timedelta():
        return due_at
    return add_working_hours(due_at, Decimal(paused.total_seconds()) / Decimal(3600))


def classify(due_at: dt.datetime, finished_at: dt.datetime) -> Timeliness:
    """Early / on time / late, see the module docstring."""
    if finished_at > due_at:
        return Timeliness.LATE
    if local(finished_at).date() == local(due_at).date():
        return Timeliness.ON_TIME
    return Timeliness.EARLY


def working_delta(a: dt.datetime, b: dt.datetime) -> dt.timedelta:
    return working_time_between(a, b)


def current_pause(dossier: Dossier, until: dt.datetime) -> dt.timedelta:
    """Working time of the pause in progress (zero when the dossier is not paused)."""
    if dossier.paused_since is None or until <= dossier.paused_since:
        return dt.timedelta()
    return working_time_between(dossier.paused_since, until)


def elapsed_hours(dossier: Dossier, until: dt.datetime | None = None) -> Decimal:
    """Working hours the dossier has used: from the received moment to ``until`` (default the
    result's moment, or now), minus the pauses (finished ones and the one in progress)."""
    if dossier.received_at is None:
        return Decimal("0.00")
    end = until or dossier.completed_at or dossier.closed_at or timezone.now()
    if end <= dossier.received_at:
        return Decimal("0.00")
    spent = working_time_between(dossier.received_at, end) - current_pause(dossier, end)
    hours = to_decimal_hours(spent) - Decimal(dossier.paused_hours or 0)
    return max(hours, Decimal("0.00"))


def remaining_hours(dossier: Dossier, now: dt.datetime | None = None) -> Decimal | None:
    """Working hours left until the due time (negative when late); None without a due time."""
    if dossier.due_at is None:
        return None
    moment = now or timezone.now()
    return to_decimal_hours(working_time_between(moment, dossier.due_at))


def describe_duration(procedure: Procedure) -> str:
    """ "05 ngày làm việc", "04 giờ làm việc", "Trong ngày"."""
    value = Decimal(procedure.duration_value)
    if procedure.duration_unit == DurationUnit.WORKING_DAYS and value <= 0:
        return "Trong ngày làm việc"
    number = f"{value.normalize():f}".replace(".", ",")
    if value == value.to_integral_value() and value < 10:
        number = f"0{number}"
    return f"{number} {procedure.get_duration_unit_display()}"


def as_payload(moment: dt.datetime | None) -> Any:
    return local(moment).isoformat() if moment else None
