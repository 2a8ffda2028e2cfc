"""Every write on field reports: submission (portal, Open311), triage, answer, rating, reminders.

One ``transaction.atomic()`` per service; every state change is audited in it; transitions only
along the allowed paths (``TRANSITIONS``), else ``DomainError("report_bad_transition")``.

Time limits (vietnam-rules §8, iHanoi, Decision 1207/QĐ-UBND of Hà Nội), in working hours of
the kernel calendar (holidays and official overrides included):
- receipt (tiếp nhận) within ``URBAN_REPORT_RECEIPT_HOURS`` (8) working hours of arrival;
- handling from receipt: urgent 4 working hours; normal and complex [M] configurable in
  ``URBAN_REPORT_HANDLING_HOURS`` (defaults 40 and 80 working hours, i.e. 5 and 10 working days).
"""

from __future__ import annotations

import datetime as dt
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.validators import validate_email
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from congso.kernel.audit.services import audit_record
from congso.kernel.calendar.services import add_working_hours, working_hours_between
from congso.kernel.errors import DomainError, NotFound, PermissionDenied
from congso.kernel.files.services import file_store
from congso.kernel.notifications.models import NotificationLevel
from congso.kernel.notifications.services import notify
from congso.kernel.orgunits.models import AdminUnit, Department
from congso.kernel.people.models import Position, User
from congso.urban.reports import rules
from congso.urban.reports.models import (
    HANDLING_STATUSES,
    OPEN_STATUSES,
    RATEABLE_STATUSES,
    FieldReport,
    ReportCategory,
    ReportChannel,
    ReportLevel,
    ReportStatus,
)
from congso.urban.reports.photos import store_public_copy
from congso.urban.reports.selectors import overdue_q

S = ReportStatus

#: The allowed paths (from → to). Anything else is refused.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.ACCEPTED, S.REFUSED, S.MERGED}),
    S.ACCEPTED: frozenset({S.ASSIGNED, S.ANSWERED, S.REFUSED, S.MERGED}),
    S.ASSIGNED: frozenset({S.ASSIGNED, S.ANSWERED, S.MERGED}),
    S.ANSWERED: frozenset({S.ANSWERED, S.CLOSED}),
    S.CLOSED: frozenset(),
    S.REFUSED: frozenset(),
    S.MERGED: frozenset(),
}

DEFAULT_HANDLING_HOURS = {ReportLevel.URGENT: 4, ReportLevel.NORMAL: 40, ReportLevel.COMPLEX: 80}
PHOTO_TYPES = ("jpeg", "png")
TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


# --- configuration ---------------------------------------------------------------------------


def receipt_hours() -> float:
    return float(getattr(settings, "URBAN_REPORT_RECEIPT_HOURS", 8))


def handling_hours(level: str) -> float:
    configured = getattr(settings, "URBAN_REPORT_HANDLING_HOURS", None) or {}
    merged = {str(k): v for k, v in DEFAULT_HANDLING_HOURS.items()} | {
        str(k): v for k, v in dict(configured).items()
    }
    return float(merged[str(level)])


def remind_before_hours() -> float:
    return float(getattr(settings, "URBAN_REPORT_REMIND_BEFORE_HOURS", 2))


def photo_max_bytes() -> int:
    return int(getattr(settings, "URBAN_REPORT_PHOTO_MAX_BYTES", 8 * 1024 * 1024))


def max_photos() -> int:
    return int(getattr(settings, "URBAN_REPORT_MAX_PHOTOS", 4))


def receipt_due(received_at: dt.datetime) -> dt.datetime:
    return add_working_hours(received_at, receipt_hours())


def handle_due(accepted_at: dt.datetime, level: str) -> dt.datetime:
    return add_working_hours(accepted_at, handling_hours(level))


# --- helpers ---------------------------------------------------------------------------------


