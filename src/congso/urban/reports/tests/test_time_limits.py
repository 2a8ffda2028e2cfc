"""Time limits in working hours (vietnam-rules §8): receipt within 8 working hours, urgent
handled within 4, normal/complex configurable — across weekends, public holidays and the
official make-up Saturdays of the kernel calendar. Plus reminders and overdue lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from congso.kernel.calendar.services import is_working_day, working_hours_between
from congso.kernel.notifications.models import Notification
from congso.urban.reports import selectors, services
from congso.urban.reports.models import FieldReport, ReportStatus
from congso.urban.reports.tests.conftest import TZ

pytestmark = pytest.mark.django_db


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


def test_receipt_limit_skips_national_day_holidays(submit: Callable[..., FieldReport]) -> None:
    # Fri 28/08/2026 15:00: 2 h that day; 29/08–02/09 off (weekend, swapped Monday, 1–2/9);
    # Thu 03/09 08–12 and 13–15 → 15:00.
    report = submit(now=at(2026, 8, 28, 15))
    assert report.receipt_due_at == at(2026, 9, 3, 15)


def test_make_up_saturday_counts(submit: Callable[..., FieldReport]) -> None:
    # Sat 22/08/2026 is a working day (make-up for Mon 31/08).
    report = submit(now=at(2026, 8, 21, 16))
    assert report.receipt_due_at == at(2026, 8, 22, 16)


def test_tet_2025(submit: Callable[..., FieldReport]) -> None:
    # Fri 24/01/2025 16:30 → 0.5 h; Tết 25/01–02/02; Mon 03/02 08–12, 13–16:30.
    report = submit(now=at(2025, 1, 24, 16, 30))
    assert report.receipt_due_at == at(2025, 2, 3, 16, 30)


def test_urgent_handled_within_4_working_hours(
    submit: Callable[..., FieldReport], people: dict[str, Any]
) -> None:
    report = submit(now=at(2026, 8, 28, 16))
    report = services.report_accept(
        report=report, actor=people["officer"], level="urgent", now=at(2026, 8, 28, 16)
    )
    assert report.handle_due_at == at(2026, 9, 3, 11)


def test_normal_and_complex_configurable(
    submit: Callable[..., FieldReport], people: dict[str, Any], settings: Any
) -> None:
    settings.URBAN_REPORT_HANDLING_HOURS = {"normal": 16, "complex": 24}
    report = services.report_accept(
        report=submit(now=at(2026, 3, 2, 8)), actor=people["officer"], now=at(2026, 3, 2, 8)
    )
    assert report.handle_due_at == at(2026, 3, 3, 17)  # two full working days
    report = services.report_set_level(report=report, actor=people["officer"], level="complex")
    assert report.handle_due_at == at(2026, 3, 4, 17)


def test_defaults_documented() -> None:
    assert services.receipt_hours() == 8
    assert services.handling_hours("urgent") == 4
    assert services.handling_hours("normal") == 40
    assert services.handling_hours("complex") == 80


moments = st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2026, 12, 20)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=TZ)
)


@hsettings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(received=moments, level=st.sampled_from(["urgent", "normal", "complex"]))
def test_limits_are_exact_working_hours(received: dt.datetime, level: str) -> None:
    due = services.receipt_due(received)
    assert abs(working_hours_between(received, due) - 8) < 1e-6
    assert is_working_day(due.astimezone(TZ).date())
    handled = services.handle_due(received, level)
    assert abs(working_hours_between(received, handled) - services.handling_hours(level)) < 1e-6
    assert handled >= due if level != "urgent" else handled <= due


def test_answer_time_and_on_time_flag(
    submit: Callable[..., FieldReport], people: dict[str, Any]
) -> None:
    report = submit(now=at(2026, 3, 2, 8))
    report = services.report_accept(
        report=report, actor=people["officer"], level="urgent", now=at(2026, 3, 2, 9)
    )
    report = services.report_answer(
        report=report,
        actor=people["officer"],
        answer="Đã xử lý xong tại chỗ.",
        now=at(2026, 3, 2, 14, 30),
    )
    # Urgent from 09:00: 09–12 and 13–14 → due 14:00; answered 14:30 (5.5 working hours after
    # arrival at 08:00): late.
    assert report.handle_due_at == at(2026, 3, 2, 14)
    assert report.answer_hours == 5.5 and report.answered_on_time is False
    late = services.report_accept(
        report=submit(now=at(2026, 3, 2, 8)), actor=people["officer"], now=at(2026, 3, 2, 8)
    )
    late = services.report_answer(
        report=late,
        actor=people["officer"],
        answer="Đã xử lý xong trong ngày.",
        now=at(2026, 3, 2, 10),
    )
    assert late.answered_on_time is True


def test_reminders_once_and_overdue_lists(
    submit: Callable[..., FieldReport], people: dict[str, Any], kt: Any
) -> None:
    from django.utils import timezone

    now = timezone.now()
    due_soon = submit()
    FieldReport.objects.filter(pk=due_soon.pk).update(
        receipt_due_at=services.add_working_hours(now, 1)
    )
    overdue = submit()
    FieldReport.objects.filter(pk=overdue.pk).update(receipt_due_at=now - dt.timedelta(hours=1))
    handled = services.report_assign(report=submit(), actor=people["officer"], department=kt)
    FieldReport.objects.filter(pk=handled.pk).update(handle_due_at=now - dt.timedelta(minutes=5))
    run = services.reports_send_reminders(now=now)
    assert (run.receipt_soon, run.overdue) == (1, 2)
    assert (
        Notification.objects.filter(
            recipient=people["officer"], kind="urban_report.reminder"
        ).count()
        >= 2
    )
    assert Notification.objects.filter(
        recipient=people["specialist"], kind="urban_report.reminder"
    ).exists()
    again = services.reports_send_reminders(now=now)
    assert (again.receipt_soon, again.handling_soon, again.overdue) == (0, 0, 0)
    listed = {r.pk for r in selectors.overdue_reports(people["officer"])}
    assert listed == {overdue.pk, handled.pk}
    assert not selectors.overdue_reports(people["other"]).exists()
    # The home page's work item counts them.
    from congso.urban.reports.apps import reports_awaiting_receipt

    item = reports_awaiting_receipt(people["officer"], None)
    assert item.count == 2 and item.overdue == 1
    assert services.is_overdue(FieldReport.objects.get(pk=handled.pk))
    assert FieldReport.objects.get(pk=handled.pk).status == ReportStatus.ASSIGNED


def test_reminder_command(submit: Callable[..., FieldReport], people: dict[str, Any]) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    report = submit()
    FieldReport.objects.filter(pk=report.pk).update(
        receipt_due_at=timezone.now() - dt.timedelta(hours=2)
    )
    out = StringIO()
    call_command("urban_reports_remind", stdout=out)
    assert "quá hạn: 1" in out.getvalue()
