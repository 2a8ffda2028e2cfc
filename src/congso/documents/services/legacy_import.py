"""Import a legacy register (sổ đăng ký văn bản đến / đi kept in Excel before the platform).

1. ``legacy_upload`` stores the XLSX (kernel.files: type sniffed, size limited).
2. ``legacy_read`` finds the header row and the data rows; ``legacy_guess_mapping`` maps the
   register's fields to columns by their Vietnamese headers, accents and "đ" folded, so
   "Ngay den", "NGÀY ĐẾN" and "Ngày đến" all match; the user may change the mapping.
3. ``legacy_import`` checks every row (dates, required fields, document type, number
   duplicates within the file and against the register, the sequence rule below) and either
   imports all rows in one transaction or nothing, raising ``LegacyImportInvalid`` with the
   report (each bad row and the reason). ``dry_run`` checks without writing.

Sequence rule (docs/decisions/0007-legacy-import.md): imported documents keep their historical
numbers. For each year (and number series) the counter of ``kernel.numbering`` is compared with
the highest number earlier imports brought in: while they are equal, live numbering has not
started in that year and any free number may be imported (the counter is then raised to the
highest imported number, so live numbering continues after it); once the counter is above it,
only free numbers not above the counter may be imported (holes left by an earlier import),
never a number live numbering has yet to give.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from congso.documents.models import (
    Channel,
    DigitizationStatus,
    DocumentType,
    IncomingDocument,
    IncomingStatus,
    OutgoingDocument,
    OutgoingStatus,
    RegisterImport,
    RegisterImportKind,
)
from congso.kernel.audit.services import audit_record
from congso.kernel.errors import DomainError, PermissionDenied
from congso.kernel.files.models import StoredFile
from congso.kernel.orgunits.models import AdminUnit, Department, DepartmentKind
from congso.kernel.people.models import Position, User

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 60
HEADER_SCAN_ROWS = 25
BATCH = 1000
FIRST_YEAR = 1945

SERIES_ARRIVAL = "arrival"


# --- folding and fields ----------------------------------------------------------------------


def fold(text: Any) -> str:
    """Accent-insensitive key: NFD, marks dropped, đ→d, lower case, punctuation as spaces."""
    value = unicodedata.normalize("NFD", str(text or "")).replace("đ", "d").replace("Đ", "D")
    value = "".join(ch for ch in value if not unicodedata.combining(ch)).lower()
    value = re.sub(r"[^a-z0-9/]+", " ", value)
    return " ".join(value.split())


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    required: bool
    aliases: tuple[str, ...]


INCOMING_FIELDS: tuple[Field, ...] = (
    Field("arrived_on", "Ngày đến", True, ("ngay den", "ngay nhan", "ngay vao so")),
    Field("arrival_number", "Số đến", True, ("so den", "so vao so", "so thu tu den")),
    Field(
        "sender",
        "Tác giả (cơ quan ban hành)",
        True,
        ("tac gia", "co quan ban hanh", "noi gui", "co quan gui", "don vi gui", "noi ban hanh"),
    ),
    Field(
        "notation",
        "Số, ký hiệu văn bản",
        False,
        ("so ky hieu van ban", "so ky hieu", "so va ky hieu", "ky hieu", "so hieu van ban"),
    ),
    Field(
        "issued_date",
        "Ngày tháng văn bản",
        False,
        ("ngay thang van ban", "ngay van ban", "ngay ban hanh", "ngay thang", "ngay ky"),
    ),
    Field("type_name", "Tên loại văn bản", False, ("ten loai", "loai van ban", "the loai")),
    Field(
        "subject",
        "Trích yếu nội dung",
        True,
        (
            "ten loai va trich yeu noi dung",
            "ten loai va trich yeu",
            "trich yeu noi dung",
            "trich yeu",
            "noi dung",
        ),
    ),
    Field(
        "recipient",
        "Đơn vị hoặc người nhận",
        False,
        ("don vi hoac nguoi nhan", "don vi nguoi nhan", "nguoi nhan", "don vi nhan", "noi nhan"),
    ),
    Field("transferred_on", "Ngày chuyển", False, ("ngay chuyen", "ngay giao")),
    Field("acknowledged", "Ký nhận", False, ("ky nhan",)),
    Field("note", "Ghi chú", False, ("ghi chu",)),
)

OUTGOING_FIELDS: tuple[Field, ...] = (
    Field(
        "notation",
        "Số, ký hiệu văn bản",
        True,
        ("so ky hieu van ban", "so ky hieu", "so va ky hieu", "ky hieu", "so hieu van ban"),
    ),
    Field(
        "issued_date",
        "Ngày tháng văn bản",
        True,
        ("ngay thang van ban", "ngay van ban", "ngay ban hanh", "ngay thang", "ngay ky"),
    ),
    Field("type_name", "Tên loại văn bản", False, ("ten loai", "loai van ban", "the loai")),
    Field(
        "subject",
        "Trích yếu nội dung",
        True,
        (
            "ten loai va trich yeu noi dung",
            "ten loai va trich yeu",
            "trich yeu noi dung",
            "trich yeu",
            "noi dung",
        ),
    ),
    Field("signer", "Người ký", False, ("nguoi ky", "nguoi ky van ban")),
    Field(
        "recipients",
        "Nơi nhận văn bản",
        False,
        ("noi nhan van ban", "noi nhan", "don vi nhan", "co quan nhan"),
    ),
    Field(
        "archive_copy",
        "Đơn vị, người nhận bản lưu",
        False,
        ("don vi nguoi nhan ban luu", "nguoi nhan ban luu", "ban luu", "noi luu"),
    ),
    Field("copies", "Số lượng bản", False, ("so luong ban", "so ban", "so luong")),
    Field("transferred_on", "Ngày chuyển", False, ("ngay chuyen", "ngay gui")),
    Field("acknowledged", "Ký nhận", False, ("ky nhan",)),
    Field("note", "Ghi chú", False, ("ghi chu",)),
)

FIELDS = {
    RegisterImportKind.INCOMING.value: INCOMING_FIELDS,
    RegisterImportKind.OUTGOING.value: OUTGOING_FIELDS,
}


def fields_for(kind: str) -> tuple[Field, ...]:
    try:
        return FIELDS[kind]
    except KeyError:
        raise DomainError("invalid_register", "Loại sổ không hợp lệ.") from None


# --- reading the workbook --------------------------------------------------------------------


@dataclass
class Sheet:
    headers: list[str]
    header_row: int  # 1-based Excel row of the headers
    rows: list[tuple[int, list[Any]]]  # (Excel row number, cell values)
    sheet_name: str = ""


def _header_score(cells: Sequence[Any]) -> int:
    aliases = {alias for fields in FIELDS.values() for f in fields for alias in f.aliases}
    score = 0
    for cell in cells:
        key = fold(cell)
        if key and (key in aliases or any(alias in key for alias in aliases if len(alias) > 5)):
            score += 1
    return score


_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")


def _is_column_numbers(values: Sequence[Any]) -> bool:
    """The "(1) (2) (3)…" row printed under the headers of a register."""
    cells = [str(v).strip() for v in values if v not in (None, "")]
    return len(cells) >= 3 and all(_COLUMN_NUMBER.match(c) for c in cells)


def legacy_read(stored: StoredFile) -> Sheet:
    """The first sheet's header row (the one among the first rows that looks most like register
    headers) and its data rows. Raises DomainError for a file that is not a readable XLSX."""
    from openpyxl import load_workbook

    from congso.kernel.files.services import file_open

    if stored.kind != "xlsx":
        raise DomainError("import_not_xlsx", "Tệp phải là bảng tính Excel (.xlsx).")
    try:
        with file_open(stored) as handle:
            workbook = load_workbook(handle, read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                raw: list[list[Any]] = []
                for values in sheet.iter_rows(values_only=True):
                    raw.append(list(values[:MAX_COLUMNS]))
                    if len(raw) > MAX_ROWS + HEADER_SCAN_ROWS:
                        raise DomainError(
                            "import_too_many_rows",
                            f"Tệp có quá nhiều dòng (tối đa {MAX_ROWS:,} dòng)".replace(",", ".")
                            + ": hãy chia thành nhiều tệp.",
                        )
                name = sheet.title
            finally:
                workbook.close()
    except DomainError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise DomainError(
            "import_unreadable", "Không đọc được tệp Excel (tệp hỏng hoặc không đúng định dạng)."
        ) from exc
    best, best_row = 0, -1
    for index, values in enumerate(raw[:HEADER_SCAN_ROWS]):
        score = _header_score(values)
        if score > best:
            best, best_row = score, index
    if best < 2:
        raise DomainError(
            "import_no_header",
            "Không tìm thấy dòng tiêu đề cột (ví dụ “Ngày đến”, “Số đến”, “Trích yếu”) "
            f"trong {HEADER_SCAN_ROWS} dòng đầu của trang tính đầu tiên.",
        )
    headers = [
        unicodedata.normalize("NFC", " ".join(str(v).split())) if v is not None else ""
        for v in raw[best_row]
    ]
    while headers and not headers[-1]:
        headers.pop()
    rows: list[tuple[int, list[Any]]] = []
    for index in range(best_row + 1, len(raw)):
        values = raw[index][: len(headers)]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if not rows and _is_column_numbers(values):
            continue
        rows.append((index + 1, values + [None] * (len(headers) - len(values))))
    return Sheet(headers=headers, header_row=best_row + 1, rows=rows, sheet_name=name)


def legacy_guess_mapping(kind: str, headers: Sequence[str]) -> dict[str, int | None]:
    """Field key → column index (or None), from the headers: exact folded matches first, then
    headers that contain an alias (the longest alias wins), each column used once."""
    fields = fields_for(kind)
    folded = [fold(h) for h in headers]
    candidates: list[tuple[int, int, str, int]] = []  # (score, alias length, field, column)
    for f in fields:
        for column, key in enumerate(folded):
            if not key:
                continue
            for alias in f.aliases:
                if key == alias:
                    candidates.append((3, len(alias), f.key, column))
                elif (
                    key.startswith(alias + " ")
                    or key.endswith(" " + alias)
                    or (len(alias) > 6 and alias in key)
                ):
                    candidates.append((2, len(alias), f.key, column))
    candidates.sort(key=lambda c: (-c[0], -c[1], c[3]))
    mapping: dict[str, int | None] = {f.key: None for f in fields}
    used: set[int] = set()
    for _score, _length, key, column in candidates:
        if mapping[key] is None and column not in used:
            mapping[key] = column
            used.add(column)
    return mapping


# --- checking rows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int  # Excel row number (0: the whole file)
    field: str
    value: str
    message: str


@dataclass
class Report:
    kind: str
    total_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unknown_types: dict[str, int] = field(default_factory=dict)  # raw value → rows
    years: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors if e.row})

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "total_rows": self.total_rows,
            "bad_rows": self.bad_rows,
            "errors": [e.__dict__ for e in self.errors],
            "warnings": self.warnings,
            "unknown_types": self.unknown_types,
            "years": self.years,
        }


class LegacyImportInvalid(DomainError):
    """Nothing was imported; ``report`` lists every bad row."""

    def __init__(self, report: Report):
        general = [e.message for e in report.errors if not e.row]
        if general:
            message = "Không nhập: " + " ".join(general)
        else:
            message = (
                f"Không nhập: {report.bad_rows} dòng có lỗi trên tổng số {report.total_rows} "
                "dòng. Sửa tệp hoặc cách ghép cột rồi thử lại."
            )
        super().__init__("legacy_import_invalid", message, details=report.as_dict(), status=422)
        self.report = report


@dataclass
class Parsed:
    row: int
    year: int
    number: int
    document_type: DocumentType
    subject: str
    series: str = SERIES_ARRIVAL
    values: dict[str, Any] = field(default_factory=dict)


def _text(value: Any, limit: int | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    text = unicodedata.normalize("NFC", " ".join(str(value).split()))
    return text[:limit] if limit else text


_DATE_TEXT = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_TEXT = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")


def parse_date(value: Any) -> dt.date | None:
    """A cell as a date: an Excel date, "05/03/2026", "5-3-2026", "2026-03-05", or an Excel
    serial number. None for an empty cell; ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value <= 2958465:
            from openpyxl.utils.datetime import from_excel

            converted = from_excel(value)
            if isinstance(converted, dt.datetime):
                return converted.date()
            if isinstance(converted, dt.date):
                return converted
        raise ValueError(value)
    text = str(value).strip()
    match = _DATE_TEXT.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    match = _ISO_TEXT.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    raise ValueError(text)


