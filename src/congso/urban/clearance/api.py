"""/api/v1/urban/clearance: the same services and selectors as the pages.

Errors are ``{"code", "message", "details"}``; a project outside the caller's units answers 404.

- ``GET  /projects`` (q, status, year_from, year_to, limit, offset) · ``POST /projects``
- ``GET  /projects/{id}`` (with progress figures) · ``PATCH /projects/{id}``
- ``POST /projects/{id}/status`` · ``GET /projects/{id}/timeline``
- ``GET  /projects/{id}/parties`` · ``POST /projects/{id}/parties`` ·
  ``POST /projects/{id}/parties/import`` (multipart ``file``; all or nothing)
- ``GET  /parties/{id}`` · ``POST /parties/{id}/steps`` · ``POST /parties/{id}/forced``
- ``POST /parties/{id}/obstacles`` · ``POST /obstacles/{id}/resolve``
- ``GET  /portfolio`` (start, end, unit)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import File, Query, Router, Schema, Status, UploadedFile

from congso.kernel.errors import DomainError, NotFound, PermissionDenied
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.selectors import visible_unit_ids
from congso.urban.clearance import rules, selectors, services
from congso.urban.clearance.models import (
    AffectedParty,
    ClearanceEvent,
    ClearanceObstacle,
    ClearanceProject,
    LandType,
    PartyKind,
)

router = Router(tags=["urban: site clearance"])


# --- schemas --------------------------------------------------------------------------------------


class ProjectOut(Schema):
    id: int
    unit_id: int
    code: str
    name: str
    investor: str
    purpose: str
    area_m2: Decimal
    address: str
    lat: Decimal | None
    lon: Decimal | None
    start_date: dt.date
    target_date: dt.date | None
    status: str
    status_label: str
    completed_on: dt.date | None
    parties: int | None = None
    parties_handed_over: int | None = None
    area_handed_m2: Decimal | None = None
    paid_vnd: Decimal | None = None
    url: str


class ProjectDetailOut(ProjectOut):
    boundary: dict[str, Any] | None
    status_note: str
    progress: dict[str, Any]


class ProjectPage(Schema):
    count: int
    items: list[ProjectOut]


class ProjectIn(Schema):
    name: str
    start_date: dt.date
    investor: str = ""
    purpose: str = ""
    area_m2: Decimal | str = Decimal("0")
    address: str = ""
    lat: float | str | None = None
    lon: float | str | None = None
    boundary: dict[str, Any] | None = None
    target_date: dt.date | None = None
    unit_id: int | None = None  # default: the caller's current position's unit


class ProjectPatch(Schema):
    name: str | None = None
    start_date: dt.date | None = None
    investor: str | None = None
    purpose: str | None = None
    area_m2: Decimal | str | None = None
    address: str | None = None
    lat: float | str | None = None
    lon: float | str | None = None
    boundary: dict[str, Any] | None = None
    target_date: dt.date | None = None


class StatusIn(Schema):
    status: str
    on: dt.date | None = None
    note: str = ""


class PartyOut(Schema):
    id: int
    project_id: int
    code: str
    kind: str
    name: str
    address: str
    parcel: str
    land_type: str
    area_m2: Decimal
    step: int
    step_label: str
    notified_on: dt.date | None
    inventoried_on: dt.date | None
    forced_inventory: bool
    plan_drafted_on: dt.date | None
    plan_amount: Decimal | None
    plan_posted_on: dt.date | None
    plan_approved_on: dt.date | None
    approved_amount: Decimal | None
    decided_on: dt.date | None
    decision_number: str
    paid_on: dt.date | None
    paid_amount: Decimal
    handed_over_on: dt.date | None
    forced_recovery: bool


class PartyIn(Schema):
    code: str
    name: str
    kind: str = PartyKind.HOUSEHOLD
    address: str = ""
    parcel: str = ""
    land_type: str = LandType.NON_AGRICULTURAL
    area_m2: Decimal | str = Decimal("0")
    note: str = ""


class StepIn(Schema):
    step: int
    on: dt.date
    amount: Decimal | str | None = None
    decision_number: str = ""
    note: str = ""


class ForcedIn(Schema):
    kind: str  # "inventory" | "recovery"
    on: dt.date
    note: str = ""


class ObstacleIn(Schema):
    reason: str
    on: dt.date
    description: str = ""


class ObstacleOut(Schema):
    id: int
    party_id: int
    reason: str
    reason_label: str
    description: str
    opened_on: dt.date
    resolved_on: dt.date | None
    resolution: str


class ResolveIn(Schema):
    on: dt.date
    resolution: str


class EventOut(Schema):
    id: int
    on: dt.date
    kind: str
    kind_label: str
    party_id: int | None
    step: int | None
    amount: Decimal | None
    note: str
    actor_id: int | None


class ImportOut(Schema):
    added: int


# --- helpers --------------------------------------------------------------------------------------


def _project(request: HttpRequest, pk: int) -> ClearanceProject:
    project = ClearanceProject.objects.select_related("unit").filter(pk=pk).first()
    if project is None or not rules.can_view(request.user, project.unit_id):
        raise NotFound("Không tìm thấy dự án.")
    return project


def _party(request: HttpRequest, pk: int) -> AffectedParty:
    party = AffectedParty.objects.select_related("project__unit").filter(pk=pk).first()
    if party is None or not rules.can_view(request.user, party.project.unit_id):
        raise NotFound("Không tìm thấy hộ.")
    return party


def _project_out(p: ClearanceProject) -> dict[str, Any]:
    return {
        "id": p.pk,
        "unit_id": p.unit_id,
        "code": p.code,
        "name": p.name,
        "investor": p.investor,
        "purpose": p.purpose,
        "area_m2": p.area_m2,
        "address": p.address,
        "lat": p.lat,
        "lon": p.lon,
        "start_date": p.start_date,
        "target_date": p.target_date,
        "status": p.status,
        "status_label": p.get_status_display(),
        "completed_on": p.completed_on,
        "parties": getattr(p, "n_parties", None),
        "parties_handed_over": getattr(p, "n_handed", None),
        "area_handed_m2": getattr(p, "m2_handed", None),
        "paid_vnd": getattr(p, "vnd_paid", None),
        "url": services.project_url(p),
    }


def _detail_out(p: ClearanceProject) -> dict[str, Any]:
    return _project_out(p) | {
        "boundary": p.boundary,
        "status_note": p.status_note,
        "progress": selectors.project_progress(p).as_dict(),
    }


def _party_out(p: AffectedParty) -> dict[str, Any]:
    fields = [f for f in PartyOut.model_fields if f not in ("step_label", "project_id")]
    out = {f: getattr(p, f) for f in fields}
    out["id"] = p.pk
    out["project_id"] = p.project_id
    out["step_label"] = p.get_step_display()
    return out


def _obstacle_out(o: ClearanceObstacle) -> dict[str, Any]:
    return {
        "id": o.pk,
        "party_id": o.party_id,
        "reason": o.reason,
        "reason_label": o.get_reason_display(),
        "description": o.description,
        "opened_on": o.opened_on,
        "resolved_on": o.resolved_on,
        "resolution": o.resolution,
    }


def _event_out(e: ClearanceEvent) -> dict[str, Any]:
    return {
        "id": e.pk,
        "on": e.on,
        "kind": e.kind,
        "kind_label": e.get_kind_display(),
        "party_id": e.party_id,
        "step": e.step,
        "amount": e.amount,
        "note": e.note,
        "actor_id": e.actor_id,
    }


def _project_data(body: Any, base: ClearanceProject | None = None) -> services.ProjectData:
    def pick(name: str, default: Any) -> Any:
        value = getattr(body, name, None)
        return value if value is not None else default

    return services.ProjectData(
        name=pick("name", base.name if base else ""),
        start_date=pick("start_date", base.start_date if base else None),
        investor=pick("investor", base.investor if base else ""),
        purpose=pick("purpose", base.purpose if base else ""),
        area_m2=pick("area_m2", base.area_m2 if base else Decimal(0)),
        address=pick("address", base.address if base else ""),
        lat=pick("lat", base.lat if base else None),
        lon=pick("lon", base.lon if base else None),
        boundary=pick("boundary", base.boundary if base else None),
        target_date=pick("target_date", base.target_date if base else None),
    )


# --- projects -------------------------------------------------------------------------------------


@router.get("/projects", response=ProjectPage, summary="Danh sách dự án GPMB")
def list_projects(
    request: HttpRequest,
    q: str = "",
    status: str = "",
    year_from: int | None = None,
    year_to: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    if not 1 <= limit <= 500 or offset < 0:
        raise DomainError("limit_invalid", "limit từ 1 đến 500, offset không âm.")
    qs = selectors.project_list(
        request.user,
        selectors.ProjectFilters(q=q, status=status, year_from=year_from, year_to=year_to),
    )
    return {
        "count": qs.count(),
        "items": [_project_out(p) for p in qs[offset : offset + limit]],
    }


@router.post("/projects", response={201: ProjectDetailOut}, summary="Lập dự án GPMB")
def create_project(request: HttpRequest, body: ProjectIn) -> Status[dict[str, Any]]:
    if body.unit_id is not None:
        unit = AdminUnit.objects.filter(pk=body.unit_id).first()
        if unit is None or unit.pk not in visible_unit_ids(request.user):
            raise NotFound("Không tìm thấy đơn vị.")
    else:
        position = getattr(request, "position", None)
        if position is None:
            raise PermissionDenied("Cần chọn đơn vị (unit_id).")
        unit = position.unit
    project = services.project_create(unit=unit, actor=request.user, data=_project_data(body))
    return Status(201, _detail_out(project))


@router.get("/projects/{pk}", response=ProjectDetailOut, summary="Một dự án và tiến độ")
def get_project(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _detail_out(_project(request, pk))


@router.patch("/projects/{pk}", response=ProjectDetailOut, summary="Sửa dự án")
def patch_project(request: HttpRequest, pk: int, body: ProjectPatch) -> dict[str, Any]:
    project = _project(request, pk)
    project = services.project_update(
        project=project, actor=request.user, data=_project_data(body, project)
    )
    return _detail_out(project)


@router.post("/projects/{pk}/status", response=ProjectDetailOut, summary="Đổi trạng thái")
def set_status(request: HttpRequest, pk: int, body: StatusIn) -> dict[str, Any]:
    project = services.project_set_status(
        project=_project(request, pk),
        status=body.status,
        on=body.on,
        note=body.note,
        actor=request.user,
    )
    return _detail_out(project)


@router.get("/projects/{pk}/timeline", response=list[EventOut], summary="Diễn biến")
def timeline(request: HttpRequest, pk: int, limit: int = 200) -> list[dict[str, Any]]:
    project = _project(request, pk)
    return [_event_out(e) for e in selectors.project_timeline(project, limit=min(limit, 1000))]


@router.get("/projects/{pk}/parties", response=list[PartyOut], summary="Hộ bị ảnh hưởng")
def list_parties(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    project = _project(request, pk)
    return [_party_out(p) for p in project.parties.order_by("code")]


@router.post("/projects/{pk}/parties", response={201: PartyOut}, summary="Thêm hộ")
def add_party(request: HttpRequest, pk: int, body: PartyIn) -> Status[dict[str, Any]]:
    party = services.party_add(
        project=_project(request, pk),
        actor=request.user,
        data=services.PartyData(**body.dict()),
    )
    return Status(201, _party_out(party))


@router.post(
    "/projects/{pk}/parties/import",
    response=ImportOut,
    summary="Nhập hộ từ XLSX (tất cả hoặc không)",
)
def import_parties(request: HttpRequest, pk: int, file: File[UploadedFile]) -> dict[str, Any]:
    project = _project(request, pk)
    if file.size and file.size > 5 * 1024 * 1024:
        raise DomainError("import_too_large", "Tệp lớn hơn 5 MB.")
    added = services.parties_import(project=project, actor=request.user, content=file.read())
    return {"added": added}


# --- parties --------------------------------------------------------------------------------------


@router.get("/parties/{pk}", response=PartyOut, summary="Một hộ")
def get_party(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _party_out(_party(request, pk))


@router.post("/parties/{pk}/steps", response=PartyOut, summary="Ghi nhận bước tiếp theo")
def advance(request: HttpRequest, pk: int, body: StepIn) -> dict[str, Any]:
    party = services.party_advance(
        party=_party(request, pk),
        step=body.step,
        on=body.on,
        amount=body.amount,
        decision_number=body.decision_number,
        note=body.note,
        actor=request.user,
    )
    return _party_out(party)


@router.post("/parties/{pk}/forced", response=PartyOut, summary="Kiểm đếm bắt buộc, cưỡng chế")
def forced(request: HttpRequest, pk: int, body: ForcedIn) -> dict[str, Any]:
    service = {
        "inventory": services.party_force_inventory,
        "recovery": services.party_force_recovery,
    }.get(body.kind)
    if service is None:
        raise DomainError("kind_invalid", "kind phải là inventory hoặc recovery.")
    party = service(party=_party(request, pk), on=body.on, note=body.note, actor=request.user)
    return _party_out(party)


@router.get("/parties/{pk}/obstacles", response=list[ObstacleOut], summary="Vướng mắc")
def list_obstacles(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    return [_obstacle_out(o) for o in _party(request, pk).obstacles.all()]


@router.post("/parties/{pk}/obstacles", response={201: ObstacleOut}, summary="Ghi nhận vướng mắc")
def open_obstacle(request: HttpRequest, pk: int, body: ObstacleIn) -> Status[dict[str, Any]]:
    obstacle = services.obstacle_open(
        party=_party(request, pk),
        reason=body.reason,
        on=body.on,
        description=body.description,
        actor=request.user,
    )
    return Status(201, _obstacle_out(obstacle))


@router.post("/obstacles/{pk}/resolve", response=ObstacleOut, summary="Giải quyết vướng mắc")
def resolve_obstacle(request: HttpRequest, pk: int, body: ResolveIn) -> dict[str, Any]:
    obstacle = (
        ClearanceObstacle.objects.select_related("party__project__unit").filter(pk=pk).first()
    )
    if obstacle is None or not rules.can_view(request.user, obstacle.party.project.unit_id):
        raise NotFound("Không tìm thấy vướng mắc.")
    obstacle = services.obstacle_resolve(
        obstacle=obstacle, on=body.on, resolution=body.resolution, actor=request.user
    )
    return _obstacle_out(obstacle)


# --- portfolio ------------------------------------------------------------------------------------


class PortfolioParams(Schema):
    start: dt.date = dt.date(2016, 1, 1)
    end: dt.date = dt.date(2020, 12, 31)
    unit: int | None = None


@router.get("/portfolio", response=dict[str, Any], summary="Tổng hợp GPMB trong kỳ")
def portfolio(request: HttpRequest, params: Query[PortfolioParams]) -> dict[str, Any]:
    units = visible_unit_ids(request.user)
    if not units:
        raise PermissionDenied("Dành cho cán bộ.")
    if params.unit is not None:
        if params.unit not in units:
            raise NotFound("Không tìm thấy đơn vị.")
        units = {params.unit}
    if params.end < params.start:
        raise DomainError("period_invalid", "Ngày kết thúc phải sau ngày bắt đầu.")
    return selectors.portfolio(units, params.start, params.end).as_dict()
