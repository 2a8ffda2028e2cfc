"""REST endpoints of field reports, mounted at /api/v1/urban/reports (staff; token or session).

GET  /categories                      active categories
GET  /                                 list (filters: status, category, level, overdue, q,
                                       start, end; limit/offset), scoped to the user's units
GET  /{id}                             one report
POST /{id}/accept|refuse|merge|assign|level|answer|close   the triage steps (services.py)
GET  /map?bbox=west,south,east,north   the map layer (GeoJSON FeatureCollection)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from congso.kernel.errors import DomainError, NotFound
from congso.kernel.orgunits.models import Department
from congso.kernel.people.models import User
from congso.urban.reports import selectors, services
from congso.urban.reports.models import FieldReport, ReportStatus

router = Router(tags=["Phản ánh hiện trường"])


class CategoryOut(Schema):
    code: str
    name: str
    description: str
    group: str
    allows_anonymous: bool
    default_level: str
    is_construction: bool


class ReportOut(Schema):
    id: int
    tracking_code: str
    unit_id: int
    category: str
    category_name: str
    channel: str
    description: str
    lat: float | None
    lon: float | None
    address: str
    status: str
    status_label: str
    level: str
    received_at: dt.datetime
    receipt_due_at: dt.datetime
    accepted_at: dt.datetime | None
    handle_due_at: dt.datetime | None
    answered_at: dt.datetime | None
    closed_at: dt.datetime | None
    overdue: bool
    department_id: int | None
    assignee_id: int | None
    public_answer: str
    refuse_reason: str
    merged_into: str | None
    rating: int | None
    anonymous: bool


class ReportPage(Schema):
    count: int
    items: list[ReportOut]


def _out(report: FieldReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "tracking_code": report.tracking_code,
        "unit_id": report.unit_id,
        "category": report.category.code,
        "category_name": report.category.name,
        "channel": report.channel,
        "description": report.description,
        "lat": report.lat,
        "lon": report.lon,
        "address": report.address,
        "status": report.status,
        "status_label": str(ReportStatus(report.status).label),
        "level": report.level,
        "received_at": report.received_at,
        "receipt_due_at": report.receipt_due_at,
        "accepted_at": report.accepted_at,
        "handle_due_at": report.handle_due_at,
        "answered_at": report.answered_at,
        "closed_at": report.closed_at,
        "overdue": services.is_overdue(report),
        "department_id": report.department_id,
        "assignee_id": report.assignee_id,
        "public_answer": report.public_answer,
        "refuse_reason": report.refuse_reason,
        "merged_into": report.merged_into.tracking_code if report.merged_into is not None else None,
        "rating": report.rating,
        "anonymous": report.is_anonymous,
    }


@router.get("/categories", response=list[CategoryOut])
def categories(request: HttpRequest) -> list[Any]:
    return list(selectors.categories_active())


@router.get("/map")
def map_layer(request: HttpRequest, bbox: str = "", status: str = "", category: str = "") -> Any:
    from congso.urban.geo import parse_bbox

    features = selectors.map_features(
        user=request.user,
        bbox=parse_bbox(bbox),
        filters={"status": status, "category": category},
    )
    return {"type": "FeatureCollection", "features": features}


@router.get("/", response=ReportPage)
def report_list(
    request: HttpRequest,
    status: str = "",
    category: str = "",
    level: str = "",
    overdue: bool = False,
    q: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    qs = selectors.report_list(
        request.user,
        selectors.ReportFilters(
            status=status,
            category=category,
            level=level,
            overdue=overdue,
            q=q,
            start=start,
            end=end,
        ),
    ).select_related("merged_into")
    limit = max(1, min(limit, 200))
    offset = max(0, min(offset, 1_000_000_000))  # beyond any list; a huge one overflowed SQL
    return {"count": qs.count(), "items": [_out(r) for r in qs[offset : offset + limit]]}


def _get(request: HttpRequest, report_id: int) -> FieldReport:
    return selectors.report_get(request.user, report_id)


@router.get("/{report_id}", response=ReportOut)
def report_detail(request: HttpRequest, report_id: int) -> dict[str, Any]:
    return _out(_get(request, report_id))


class AcceptIn(Schema):
    level: str | None = None


class RefuseIn(Schema):
    reason: str


class MergeIn(Schema):
    into: str


class AssignIn(Schema):
    department_id: int | None = None
    assignee_id: int | None = None
    open_inspection: bool = False


class LevelIn(Schema):
    level: str


class AnswerIn(Schema):
    answer: str


def _fresh(report: FieldReport, request: HttpRequest) -> dict[str, Any]:
    return _out(_get(request, report.pk))


@router.post("/{report_id}/accept", response=ReportOut)
def accept(request: HttpRequest, report_id: int, data: AcceptIn) -> dict[str, Any]:
    report = services.report_accept(
        report=_get(request, report_id),
        actor=request.user,
        level=data.level,
    )
    return _fresh(report, request)


@router.post("/{report_id}/refuse", response=ReportOut)
def refuse(request: HttpRequest, report_id: int, data: RefuseIn) -> dict[str, Any]:
    report = services.report_refuse(
        report=_get(request, report_id),
        actor=request.user,
        reason=data.reason,
    )
    return _fresh(report, request)


@router.post("/{report_id}/merge", response=ReportOut)
def merge(request: HttpRequest, report_id: int, data: MergeIn) -> dict[str, Any]:
    report = _get(request, report_id)
    code = services.normalise_tracking_code(data.into)
    target = selectors.reports_visible(request.user).filter(tracking_code=code).first()
    if target is None:
        raise NotFound("Không tìm thấy phản ánh gốc.")
    services.report_merge(report=report, into=target, actor=request.user)
    return _fresh(report, request)


@router.post("/{report_id}/assign", response=ReportOut)
def assign(request: HttpRequest, report_id: int, data: AssignIn) -> dict[str, Any]:
    report = _get(request, report_id)
    department = (
        Department.objects.filter(pk=data.department_id).first() if data.department_id else None
    )
    assignee = User.objects.filter(pk=data.assignee_id).first() if data.assignee_id else None
    if data.department_id and department is None:
        raise DomainError("report_department_unknown", "Không tìm thấy phòng ban.")
    if data.assignee_id and assignee is None:
        raise DomainError("report_assignee_unknown", "Không tìm thấy cán bộ.")
    services.report_assign(
        report=report,
        actor=request.user,
        department=department,
        assignee=assignee,
        open_inspection=data.open_inspection,
    )
    return _fresh(report, request)


@router.post("/{report_id}/level", response=ReportOut)
def level(request: HttpRequest, report_id: int, data: LevelIn) -> dict[str, Any]:
    report = services.report_set_level(
        report=_get(request, report_id),
        actor=request.user,
        level=data.level,
    )
    return _fresh(report, request)


@router.post("/{report_id}/answer", response=ReportOut)
def answer(request: HttpRequest, report_id: int, data: AnswerIn) -> dict[str, Any]:
    report = services.report_answer(
        report=_get(request, report_id),
        actor=request.user,
        answer=data.answer,
    )
    return _fresh(report, request)


@router.post("/{report_id}/close", response=ReportOut)
def close(request: HttpRequest, report_id: int) -> dict[str, Any]:
    report = services.report_close(report=_get(request, report_id), actor=request.user)
    return _fresh(report, request)
