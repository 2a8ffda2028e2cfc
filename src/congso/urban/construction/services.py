"""Construction order (trật tự xây dựng): every write. Keyword-only, one transaction each, audited.

The register (``work_register``, ``work_update``), inspections (``inspection_record`` with photos,
``inspection_request_from_report`` for field reports about construction), violations and their
steps in Decree 16/2022 Art. 81 order (``violation_record`` → ``violation_order_stop`` →
``violation_sanction`` → ``violation_dismantle`` / ``violation_enforce`` → ``violation_close``),
and the reminders (``violations_remind``).

Remedy deadline (hạn khắc phục): the period of the violation's category
(:class:`~congso.urban.construction.models.CategoryDeadline`, admin-editable; defaults
in migration 0002), counted from the record date:

- calendar days (``day_kind=calendar``, the default, as Decree 16 counts): record date + N days;
  when that day is not a working day (weekend, public holiday) the deadline moves to the next
  working day (Civil Code 2015 Art. 148(2) for periods ending on a day off);
- working days (``day_kind=working``): the N-th working day after the record date
  (``kernel.calendar.add_working_days``).

A violation is overdue when its deadline has passed (deadline < today) and it is not closed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import math
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from congso.kernel.audit.services import audit_record
from congso.kernel.calendar.services import add_working_days, is_working_day, next_working_day
from congso.kernel.errors import DomainError, PermissionDenied
from congso.kernel.files.services import file_attach, file_store
from congso.kernel.notifications.models import NotificationLevel
from congso.kernel.notifications.services import notify
from congso.kernel.numbering.services import number_next
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import Position, Role, User
from congso.urban.construction import rules
from congso.urban.construction.models import (
    CategoryDeadline,
    DayKind,
    Inspection,
    InspectionPhoto,
    InspectionResult,
    InspectionStatus,
    OwnerKind,
    PermitStatus,
    TimelineEntry,
    Violation,
    ViolationCategory,
    ViolationStatus,
    Work,
    WorkStatus,
)

logger = logging.getLogger(__name__)

TEXT_MAX = 4000
LINE_MAX = 300
PHOTO_TYPES = ("jpeg", "png")
PHOTOS_MAX = 10
FINE_MAX = Decimal("1000000000")  # 1 billion VND, the Decree's maximum (organisations)

#: [M] defaults of the remedy period per category (migration 0002 loads them; the admin edits them).
DEFAULT_DEADLINES: dict[str, tuple[int, str, str]] = {
    ViolationCategory.NO_PERMIT: (60, DayKind.CALENDAR, "NĐ 16/2022 Điều 81: 90/60/30 ngày"),
    ViolationCategory.AGAINST_PERMIT: (60, DayKind.CALENDAR, "NĐ 16/2022 Điều 81: 90/60/30 ngày"),
    ViolationCategory.AGAINST_PLAN: (30, DayKind.CALENDAR, "[M] mặc định"),
    ViolationCategory.ENCROACHMENT: (30, DayKind.CALENDAR, "[M] mặc định: trả lại đất công"),
    ViolationCategory.SITE_NOT_SCREENED: (5, DayKind.WORKING, "[M] mặc định"),
    ViolationCategory.PERMIT_NOT_DISPLAYED: (5, DayKind.WORKING, "[M] mặc định"),
    ViolationCategory.CONTINUING: (10, DayKind.CALENDAR, "[M] mặc định"),
    ViolationCategory.REPEAT: (30, DayKind.CALENDAR, "[M] mặc định"),
}

#: The allowed order of a violation's steps (Decree 16/2022 Art. 81).
VIOLATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ViolationStatus.RECORDED: frozenset(
        {ViolationStatus.STOP_ORDERED, ViolationStatus.SANCTIONED, ViolationStatus.CLOSED}
    ),
    ViolationStatus.STOP_ORDERED: frozenset({ViolationStatus.SANCTIONED, ViolationStatus.CLOSED}),
    ViolationStatus.SANCTIONED: frozenset(
        {ViolationStatus.DISMANTLED, ViolationStatus.ENFORCED, ViolationStatus.CLOSED}
    ),
    ViolationStatus.DISMANTLED: frozenset({ViolationStatus.CLOSED}),
    ViolationStatus.ENFORCED: frozenset({ViolationStatus.CLOSED}),
    ViolationStatus.CLOSED: frozenset(),
}

SERIES_WORK = "urban-work"
SERIES_RECORD = "urban-bb-vphc"
SERIES_STOP = "urban-qd-dctc"


# --- small helpers ---------------------------------------------------------------------------


def _nfc(value: Any) -> str:
    return unicodedata.normalize("NFC", str(value or "")).replace("\x00", "").strip()


def _line(
    value: Any, *, field: str, label: str, required: bool = False, limit: int = LINE_MAX
) -> str:
    text = " ".join(_nfc(value).split())
    if required and not text:
        raise _bad(f"{field}_required", f"Vui lòng nhập {label}.", field)
    if len(text) > limit:
        raise _bad(
            "text_too_long", f"{label.capitalize()} dài quá {limit} ký tự.", field, max=limit
        )
    return text


def _text(value: Any, *, field: str, label: str, required: bool = False) -> str:
    text = _nfc(value)
    if required and not text:
        raise _bad(f"{field}_required", f"Vui lòng nhập {label}.", field)
    if len(text) > TEXT_MAX:
        raise _bad("text_too_long", f"{label.capitalize()} dài quá {TEXT_MAX} ký tự.", field)
    return text


def _bad(code: str, message: str, field: str | None = None, **details: Any) -> DomainError:
    if field:
        details["field"] = field
    return DomainError(code, message, details=details or None)


def date_vn(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def money_vn(amount: Decimal | int | None) -> str:
    return f"{int(amount or 0):,}".replace(",", ".")


def work_url(work: Work) -> str:
    try:
        return reverse("urban_construction:work_detail", args=[work.pk])
    except NoReverseMatch:
        return ""


def _today() -> dt.date:
    return timezone.localdate()


def _choice(value: Any, choices: Any, *, field: str, label: str) -> str:
    text = str(value or "")
    if text not in choices.values:
        raise _bad(f"{field}_invalid", f"{label} không hợp lệ.", field, value=text[:60])
    return text


def _timeline(
    *,
    work: Work,
    kind: str,
    day: dt.date,
    text: str,
    actor: Any,
    violation: Violation | None = None,
    inspection: Inspection | None = None,
) -> None:
    TimelineEntry.objects.create(
        work=work,
        violation=violation,
        inspection=inspection,
        kind=kind,
        day=day,
        text=text[:500],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def work_flags_refresh(work_ids: Iterable[int]) -> None:
    """Recompute ``last_inspected_on`` and ``open_deadline`` of the works (one UPDATE), in the
    caller's transaction, after any inspection or violation write."""
    from django.db.models import Max, Min, OuterRef, Subquery

    ids = list(work_ids)
    if not ids:
        return
    last = (
        Inspection.objects.filter(work=OuterRef("pk"), status=InspectionStatus.DONE)
        .order_by()
        .values("work")
        .annotate(d=Max("inspected_on"))
        .values("d")[:1]
    )
    earliest = (
        Violation.objects.filter(work=OuterRef("pk"))
        .exclude(status=ViolationStatus.CLOSED)
        .order_by()
        .values("work")
        .annotate(d=Min("remedy_deadline"))
        .values("d")[:1]
    )
    Work.objects.filter(pk__in=ids).update(
        last_inspected_on=Subquery(last), open_deadline=Subquery(earliest)
    )