#: C0 control characters (NUL included: PostgreSQL refuses it in text) and DEL, except tab and
#: newline, are dropped from every text a citizen or an officer types.
_CONTROLS = {c: None for c in [*range(0, 9), *range(11, 32), 0x7F]}


def _nfc(text: str | None) -> str:
    """The text cleaned for storage: NFC (Vietnamese typed in NFD by some phones and Macs), line
    ends as LF, no control characters, trimmed."""
    clean = (text or "").replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROLS)
    return unicodedata.normalize("NFC", clean).strip()


def new_tracking_code() -> str:
    """``PA-`` + 10 random characters (50 bits): not guessable, not sequential."""
    body = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))
    return f"PA-{body[:5]}-{body[5:]}"


def normalise_tracking_code(code: str) -> str:
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if raw.startswith("PA"):
        raw = raw[2:]
    if len(raw) != 10:
        return ""
    return f"PA-{raw[:5]}-{raw[5:]}"


def report_url(report: FieldReport) -> str:
    try:
        return reverse("urban_reports:detail", args=[report.pk])
    except NoReverseMatch:
        return ""


def public_url(report: FieldReport) -> str:
    try:
        return reverse("urban_reports_public:track", args=[report.tracking_code])
    except NoReverseMatch:
        return ""


def _move(report: FieldReport, to: str) -> str:
    before = str(report.status)
    if to not in TRANSITIONS[before]:
        raise DomainError(
            "report_bad_transition",
            f"Không thể chuyển phản ánh từ trạng thái “{ReportStatus(before).label}” "
            f"sang “{ReportStatus(to).label}”.",
            details={"from": before, "to": to},
            status=409,
        )
    report.status = to
    return before


def _locked(report: FieldReport) -> FieldReport:
    """Re-read the row under a lock (inside the caller's transaction)."""
    return (
        FieldReport.objects.select_for_update().select_related("category", "unit").get(pk=report.pk)
    )


def _triagers(unit_id: int) -> list[User]:
    ids = (
        Position.objects.active()
        .filter(unit_id=unit_id, role__in=[str(r) for r in rules.TRIAGE_ROLES])
        .values_list("user_id", flat=True)
    )
    return list(User.objects.filter(pk__in=ids, is_active=True))


def _search_changed(report: FieldReport) -> None:
    from congso.urban.reports.search import report_changed

    report_changed(report)


def check_location(lat: float, lon: float, unit: AdminUnit | None = None) -> AdminUnit:
    """The served ward containing the point (U2's geography); DomainError otherwise."""
    from congso.urban import geo

    return geo.check_location(lat, lon, unit)


# --- submission ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    name: str = ""
    phone: str = ""
    email: str = ""


def _clean_contact(contact: Contact) -> Contact:
    name = _nfc(contact.name)[:120]
    phone = "".join(ch for ch in _nfc(contact.phone) if ch.isdigit() or ch == "+")[:20]
    email = _nfc(contact.email)[:254]
    if email:
        try:
            validate_email(email)
        except Exception as exc:
            raise DomainError(
                "report_bad_email", "Địa chỉ thư điện tử không hợp lệ.", details={"field": "email"}
            ) from exc
    if contact.phone and len(phone.lstrip("+")) < 9:
        raise DomainError(
            "report_bad_phone", "Số điện thoại không hợp lệ.", details={"field": "phone"}
        )
    return Contact(name=name, phone=phone, email=email)


def category_get(code: str) -> ReportCategory:
    category = ReportCategory.objects.filter(code=(code or "").strip(), is_active=True).first()
    if category is None:
        raise DomainError(
            "report_unknown_category",
            "Lĩnh vực phản ánh không tồn tại hoặc đã ngừng sử dụng.",
            details={"field": "category"},
        )
    return category


