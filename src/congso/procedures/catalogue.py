"""Import and export of the procedure catalogue, as JSON or XLSX.

**Format** (the same content both ways; docs/procedures.md "Danh mục"):

- JSON: ``{"format": "congso.procedures.catalogue", "version": 1, "fields": [{code, name}],
  "procedures": [{code, name, field, level, duration_value, duration_unit, cutoff_time,
  online_level, result_description, legal_basis, applicant_description, fee_description,
  return_place, notes, is_active, is_demo, papers: [{name, copy_type, quantity, required,
  form_name}], steps: [{name, role, department_abbreviation, allotted_hours}], fees: [{name,
  amount, note}]}]}``.
- XLSX: sheets "Lĩnh vực", "Thủ tục", "Giấy tờ", "Quy trình", "Phí"; the child sheets name
  their procedure by its code in the first column; the order of rows is the papers' and steps'
  order. Choice columns accept the code ("days") or the Vietnamese label ("ngày làm việc").

**Import is all or nothing**: every row is checked first; any error → ``catalogue_invalid`` with
``details.errors`` = ``[{"sheet", "row", "field", "message"}]`` and nothing is written. Otherwise,
in one transaction: fields and procedures are created or updated by code; a procedure's papers,
steps and fees are replaced by position (rows at the same position are updated in place, so the
blank forms attached to papers and the links from existing dossiers stay); one audit event.
Procedures absent from the file are left alone (deactivate them in the admin).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet

from congso.kernel.audit.services import audit_record
from congso.kernel.errors import DomainError, PermissionDenied
from congso.kernel.people.models import Role

from . import rules
from .models import (
    CopyType,
    DurationUnit,
    OnlineLevel,
    Procedure,
    ProcedureFee,
    ProcedureField,
    ProcedureLevel,
    ProcedurePaper,
    ProcedureStep,
)

FORMAT = "congso.procedures.catalogue"
VERSION = 1
MAX_BYTES = 10 * 1024 * 1024
MAX_PROCEDURES = 5000

SHEET_FIELDS = "Lĩnh vực"
SHEET_PROCEDURES = "Thủ tục"
SHEET_PAPERS = "Giấy tờ"
SHEET_STEPS = "Quy trình"
SHEET_FEES = "Phí"

PROCEDURE_COLUMNS = [
    ("code", "Mã thủ tục"),
    ("name", "Tên thủ tục"),
    ("field", "Mã lĩnh vực"),
    ("level", "Cấp thực hiện"),
    ("duration_value", "Thời hạn"),
    ("duration_unit", "Đơn vị thời hạn"),
    ("cutoff_time", "Giờ chốt tiếp nhận"),
    ("online_level", "Mức trực tuyến"),
    ("result_description", "Kết quả"),
    ("legal_basis", "Căn cứ pháp lý"),
    ("applicant_description", "Đối tượng thực hiện"),
    ("fee_description", "Phí, lệ phí (mô tả)"),
    ("return_place", "Nơi trả kết quả"),
    ("notes", "Ghi chú"),
    ("is_active", "Đang áp dụng"),
    ("is_demo", "Dữ liệu mẫu"),
]
PAPER_COLUMNS = [
    ("procedure", "Mã thủ tục"),
    ("name", "Tên giấy tờ"),
    ("copy_type", "Hình thức"),
    ("quantity", "Số lượng"),
    ("required", "Bắt buộc"),
    ("form_name", "Tên mẫu đơn, tờ khai"),
]
STEP_COLUMNS = [
    ("procedure", "Mã thủ tục"),
    ("name", "Tên bước"),
    ("role", "Vai trò"),
    ("department_abbreviation", "Phòng, ban (viết tắt)"),
    ("allotted_hours", "Thời gian (giờ làm việc)"),
]
FEE_COLUMNS = [
    ("procedure", "Mã thủ tục"),
    ("name", "Tên phí, lệ phí"),
    ("amount", "Mức thu (đồng)"),
    ("note", "Ghi chú"),
]
FIELD_COLUMNS = [("code", "Mã lĩnh vực"), ("name", "Tên lĩnh vực")]

_TRUE = {"1", "true", "x", "có", "co", "yes", "đúng", "c"}
_FALSE = {"0", "false", "", "không", "khong", "no", "k"}


# --- export ----------------------------------------------------------------------------------


def _catalogue_queryset(procedures: QuerySet[Procedure] | None = None) -> QuerySet[Procedure]:
    qs = procedures if procedures is not None else Procedure.objects.all()
    return qs.select_related("field").prefetch_related(
        Prefetch("papers", queryset=ProcedurePaper.objects.order_by("position", "id")),
        Prefetch("steps", queryset=ProcedureStep.objects.order_by("position", "id")),
        Prefetch("fees", queryset=ProcedureFee.objects.order_by("id")),
    )


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def procedure_to_dict(p: Procedure) -> dict[str, Any]:
    return {
        "code": p.code,
        "name": p.name,
        "field": p.field.code,
        "level": p.level,
        "duration_value": _number(p.duration_value),
        "duration_unit": p.duration_unit,
        "cutoff_time": p.cutoff_time.strftime("%H:%M") if p.cutoff_time else None,
        "online_level": p.online_level,
        "result_description": p.result_description,
        "legal_basis": p.legal_basis,
        "applicant_description": p.applicant_description,
        "fee_description": p.fee_description,
        "return_place": p.return_place,
        "notes": p.notes,
        "is_active": p.is_active,
        "is_demo": p.is_demo,
        "papers": [
            {
                "name": x.name,
                "copy_type": x.copy_type,
                "quantity": x.quantity,
                "required": x.required,
                "form_name": x.form_name,
            }
            for x in p.papers.all()
        ],
        "steps": [
            {
                "name": s.name,
                "role": s.role,
                "department_abbreviation": s.department_abbreviation,
                "allotted_hours": _number(s.allotted_hours),
            }
            for s in p.steps.all()
        ],
        "fees": [{"name": f.name, "amount": int(f.amount), "note": f.note} for f in p.fees.all()],
    }


def export_data(procedures: QuerySet[Procedure] | None = None) -> dict[str, Any]:
    rows = list(_catalogue_queryset(procedures).order_by("field__name", "code"))
    fields = {p.field.code: p.field.name for p in rows}
    return {
        "format": FORMAT,
        "version": VERSION,
        "fields": [{"code": c, "name": n} for c, n in sorted(fields.items())],
        "procedures": [procedure_to_dict(p) for p in rows],
    }


def export_json(procedures: QuerySet[Procedure] | None = None) -> bytes:
    return json.dumps(export_data(procedures), ensure_ascii=False, indent=2).encode("utf-8")


def export_xlsx(procedures: QuerySet[Procedure] | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    data = export_data(procedures)
    book = Workbook()
    bold = Font(bold=True)

    def sheet(title: str, columns: list[tuple[str, str]], rows: Iterable[list[Any]]) -> None:
        ws = book.create_sheet(title)
        ws.append([label for _key, label in columns])
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append(row)
        for index, (_key, label) in enumerate(columns, start=1):
            ws.column_dimensions[ws.cell(1, index).column_letter].width = max(12, len(label) + 4)

    book.remove(book.active)
    sheet(SHEET_FIELDS, FIELD_COLUMNS, ([f["code"], f["name"]] for f in data["fields"]))
    procs = data["procedures"]
    sheet(
        SHEET_PROCEDURES,
        PROCEDURE_COLUMNS,
        ([_cell(p[key]) for key, _label in PROCEDURE_COLUMNS] for p in procs),
    )
    sheet(
        SHEET_PAPERS,
        PAPER_COLUMNS,
        (
            [p["code"], *(_cell(x[k]) for k, _l in PAPER_COLUMNS[1:])]
            for p in procs
            for x in p["papers"]
        ),
    )
    sheet(
        SHEET_STEPS,
        STEP_COLUMNS,
        (
            [p["code"], *(_cell(s[k]) for k, _l in STEP_COLUMNS[1:])]
            for p in procs
            for s in p["steps"]
        ),
    )
    sheet(
        SHEET_FEES,
        FEE_COLUMNS,
        (
            [p["code"], *(_cell(f[k]) for k, _l in FEE_COLUMNS[1:])]
            for p in procs
            for f in p["fees"]
        ),
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "có" if value else "không"
    return "" if value is None else value


# --- import: parsing -------------------------------------------------------------------------


@dataclass
class _Errors:
    items: list[dict[str, Any]]

    def add(self, sheet: str, row: int | str, field: str, message: str) -> None:
        if len(self.items) < 500:
            self.items.append({"sheet": sheet, "row": row, "field": field, "message": message})


def _nfc(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(unicodedata.normalize("NFC", str(value)).replace("\x00", "").split())


def _choice(value: Any, choices: Any, default: str) -> str | None:
    text = _nfc(value)
    if not text:
        return default
    for code, label in choices:
        if text == code or text.casefold() == str(label).casefold():
            return str(code)
    return None


def _bool(value: Any, default: bool) -> bool | None:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = _nfc(value).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return default if text == "" else False
    return None


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _time(value: Any) -> tuple[bool, dt.time | None]:
    if value is None or value == "":
        return True, None
    if isinstance(value, dt.time):
        return True, value.replace(second=0, microsecond=0)
    if isinstance(value, dt.datetime):
        return True, value.time().replace(second=0, microsecond=0)
    text = _nfc(value).lower().replace("h", ":").replace("giờ", ":").replace(" ", "")
    if text.endswith(":"):
        text += "00"
    try:
        return True, dt.datetime.strptime(text, "%H:%M").time()
    except ValueError:
        return False, None


ROLE_VALUES = {str(r.value) for r in Role} | {""}


def _clean_procedure(raw: Any, where: str, row: int | str, errors: _Errors) -> dict[str, Any]:
    if not isinstance(raw, dict):
        errors.add(where, row, "", "Dòng không hợp lệ.")
        return {}
    code = _nfc(raw.get("code"))
    out: dict[str, Any] = {"code": code}
    if not code or len(code) > 40:
        errors.add(where, row, "code", "Thiếu mã thủ tục (tối đa 40 ký tự).")
    name = _nfc(raw.get("name"))
    if not name or len(name) > 500:
        errors.add(where, row, "name", "Thiếu tên thủ tục (tối đa 500 ký tự).")
    out["name"] = name
    out["field"] = _nfc(raw.get("field"))
    if not out["field"]:
        errors.add(where, row, "field", "Thiếu mã lĩnh vực.")
    for key, choices, default in (
        ("level", ProcedureLevel.choices, ProcedureLevel.COMMUNE),
        ("duration_unit", DurationUnit.choices, DurationUnit.WORKING_DAYS),
        ("online_level", OnlineLevel.choices, OnlineLevel.NONE),
    ):
        value = _choice(raw.get(key), choices, str(default))
        if value is None:
            allowed = ", ".join(f"{c} ({lbl})" for c, lbl in choices)
            errors.add(where, row, key, f"Giá trị “{_nfc(raw.get(key))}” không hợp lệ: {allowed}.")
        out[key] = value
    duration = _decimal(raw.get("duration_value"))
    if duration is None or duration < 0 or duration > Decimal("99999"):
        errors.add(where, row, "duration_value", "Thời hạn phải là số không âm.")
    out["duration_value"] = duration
    ok, cutoff = _time(raw.get("cutoff_time"))
    if not ok:
        errors.add(where, row, "cutoff_time", "Giờ chốt phải có dạng GG:PP, ví dụ 15:00.")
    out["cutoff_time"] = cutoff
    for key, limit in (
        ("result_description", 500),
        ("applicant_description", 500),
        ("fee_description", 500),
        ("return_place", 255),
    ):
        text = _nfc(raw.get(key))
        if len(text) > limit:
            errors.add(where, row, key, f"Tối đa {limit} ký tự.")
        out[key] = text
    for key in ("legal_basis", "notes"):
        value = raw.get(key)
        out[key] = unicodedata.normalize("NFC", str(value)).strip() if value else ""
    flags: tuple[tuple[str, bool], ...] = (("is_active", True), ("is_demo", False))
    for key, flag_default in flags:
        flag = _bool(raw.get(key), flag_default)
        if flag is None:
            errors.add(where, row, key, "Giá trị phải là có/không (x hoặc để trống).")
        out[key] = flag
    out["papers"], out["steps"], out["fees"] = [], [], []
    return out


def _clean_paper(
    raw: dict[str, Any], where: str, row: int | str, errors: _Errors
) -> dict[str, Any]:
    name = _nfc(raw.get("name"))
    if not name or len(name) > 500:
        errors.add(where, row, "name", "Thiếu tên giấy tờ (tối đa 500 ký tự).")
    copy_type = _choice(raw.get("copy_type"), CopyType.choices, CopyType.ORIGINAL)
    if copy_type is None:
        errors.add(
            where, row, "copy_type", f"Hình thức “{_nfc(raw.get('copy_type'))}” không hợp lệ."
        )
    quantity = _decimal(raw.get("quantity") if raw.get("quantity") not in (None, "") else 1)
    if quantity is None or quantity != quantity.to_integral_value() or not 1 <= quantity <= 99:
        errors.add(where, row, "quantity", "Số lượng phải là số nguyên từ 1 đến 99.")
    required = _bool(raw.get("required"), True)
    if required is None:
        errors.add(where, row, "required", "Giá trị phải là có/không.")
    return {
        "name": name,
        "copy_type": copy_type,
        "quantity": int(quantity) if quantity is not None else 1,
        "required": required,
        "form_name": _nfc(raw.get("form_name"))[:255],
    }


def _clean_step(raw: dict[str, Any], where: str, row: int | str, errors: _Errors) -> dict[str, Any]:
    name = _nfc(raw.get("name"))
    if not name or len(name) > 255:
        errors.add(where, row, "name", "Thiếu tên bước (tối đa 255 ký tự).")
    role = _choice(raw.get("role"), Role.choices, "")
    if role is None:
        errors.add(where, row, "role", f"Vai trò “{_nfc(raw.get('role'))}” không hợp lệ.")
    hours = _decimal(raw.get("allotted_hours"))
    if hours is None or hours < 0 or hours > Decimal("99999"):
        errors.add(where, row, "allotted_hours", "Thời gian phải là số giờ không âm.")
    return {
        "name": name,
        "role": role or "",
        "department_abbreviation": _nfc(raw.get("department_abbreviation"))[:20],
        "allotted_hours": hours,
    }


def _clean_fee(raw: dict[str, Any], where: str, row: int | str, errors: _Errors) -> dict[str, Any]:
    name = _nfc(raw.get("name"))
    if not name or len(name) > 255:
        errors.add(where, row, "name", "Thiếu tên phí, lệ phí.")
    amount = _decimal(raw.get("amount"))
    if amount is None or amount < 0 or amount != amount.to_integral_value():
        errors.add(where, row, "amount", "Mức thu phải là số đồng không âm.")
    return {"name": name, "amount": amount, "note": _nfc(raw.get("note"))[:255]}


def _parse_json(data: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DomainError(
            "catalogue_unreadable", f"Tệp JSON không đọc được: {exc}.", status=422
        ) from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise DomainError(
            "catalogue_unreadable",
            f'Tệp JSON không đúng định dạng danh mục (cần "format": "{FORMAT}").',
            status=422,
        )
    return payload


def _rows(ws: Any, columns: list[tuple[str, str]]) -> list[tuple[int, dict[str, Any]]]:
    values = list(ws.iter_rows(values_only=True))
    if not values:
        return []
    header = [_nfc(v).casefold() for v in values[0]]
    index: dict[str, int] = {}
    for key, label in columns:
        for i, text in enumerate(header):
            if text in (label.casefold(), key):
                index[key] = i
    out = []
    for number, row in enumerate(values[1:], start=2):
        if row is None or all(v is None or _nfc(v) == "" for v in row):
            continue
        out.append((number, {k: (row[i] if i < len(row) else None) for k, i in index.items()}))
    return out


def _parse_xlsx(data: bytes) -> dict[str, Any]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError):
        raise DomainError("catalogue_unreadable", "Tệp XLSX không đọc được.", status=422) from None
    if SHEET_PROCEDURES not in book.sheetnames:
        raise DomainError(
            "catalogue_unreadable",
            f"Tệp XLSX thiếu trang “{SHEET_PROCEDURES}”.",
            status=422,
        )

    def rows(title: str, columns: list[tuple[str, str]]) -> list[tuple[int, dict[str, Any]]]:
        return _rows(book[title], columns) if title in book.sheetnames else []

    payload: dict[str, Any] = {
        "format": FORMAT,
        "fields": [dict(r, _row=n) for n, r in rows(SHEET_FIELDS, FIELD_COLUMNS)],
        "procedures": [dict(r, _row=n) for n, r in rows(SHEET_PROCEDURES, PROCEDURE_COLUMNS)],
        "_children": {
            "papers": rows(SHEET_PAPERS, PAPER_COLUMNS),
            "steps": rows(SHEET_STEPS, STEP_COLUMNS),
            "fees": rows(SHEET_FEES, FEE_COLUMNS),
        },
    }
    book.close()
    return payload


def parse(data: bytes, *, kind: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Read a catalogue file; returns (fields, procedures) cleaned, or raises
    ``catalogue_invalid`` with every error found."""
    if len(data) > MAX_BYTES:
        raise DomainError("file_too_large", "Tệp danh mục quá lớn (tối đa 10 MB).", status=413)
    kind = kind.lower().lstrip(".")
    if kind == "json":
        payload = _parse_json(data)
    elif kind == "xlsx":
        payload = _parse_xlsx(data)
    else:
        raise DomainError("catalogue_format", "Chỉ nhận tệp JSON hoặc XLSX.", status=415)
    errors = _Errors([])
    is_xlsx = kind == "xlsx"
    where_p = SHEET_PROCEDURES if is_xlsx else "procedures"
    fields: dict[str, str] = {}
    for i, raw in enumerate(payload.get("fields") or []):
        row = raw.get("_row", i + 1) if isinstance(raw, dict) else i + 1
        code = _nfc(raw.get("code")) if isinstance(raw, dict) else ""
        name = _nfc(raw.get("name")) if isinstance(raw, dict) else ""
        if not code or len(code) > 40 or not name:
            errors.add(
                SHEET_FIELDS if is_xlsx else "fields", row, "code", "Thiếu mã hoặc tên lĩnh vực."
            )
            continue
        fields[code] = name[:255]
    raw_procs = payload.get("procedures") or []
    if not isinstance(raw_procs, list) or len(raw_procs) > MAX_PROCEDURES:
        raise DomainError("catalogue_unreadable", "Danh sách thủ tục không hợp lệ.", status=422)
    procedures: list[dict[str, Any]] = []
    by_code: dict[str, dict[str, Any]] = {}
    for i, raw in enumerate(raw_procs):
        row = raw.get("_row", i + 1) if isinstance(raw, dict) else i + 1
        clean = _clean_procedure(raw, where_p, row, errors)
        if not clean:
            continue
        if clean["code"] in by_code:
            errors.add(where_p, row, "code", f"Mã thủ tục {clean['code']} bị trùng trong tệp.")
        by_code[clean["code"]] = clean
        procedures.append(clean)
        if not is_xlsx:
            for key, cleaner, where in (
                ("papers", _clean_paper, "papers"),
                ("steps", _clean_step, "steps"),
                ("fees", _clean_fee, "fees"),
            ):
                items = raw.get(key) or []
                if not isinstance(items, list):
                    errors.add(where_p, row, key, "Phải là một danh sách.")
                    continue
                for j, item in enumerate(items):
                    label = f"{clean['code']}/{key}[{j + 1}]"
                    if not isinstance(item, dict):
                        errors.add(where, label, "", "Dòng không hợp lệ.")
                        continue
                    clean[key].append(cleaner(item, where, label, errors))
    if is_xlsx:
        for key, cleaner, sheet in (
            ("papers", _clean_paper, SHEET_PAPERS),
            ("steps", _clean_step, SHEET_STEPS),
            ("fees", _clean_fee, SHEET_FEES),
        ):
            for row, raw in payload["_children"][key]:
                code = _nfc(raw.get("procedure"))
                target = by_code.get(code)
                if target is None:
                    errors.add(
                        sheet,
                        row,
                        "procedure",
                        f"Mã thủ tục “{code}” không có trong trang “{SHEET_PROCEDURES}”.",
                    )
                    continue
                target[key].append(cleaner(raw, sheet, row, errors))
    known_fields = set(fields) | set(ProcedureField.objects.values_list("code", flat=True))
    for clean in procedures:
        if clean["field"] and clean["field"] not in known_fields:
            errors.add(
                where_p,
                clean["code"],
                "field",
                f"Lĩnh vực “{clean['field']}” chưa có: thêm vào danh sách lĩnh vực.",
            )
    if errors.items:
        raise DomainError(
            "catalogue_invalid",
            f"Tệp danh mục có {len(errors.items)} lỗi; chưa nhập gì.",
            details={"errors": errors.items},
            status=422,
        )
    return [{"code": c, "name": n} for c, n in fields.items()], procedures


