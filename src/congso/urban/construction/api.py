"""/api/v1/urban/construction: works, inspections, violations and their steps, the control rate.

The same services and selectors as the HTML pages. Errors are ``{"code", "message", "details"}``
with stable codes; a work or violation outside the caller's units answers 404 ``not_found``; a
caller without a construction role answers 403 ``permission_denied``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile

from congso.kernel.errors import DomainError, PermissionDenied
from congso.kernel.orgunits.models import AdminUnit
from congso.urban.construction import rules, selectors, services
from congso.urban.construction.models import (
    CategoryDeadline,
    Inspection,
    InspectionStatus,
    Violation,
    ViolationCategory,
    Work,
)

router = Router(tags=["urban: construction"])


# --- schemas ---------------------------------------------------------------------------------


class WorkOut(Schema):
    id: int
    unit_id: int
    code: str
    name: str
    address: str
    lat: float | None
    lon: float | None
    owner_kind: str
    owner_name: str
    owner_contact: str
    description: str
    permit_status: str
    permit_status_label: str
    permit_number: str
    permit_date: dt.date | None
    permit_issuer: str
    permit_floors: int | None
    permit_floor_area: Decimal | None
    exempt_reason: str
    status: str
    status_label: str
    started_on: dt.date | None
    completed_on: dt.date | None
    open_violations: int | None = None
    has_overdue: bool | None = None
    last_inspected_on: dt.date | None = None
    url: str


class WorkPage(Schema):
    items: list[WorkOut]
    count: int
    limit: int
    offset: int


class WorkIn(Schema):
    address: str
    owner_name: str
    name: str = ""
    lat: float | None = None
    lon: float | None = None
    owner_kind: str = "person"
    owner_contact: str = ""
    description: str = ""
    permit_status: str = "unknown"
    permit_number: str = ""
    permit_date: dt.date | None = None
    permit_issuer: str = ""
    permit_floors: int | None = None
    permit_floor_area: Decimal | None = None
    exempt_reason: str = ""
    status: str = "started"
    started_on: dt.date | None = None
    completed_on: dt.date | None = None
    unit_id: int | None = None  # default: the caller's current position's unit


class WorkListParams(Schema):
    q: str = ""
    status: str = ""
    permit: str = ""
    controlled: str = ""
    overdue: bool = False
    unit: int | None = None
    limit: int = 50
    offset: int = 0


class PhotoOut(Schema):
    id: int
    file_id: str
    url: str
    kind: str
    size: int
    lat: float | None
    lon: float | None
    location_source: str
    taken_at: dt.datetime | None


class InspectionOut(Schema):
    id: int
    work_id: int
    status: str
    planned_on: dt.date | None
    inspected_on: dt.date | None
    inspector_id: int | None
    findings: str
    result: str
    source_ref: str
    photos: list[PhotoOut]


class InspectionIn(Schema):
    inspected_on: dt.date
    findings: str
    result: str
    lat: float | None = None
    lon: float | None = None
    planned_id: int | None = None


class ViolationOut(Schema):
    id: int
    work_id: int
    unit_id: int
    category: str
    category_label: str
    description: str
    status: str
    status_label: str
    record_label: str
    record_date: dt.date
    remedy_deadline: dt.date | None
    overdue: bool
    stop_order_label: str
    stop_order_date: dt.date | None
    sanction_number: str
    sanction_date: dt.date | None
    fine_amount: Decimal
    fine_paid: bool
    dismantling_required: bool
    dismantled_on: dt.date | None
    enforced_on: dt.date | None
    enforcement_measures: str
    closed_on: dt.date | None
    closure_note: str
    record_pdf: str
    stop_order_pdf: str | None


class ViolationPage(Schema):
    items: list[ViolationOut]
    count: int
    limit: int
    offset: int


class ViolationIn(Schema):
    category: str
    description: str
    record_date: dt.date | None = None
    order_stop: bool = True
    inspection_id: int | None = None


class ViolationListParams(Schema):
    status: str = ""
    category: str = ""
    overdue: bool = False
    work: int | None = None
    limit: int = 50
    offset: int = 0


class DayIn(Schema):
    day: dt.date | None = None


class SanctionIn(Schema):
    decision_number: str
    decision_date: dt.date | None = None
    fine_amount: Decimal = Decimal(0)
    dismantling_required: bool = False


class DismantleIn(Schema):
    day: dt.date | None = None
    note: str = ""


class EnforceIn(Schema):
    day: dt.date | None = None
    measures: str


class CloseIn(Schema):
    day: dt.date | None = None
    note: str
    fine_paid: bool = False


class ControlRateOut(Schema):
    unit_id: int | None
    unit_name: str
    works: int
    controlled: int
    rate: Decimal | None


class CategoryOut(Schema):
    code: str
    label: str
    days: int
    day_kind: str


# --- shaping ---------------------------------------------------------------------------------


def _access(request: HttpRequest) -> Any:
    user = request.user
    if not rules.can_use(user):
        raise PermissionDenied("Bạn không có quyền xem trật tự xây dựng.")
    return user


def _work_out(work: Work) -> dict[str, Any]:
    return {
        **{name: getattr(work, name) for name in services.WORK_FIELDS},
        "id": work.pk,
        "unit_id": work.unit_id,
        "code": work.code,
        "permit_status_label": work.get_permit_status_display(),
        "status_label": work.get_status_display(),
        "open_violations": (
            int(getattr(work, "open_violations", 0) or 0)
            if hasattr(work, "open_violations")
            else None
        ),
        "has_overdue": getattr(work, "has_overdue", None),
        "last_inspected_on": getattr(work, "last_inspected_on", None),
        "url": services.work_url(work),
    }


def _inspection_out(inspection: Inspection, photos: list[Any]) -> dict[str, Any]:
    return {
        "id": inspection.pk,
        "work_id": inspection.work_id,
        "status": inspection.status,
        "planned_on": inspection.planned_on,
        "inspected_on": inspection.inspected_on,
        "inspector_id": inspection.inspector_id,
        "findings": inspection.findings,
        "result": inspection.result,
        "source_ref": inspection.source_ref,
        "photos": [
            {
                "id": p.pk,
                "file_id": str(p.file.public_id),
                "url": reverse("files:download", args=[p.file.public_id]),
                "kind": p.file.kind,
                "size": p.file.size,
                "lat": p.lat,
                "lon": p.lon,
                "location_source": p.location_source,
                "taken_at": p.taken_at,
            }
            for p in photos
        ],
    }


def _violation_out(v: Violation) -> dict[str, Any]:
    return {
        "id": v.pk,
        "work_id": v.work_id,
        "unit_id": v.unit_id,
        "category": v.category,
        "category_label": v.get_category_display(),
        "description": v.description,
        "status": v.status,
        "status_label": v.get_status_display(),
        "record_label": v.record_label,
        "record_date": v.record_date,
        "remedy_deadline": v.remedy_deadline,
        "overdue": v.is_overdue(),
        "stop_order_label": v.stop_order_label,
        "stop_order_date": v.stop_order_date,
        "sanction_number": v.sanction_number,
        "sanction_date": v.sanction_date,
        "fine_amount": v.fine_amount,
        "fine_paid": v.fine_paid,
        "dismantling_required": v.dismantling_required,
        "dismantled_on": v.dismantled_on,
        "enforced_on": v.enforced_on,
        "enforcement_measures": v.enforcement_measures,
        "closed_on": v.closed_on,
        "closure_note": v.closure_note,
        "record_pdf": reverse("urban_construction:violation_record_pdf", args=[v.pk]),
        "stop_order_pdf": reverse("urban_construction:violation_stop_pdf", args=[v.pk])
        if v.stop_order_number
        else None,
    }


def _unit_for(request: HttpRequest, unit_id: int | None) -> AdminUnit:
    if unit_id is not None:
        unit = AdminUnit.objects.filter(pk=unit_id).first()
        if unit is None or not rules.can_view_unit(request.user, unit):
            raise DomainError(
                "unit_invalid", "Không có đơn vị này.", details={"field": "unit_id"}, status=404
            )
        return unit
    position = getattr(request, "position", None)
    if position is None:
        from congso.kernel.people.selectors import active_positions

        position = active_positions(request.user).first()
    if position is None:
        raise DomainError(
            "unit_required", "Cần chỉ rõ đơn vị (unit_id).", details={"field": "unit_id"}
        )
    return position.unit


def _limit(value: int) -> int:
    return max(1, min(int(value), 200))


# --- works -----------------------------------------------------------------------------------


@router.get("/works", response=WorkPage, summary="Sổ theo dõi công trình")
def works(request: HttpRequest, params: Query[WorkListParams]) -> dict[str, Any]:
    user = _access(request)
    filters = params.dict()
    limit, offset = _limit(filters.pop("limit")), max(0, filters.pop("offset"))
    queryset = selectors.work_list(user, filters={k: v for k, v in filters.items() if v})
    rows = list(queryset[offset : offset + limit])
    return {
        "items": [_work_out(w) for w in rows],
        "count": queryset.count(),
        "limit": limit,
        "offset": offset,
    }


@router.post("/works", response={201: WorkOut}, summary="Đăng ký công trình")
def work_create(request: HttpRequest, payload: WorkIn) -> Status[dict[str, Any]]:
    _access(request)
    data = payload.dict()
    unit = _unit_for(request, data.pop("unit_id"))
    work = services.work_register(unit=unit, actor=request.user, data=data)
    return Status(201, _work_out(work))


@router.get("/works/{work_id}", response=WorkOut, summary="Một công trình")
def work_get(request: HttpRequest, work_id: int) -> dict[str, Any]:
    return _work_out(selectors.work_get(_access(request), work_id))


@router.put("/works/{work_id}", response=WorkOut, summary="Sửa công trình")
def work_update(request: HttpRequest, work_id: int, payload: WorkIn) -> dict[str, Any]:
    work = selectors.work_get(_access(request), work_id)
    data = payload.dict()
    data.pop("unit_id", None)
    return _work_out(services.work_update(work=work, actor=request.user, data=data))


# --- inspections -----------------------------------------------------------------------------


@router.get(
    "/works/{work_id}/inspections", response=list[InspectionOut], summary="Các lần kiểm tra"
)
def inspections(request: HttpRequest, work_id: int) -> list[dict[str, Any]]:
    work = selectors.work_get(_access(request), work_id)
    return [
        _inspection_out(i, getattr(i, "photo_list", [])) for i in selectors.work_inspections(work)
    ]


@router.post(
    "/works/{work_id}/inspections",
    response={201: InspectionOut},
    summary="Ghi kết quả kiểm tra",
    description="Multipart: các trường và các phần `photo` (JPEG, PNG). Lỗi: 413 `file_too_large`, "
    "415 `file_type_mismatch` / `file_type_not_allowed`, 400 `location_outside_ward`.",
)
def inspection_create(
    request: HttpRequest,
    work_id: int,
    payload: Form[InspectionIn],
    photo: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status[dict[str, Any]]:
    work = selectors.work_get(_access(request), work_id)
    planned = None
    if payload.planned_id is not None:
        planned = work.inspections.filter(
            pk=payload.planned_id, status=InspectionStatus.PLANNED
        ).first()
        if planned is None:
            raise DomainError(
                "inspection_not_planned", "Không có kế hoạch kiểm tra này.", status=404
            )
    inspection = services.inspection_record(
        work=work,
        actor=request.user,
        inspected_on=payload.inspected_on,
        findings=payload.findings,
        result=payload.result,
        photos=list(photo or []),
        lat=payload.lat,
        lon=payload.lon,
        inspection=planned,
    )
    photos = list(inspection.photos.select_related("file"))
    return Status(201, _inspection_out(inspection, photos))


# --- violations ------------------------------------------------------------------------------


@router.get("/violations", response=ViolationPage, summary="Vi phạm trật tự xây dựng")
def violations(request: HttpRequest, params: Query[ViolationListParams]) -> dict[str, Any]:
    user = _access(request)
    filters = params.dict()
    limit, offset = _limit(filters.pop("limit")), max(0, filters.pop("offset"))
    queryset = selectors.violation_list(user, filters={k: v for k, v in filters.items() if v})
    rows = list(queryset[offset : offset + limit])
    return {
        "items": [_violation_out(v) for v in rows],
        "count": queryset.count(),
        "limit": limit,
        "offset": offset,
    }


@router.post(
    "/works/{work_id}/violations", response={201: ViolationOut}, summary="Lập biên bản vi phạm"
)
def violation_create(
    request: HttpRequest, work_id: int, payload: ViolationIn
) -> Status[dict[str, Any]]:
    work = selectors.work_get(_access(request), work_id)
    inspection = None
    if payload.inspection_id is not None:
        inspection = work.inspections.filter(pk=payload.inspection_id).first()
        if inspection is None:
            raise DomainError(
                "inspection_mismatch",
                "Lần kiểm tra không thuộc công trình này.",
                details={"field": "inspection_id"},
            )
    violation = services.violation_record(
        work=work,
        actor=request.user,
        category=payload.category,
        description=payload.description,
        record_date=payload.record_date,
        inspection=inspection,
        order_stop=payload.order_stop,
    )
    return Status(201, _violation_out(violation))


@router.get("/violations/{violation_id}", response=ViolationOut, summary="Một vi phạm")
def violation_get(request: HttpRequest, violation_id: int) -> dict[str, Any]:
    return _violation_out(selectors.violation_get(_access(request), violation_id))


@router.post("/violations/{violation_id}/stop", response=ViolationOut, summary="Đình chỉ thi công")
def violation_stop(request: HttpRequest, violation_id: int, payload: DayIn) -> dict[str, Any]:
    v = selectors.violation_get(_access(request), violation_id)
    return _violation_out(
        services.violation_order_stop(violation=v, actor=request.user, day=payload.day)
    )


@router.post(
    "/violations/{violation_id}/sanction", response=ViolationOut, summary="Quyết định xử phạt"
)
def violation_sanction(
    request: HttpRequest, violation_id: int, payload: SanctionIn
) -> dict[str, Any]:
    v = selectors.violation_get(_access(request), violation_id)
    return _violation_out(
        services.violation_sanction(
            violation=v,
            actor=request.user,
            decision_number=payload.decision_number,
            decision_date=payload.decision_date,
            fine_amount=payload.fine_amount,
            dismantling_required=payload.dismantling_required,
        )
    )


@router.post("/violations/{violation_id}/dismantle", response=ViolationOut, summary="Đã tháo dỡ")
def violation_dismantle(
    request: HttpRequest, violation_id: int, payload: DismantleIn
) -> dict[str, Any]:
    v = selectors.violation_get(_access(request), violation_id)
    return _violation_out(
        services.violation_dismantle(
            violation=v, actor=request.user, day=payload.day, note=payload.note
        )
    )


@router.post("/violations/{violation_id}/enforce", response=ViolationOut, summary="Cưỡng chế")
def violation_enforce(
    request: HttpRequest, violation_id: int, payload: EnforceIn
) -> dict[str, Any]:
    v = selectors.violation_get(_access(request), violation_id)
    return _violation_out(
        services.violation_enforce(
            violation=v, actor=request.user, day=payload.day, measures=payload.measures
        )
    )


@router.post("/violations/{violation_id}/close", response=ViolationOut, summary="Kết thúc xử lý")
def violation_close(request: HttpRequest, violation_id: int, payload: CloseIn) -> dict[str, Any]:
    v = selectors.violation_get(_access(request), violation_id)
    return _violation_out(
        services.violation_close(
            violation=v,
            actor=request.user,
            day=payload.day,
            note=payload.note,
            fine_paid=payload.fine_paid,
        )
    )


# --- figures ---------------------------------------------------------------------------------


@router.get(
    "/control", response=list[ControlRateOut], summary="Tỷ lệ công trình được kiểm soát theo phường"
)
def control(request: HttpRequest, year: int, month: int) -> list[dict[str, Any]]:
    user = _access(request)
    start, end = selectors.month_bounds(year, month)
    return [
        {
            "unit_id": r.unit_id,
            "unit_name": r.unit_name,
            "works": r.works,
            "controlled": r.controlled,
            "rate": r.rate,
        }
        for r in selectors.control_rates(rules.construction_unit_ids(user), start, end)
    ]


@router.get(
    "/categories", response=list[CategoryOut], summary="Hành vi vi phạm và thời hạn khắc phục"
)
def categories(request: HttpRequest) -> list[dict[str, Any]]:
    _access(request)
    configured = {c.category: c for c in CategoryDeadline.objects.all()}
    out = []
    for code, label in ViolationCategory.choices:
        days, kind = (
            (configured[code].days, configured[code].day_kind)
            if code in configured
            else services.category_deadline(code)
        )
        out.append({"code": code, "label": str(label), "days": int(days), "day_kind": str(kind)})
    return out