def parse_number(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = str(value or "").strip()
        if not re.fullmatch(r"\d{1,9}", text):
            raise ValueError(text)
        number = int(text)
    if number < 1:
        raise ValueError(value)
    return number


_NOTATION_NUMBER = re.compile(r"^\s*(\d{1,9})\s*[/-]")


def notation_number(notation: str) -> int | None:
    match = _NOTATION_NUMBER.match(notation or "")
    return int(match.group(1)) if match else None


class _Types:
    """Resolve a document type from a type cell, the subject's first words or the notation."""

    def __init__(self, type_mapping: Mapping[str, Any]):
        types = list(DocumentType.objects.all())
        self.by_id = {t.pk: t for t in types}
        self.by_name = {fold(t.name): t for t in types}
        self.by_abbreviation = {fold(t.abbreviation): t for t in types if t.abbreviation}
        self.names_longest_first = sorted(self.by_name.items(), key=lambda kv: -len(kv[0]))
        self.letter = next((t for t in types if t.is_letter), None)
        self.mapping: dict[str, DocumentType | None] = {}
        for raw, target in (type_mapping or {}).items():
            key = fold(raw)
            if target in (None, "", "refuse"):
                continue
            try:
                chosen = self.by_id.get(int(target))
            except (TypeError, ValueError):
                chosen = None
            if chosen is not None:
                self.mapping[key] = chosen

    def from_cell(self, raw: str) -> DocumentType | None:
        key = fold(raw)
        return self.mapping.get(key) or self.by_name.get(key) or self.by_abbreviation.get(key)

    def split_subject(self, subject: str) -> tuple[DocumentType | None, str]:
        """ "Quyết định về việc …" → (Quyết định, "về việc …")."""
        folded = fold(subject)
        for name, doc_type in self.names_longest_first:
            if folded == name or folded.startswith(name + " "):
                words = len(doc_type.name.split())
                rest = " ".join(subject.split()[words:]).lstrip(":-–, ")
                return doc_type, rest or subject
        return None, subject

    def from_notation(self, notation: str) -> DocumentType | None:
        """ "15/QĐ-UBND" → Quyết định; "123/UBND-VP" → Công văn (no type in the symbol)."""
        if "/" not in notation:
            return None
        symbol = notation.split("/")[-1]
        first = fold(symbol.split("-")[0])
        if not first:
            return None
        return self.by_abbreviation.get(first) or self.letter


def _default_department(unit: AdminUnit, notation: str) -> Department | None:
    departments = list(Department.objects.filter(unit=unit, is_active=True))
    symbol = notation.split("/")[-1] if notation else ""
    last = fold(symbol.split("-")[-1]) if "-" in symbol else ""
    for department in departments:
        if last and fold(department.abbreviation) == last:
            return department
    for department in departments:
        if department.kind == DepartmentKind.OFFICE:
            return department
    return departments[0] if departments else None


def _signers(unit: AdminUnit) -> dict[str, User]:
    users = User.objects.filter(pk__in=Position.objects.filter(unit=unit).values("user_id")).only(
        "pk", "full_name", "username"
    )
    return {fold(u.full_name): u for u in users if u.full_name}


def _parse_rows(
    *,
    kind: str,
    unit: AdminUnit,
    sheet: Sheet,
    mapping: Mapping[str, int | None],
    type_mapping: Mapping[str, Any],
    report: Report,
    today: dt.date,
) -> list[Parsed]:
    fields = fields_for(kind)
    labels = {f.key: f.label for f in fields}
    for f in fields:
        if f.required and mapping.get(f.key) is None:
            report.errors.append(
                RowError(0, f.label, "", f"Chưa ghép cột cho trường bắt buộc “{f.label}”.")
            )
    columns = [c for c in mapping.values() if c is not None]
    if len(columns) != len(set(columns)):
        report.errors.append(RowError(0, "", "", "Một cột được ghép cho nhiều trường."))
    if any(c >= len(sheet.headers) or c < 0 for c in columns):
        report.errors.append(RowError(0, "", "", "Cách ghép cột không khớp với tệp."))
    if report.errors:
        return []
    types = _Types(type_mapping)
    parsed: list[Parsed] = []
    for row_number, values in sheet.rows:
        cell = {key: (values[col] if col is not None else None) for key, col in mapping.items()}
        errors: list[RowError] = []

        def bad(
            key: str,
            message: str,
            raw: Any = None,
            row: int = row_number,
            sink: list[RowError] = errors,
        ) -> None:
            sink.append(RowError(row, labels[key], _text(raw, 60), message))

        dates: dict[str, dt.date | None] = {}
        for key in ("arrived_on", "issued_date", "transferred_on"):
            if key not in labels:
                continue
            try:
                dates[key] = parse_date(cell.get(key))
            except (ValueError, OverflowError):
                bad(key, "Ngày không hợp lệ (dùng dd/mm/yyyy).", cell.get(key))
                dates[key] = None
                continue
            day = dates[key]
            if day is not None and not (dt.date(FIRST_YEAR, 1, 1) <= day <= today):
                bad(key, "Ngày nằm ngoài khoảng cho phép (không được sau hôm nay).", day)
                dates[key] = None
        subject = _text(cell.get("subject"), 500)
        notation = _text(cell.get("notation"), 60)
        if kind == RegisterImportKind.INCOMING:
            main_day = dates.get("arrived_on")
            if main_day is None and not any(e.field == labels["arrived_on"] for e in errors):
                bad("arrived_on", "Thiếu ngày đến.")
            number: int | None = None
            try:
                number = parse_number(cell.get("arrival_number"))
            except ValueError:
                bad("arrival_number", "Số đến phải là số nguyên dương.", cell.get("arrival_number"))
            sender = _text(cell.get("sender"), 200)
            if not sender:
                bad("sender", "Thiếu tác giả (cơ quan ban hành).")
        else:
            main_day = dates.get("issued_date")
            if main_day is None and not any(e.field == labels["issued_date"] for e in errors):
                bad("issued_date", "Thiếu ngày tháng văn bản.")
            number = notation_number(notation)
            if not notation:
                bad("notation", "Thiếu số, ký hiệu văn bản.")
            elif number is None or number < 1:
                bad(
                    "notation",
                    "Số, ký hiệu không bắt đầu bằng số văn bản (ví dụ 15/QĐ-UBND).",
                    notation,
                )
        # Document type: its own column, else the subject's first words, else the notation.
        doc_type: DocumentType | None = None
        raw_type = _text(cell.get("type_name"), 100)
        if raw_type:
            doc_type = types.from_cell(raw_type)
            if doc_type is None:
                report.unknown_types[raw_type] = report.unknown_types.get(raw_type, 0) + 1
                bad(
                    "type_name",
                    "Tên loại văn bản không có trong danh mục: hãy ghép với một "
                    "loại văn bản hoặc sửa tệp.",
                    raw_type,
                )
        elif subject:
            doc_type, subject = types.split_subject(subject)
            if doc_type is None:
                doc_type = types.from_notation(notation)
            if doc_type is None:
                fallback = types.mapping.get("")
                if fallback is not None:
                    doc_type = fallback
                else:
                    report.unknown_types[""] = report.unknown_types.get("", 0) + 1
                    bad(
                        "subject",
                        "Không xác định được tên loại văn bản (không có cột tên "
                        "loại, trích yếu và ký hiệu không cho biết).",
                        subject,
                    )
        if not subject:
            bad("subject", "Thiếu trích yếu nội dung.")
        if errors or main_day is None or number is None or doc_type is None:
            report.errors.extend(errors)
            continue
        parsed.append(
            Parsed(
                row=row_number,
                year=main_day.year,
                number=number,
                document_type=doc_type,
                subject=subject,
                values={
                    "day": main_day,
                    "notation": notation,
                    "issued_date": dates.get("issued_date"),
                    "transferred_on": dates.get("transferred_on"),
                    "sender": _text(cell.get("sender"), 200),
                    "recipient": _text(cell.get("recipient"), 300),
                    "recipients": _text(cell.get("recipients"), 2000),
                    "signer": _text(cell.get("signer"), 100),
                    "archive_copy": _text(cell.get("archive_copy"), 200),
                    "copies": cell.get("copies"),
                    "note": _text(cell.get("note"), 300),
                },
            )
        )
    return parsed


# --- the import ------------------------------------------------------------------------------


def _scope(unit: AdminUnit) -> str:
    return f"unit:{unit.pk}"


def _legacy_max(unit: AdminUnit, kind: str) -> dict[tuple[int, str], int]:
    """The highest number earlier imports brought in, by (year, series)."""
    out: dict[tuple[int, str], int] = {}
    for years in RegisterImport.objects.filter(unit=unit, kind=kind).values_list(
        "years", flat=True
    ):
        for item in years or []:
            key = (int(item["year"]), str(item["series"]))
            out[key] = max(out.get(key, 0), int(item["max"]))
    return out


def _outgoing_series(unit: AdminUnit, document_type: DocumentType) -> str:
    """The series the outgoing area numbers such a document in (its own rule)."""
    try:
        from congso.documents.services.outgoing import outgoing_series
    except ImportError:  # the outgoing area not installed: one series per type
        abbreviation = document_type.abbreviation
        return f"outgoing:{abbreviation}" if abbreviation else "outgoing:letter"
    probe = OutgoingDocument(unit=unit, document_type=document_type, secrecy=0)
    return str(outgoing_series(probe))


def _check_numbers(
    *, kind: str, unit: AdminUnit, parsed: list[Parsed], report: Report, labels: Mapping[str, str]
) -> dict[tuple[int, str], tuple[int, int]]:
    """Duplicates in the file and in the register, and the sequence rule. Locks each year's
    counter (inside the caller's transaction) and returns {(year, series): (counter, max)}."""
    from congso.kernel.numbering.services import number_raise_to

    key_label = (
        labels["arrival_number"] if kind == RegisterImportKind.INCOMING else labels["notation"]
    )
    seen: dict[tuple[int, str, int], int] = {}
    groups: dict[tuple[int, str], list[Parsed]] = defaultdict(list)
    for item in parsed:
        key = (item.year, item.series, item.number)
        if key in seen:
            report.errors.append(
                RowError(
                    item.row,
                    key_label,
                    str(item.number),
                    f"Số {item.number:02d} năm {item.year} trùng với dòng {seen[key]}.",
                )
            )
            continue
        seen[key] = item.row
        groups[(item.year, item.series)].append(item)
    legacy = _legacy_max(unit, kind)
    state: dict[tuple[int, str], tuple[int, int]] = {}
    for (year, series), items in sorted(groups.items()):
        counter = number_raise_to(scope=_scope(unit), series=series, year=year, at_least=0)
        numbers = [i.number for i in items]
        if kind == RegisterImportKind.INCOMING:
            taken = set(
                IncomingDocument.objects.filter(
                    unit=unit, arrival_year=year, arrival_series=series, arrival_number__in=numbers
                ).values_list("arrival_number", flat=True)
            )
        else:
            taken = {
                n
                for n in OutgoingDocument.objects.filter(
                    unit=unit, year=year, series=series, number__in=numbers
                ).values_list("number", flat=True)
                if n is not None
            }
        live_started = counter > legacy.get((year, series), 0)
        for item in items:
            if item.number in taken:
                report.errors.append(
                    RowError(
                        item.row,
                        key_label,
                        str(item.number),
                        f"Số {item.number:02d} năm {year} đã có trong sổ của hệ thống.",
                    )
                )
            elif live_started and item.number > counter:
                report.errors.append(
                    RowError(
                        item.row,
                        key_label,
                        str(item.number),
                        f"Năm {year} đã bắt đầu cấp số trong hệ thống (đến số {counter:02d}): "
                        f"chỉ nhập được các số còn trống không lớn hơn {counter:02d}.",
                    )
                )
        state[(year, series)] = (counter, max(numbers))
    return state


def _gap_warnings(
    *,
    kind: str,
    unit: AdminUnit,
    state: Mapping[tuple[int, str], tuple[int, int]],
    parsed: list[Parsed],
    report: Report,
) -> None:
    by_group: dict[tuple[int, str], set[int]] = defaultdict(set)
    for item in parsed:
        by_group[(item.year, item.series)].add(item.number)
    for (year, series), numbers in sorted(by_group.items()):
        top = max(state[(year, series)][0], max(numbers))
        if kind == RegisterImportKind.INCOMING:
            existing = set(
                IncomingDocument.objects.filter(
                    unit=unit, arrival_year=year, arrival_series=series, arrival_number__lte=top
                ).values_list("arrival_number", flat=True)
            )
        else:
            existing = {
                n
                for n in OutgoingDocument.objects.filter(
                    unit=unit, year=year, series=series, number__lte=top
                ).values_list("number", flat=True)
                if n is not None
            }
        missing = sorted(set(range(1, top + 1)) - existing - numbers)
        if missing:
            shown = ", ".join(f"{n:02d}" for n in missing[:30])
            more = f" và {len(missing) - 30} số khác" if len(missing) > 30 else ""
            report.warnings.append(
                f"Năm {year}: sổ còn thiếu {len(missing)} số ({shown}{more}). Có thể nhập bổ "
                "sung các số này sau."
            )


def _incoming_rows(unit: AdminUnit, user: Any, parsed: list[Parsed]) -> Iterable[IncomingDocument]:
    tz = timezone.get_current_timezone()
    for item in parsed:
        v = item.values
        notes = []
        if v["recipient"]:
            notes.append(f"Đơn vị, người nhận: {v['recipient']}")
        if v["transferred_on"]:
            notes.append(f"Ngày chuyển: {v['transferred_on']:%d/%m/%Y}")
        if v["note"]:
            notes.append(v["note"])
        notes.append("Nhập từ sổ cũ")
        number, _slash, symbol = v["notation"].partition("/")
        yield IncomingDocument(
            unit=unit,
            arrival_year=item.year,
            arrival_number=item.number,
            arrival_series=item.series,
            arrived_at=dt.datetime.combine(v["day"], dt.time(8, 0), tzinfo=tz),
            channel=Channel.PAPER,
            sender_name=v["sender"],
            document_type=item.document_type,
            notation=v["notation"],
            code_number=number.strip()[:11] if symbol else "",
            code_notation=symbol.strip()[:40],
            issued_date=v["issued_date"],
            subject=item.subject,
            status=IncomingStatus.DONE,
            digitization_status=DigitizationStatus.NO_FILE,
            note="; ".join(notes)[:500],
            registered_by=user,
        )


def _copies(value: Any) -> int:
    try:
        copies = parse_number(value)
    except ValueError:
        return 1
    return min(copies, 32000)


def _outgoing_rows(unit: AdminUnit, user: Any, parsed: list[Parsed]) -> Iterable[OutgoingDocument]:
    signers = _signers(unit)
    tz = timezone.get_current_timezone()
    for item in parsed:
        v = item.values
        department = v["department"]
        signer = signers.get(fold(v["signer"])) if v["signer"] else None
        yield OutgoingDocument(
            unit=unit,
            department=department,
            document_type=item.document_type,
            subject=item.subject,
            status=OutgoingStatus.ISSUED,
            year=item.year,
            series=item.series,
            number=item.number,
            notation=v["notation"],
            issued_date=v["day"],
            issued_at=dt.datetime.combine(v["day"], dt.time(8, 0), tzinfo=tz),
            issued_by=user,
            signer=signer,
            signer_title="" if signer else v["signer"],
            copies=_copies(v["copies"]),
            recipients_text=v["recipients"],
            archive_copy_to=v["archive_copy"],
            created_by=user,
            digitization_status=DigitizationStatus.NO_FILE,
        )


def legacy_upload(*, user: Any, unit: AdminUnit, upload: Any) -> StoredFile:
    """Keep the uploaded register (XLSX only) for the mapping step."""
    from congso.documents.services.registers import can_import_registers
    from congso.kernel.files.services import file_store

    if not can_import_registers(user, unit):
        raise PermissionDenied("Chỉ văn thư, quản trị của cơ quan được nhập sổ cũ.")
    with transaction.atomic():
        return file_store(
            upload=upload, unit=unit, user=user, allowed_types=["xlsx"], max_bytes=MAX_BYTES
        )


def legacy_import(
    *,
    user: Any,
    unit: AdminUnit,
    kind: str,
    source: StoredFile,
    mapping: Mapping[str, int | None],
    type_mapping: Mapping[str, Any] | None = None,
    dry_run: bool = False,
) -> tuple[Report, RegisterImport | None]:
    """Check every row, then import all of them in one transaction, or none.

    Raises ``LegacyImportInvalid`` (code ``legacy_import_invalid``, the report in ``details``)
    when any row is bad. With ``dry_run`` the rows are checked (numbers against the register
    too) and nothing is written. Returns the report and the import record.
    """
    from congso.documents.services.registers import can_import_registers
    from congso.kernel.numbering.services import number_raise_to

    if not can_import_registers(user, unit):
        raise PermissionDenied("Chỉ văn thư, quản trị của cơ quan được nhập sổ cũ.")
    if source.unit_id != unit.pk:
        raise PermissionDenied("Tệp không thuộc cơ quan này.")
    fields = fields_for(kind)
    labels = {f.key: f.label for f in fields}
    clean_mapping = {f.key: mapping.get(f.key) for f in fields}
    sheet = legacy_read(source)
    report = Report(kind=kind, total_rows=len(sheet.rows))
    if not sheet.rows:
        report.errors.append(RowError(0, "", "", "Tệp không có dòng dữ liệu nào."))
        raise LegacyImportInvalid(report)
    today = timezone.localdate()
    parsed = _parse_rows(
        kind=kind,
        unit=unit,
        sheet=sheet,
        mapping=clean_mapping,
        type_mapping=type_mapping or {},
        report=report,
        today=today,
    )
    if kind == RegisterImportKind.OUTGOING:
        for item in parsed:
            item.series = _outgoing_series(unit, item.document_type)
            item.values["department"] = _default_department(unit, item.values["notation"])
            if item.values["department"] is None:
                report.errors.append(
                    RowError(
                        item.row,
                        labels["notation"],
                        item.values["notation"],
                        "Cơ quan chưa có phòng, ban nào để ghi đơn vị soạn thảo.",
                    )
                )
    record: RegisterImport | None = None
    with transaction.atomic():
        # Lock order (ADR 0003): the counters first, the audit log last.
        state = _check_numbers(kind=kind, unit=unit, parsed=parsed, report=report, labels=labels)
        if report.errors:
            report.errors.sort(key=lambda e: (e.row, e.field))
            transaction.set_rollback(True)
            raise LegacyImportInvalid(report)
        _gap_warnings(kind=kind, unit=unit, state=state, parsed=parsed, report=report)
        report.years = [
            {
                "year": year,
                "series": series,
                "count": sum(1 for p in parsed if (p.year, p.series) == (year, series)),
                "min": min(p.number for p in parsed if (p.year, p.series) == (year, series)),
                "max": top,
                "counter_before": counter,
            }
            for (year, series), (counter, top) in sorted(state.items())
        ]
        if dry_run:
            transaction.set_rollback(True)
            return report, None
        rows = (
            _incoming_rows(unit, user, parsed)
            if kind == RegisterImportKind.INCOMING
            else _outgoing_rows(unit, user, parsed)
        )
        model: Any = IncomingDocument if kind == RegisterImportKind.INCOMING else OutgoingDocument
        batch: list[Any] = []
        for document in rows:
            batch.append(document)
            if len(batch) >= BATCH:
                model.objects.bulk_create(batch)
                batch = []
        if batch:
            model.objects.bulk_create(batch)
        for (year, series), (_counter, top) in state.items():
            number_raise_to(scope=_scope(unit), series=series, year=year, at_least=top)
        record = RegisterImport.objects.create(
            unit=unit,
            kind=kind,
            source=source,
            mapping={k: v for k, v in clean_mapping.items() if v is not None},
            years=report.years,
            row_count=len(parsed),
            imported_by=user,
        )
        audit_record(
            action="documents.legacy_import",
            obj=record,
            actor=user,
            unit=unit,
            changes={"rows": [None, len(parsed)], "years": [None, report.years]},
            summary=f"Nhập {len(parsed)} văn bản từ {record.get_kind_display().lower()} cũ "
            f"(tệp {source.original_name})",
        )
    return report, record