def _search_changed(work: Work) -> None:
    """After every write on a work, its inspections or violations (same transaction): the kept
    flags, then the search outbox."""
    from congso.kernel.search.services import search_enqueue_many

    work_flags_refresh([int(work.pk)])
    search_enqueue_many("work", [int(work.pk)])


def check_location(lat: Any, lon: Any, unit: AdminUnit) -> tuple[float | None, float | None]:
    """(lat, lon) checked inside ``unit`` (``congso.urban.geo.check_location``); (None, None)
    when both are empty; DomainError ``location_invalid`` / ``location_outside_ward``."""
    empty_lat = lat is None or str(lat).strip() == ""
    empty_lon = lon is None or str(lon).strip() == ""
    if empty_lat and empty_lon:
        return None, None
    if empty_lat or empty_lon:
        raise _bad(
            "location_invalid", "Cần nhập cả vĩ độ và kinh độ (hoặc bỏ trống cả hai).", "lat"
        )
    try:
        la = float(str(lat).strip().replace(",", "."))
        lo = float(str(lon).strip().replace(",", "."))
    except ValueError as exc:
        raise _bad(
            "location_invalid", "Toạ độ không hợp lệ: vĩ độ và kinh độ phải là số.", "lat"
        ) from exc
    if not (math.isfinite(la) and math.isfinite(lo) and -90 <= la <= 90 and -180 <= lo <= 180):
        raise _bad(
            "location_invalid",
            "Toạ độ không hợp lệ: vĩ độ trong khoảng −90…90, kinh độ trong khoảng −180…180.",
            "lat",
        )
    from congso.urban import geo

    try:
        geo.check_location(la, lo, unit)
    except DomainError as exc:
        details = dict(exc.details or {}) if isinstance(exc.details, dict) else {}
        details.setdefault("field", "lat")
        raise DomainError(exc.code, exc.message, details=details, status=exc.status) from exc
    return round(la, 7), round(lo, 7)


