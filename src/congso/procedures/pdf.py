"""The one-stop shop's official forms as print-ready PDFs (Circular 03/2025/TT-VPCP, Appendix I;
the 2018 layouts of Circular 01/2018 for the fields: shared/domain/vietnam-rules.md §2.1).

One entry per form in ``FORMS`` (URL slug → template, title, when it exists for a dossier).
``render_form(slug, dossier, request=...)`` returns the PDF bytes; the views check the user's
right to see the dossier first. Templates: ``procedures/pdf/<name>.html`` extending
``pdf/base.html`` (A4, Liberation Serif 2, Decree 30 margins).

The receipt carries a QR code (segno, PNG data URI: nothing is fetched) encoding
``{SITE_URL}/tra-cuu/?ma=<code>&k=<lookup_secret>``; when ``SITE_URL`` is empty the request's
absolute URI is used, so the code always points at the server that printed it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from congso.procedures.models import (
    Dossier,
    DossierStatus,
    DurationUnit,
    PauseReason,
    Timeliness,
)

LOOKUP_PATH = "/tra-cuu/"
PLACE_PREFIXES = ("Phường ", "Xã ", "Thị trấn ", "Đặc khu ")


# --- formatting ------------------------------------------------------------------------------


def vn_moment(moment: dt.datetime | None) -> str:
    """``10 giờ 05 phút, ngày 27 tháng 11 năm 2026`` (local time), or dotted blanks."""
    if moment is None:
        return "…… giờ …… phút, ngày …… tháng …… năm ……"
    local = timezone.localtime(moment)
    return (
        f"{local.hour:02d} giờ {local.minute:02d} phút, "
        f"ngày {local.day:02d} tháng {local.month:02d} năm {local.year}"
    )


def vn_date(day: dt.date | dt.datetime | None) -> str:
    """``ngày 27 tháng 11 năm 2026``."""
    if day is None:
        return "ngày …… tháng …… năm ……"
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date()
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def vn_number(value: Decimal | int | float | None) -> str:
    """``1.234.567`` (Vietnamese grouping, no decimals when whole; ``,`` as decimal mark)."""
    if value is None:
        return ""
    number = Decimal(value)
    if number == number.to_integral_value():
        return f"{int(number):,}".replace(",", ".")
    whole, _, frac = f"{number.normalize():f}".partition(".")
    return f"{int(whole):,}".replace(",", ".") + "," + frac


def duration_text(dossier: Dossier) -> str:
    procedure = dossier.procedure
    unit = (
        "ngày làm việc" if procedure.duration_unit == DurationUnit.WORKING_DAYS else "giờ làm việc"
    )
    return f"{vn_number(procedure.duration_value)} {unit}"


def place_name(dossier: Dossier) -> str:
    name = dossier.unit.name
    for prefix in PLACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def lookup_url(dossier: Dossier, request: HttpRequest | None = None) -> str:
    """The public lookup address encoded in the receipt's QR code."""
    query = urlencode({"ma": dossier.code, "k": dossier.lookup_secret})
    base = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    if base:
        return f"{base}{LOOKUP_PATH}?{query}"
    if request is not None:
        return request.build_absolute_uri(f"{LOOKUP_PATH}?{query}")
    return f"{LOOKUP_PATH}?{query}"


def qr_data_uri(text: str) -> str:
    import segno

    # Error level M, quiet zone of 4 modules: reads reliably from a printed page.
    return str(segno.make(text, error="m", micro=False).png_data_uri(scale=6, border=4))


