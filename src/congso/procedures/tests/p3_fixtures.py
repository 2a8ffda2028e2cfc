"""Fixtures of the public side and the statistics tests (P3): a small catalogue."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import caches

from congso.kernel.orgunits.models import AdminUnit
from congso.procedures.models import (
    CopyType,
    DurationUnit,
    OnlineLevel,
    Procedure,
    ProcedureFee,
    ProcedureField,
    ProcedurePaper,
    ProcedureStep,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    for name in ("default",):
        caches[name].clear()


@pytest.fixture
def civil_field(db: Any) -> ProcedureField:
    return ProcedureField.objects.get_or_create(code="HT", defaults={"name": "Hộ tịch"})[0]


@pytest.fixture
def online_procedure(civil_field: ProcedureField) -> Procedure:
    procedure = Procedure.objects.create(
        code="1.001193",
        name="Thủ tục đăng ký khai sinh",
        field=civil_field,
        duration_value=Decimal("1"),
        duration_unit=DurationUnit.WORKING_DAYS,
        online_level=OnlineLevel.FULL,
        result_description="Giấy khai sinh",
        return_place="Bộ phận một cửa UBND phường",
    )
    ProcedurePaper.objects.create(
        procedure=procedure, position=1, name="Tờ khai đăng ký khai sinh", form_name="Mẫu TK-KS"
    )
    ProcedurePaper.objects.create(
        procedure=procedure,
        position=2,
        name="Giấy chứng sinh",
        copy_type=CopyType.ORIGINAL,
    )
    ProcedurePaper.objects.create(
        procedure=procedure, position=3, name="Văn bản ủy quyền", required=False
    )
    ProcedureFee.objects.create(procedure=procedure, name="Lệ phí", amount=Decimal(8000))
    ProcedureStep.objects.create(
        procedure=procedure, position=1, name="Tiếp nhận", allotted_hours=Decimal(2)
    )
    ProcedureStep.objects.create(
        procedure=procedure, position=2, name="Thẩm định", allotted_hours=Decimal(4)
    )
    ProcedureStep.objects.create(
        procedure=procedure, position=3, name="Phê duyệt", allotted_hours=Decimal(2)
    )
    return procedure


@pytest.fixture
def desk_procedure(civil_field: ProcedureField) -> Procedure:
    return Procedure.objects.create(
        code="2.000908",
        name="Thủ tục chứng thực bản sao từ bản chính",
        field=ProcedureField.objects.create(code="CT", name="Chứng thực"),
        duration_value=Decimal("1"),
        online_level=OnlineLevel.NONE,
    )


def papers_of(procedure: Procedure) -> list[ProcedurePaper]:
    return list(procedure.papers.order_by("position"))


def served(unit: AdminUnit) -> AdminUnit:
    return unit
