"""Site clearance workflow: one ``transaction.atomic()`` per service, audited, timeline event.

Rules (Land Law 2024 Art. 87–94, vietnam-rules.md §7; the [M] periods are settings):

- A party moves through ``Step`` one step at a time, in order; each step has a date that is not
  before the previous step's date and not in the future.
- The compensation plan is posted publicly for ``CLEARANCE_POSTING_DAYS`` (30) days before it may
  be approved; the approval carries the approved amount (VND, whole đồng).
- The recovery decision comes at least ``CLEARANCE_NOTICE_DAYS`` after the notice: 90 days for
  agricultural land, 180 for non-agricultural land.
- Payment is due within ``CLEARANCE_PAYMENT_DAYS`` (30) days of the approval (late payment is
  shown as overdue, not refused); the amount paid may not exceed the approved amount.
- Forced inventory (kiểm đếm bắt buộc) replaces the inventory step of a notified party with an
  open obstacle; forced recovery (cưỡng chế thu hồi đất) hands over the land of a party that has
  the recovery decision (paid or not, e.g. money deposited) and an open obstacle. Both are
  decisions of the leaders.
- Step changes need the project open (planning or in progress); the first notice starts it. A
  project is completed only when every party has handed over.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from congso.kernel.audit.services import audit_record
from congso.kernel.errors import DomainError, PermissionDenied
from congso.kernel.numbering.services import number_next
from congso.kernel.orgunits.models import AdminUnit
from congso.urban import geo
from congso.urban.clearance import rules
from congso.urban.clearance.models import (
    STEP_DATE_FIELDS,
    AffectedParty,
    ClearanceEvent,
    ClearanceObstacle,
    ClearanceProject,
    EventKind,
    LandType,
    ObstacleReason,
    PartyKind,
    ProjectStatus,
    Step,
)

# --- settings ---------------------------------------------------------------------------------


def notice_days(land_type: str) -> int:
    configured: dict[str, int] = getattr(settings, "CLEARANCE_NOTICE_DAYS", None) or {}
    default: dict[str, int] = {"agricultural": 90, "non_agricultural": 180}
    return int(configured.get(land_type, default.get(land_type, 180)))


def posting_days() -> int:
    return int(getattr(settings, "CLEARANCE_POSTING_DAYS", 30))


def payment_days() -> int:
    return int(getattr(settings, "CLEARANCE_PAYMENT_DAYS", 30))


def import_max_rows() -> int:
    return int(getattr(settings, "CLEARANCE_IMPORT_MAX_ROWS", 5000))


# --- helpers ----------------------------------------------------------------------------------


def nfc(text: Any) -> str:
    return unicodedata.normalize("NFC", str(text or "")).strip()


def project_url(project: ClearanceProject | int) -> str:
    pk = project if isinstance(project, int) else project.pk
    return reverse("urban_clearance:project_detail", args=[pk])


def party_url(party: AffectedParty) -> str:
    return reverse("urban_clearance:party_detail", args=[party.project_id, party.pk])


def _today() -> dt.date:
    return timezone.localdate()


def _require(ok: bool, message: str = "") -> None:
    if not ok:
        raise PermissionDenied(message or "Bạn không có quyền thực hiện thao tác này.")


def _decimal(value: Any, *, field: str, places: int = 2, allow_none: bool = False) -> Any:
    if value in (None, ""):
        if allow_none:
            return None
        raise DomainError(f"{field}_required", f"Chưa nhập {LABELS[field]}.")
    try:
        if isinstance(value, str):
            # Vietnamese style "1.234.567,5" or plain "1234567.5".
            text = value.strip().replace(" ", "")
            if "," in text:
                text = text.replace(".", "").replace(",", ".")
            elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):  # 2.500 = 2500 (Vietnamese)
                text = text.replace(".", "")
            number = Decimal(text)
        else:
            number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(f"{field}_invalid", f"{LABELS[field].capitalize()} phải là số.") from exc
    if not number.is_finite() or number < 0:
        raise DomainError(f"{field}_invalid", f"{LABELS[field].capitalize()} phải là số không âm.")
    return number.quantize(Decimal(1).scaleb(-places))


LABELS = {
    "area": "diện tích (m²)",
    "amount": "số tiền (đồng)",
}


def _event(
    project: ClearanceProject,
    kind: str,
    *,
    on: dt.date,
    actor: Any,
    party: AffectedParty | None = None,
    step: int | None = None,
    amount: Decimal | None = None,
    note: str = "",
) -> ClearanceEvent:
    return ClearanceEvent.objects.create(
        project=project,
        party=party,
        kind=kind,
        step=step,
        on=on,
        amount=amount,
        note=note,
        actor=actor if getattr(actor, "pk", None) else None,
    )


def _enqueue(project: ClearanceProject) -> None:
    from congso.kernel.search.services import search_enqueue_many

    search_enqueue_many("project", [project.pk])


# --- projects ---------------------------------------------------------------------------------


@dataclass
class ProjectData:
    name: str
    start_date: dt.date
    investor: str = ""
    purpose: str = ""
    area_m2: Any = Decimal("0")
    address: str = ""
    lat: Any = None
    lon: Any = None
    boundary: Any = None
    target_date: dt.date | None = None


def _clean_project(unit: AdminUnit, data: ProjectData) -> dict[str, Any]:
    name = nfc(data.name)
    if not name:
        raise DomainError("name_required", "Chưa nhập tên dự án.")
    if len(name) > 300:
        raise DomainError("name_too_long", "Tên dự án dài quá 300 ký tự.")
    if data.start_date is None:
        raise DomainError("start_date_required", "Chưa nhập ngày bắt đầu.")
    if data.target_date is not None and data.target_date < data.start_date:
        raise DomainError(
            "target_before_start", "Ngày hoàn thành dự kiến không được trước ngày bắt đầu."
        )
    boundary = geo.validate_geometry(data.boundary) if data.boundary else None
    lat: Decimal | None = None
    lon: Decimal | None = None
    if data.lat not in (None, "") or data.lon not in (None, ""):
        la, lo = geo.clean_point(data.lat, data.lon)
        geo.check_location(la, lo, unit)
        lat, lon = Decimal(f"{la:.6f}"), Decimal(f"{lo:.6f}")
    elif boundary is not None:
        box = geo.geometry_bbox(boundary)
        assert box is not None
        lat = Decimal(f"{(box[0] + box[2]) / 2:.6f}")
        lon = Decimal(f"{(box[1] + box[3]) / 2:.6f}")
    return {
        "name": name,
        "investor": nfc(data.investor)[:300],
        "purpose": nfc(data.purpose),
        "area_m2": _decimal(data.area_m2 if data.area_m2 not in (None, "") else 0, field="area"),
        "address": nfc(data.address)[:300],
        "lat": lat,
        "lon": lon,
        "boundary": boundary,
        "start_date": data.start_date,
        "target_date": data.target_date,
    }


def project_create(*, unit: AdminUnit, actor: Any, data: ProjectData) -> ClearanceProject:
    _require(rules.can_edit(actor, unit), "Chỉ chuyên viên, lãnh đạo phường được lập dự án GPMB.")
    fields = _clean_project(unit, data)
    with transaction.atomic():
        year = data.start_date.year
        number = number_next(scope=f"urban_clearance:{unit.pk}", series="project", year=year)
        project = ClearanceProject.objects.create(
            unit=unit,
            code=f"GPMB-{year}-{number:03d}",
            created_by=actor if getattr(actor, "pk", None) else None,
            **fields,
        )
        _event(project, EventKind.PROJECT_CREATED, on=_today(), actor=actor)
        audit_record(
            action="clearance.project_create",
            obj=project,
            actor=actor,
            summary=f"Lập dự án GPMB {project.code} {project.name}",
        )
        _enqueue(project)
    return project


def project_update(*, project: ClearanceProject, actor: Any, data: ProjectData) -> ClearanceProject:
    _require(rules.can_edit(actor, project.unit_id))
    fields = _clean_project(project.unit, data)
    with transaction.atomic():
        locked = ClearanceProject.objects.select_for_update().get(pk=project.pk)
        changes = {
            k: [str(getattr(locked, k)), str(v)]
            for k, v in fields.items()
            if getattr(locked, k) != v
        }
        if not changes:
            return locked
        for key, value in fields.items():
            setattr(locked, key, value)
        locked.save()
        _event(
            locked,
            EventKind.PROJECT_UPDATED,
            on=_today(),
            actor=actor,
            note=", ".join(sorted(changes)),
        )
        audit_record(
            action="clearance.project_update",
            obj=locked,
            actor=actor,
            changes={k: v for k, v in changes.items() if k != "boundary"},
            summary=f"Sửa dự án GPMB {locked.code}",
        )
        _enqueue(locked)
    return locked


#: Allowed project status changes (to → from).
PROJECT_TRANSITIONS: dict[str, frozenset[str]] = {
    ProjectStatus.IN_PROGRESS: frozenset({ProjectStatus.PLANNING, ProjectStatus.SUSPENDED}),
    ProjectStatus.SUSPENDED: frozenset({ProjectStatus.PLANNING, ProjectStatus.IN_PROGRESS}),
    ProjectStatus.COMPLETED: frozenset({ProjectStatus.IN_PROGRESS}),
    ProjectStatus.CANCELLED: frozenset(
        {ProjectStatus.PLANNING, ProjectStatus.IN_PROGRESS, ProjectStatus.SUSPENDED}
    ),
}


def project_set_status(
    *,
    project: ClearanceProject,
    status: str,
    actor: Any,
    on: dt.date | None = None,
    note: str = "",
) -> ClearanceProject:
    """Start, suspend, resume, complete or cancel a project (leaders)."""
    _require(
        rules.can_decide(actor, project.unit_id),
        "Chỉ lãnh đạo phường được đổi trạng thái dự án GPMB.",
    )
    on = on or _today()
    if on > _today():
        raise DomainError("date_in_future", "Ngày không được sau hôm nay.")
    note = nfc(note)
    with transaction.atomic():
        locked = ClearanceProject.objects.select_for_update().get(pk=project.pk)
        allowed = PROJECT_TRANSITIONS.get(status)
        if allowed is None or locked.status not in allowed:
            raise DomainError(
                "status_not_allowed",
                f"Không thể chuyển dự án từ “{locked.get_status_display()}” sang "
                f"“{ProjectStatus(status).label if status in ProjectStatus.values else status}”.",
            )
        if status in (ProjectStatus.SUSPENDED, ProjectStatus.CANCELLED) and not note:
            raise DomainError("reason_required", "Cần ghi lý do tạm dừng hoặc hủy bỏ dự án.")
        if status == ProjectStatus.COMPLETED:
            left = locked.parties.exclude(step=Step.HANDED_OVER).count()
            if left:
                raise DomainError(
                    "parties_not_handed_over",
                    f"Còn {left} hộ/tổ chức chưa bàn giao mặt bằng, chưa thể hoàn thành dự án.",
                    details={"remaining": left},
                )
            last = (
                locked.parties.order_by("-handed_over_on")
                .values_list("handed_over_on", flat=True)
                .first()
            )
            if last is not None and on < last:
                raise DomainError(
                    "date_before_previous_step",
                    f"Ngày hoàn thành không được trước ngày bàn giao cuối cùng ({last:%d/%m/%Y}).",
                )
            locked.completed_on = on
        old = locked.status
        locked.status = status
        locked.status_note = note
        locked.save(update_fields=["status", "status_note", "completed_on", "updated_at"])
        _event(
            locked,
            EventKind.PROJECT_STATUS,
            on=on,
            actor=actor,
            note=note or locked.get_status_display(),
        )
        audit_record(
            action="clearance.project_status",
            obj=locked,
            actor=actor,
            changes={"status": [old, status]},
            summary=f"Dự án GPMB {locked.code}: {locked.get_status_display()}",
        )
        _enqueue(locked)
    return locked


# --- parties ----------------------------------------------------------------------------------


@dataclass
class PartyData:
    code: str
    name: str
    kind: str = PartyKind.HOUSEHOLD
    address: str = ""
    parcel: str = ""
    land_type: str = LandType.NON_AGRICULTURAL
    area_m2: Any = Decimal("0")
    note: str = ""


def _clean_party(data: PartyData) -> dict[str, Any]:
    errors: list[str] = []
    code = nfc(data.code)
    name = nfc(data.name)
    if not code:
        errors.append("Chưa nhập mã hộ.")
    elif len(code) > 30:
        errors.append("Mã hộ dài quá 30 ký tự.")
    if not name:
        errors.append("Chưa nhập tên hộ/tổ chức.")
    elif len(name) > 200:
        errors.append("Tên hộ/tổ chức dài quá 200 ký tự.")
    if data.kind not in PartyKind.values:
        errors.append("Loại phải là “hộ gia đình” hoặc “tổ chức”.")
    if data.land_type not in LandType.values:
        errors.append("Loại đất phải là “nông nghiệp” hoặc “phi nông nghiệp”.")
    area: Decimal | None = None
    try:
        area = _decimal(data.area_m2, field="area")
    except DomainError as exc:
        errors.append(exc.message)
    if errors:
        raise DomainError("party_invalid", " ".join(errors), details={"errors": errors})
    return {
        "code": code,
        "name": name,
        "kind": data.kind,
        "address": nfc(data.address)[:300],
        "parcel": nfc(data.parcel)[:100],
        "land_type": data.land_type,
        "area_m2": area,
        "note": nfc(data.note),
    }


def _check_project_open(project: ClearanceProject) -> None:
    if project.status not in (ProjectStatus.PLANNING, ProjectStatus.IN_PROGRESS):
        raise DomainError(
            "project_not_active",
            f"Dự án đang ở trạng thái “{project.get_status_display()}”, không ghi nhận thêm.",
        )


def party_add(*, project: ClearanceProject, actor: Any, data: PartyData) -> AffectedParty:
    _require(rules.can_edit(actor, project.unit_id))
    fields = _clean_party(data)
    with transaction.atomic():
        locked = ClearanceProject.objects.select_for_update().get(pk=project.pk)
        _check_project_open(locked)
        if locked.parties.filter(code=fields["code"]).exists():
            raise DomainError("party_code_taken", f"Mã hộ {fields['code']} đã có trong dự án.")
        party = AffectedParty.objects.create(project=locked, **fields)
        _event(locked, EventKind.PARTY_ADDED, on=_today(), actor=actor, party=party)
        audit_record(
            action="clearance.party_add",
            obj=party,
            actor=actor,
            unit=locked.unit,
            summary=f"Thêm {party.code} {party.name} vào dự án {locked.code}",
        )
    return party


# --- import from XLSX ---------------------------------------------------------------------------

#: Expected columns (header text, normalised lower-case without diacritics → field).
IMPORT_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("Mã hộ", "code", True),
    ("Loại", "kind", False),
    ("Tên hộ/tổ chức", "name", True),
    ("Địa chỉ", "address", False),
    ("Thửa đất", "parcel", False),
    ("Loại đất", "land_type", False),
    ("Diện tích thu hồi (m²)", "area_m2", True),
    ("Ghi chú", "note", False),
)


def _fold(text: Any) -> str:
    decomposed = unicodedata.normalize("NFD", str(text or "").lower().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


_KIND_WORDS = {
    "": PartyKind.HOUSEHOLD,
    "ho": PartyKind.HOUSEHOLD,
    "ho gia dinh": PartyKind.HOUSEHOLD,
    "ca nhan": PartyKind.HOUSEHOLD,
    "household": PartyKind.HOUSEHOLD,
    "to chuc": PartyKind.ORGANISATION,
    "organisation": PartyKind.ORGANISATION,
}
_LAND_WORDS = {
    "": LandType.NON_AGRICULTURAL,
    "phi nong nghiep": LandType.NON_AGRICULTURAL,
    "dat phi nong nghiep": LandType.NON_AGRICULTURAL,
    "dat o": LandType.NON_AGRICULTURAL,
    "non_agricultural": LandType.NON_AGRICULTURAL,
    "nong nghiep": LandType.AGRICULTURAL,
    "dat nong nghiep": LandType.AGRICULTURAL,
    "agricultural": LandType.AGRICULTURAL,
}


def _column_key(text: Any) -> str:
    return _fold(text).split("(")[0].strip()


@dataclass
class RowError:
    row: int
    errors: list[str]


def _read_rows(content: bytes) -> list[tuple[int, dict[str, Any]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise DomainError(
            "import_bad_file", "Không đọc được tệp: cần tệp Excel .xlsx theo mẫu."
        ) from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise DomainError("import_empty", "Tệp không có dữ liệu.")
    folded = [_column_key(h) for h in header]
    positions: dict[str, int] = {}
    missing: list[str] = []
    for title, field, required in IMPORT_COLUMNS:
        key = _column_key(title)
        if key in folded:
            positions[field] = folded.index(key)
        elif required:
            missing.append(title)
    if missing:
        raise DomainError(
            "import_columns_missing",
            "Thiếu cột: " + ", ".join(missing) + ". Vui lòng dùng tệp mẫu.",
            details={"missing": missing},
        )
    out: list[tuple[int, dict[str, Any]]] = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        out.append(
            (
                number,
                {f: (values[i] if i < len(values) else None) for f, i in positions.items()},
            )
        )
        if len(out) > import_max_rows():
            raise DomainError(
                "import_too_many_rows",
                f"Tệp có quá {import_max_rows():,} dòng.".replace(",", "."),
            )
    book.close()
    if not out:
        raise DomainError("import_empty", "Tệp không có dòng dữ liệu nào.")
    return out


def parties_import(*, project: ClearanceProject, actor: Any, content: bytes) -> int:
    """Add every row of the XLSX sheet as a party, or none (DomainError ``import_invalid`` with
    ``details.rows`` = [{row, errors}] for every bad row). Returns the number added."""
    _require(rules.can_edit(actor, project.unit_id))
    rows = _read_rows(content)
    existing = set(project.parties.values_list("code", flat=True))
    seen: dict[str, int] = {}
    clean: list[dict[str, Any]] = []
    bad: list[RowError] = []
    for number, raw in rows:
        errors: list[str] = []
        kind = _KIND_WORDS.get(_fold(raw.get("kind")))
        land = _LAND_WORDS.get(_fold(raw.get("land_type")))
        if kind is None:
            errors.append(f"Loại “{raw.get('kind')}” không hợp lệ (hộ gia đình / tổ chức).")
        if land is None:
            errors.append(
                f"Loại đất “{raw.get('land_type')}” không hợp lệ (nông nghiệp / phi nông nghiệp)."
            )
        code_raw = raw.get("code")
        if isinstance(code_raw, float) and code_raw.is_integer():
            code_raw = int(code_raw)
        data = PartyData(
            code=str(code_raw or ""),
            name=str(raw.get("name") or ""),
            kind=kind or PartyKind.HOUSEHOLD,
            address=str(raw.get("address") or ""),
            parcel=str(raw.get("parcel") or ""),
            land_type=land or LandType.NON_AGRICULTURAL,
            area_m2=raw.get("area_m2") if raw.get("area_m2") is not None else "",
            note=str(raw.get("note") or ""),
        )
        try:
            fields = _clean_party(data)
        except DomainError as exc:
            errors.extend(exc.details["errors"] if exc.details else [exc.message])
            fields = None
        if fields is not None:
            code = fields["code"]
            if code in existing:
                errors.append(f"Mã hộ {code} đã có trong dự án.")
            elif code in seen:
                errors.append(f"Mã hộ {code} trùng với dòng {seen[code]}.")
            else:
                seen[code] = number
        if errors:
            bad.append(RowError(number, errors))
        elif fields is not None:
            clean.append(fields)
    if bad:
        raise DomainError(
            "import_invalid",
            f"Có {len(bad)} dòng không hợp lệ; chưa nhập dòng nào. Sửa tệp rồi nhập lại.",
            details={"rows": [{"row": e.row, "errors": e.errors} for e in bad]},
        )
    with transaction.atomic():
        locked = ClearanceProject.objects.select_for_update().get(pk=project.pk)
        _check_project_open(locked)
        if locked.parties.filter(code__in=[f["code"] for f in clean]).exists():
            raise DomainError("import_conflict", "Danh sách hộ vừa thay đổi; vui lòng nhập lại.")
        AffectedParty.objects.bulk_create([AffectedParty(project=locked, **f) for f in clean])
        _event(
            locked,
            EventKind.PARTIES_IMPORTED,
            on=_today(),
            actor=actor,
            note=f"{len(clean)} hộ/tổ chức",
        )
        audit_record(
            action="clearance.parties_import",
            obj=locked,
            actor=actor,
            changes={"added": len(clean)},
            summary=f"Nhập {len(clean)} hộ/tổ chức vào dự án {locked.code}",
        )
    return len(clean)


def import_template() -> bytes:
    """An empty XLSX with the expected header and one example row."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Danh sách hộ"
    sheet.append([title for title, _f, _r in IMPORT_COLUMNS])
    sheet.append(
        [
            "H001",
            "Hộ gia đình",
            "Hộ ông Nguyễn Văn A",
            "Tổ 5",
            "Tờ 12, thửa 34",
            "Phi nông nghiệp",
            85.5,
            "",
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- steps ------------------------------------------------------------------------------------


def _previous_date(party: AffectedParty) -> dt.date | None:
    for step in range(party.step, 0, -1):
        value: dt.date | None = getattr(party, STEP_DATE_FIELDS[step])
        if value is not None:
            return value
    return None


def _check_date(party: AffectedParty, on: dt.date) -> None:
    if on > _today():
        raise DomainError("date_in_future", "Ngày ghi nhận không được sau hôm nay.")
    previous = _previous_date(party)
    if previous is not None and on < previous:
        raise DomainError(
            "date_before_previous_step",
            f"Ngày ghi nhận không được trước ngày của bước trước ({previous:%d/%m/%Y}).",
        )


def _lock_party(party: AffectedParty) -> tuple[AffectedParty, ClearanceProject]:
    project = ClearanceProject.objects.select_for_update().get(pk=party.project_id)
    locked = AffectedParty.objects.select_for_update().get(pk=party.pk)
    return locked, project


def _start_project(project: ClearanceProject, on: dt.date, actor: Any) -> None:
    if project.status == ProjectStatus.PLANNING:
        project.status = ProjectStatus.IN_PROGRESS
        project.save(update_fields=["status", "updated_at"])
        _event(project, EventKind.PROJECT_STATUS, on=on, actor=actor, note="Bắt đầu thực hiện")
        audit_record(
            action="clearance.project_status",
            obj=project,
            actor=actor,
            changes={"status": [ProjectStatus.PLANNING, ProjectStatus.IN_PROGRESS]},
            summary=f"Dự án GPMB {project.code}: bắt đầu thực hiện",
        )
        _enqueue(project)


def party_advance(
    *,
    party: AffectedParty,
    step: int,
    on: dt.date,
    actor: Any,
    amount: Any = None,
    decision_number: str = "",
    note: str = "",
) -> AffectedParty:
    """Record the next step of ``party`` (only ``party.step + 1``)."""
    if step not in Step.values or step == Step.LISTED:
        raise DomainError("step_invalid", "Bước không hợp lệ.")
    _require(
        rules.can_record_step(actor, party.project.unit_id, step),
        "Bước này là quyết định của lãnh đạo phường."
        if step in rules.LEADER_STEPS
        else "Bạn không có quyền ghi nhận tiến độ GPMB.",
    )
    note = nfc(note)
    with transaction.atomic():
        locked, project = _lock_party(party)
        _check_project_open(project)
        if step != locked.step + 1:
            expected = Step(locked.step + 1).label if locked.step < Step.HANDED_OVER else ""
            raise DomainError(
                "step_out_of_order",
                f"Không thể ghi nhận “{Step(step).label}”: hộ đang ở bước "
                f"“{locked.get_step_display()}”"
                + (f", bước tiếp theo là “{expected}”." if expected else " (đã xong)."),
                details={"current": locked.step, "requested": step},
            )
        _check_date(locked, on)
        value: Decimal | None = None
        if step == Step.PLAN_DRAFTED:
            value = _decimal(amount, field="amount", places=0)
            locked.plan_amount = value
        elif step == Step.PLAN_POSTED:
            pass
        elif step == Step.PLAN_APPROVED:
            assert locked.plan_posted_on is not None
            earliest = locked.plan_posted_on + dt.timedelta(days=posting_days())
            if on < earliest:
                raise DomainError(
                    "posting_period_not_elapsed",
                    f"Phương án phải niêm yết công khai đủ {posting_days()} ngày; "
                    f"chỉ phê duyệt được từ {earliest:%d/%m/%Y}.",
                    details={"earliest": earliest.isoformat()},
                )
            value = (
                _decimal(amount, field="amount", places=0)
                if amount not in (None, "")
                else locked.plan_amount
            )
            locked.approved_amount = value
        elif step == Step.DECIDED:
            assert locked.notified_on is not None
            days = notice_days(locked.land_type)
            earliest = locked.notified_on + dt.timedelta(days=days)
            if on < earliest:
                raise DomainError(
                    "notice_period_not_elapsed",
                    f"Quyết định thu hồi đất chỉ ban hành sau khi thông báo ít nhất {days} ngày "
                    f"({locked.get_land_type_display().lower()}); sớm nhất {earliest:%d/%m/%Y}.",
                    details={"earliest": earliest.isoformat()},
                )
            locked.decision_number = nfc(decision_number)[:60]
        elif step == Step.PAID:
            value = _decimal(amount, field="amount", places=0)
            if value <= 0:
                raise DomainError("amount_invalid", "Số tiền chi trả phải lớn hơn 0.")
            approved = locked.approved_amount or Decimal(0)
            if value > approved:
                raise DomainError(
                    "payment_exceeds_plan",
                    f"Số tiền chi trả vượt số tiền được phê duyệt ({_money(approved)} đồng).",
                )
            locked.paid_amount = value
        setattr(locked, STEP_DATE_FIELDS[step], on)
        old = locked.step
        locked.step = step
        locked.save()
        if step == Step.NOTIFIED:
            _start_project(project, on, actor)
        _event(
            project,
            EventKind.STEP,
            on=on,
            actor=actor,
            party=locked,
            step=step,
            amount=value,
            note=note,
        )
        audit_record(
            action="clearance.party_step",
            obj=locked,
            actor=actor,
            unit=project.unit,
            changes={"step": [old, step]} | ({"amount": str(value)} if value is not None else {}),
            summary=f"{locked.code} {locked.name}: {Step(step).label}",
        )
    return locked


def _money(value: Decimal) -> str:
    return f"{int(value):,}".replace(",", ".")


def _open_obstacles(party: AffectedParty) -> list[ClearanceObstacle]:
    return list(party.obstacles.filter(resolved_on__isnull=True))


def party_force_inventory(
    *, party: AffectedParty, on: dt.date, actor: Any, note: str = ""
) -> AffectedParty:
    """Forced inventory: a notified party with an open obstacle gets its inventory (leaders)."""
    _require(
        rules.can_decide(actor, party.project.unit_id), "Kiểm đếm bắt buộc do lãnh đạo quyết định."
    )
    with transaction.atomic():
        locked, project = _lock_party(party)
        _check_project_open(project)
        if locked.step != Step.NOTIFIED:
            raise DomainError(
                "step_out_of_order",
                "Kiểm đếm bắt buộc chỉ áp dụng cho hộ đã được thông báo thu hồi và chưa kiểm đếm.",
            )
        if not _open_obstacles(locked):
            raise DomainError(
                "forced_requires_obstacle",
                "Cần ghi nhận vướng mắc (hộ không hợp tác) trước khi kiểm đếm bắt buộc.",
            )
        _check_date(locked, on)
        locked.inventoried_on = on
        locked.forced_inventory = True
        locked.step = Step.INVENTORIED
        locked.save()
        _event(
            project,
            EventKind.FORCED_INVENTORY,
            on=on,
            actor=actor,
            party=locked,
            step=Step.INVENTORIED,
            note=nfc(note),
        )
        audit_record(
            action="clearance.forced_inventory",
            obj=locked,
            actor=actor,
            unit=project.unit,
            changes={"step": [Step.NOTIFIED, Step.INVENTORIED]},
            summary=f"Kiểm đếm bắt buộc {locked.code} {locked.name}",
        )
    return locked


def party_force_recovery(
    *, party: AffectedParty, on: dt.date, actor: Any, note: str = ""
) -> AffectedParty:
    """Forced recovery: hand over the land of a party with the recovery decision and an open
    obstacle (leaders); the open obstacles are closed with this resolution."""
    _require(
        rules.can_decide(actor, party.project.unit_id),
        "Cưỡng chế thu hồi đất do lãnh đạo quyết định.",
    )
    with transaction.atomic():
        locked, project = _lock_party(party)
        _check_project_open(project)
        if locked.step not in (Step.DECIDED, Step.PAID):
            raise DomainError(
                "step_out_of_order",
                "Cưỡng chế thu hồi đất chỉ áp dụng khi đã có quyết định thu hồi đất "
                "và hộ chưa bàn giao.",
            )
        obstacles = _open_obstacles(locked)
        if not obstacles:
            raise DomainError(
                "forced_requires_obstacle",
                "Cần ghi nhận vướng mắc (hộ không bàn giao) trước khi cưỡng chế.",
            )
        _check_date(locked, on)
        old = locked.step
        locked.handed_over_on = on
        locked.forced_recovery = True
        locked.step = Step.HANDED_OVER
        locked.save()
        for obstacle in obstacles:
            obstacle.resolved_on = max(on, obstacle.opened_on)
            obstacle.resolution = "Cưỡng chế thu hồi đất"
            obstacle.save(update_fields=["resolved_on", "resolution"])
        _event(
            project,
            EventKind.FORCED_RECOVERY,
            on=on,
            actor=actor,
            party=locked,
            step=Step.HANDED_OVER,
            note=nfc(note),
        )
        audit_record(
            action="clearance.forced_recovery",
            obj=locked,
            actor=actor,
            unit=project.unit,
            changes={"step": [old, Step.HANDED_OVER]},
            summary=f"Cưỡng chế thu hồi đất {locked.code} {locked.name}",
        )
    return locked


# --- obstacles --------------------------------------------------------------------------------


def obstacle_open(
    *, party: AffectedParty, reason: str, on: dt.date, actor: Any, description: str = ""
) -> ClearanceObstacle:
    _require(rules.can_edit(actor, party.project.unit_id))
    if reason not in ObstacleReason.values:
        raise DomainError("reason_invalid", "Lý do vướng mắc không hợp lệ.")
    if on > _today():
        raise DomainError("date_in_future", "Ngày không được sau hôm nay.")
    description = nfc(description)
    if reason == ObstacleReason.OTHER and not description:
        raise DomainError("description_required", "Cần mô tả vướng mắc khi chọn “Lý do khác”.")
    with transaction.atomic():
        locked, project = _lock_party(party)
        _check_project_open(project)
        if locked.step == Step.HANDED_OVER:
            raise DomainError("party_done", "Hộ đã bàn giao mặt bằng.")
        obstacle = ClearanceObstacle.objects.create(
            party=locked,
            reason=reason,
            description=description,
            opened_on=on,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        _event(
            project,
            EventKind.OBSTACLE_OPENED,
            on=on,
            actor=actor,
            party=locked,
            note=obstacle.get_reason_display(),
        )
        audit_record(
            action="clearance.obstacle_open",
            obj=locked,
            actor=actor,
            unit=project.unit,
            changes={"reason": reason},
            summary=f"Vướng mắc {locked.code}: {obstacle.get_reason_display()}",
        )
    return obstacle


def obstacle_resolve(
    *, obstacle: ClearanceObstacle, on: dt.date, actor: Any, resolution: str
) -> ClearanceObstacle:
    party = obstacle.party
    _require(rules.can_edit(actor, party.project.unit_id))
    resolution = nfc(resolution)
    if not resolution:
        raise DomainError("resolution_required", "Cần ghi cách giải quyết vướng mắc.")
    if on > _today():
        raise DomainError("date_in_future", "Ngày không được sau hôm nay.")
    with transaction.atomic():
        locked = ClearanceObstacle.objects.select_for_update().get(pk=obstacle.pk)
        if locked.resolved_on is not None:
            raise DomainError("obstacle_closed", "Vướng mắc này đã được giải quyết.")
        if on < locked.opened_on:
            raise DomainError(
                "date_before_previous_step",
                f"Ngày giải quyết không được trước ngày ghi nhận ({locked.opened_on:%d/%m/%Y}).",
            )
        locked.resolved_on = on
        locked.resolution = resolution
        locked.save(update_fields=["resolved_on", "resolution"])
        _event(
            party.project,
            EventKind.OBSTACLE_RESOLVED,
            on=on,
            actor=actor,
            party=party,
            note=resolution,
        )
        audit_record(
            action="clearance.obstacle_resolve",
            obj=party,
            actor=actor,
            unit=party.project.unit,
            summary=f"Giải quyết vướng mắc {party.code}: {resolution[:120]}",
        )
    return locked
