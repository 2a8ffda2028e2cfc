"""The one-stop shop's workflow: intake, acceptance, steps, pauses, extension, result, return.

Every function here is keyword-only, runs in one ``transaction.atomic()``, locks the dossier row,
checks the transition against ``TRANSITIONS`` (the national portal's ten status codes, §2.3) and
the permission rules (``rules.py``), writes a ``DossierEvent`` (the timeline), an audit event
(``audit_record``) and notifies whoever must act next. Errors are ``DomainError`` with stable codes
(see docs/procedures.md "Mã lỗi").

Numbers (the dossier code's day counter and the register line) are taken with
``kernel.numbering.number_next`` *before* any audited write of the transaction (files are audited
too), as docs/decisions/0003 requires.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from congso.kernel.audit.services import audit_record
from congso.kernel.errors import DomainError, NotFound, PermissionDenied
from congso.kernel.files.services import file_store
from congso.kernel.notifications.services import notify
from congso.kernel.numbering.services import number_next
from congso.kernel.orgunits.models import AdminUnit, Department
from congso.kernel.people.models import Position, Role

from . import rules, timing
from .models import (
    FINAL_STATUSES,
    PAUSED_STATUSES,
    ApplicantType,
    AttachmentKind,
    Channel,
    Dossier,
    DossierAttachment,
    DossierEvent,
    DossierExtension,
    DossierPaper,
    DossierPause,
    DossierRating,
    DossierStatus,
    DossierStep,
    PauseReason,
    Procedure,
    ProcedurePaper,
    ProcedureStep,
    Satisfaction,
    Timeliness,
)

logger = logging.getLogger(__name__)

S = DossierStatus

#: Allowed transitions between the national status codes (§2.3). 5 and 6 go back to the status
#: they paused (1, 2 or 4); 5 may end in a refusal (3) when the supplement never came.
TRANSITIONS: dict[int, frozenset[int]] = {
    S.SUBMITTED: frozenset({S.ACCEPTED, S.REFUSED, S.SUPPLEMENT_REQUESTED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset(
        {S.IN_PROCESS, S.SUPPLEMENT_REQUESTED, S.FEES_DUE, S.WITHDRAWN, S.STOPPED, S.DONE}
    ),
    S.IN_PROCESS: frozenset(
        {S.IN_PROCESS, S.SUPPLEMENT_REQUESTED, S.FEES_DUE, S.WITHDRAWN, S.STOPPED, S.DONE}
    ),
    S.SUPPLEMENT_REQUESTED: frozenset(
        {S.SUBMITTED, S.ACCEPTED, S.IN_PROCESS, S.REFUSED, S.WITHDRAWN, S.STOPPED}
    ),
    S.FEES_DUE: frozenset({S.ACCEPTED, S.IN_PROCESS, S.WITHDRAWN, S.STOPPED}),
    S.DONE: frozenset({S.RETURNED}),
    S.REFUSED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.STOPPED: frozenset(),
    S.RETURNED: frozenset(),
}

#: File kinds an applicant's papers and a result may be (sniffed by kernel.files).
PAPER_FILE_TYPES = ("pdf", "png", "jpeg", "tiff", "docx", "odt")
RESULT_FILE_TYPES = ("pdf", "png", "jpeg", "tiff", "docx", "odt")
#: The second factor on the receipt: no 0/O, 1/I/L (read aloud or typed from paper).
SECRET_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # noqa: S105 - an alphabet
SECRET_LENGTH = 8
NAME_MAX = 255
TEXT_MAX = 4000
#: Clock skew tolerated on a given ``at`` (a client's clock slightly ahead).
FUTURE_TOLERANCE = dt.timedelta(minutes=10)

ACTIONS = (
    "accept",
    "refuse",
    "request_supplement",
    "supplement_received",
    "request_fees",
    "fees_paid",
    "hand_over",
    "extend",
    "stop",
    "withdraw",
    "complete",
    "return",
)


# --- small helpers ---------------------------------------------------------------------------


def _nfc(value: Any) -> str:
    return unicodedata.normalize("NFC", str(value or "")).replace("\x00", "").strip()


def _line(value: Any, limit: int = NAME_MAX) -> str:
    return " ".join(_nfc(value).split())[:limit]


def _text(value: Any, limit: int = TEXT_MAX) -> str:
    return _nfc(value)[:limit]


def _bad(code: str, message: str, field: str | None = None, **details: Any) -> DomainError:
    if field:
        details["field"] = field
    return DomainError(code, message, details=details or None, status=422)


def _now(at: dt.datetime | None) -> dt.datetime:
    now = timezone.now()
    if at is None:
        return now
    if not isinstance(at, dt.datetime) or at.tzinfo is None:
        raise _bad("invalid_datetime", "Thời điểm phải có múi giờ.", "at")
    if at > now + FUTURE_TOLERANCE:
        raise _bad("datetime_in_future", "Thời điểm không được ở tương lai.", "at")
    return at


def _fmt(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return timing.local(moment).strftime("%H giờ %M phút, ngày %d/%m/%Y")


def _timeliness_label(value: str) -> str:
    return str(Timeliness(value).label) if value else ""


def _status_label(status: int) -> str:
    return str(DossierStatus(status).label)


def dossier_url(dossier: Dossier) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("procedures:dossier_detail", args=[dossier.code])
    except NoReverseMatch:
        return ""


def lookup_url(dossier: Dossier) -> str:
    """What the receipt's QR code encodes: ``{SITE_URL}/tra-cuu/?ma=<code>&k=<secret>``."""
    from urllib.parse import urlencode

    base = str(getattr(settings, "SITE_URL", "") or "").rstrip("/")
    return f"{base}/tra-cuu/?{urlencode({'ma': dossier.code, 'k': dossier.lookup_secret})}"


def unit_code(unit: AdminUnit) -> str:
    """The agency code in the dossier code: the unit's ``org_code`` (mã định danh), or, when an
    administrator has not entered it yet, ``DV<id>`` (stable for the installation)."""
    code = "".join(_nfc(unit.org_code).split())
    return code or f"DV{unit.pk}"


def new_lookup_secret() -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


def _take_numbers(unit: AdminUnit, day: dt.date) -> tuple[str, int, int]:
    """The dossier code (day counter) and the register line (yearly): gap-free, inside the
    caller's transaction, before any audited write."""
    yymmdd = day.strftime("%y%m%d")
    daily = number_next(scope=f"procedures:{unit.pk}", series=f"dossier-{yymmdd}", year=day.year)
    line = number_next(scope=f"procedures:{unit.pk}", series="register", year=day.year)
    return f"{unit_code(unit)}-{yymmdd}-{daily:04d}", day.year, line


def _search_changed(dossier: Dossier) -> None:
    from congso.kernel.search.registry import kind_for_model
    from congso.kernel.search.services import search_enqueue

    if kind_for_model(Dossier) is not None:
        search_enqueue(dossier)