def _name(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


# --- the forms -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormSpec:
    slug: str
    template: str
    title: str
    filename: str
    available: Callable[[Dossier], bool]


def _received(d: Dossier) -> bool:
    return d.received_at is not None


def _has_supplement(d: Dossier) -> bool:
    return d.pauses.filter(reason=PauseReason.SUPPLEMENT).exists()


def _has_extension(d: Dossier) -> bool:
    from congso.procedures.models import DossierExtension

    return DossierExtension.objects.filter(dossier=d).exists()


def _extension(d: Dossier) -> Any:
    from congso.procedures.models import DossierExtension

    return DossierExtension.objects.filter(dossier=d).select_related("created_by").first()


FORMS: dict[str, FormSpec] = {
    spec.slug: spec
    for spec in (
        FormSpec(
            "giay-tiep-nhan",
            "procedures/pdf/receipt.html",
            "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
            "Giấy tiếp nhận",
            _received,
        ),
        FormSpec(
            "yeu-cau-bo-sung",
            "procedures/pdf/supplement.html",
            "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
            "Phiếu yêu cầu bổ sung",
            _has_supplement,
        ),
        FormSpec(
            "tu-choi",
            "procedures/pdf/refusal.html",
            "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
            "Phiếu từ chối",
            lambda d: d.status == DossierStatus.REFUSED,
        ),
        FormSpec(
            "xin-loi-gia-han",
            "procedures/pdf/apology.html",
            "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
            "Văn bản xin lỗi và gia hạn",
            _has_extension,
        ),
        FormSpec(
            "dung-giai-quyet",
            "procedures/pdf/stop.html",
            "Thông báo dừng giải quyết hồ sơ",
            "Thông báo dừng giải quyết",
            lambda d: d.status == DossierStatus.STOPPED,
        ),
        FormSpec(
            "phieu-kiem-soat",
            "procedures/pdf/control_sheet.html",
            "Phiếu kiểm soát quá trình giải quyết hồ sơ",
            "Phiếu kiểm soát",
            _received,
        ),
    )
}


def available_forms(dossier: Dossier) -> list[FormSpec]:
    """The forms that exist for this dossier now (for the detail page's print buttons)."""
    return [spec for spec in FORMS.values() if spec.available(dossier)]


def _common(dossier: Dossier) -> dict[str, Any]:
    unit = dossier.unit
    parent = getattr(unit, "parent", None)
    return {
        "dossier": dossier,
        "procedure": dossier.procedure,
        "committee": unit.display_committee,
        "parent_committee": parent.display_committee if parent is not None else "",
        "place": place_name(dossier),
        "today": vn_date(timezone.localdate()),
        "received_text": vn_moment(dossier.received_at or dossier.submitted_at),
        "due_text": vn_moment(dossier.due_at),
        "duration_text": duration_text(dossier),
    }


def _papers(dossier: Dossier) -> list[Any]:
    return list(dossier.papers.filter(provided=True).order_by("id"))


def receipt_context(dossier: Dossier, request: HttpRequest | None) -> dict[str, Any]:
    url = lookup_url(dossier, request)
    fees = list(dossier.procedure.fees.all())
    return {
        "papers": _papers(dossier),
        "lookup_url": url,
        "lookup_site": url.split("?", 1)[0],
        "qr": qr_data_uri(url),
        "officer_name": _name(dossier.receiving_officer),
        "fee_text": vn_number(dossier.fee_amount) if dossier.fee_amount else "",
        "fees": [(f.name, vn_number(f.amount)) for f in fees],
        "return_place": dossier.procedure.return_place
        or f"Bộ phận tiếp nhận và trả kết quả, {dossier.unit.display_committee}",
        "copies": [
            "Liên 1: giao người nộp hồ sơ",
            "Liên 2: lưu tại Bộ phận tiếp nhận và trả kết quả",
        ],
    }


def supplement_context(dossier: Dossier, request: HttpRequest | None) -> dict[str, Any]:
    pause = (
        dossier.pauses.filter(reason=PauseReason.SUPPLEMENT)
        .select_related("requested_by")
        .order_by("-started_at", "-id")
        .first()
    )
    items = [line.strip(" -•\t") for line in (pause.items if pause else "").splitlines()]
    guide = pause.requested_by if pause else None
    return {
        "pause": pause,
        "items": [line for line in items if line],
        "reason": pause.note if pause else "",
        "requested_text": vn_date(pause.started_at if pause else None),
        "guide_name": _name(guide),
        "guide_phone": getattr(guide, "phone", "") if guide else "",
    }


def refusal_context(dossier: Dossier, request: HttpRequest | None) -> dict[str, Any]:
    return {
        "reason": dossier.refusal_reason,
        "officer_name": _name(dossier.receiving_officer),
        "closed_text": vn_date(dossier.closed_at),
    }


def apology_context(dossier: Dossier, request: HttpRequest | None) -> dict[str, Any]:
    extension = _extension(dossier)
    return {
        "extension": extension,
        "old_due_text": vn_moment(extension.old_due_at if extension else None),
        "new_due_text": vn_moment(extension.new_due_at if extension else None),
        "issued_text": vn_date(extension.created_at if extension else None),
    }


def stop_context(dossier: Dossier, request: HttpRequest | None) -> dict[str, Any]:
    return {
        "reason": dossier.refusal_reason,
        "closed_text": vn_moment(dossier.closed_at),
        "issued_text": vn_date(dossier.closed_at),
    }


TIMELINESS_LABELS = [
    (Timeliness.EARLY, "Trước hạn"),
    (Timeliness.ON_TIME, "Đúng hạn"),
    (Timeliness.LATE, "Quá hạn"),
]


def _holder(step: Any) -> str:
    parts = [step.department.name if step.department is not None else ""]
    if step.assignee_id:
        parts.append(_name(step.assignee))
    return " — ".join(p for p in parts if p) or step.name


def control_sheet_context(dossier: Dossier, request: HttpRequest | None) -> dict[str, Any]:
    steps = list(
        dossier.steps.select_related("department", "assignee", "handed_by").order_by(
            "position", "id"
        )
    )
    one_stop = f"Bộ phận tiếp nhận và trả kết quả ({_name(dossier.receiving_officer)})".replace(
        " ()", ""
    )
    rows: list[dict[str, Any]] = []
    giver = one_stop
    for step in steps:
        rows.append(
            {
                "giver": giver,
                "receiver": f"{_holder(step)} ({step.name})",
                "moment": vn_moment(step.started_at),
                "giver_name": _name(step.handed_by),
                "receiver_name": _name(step.assignee),
                "timeliness": step.timeliness,
                "note": step.note,
                "allotted": vn_number(step.allotted_hours),
                "spent": vn_number(step.spent_hours) if step.spent_hours is not None else "",
            }
        )
        giver = _holder(step)
    if dossier.completed_at is not None:
        rows.append(
            {
                "giver": giver,
                "receiver": one_stop,
                "moment": vn_moment(dossier.completed_at),
                "giver_name": _name(dossier.handler),
                "receiver_name": "",
                "timeliness": dossier.timeliness,
                "note": dossier.result_summary,
                "allotted": "",
                "spent": "",
            }
        )
    if dossier.returned_at is not None:
        rows.append(
            {
                "giver": one_stop,
                "receiver": f"Người nộp hồ sơ ({dossier.applicant_name})",
                "moment": vn_moment(dossier.returned_at),
                "giver_name": "",
                "receiver_name": dossier.applicant_name,
                "timeliness": dossier.timeliness,
                "note": "Trả kết quả",
                "allotted": "",
                "spent": "",
            }
        )
    departments: list[str] = []
    for step in steps:
        if step.department is not None and step.department.name not in departments:
            departments.append(step.department.name)
    return {
        "rows": rows,
        "timeliness_labels": TIMELINESS_LABELS,
        "lead_agency": departments[0] if departments else dossier.unit.display_committee,
        "cooperating": ", ".join(departments[1:]),
    }


CONTEXTS: dict[str, Callable[[Dossier, HttpRequest | None], dict[str, Any]]] = {
    "giay-tiep-nhan": receipt_context,
    "yeu-cau-bo-sung": supplement_context,
    "tu-choi": refusal_context,
    "xin-loi-gia-han": apology_context,
    "dung-giai-quyet": stop_context,
    "phieu-kiem-soat": control_sheet_context,
}


def form_context(slug: str, dossier: Dossier, request: HttpRequest | None = None) -> dict[str, Any]:
    spec = FORMS[slug]
    return {**_common(dossier), "form_title": spec.title, **CONTEXTS[slug](dossier, request)}


def render_form(slug: str, dossier: Dossier, *, request: HttpRequest | None = None) -> bytes:
    """The PDF of form ``slug`` for ``dossier`` (the caller has checked the permission)."""
    from congso.kernel.pdf import render_pdf

    return render_pdf(FORMS[slug].template, form_context(slug, dossier, request))


def form_filename(slug: str, dossier: Dossier) -> str:
    return f"{FORMS[slug].filename} {dossier.code}.pdf"