# --- import: writing -------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    fields_created: int
    procedures_created: int
    procedures_updated: int


def _replace_children(
    model: Any, procedure: Procedure, items: list[dict[str, Any]], positioned: bool
) -> None:
    existing = list(
        model.objects.filter(procedure=procedure).order_by(
            *(["position", "id"] if positioned else ["id"])
        )
    )
    for index, item in enumerate(items):
        values = dict(item)
        if positioned:
            values["position"] = index + 1
        if index < len(existing):
            row = existing[index]
            for key, value in values.items():
                setattr(row, key, value)
            row.save()
        else:
            model.objects.create(procedure=procedure, **values)
    stale = [row.pk for row in existing[len(items) :]]
    if stale:
        model.objects.filter(pk__in=stale).delete()


def catalogue_import(*, data: bytes, kind: str, actor: Any) -> ImportResult:
    """Import a JSON or XLSX catalogue: all or nothing (see the module docstring)."""
    if not rules.can_manage_catalogue(actor):
        raise PermissionDenied("Chỉ quản trị hệ thống được nhập danh mục thủ tục.")
    fields, procedures = parse(data, kind=kind)
    created_fields = created = updated = 0
    with transaction.atomic():
        for item in fields:
            _obj, made = ProcedureField.objects.update_or_create(
                code=item["code"], defaults={"name": item["name"]}
            )
            created_fields += int(made)
        field_ids = dict(ProcedureField.objects.values_list("code", "id"))
        for item in procedures:
            values = {
                k: v
                for k, v in item.items()
                if k not in ("code", "field", "papers", "steps", "fees")
            }
            values["field_id"] = field_ids[item["field"]]
            procedure, made = Procedure.objects.update_or_create(code=item["code"], defaults=values)
            created += int(made)
            updated += int(not made)
            _replace_children(ProcedurePaper, procedure, item["papers"], positioned=True)
            _replace_children(ProcedureStep, procedure, item["steps"], positioned=True)
            _replace_children(ProcedureFee, procedure, item["fees"], positioned=False)
        audit_record(
            action="procedures.catalogue_import",
            actor=actor,
            changes={
                "format": kind,
                "fields_created": created_fields,
                "procedures_created": created,
                "procedures_updated": updated,
            },
            summary=(
                f"Nhập danh mục thủ tục ({kind.upper()}): {created} thêm mới, {updated} cập nhật"
            ),
        )
    return ImportResult(created_fields, created, updated)
