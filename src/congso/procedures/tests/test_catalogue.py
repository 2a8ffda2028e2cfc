"""Catalogue import/export (JSON and XLSX): round trip, per-row errors, all or nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from congso.kernel.audit.models import AuditEvent
from congso.kernel.errors import DomainError, PermissionDenied
from congso.kernel.people.models import Role
from congso.procedures import catalogue
from congso.procedures.models import Procedure, ProcedureField, ProcedurePaper

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user: Any, ward_a: Any) -> Any:
    return make_user(Role.ADMIN, ward_a)


@pytest.mark.parametrize("kind", ["json", "xlsx"])
def test_round_trip(procedure: Any, admin: Any, kind: str) -> None:
    procedure.cutoff_time = dt.time(15, 0)
    procedure.legal_basis = "Luật Hộ tịch 2014"
    procedure.save()
    before = catalogue.export_data()
    data = catalogue.export_json() if kind == "json" else catalogue.export_xlsx()
    # Wipe the children, then import the file back: everything returns as it was.
    Procedure.objects.all().delete()
    result = catalogue.catalogue_import(data=data, kind=kind, actor=admin)
    assert (result.procedures_created, result.procedures_updated) == (1, 0)
    assert catalogue.export_data() == before
    again = catalogue.catalogue_import(data=data, kind=kind, actor=admin)
    assert (again.procedures_created, again.procedures_updated) == (0, 1)
    assert catalogue.export_data() == before
    assert AuditEvent.objects.filter(action="procedures.catalogue_import").count() == 2


def test_xlsx_has_the_sheets_and_vietnamese_headers(procedure: Any) -> None:
    book = load_workbook(io.BytesIO(catalogue.export_xlsx()))
    assert book.sheetnames == ["Lĩnh vực", "Thủ tục", "Giấy tờ", "Quy trình", "Phí"]
    assert book["Thủ tục"]["A1"].value == "Mã thủ tục"
    assert book["Giấy tờ"].max_row == 4  # header + 3 papers


def test_import_updates_in_place_keeping_forms(procedure: Any, admin: Any) -> None:
    paper = procedure.papers.get(position=1)
    data = catalogue.export_data()
    data["procedures"][0]["papers"][0]["name"] = "Tờ khai (mẫu mới)"
    data["procedures"][0]["papers"].pop()  # the optional third paper goes
    data["procedures"][0]["duration_value"] = 5
    catalogue.catalogue_import(data=json.dumps(data).encode(), kind="json", actor=admin)
    paper.refresh_from_db()
    assert paper.name == "Tờ khai (mẫu mới)"  # same row, new name
    assert ProcedurePaper.objects.filter(procedure=procedure).count() == 2
    procedure.refresh_from_db()
    assert procedure.duration_value == Decimal(5)


def test_errors_are_reported_per_row_and_nothing_is_written(procedure: Any, admin: Any) -> None:
    data = catalogue.export_data()
    good = data["procedures"][0]
    bad = dict(good, code="2.000002", duration_unit="tuần", cutoff_time="25:99")
    bad["papers"] = [{"name": "", "copy_type": "giấy cói"}]
    data["procedures"] = [dict(good, name="Tên đã đổi"), bad, dict(good, code="3.X", field="ZZ")]
    with pytest.raises(DomainError) as info:
        catalogue.catalogue_import(data=json.dumps(data).encode(), kind="json", actor=admin)
    assert info.value.code == "catalogue_invalid"
    errors = info.value.details["errors"]
    fields = {(e["row"], e["field"]) for e in errors}
    assert (2, "duration_unit") in fields and (2, "cutoff_time") in fields
    assert ("2.000002/papers[1]", "name") in fields
    assert ("2.000002/papers[1]", "copy_type") in fields
    assert ("3.X", "field") in fields
    procedure.refresh_from_db()
    assert procedure.name != "Tên đã đổi"  # the valid row was not written either
    assert Procedure.objects.count() == 1


def test_xlsx_errors_name_sheet_and_row(procedure: Any, admin: Any) -> None:
    book = load_workbook(io.BytesIO(catalogue.export_xlsx()))
    book["Quy trình"]["E3"] = "nhiều"
    book["Phí"].append(["KHONG-CO", "Lệ phí", 1000, ""])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(DomainError) as info:
        catalogue.catalogue_import(data=out.getvalue(), kind="xlsx", actor=admin)
    errors = info.value.details["errors"]
    assert {"sheet": "Quy trình", "row": 3, "field": "allotted_hours"}.items() <= errors[0].items()
    assert any(e["sheet"] == "Phí" and e["field"] == "procedure" for e in errors)


@pytest.mark.parametrize(
    ("data", "kind", "code"),
    [
        (b"{not json", "json", "catalogue_unreadable"),
        (b'{"format": "other"}', "json", "catalogue_unreadable"),
        (b"PK\x03\x04 broken", "xlsx", "catalogue_unreadable"),
        (b"a,b,c", "csv", "catalogue_format"),
    ],
)
def test_unreadable_files(admin: Any, data: bytes, kind: str, code: str) -> None:
    with pytest.raises(DomainError) as info:
        catalogue.catalogue_import(data=data, kind=kind, actor=admin)
    assert info.value.code == code


def test_only_administrators_import(procedure: Any, onestop: Any) -> None:
    with pytest.raises(PermissionDenied):
        catalogue.catalogue_import(data=catalogue.export_json(), kind="json", actor=onestop)


def test_labels_are_accepted_for_choices(admin: Any) -> None:
    ProcedureField.objects.create(code="CT", name="Chứng thực")
    data = {
        "format": catalogue.FORMAT,
        "procedures": [
            {
                "code": "2.000815",
                "name": "Chứng thực bản sao từ bản chính",
                "field": "CT",
                "duration_value": "0",
                "duration_unit": "ngày làm việc",
                "online_level": "Trực tuyến một phần",
                "cutoff_time": "15h",
                "papers": [{"name": "Bản chính", "copy_type": "Bản chính", "required": "x"}],
            }
        ],
    }
    catalogue.catalogue_import(data=json.dumps(data).encode(), kind="json", actor=admin)
    p = Procedure.objects.get(code="2.000815")
    assert p.cutoff_time is not None and p.cutoff_time.hour == 15
    assert (p.online_level, p.papers.get().copy_type) == ("partial", "original")