def _unit_users(unit_id: int, roles: Iterable[str]) -> list[User]:
    today = _today()
    ids = (
        Position.objects.active(today)
        .filter(unit_id=unit_id, role__in=list(roles))
        .values_list("user_id", flat=True)
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


# --- the register of works -------------------------------------------------------------------


def _permit_fields(data: dict[str, Any]) -> dict[str, Any]:
    status = _choice(
        data.get("permit_status") or PermitStatus.UNKNOWN,
        PermitStatus,
        field="permit_status",
        label="Tình trạng giấy phép",
    )
    out: dict[str, Any] = {
        "permit_status": status,
        "permit_number": "",
        "permit_date": None,
        "permit_issuer": "",
        "permit_floors": None,
        "permit_floor_area": None,
        "exempt_reason": "",
    }
    if status == PermitStatus.LICENSED:
        out["permit_number"] = _line(
            data.get("permit_number"),
            field="permit_number",
            label="số giấy phép",
            required=True,
            limit=60,
        )
        permit_date = data.get("permit_date")
        if not isinstance(permit_date, dt.date):
            raise _bad("permit_date_required", "Vui lòng nhập ngày cấp giấy phép.", "permit_date")
        if permit_date > _today():
            raise _bad(
                "permit_date_future", "Ngày cấp giấy phép không được sau hôm nay.", "permit_date"
            )
        out["permit_date"] = permit_date
        out["permit_issuer"] = _line(
            data.get("permit_issuer"),
            field="permit_issuer",
            label="cơ quan cấp phép",
            required=True,
            limit=200,
        )
        floors = data.get("permit_floors")
        if floors not in (None, ""):
            try:
                floors_n = int(str(floors))
            except (TypeError, ValueError) as exc:
                raise _bad(
                    "permit_floors_invalid", "Số tầng không hợp lệ.", "permit_floors"
                ) from exc
            if not 1 <= floors_n <= 200:
                raise _bad("permit_floors_invalid", "Số tầng phải từ 1 đến 200.", "permit_floors")
            out["permit_floors"] = floors_n
        area = data.get("permit_floor_area")
        if area not in (None, ""):
            try:
                area_d = Decimal(str(area).replace(",", "."))
            except InvalidOperation as exc:
                raise _bad(
                    "permit_area_invalid", "Diện tích sàn không hợp lệ.", "permit_floor_area"
                ) from exc
            if not (area_d.is_finite() and Decimal(0) < area_d < Decimal("10000000")):
                raise _bad(
                    "permit_area_invalid", "Diện tích sàn phải lớn hơn 0.", "permit_floor_area"
                )
            out["permit_floor_area"] = area_d.quantize(Decimal("0.01"))
    elif status == PermitStatus.EXEMPT:
        out["exempt_reason"] = _line(
            data.get("exempt_reason"),
            field="exempt_reason",
            label="lý do được miễn giấy phép",
            required=True,
        )
    return out


WORK_FIELDS = (
    "name",
    "address",
    "lat",
    "lon",
    "owner_kind",
    "owner_name",
    "owner_contact",
    "description",
    "permit_status",
    "permit_number",
    "permit_date",
    "permit_issuer",
    "permit_floors",
    "permit_floor_area",
    "exempt_reason",
    "status",
    "started_on",
    "completed_on",
)


def _work_values(*, unit: AdminUnit, data: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": _line(data.get("name"), field="name", label="tên công trình"),
        "address": _line(
            data.get("address"), field="address", label="địa chỉ công trình", required=True
        ),
        "owner_kind": _choice(
            data.get("owner_kind") or OwnerKind.PERSON,
            OwnerKind,
            field="owner_kind",
            label="Loại chủ đầu tư",
        ),
        "owner_name": _line(
            data.get("owner_name"),
            field="owner_name",
            label="tên chủ đầu tư",
            required=True,
            limit=200,
        ),
        "owner_contact": _line(
            data.get("owner_contact"), field="owner_contact", label="thông tin liên hệ", limit=200
        ),
        "description": _text(data.get("description"), field="description", label="mô tả"),
        "status": _choice(
            data.get("status") or WorkStatus.STARTED, WorkStatus, field="status", label="Tình trạng"
        ),
    }
    values["lat"], values["lon"] = check_location(data.get("lat"), data.get("lon"), unit)
    values.update(_permit_fields(data))
    started, completed = data.get("started_on"), data.get("completed_on")
    for name, day in (("started_on", started), ("completed_on", completed)):
        if day is not None and not isinstance(day, dt.date):
            raise _bad("date_invalid", "Ngày không hợp lệ.", name)
        if day is not None and day > _today():
            raise _bad("date_future", "Ngày không được sau hôm nay.", name)
    if started and completed and completed < started:
        raise _bad(
            "completed_before_start",
            "Ngày hoàn thành không được trước ngày khởi công.",
            "completed_on",
        )
    if values["status"] == WorkStatus.COMPLETED and completed is None:
        completed = _today()
    values["started_on"] = started
    values["completed_on"] = completed if values["status"] == WorkStatus.COMPLETED else None
    return values


def work_register(
    *, unit: AdminUnit, actor: Any, data: dict[str, Any], source_ref: str = ""
) -> Work:
    """Add a work to ``unit``'s register. Audited as ``construction.work_register``."""
    if not rules.can_manage_works(actor, unit):
        raise PermissionDenied("Bạn không có quyền đăng ký công trình của đơn vị này.")
    values = _work_values(unit=unit, data=data)
    year = _today().year
    with transaction.atomic():
        number = number_next(scope=f"unit:{unit.pk}", series=SERIES_WORK, year=year)
        work = Work.objects.create(
            unit=unit,
            code=f"CT-{year}-{number:04d}",
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            source_ref=source_ref[:100],
            **values,
        )
        audit_record(
            action="construction.work_register",
            obj=work,
            actor=actor,
            unit=unit,
            summary=f"Đăng ký công trình {work.code}: {work.address}.",
        )
        _timeline(
            work=work,
            kind="register",
            day=_today(),
            text="Đăng ký công trình vào sổ theo dõi.",
            actor=actor,
        )
        _search_changed(work)
    return work


def work_update(*, work: Work, actor: Any, data: dict[str, Any]) -> Work:
    if not rules.can_manage_works(actor, work.unit_id):
        raise PermissionDenied("Bạn không có quyền sửa công trình này.")
    values = _work_values(unit=work.unit, data=data)
    with transaction.atomic():
        locked = Work.objects.select_for_update().get(pk=work.pk)
        changes = {
            name: [str(getattr(locked, name)), str(value)]
            for name, value in values.items()
            if getattr(locked, name) != value
        }
        if not changes:
            return locked
        for name, value in values.items():
            setattr(locked, name, value)
        locked.updated_at = timezone.now()
        locked.save()
        audit_record(
            action="construction.work_update",
            obj=locked,
            actor=actor,
            changes=changes,
            summary=f"Cập nhật công trình {locked.code}.",
        )
        if "status" in changes:
            _timeline(
                work=locked,
                kind="status",
                day=_today(),
                text=f"Tình trạng: {locked.get_status_display()}.",
                actor=actor,
            )
        _search_changed(locked)
    return locked


# --- inspections -----------------------------------------------------------------------------


def _exif_location(upload: Any) -> tuple[float | None, float | None, dt.datetime | None]:
    """GPS position and time from a JPEG's EXIF, when present (best effort)."""
    try:
        from PIL import Image

        raw = getattr(upload, "file", upload)
        raw.seek(0)
        with Image.open(raw) as image:
            exif = image.getexif()
        raw.seek(0)
    except Exception:
        with contextlib.suppress(Exception):
            getattr(upload, "file", upload).seek(0)
        return None, None, None
    taken: dt.datetime | None = None
    stamp = exif.get(0x0132)  # DateTime
    if isinstance(stamp, str):
        try:
            taken = timezone.make_aware(dt.datetime.strptime(stamp.strip(), "%Y:%m:%d %H:%M:%S"))
        except ValueError:
            taken = None
    try:
        gps = exif.get_ifd(0x8825)
    except Exception:
        gps = {}
    if not gps or 2 not in gps or 4 not in gps:
        return None, None, taken

    def degrees(value: Sequence[Any]) -> float:
        d, m, s = (float(v) for v in value)
        return d + m / 60 + s / 3600

    try:
        lat = degrees(gps[2]) * (-1 if str(gps.get(1, "N")).upper().startswith("S") else 1)
        lon = degrees(gps[4]) * (-1 if str(gps.get(3, "E")).upper().startswith("W") else 1)
    except (TypeError, ValueError, ZeroDivisionError):
        return None, None, taken
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None, None, taken
    return round(lat, 7), round(lon, 7), taken


def _photo_limit() -> int:
    return int(getattr(settings, "URBAN_CONSTRUCTION_PHOTO_MAX_BYTES", 10 * 1024 * 1024))


def _store_photos(
    *,
    inspection: Inspection,
    photos: Sequence[Any],
    actor: Any,
    lat: float | None,
    lon: float | None,
) -> list[InspectionPhoto]:
    if len(photos) > PHOTOS_MAX:
        raise _bad("photos_too_many", f"Tối đa {PHOTOS_MAX} ảnh mỗi lần kiểm tra.", "photos")
    out = []
    for upload in photos:
        exif_lat, exif_lon, taken = _exif_location(upload)
        stored = file_store(
            upload=upload,
            unit=inspection.unit,
            user=actor,
            allowed_types=PHOTO_TYPES,
            max_bytes=_photo_limit(),
        )
        if exif_lat is not None and exif_lon is not None:
            p_lat, p_lon, source = exif_lat, exif_lon, "exif"
        elif lat is not None and lon is not None:
            p_lat, p_lon, source = lat, lon, "form"
        else:
            p_lat, p_lon, source = None, None, ""
        photo = InspectionPhoto.objects.create(
            inspection=inspection,
            unit=inspection.unit,
            file=stored,
            lat=p_lat,
            lon=p_lon,
            location_source=source,
            taken_at=taken,
        )
        file_attach(stored_file=stored, owner=photo, user=actor)
        out.append(photo)
    return out


def inspection_record(
    *,
    work: Work,
    actor: Any,
    inspected_on: dt.date,
    findings: str,
    result: str,
    photos: Sequence[Any] = (),
    lat: Any = None,
    lon: Any = None,
    inspection: Inspection | None = None,
) -> Inspection:
    """Record an inspection (or complete a planned one). Photos: JPEG/PNG, sniffed, size-limited;
    their location from EXIF GPS or else the typed/picked ``lat``/``lon`` (checked in the ward)."""
    if not rules.can_inspect(actor, work.unit_id):
        raise PermissionDenied("Bạn không có quyền ghi kết quả kiểm tra công trình này.")
    if not isinstance(inspected_on, dt.date):
        raise _bad("inspected_on_required", "Vui lòng nhập ngày kiểm tra.", "inspected_on")
    if inspected_on > _today():
        raise _bad("date_future", "Ngày kiểm tra không được sau hôm nay.", "inspected_on")
    findings = _text(findings, field="findings", label="nội dung kiểm tra", required=True)
    result = _choice(result, InspectionResult, field="result", label="Kết quả kiểm tra")
    p_lat, p_lon = check_location(lat, lon, work.unit)
    with transaction.atomic():
        if inspection is not None:
            row = Inspection.objects.select_for_update().get(pk=inspection.pk, work=work)
            if row.status != InspectionStatus.PLANNED:
                raise _bad("inspection_done", "Lần kiểm tra này đã có kết quả.")
        else:
            row = Inspection(work=work, unit_id=work.unit_id, created_by=actor)
        row.status = InspectionStatus.DONE
        row.inspected_on = inspected_on
        row.inspector = actor
        row.findings = findings
        row.result = result
        row.save()
        stored = _store_photos(inspection=row, photos=photos, actor=actor, lat=p_lat, lon=p_lon)
        audit_record(
            action="construction.inspection_record",
            obj=row,
            actor=actor,
            unit=work.unit,
            changes={"result": [None, result], "photos": [0, len(stored)]},
            summary=(
                f"Kiểm tra công trình {work.code} ngày {date_vn(inspected_on)}: "
                f"{row.get_result_display()}."
            ),
        )
        _timeline(
            work=work,
            kind="inspection",
            day=inspected_on,
            inspection=row,
            text=f"Kiểm tra: {row.get_result_display()}. {findings[:300]}",
            actor=actor,
        )
        _search_changed(work)
    return row


def _near(work_lat: float | None, work_lon: float | None, lat: float, lon: float) -> bool:
    if work_lat is None or work_lon is None:
        return False
    meters = float(getattr(settings, "URBAN_CONSTRUCTION_MATCH_METERS", 30))
    dy = (work_lat - lat) * 111_320
    dx = (work_lon - lon) * 111_320 * math.cos(math.radians(lat))
    return math.hypot(dx, dy) <= meters


def inspection_request_from_report(
    *,
    unit: AdminUnit,
    lat: float,
    lon: float,
    address: str,
    description: str,
    source_ref: str,
    actor: Any,
) -> Inspection:
    """A citizen's field report about construction opens a planned inspection on the matching
    work (same ward, within ``URBAN_CONSTRUCTION_MATCH_METERS`` or the same address, not
    completed) or on a new work registered from the report. The ward's inspectors are notified.

    Called by the reports app's triage; ``actor`` is the triaging official (needs no inspector
    role: the report's triage is the authority). Idempotent per ``source_ref``.
    """
    source_ref = _line(source_ref, field="source_ref", label="mã phản ánh", limit=100)
    description = _text(description, field="description", label="nội dung phản ánh", required=True)
    address = _line(address, field="address", label="địa chỉ") or "Chưa rõ địa chỉ (theo phản ánh)"
    p_lat, p_lon = check_location(lat, lon, unit)
    with transaction.atomic():
        if source_ref:
            existing = Inspection.objects.filter(unit=unit, source_ref=source_ref).first()
            if existing is not None:
                return existing
        candidates = Work.objects.filter(unit=unit).exclude(status=WorkStatus.COMPLETED)
        work = None
        if p_lat is not None and p_lon is not None:
            box = 0.0006
            for cand in candidates.filter(
                lat__gte=p_lat - box,
                lat__lte=p_lat + box,
                lon__gte=p_lon - box,
                lon__lte=p_lon + box,
            ).order_by("-created_at")[:20]:
                if _near(cand.lat, cand.lon, p_lat, p_lon):
                    work = cand
                    break
        if work is None:
            work = candidates.filter(address__iexact=address).order_by("-created_at").first()
        today = _today()
        if work is None:
            year = today.year
            number = number_next(scope=f"unit:{unit.pk}", series=SERIES_WORK, year=year)
            work = Work.objects.create(
                unit=unit,
                code=f"CT-{year}-{number:04d}",
                address=address,
                lat=p_lat,
                lon=p_lon,
                owner_name="Chưa xác định",
                description=description[:2000],
                status=WorkStatus.UNDER_CONSTRUCTION,
                permit_status=PermitStatus.UNKNOWN,
                source_ref=source_ref,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            audit_record(
                action="construction.work_register",
                obj=work,
                actor=actor,
                unit=unit,
                summary=f"Đăng ký công trình {work.code} từ phản ánh {source_ref}.",
            )
            _timeline(
                work=work,
                kind="register",
                day=today,
                text=f"Đăng ký từ phản ánh {source_ref}.",
                actor=actor,
            )
        inspection = Inspection.objects.create(
            work=work,
            unit=unit,
            status=InspectionStatus.PLANNED,
            planned_on=add_working_days(today, 1),
            findings=f"Phản ánh: {description}"[:TEXT_MAX],
            source_ref=source_ref,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            action="construction.inspection_plan",
            obj=inspection,
            actor=actor,
            unit=unit,
            summary=f"Lập kế hoạch kiểm tra công trình {work.code} theo phản ánh {source_ref}.",
        )
        _timeline(
            work=work,
            kind="inspection_planned",
            day=today,
            inspection=inspection,
            text=f"Kế hoạch kiểm tra theo phản ánh {source_ref}.",
            actor=actor,
        )
        inspectors = _unit_users(unit.pk, [Role.INSPECTOR])
        if inspectors:
            notify(
                recipients=inspectors,
                title=f"Kiểm tra công trình theo phản ánh: {work.address}",
                body=description[:500],
                url=work_url(work),
                kind="construction.inspection_request",
                obj=work,
            )
        _search_changed(work)
    return inspection


# --- violations ------------------------------------------------------------------------------


def category_deadline(category: str) -> tuple[int, str]:
    row = CategoryDeadline.objects.filter(category=category).first()
    if row is not None:
        return int(row.days), str(row.day_kind)
    days, kind, _note = DEFAULT_DEADLINES[category]
    return days, str(kind)


def remedy_deadline(start: dt.date, days: int, day_kind: str) -> dt.date:
    """The last day to remedy: see the module docstring."""
    if day_kind == DayKind.WORKING:
        return add_working_days(start, days)
    end = start + dt.timedelta(days=days)
    return end if is_working_day(end) else next_working_day(end)


def _check_step(violation: Violation, target: str) -> None:
    if target not in VIOLATION_TRANSITIONS[violation.status]:
        raise DomainError(
            "violation_bad_transition",
            f"Không thể chuyển vi phạm từ '{violation.get_status_display()}' sang "
            f"'{ViolationStatus(target).label}'. Trình tự: lập biên bản → đình chỉ thi công → "
            "quyết định xử phạt → tháo dỡ / cưỡng chế → kết thúc.",
            details={"from": violation.status, "to": target},
            status=409,
        )


def _step_day(day: Any, *, field: str, after: dt.date | None, label: str) -> dt.date:
    if day is None or day == "":
        day = _today()
    if not isinstance(day, dt.date):
        raise _bad("date_invalid", "Ngày không hợp lệ.", field)
    if day > _today():
        raise _bad("date_future", f"Ngày {label} không được sau hôm nay.", field)
    if after is not None and day < after:
        raise _bad(
            "date_before_previous_step",
            f"Ngày {label} không được trước bước trước ({date_vn(after)}).",
            field,
        )
    return day


def _lock(violation: Violation) -> Violation:
    return Violation.objects.select_for_update().select_related("work", "unit").get(pk=violation.pk)


def _notify_unit(
    violation: Violation, *, title: str, body: str, level: str = NotificationLevel.INFO
) -> None:
    people = _unit_users(violation.unit_id, [Role.INSPECTOR, Role.LEADER])
    if people:
        notify(
            recipients=people,
            title=title,
            body=body,
            url=work_url(violation.work),
            level=level,
            kind="construction.violation",
            obj=violation,
        )


def violation_record(
    *,
    work: Work,
    actor: Any,
    category: str,
    description: str,
    record_date: dt.date | None = None,
    inspection: Inspection | None = None,
    order_stop: bool = True,
) -> Violation:
    """Make the violation record (biên bản vi phạm hành chính, numbered per ward and year) and,
    by default, the stop-work order at once (Art. 81 step 1). The remedy deadline follows the
    category's period from the record date."""
    if not rules.can_record_violation(actor, work.unit_id):
        raise PermissionDenied("Bạn không có quyền lập biên bản vi phạm của đơn vị này.")
    if str(category or "") not in ViolationCategory.values:
        raise _bad(
            "violation_category_unknown",
            "Hành vi vi phạm không có trong danh mục (Nghị định 16/2022/NĐ-CP Điều 16).",
            "category",
            value=str(category)[:60],
        )
    description = _text(description, field="description", label="mô tả vi phạm", required=True)
    day = _step_day(record_date, field="record_date", after=None, label="lập biên bản")
    if inspection is not None and inspection.work_id != work.pk:
        raise _bad("inspection_mismatch", "Lần kiểm tra không thuộc công trình này.", "inspection")
    days, kind = category_deadline(category)
    deadline = remedy_deadline(day, days, kind)
    with transaction.atomic():
        number = number_next(scope=f"unit:{work.unit_id}", series=SERIES_RECORD, year=day.year)
        stop_number = (
            number_next(scope=f"unit:{work.unit_id}", series=SERIES_STOP, year=day.year)
            if order_stop
            else None
        )
        violation = Violation.objects.create(
            work=work,
            unit_id=work.unit_id,
            inspection=inspection,
            category=category,
            description=description,
            record_number=number,
            record_year=day.year,
            record_date=day,
            recorded_by=actor,
            remedy_deadline=deadline,
            status=ViolationStatus.STOP_ORDERED if order_stop else ViolationStatus.RECORDED,
            stop_order_number=stop_number,
            stop_order_date=day if order_stop else None,
        )
        audit_record(
            action="construction.violation_record",
            obj=violation,
            actor=actor,
            unit=work.unit,
            changes={
                "status": [None, violation.status],
                "remedy_deadline": [None, deadline.isoformat()],
            },
            summary=(
                f"Lập biên bản {violation.record_label} ({violation.get_category_display()}) "
                f"công trình {work.code}; hạn khắc phục {date_vn(deadline)}."
            ),
        )
        _timeline(
            work=work,
            violation=violation,
            kind="violation_record",
            day=day,
            text=f"Lập biên bản {violation.record_label}: {violation.get_category_display()}. "
            f"Hạn khắc phục {date_vn(deadline)}.",
            actor=actor,
        )
        if order_stop:
            _apply_stop(violation, actor=actor, day=day)
        _notify_unit(
            violation,
            title=f"Vi phạm TTXD mới: {work.address}",
            body=f"{violation.get_category_display()}. Hạn khắc phục {date_vn(deadline)}.",
        )
        _search_changed(work)
    return violation


def _apply_stop(violation: Violation, *, actor: Any, day: dt.date) -> None:
    work = violation.work
    Work.objects.filter(pk=work.pk).update(status=WorkStatus.STOPPED, updated_at=timezone.now())
    work.status = WorkStatus.STOPPED
    audit_record(
        action="construction.violation_stop",
        obj=violation,
        actor=actor,
        unit=violation.unit,
        changes={"stop_order_number": [None, violation.stop_order_number]},
        summary=(
            f"Quyết định đình chỉ thi công {violation.stop_order_label} công trình {work.code}."
        ),
    )
    _timeline(
        work=work,
        violation=violation,
        kind="violation_stop",
        day=day,
        text=f"Đình chỉ thi công (quyết định {violation.stop_order_label}).",
        actor=actor,
    )


def violation_order_stop(
    *, violation: Violation, actor: Any, day: dt.date | None = None
) -> Violation:
    if not rules.can_record_violation(actor, violation.unit_id):
        raise PermissionDenied("Bạn không có quyền ra quyết định đình chỉ thi công.")
    with transaction.atomic():
        row = _lock(violation)
        _check_step(row, ViolationStatus.STOP_ORDERED)
        when = _step_day(day, field="day", after=row.record_date, label="đình chỉ")
        row.stop_order_number = number_next(
            scope=f"unit:{row.unit_id}", series=SERIES_STOP, year=when.year
        )
        row.stop_order_date = when
        row.status = ViolationStatus.STOP_ORDERED
        row.updated_at = timezone.now()
        row.save()
        _apply_stop(row, actor=actor, day=when)
        _search_changed(row.work)
    return row


def _money(value: Any) -> Decimal:
    try:
        amount = (
            Decimal(str(value).replace(".", "").replace(" ", "").replace(",", ""))
            if value not in (None, "")
            else Decimal(0)
        )
    except InvalidOperation as exc:
        raise _bad("fine_invalid", "Số tiền phạt không hợp lệ.", "fine_amount") from exc
    if isinstance(value, Decimal | int):
        amount = Decimal(value)
    if not amount.is_finite() or amount < 0 or amount != amount.to_integral_value():
        raise _bad("fine_invalid", "Số tiền phạt phải là số nguyên đồng, không âm.", "fine_amount")
    if amount > FINE_MAX:
        raise _bad("fine_too_large", "Tiền phạt vượt mức tối đa 1.000.000.000 đồng.", "fine_amount")
    return amount


def violation_sanction(
    *,
    violation: Violation,
    actor: Any,
    decision_number: str,
    decision_date: dt.date | None,
    fine_amount: Any,
    dismantling_required: bool = False,
) -> Violation:
    """The sanction decision (quyết định xử phạt): number, date, fine (VND), forced dismantling."""
    if not rules.can_sanction(actor, violation.unit_id):
        raise PermissionDenied("Chỉ lãnh đạo UBND phường được ra quyết định xử phạt.")
    number = _line(
        decision_number, field="decision_number", label="số quyết định", required=True, limit=60
    )
    amount = _money(fine_amount)
    with transaction.atomic():
        row = _lock(violation)
        _check_step(row, ViolationStatus.SANCTIONED)
        when = _step_day(
            decision_date,
            field="decision_date",
            after=row.stop_order_date or row.record_date,
            label="quyết định",
        )
        row.sanction_number = number
        row.sanction_date = when
        row.fine_amount = amount
        row.dismantling_required = bool(dismantling_required)
        row.status = ViolationStatus.SANCTIONED
        row.updated_at = timezone.now()
        row.save()
        audit_record(
            action="construction.violation_sanction",
            obj=row,
            actor=actor,
            changes={"status": [violation.status, row.status], "fine_amount": [None, str(amount)]},
            summary=f"Quyết định xử phạt {number}: {money_vn(amount)} đồng"
            + ("; buộc tháo dỡ" if row.dismantling_required else "")
            + ".",
        )
        _timeline(
            work=row.work,
            violation=row,
            kind="violation_sanction",
            day=when,
            text=f"Quyết định xử phạt số {number}: phạt {money_vn(amount)} đồng"
            + ("; buộc tháo dỡ phần vi phạm" if row.dismantling_required else "")
            + ".",
            actor=actor,
        )
        _search_changed(row.work)
    return row


def violation_dismantle(
    *, violation: Violation, actor: Any, day: dt.date | None = None, note: str = ""
) -> Violation:
    """The offending part was dismantled (by the violator, under the decision)."""
    if not rules.can_record_violation(actor, violation.unit_id):
        raise PermissionDenied("Bạn không có quyền cập nhật vi phạm này.")
    note = _text(note, field="note", label="ghi chú")
    with transaction.atomic():
        row = _lock(violation)
        _check_step(row, ViolationStatus.DISMANTLED)
        when = _step_day(day, field="day", after=row.sanction_date, label="tháo dỡ")
        row.dismantled_on = when
        row.status = ViolationStatus.DISMANTLED
        row.updated_at = timezone.now()
        row.save()
        audit_record(
            action="construction.violation_dismantle",
            obj=row,
            actor=actor,
            changes={"status": [violation.status, row.status]},
            summary=f"Đã tháo dỡ phần vi phạm ({row.record_label}).",
        )
        _timeline(
            work=row.work,
            violation=row,
            kind="violation_dismantle",
            day=when,
            text=f"Đã tháo dỡ phần vi phạm. {note}".strip(),
            actor=actor,
        )
        _search_changed(row.work)
    return row


def violation_enforce(
    *, violation: Violation, actor: Any, day: dt.date | None = None, measures: str = ""
) -> Violation:
    """Enforcement (cưỡng chế) of the decision: stop electricity/water, forced dismantling…"""
    if not rules.can_sanction(actor, violation.unit_id):
        raise PermissionDenied("Chỉ lãnh đạo UBND phường được quyết định cưỡng chế.")
    measures = _text(measures, field="measures", label="biện pháp cưỡng chế", required=True)
    with transaction.atomic():
        row = _lock(violation)
        _check_step(row, ViolationStatus.ENFORCED)
        when = _step_day(day, field="day", after=row.sanction_date, label="cưỡng chế")
        row.enforced_on = when
        row.enforcement_measures = measures
        row.status = ViolationStatus.ENFORCED
        row.updated_at = timezone.now()
        row.save()
        audit_record(
            action="construction.violation_enforce",
            obj=row,
            actor=actor,
            changes={"status": [violation.status, row.status]},
            summary=f"Cưỡng chế thi hành quyết định xử phạt ({row.record_label}).",
        )
        _timeline(
            work=row.work,
            violation=row,
            kind="violation_enforce",
            day=when,
            text=f"Cưỡng chế: {measures[:400]}",
            actor=actor,
        )
        _search_changed(row.work)
    return row


def violation_close(
    *,
    violation: Violation,
    actor: Any,
    note: str,
    day: dt.date | None = None,
    fine_paid: bool = False,
) -> Violation:
    """Closure: remedied (permit obtained, land returned, site screened…), fine paid, dismantled
    or enforced. The result is required."""
    if not rules.can_record_violation(actor, violation.unit_id):
        raise PermissionDenied("Bạn không có quyền kết thúc vi phạm này.")
    note = _text(note, field="note", label="kết quả xử lý", required=True)
    with transaction.atomic():
        row = _lock(violation)
        _check_step(row, ViolationStatus.CLOSED)
        previous = (
            row.enforced_on
            or row.dismantled_on
            or row.sanction_date
            or row.stop_order_date
            or row.record_date
        )
        when = _step_day(day, field="day", after=previous, label="kết thúc")
        row.closed_on = when
        row.closure_note = note
        row.fine_paid = bool(fine_paid) or row.fine_paid
        before = row.status
        row.status = ViolationStatus.CLOSED
        row.updated_at = timezone.now()
        row.save()
        audit_record(
            action="construction.violation_close",
            obj=row,
            actor=actor,
            changes={"status": [before, row.status]},
            summary=f"Kết thúc xử lý vi phạm {row.record_label}: {note[:200]}",
        )
        _timeline(
            work=row.work,
            violation=row,
            kind="violation_close",
            day=when,
            text=f"Kết thúc xử lý: {note[:400]}",
            actor=actor,
        )
        _search_changed(row.work)
    return row


# --- reminders -------------------------------------------------------------------------------


def violations_remind(*, today: dt.date | None = None) -> dict[str, int]:
    """Notify the ward's inspectors and leaders of open violations whose deadline is near
    (``URBAN_CONSTRUCTION_REMIND_DAYS_BEFORE`` days, default 3) and of overdue ones (again every
    ``URBAN_CONSTRUCTION_OVERDUE_REMIND_EVERY_DAYS``, default 7). Run daily
    (``manage.py construction_reminders``)."""
    day = today or _today()
    before = int(getattr(settings, "URBAN_CONSTRUCTION_REMIND_DAYS_BEFORE", 3))
    every = int(getattr(settings, "URBAN_CONSTRUCTION_OVERDUE_REMIND_EVERY_DAYS", 7))
    counts = {"before": 0, "overdue": 0}
    open_rows = Violation.objects.exclude(status=ViolationStatus.CLOSED).filter(
        remedy_deadline__isnull=False
    )
    soon = open_rows.filter(
        remedy_deadline__gte=day,
        remedy_deadline__lte=day + dt.timedelta(days=before),
        reminded_before_on__isnull=True,
    )
    late = open_rows.filter(remedy_deadline__lt=day).filter(
        Q(reminded_overdue_on__isnull=True)
        | Q(reminded_overdue_on__lte=day - dt.timedelta(days=every))
    )
    for kind, queryset in (("before", soon), ("overdue", late)):
        for violation in queryset.select_related("work", "unit").order_by("pk")[:5000]:
            with transaction.atomic():
                # Claim the reminder with a conditional UPDATE: a second clock or a manual run
                # at the same time sends nothing twice.
                claim = Violation.objects.filter(pk=violation.pk).exclude(
                    status=ViolationStatus.CLOSED
                )
                if kind == "before":
                    claimed = claim.filter(reminded_before_on__isnull=True).update(
                        reminded_before_on=day
                    )
                    title = f"Sắp hết hạn khắc phục vi phạm TTXD: {violation.work.address}"
                    level = NotificationLevel.WARNING
                else:
                    claimed = claim.filter(
                        Q(reminded_overdue_on__isnull=True)
                        | Q(reminded_overdue_on__lte=day - dt.timedelta(days=every))
                    ).update(reminded_overdue_on=day)
                    title = f"Vi phạm TTXD quá hạn khắc phục: {violation.work.address}"
                    level = NotificationLevel.URGENT
                if not claimed:
                    continue
                deadline = violation.remedy_deadline
                _notify_unit(
                    violation,
                    title=title,
                    body=f"Biên bản {violation.record_label} ({violation.get_category_display()}); "
                    f"hạn khắc phục {date_vn(deadline)}; "
                    f"trạng thái: {violation.get_status_display()}.",
                    level=level,
                )
                audit_record(
                    action=f"construction.violation_remind_{kind}",
                    obj=violation,
                    actor=None,
                    summary=title,
                )
            counts[kind] += 1
    return counts


# --- exports ---------------------------------------------------------------------------------


def xlsx_bytes(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
