"""The digitisation rate per committee and period, and the home-page item that shows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from congso.documents.models import (
    DigitizationStatus,
    DocumentType,
    IncomingDocument,
    OutgoingDocument,
    OutgoingStatus,
)
from congso.documents.selectors import digitization_rate
from congso.documents.services.digitization import digitization_work_item, vn_percent
from congso.kernel.orgunits.models import AdminUnit, Department
from congso.kernel.people.models import Position, User

pytestmark = pytest.mark.django_db

DONE, FAILED, PENDING = (
    DigitizationStatus.DONE,
    DigitizationStatus.FAILED,
    DigitizationStatus.PENDING,
)


def _at(day: dt.date) -> dt.datetime:
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30))), timezone.now())


def _incoming(register: Callable[..., IncomingDocument], day: dt.date, status: str) -> Any:
    document = register(arrived_at=_at(day), issued_date=day - dt.timedelta(days=2))
    IncomingDocument.objects.filter(pk=document.pk).update(digitization_status=status)
    return document


def _outgoing(unit: AdminUnit, user: User, number: int | None, day: dt.date, status: str) -> Any:
    return OutgoingDocument.objects.create(
        unit=unit,
        department=Department.objects.filter(unit=unit).earliest("pk"),
        document_type=DocumentType.objects.get(name="Quyết định"),
        subject="Về việc thử tỷ lệ số hóa",
        status=OutgoingStatus.ISSUED if number else OutgoingStatus.DRAFT,
        year=day.year if number else None,
        number=number,
        notation=f"{number:02d}/QĐ-UBND" if number else "",
        issued_date=day if number else None,
        created_by=user,
        digitization_status=status,
    )


def test_rate_counts_registered_incoming_and_issued_outgoing_in_the_period(
    register: Callable[..., IncomingDocument], ward_a: AdminUnit, clerk: User
) -> None:
    start, end = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    _incoming(register, dt.date(2026, 3, 1), DONE)  # first day counts
    _incoming(register, dt.date(2026, 3, 31), DONE)  # last day counts (until midnight)
    _incoming(register, dt.date(2026, 3, 15), FAILED)
    _incoming(register, dt.date(2026, 3, 16), PENDING)
    _incoming(register, dt.date(2026, 4, 1), DONE)  # outside
    _outgoing(ward_a, clerk, 1, dt.date(2026, 3, 10), DONE)
    _outgoing(ward_a, clerk, 2, dt.date(2026, 3, 11), DigitizationStatus.NO_FILE)
    _outgoing(ward_a, clerk, None, dt.date(2026, 3, 12), DONE)  # a draft: not issued
    rate = digitization_rate(ward_a, start, end)
    assert (rate.incoming_digitized, rate.incoming_total) == (2, 4)
    assert (rate.outgoing_digitized, rate.outgoing_total) == (1, 2)
    assert (rate.digitized, rate.total, rate.missing) == (3, 6, 3)
    assert rate.percent == 50.0
    assert digitization_rate(ward_a.pk, start, end) == rate


def test_rate_is_per_committee(
    register: Callable[..., IncomingDocument], ward_a: AdminUnit, ward_b: AdminUnit
) -> None:
    _incoming(register, dt.date(2026, 3, 2), DONE)
    assert digitization_rate(ward_b, dt.date(2026, 1, 1), dt.date(2026, 12, 31)).total == 0
    assert digitization_rate(ward_a, dt.date(2026, 1, 1), dt.date(2026, 12, 31)).percent == 100.0


def test_no_documents_means_no_data_not_a_division_error(ward_a: AdminUnit) -> None:
    rate = digitization_rate(ward_a, dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert (rate.digitized, rate.total) == (0, 0)
    assert rate.percent is None


def test_the_registers_read_the_same_rate(
    register: Callable[..., IncomingDocument], ward_a: AdminUnit
) -> None:
    from congso.documents.services.registers import digitization_rate_for

    _incoming(register, dt.date(2026, 5, 5), DONE)
    _incoming(register, dt.date(2026, 5, 6), FAILED)
    shown = digitization_rate_for(ward_a, dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    assert shown is not None and (shown.digitized, shown.total) == (1, 2)


def test_home_item_shows_missing_documents_and_the_rate(
    register: Callable[..., IncomingDocument], clerk: User
) -> None:
    today = timezone.localdate()
    position = Position.objects.filter(user=clerk).first()
    empty = digitization_work_item(clerk, position)
    assert empty.count == 0 and f"Năm {today.year} chưa có văn bản" in empty.description
    _incoming(register, today, DONE)
    _incoming(register, today, DONE)
    _incoming(register, today, FAILED)
    item = digitization_work_item(clerk, position)
    assert (item.count, item.overdue) == (1, 1)
    assert item.description == f"Tỷ lệ số hóa năm {today.year}: 66,7% (2/3 văn bản)"
    assert vn_percent(100.0) == "100%" and vn_percent(97.25) == "97,2%"
    assert digitization_work_item(clerk, None) is None
