"""Public REST endpoints of the one-stop shop (no login): mounted at /api/v1/public/.

``GET /public/dossiers/{code}?secret=...`` — the same rules as the /tra-cuu/ page
(``congso.procedures.public_lookup``): the secret printed on the receipt or the last 4 digits of
the phone; one error (404 ``lookup_failed``) for an unknown code and a wrong secret; 429
``rate_limited`` past the limits. ``POST /public/dossiers/{code}/rating`` records the applicant's
satisfaction once the result is out.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from congso.procedures import public_lookup

router = Router(auth=None, tags=["procedures: public lookup"])


class TimelineOut(Schema):
    at: str | None
    label: str
    status: str
    note: str


class PublicDossierOut(Schema):
    code: str
    procedure: str
    committee: str
    applicant_initials: str
    status: int = Field(description="Mã trạng thái theo Cổng DVCQG (1–10)")
    status_label: str
    channel: str
    submitted_at: str | None
    received_at: str | None
    appointment_at: str | None = Field(description="Ngày hẹn trả kết quả")
    completed_at: str | None
    returned_at: str | None
    return_place: str
    overdue: bool
    timeline: list[TimelineOut]
    to_bring: list[str]
    supplement_items: str
    fee_due: int | None
    can_rate: bool
    rating: str | None


class RatingIn(Schema):
    secret: str = Field(description="Mã tra cứu hoặc 4 số cuối điện thoại")
    score: int = Field(description="3 rất hài lòng, 2 hài lòng, 1 không hài lòng")
    comment: str = ""


@router.get("/dossiers/{code}", response=PublicDossierOut)
def public_dossier(request: HttpRequest, code: str, secret: str = "") -> dict[str, Any]:
    dossier = public_lookup.find(request, code, secret)
    return public_lookup.public_status(dossier).as_dict()


@router.post("/dossiers/{code}/rating", response=PublicDossierOut)
def public_rate(request: HttpRequest, code: str, payload: RatingIn) -> dict[str, Any]:
    from congso.procedures import services

    dossier = public_lookup.find(request, code, payload.secret)
    services.dossier_rate(dossier=dossier, score=payload.score, comment=payload.comment)
    return public_lookup.public_status(dossier).as_dict()
