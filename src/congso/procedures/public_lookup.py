"""The public lookup (/tra-cuu/ and GET /api/v1/public/dossiers/{code}): one set of rules.

- Second factor: the lookup secret printed on the receipt (and in the QR), or the last four digits
  of the phone the applicant gave (``ONESTOP_LOOKUP_PHONE_DIGITS``, 0 turns that off).
- No enumeration: an unknown code and a wrong second factor give the same error, after the same
  work (a comparison against a dummy when the code is unknown).
- Rate limits: per client address (``ONESTOP_LOOKUP_RATE_IP`` attempts per
  ``ONESTOP_LOOKUP_WINDOW`` seconds) and per dossier code (``ONESTOP_LOOKUP_RATE_CODE`` per hour,
  whoever asks), so the 4-digit factor cannot be guessed by spreading over addresses.
- What is shown: the procedure, the receiving committee, the status, the public timeline, the
  appointment, what to bring; of the applicant, only the initials of the name.
"""

from __future__ import annotations

import datetime as dt
import hmac
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from congso.kernel.core.ratelimit import rate_limit_hit
from congso.kernel.errors import DomainError
from congso.procedures.models import (
    Dossier,
    DossierPause,
    DossierRating,
    DossierStatus,
    PauseReason,
    Satisfaction,
)

S = DossierStatus
LOOKUP_FAILED_MESSAGE = (
    "Mã hồ sơ hoặc mã tra cứu không đúng. Vui lòng kiểm tra lại giấy tiếp nhận hồ sơ."
)
_DUMMY_SECRET = "ZZZZZZZZ"  # noqa: S105 - compared when the code is unknown (same work)

EVENT_LABELS = {
    "submit": "Nộp hồ sơ trực tuyến",
    "receive": "Tiếp nhận hồ sơ",
    "accept": "Tiếp nhận hồ sơ",
    "refuse": "Từ chối tiếp nhận hồ sơ",
    "request_supplement": "Yêu cầu bổ sung, hoàn thiện hồ sơ",
    "supplement_received": "Đã nhận giấy tờ bổ sung",
    "request_fees": "Thông báo thực hiện nghĩa vụ tài chính",
    "fees_paid": "Đã thực hiện nghĩa vụ tài chính",
    "hand_over": "Chuyển bước xử lý",
    "extend": "Xin lỗi và gia hạn thời gian giải quyết",
    "stop": "Dừng giải quyết hồ sơ",
    "withdraw": "Rút hồ sơ",
    "complete": "Đã có kết quả giải quyết",
    "return": "Đã trả kết quả",
    "rate": "Đánh giá mức độ hài lòng",
}
# Only these events show their note (it is addressed to the applicant); others show the label.
NOTE_SHOWN = frozenset({"refuse", "request_supplement", "extend", "stop", "withdraw"})


class LookupFailed(DomainError):
    status = 404

    def __init__(self) -> None:
        super().__init__("lookup_failed", LOOKUP_FAILED_MESSAGE, status=404)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def normalize_code(value: Any) -> str:
    text = unicodedata.normalize("NFC", str(value or "")).strip().upper()
    return "".join(text.split())[:64]


def _factor(value: Any) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).strip().upper()
    return "".join(ch for ch in text if ch.isalnum())[:32]


def check_limits(request: HttpRequest | None, code: str) -> None:
    """Counts one attempt; raises RateLimited (429) past the limits."""
    window = _setting("ONESTOP_LOOKUP_WINDOW", 300)
    rate_limit_hit(
        request,
        scope="procedures.lookup",
        limit=_setting("ONESTOP_LOOKUP_RATE_IP", 30),
        window=window,
    )
    rate_limit_hit(
        request,
        scope="procedures.lookup.code",
        limit=_setting("ONESTOP_LOOKUP_RATE_CODE", 10),
        window=3600,
        key=f"code:{code}",
    )


def _phone_tail(phone: str, digits: int) -> str:
    only = "".join(ch for ch in phone if ch.isdigit())
    return only[-digits:] if len(only) >= max(digits, 8) else ""


def factor_matches(dossier: Dossier | None, factor: str) -> bool:
    secret = dossier.lookup_secret.upper() if dossier is not None else _DUMMY_SECRET
    ok_secret = hmac.compare_digest(secret.encode(), factor.encode())
    digits = _setting("ONESTOP_LOOKUP_PHONE_DIGITS", 4)
    ok_phone = False
    if digits > 0 and len(factor) == digits and factor.isdigit():
        tail = _phone_tail(dossier.applicant_phone if dossier is not None else "", digits)
        ok_phone = bool(tail) and hmac.compare_digest(tail.encode(), factor.encode())
    return dossier is not None and (ok_secret or ok_phone)


def find(request: HttpRequest | None, code: Any, factor: Any) -> Dossier:
    """The dossier for this code and second factor; ``LookupFailed`` otherwise (rate-limited)."""
    code_n = normalize_code(code)
    factor_n = _factor(factor)
    check_limits(request, code_n or "-")
    dossier = (
        Dossier.objects.select_related("procedure", "unit").filter(code=code_n).first()
        if code_n
        else None
    )
    if not factor_n or not factor_matches(dossier, factor_n):
        raise LookupFailed()
    assert dossier is not None
    return dossier