def _clean_attributes(category: ReportCategory, values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for spec in category.attributes or []:
        code = str(spec.get("code", ""))
        if not code:
            continue
        raw = values.get(code)
        if raw in (None, "", []):
            if spec.get("required"):
                raise DomainError(
                    "report_attribute_required",
                    f"Thiếu thông tin bắt buộc: {spec.get('description') or code}.",
                    details={"field": code},
                )
            continue
        datatype = spec.get("datatype", "string")
        if datatype == "number":
            try:
                out[code] = float(str(raw).replace(",", "."))
            except ValueError as exc:
                raise DomainError(
                    "report_attribute_invalid",
                    f"“{spec.get('description') or code}” phải là một số.",
                    details={"field": code},
                ) from exc
        elif datatype in ("singlevaluelist", "multivaluelist"):
            keys = {str(v.get("key")) for v in spec.get("values", [])}
            chosen = raw if isinstance(raw, list) else [raw]
            chosen = [str(c) for c in chosen]
            if any(c not in keys for c in chosen):
                raise DomainError(
                    "report_attribute_invalid",
                    f"Giá trị không hợp lệ cho “{spec.get('description') or code}”.",
                    details={"field": code},
                )
            out[code] = chosen if datatype == "multivaluelist" else chosen[0]
        else:
            out[code] = _nfc(str(raw))[:500]
    return out


def report_submit(
    *,
    category: ReportCategory | str,
    description: str,
    lat: float | None = None,
    lon: float | None = None,
    address: str = "",
    unit: AdminUnit | None = None,
    contact: Contact | None = None,
    photos: Sequence[Any] = (),
    channel: str = ReportChannel.PORTAL,
    attributes: dict[str, Any] | None = None,
    open311_client: str = "",
    with_token: bool = False,
    user: Any = None,
    now: dt.datetime | None = None,
) -> FieldReport:
    """File a report. Validates the category, the text, the place (inside a served ward, via
    ``urban.geo.check_location``; an address alone needs ``unit``), contact rules and photos
    (JPEG/PNG, sniffed, ``URBAN_REPORT_PHOTO_MAX_BYTES`` each). Nothing is saved on any error.
    """
    if isinstance(category, str):
        category = category_get(category)
    elif not category.is_active:
        raise DomainError(
            "report_unknown_category",
            "Lĩnh vực phản ánh đã ngừng sử dụng.",
            details={"field": "category"},
        )
    text = _nfc(description)
    if len(text) < 10:
        raise DomainError(
            "report_description_short",
            "Xin mô tả vấn đề (ít nhất 10 ký tự).",
            details={"field": "description"},
        )
    if len(text) > 4000:
        raise DomainError(
            "report_description_long",
            "Nội dung phản ánh quá dài (tối đa 4.000 ký tự).",
            details={"field": "description"},
        )
    address = _nfc(address)[:300]
    if (lat is None) != (lon is None):
        raise DomainError(
            "report_location_incomplete",
            "Cần cả vĩ độ và kinh độ.",
            details={"field": "location"},
        )
    if lat is not None and lon is not None:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise DomainError(
                "report_location_invalid", "Tọa độ không hợp lệ.", details={"field": "location"}
            )
        unit = check_location(lat, lon, unit)
    elif not address:
        raise DomainError(
            "report_location_required",
            "Xin chọn vị trí trên bản đồ, nhập tọa độ hoặc ghi địa chỉ.",
            details={"field": "location"},
        )
    elif unit is None:
        raise DomainError(
            "report_unit_required",
            "Chỉ có địa chỉ: xin chọn phường nơi xảy ra sự việc, hoặc chọn vị trí trên bản đồ.",
            details={"field": "unit"},
        )
    elif not unit.is_served:
        raise DomainError(
            "location_outside_ward",
            "Phường đã chọn không sử dụng hệ thống tiếp nhận phản ánh.",
            details={"field": "unit"},
        )
    contact = _clean_contact(contact or Contact())
    anonymous = not (contact.name or contact.phone or contact.email)
    if anonymous and not category.allows_anonymous:
        raise DomainError(
            "report_contact_required",
            f"Lĩnh vực “{category.name}” cần họ tên và số điện thoại hoặc thư điện tử "
            "của người phản ánh.",
            details={"field": "contact"},
        )
    photos = [p for p in photos if p]
    if len(photos) > max_photos():
        raise DomainError(
            "report_too_many_photos",
            f"Chỉ gửi được tối đa {max_photos()} ảnh.",
            details={"field": "photos"},
        )
    clean_attributes = _clean_attributes(category, attributes or {})
    moment = now or timezone.now()
    with transaction.atomic():
        report = FieldReport.objects.create(
            unit=unit,
            category=category,
            tracking_code=new_tracking_code(),
            channel=channel,
            description=text,
            lat=lat,
            lon=lon,
            address=address,
            attributes=clean_attributes,
            reporter_name=contact.name,
            reporter_phone=contact.phone,
            reporter_email=contact.email,
            open311_token=secrets.token_hex(12) if with_token else "",
            open311_client=open311_client[:100],
            status=ReportStatus.SUBMITTED,
            level=category.default_level,
            received_at=moment,
            receipt_due_at=receipt_due(moment),
        )
        for upload in photos:
            original = file_store(
                upload=upload,
                owner=report,
                unit=unit,
                user=user,
                allowed_types=PHOTO_TYPES,
                max_bytes=photo_max_bytes(),
            )
            # The copy the public sees: no EXIF (device, time, GPS) nor other metadata.
            store_public_copy(original=original, unit=unit, user=user, max_bytes=photo_max_bytes())
        audit_record(
            action="urban_report.submit",
            obj=report,
            actor=user if getattr(user, "is_authenticated", False) else None,
            unit=unit,
            changes={"status": [None, report.status], "category": [None, category.code]},
            summary=f"Tiếp nhận phản ánh {report.tracking_code} ({category.name}) qua "
            f"{ReportChannel(channel).label.lower()}.",
        )
        notify(
            recipients=_triagers(unit.pk),
            title=f"Phản ánh mới: {category.name}",
            body=text[:300],
            url=report_url(report),
            level=NotificationLevel.INFO,
            kind="urban_report.new",
            obj=report,
        )
        _search_changed(report)
    return report


# --- triage ----------------------------------------------------------------------------------


def _require(ok: bool, message: str = "Bạn không có quyền xử lý phản ánh này.") -> None:
    if not ok:
        raise PermissionDenied(message)


def report_accept(
    *,
    report: FieldReport,
    actor: Any,
    level: str | None = None,
    now: dt.datetime | None = None,
) -> FieldReport:
    """Receive (tiếp nhận): the handling time limit starts, by level."""
    moment = now or timezone.now()
    with transaction.atomic():
        report = _locked(report)
        _require(rules.can_triage(actor, report))
        before = _move(report, ReportStatus.ACCEPTED)
        if level:
            report.level = ReportLevel(level)
        report.accepted_at = moment
        report.handle_due_at = handle_due(moment, report.level)
        report.save()
        audit_record(
            action="urban_report.accept",
            obj=report,
            actor=actor,
            unit=report.unit,
            changes={"status": [before, report.status], "level": [None, report.level]},
            summary=f"Tiếp nhận phản ánh {report.tracking_code}, mức độ "
            f"{ReportLevel(report.level).label.lower()}.",
        )
        _search_changed(report)
    return report


def report_refuse(*, report: FieldReport, actor: Any, reason: str) -> FieldReport:
    reason = _nfc(reason)
    if len(reason) < 5:
        raise DomainError(
            "report_reason_required",
            "Xin ghi rõ lý do từ chối (ít nhất 5 ký tự).",
            details={"field": "reason"},
        )
    with transaction.atomic():
        report = _locked(report)
        _require(rules.can_triage(actor, report))
        before = _move(report, ReportStatus.REFUSED)
        report.refuse_reason = reason
        report.closed_at = timezone.now()
        report.save()
        audit_record(
            action="urban_report.refuse",
            obj=report,
            actor=actor,
            unit=report.unit,
            changes={"status": [before, report.status], "reason": [None, reason]},
            summary=f"Từ chối phản ánh {report.tracking_code}: {reason[:200]}",
        )
        _search_changed(report)
        _mail_reporter(report, "Phản ánh của bạn không được tiếp nhận", f"Lý do: {reason}")
    return report


def report_merge(*, report: FieldReport, into: FieldReport, actor: Any) -> FieldReport:
    """A duplicate: it follows ``into`` (same ward, still being handled or answered)."""
    if into.pk == report.pk:
        raise DomainError("report_merge_self", "Không thể gộp phản ánh vào chính nó.")
    with transaction.atomic():
        report = _locked(report)
        target = _locked(into)
        _require(rules.can_triage(actor, report))
        if target.unit_id != report.unit_id:
            raise DomainError(
                "report_merge_other_unit", "Chỉ gộp được các phản ánh của cùng một phường."
            )
        if target.status in {ReportStatus.MERGED, ReportStatus.REFUSED}:
            raise DomainError(
                "report_merge_target_closed",
                f"Phản ánh {target.tracking_code} đã bị từ chối hoặc đã gộp; "
                "hãy chọn phản ánh gốc.",
            )
        before = _move(report, ReportStatus.MERGED)
        report.merged_into = target
        report.closed_at = timezone.now()
        report.save()
        audit_record(
            action="urban_report.merge",
            obj=report,
            actor=actor,
            unit=report.unit,
            changes={"status": [before, report.status], "merged_into": [None, target.pk]},
            summary=f"Gộp phản ánh {report.tracking_code} vào {target.tracking_code}.",
        )
        _search_changed(report)
    return report


def inspection_hook() -> Any:
    """U1's ``inspection_request_from_report`` when the construction app provides it."""
    try:
        from congso.urban.construction import services as construction_services
    except ImportError:
        return None
    return getattr(construction_services, "inspection_request_from_report", None)


def report_assign(
    *,
    report: FieldReport,
    actor: Any,
    department: Department | None = None,
    assignee: User | None = None,
    open_inspection: bool = False,
    now: dt.datetime | None = None,
) -> FieldReport:
    """Hand the report to a department and/or an official (an inspector…). A report that is only
    submitted is received first (same transaction). A construction report may open an
    inspection in the construction register (U1)."""
    if department is None and assignee is None:
        raise DomainError(
            "report_assign_empty",
            "Chọn phòng ban hoặc cán bộ xử lý.",
            details={"field": "department"},
        )
    moment = now or timezone.now()
    with transaction.atomic():
        report = _locked(report)
        _require(rules.can_triage(actor, report))
        if department is not None and department.unit_id != report.unit_id:
            raise DomainError(
                "report_department_other_unit",
                "Phòng ban không thuộc phường tiếp nhận phản ánh.",
                details={"field": "department"},
            )
        if (
            assignee is not None
            and not Position.objects.active().filter(user=assignee, unit_id=report.unit_id).exists()
        ):
            raise DomainError(
                "report_assignee_other_unit",
                "Cán bộ được giao không công tác tại phường này.",
                details={"field": "assignee"},
            )
        if report.status == ReportStatus.SUBMITTED:
            report.accepted_at = moment
            report.handle_due_at = handle_due(moment, report.level)
            _move(report, ReportStatus.ACCEPTED)
        before = _move(report, ReportStatus.ASSIGNED)
        old = (report.department_id, report.assignee_id)
        report.department = department
        report.assignee = assignee
        inspection = None
        if open_inspection:
            if not report.category.is_construction:
                raise DomainError(
                    "report_not_construction",
                    "Chỉ phản ánh về trật tự xây dựng mới mở kiểm tra công trình.",
                )
            hook = inspection_hook()
            if hook is None:
                raise DomainError(
                    "inspection_unavailable",
                    "Chức năng quản lý trật tự xây dựng chưa sẵn sàng.",
                )
            if report.lat is None or report.lon is None:
                raise DomainError(
                    "report_location_required",
                    "Cần tọa độ của phản ánh để mở kiểm tra công trình.",
                )
            inspection = hook(
                unit=report.unit,
                lat=report.lat,
                lon=report.lon,
                address=report.address,
                description=report.description,
                source_ref=report.tracking_code,
                actor=actor,
            )
            report.inspection_ref = str(inspection)[:200]
        report.save()
        audit_record(
            action="urban_report.assign",
            obj=report,
            actor=actor,
            unit=report.unit,
            changes={
                "status": [before, report.status],
                "department": [old[0], report.department_id],
                "assignee": [old[1], report.assignee_id],
                **({"inspection": [None, report.inspection_ref]} if inspection else {}),
            },
            summary=f"Giao xử lý phản ánh {report.tracking_code}"
            + (f" cho {department.name}" if department else "")
            + (f", cán bộ {assignee.get_full_name() or assignee.username}" if assignee else "")
            + (f"; mở kiểm tra: {report.inspection_ref}" if inspection else "")
            + ".",
        )
        recipients: list[User] = []
        if assignee is not None:
            recipients.append(assignee)
        elif department is not None:
            ids = (
                Position.objects.active()
                .filter(unit_id=report.unit_id, department=department)
                .values_list("user_id", flat=True)
            )
            recipients = list(User.objects.filter(pk__in=ids, is_active=True))
        notify(
            recipients=recipients,
            title=f"Được giao xử lý phản ánh {report.tracking_code}",
            body=f"{report.category.name}: {report.description[:200]}",
            url=report_url(report),
            level=NotificationLevel.URGENT
            if report.level == ReportLevel.URGENT
            else NotificationLevel.INFO,
            kind="urban_report.assigned",
            obj=report,
        )
        _search_changed(report)
    return report


def report_set_level(*, report: FieldReport, actor: Any, level: str) -> FieldReport:
    """Change the level; once received, the handling limit is recomputed from the receipt."""
    try:
        new = ReportLevel(level)
    except ValueError as exc:
        raise DomainError(
            "report_bad_level", "Mức độ không hợp lệ.", details={"field": "level"}
        ) from exc
    with transaction.atomic():
        report = _locked(report)
        _require(rules.can_triage(actor, report))
        old = str(report.level)
        report.level = new
        if report.accepted_at is not None:
            report.handle_due_at = handle_due(report.accepted_at, new)
            report.handle_reminded_at = None
            report.overdue_notified_at = None
        report.save()
        audit_record(
            action="urban_report.level",
            obj=report,
            actor=actor,
            unit=report.unit,
            changes={"level": [old, str(new)]},
            summary=f"Đặt mức độ phản ánh {report.tracking_code}: {new.label.lower()}.",
        )
        _search_changed(report)
    return report


def report_answer(
    *, report: FieldReport, actor: Any, answer: str, now: dt.datetime | None = None
) -> FieldReport:
    """The committee's public answer (shown on the tracking page). Answering again amends it;
    the time figures keep the first answer."""
    text = _nfc(answer)
    if len(text) < 10:
        raise DomainError(
            "report_answer_short",
            "Nội dung trả lời quá ngắn (ít nhất 10 ký tự).",
            details={"field": "answer"},
        )
    moment = now or timezone.now()
    with transaction.atomic():
        report = _locked(report)
        _require(rules.can_answer(actor, report))
        before = _move(report, ReportStatus.ANSWERED)
        first = report.answered_at is None
        old_answer = report.public_answer
        report.public_answer = text
        if first:
            report.answered_at = moment
            report.answer_hours = round(working_hours_between(report.received_at, moment), 2)
            due = report.handle_due_at
            report.answered_on_time = due is None or moment <= due
        report.save()
        audit_record(
            action="urban_report.answer",
            obj=report,
            actor=actor,
            unit=report.unit,
            changes={"status": [before, report.status], "answer": [old_answer or None, text]},
            summary=f"Trả lời công khai phản ánh {report.tracking_code}.",
        )
        _search_changed(report)
        _mail_reporter(report, "Ủy ban nhân dân phường đã trả lời phản ánh của bạn", text)
    return report


def _mail_reporter(report: FieldReport, subject: str, body: str) -> None:
    """Tell a reporter who left an e-mail address, after the commit (best effort)."""
    if not report.reporter_email:
        return
    address = report.reporter_email
    code = report.tracking_code

    def send() -> None:
        from django.core.mail import send_mail

        send_mail(
            f"[{code}] {subject}",
            f"{body}\n\nMã theo dõi: {code}. Xem chi tiết và đánh giá kết quả trên trang "
            "phản ánh hiện trường của Ủy ban nhân dân phường (mục Tra cứu phản ánh).",
            None,
            [address],
            fail_silently=True,
        )

    transaction.on_commit(send)


def report_close(*, report: FieldReport, actor: Any) -> FieldReport:
    with transaction.atomic():
        report = _locked(report)
        _require(rules.can_close(actor, report))
        before = _move(report, ReportStatus.CLOSED)
        report.closed_at = timezone.now()
        report.save()
        audit_record(
            action="urban_report.close",
            obj=report,
            actor=actor,
            unit=report.unit,
            changes={"status": [before, report.status]},
            summary=f"Kết thúc phản ánh {report.tracking_code}.",
        )
        _search_changed(report)
    return report


# --- the citizen -----------------------------------------------------------------------------


def report_by_code(code: str) -> FieldReport:
    normal = normalise_tracking_code(code)
    report = (
        FieldReport.objects.select_related("category", "unit", "merged_into").filter(
            tracking_code=normal
        )
        if normal
        else FieldReport.objects.none()
    ).first()
    if report is None:
        raise NotFound("Không tìm thấy phản ánh với mã theo dõi này.")
    return report


def report_rate(*, code: str, rating: int, comment: str = "") -> FieldReport:
    """The citizen rates the outcome once, after the answer."""
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise DomainError(
            "report_bad_rating", "Xin chọn mức đánh giá từ 1 đến 5.", details={"field": "rating"}
        )
    comment = _nfc(comment)[:500]
    with transaction.atomic():
        report = _locked(report_by_code(code))
        if report.status not in RATEABLE_STATUSES:
            raise DomainError(
                "report_not_rateable",
                "Chỉ đánh giá được sau khi Ủy ban nhân dân đã trả lời phản ánh.",
                status=409,
            )
        if report.rating is not None:
            raise DomainError("report_already_rated", "Phản ánh này đã được đánh giá.", status=409)
        report.rating = value
        report.rating_comment = comment
        report.rated_at = timezone.now()
        report.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
        audit_record(
            action="urban_report.rate",
            obj=report,
            actor=None,
            unit=report.unit,
            changes={"rating": [None, value]},
            summary=f"Người phản ánh đánh giá {value}/5 kết quả xử lý {report.tracking_code}.",
        )
    return report


# --- reminders -------------------------------------------------------------------------------


@dataclass
class ReminderRun:
    receipt_soon: int = 0
    handling_soon: int = 0
    overdue: int = 0


def _remind(report: FieldReport, recipients: Iterable[User], title: str, level: str) -> None:
    notify(
        recipients=list(recipients),
        title=title,
        body=f"{report.category.name}: {report.description[:200]}",
        url=report_url(report),
        level=level,
        kind="urban_report.reminder",
        obj=report,
    )


def _handlers(report: FieldReport) -> list[User]:
    if report.assignee_id is not None and report.assignee is not None:
        return [report.assignee]
    if report.department_id is not None:
        ids = (
            Position.objects.active()
            .filter(unit_id=report.unit_id, department_id=report.department_id)
            .values_list("user_id", flat=True)
        )
        return list(User.objects.filter(pk__in=ids, is_active=True))
    return _triagers(report.unit_id)


def reports_send_reminders(*, now: dt.datetime | None = None) -> ReminderRun:
    """Before the limit (``URBAN_REPORT_REMIND_BEFORE_HOURS`` working hours) and once overdue;
    each report at most once per kind. Receipt reminders go to the triagers; handling reminders
    to the assignee or department; overdue ones to both."""
    moment = now or timezone.now()
    run = ReminderRun()
    soon = add_working_hours(moment, remind_before_hours())
    base = FieldReport.objects.select_related("category", "assignee")
    for report in base.filter(
        status=ReportStatus.SUBMITTED,
        receipt_reminded_at__isnull=True,
        receipt_due_at__gt=moment,
        receipt_due_at__lte=soon,
    )[:1000]:
        with transaction.atomic():
            _remind(
                report,
                _triagers(report.unit_id),
                f"Sắp hết hạn tiếp nhận phản ánh {report.tracking_code}",
                NotificationLevel.WARNING,
            )
            FieldReport.objects.filter(pk=report.pk).update(receipt_reminded_at=moment)
        run.receipt_soon += 1
    for report in base.filter(
        status__in=list(HANDLING_STATUSES),
        handle_reminded_at__isnull=True,
        handle_due_at__gt=moment,
        handle_due_at__lte=soon,
    )[:1000]:
        with transaction.atomic():
            _remind(
                report,
                _handlers(report),
                f"Sắp hết hạn xử lý phản ánh {report.tracking_code}",
                NotificationLevel.WARNING,
            )
            FieldReport.objects.filter(pk=report.pk).update(handle_reminded_at=moment)
        run.handling_soon += 1
    for report in base.filter(overdue_notified_at__isnull=True).filter(overdue_q(moment))[:1000]:
        with transaction.atomic():
            people = {u.pk: u for u in _triagers(report.unit_id)}
            people.update({u.pk: u for u in _handlers(report)})
            _remind(
                report,
                people.values(),
                f"Phản ánh {report.tracking_code} đã quá hạn",
                NotificationLevel.URGENT,
            )
            FieldReport.objects.filter(pk=report.pk).update(overdue_notified_at=moment)
        run.overdue += 1
    return run


def is_overdue(report: FieldReport, moment: dt.datetime | None = None) -> bool:
    moment = moment or timezone.now()
    if report.status == ReportStatus.SUBMITTED:
        return report.receipt_due_at < moment
    if report.status in HANDLING_STATUSES and report.handle_due_at is not None:
        return report.handle_due_at < moment
    return False


__all__ = [
    "OPEN_STATUSES",
    "TRANSITIONS",
    "Contact",
    "report_accept",
    "report_answer",
    "report_assign",
    "report_close",
    "report_merge",
    "report_rate",
    "report_refuse",
    "report_set_level",
    "report_submit",
    "reports_send_reminders",
]


# --- configuration (admin) -------------------------------------------------------------------


def category_save(*, category: ReportCategory, user: Any = None) -> ReportCategory:
    """Save a category from the admin (validated attributes, audited)."""
    if not isinstance(category.attributes, list) or any(
        not isinstance(a, dict) or not a.get("code") for a in category.attributes
    ):
        raise DomainError(
            "category_bad_attributes",
            "Thuộc tính bổ sung phải là một danh sách, mỗi phần tử có 'code'.",
        )
    category.name = _nfc(category.name)
    creating = category.pk is None
    with transaction.atomic():
        category.save()
        audit_record(
            action="urban_report.category_create" if creating else "urban_report.category_update",
            obj=category,
            actor=user,
            changes={"code": [None, category.code], "name": [None, category.name]},
            summary=f"{'Thêm' if creating else 'Sửa'} lĩnh vực phản ánh “{category.name}”.",
        )
    return category
