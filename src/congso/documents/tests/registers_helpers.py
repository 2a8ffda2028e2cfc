"""Rows for the registers, files and legacy-import tests, made straight in the database (the
incoming and outgoing services are other areas' and are tested there)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from congso.documents.models import (
    Assignment,
    AssignmentStatus,
    DigitizationStatus,
    DocumentType,
    IncomingDocument,
    OutgoingDocument,
    OutgoingStatus,
)
from congso.kernel.orgunits.models import AdminUnit, Department


def doc_type(name: str) -> DocumentType:
    return DocumentType.objects.get(name=name)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def make_incoming(
    unit: AdminUnit,
    number: int,
    *,
    day: dt.date = dt.date(2026, 3, 5),
    type_name: str = "Công văn",
    subject: str = "V/v báo cáo tình hình thực hiện nhiệm vụ",
    sender: str = "Sở Nội vụ thành phố Hà Nội",
    notation: str = "",
    secrecy: int = 0,
    **extra: Any,
) -> IncomingDocument:
    return IncomingDocument.objects.create(
        unit=unit,
        arrival_year=day.year,
        arrival_number=number,
        arrival_series="arrival-secret" if secrecy else "arrival",
        arrived_at=at(day),
        channel="paper",
        sender_name=sender,
        document_type=doc_type(type_name),
        notation=notation or f"{number + 100}/SNV-VP",
        issued_date=day - dt.timedelta(days=2),
        subject=subject,
        secrecy=secrecy,
        **extra,
    )


def make_outgoing(
    unit: AdminUnit,
    number: int,
    *,
    author: Any,
    day: dt.date = dt.date(2026, 3, 6),
    type_name: str = "Quyết định",
    subject: str = "về việc thành lập Tổ công tác chuyển đổi số",
    secrecy: int = 0,
    department: Department | None = None,
    **extra: Any,
) -> OutgoingDocument:
    document_type = doc_type(type_name)
    department = department or Department.objects.filter(unit=unit).first()
    if department is None:
        department = Department.objects.create(
            unit=unit, name="Văn phòng", abbreviation="VP", kind="office"
        )
    abbreviation = document_type.abbreviation
    notation = f"{number:02d}/{abbreviation}-UBND" if abbreviation else f"{number:02d}/UBND-VP"
    return OutgoingDocument.objects.create(
        unit=unit,
        department=department,
        document_type=document_type,
        subject=subject,
        status=extra.pop("status", OutgoingStatus.ISSUED),
        year=day.year,
        series=extra.pop("series", "main"),
        number=number,
        notation=extra.pop("notation", notation),
        issued_date=day,
        issued_at=at(day, 15),
        created_by=author,
        secrecy=secrecy,
        **extra,
    )


def assign(
    document: IncomingDocument,
    *,
    by: Any,
    department: Department | None = None,
    user: Any = None,
    deadline: dt.date | None = None,
    done_on: dt.date | None = None,
    assigned_on: dt.date | None = None,
) -> Assignment:
    return Assignment.objects.create(
        document=document,
        assigned_by=by,
        lead_department=department,
        lead_user=user,
        deadline=deadline,
        status=AssignmentStatus.DONE if done_on else AssignmentStatus.OPEN,
        completed_at=at(done_on, 16) if done_on else None,
        assigned_at=at(assigned_on or document.arrived_at.date(), 10),
    )


def digitized(document: Any) -> Any:
    document.digitization_status = DigitizationStatus.DONE
    document.save(update_fields=["digitization_status"])
    return document
