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


# --- the admin screens -----------------------------------------------------------------------


@pytest.fixture
def admin_client(client: Any, login: Any, make_user: Any, ward_a: Any) -> Any:
    user = make_user(Role.ADMIN, ward_a, username="quantri", is_staff=True, is_superuser=True)
    return login(client, user)


def test_admin_marks_demo_and_exports(admin_client: Any, procedure: Any) -> None:
    procedure.is_demo = True
    procedure.save()
    page = admin_client.get("/admin/procedures/procedure/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "DỮ LIỆU MẪU" in text and "Nhập danh mục" in text
    change = admin_client.get(f"/admin/procedures/procedure/{procedure.pk}/change/")
    assert "DỮ LIỆU MẪU" in change.content.decode()
    xlsx = admin_client.get("/admin/procedures/procedure/xuat/xlsx/")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    exported = json.loads(admin_client.get("/admin/procedures/procedure/xuat/json/").content)
    assert exported["procedures"][0]["code"] == procedure.code


def test_admin_import_shows_row_errors(admin_client: Any, procedure: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = catalogue.export_data()
    data["procedures"][0]["duration_value"] = "mãi mãi"
    upload = SimpleUploadedFile("danh-muc.json", json.dumps(data).encode(), "application/json")
    page = admin_client.post("/admin/procedures/procedure/nhap/", {"file": upload})
    assert page.status_code == 200
    text = page.content.decode()
    assert "chưa nhập gì" in text and "duration_value" in text
    data["procedures"][0]["duration_value"] = 7
    upload = SimpleUploadedFile("danh-muc.json", json.dumps(data).encode(), "application/json")
    done = admin_client.post("/admin/procedures/procedure/nhap/", {"file": upload})
    assert done.status_code == 302
    procedure.refresh_from_db()
    assert procedure.duration_value == 7


def test_admin_uploads_a_blank_form(admin_client: Any, procedure: Any, tiny_pdf: Any) -> None:
    papers = list(procedure.papers.order_by("position"))
    steps = list(procedure.steps.order_by("position"))
    fees = list(procedure.fees.all())
    post: dict[str, Any] = {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field_id,
        "level": "commune",
        "is_active": "on",
        "duration_value": "3",
        "duration_unit": "days",
        "online_level": "partial",
        "papers-TOTAL_FORMS": str(len(papers)),
        "papers-INITIAL_FORMS": str(len(papers)),
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": str(len(steps)),
        "fees-TOTAL_FORMS": str(len(fees)),
        "fees-INITIAL_FORMS": str(len(fees)),
    }
    for i, p in enumerate(papers):
        post.update(
            {
                f"papers-{i}-id": p.pk,
                f"papers-{i}-procedure": procedure.pk,
                f"papers-{i}-position": p.position,
                f"papers-{i}-name": p.name,
                f"papers-{i}-copy_type": p.copy_type,
                f"papers-{i}-quantity": p.quantity,
                f"papers-{i}-required": "on" if p.required else "",
            }
        )
    post["papers-0-form_upload"] = tiny_pdf("to-khai-mau.pdf")
    for i, s in enumerate(steps):
        post.update(
            {
                f"steps-{i}-id": s.pk,
                f"steps-{i}-procedure": procedure.pk,
                f"steps-{i}-position": s.position,
                f"steps-{i}-name": s.name,
                f"steps-{i}-role": s.role,
                f"steps-{i}-department_abbreviation": s.department_abbreviation,
                f"steps-{i}-allotted_hours": str(s.allotted_hours),
            }
        )
    for i, f in enumerate(fees):
        post.update(
            {
                f"fees-{i}-id": f.pk,
                f"fees-{i}-procedure": procedure.pk,
                f"fees-{i}-name": f.name,
                f"fees-{i}-amount": str(f.amount),
            }
        )
    response = admin_client.post(f"/admin/procedures/procedure/{procedure.pk}/change/", post)
    assert response.status_code == 302, response.content.decode()[:3000]
    first = procedure.papers.get(position=1)
    assert first.form_file is not None and first.form_file.kind == "pdf"
    assert first.form_name == "to-khai-mau.pdf"
    assert AuditEvent.objects.filter(action="procedures.catalogue_save").exists()