def _event(
    dossier: Dossier,
    *,
    action: str,
    at: dt.datetime,
    actor: Any,
    status_from: int | None,
    note: str = "",
    public: bool = True,
) -> DossierEvent:
    return DossierEvent.objects.create(
        dossier=dossier,
        at=at,
        action=action,
        status_from=status_from,
        status_to=dossier.status,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
        public=public,
    )


def _record(
    dossier: Dossier,
    *,
    action: str,
    at: dt.datetime,
    actor: Any,
    status_from: int | None,
    note: str = "",
    summary: str,
    changes: dict[str, Any] | None = None,
    public: bool = True,
) -> None:
    """The timeline event, the audit event and the search outbox of one change."""
    _event(
        dossier,
        action=action,
        at=at,
        actor=actor,
        status_from=status_from,
        note=note,
        public=public,
    )
    base: dict[str, Any] = {}
    if status_from != dossier.status:
        base["status"] = [status_from, int(dossier.status)]
    base.update(changes or {})
    audit_record(
        action=f"dossier.{action}",
        obj=dossier,
        actor=actor if getattr(actor, "pk", None) else None,
        unit=dossier.unit_id,
        changes=base,
        summary=f"{dossier.code}: {summary}",
    )
    _search_changed(dossier)


def _lock(dossier: Dossier | int) -> Dossier:
    pk = dossier if isinstance(dossier, int) else dossier.pk
    row = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("unit", "procedure", "current_step")
        .filter(pk=pk)
        .first()
    )
    if row is None:
        raise NotFound("Không tìm thấy hồ sơ.", code="dossier_not_found")
    return row


def _check_transition(dossier: Dossier, to: int) -> None:
    if to not in TRANSITIONS.get(int(dossier.status), frozenset()):
        raise DomainError(
            "transition_not_allowed",
            f"Không thể thực hiện thao tác này: hồ sơ {dossier.code} đang ở trạng thái "
            f"“{_status_label(dossier.status)}”.",
            details={"status": int(dossier.status), "to": int(to)},
            status=409,
        )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _applicant_notify(dossier: Dossier, *, title: str, body: str) -> None:
    """Tell the applicant: their account's inbox (and e-mail), or an e-mail to the address they
    gave (sent after the commit; a failing mail server never undoes the change)."""
    if dossier.applicant_user_id:
        notify(
            recipients=[dossier.applicant_user_id],
            title=title,
            body=body,
            url=lookup_url(dossier),
            kind="procedures.applicant",
            obj=dossier,
        )
        return
    if dossier.applicant_email:
        transaction.on_commit(
            partial(_send_applicant_mail, dossier.applicant_email, title, body, lookup_url(dossier))
        )


def _send_applicant_mail(address: str, title: str, body: str, link: str) -> None:
    from django.core.mail import send_mail

    try:
        send_mail(
            subject=f"[Công sở số] {title}",
            message=f"{body}\n\nTra cứu hồ sơ: {link}\n",
            from_email=None,
            recipient_list=[address],
        )
    except Exception:
        logger.exception("applicant e-mail to %s failed", address)


def _unit_leaders(unit_id: int) -> list[int]:
    return list(
        Position.objects.active()
        .filter(unit_id=unit_id, role=Role.LEADER)
        .values_list("user_id", flat=True)
        .distinct()
    )


def _department_members(department: Department) -> list[int]:
    return list(
        Position.objects.active()
        .filter(department_id=department.pk)
        .values_list("user_id", flat=True)
        .distinct()
    )


def _onestop_officers(unit_id: int) -> list[int]:
    return list(
        Position.objects.active()
        .filter(unit_id=unit_id, role=Role.ONESTOP_OFFICER)
        .values_list("user_id", flat=True)
        .distinct()
    )


# --- applicant and papers --------------------------------------------------------------------

APPLICANT_FIELDS = ("type", "name", "id_number", "address", "phone", "email", "representative")


def clean_applicant(applicant: dict[str, Any] | None) -> dict[str, Any]:
    """Validate the applicant's fields; returns the model's field values."""
    data = dict(applicant or {})
    unknown = set(data) - set(APPLICANT_FIELDS)
    if unknown:
        raise _bad(
            "applicant_invalid",
            "Thông tin người nộp có trường không hợp lệ.",
            "applicant",
            unknown=sorted(unknown),
        )
    try:
        kind = int(data.get("type", ApplicantType.CITIZEN))
    except (TypeError, ValueError):
        kind = -1
    if kind not in ApplicantType.values:
        raise _bad("applicant_type_invalid", "Loại đối tượng không hợp lệ.", "applicant.type")
    name = _line(data.get("name"))
    if not name:
        raise _bad(
            "applicant_name_required",
            "Cần nhập họ tên người nộp (hoặc tên tổ chức).",
            "applicant.name",
        )
    id_number = "".join(_nfc(data.get("id_number")).split())
    if len(id_number) > 20 or (id_number and not id_number.replace("-", "").isalnum()):
        raise _bad(
            "applicant_id_invalid",
            "Số định danh / mã số doanh nghiệp không hợp lệ.",
            "applicant.id_number",
        )
    phone = "".join(_nfc(data.get("phone")).split()).replace(".", "")
    digits = phone.removeprefix("+")
    if phone and (not digits.isdigit() or not 8 <= len(digits) <= 15):
        raise _bad("applicant_phone_invalid", "Số điện thoại không hợp lệ.", "applicant.phone")
    email = _nfc(data.get("email")).lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise _bad(
                "applicant_email_invalid", "Địa chỉ thư điện tử không hợp lệ.", "applicant.email"
            ) from None
    return {
        "applicant_type": kind,
        "applicant_name": name,
        "applicant_id_number": id_number,
        "applicant_address": _line(data.get("address"), 500),
        "applicant_phone": phone[:20],
        "applicant_email": email[:254],
        "representative": _line(data.get("representative")),
    }


def _check_procedure(procedure: Procedure | None, *, online: bool) -> Procedure:
    if not isinstance(procedure, Procedure) or not procedure.pk or not procedure.is_active:
        raise DomainError(
            "unknown_procedure",
            "Thủ tục hành chính không có trong danh mục hoặc đã ngừng áp dụng.",
            status=422,
        )
    if online and procedure.online_level == "none":
        raise DomainError(
            "procedure_not_online",
            f"Thủ tục “{procedure.name}” chưa cung cấp dịch vụ công trực tuyến.",
            status=422,
        )
    return procedure


def procedure_get(code_or_id: str | int) -> Procedure:
    """The active procedure by national code or id; ``unknown_procedure`` otherwise."""
    qs = Procedure.objects.filter(is_active=True).select_related("field")
    row = None
    if isinstance(code_or_id, int) or str(code_or_id).isdigit():
        row = qs.filter(pk=int(code_or_id)).first()
    if row is None:
        row = qs.filter(code=str(code_or_id).strip()).first()
    if row is None:
        raise DomainError(
            "unknown_procedure",
            "Thủ tục hành chính không có trong danh mục hoặc đã ngừng áp dụng.",
            details={"procedure": str(code_or_id)},
            status=422,
        )
    return row


