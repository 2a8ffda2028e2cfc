"""Schemas of the one-stop shop's API (``api.py``) and the catalogue's exchange format."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema

from . import timing
from .models import Dossier, DossierStep, Procedure

# --- catalogue -------------------------------------------------------------------------------


class PaperOut(Schema):
    id: int
    position: int
    name: str
    copy_type: str
    copy_type_label: str
    quantity: int
    required: bool
    form_name: str
    has_form: bool


class StepOut(Schema):
    position: int
    name: str
    role: str
    department_abbreviation: str
    allotted_hours: Decimal


class FeeOut(Schema):
    name: str
    amount: int
    note: str


class ProcedureOut(Schema):
    id: int
    code: str
    name: str
    field_code: str
    field_name: str
    level: str
    duration_value: Decimal
    duration_unit: str
    duration_text: str
    cutoff_time: dt.time | None
    online_level: str
    online_level_label: str
    result_description: str
    fee_description: str
    is_demo: bool


class ProcedureDetailOut(ProcedureOut):
    legal_basis: str
    applicant_description: str
    return_place: str
    notes: str
    papers: list[PaperOut]
    steps: list[StepOut]
    fees: list[FeeOut]


class ProcedurePage(Schema):
    items: list[ProcedureOut]
    count: int


def procedure_out(p: Procedure) -> dict[str, Any]:
    return {
        "id": p.pk,
        "code": p.code,
        "name": p.name,
        "field_code": p.field.code,
        "field_name": p.field.name,
        "level": p.level,
        "duration_value": p.duration_value,
        "duration_unit": p.duration_unit,
        "duration_text": timing.describe_duration(p),
        "cutoff_time": p.cutoff_time,
        "online_level": p.online_level,
        "online_level_label": p.get_online_level_display(),
        "result_description": p.result_description,
        "fee_description": p.fee_description,
        "is_demo": p.is_demo,
    }


def procedure_detail_out(p: Procedure) -> dict[str, Any]:
    out = procedure_out(p)
    out.update(
        legal_basis=p.legal_basis,
        applicant_description=p.applicant_description,
        return_place=p.return_place,
        notes=p.notes,
        papers=[
            {
                "id": x.pk,
                "position": x.position,
                "name": x.name,
                "copy_type": x.copy_type,
                "copy_type_label": x.get_copy_type_display(),
                "quantity": x.quantity,
                "required": x.required,
                "form_name": x.form_name,
                "has_form": x.form_file_id is not None,
            }
            for x in p.papers.all()
        ],
        steps=[
            {
                "position": s.position,
                "name": s.name,
                "role": s.role,
                "department_abbreviation": s.department_abbreviation,
                "allotted_hours": s.allotted_hours,
            }
            for s in p.steps.all()
        ],
        fees=[{"name": f.name, "amount": int(f.amount), "note": f.note} for f in p.fees.all()],
    )
    return out


# --- dossiers --------------------------------------------------------------------------------


class DossierIn(Schema):
    """Multipart form fields of ``POST /dossiers``; files travel as ``file`` parts, and
    ``file_papers`` says which paper each file is (comma-separated ids in the files' order;
    an empty item for a file that is none in particular)."""

    procedure: str  # national code or id
    mode: str = "desk"  # "desk": accepted at once by a one-stop officer; "online": status 1
    unit_id: int | None = None  # default: the caller's current unit
    applicant_type: int = 0
    applicant_name: str
    applicant_id_number: str = ""
    applicant_address: str = ""
    applicant_phone: str = ""
    applicant_email: str = ""
    representative: str = ""
    papers: str = ""  # comma-separated ProcedurePaper ids handed in (desk)
    file_papers: str = ""
    content: str = ""
    sets_count: int = 1
    channel: int = 1  # desk mode: 1 at the desk, 3 by public post


class DossierCreatedOut(Schema):
    code: str
    lookup_secret: str
    status: int
    status_label: str
    submitted_at: dt.datetime
    received_at: dt.datetime | None
    appointment_at: dt.datetime | None
    register_year: int
    register_number: int
    lookup_url: str


class DossierOut(Schema):
    code: str
    unit_id: int
    procedure_code: str
    procedure_name: str
    field_name: str
    channel: int
    status: int
    status_label: str
    applicant_name: str
    submitted_at: dt.datetime
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    completed_at: dt.datetime | None
    returned_at: dt.datetime | None
    timeliness: str
    handler_id: int | None
    is_overdue: bool


class DossierStepOut(Schema):
    position: int
    name: str
    assignee_id: int | None
    assignee_name: str
    department: str
    allotted_hours: Decimal
    started_at: dt.datetime
    due_at: dt.datetime
    finished_at: dt.datetime | None
    spent_hours: Decimal | None
    timeliness: str


class DossierEventOut(Schema):
    at: dt.datetime
    action: str
    status_from: int | None
    status_to: int | None
    note: str


class DossierPaperOut(Schema):
    name: str
    copy_type: str
    quantity: int
    provided: bool


class DossierDetailOut(DossierOut):
    lookup_secret: str
    applicant_type: int
    applicant_id_number: str
    applicant_address: str
    applicant_phone: str
    applicant_email: str
    representative: str
    content: str
    sets_count: int
    register_year: int
    register_number: int
    original_due_at: dt.datetime | None
    paused_hours: Decimal
    spent_hours: Decimal | None
    elapsed_hours: Decimal
    result_summary: str
    refusal_reason: str
    fee_amount: int
    fee_paid: bool
    papers: list[DossierPaperOut]
    steps: list[DossierStepOut]
    events: list[DossierEventOut]
    allowed_actions: list[str]


class DossierPage(Schema):
    items: list[DossierOut]
    next_cursor: str | None


class ReasonIn(Schema):
    reason: str


class OptionalReasonIn(Schema):
    reason: str = ""


class SupplementIn(Schema):
    items: str
    note: str = ""


class HandOverIn(Schema):
    to_user_id: int | None = None
    to_department_id: int | None = None
    note: str = ""


class ExtendIn(Schema):
    new_due_at: dt.datetime
    reason: str


class FeesIn(Schema):
    amount: Decimal


class FeesPaidIn(Schema):
    online: bool = False


def local(moment: dt.datetime | None) -> dt.datetime | None:
    """Datetimes go out in Asia/Ho_Chi_Minh (+07:00), as printed on the forms."""
    return timing.local(moment) if moment is not None else None


def _is_overdue(d: Dossier, now: dt.datetime) -> bool:
    from .selectors import RUNNING_STATUSES

    return bool(d.due_at and d.status in RUNNING_STATUSES and d.due_at < now)


def dossier_out(d: Dossier, now: dt.datetime) -> dict[str, Any]:
    return {
        "code": d.code,
        "unit_id": d.unit_id,
        "procedure_code": d.procedure.code,
        "procedure_name": d.procedure.name,
        "field_name": d.field.name,
        "channel": d.channel,
        "status": d.status,
        "status_label": d.get_status_display(),
        "applicant_name": d.applicant_name,
        "submitted_at": local(d.submitted_at),
        "received_at": local(d.received_at),
        "due_at": local(d.due_at),
        "completed_at": local(d.completed_at),
        "returned_at": local(d.returned_at),
        "timeliness": d.timeliness,
        "handler_id": d.handler_id,
        "is_overdue": _is_overdue(d, now),
    }


def step_out(s: DossierStep) -> dict[str, Any]:
    return {
        "position": s.position,
        "name": s.name,
        "assignee_id": s.assignee_id,
        "assignee_name": s.assignee.get_full_name() if s.assignee else "",
        "department": s.department.name if s.department else "",
        "allotted_hours": s.allotted_hours,
        "started_at": local(s.started_at),
        "due_at": local(s.due_at),
        "finished_at": local(s.finished_at),
        "spent_hours": s.spent_hours,
        "timeliness": s.timeliness,
    }