def initials(name: str) -> str:
    """``Nguyễn Văn An`` → ``N.V.A.``; an organisation's name the same way (no full name)."""
    parts = [p for p in unicodedata.normalize("NFC", name or "").split() if p[:1].isalpha()]
    return "".join(f"{p[0].upper()}." for p in parts[:6])


@dataclass
class TimelineEntry:
    at: dt.datetime
    label: str
    status: str
    note: str = ""


@dataclass
class PublicStatus:
    dossier: Dossier
    code: str
    procedure: str
    committee: str
    applicant_initials: str
    status_code: int
    status_label: str
    channel_label: str
    submitted_at: dt.datetime
    received_at: dt.datetime | None
    appointment_at: dt.datetime | None
    completed_at: dt.datetime | None
    returned_at: dt.datetime | None
    return_place: str
    timeline: list[TimelineEntry] = field(default_factory=list)
    to_bring: list[str] = field(default_factory=list)
    supplement_items: str = ""
    supplement_note: str = ""
    fee_due: int | None = None
    can_rate: bool = False
    rating: str = ""
    overdue: bool = False

    def as_dict(self) -> dict[str, Any]:
        def iso(value: dt.datetime | None) -> str | None:
            return timezone.localtime(value).isoformat() if value else None

        return {
            "code": self.code,
            "procedure": self.procedure,
            "committee": self.committee,
            "applicant_initials": self.applicant_initials,
            "status": self.status_code,
            "status_label": self.status_label,
            "channel": self.channel_label,
            "submitted_at": iso(self.submitted_at),
            "received_at": iso(self.received_at),
            "appointment_at": iso(self.appointment_at),
            "completed_at": iso(self.completed_at),
            "returned_at": iso(self.returned_at),
            "return_place": self.return_place,
            "overdue": self.overdue,
            "timeline": [
                {"at": iso(e.at), "label": e.label, "status": e.status, "note": e.note}
                for e in self.timeline
            ],
            "to_bring": self.to_bring,
            "supplement_items": self.supplement_items,
            "fee_due": self.fee_due,
            "can_rate": self.can_rate,
            "rating": self.rating or None,
        }


def public_status(dossier: Dossier) -> PublicStatus:
    """What the applicant may see of the dossier (three queries)."""
    status = int(dossier.status)
    events = list(
        dossier.events.filter(public=True)
        .order_by("at", "id")
        .values_list("at", "action", "status_to", "note")
    )
    timeline = [
        TimelineEntry(
            at=at,
            label=EVENT_LABELS.get(action, "Cập nhật hồ sơ"),
            status=str(DossierStatus(status_to).label) if status_to else "",
            note=note if action in NOTE_SHOWN else "",
        )
        for at, action, status_to, note in events
    ]
    rating = DossierRating.objects.filter(dossier_id=dossier.pk).values_list("score", flat=True)
    score = next(iter(rating), None)
    out = PublicStatus(
        dossier=dossier,
        code=dossier.code,
        procedure=dossier.procedure.name,
        committee=dossier.unit.display_committee,
        applicant_initials=initials(dossier.applicant_name),
        status_code=status,
        status_label=str(DossierStatus(status).label),
        channel_label=dossier.get_channel_display(),
        submitted_at=dossier.submitted_at,
        received_at=dossier.received_at,
        appointment_at=dossier.due_at,
        completed_at=dossier.completed_at,
        returned_at=dossier.returned_at,
        return_place=dossier.procedure.return_place or dossier.unit.display_committee,
        timeline=timeline,
        can_rate=status in (S.DONE, S.RETURNED) and score is None,
        rating=str(Satisfaction(score).label) if score else "",
        overdue=bool(
            dossier.due_at
            and status in (S.ACCEPTED, S.IN_PROCESS)
            and dossier.due_at < timezone.now()
        ),
    )
    if status == S.SUPPLEMENT_REQUESTED:
        pause = (
            DossierPause.objects.filter(
                dossier_id=dossier.pk, reason=PauseReason.SUPPLEMENT, ended_at__isnull=True
            )
            .order_by("-started_at")
            .first()
        )
        if pause is not None:
            out.supplement_items = pause.items
            out.supplement_note = pause.note
        out.to_bring.append(
            "Bổ sung, hoàn thiện các giấy tờ theo yêu cầu dưới đây, nộp tại bộ phận một cửa"
            + (" hoặc trên cổng dịch vụ công." if dossier.channel == 2 else ".")
        )
    elif status == S.FEES_DUE:
        out.fee_due = int(dossier.fee_amount or 0)
        out.to_bring.append("Nộp phí, lệ phí theo thông báo để cơ quan tiếp tục giải quyết.")
    elif status == S.DONE:
        out.to_bring.append(
            "Kết quả đã sẵn sàng. Khi đến nhận, mang theo giấy tiếp nhận hồ sơ và giấy tờ tùy thân "
            "(căn cước) của người nộp hoặc giấy ủy quyền."
        )
        if dossier.fee_amount and not dossier.fee_paid:
            out.fee_due = int(dossier.fee_amount)
            out.to_bring.append("Nộp phí, lệ phí khi nhận kết quả.")
    elif status == S.SUBMITTED:
        out.to_bring.append(
            "Hồ sơ đang chờ cán bộ một cửa kiểm tra, tiếp nhận. Chưa cần đến cơ quan."
        )
    return out
