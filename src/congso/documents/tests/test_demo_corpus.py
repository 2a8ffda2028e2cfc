"""The demo corpus generator: deterministic, idempotent, lawful numbers that new registrations
continue without a gap, and electronic copies with a real text layer."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from congso.documents import demo_corpus
from congso.documents.demo_corpus import (
    CORPUS_NOTE,
    UnitStaff,
    generate_incoming,
    generate_outgoing,
)
from congso.documents.models import (
    Assignment,
    DigitizationStatus,
    DocumentType,
    EdxmlMessage,
    IncomingDocument,
    OutgoingDocument,
)
from congso.documents.textpdf import Line, render
from congso.kernel.files.models import StoredFile
from congso.kernel.files.services import file_open
from congso.kernel.numbering.models import Sequence
from congso.kernel.orgunits.models import AdminUnit, Department, DepartmentKind
from congso.kernel.people.models import Role, User

TODAY = dt.date(2026, 1, 20)
START, END = dt.date(2025, 7, 1), dt.date(2025, 12, 31)


@pytest.fixture
def staff(ward_a: AdminUnit, make_user: Callable[..., User]) -> UnitStaff:
    departments = {"VP": Department.objects.get(unit=ward_a, abbreviation="VP")}
    for abbr, name in (("KT", "Phòng Kinh tế"), ("VHXH", "Phòng Văn hóa - Xã hội")):
        departments[abbr] = Department.objects.create(
            unit=ward_a, name=name, abbreviation=abbr, kind=DepartmentKind.DIVISION
        )
    return UnitStaff(
        clerk=make_user(Role.CLERK, ward_a),
        leaders=[make_user(Role.LEADER, ward_a), make_user(Role.LEADER, ward_a)],
        specialists={"KT": [make_user(Role.SPECIALIST, ward_a)]},
        departments=departments,
    )


def _snapshot() -> list[tuple[Any, ...]]:
    return list(
        IncomingDocument.objects.order_by(
            "arrival_series", "arrival_year", "arrival_number"
        ).values_list(
            "arrival_series",
            "arrival_year",
            "arrival_number",
            "notation",
            "sender_name",
            "subject",
            "urgency",
            "secrecy",
            "status",
            "channel",
            "arrived_at",
        )
    )


def _wipe() -> None:
    EdxmlMessage.objects.all().delete()
    Assignment.objects.all().delete()
    IncomingDocument.objects.all().delete()
    OutgoingDocument.objects.all().delete()
    StoredFile.objects.all().delete()
    Sequence.objects.all().delete()


def test_incoming_is_deterministic_and_realistic(ward_a: AdminUnit, staff: UnitStaff) -> None:
    stats = generate_incoming(
        120, unit=ward_a, start=START, end=END, staff=staff, today=TODAY, with_files=False
    )
    assert stats.incoming == 120
    first = _snapshot()
    _wipe()
    generate_incoming(
        120, unit=ward_a, start=START, end=END, staff=staff, today=TODAY, with_files=False
    )
    assert _snapshot() == first

    documents = list(IncomingDocument.objects.select_related("document_type"))
    senders = {d.sender_name for d in documents}
    assert "Ủy ban nhân dân thành phố Hà Nội" in senders and len(senders) >= 6
    assert "Công an quận Tây Hồ" not in senders  # a former-district body, not after 07/2025
    for document in documents:
        assert document.note == CORPUS_NOTE
        assert START <= timezone.localtime(document.arrived_at).date() <= END
        assert document.issued_date is not None
        assert document.issued_date <= timezone.localtime(document.arrived_at).date()
        number, _, symbol = document.notation.partition("/")
        assert number.isdigit() and len(number) >= 2
        if document.document_type.is_letter:
            assert document.subject.startswith("V/v ")
            assert re.fullmatch(r"[A-ZĐ]+-[A-Za-zĐ]+", symbol), document.notation
        else:
            assert symbol.startswith(document.document_type.abbreviation + "-"), document.notation
    assert any(d.urgency > 0 for d in documents)
    assert {d.status for d in documents} >= {"done"}
    # Older documents were handled; an open assignment past its deadline counts as overdue.
    overdue = Assignment.objects.filter(status="open", deadline__lt=TODAY).count()
    assert overdue == stats.overdue


def test_arrival_numbers_are_gap_free_and_registration_continues(
    ward_a: AdminUnit, staff: UnitStaff
) -> None:
    from congso.documents.services.incoming import incoming_register

    pdf = render([Line("Công văn đến trước bộ mẫu")])
    first = incoming_register(
        unit=ward_a,
        user=staff.clerk,
        files=[SimpleUploadedFile("a.pdf", pdf, "application/pdf")],
        channel="paper",
        document_type=DocumentType.objects.get(name="Công văn"),
        subject="V/v văn bản vào sổ trước",
        sender_name="Sở Nội vụ Hà Nội",
        notation="01/SNV-CCVC",
        issued_date=dt.date(2025, 7, 1),
        arrived_at=timezone.make_aware(dt.datetime(2025, 7, 1, 9)),
    )
    assert first.arrival_number == 1
    generate_incoming(
        80, unit=ward_a, start=START, end=END, staff=staff, today=TODAY, with_files=False
    )
    numbers: dict[tuple[str, int], list[int]] = defaultdict(list)
    for series, year, number in IncomingDocument.objects.order_by("arrived_at", "pk").values_list(
        "arrival_series", "arrival_year", "arrival_number"
    ):
        numbers[(series, year)].append(number)
    for (series, year), run in numbers.items():
        assert sorted(run) == list(range(1, len(run) + 1)), (series, year)
        last = Sequence.objects.get(scope=f"unit:{ward_a.pk}", series=series, year=year).last
        assert last == len(run)
    corpus = [n for n in numbers[("arrival", 2025)][1:]]
    assert corpus == sorted(corpus)  # numbered in order of arrival
    after = incoming_register(
        unit=ward_a,
        user=staff.clerk,
        files=[SimpleUploadedFile("b.pdf", render([Line("Văn bản sau")]), "application/pdf")],
        channel="paper",
        document_type=DocumentType.objects.get(name="Công văn"),
        subject="V/v văn bản vào sổ sau bộ mẫu",
        sender_name="Sở Nội vụ Hà Nội",
        notation="999/SNV-CCVC",
        issued_date=dt.date(2025, 12, 31),
        arrived_at=timezone.make_aware(dt.datetime(2025, 12, 31, 16)),
    )
    assert after.arrival_number == len(numbers[("arrival", 2025)]) + 1


def test_files_have_a_text_layer(ward_a: AdminUnit, staff: UnitStaff) -> None:
    from pypdf import PdfReader

    stats = generate_incoming(6, unit=ward_a, start=START, end=END, staff=staff, today=TODAY)
    content_type = ContentType.objects.get_for_model(IncomingDocument)
    ordinary = IncomingDocument.objects.filter(secrecy=0)
    assert stats.files == ordinary.count() > 0
    for document in ordinary:
        assert document.digitization_status == DigitizationStatus.DONE
        stored = StoredFile.objects.get(owner_type=content_type, owner_id=str(document.pk))
        handle = file_open(stored)
        data = handle.read()
        handle.close()
        assert stored.sha256 and stored.size == len(data) and stored.kind == "pdf"
        text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
        assert document.notation in text
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


def test_outgoing_numbers_per_series(ward_a: AdminUnit, staff: UnitStaff) -> None:
    stats = generate_outgoing(
        60, unit=ward_a, start=START, end=END, staff=staff, today=TODAY, with_files=False
    )
    assert stats.outgoing == 60
    by_series: dict[str, list[int]] = defaultdict(list)
    for document in OutgoingDocument.objects.select_related("document_type", "department"):
        assert document.status == "issued" and document.number is not None
        by_series[document.series].append(document.number)
        if document.document_type.is_letter:
            assert document.notation == (
                f"{document.number:02d}/UBND-{document.department.abbreviation}"
            )
        else:
            assert document.notation == (
                f"{document.number:02d}/{document.document_type.abbreviation}-UBND"
            )
    assert "outgoing:letter" in by_series
    for series, numbers in by_series.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), series
        row = Sequence.objects.get(scope=f"unit:{ward_a.pk}", series=series, year=2025)
        assert row.last == len(numbers)


def test_demo_loader_is_idempotent(settings: Any, db: Any) -> None:
    from congso.kernel.core.demo import DemoContext, run_all

    settings.DEMO_DOCUMENTS = 45
    settings.DEMO_SCANNED_DOCUMENTS = 0
    out: list[str] = []
    ctx = DemoContext(today=TODAY, out=out.append)
    run_all(ctx, only={"units", "staff", "documents-corpus"})
    counts = (
        IncomingDocument.objects.count(),
        OutgoingDocument.objects.count(),
        StoredFile.objects.count(),
        Assignment.objects.count(),
    )
    assert counts[0] == 30 and counts[1] == 15
    from congso.kernel.orgunits.demo import demo_units

    units = demo_units()
    # Before 01/07/2025 the former district committee, after it the two wards.
    for document in IncomingDocument.objects.all():
        day = timezone.localtime(document.arrived_at).date()
        if day < demo_corpus.NEW_WARDS_FROM:
            assert document.unit_id == units.former_district.pk
        else:
            assert document.unit_id in {units.tay_ho.pk, units.phu_thuong.pk}
    run_all(DemoContext(today=TODAY, out=out.append), only={"units", "staff", "documents-corpus"})
    assert (
        IncomingDocument.objects.count(),
        OutgoingDocument.objects.count(),
        StoredFile.objects.count(),
        Assignment.objects.count(),
    ) == counts
    assert any("đã có" in line for line in out)
