"""Fixtures of the one-stop shop's tests: a small procedure, the staff of ward A, a dossier.

Shared by the procedures helpers' tests (owner: P1; ask in requests-P1.md for changes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.kernel.calendar.services import VN_TZ
from congso.kernel.orgunits.models import AdminUnit, Department
from congso.kernel.people.models import Position, Role, User
from congso.procedures.models import (
    CopyType,
    Dossier,
    DurationUnit,
    OnlineLevel,
    Procedure,
    ProcedureFee,
    ProcedureField,
    ProcedurePaper,
    ProcedureStep,
)

# A minimal valid PDF (kernel.files sniffs "%PDF-").
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A moment in Asia/Ho_Chi_Minh: vn(2026, 3, 2, 9, 30)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


@pytest.fixture
def tiny_pdf() -> Callable[[str], SimpleUploadedFile]:
    def _make(name: str = "giay-to.pdf") -> SimpleUploadedFile:
        return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")

    return _make


@pytest.fixture
def field_hotich(db: Any) -> ProcedureField:
    return ProcedureField.objects.get_or_create(code="HT", defaults={"name": "Hộ tịch"})[0]


@pytest.fixture
def procedure(field_hotich: ProcedureField) -> Procedure:
    """3 working days, online partly, two required papers and one optional, three steps (one
    at the one-stop desk, one for the specialist (VP), one for the leader, the return at
    the desk), a fee."""
    proc = Procedure.objects.create(
        code="1.000001.TEST",
        name="Đăng ký khai sinh (thử nghiệm)",
        field=field_hotich,
        duration_value=Decimal("3"),
        duration_unit=DurationUnit.WORKING_DAYS,
        online_level=OnlineLevel.PARTIAL,
        return_place="Bộ phận một cửa UBND phường",
    )
    ProcedurePaper.objects.bulk_create(
        [
            ProcedurePaper(procedure=proc, position=1, name="Tờ khai đăng ký khai sinh"),
            ProcedurePaper(
                procedure=proc,
                position=2,
                name="Giấy chứng sinh",
                copy_type=CopyType.ORIGINAL,
            ),
            ProcedurePaper(procedure=proc, position=3, name="Văn bản ủy quyền", required=False),
        ]
    )
    ProcedureStep.objects.bulk_create(
        [
            ProcedureStep(
                procedure=proc,
                position=1,
                name="Tiếp nhận, chuyển hồ sơ",
                role=Role.ONESTOP_OFFICER,
                allotted_hours=Decimal("4"),
            ),
            ProcedureStep(
                procedure=proc,
                position=2,
                name="Thẩm định, trình ký",
                role=Role.SPECIALIST,
                department_abbreviation="VP",
                allotted_hours=Decimal("12"),
            ),
            ProcedureStep(
                procedure=proc,
                position=3,
                name="Phê duyệt",
                role=Role.LEADER,
                allotted_hours=Decimal("8"),
            ),
            ProcedureStep(
                procedure=proc,
                position=4,
                name="Trả kết quả",
                role=Role.ONESTOP_OFFICER,
                allotted_hours=Decimal("4"),
            ),
        ]
    )
    ProcedureFee.objects.create(procedure=proc, name="Lệ phí", amount=Decimal("8000"))
    return proc


def _staff(make_user: Callable[..., User], role: str, unit: AdminUnit, **kw: Any) -> User:
    user = make_user(role, unit, **kw)
    return user


@pytest.fixture
def onestop(make_user: Callable[..., User], ward_a: AdminUnit) -> User:
    return _staff(make_user, Role.ONESTOP_OFFICER, ward_a, full_name="Lê Thị Một Cửa")


@pytest.fixture
def specialist(make_user: Callable[..., User], ward_a: AdminUnit) -> User:
    user = make_user(full_name="Trần Văn Chuyên")
    Position.objects.create(
        user=user,
        unit=ward_a,
        role=Role.SPECIALIST,
        department=Department.objects.get(unit=ward_a, abbreviation="VP"),
    )
    return user


@pytest.fixture
def leader(make_user: Callable[..., User], ward_a: AdminUnit) -> User:
    return _staff(make_user, Role.LEADER, ward_a, full_name="Phạm Chủ Tịch")


@pytest.fixture
def applicant() -> dict[str, Any]:
    return {
        "type": 0,
        "name": "Nguyễn Thị Dân",
        "id_number": "001190000001",
        "address": "Số 1 Tây Hồ",
        "phone": "0912345678",
        "email": "dan@example.com",
    }


@pytest.fixture
def desk_dossier(
    ward_a: AdminUnit,
    procedure: Procedure,
    onestop: User,
    applicant: dict[str, Any],
) -> Dossier:
    from congso.procedures.services import dossier_receive_at_desk

    required = list(procedure.papers.filter(required=True).values_list("id", flat=True))
    return dossier_receive_at_desk(
        unit=ward_a,
        procedure=procedure,
        applicant=applicant,
        papers_provided=required,
        uploads=[],
        officer=onestop,
    )
