"""REST endpoints of the one-stop shop, mounted at the API's root (``/api/v1/procedures``,
``/api/v1/dossiers``…). The same services and selectors as the officers' pages.

Errors are ``{"code", "message", "details"}`` with stable codes (docs/procedures.md): 422
``unknown_procedure``, ``missing_papers``, ``applicant_name_required``…; 409
``transition_not_allowed``, ``extension_already_given``; 415 ``file_type_mismatch``; a dossier
outside the caller's units answers 404 ``dossier_not_found``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile

from congso.kernel.errors import DomainError, NotFound
from congso.kernel.orgunits.models import AdminUnit, Department
from congso.kernel.people.models import User
from congso.kernel.people.selectors import active_positions

from . import rules, selectors, services, timing
from .models import (
    Dossier,
    DossierEvent,
    DossierStep,
    ProcedurePaper,
    ProcedureStep,
)
from .schemas import (
    DossierCreatedOut,
    DossierDetailOut,
    DossierIn,
    DossierPage,
    ExtendIn,
    FeesIn,
    FeesPaidIn,
    HandOverIn,
    OptionalReasonIn,
    ProcedureDetailOut,
    ProcedurePage,
    ReasonIn,
    SupplementIn,
    dossier_out,
    local,
    procedure_detail_out,
    procedure_out,
    step_out,
)

router = Router(tags=["procedures: one-stop shop"])


# --- the catalogue (public) ------------------------------------------------------------------


class ProcedureFilters(Schema):
    q: str = ""
    field: str = ""  # field code
    level: str = ""
    online_level: str = ""
    demo: bool | None = None
    limit: int = 100
    offset: int = 0


@router.get(
    "/procedures",
    response=ProcedurePage,
    auth=None,
    summary="Danh mục thủ tục hành chính (công khai)",
    description="Lọc: `q` (tên hoặc mã), `field` (mã lĩnh vực), `level`, `online_level`, `demo`.",
)
def procedure_list(request: HttpRequest, filters: Query[ProcedureFilters]) -> dict[str, Any]:
    qs = selectors.public_procedures()
    text = " ".join(filters.q.split())
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(code__icontains=text))
    if filters.field:
        qs = qs.filter(field__code=filters.field)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.online_level:
        qs = qs.filter(online_level=filters.online_level)
    if filters.demo is not None:
        qs = qs.filter(is_demo=filters.demo)
    limit = max(1, min(filters.limit, 500))
    offset = max(0, filters.offset)
    rows = list(qs.order_by("field__name", "name", "id")[offset : offset + limit])
    return {"items": [procedure_out(p) for p in rows], "count": qs.count()}


@router.get(
    "/procedures/{code}",
    response=ProcedureDetailOut,
    auth=None,
    summary="Một thủ tục: giấy tờ, quy trình, phí (công khai)",
)
def procedure_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    procedure = (
        selectors.public_procedures()
        .prefetch_related(
            Prefetch("papers", queryset=ProcedurePaper.objects.order_by("position", "id")),
            Prefetch("steps", queryset=ProcedureStep.objects.order_by("position", "id")),
            "fees",
        )
        .filter(code=code)
        .first()
    )
    if procedure is None:
        raise NotFound("Không tìm thấy thủ tục.", code="unknown_procedure")
    return procedure_detail_out(procedure)


# --- dossiers --------------------------------------------------------------------------------


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _unit_for(request: HttpRequest, unit_id: int | None) -> AdminUnit:
    user = _user(request)
    if unit_id is None:
        position = getattr(request, "position", None) if request.user == user else None
        if position is None:
            position = active_positions(user).first()
        unit_id = position.unit_id if position is not None else None
    unit = AdminUnit.objects.filter(pk=unit_id).first() if unit_id is not None else None
    if unit is None:
        raise DomainError(
            "unit_required",
            "Không xác định được cơ quan tiếp nhận.",
            details={"field": "unit_id"},
            status=422,
        )
    return unit


def _ids(text: str, field: str) -> list[int | None]:
    out: list[int | None] = []
    for part in (text or "").split(","):
        item = part.strip()
        if not item:
            out.append(None)
        elif item.isdigit():
            out.append(int(item))
        else:
            raise DomainError(
                "papers_invalid",
                "Danh sách giấy tờ không hợp lệ.",
                details={"field": field},
                status=422,
            )
    return out


def _created(d: Dossier) -> dict[str, Any]:
    return {
        "code": d.code,
        "lookup_secret": d.lookup_secret,
        "status": d.status,
        "status_label": d.get_status_display(),
        "submitted_at": local(d.submitted_at),
        "received_at": local(d.received_at),
        "appointment_at": local(d.due_at),
        "register_year": d.register_year,
        "register_number": d.register_number,
        "lookup_url": services.lookup_url(d),
    }


@router.post(
    "/dossiers",
    response={201: DossierCreatedOut},
    summary="Tiếp nhận hồ sơ (tại quầy) hoặc nộp trực tuyến",
    description=(
        "Multipart: các trường của hồ sơ và các phần `file` (PDF, ảnh, DOCX, ODT). "
        "`mode=desk`: cán bộ một cửa tiếp nhận ngay (trạng thái 2, có ngày hẹn trả); "
        "`mode=online`: hồ sơ mới đăng ký (trạng thái 1), đồng hồ chạy khi được tiếp nhận. "
        "Lỗi: 422 `unknown_procedure`, `missing_papers`, `applicant_name_required`…; "
        "403 `permission_denied`; 413 `file_too_large`; 415 `file_type_mismatch`."
    ),
)
def dossier_create(
    request: HttpRequest,
    payload: Form[DossierIn],
    file: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status[dict[str, Any]]:
    user = _user(request)
    procedure = services.procedure_get(payload.procedure)
    unit = _unit_for(request, payload.unit_id)
    files = list(file or [])
    paper_ids = _ids(payload.file_papers, "file_papers") if payload.file_papers else []
    if len(paper_ids) > len(files):
        raise DomainError(
            "papers_invalid",
            "Số giấy tờ trong `file_papers` nhiều hơn số tệp gửi lên.",
            details={"field": "file_papers"},
            status=422,
        )
    paper_ids += [None] * (len(files) - len(paper_ids))
    uploads = list(zip(paper_ids, files, strict=True))
    applicant = {
        "type": payload.applicant_type,
        "name": payload.applicant_name,
        "id_number": payload.applicant_id_number,
        "address": payload.applicant_address,
        "phone": payload.applicant_phone,
        "email": payload.applicant_email,
        "representative": payload.representative,
    }
    provided = [i for i in _ids(payload.papers, "papers") if i is not None]
    if payload.mode == "desk":
        dossier = services.dossier_receive_at_desk(
            unit=unit,
            procedure=procedure,
            applicant=applicant,
            papers_provided=provided,
            uploads=uploads,
            content=payload.content,
            sets_count=payload.sets_count,
            officer=user,
            channel=payload.channel,
        )
    elif payload.mode == "online":
        if not rules.can_view_unit(user, unit):
            raise NotFound("Không tìm thấy cơ quan.", code="unit_not_found")
        dossier = services.dossier_submit_online(
            unit=unit,
            procedure=procedure,
            applicant=applicant,
            uploads=uploads,
            content=payload.content,
            user=None,
            papers_provided=provided,
            sets_count=payload.sets_count,
        )
    else:
        raise DomainError(
            "mode_invalid",
            "`mode` phải là desk hoặc online.",
            details={"field": "mode"},
            status=422,
        )
    return Status(201, _created(dossier))


class DossierFilters(Schema):
    status: int | None = None
    procedure: str = ""  # national code
    field: str = ""  # field code
    channel: int | None = None
    overdue: bool = False
    q: str = ""  # code or applicant's name
    cursor: str | None = None
    limit: int = selectors.PAGE_SIZE


@router.get(
    "/dossiers",
    response=DossierPage,
    summary="Danh sách hồ sơ của cơ quan (phân trang theo con trỏ)",
)
def dossier_list(request: HttpRequest, filters: Query[DossierFilters]) -> dict[str, Any]:
    now = timezone.now()
    qs = selectors.with_list_related(selectors.dossiers_for(_user(request)))
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    if filters.procedure:
        qs = qs.filter(procedure__code=filters.procedure)
    if filters.field:
        qs = qs.filter(field__code=filters.field)
    if filters.channel is not None:
        qs = qs.filter(channel=filters.channel)
    if filters.overdue:
        qs = qs.filter(status__in=selectors.RUNNING_STATUSES, due_at__lt=now)
    text = " ".join(filters.q.split())
    if text:
        qs = qs.filter(Q(code__istartswith=text) | Q(applicant_name__icontains=text))
    rows, following = selectors.dossier_page(qs, cursor=filters.cursor, limit=filters.limit)
    return {"items": [dossier_out(d, now) for d in rows], "next_cursor": following}


def _dossier(request: HttpRequest, code: str) -> Dossier:
    return services.dossier_get(code, user=_user(request))


def _detail(d: Dossier, user: Any) -> dict[str, Any]:
    now = timezone.now()
    d = (
        Dossier.objects.select_related("procedure", "field", "unit", "current_step")
        .prefetch_related(
            "papers",
            Prefetch(
                "steps",
                queryset=DossierStep.objects.select_related("assignee", "department").order_by(
                    "position", "id"
                ),
            ),
            Prefetch("events", queryset=DossierEvent.objects.order_by("at", "id")),
        )
        .get(pk=d.pk)
    )
    out = dossier_out(d, now)
    out.update(
        lookup_secret=d.lookup_secret,
        applicant_type=d.applicant_type,
        applicant_id_number=d.applicant_id_number,
        applicant_address=d.applicant_address,
        applicant_phone=d.applicant_phone,
        applicant_email=d.applicant_email,
        representative=d.representative,
        content=d.content,
        sets_count=d.sets_count,
        register_year=d.register_year,
        register_number=d.register_number,
        original_due_at=local(d.original_due_at),
        paused_hours=d.paused_hours,
        spent_hours=d.spent_hours,
        elapsed_hours=timing.elapsed_hours(d, now if d.completed_at is None else None),
        result_summary=d.result_summary,
        refusal_reason=d.refusal_reason,
        fee_amount=int(d.fee_amount),
        fee_paid=d.fee_paid,
        papers=[
            {
                "name": p.name,
                "copy_type": p.copy_type,
                "quantity": p.quantity,
                "provided": p.provided,
            }
            for p in d.papers.all()
        ],
        steps=[step_out(s) for s in d.steps.all()],
        events=[
            {
                "at": local(e.at),
                "action": e.action,
                "status_from": e.status_from,
                "status_to": e.status_to,
                "note": e.note,
            }
            for e in d.events.all()
        ],
        allowed_actions=services.allowed_actions(d, user),
    )
    return out


@router.get("/dossiers/{code}", response=DossierDetailOut, summary="Một hồ sơ")
def dossier_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    return _detail(_dossier(request, code), _user(request))


@router.post("/dossiers/{code}/accept", response=DossierDetailOut, summary="Tiếp nhận hồ sơ")
def accept(request: HttpRequest, code: str) -> dict[str, Any]:
    d = services.dossier_accept(dossier=_dossier(request, code), officer=_user(request))
    return _detail(d, _user(request))


@router.post(
    "/dossiers/{code}/request-supplement",
    response=DossierDetailOut,
    summary="Yêu cầu bổ sung, hoàn thiện hồ sơ (tạm dừng)",
)
def request_supplement(request: HttpRequest, code: str, payload: SupplementIn) -> dict[str, Any]:
    d = services.dossier_request_supplement(
        dossier=_dossier(request, code),
        actor=_user(request),
        items=payload.items,
        note=payload.note,
    )
    return _detail(d, _user(request))


class SupplementReceivedIn(Schema):
    note: str = ""
    file_papers: str = ""


@router.post(
    "/dossiers/{code}/supplement-received",
    response=DossierDetailOut,
    summary="Đã nhận giấy tờ bổ sung (tiếp tục tính thời gian)",
)
def supplement_received(
    request: HttpRequest,
    code: str,
    payload: Form[SupplementReceivedIn],
    file: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> dict[str, Any]:
    files = list(file or [])
    paper_ids = _ids(payload.file_papers, "file_papers") if payload.file_papers else []
    paper_ids = (paper_ids + [None] * len(files))[: len(files)]
    d = services.dossier_supplement_received(
        dossier=_dossier(request, code),
        actor=_user(request),
        uploads=list(zip(paper_ids, files, strict=True)),
        note=payload.note,
    )
    return _detail(d, _user(request))


@router.post("/dossiers/{code}/refuse", response=DossierDetailOut, summary="Từ chối tiếp nhận")
def refuse(request: HttpRequest, code: str, payload: ReasonIn) -> dict[str, Any]:
    d = services.dossier_refuse(
        dossier=_dossier(request, code), actor=_user(request), reason=payload.reason
    )
    return _detail(d, _user(request))


@router.post(
    "/dossiers/{code}/hand-over", response=DossierDetailOut, summary="Chuyển bước xử lý tiếp theo"
)
def hand_over(request: HttpRequest, code: str, payload: HandOverIn) -> dict[str, Any]:
    dossier = _dossier(request, code)
    to_user = None
    if payload.to_user_id is not None:
        to_user = User.objects.filter(pk=payload.to_user_id, is_active=True).first()
        if to_user is None:
            raise DomainError(
                "assignee_invalid",
                "Không tìm thấy người nhận.",
                details={"field": "to_user_id"},
                status=422,
            )
    department = None
    if payload.to_department_id is not None:
        department = Department.objects.filter(
            pk=payload.to_department_id, unit_id=dossier.unit_id
        ).first()
        if department is None:
            raise DomainError(
                "department_invalid",
                "Không tìm thấy phòng, ban nhận trong cơ quan.",
                details={"field": "to_department_id"},
                status=422,
            )
    d = services.dossier_hand_over(
        dossier=dossier,
        actor=_user(request),
        to_user=to_user,
        to_department=department,
        note=payload.note,
    )
    return _detail(d, _user(request))


@router.post(
    "/dossiers/{code}/request-fees",
    response=DossierDetailOut,
    summary="Yêu cầu thực hiện nghĩa vụ tài chính (tạm dừng)",
)
def request_fees(request: HttpRequest, code: str, payload: FeesIn) -> dict[str, Any]:
    d = services.dossier_request_fees(
        dossier=_dossier(request, code), actor=_user(request), amount=payload.amount
    )
    return _detail(d, _user(request))


@router.post("/dossiers/{code}/fees-paid", response=DossierDetailOut, summary="Đã nộp phí")
def fees_paid(request: HttpRequest, code: str, payload: FeesPaidIn) -> dict[str, Any]:
    d = services.dossier_fees_paid(
        dossier=_dossier(request, code), actor=_user(request), online=payload.online
    )
    return _detail(d, _user(request))


@router.post(
    "/dossiers/{code}/extend",
    response=DossierDetailOut,
    summary="Xin lỗi và gia hạn (một lần)",
)
def extend(request: HttpRequest, code: str, payload: ExtendIn) -> dict[str, Any]:
    d = services.dossier_extend(
        dossier=_dossier(request, code),
        actor=_user(request),
        new_due_at=payload.new_due_at,
        reason=payload.reason,
    )
    return _detail(d, _user(request))


@router.post("/dossiers/{code}/stop", response=DossierDetailOut, summary="Dừng giải quyết")
def stop(request: HttpRequest, code: str, payload: ReasonIn) -> dict[str, Any]:
    d = services.dossier_stop(
        dossier=_dossier(request, code), actor=_user(request), reason=payload.reason
    )
    return _detail(d, _user(request))


@router.post("/dossiers/{code}/withdraw", response=DossierDetailOut, summary="Rút hồ sơ")
def withdraw(request: HttpRequest, code: str, payload: OptionalReasonIn) -> dict[str, Any]:
    d = services.dossier_withdraw(
        dossier=_dossier(request, code), actor=_user(request), reason=payload.reason
    )
    return _detail(d, _user(request))


class CompleteIn(Schema):
    result_summary: str = ""
    electronic: bool = False
    sign: bool = False
    pin: str | None = None


@router.post(
    "/dossiers/{code}/complete",
    response=DossierDetailOut,
    summary="Có kết quả giải quyết (tệp kết quả, ký số tùy chọn)",
)
def complete(
    request: HttpRequest,
    code: str,
    payload: Form[CompleteIn],
    result: File[UploadedFile] = None,  # type: ignore[assignment]
) -> dict[str, Any]:
    d = services.dossier_complete(
        dossier=_dossier(request, code),
        actor=_user(request),
        result_upload=result,
        result_summary=payload.result_summary,
        electronic=payload.electronic,
        sign=payload.sign,
        pin=payload.pin,
    )
    return _detail(d, _user(request))


@router.post("/dossiers/{code}/return", response=DossierDetailOut, summary="Trả kết quả")
def return_result(request: HttpRequest, code: str) -> dict[str, Any]:
    d = services.dossier_return(dossier=_dossier(request, code), actor=_user(request))
    return _detail(d, _user(request))