def _upload_max() -> int:
    return int(getattr(settings, "ONESTOP_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


def _papers(
    procedure: Procedure,
    provided_ids: Iterable[int],
    uploads: Sequence[tuple[int | None, Any]],
    *,
    require_all: bool,
) -> tuple[list[ProcedurePaper], set[int]]:
    papers = list(procedure.papers.all())
    known = {p.pk for p in papers}
    try:
        provided = {int(i) for i in provided_ids}
    except (TypeError, ValueError):
        raise _bad("papers_invalid", "Danh sách giấy tờ không hợp lệ.", "papers") from None
    for paper_id, _upload in uploads:
        if paper_id is not None:
            provided.add(int(paper_id))
    strangers = provided - known
    if strangers:
        raise _bad(
            "papers_invalid",
            "Có giấy tờ không thuộc thủ tục này.",
            "papers",
            unknown=sorted(strangers),
        )
    if require_all:
        missing = [p for p in papers if p.required and p.pk not in provided]
        if missing:
            raise DomainError(
                "missing_papers",
                "Hồ sơ còn thiếu giấy tờ bắt buộc: " + "; ".join(p.name for p in missing) + ".",
                details={"missing": [{"id": p.pk, "name": p.name} for p in missing]},
                status=422,
            )
    return papers, provided


def _store_uploads(
    dossier: Dossier,
    uploads: Sequence[tuple[int | None, Any]],
    *,
    user: Any,
    kind: str,
    by_paper: dict[int, DossierPaper] | None = None,
) -> list[DossierAttachment]:
    rows = []
    for paper_id, upload in uploads:
        stored = file_store(
            upload=upload,
            owner=dossier,
            unit=dossier.unit_id,
            user=user if getattr(user, "pk", None) else None,
            allowed_types=PAPER_FILE_TYPES,
            max_bytes=_upload_max(),
        )
        rows.append(
            DossierAttachment.objects.create(
                dossier=dossier,
                paper=(by_paper or {}).get(paper_id) if paper_id is not None else None,
                kind=kind,
                stored_file=stored,
                added_by=user if getattr(user, "pk", None) else None,
            )
        )
    return rows


def _create(
    *,
    unit: AdminUnit,
    procedure: Procedure,
    applicant: dict[str, Any],
    papers_provided: Iterable[int],
    uploads: Sequence[tuple[int | None, Any]],
    content: str,
    sets_count: int,
    channel: int,
    actor: Any,
    applicant_user: Any,
    at: dt.datetime,
    accept: bool,
) -> Dossier:
    if not isinstance(unit, AdminUnit) or not unit.pk:
        raise _bad("unit_required", "Chưa xác định cơ quan tiếp nhận.", "unit")
    fields = clean_applicant(applicant)
    try:
        sets = int(sets_count)
    except (TypeError, ValueError):
        sets = 0
    if not 1 <= sets <= 99:
        raise _bad("sets_count_invalid", "Số bộ hồ sơ phải từ 1 đến 99.", "sets_count")
    uploads = list(uploads or ())
    papers, provided = _papers(procedure, papers_provided, uploads, require_all=accept)
    submitted_at = at
    with transaction.atomic():
        code, register_year, register_number = _take_numbers(
            unit, timing.local(submitted_at).date()
        )
        received_at = due_at = None
        if accept:
            received_at = timing.reception_moment(procedure, submitted_at)
            due_at = timing.due_for(procedure, received_at)
        fee_total = sum((f.amount for f in procedure.fees.all()), Decimal(0))
        dossier = Dossier.objects.create(
            unit=unit,
            procedure=procedure,
            field_id=procedure.field_id,
            code=code,
            lookup_secret=new_lookup_secret(),
            register_year=register_year,
            register_number=register_number,
            channel=channel,
            status=S.ACCEPTED if accept else S.SUBMITTED,
            applicant_user=applicant_user if getattr(applicant_user, "pk", None) else None,
            content=_text(content),
            sets_count=sets,
            submitted_at=submitted_at,
            received_at=received_at,
            due_at=due_at,
            original_due_at=due_at,
            receiving_officer=actor if accept else None,
            fee_amount=fee_total,
            **fields,
        )
        by_paper: dict[int, DossierPaper] = {}
        paper_rows = [
            DossierPaper(
                dossier=dossier,
                procedure_paper=p,
                name=p.name,
                copy_type=p.copy_type,
                quantity=p.quantity,
                provided=p.pk in provided,
            )
            for p in papers
        ]
        for row in DossierPaper.objects.bulk_create(paper_rows):
            if row.procedure_paper_id is not None:
                by_paper[row.procedure_paper_id] = row
        attachments = _store_uploads(
            dossier,
            uploads,
            user=actor or applicant_user,
            kind=AttachmentKind.PAPER,
            by_paper=by_paper,
        )
        if attachments:
            dossier.digitised = True
            dossier.save(update_fields=["digitised"])
        if accept:
            _start_first_step(dossier, actor=actor, at=received_at or submitted_at)
            summary = f"Tiếp nhận hồ sơ {procedure.name}, hẹn trả {_fmt(due_at)}"
            action = "receive"
        else:
            summary = f"Nộp trực tuyến hồ sơ {procedure.name}"
            action = "submit"
        _record(
            dossier,
            action=action,
            at=submitted_at,
            actor=actor or applicant_user,
            status_from=None,
            summary=summary,
            note=summary,
            changes={"code": [None, code], "channel": [None, channel]},
        )
        if not accept:
            notify(
                recipients=_onestop_officers(unit.pk),
                title=f"Hồ sơ trực tuyến mới {code}",
                body=f"{fields['applicant_name']}: {procedure.name}",
                url=dossier_url(dossier),
                kind="procedures.submitted",
                obj=dossier,
            )
    return dossier


def dossier_receive_at_desk(
    *,
    unit: AdminUnit,
    procedure: Procedure,
    applicant: dict[str, Any],
    papers_provided: Iterable[int] = (),
    uploads: Sequence[tuple[int | None, Any]] = (),
    content: str = "",
    sets_count: int = 1,
    officer: Any,
    at: dt.datetime | None = None,
    channel: int = Channel.DESK,
) -> Dossier:
    """A dossier handed in at the desk: accepted at once (status 2), code, appointment, register
    line, the first step started with the receiving officer."""
    _check_procedure(procedure, online=False)
    _require(
        rules.can_receive(officer, unit),
        "Chỉ cán bộ bộ phận một cửa của cơ quan được tiếp nhận hồ sơ.",
    )
    if channel not in (Channel.DESK, Channel.POST):
        raise _bad("channel_invalid", "Hình thức nộp không hợp lệ.", "channel")
    return _create(
        unit=unit,
        procedure=procedure,
        applicant=applicant,
        papers_provided=papers_provided,
        uploads=uploads,
        content=content,
        sets_count=sets_count,
        channel=channel,
        actor=officer,
        applicant_user=None,
        at=_now(at),
        accept=True,
    )


def dossier_submit_online(
    *,
    unit: AdminUnit,
    procedure: Procedure,
    applicant: dict[str, Any],
    uploads: Sequence[tuple[int | None, Any]] = (),
    content: str = "",
    user: Any = None,
    at: dt.datetime | None = None,
    papers_provided: Iterable[int] = (),
    sets_count: int = 1,
) -> Dossier:
    """Filed on the public portal: status 1 with its code and lookup secret at once (the
    tracking code); the clock starts when an officer accepts it."""
    _check_procedure(procedure, online=True)
    if not isinstance(unit, AdminUnit) or not unit.is_served:
        raise _bad("unit_not_served", "Cơ quan này chưa tiếp nhận hồ sơ trực tuyến.", "unit")
    return _create(
        unit=unit,
        procedure=procedure,
        applicant=applicant,
        papers_provided=papers_provided,
        uploads=uploads,
        content=content,
        sets_count=sets_count,
        channel=Channel.ONLINE,
        actor=None,
        applicant_user=user if getattr(user, "is_authenticated", False) else None,
        at=_now(at),
        accept=False,
    )


# --- steps -----------------------------------------------------------------------------------


def _procedure_steps(procedure: Procedure) -> list[ProcedureStep]:
    return list(procedure.steps.all().order_by("position", "id"))


def _default_department(unit_id: int, step: ProcedureStep | None) -> Department | None:
    if step is None or not step.department_abbreviation:
        return None
    return Department.objects.filter(
        unit_id=unit_id, abbreviation=step.department_abbreviation, is_active=True
    ).first()


def _start_step(
    dossier: Dossier,
    *,
    position: int,
    template: ProcedureStep | None,
    name: str,
    allotted: Decimal,
    assignee: Any,
    department: Department | None,
    handed_by: Any,
    at: dt.datetime,
    note: str = "",
) -> DossierStep:
    step = DossierStep.objects.create(
        dossier=dossier,
        position=position,
        name=name,
        procedure_step=template,
        department=department,
        assignee=assignee if getattr(assignee, "pk", None) else None,
        allotted_hours=allotted,
        handed_by=handed_by if getattr(handed_by, "pk", None) else None,
        started_at=at,
        due_at=timing.add_working_hours(at, allotted),
        note=note,
    )
    dossier.current_step = step
    dossier.handler = step.assignee
    return step


def _start_first_step(dossier: Dossier, *, actor: Any, at: dt.datetime) -> DossierStep:
    templates = _procedure_steps(dossier.procedure)
    if templates:
        first = templates[0]
        step = _start_step(
            dossier,
            position=1,
            template=first,
            name=first.name,
            allotted=first.allotted_hours,
            assignee=actor,
            department=_default_department(dossier.unit_id, first),
            handed_by=actor,
            at=at,
        )
    else:
        step = _start_step(
            dossier,
            position=1,
            template=None,
            name="Giải quyết hồ sơ",
            allotted=timing.legal_hours(dossier.procedure),
            assignee=actor,
            department=None,
            handed_by=actor,
            at=at,
        )
    dossier.save(update_fields=["current_step", "handler"])
    return step


def _finish_step(step: DossierStep, *, at: dt.datetime, note: str = "") -> None:
    step.finished_at = at
    spent = timing.working_delta(step.started_at, at)
    step.spent_hours = max(timing.to_decimal_hours(spent), Decimal("0.00"))
    step.timeliness = timing.classify(step.due_at, at)
    if note:
        step.note = (f"{step.note}\n{note}" if step.note else note)[:TEXT_MAX]
    step.save(update_fields=["finished_at", "spent_hours", "timeliness", "note"])


def _open_step(dossier: Dossier) -> DossierStep | None:
    step = dossier.current_step
    if step is not None and step.finished_at is None:
        return step
    return None


def next_step_template(dossier: Dossier) -> ProcedureStep | None:
    """The procedure's step after the current one (None at the last)."""
    current = dossier.current_step
    templates = _procedure_steps(dossier.procedure)
    if current is None:
        return templates[0] if templates else None
    position = current.position
    return templates[position] if position < len(templates) else None


# --- acceptance, refusal ---------------------------------------------------------------------


def dossier_accept(*, dossier: Dossier, officer: Any, at: dt.datetime | None = None) -> Dossier:
    """Accept an online dossier (1 → 2): the clock starts at the received moment."""
    moment = _now(at)
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(
            rules.can_receive(officer, dossier.unit_id),
            "Chỉ cán bộ bộ phận một cửa của cơ quan được tiếp nhận hồ sơ.",
        )
        _check_transition(dossier, S.ACCEPTED)
        if dossier.status != S.SUBMITTED:
            _check_transition_from(dossier, S.SUBMITTED)
        before = dossier.status
        dossier.status = S.ACCEPTED
        dossier.received_at = timing.reception_moment(dossier.procedure, moment)
        dossier.due_at = dossier.original_due_at = timing.due_for(
            dossier.procedure, dossier.received_at
        )
        dossier.receiving_officer = officer
        dossier.save(
            update_fields=[
                "status",
                "received_at",
                "due_at",
                "original_due_at",
                "receiving_officer",
                "updated_at",
            ]
        )
        _start_first_step(dossier, actor=officer, at=dossier.received_at)
        text = f"Hồ sơ được tiếp nhận; hẹn trả kết quả {_fmt(dossier.due_at)}."
        _record(
            dossier,
            action="accept",
            at=moment,
            actor=officer,
            status_from=before,
            note=text,
            summary=text,
            changes={"due_at": [None, timing.as_payload(dossier.due_at)]},
        )
        _applicant_notify(dossier, title=f"Hồ sơ {dossier.code} đã được tiếp nhận", body=text)
    return dossier


def _check_transition_from(dossier: Dossier, *expected: int) -> None:
    if dossier.status not in expected:
        raise DomainError(
            "transition_not_allowed",
            f"Không thể thực hiện thao tác này: hồ sơ {dossier.code} đang ở trạng thái "
            f"“{_status_label(dossier.status)}”.",
            details={"status": int(dossier.status)},
            status=409,
        )


def _reason(reason: Any, what: str = "lý do") -> str:
    text = _text(reason)
    if not text:
        raise _bad("reason_required", f"Cần nêu rõ {what}.", "reason")
    return text


def _close(dossier: Dossier, *, to: int, at: dt.datetime, reason: str) -> None:
    step = _open_step(dossier)
    if step is not None:
        _finish_step(step, at=at, note=reason)
    _end_pause(dossier, at=at)
    dossier.status = to
    dossier.closed_at = at
    dossier.refusal_reason = reason
    dossier.handler = None
    dossier.save(
        update_fields=[
            "status",
            "closed_at",
            "refusal_reason",
            "handler",
            "paused_since",
            "paused_hours",
            "due_at",
            "original_due_at",
            "updated_at",
        ]
    )


def dossier_refuse(*, dossier: Dossier, actor: Any, reason: str) -> Dossier:
    """Refuse to accept (Phiếu từ chối): an online dossier (1 → 3), or one whose supplement
    never came (5 → 3)."""
    text = _reason(reason, "lý do từ chối")
    moment = timezone.now()
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(
            rules.can_receive(actor, dossier.unit_id),
            "Chỉ cán bộ bộ phận một cửa của cơ quan được từ chối tiếp nhận hồ sơ.",
        )
        _check_transition(dossier, S.REFUSED)
        before = dossier.status
        _close(dossier, to=S.REFUSED, at=moment, reason=text)
        _record(
            dossier,
            action="refuse",
            at=moment,
            actor=actor,
            status_from=before,
            note=f"Từ chối tiếp nhận: {text}",
            summary=f"Từ chối tiếp nhận: {text}",
        )
        _applicant_notify(
            dossier,
            title=f"Hồ sơ {dossier.code} không được tiếp nhận",
            body=f"Lý do: {text}",
        )
    return dossier


# --- pauses ----------------------------------------------------------------------------------


def _start_pause(
    dossier: Dossier, *, reason: str, at: dt.datetime, actor: Any, items: str = "", note: str = ""
) -> DossierPause:
    dossier.paused_since = at
    return DossierPause.objects.create(
        dossier=dossier,
        reason=reason,
        started_at=at,
        items=items,
        note=note,
        requested_by=actor if getattr(actor, "pk", None) else None,
    )


def _end_pause(dossier: Dossier, *, at: dt.datetime) -> dt.timedelta:
    """Close the pause in progress: add its working time to ``paused_hours`` and move the due
    times (dossier, legal, current step) forward by it. Returns the paused working time."""
    if dossier.paused_since is None:
        return dt.timedelta()
    paused = timing.current_pause(dossier, at)
    pause = dossier.pauses.filter(ended_at__isnull=True).order_by("-started_at").first()
    if pause is not None:
        pause.ended_at = at
        pause.hours = timing.to_decimal_hours(paused)
        pause.save(update_fields=["ended_at", "hours"])
    dossier.paused_since = None
    if dossier.received_at is not None and paused > dt.timedelta():
        dossier.paused_hours = Decimal(dossier.paused_hours or 0) + timing.to_decimal_hours(paused)
        if dossier.due_at is not None:
            dossier.due_at = timing.shift_due(dossier.due_at, paused)
        if dossier.original_due_at is not None:
            dossier.original_due_at = timing.shift_due(dossier.original_due_at, paused)
        step = _open_step(dossier)
        if step is not None:
            step.due_at = timing.shift_due(step.due_at, paused)
            step.save(update_fields=["due_at"])
    return paused


def _status_before_pause(dossier: Dossier) -> int:
    event = (
        dossier.events.filter(status_to=dossier.status)
        .exclude(status_from=dossier.status)
        .order_by("-at", "-id")
        .first()
    )
    if event is not None and event.status_from in (S.SUBMITTED, S.ACCEPTED, S.IN_PROCESS):
        return int(event.status_from)
    return int(S.IN_PROCESS if dossier.received_at else S.SUBMITTED)


def dossier_request_supplement(
    *, dossier: Dossier, actor: Any, items: str, note: str = ""
) -> Dossier:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (→ 5): the clock pauses until the papers come."""
    what = _text(items)
    if not what:
        raise _bad(
            "supplement_items_required", "Cần ghi rõ giấy tờ phải bổ sung, hoàn thiện.", "items"
        )
    moment = timezone.now()
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(
            rules.can_request_supplement(actor, dossier),
            "Bạn không có quyền yêu cầu bổ sung hồ sơ này.",
        )
        _check_transition(dossier, S.SUPPLEMENT_REQUESTED)
        before = dossier.status
        dossier.status = S.SUPPLEMENT_REQUESTED
        _start_pause(
            dossier,
            reason=PauseReason.SUPPLEMENT,
            at=moment,
            actor=actor,
            items=what,
            note=_text(note),
        )
        dossier.save(update_fields=["status", "paused_since", "updated_at"])
        text = f"Yêu cầu bổ sung, hoàn thiện hồ sơ: {what}"
        _record(
            dossier,
            action="request_supplement",
            at=moment,
            actor=actor,
            status_from=before,
            note=text,
            summary=text,
        )
        _applicant_notify(
            dossier,
            title=f"Hồ sơ {dossier.code} cần bổ sung, hoàn thiện",
            body=f"{text}\n{_text(note)}".strip(),
        )
    return dossier


def dossier_supplement_received(
    *,
    dossier: Dossier,
    actor: Any,
    uploads: Sequence[tuple[int | None, Any]] = (),
    note: str = "",
) -> Dossier:
    """The papers came (5 → the status it paused): the clock resumes, due times move forward by
    the paused working hours."""
    moment = timezone.now()
    uploads = list(uploads or ())
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(
            rules.can_receive(actor, dossier.unit_id)
            or rules.can_request_supplement(actor, dossier),
            "Bạn không có quyền nhận giấy tờ bổ sung của hồ sơ này.",
        )
        _check_transition_from(dossier, S.SUPPLEMENT_REQUESTED)
        before = dossier.status
        back = _status_before_pause(dossier)
        paused = _end_pause(dossier, at=moment)
        dossier.status = back
        by_paper = {p.procedure_paper_id: p for p in dossier.papers.all() if p.procedure_paper_id}
        _papers(dossier.procedure, (), uploads, require_all=False)
        _store_uploads(
            dossier, uploads, user=actor, kind=AttachmentKind.SUPPLEMENT, by_paper=by_paper
        )
        provided = [p for pid, p in by_paper.items() if any(u[0] == pid for u in uploads)]
        for paper in provided:
            paper.provided = True
            paper.save(update_fields=["provided"])
        if uploads:
            dossier.digitised = True
        dossier.save(
            update_fields=[
                "status",
                "paused_since",
                "paused_hours",
                "due_at",
                "original_due_at",
                "digitised",
                "updated_at",
            ]
        )
        hours = timing.to_decimal_hours(paused)
        text = "Đã nhận giấy tờ bổ sung"
        if dossier.received_at is not None:
            text += f"; hẹn trả mới {_fmt(dossier.due_at)} (tạm dừng {hours} giờ làm việc)"
        _record(
            dossier,
            action="supplement_received",
            at=moment,
            actor=actor,
            status_from=before,
            note=f"{text}. {_text(note)}".strip(),
            summary=text,
            changes={"paused_hours": str(hours), "due_at": timing.as_payload(dossier.due_at)},
        )
        step = _open_step(dossier)
        if step is not None and step.assignee_id and step.assignee_id != getattr(actor, "pk", 0):
            notify(
                recipients=[step.assignee_id],
                title=f"Hồ sơ {dossier.code} đã được bổ sung",
                body=text,
                url=dossier_url(dossier),
                kind="procedures.resumed",
                obj=dossier,
            )
    return dossier


def dossier_request_fees(*, dossier: Dossier, actor: Any, amount: Any) -> Dossier:
    """Notice of financial obligations (→ 6): the clock pauses until they are paid."""
    try:
        value = Decimal(str(amount)).quantize(Decimal(1))
    except (InvalidOperation, ValueError):
        value = Decimal(-1)
    if value < 0 or value > Decimal("99999999999999"):
        raise _bad("fee_amount_invalid", "Số tiền phải nộp không hợp lệ.", "amount")
    moment = timezone.now()
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(rules.can_process(actor, dossier), "Bạn không có quyền xử lý hồ sơ này.")
        _check_transition(dossier, S.FEES_DUE)
        before = dossier.status
        dossier.status = S.FEES_DUE
        dossier.fee_amount = value
        _start_pause(dossier, reason=PauseReason.FEES, at=moment, actor=actor)
        dossier.save(update_fields=["status", "fee_amount", "paused_since", "updated_at"])
        text = f"Yêu cầu thực hiện nghĩa vụ tài chính: {value:,.0f} đồng".replace(",", ".")
        _record(
            dossier,
            action="request_fees",
            at=moment,
            actor=actor,
            status_from=before,
            note=text,
            summary=text,
        )
        _applicant_notify(dossier, title=f"Hồ sơ {dossier.code}: nộp phí, lệ phí", body=text)
    return dossier


def dossier_fees_paid(*, dossier: Dossier, actor: Any, online: bool = False) -> Dossier:
    """Fees paid (6 → the status it paused): the clock resumes."""
    moment = timezone.now()
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(
            rules.can_receive(actor, dossier.unit_id) or rules.can_process(actor, dossier),
            "Bạn không có quyền ghi nhận nộp phí của hồ sơ này.",
        )
        _check_transition_from(dossier, S.FEES_DUE)
        before = dossier.status
        back = _status_before_pause(dossier)
        _end_pause(dossier, at=moment)
        dossier.status = back
        dossier.fee_paid = True
        dossier.paid_online = bool(online)
        dossier.save(
            update_fields=[
                "status",
                "paused_since",
                "paused_hours",
                "due_at",
                "original_due_at",
                "fee_paid",
                "paid_online",
                "updated_at",
            ]
        )
        text = "Đã thực hiện nghĩa vụ tài chính" + (" (trực tuyến)" if online else "")
        _record(
            dossier,
            action="fees_paid",
            at=moment,
            actor=actor,
            status_from=before,
            note=f"{text}; hẹn trả {_fmt(dossier.due_at)}",
            summary=text,
        )
    return dossier


# --- processing ------------------------------------------------------------------------------


def dossier_hand_over(
    *,
    dossier: Dossier,
    actor: Any,
    to_user: Any = None,
    to_department: Department | None = None,
    note: str = "",
) -> Dossier:
    """Finish the current step (its timeliness on the control sheet) and start the next one
    with the person and/or department it goes to (2/4 → 4)."""
    moment = timezone.now()
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(rules.can_process(actor, dossier), "Bạn không có quyền chuyển hồ sơ này.")
        _check_transition(dossier, S.IN_PROCESS)
        if dossier.status not in (S.ACCEPTED, S.IN_PROCESS):
            _check_transition_from(dossier, S.ACCEPTED, S.IN_PROCESS)
        template = next_step_template(dossier)
        if to_department is not None and to_department.unit_id != dossier.unit_id:
            raise _bad(
                "department_invalid",
                "Phòng, ban nhận phải thuộc cơ quan giải quyết.",
                "to_department",
            )
        department = to_department or _default_department(dossier.unit_id, template)
        if to_user is not None and not _works_in(to_user, dossier.unit_id):
            raise _bad(
                "assignee_invalid",
                "Người nhận phải là cán bộ của cơ quan giải quyết.",
                "to_user",
            )
        if to_user is None and department is None:
            raise _bad("assignee_required", "Cần chọn người hoặc phòng, ban nhận hồ sơ.", "to_user")
        current = _open_step(dossier)
        text = _text(note)
        if current is not None:
            _finish_step(current, at=moment, note=text)
        position = (current.position if current is not None else 0) + 1
        if template is not None:
            name, allotted = template.name, template.allotted_hours
        else:
            name = "Xử lý tiếp"
            remaining = timing.remaining_hours(dossier, moment) or Decimal(0)
            allotted = max(remaining, Decimal(0))
        before = dossier.status
        dossier.status = S.IN_PROCESS
        step = _start_step(
            dossier,
            position=position,
            template=template,
            name=name,
            allotted=allotted,
            assignee=to_user,
            department=department,
            handed_by=actor,
            at=moment,
            note=text,
        )
        dossier.save(update_fields=["status", "current_step", "handler", "updated_at"])
        who = to_user.get_full_name() if to_user is not None else ""
        where = department.name if department is not None else ""
        summary = f"Chuyển bước “{name}” cho {', '.join(x for x in (who, where) if x)}"
        _record(
            dossier,
            action="hand_over",
            at=moment,
            actor=actor,
            status_from=before,
            note=summary,
            summary=summary,
            changes={"step": [current.pk if current else None, step.pk]},
        )
        recipients = [to_user.pk] if to_user is not None else _department_members(department)  # type: ignore[arg-type]
        notify(
            recipients=recipients,
            title=f"Hồ sơ {dossier.code} chuyển đến bạn: {name}",
            body=f"{dossier.procedure.name}. Hạn bước: {_fmt(step.due_at)}. {text}".strip(),
            url=dossier_url(dossier),
            kind="procedures.hand_over",
            obj=dossier,
        )
    return dossier


def _works_in(user: Any, unit_id: int) -> bool:
    return bool(
        getattr(user, "pk", None)
        and Position.objects.active().filter(user_id=user.pk, unit_id=unit_id).exists()
    )


def dossier_extend(
    *, dossier: Dossier, actor: Any, new_due_at: dt.datetime, reason: str
) -> Dossier:
    """Văn bản xin lỗi và đề nghị gia hạn: a new appointment, once per dossier.

    Allowed to the unit's leaders while the dossier is being processed (2, 4, 5, 6), before the
    due time or, when already late, at once (the apology is still owed; the dossier still
    counts late: timeliness compares with the legal due time ``original_due_at``). Setting
    ``ONESTOP_EXTEND_WHEN_LATE = False``: only before the due time (``extension_too_late``). The new
    appointment must be later than the current one and in the future.
    """
    text = _reason(reason, "lý do gia hạn")
    if not isinstance(new_due_at, dt.datetime) or new_due_at.tzinfo is None:
        raise _bad("new_due_invalid", "Ngày hẹn mới không hợp lệ.", "new_due_at")
    moment = timezone.now()
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(
            rules.can_lead(actor, dossier.unit_id),
            "Chỉ lãnh đạo của cơ quan được gia hạn giải quyết hồ sơ.",
        )
        if dossier.status not in (S.ACCEPTED, S.IN_PROCESS, S.SUPPLEMENT_REQUESTED, S.FEES_DUE):
            _check_transition_from(dossier, S.ACCEPTED, S.IN_PROCESS)
        if DossierExtension.objects.filter(dossier_id=dossier.pk).exists():
            raise DomainError(
                "extension_already_given",
                f"Hồ sơ {dossier.code} đã được gia hạn một lần; không được gia hạn lần nữa.",
                status=409,
            )
        old = dossier.due_at
        late_allowed = bool(getattr(settings, "ONESTOP_EXTEND_WHEN_LATE", True))
        if old is not None and old < moment and not late_allowed:
            raise DomainError(
                "extension_too_late",
                "Đã quá ngày hẹn trả: văn bản xin lỗi và gia hạn phải được lập trước thời hạn.",
                status=409,
            )
        if old is None or new_due_at <= old or new_due_at <= moment:
            raise _bad(
                "new_due_invalid",
                "Ngày hẹn mới phải sau ngày hẹn hiện tại và sau thời điểm hiện tại.",
                "new_due_at",
            )
        DossierExtension.objects.create(
            dossier=dossier,
            old_due_at=old,
            new_due_at=new_due_at,
            reason=text,
            created_at=moment,
            created_by=actor,
        )
        dossier.due_at = new_due_at
        dossier.save(update_fields=["due_at", "updated_at"])
        summary = f"Xin lỗi và gia hạn: hẹn trả mới {_fmt(new_due_at)} (hẹn cũ {_fmt(old)})"
        _record(
            dossier,
            action="extend",
            at=moment,
            actor=actor,
            status_from=dossier.status,
            note=f"{summary}. Lý do: {text}",
            summary=summary,
            changes={"due_at": [timing.as_payload(old), timing.as_payload(new_due_at)]},
        )
        _applicant_notify(
            dossier,
            title=f"Hồ sơ {dossier.code}: xin lỗi và hẹn lại ngày trả kết quả",
            body=f"{summary}. Lý do: {text}",
        )
    return dossier


def dossier_stop(*, dossier: Dossier, actor: Any, reason: str) -> Dossier:
    """Thông báo dừng giải quyết hồ sơ (→ 8): the unit's leaders."""
    text = _reason(reason, "lý do dừng giải quyết")
    moment = timezone.now()
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(
            rules.can_lead(actor, dossier.unit_id),
            "Chỉ lãnh đạo của cơ quan được dừng giải quyết hồ sơ.",
        )
        _check_transition(dossier, S.STOPPED)
        before = dossier.status
        _close(dossier, to=S.STOPPED, at=moment, reason=text)
        _record(
            dossier,
            action="stop",
            at=moment,
            actor=actor,
            status_from=before,
            note=f"Dừng giải quyết: {text}",
            summary=f"Dừng giải quyết: {text}",
        )
        _applicant_notify(
            dossier, title=f"Hồ sơ {dossier.code}: thông báo dừng giải quyết", body=text
        )
    return dossier


def dossier_withdraw(*, dossier: Dossier, actor: Any, reason: str = "") -> Dossier:
    """The applicant withdraws the dossier (→ 7), recorded by a one-stop officer."""
    text = _text(reason) or "Người nộp yêu cầu rút hồ sơ"
    moment = timezone.now()
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(
            rules.can_receive(actor, dossier.unit_id),
            "Chỉ cán bộ bộ phận một cửa của cơ quan được ghi nhận rút hồ sơ.",
        )
        _check_transition(dossier, S.WITHDRAWN)
        before = dossier.status
        _close(dossier, to=S.WITHDRAWN, at=moment, reason=text)
        _record(
            dossier,
            action="withdraw",
            at=moment,
            actor=actor,
            status_from=before,
            note=text,
            summary=f"Rút hồ sơ: {text}",
        )
    return dossier


# --- result and return -----------------------------------------------------------------------


def _sign_result(stored: Any, actor: Any, dossier: Dossier, pin: str | None) -> bytes:
    """The result PDF signed with the actor's personal credential (kernel.signing)."""
    from congso.kernel.files.services import file_open
    from congso.kernel.signing.selectors import credential_for_user
    from congso.kernel.signing.services import sign_pdf

    if stored.kind != "pdf":
        raise DomainError("sign_needs_pdf", "Chỉ ký số được kết quả là tệp PDF.", status=409)
    credential = credential_for_user(actor)
    if credential is None:
        raise DomainError(
            "sign_no_credential",
            "Bạn chưa có chứng thư ký số cá nhân còn hiệu lực. Hãy liên hệ quản trị hệ thống.",
            status=409,
        )
    with file_open(stored) as handle:
        data = handle.read()
    return sign_pdf(
        pdf_bytes=data,
        credential=credential,
        field_name=f"KetQua{dossier.pk}",
        box=(330.0, 60.0, 560.0, 130.0),
        page=-1,
        text=f"Ký bởi: {actor.get_full_name()}\n{dossier.unit.display_committee}",
        reason=f"Kết quả giải quyết hồ sơ {dossier.code}",
        location=dossier.unit.name,
        pin=pin,
    )


def dossier_complete(
    *,
    dossier: Dossier,
    actor: Any,
    result_upload: Any = None,
    result_summary: str = "",
    electronic: bool = False,
    sign: bool = False,
    pin: str | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """The result is ready (2/4 → 9): the open step closes, the dossier's timeliness and spent
    working hours are written, the applicant is told. With ``sign``, the result PDF is signed
    with the actor's own credential (kernel.signing) and stored signed."""
    moment = _now(at)
    summary_text = _line(result_summary, 500)
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(rules.can_complete(actor, dossier), "Bạn không có quyền kết thúc xử lý hồ sơ này.")
        _check_transition(dossier, S.DONE)
        if dossier.status not in (S.ACCEPTED, S.IN_PROCESS):
            _check_transition_from(dossier, S.ACCEPTED, S.IN_PROCESS)
        before = dossier.status
        stored = None
        if result_upload is not None:
            stored = file_store(
                upload=result_upload,
                owner=dossier,
                unit=dossier.unit_id,
                user=actor,
                allowed_types=RESULT_FILE_TYPES,
                max_bytes=_upload_max(),
            )
            if sign:
                from django.core.files.base import ContentFile

                signed = _sign_result(stored, actor, dossier, pin)
                name = stored.original_name.rsplit(".", 1)[0] + "-da-ky.pdf"
                stored = file_store(
                    upload=ContentFile(signed, name=name),
                    owner=dossier,
                    unit=dossier.unit_id,
                    user=actor,
                    allowed_types=("pdf",),
                    max_bytes=_upload_max() * 2,
                )
            DossierAttachment.objects.create(
                dossier=dossier, kind=AttachmentKind.RESULT, stored_file=stored, added_by=actor
            )
        elif sign:
            raise _bad("result_file_required", "Cần tải lên tệp kết quả để ký số.", "result")
        step = _open_step(dossier)
        if step is not None:
            _finish_step(step, at=moment)
        _start_return_step(dossier, after=step, actor=actor, at=moment)
        dossier.status = S.DONE
        dossier.completed_at = moment
        dossier.result_file = stored or dossier.result_file
        dossier.result_summary = summary_text or dossier.result_summary
        dossier.result_electronic = bool(electronic or sign)
        legal_due = dossier.original_due_at or dossier.due_at
        dossier.timeliness = timing.classify(legal_due, moment) if legal_due else ""
        dossier.spent_hours = timing.elapsed_hours(dossier, moment)
        dossier.handler = None
        dossier.save(
            update_fields=[
                "status",
                "completed_at",
                "result_file",
                "result_summary",
                "result_electronic",
                "timeliness",
                "spent_hours",
                "handler",
                "current_step",
                "updated_at",
            ]
        )
        text = "Đã có kết quả giải quyết" + (f": {summary_text}" if summary_text else "")
        place = dossier.procedure.return_place or "bộ phận một cửa"
        _record(
            dossier,
            action="complete",
            at=moment,
            actor=actor,
            status_from=before,
            note=text,
            summary=f"{text} ({_timeliness_label(dossier.timeliness)})",
            changes={"timeliness": dossier.timeliness, "signed": bool(sign)},
        )
        _applicant_notify(
            dossier,
            title=f"Hồ sơ {dossier.code} đã có kết quả",
            body=f"{text}. Mời ông/bà nhận kết quả tại {place}.",
        )
        notify(
            recipients=_onestop_officers(dossier.unit_id),
            title=f"Hồ sơ {dossier.code} đã có kết quả, chờ trả",
            body=dossier.procedure.name,
            url=dossier_url(dossier),
            kind="procedures.done",
            obj=dossier,
        )
    return dossier


def _start_return_step(
    dossier: Dossier, *, after: DossierStep | None, actor: Any, at: dt.datetime
) -> None:
    """When the procedure's last step is the one-stop desk's "return the result" and the
    dossier has not reached it, the result goes there as the control sheet's last row (finished
    by ``dossier_return``)."""
    templates = _procedure_steps(dossier.procedure)
    if not templates:
        return
    last = templates[-1]
    done = after.position if after is not None else 0
    if last.role != Role.ONESTOP_OFFICER or done >= len(templates) or len(templates) < 2:
        return
    _start_step(
        dossier,
        position=done + 1,
        template=last,
        name=last.name,
        allotted=last.allotted_hours,
        assignee=None,
        department=_default_department(dossier.unit_id, last),
        handed_by=actor,
        at=at,
    )
    dossier.handler = None


def dossier_return(*, dossier: Dossier, actor: Any, at: dt.datetime | None = None) -> Dossier:
    """The result handed to the applicant (9 → 10)."""
    moment = _now(at)
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(
            rules.can_receive(actor, dossier.unit_id),
            "Chỉ cán bộ bộ phận một cửa của cơ quan được trả kết quả.",
        )
        _check_transition(dossier, S.RETURNED)
        before = dossier.status
        if dossier.completed_at and moment < dossier.completed_at:
            moment = dossier.completed_at
        step = _open_step(dossier)
        if step is not None:
            _finish_step(step, at=moment)
        dossier.status = S.RETURNED
        dossier.returned_at = moment
        dossier.save(update_fields=["status", "returned_at", "updated_at"])
        _record(
            dossier,
            action="return",
            at=moment,
            actor=actor,
            status_from=before,
            note="Đã trả kết quả cho người nộp",
            summary="Trả kết quả",
        )
    return dossier


def dossier_rate(*, dossier: Dossier, score: int, comment: str = "") -> DossierRating:
    """The applicant's satisfaction (once, after the result)."""
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = 0
    if value not in Satisfaction.values:
        raise _bad("rating_invalid", "Mức độ hài lòng không hợp lệ.", "score")
    with transaction.atomic():
        dossier = _lock(dossier)
        if dossier.status not in (S.DONE, S.RETURNED):
            raise DomainError(
                "rating_not_allowed",
                "Chỉ đánh giá được sau khi hồ sơ đã có kết quả.",
                status=409,
            )
        if DossierRating.objects.filter(dossier_id=dossier.pk).exists():
            raise DomainError("already_rated", "Hồ sơ này đã được đánh giá.", status=409)
        moment = timezone.now()
        rating = DossierRating.objects.create(
            dossier=dossier,
            unit_id=dossier.unit_id,
            score=value,
            comment=_text(comment, 2000),
            created_at=moment,
        )
        _event(
            dossier,
            action="rate",
            at=moment,
            actor=None,
            status_from=dossier.status,
            note=f"Đánh giá: {Satisfaction(value).label}",
            public=True,
        )
        audit_record(
            action="dossier.rate",
            obj=dossier,
            unit=dossier.unit_id,
            changes={"score": value},
            summary=f"{dossier.code}: người nộp đánh giá {Satisfaction(value).label}",
        )
    return rating


# --- what a user may do now ------------------------------------------------------------------


def allowed_actions(dossier: Dossier, user: Any) -> list[str]:
    """The actions (keys of ``ACTIONS``) the user may take on the dossier now (for buttons)."""
    status = int(dossier.status)
    if status in FINAL_STATUSES or not rules.can_view(user, dossier):
        return []
    out: list[str] = []
    onestop = rules.can_receive(user, dossier.unit_id)
    leader = rules.can_lead(user, dossier.unit_id)
    process = rules.can_process(user, dossier)
    if status == S.SUBMITTED and onestop:
        out += ["accept", "request_supplement", "refuse"]
    if status == S.SUPPLEMENT_REQUESTED:
        if onestop or rules.can_request_supplement(user, dossier):
            out.append("supplement_received")
        if onestop:
            out.append("refuse")
    if status in (S.ACCEPTED, S.IN_PROCESS):
        if process:
            out += ["hand_over", "request_fees"]
        if rules.can_request_supplement(user, dossier):
            out.append("request_supplement")
        if rules.can_complete(user, dossier):
            out.append("complete")
    if status == S.FEES_DUE and (onestop or process):
        out.append("fees_paid")
    if status in (S.ACCEPTED, S.IN_PROCESS, S.SUPPLEMENT_REQUESTED, S.FEES_DUE) and leader:
        if not DossierExtension.objects.filter(dossier_id=dossier.pk).exists():
            out.append("extend")
        out.append("stop")
    if status in (S.SUBMITTED, S.ACCEPTED, S.IN_PROCESS, S.SUPPLEMENT_REQUESTED, S.FEES_DUE) and (
        onestop
    ):
        out.append("withdraw")
    if status == S.DONE and onestop:
        out.append("return")
    return [a for a in ACTIONS if a in out]


def dossier_get(code: str, *, user: Any) -> Dossier:
    """The dossier by code when the user may see it; NotFound otherwise (no existence leak)."""
    row = (
        Dossier.objects.select_related("unit", "procedure", "field", "current_step")
        .filter(code=_line(code, 64))
        .first()
    )
    if row is None or not rules.can_view(user, row):
        raise NotFound("Không tìm thấy hồ sơ.", code="dossier_not_found")
    return row


def is_paused(dossier: Dossier) -> bool:
    return dossier.status in PAUSED_STATUSES


__all__ = [
    "ACTIONS",
    "TRANSITIONS",
    "allowed_actions",
    "clean_applicant",
    "dossier_accept",
    "dossier_complete",
    "dossier_extend",
    "dossier_fees_paid",
    "dossier_get",
    "dossier_hand_over",
    "dossier_rate",
    "dossier_receive_at_desk",
    "dossier_refuse",
    "dossier_request_fees",
    "dossier_request_supplement",
    "dossier_return",
    "dossier_stop",
    "dossier_submit_online",
    "dossier_supplement_received",
    "dossier_withdraw",
    "lookup_url",
    "procedure_get",
    "unit_code",
]
