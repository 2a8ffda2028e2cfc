"""The public side of the one-stop shop: the catalogue, online filing, the lookup and the rating.

No login. Every form has CSRF; filing, lookup and rating are rate-limited per client address
(``congso.kernel.core.ratelimit``); files are checked (type sniffed, size-limited) by the
services. The pages extend the portal's ``base.html`` (Bootstrap, usable on a phone).
"""

from __future__ import annotations

import io
import unicodedata
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.mail import send_mail
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from congso.kernel.core.ratelimit import RateLimited, rate_limit_hit
from congso.kernel.core.selectors import served_units
from congso.kernel.errors import DomainError
from congso.procedures import public_lookup
from congso.procedures.models import (
    OnlineLevel,
    Procedure,
    ProcedureField,
    ProcedurePaper,
)
from congso.procedures.public_forms import LookupForm, OnlineFilingForm, RatingForm

FILED_SESSION_KEY = "procedures_filed"
SESSION_KEEP = 10  # dossiers filed from this browser shown on the "filed" page


# --- catalogue -------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without diacritics (đ → d): ``Khai sinh`` matches ``khai sinh``, ``khai sinh``."""
    decomposed = unicodedata.normalize("NFD", (text or "").lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:200]
    field_code = (request.GET.get("linh_vuc") or "").strip()[:40]
    level = (request.GET.get("muc") or "").strip()
    procedures = list(
        Procedure.objects.filter(is_active=True)
        .select_related("field")
        .only(
            "id",
            "code",
            "name",
            "field__name",
            "field__code",
            "online_level",
            "duration_value",
            "duration_unit",
            "level",
        )
        .order_by("field__name", "name")
    )
    if field_code:
        procedures = [p for p in procedures if p.field.code == field_code]
    if level in OnlineLevel.values:
        procedures = [p for p in procedures if p.online_level == level]
    elif level == "online":
        procedures = [p for p in procedures if p.online_level != OnlineLevel.NONE]
    if q:
        words = fold(q).split()
        procedures = [
            p
            for p in procedures
            if all(w in fold(f"{p.name} {p.code} {p.field.name}") for w in words)
        ]
    fields = list(ProcedureField.objects.filter(procedures__is_active=True).distinct())
    return render(
        request,
        "procedures/public/catalogue.html",
        {
            "procedures": procedures,
            "fields": fields,
            "q": q,
            "field_code": field_code,
            "level": level,
            "levels": OnlineLevel.choices,
        },
    )


def _procedure(code: str) -> Procedure:
    procedure = (
        Procedure.objects.filter(code=code, is_active=True)
        .select_related("field")
        .prefetch_related(
            Prefetch(
                "papers",
                queryset=ProcedurePaper.objects.select_related("form_file").order_by(
                    "position", "id"
                ),
            ),
            "fees",
            "steps",
        )
        .first()
    )
    if procedure is None:
        raise Http404("Không có thủ tục này trong danh mục.")
    return procedure


@require_GET
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = _procedure(code)
    return render(
        request,
        "procedures/public/procedure.html",
        {
            "procedure": procedure,
            "papers": list(procedure.papers.all()),
            "fees": list(procedure.fees.all()),
            "steps": list(procedure.steps.all()),
            "online": procedure.online_level != OnlineLevel.NONE,
        },
    )


@require_GET
def blank_form(request: HttpRequest, paper_id: int) -> FileResponse:
    """The blank form (mẫu đơn, tờ khai) of a paper of an active procedure: public."""
    from congso.kernel.files.responses import stored_file_response

    paper = (
        ProcedurePaper.objects.select_related("form_file")
        .filter(pk=paper_id, procedure__is_active=True, form_file__isnull=False)
        .first()
    )
    if paper is None or paper.form_file is None:
        raise Http404("Không có mẫu đơn này.")
    return stored_file_response(paper.form_file, inline=False)


# --- online filing ---------------------------------------------------------------------------


def _filing_units() -> list[Any]:
    return served_units()


def _limit_filing(request: HttpRequest) -> None:
    rate_limit_hit(
        request,
        scope="procedures.file",
        limit=int(getattr(settings, "ONESTOP_FILING_RATE", 10)),
        window=int(getattr(settings, "ONESTOP_FILING_WINDOW", 3600)),
    )


def _apply_error(form: OnlineFilingForm, exc: DomainError) -> None:
    details = exc.details if isinstance(exc.details, dict) else {}
    target = str(details.get("field") or "")
    name = target.removeprefix("applicant.")
    if exc.code == "missing_papers":
        for item in details.get("missing") or []:
            key = f"paper_{item.get('id')}"
            if key in form.fields:
                form.add_error(key, f"Cần tải lên: {item.get('name')}.")
                return
    if name in form.fields:
        form.add_error(name, exc.message)
    else:
        form.add_error(None, exc.message)


def _remember_filed(request: HttpRequest, code: str, secret: str) -> None:
    filed = [row for row in request.session.get(FILED_SESSION_KEY, []) if row.get("code") != code]
    filed.insert(0, {"code": code, "secret": secret})
    request.session[FILED_SESSION_KEY] = filed[:SESSION_KEEP]


def _mail_tracking_code(dossier: Any, link: str) -> None:
    if not dossier.applicant_email:
        return
    try:
        send_mail(
            subject=f"[Công sở số] Mã hồ sơ {dossier.code}",
            message=(
                f"Hồ sơ “{dossier.procedure.name}” của bạn đã được gửi tới "
                f"{dossier.unit.display_committee}.\n\n"
                f"Mã hồ sơ: {dossier.code}\nMã tra cứu: {dossier.lookup_secret}\n\n"
                f"Tra cứu tình trạng hồ sơ: {link}\n\n"
                "Cán bộ một cửa sẽ kiểm tra và tiếp nhận hồ sơ; thời hạn giải quyết được tính từ "
                "khi tiếp nhận (ngoài giờ làm việc: từ ngày làm việc tiếp theo).\n"
            ),
            from_email=None,
            recipient_list=[dossier.applicant_email],
        )
    except Exception:  # the dossier is filed; the page shows the codes anyway
        import logging

        logging.getLogger(__name__).exception("tracking-code e-mail failed for %s", dossier.code)


@require_http_methods(["GET", "POST"])
def file_online(request: HttpRequest, code: str) -> HttpResponse:
    from congso.procedures import services

    procedure = _procedure(code)
    if procedure.online_level == OnlineLevel.NONE:
        messages.warning(
            request,
            f"Thủ tục “{procedure.name}” chưa nộp được trực tuyến. "
            "Mời bạn nộp tại bộ phận một cửa.",
        )
        return redirect("procedures_public:procedure", code=procedure.code)
    units = _filing_units()
    papers = list(procedure.papers.all())
    status = 200
    if request.method == "POST":
        form = OnlineFilingForm(request.POST, request.FILES, units=units, papers=papers)
        try:
            _limit_filing(request)
        except RateLimited as exc:
            form.add_error(None, exc.message)
            status = 429
        else:
            if form.is_valid():
                try:
                    dossier = services.dossier_submit_online(
                        unit=form.cleaned_data["unit"],
                        procedure=procedure,
                        applicant=form.applicant(),
                        uploads=form.uploads(),
                        content=form.cleaned_data.get("content", ""),
                        user=request.user,
                    )
                except DomainError as exc:
                    _apply_error(form, exc)
                    status = 422 if exc.status < 500 else exc.status
                else:
                    _remember_filed(request, dossier.code, dossier.lookup_secret)
                    _mail_tracking_code(dossier, services.lookup_url(dossier))
                    return redirect(reverse("procedures_public:filed") + f"?ma={dossier.code}")
            else:
                status = 422
    else:
        form = OnlineFilingForm(units=units, papers=papers)
    return render(
        request,
        "procedures/public/file_online.html",
        {"procedure": procedure, "form": form, "units": units, "max_mb": _max_mb()},
        status=status,
    )


def _max_mb() -> int:
    return int(getattr(settings, "ONESTOP_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)) // (1024 * 1024)


def qr_svg(text: str) -> str:
    import segno

    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True)
    return out.getvalue().decode()


@require_GET
def filed(request: HttpRequest) -> HttpResponse:
    """The tracking code and the lookup secret, at once (remembered in this browser's session)."""
    from congso.procedures import services
    from congso.procedures.models import Dossier

    code = public_lookup.normalize_code(request.GET.get("ma"))
    remembered = {row["code"]: row["secret"] for row in request.session.get(FILED_SESSION_KEY, [])}
    if code not in remembered:
        raise Http404("Không có hồ sơ vừa nộp từ trình duyệt này.")
    dossier = (
        Dossier.objects.select_related("procedure", "unit")
        .filter(code=code, lookup_secret=remembered[code])
        .first()
    )
    if dossier is None:
        raise Http404("Không có hồ sơ vừa nộp từ trình duyệt này.")
    link = services.lookup_url(dossier)
    return render(
        request,
        "procedures/public/filed.html",
        {"dossier": dossier, "lookup_link": link, "qr": qr_svg(link)},
    )


# --- lookup and rating -----------------------------------------------------------------------


def _lookup_render(
    request: HttpRequest,
    form: LookupForm,
    *,
    status: Any = None,
    rating_form: RatingForm | None = None,
    http_status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "procedures/public/lookup.html",
        {
            "form": form,
            "status": status,
            "rating_form": rating_form,
            "secret": form.data.get("k", "") if status is not None else "",
        },
        status=http_status,
    )


@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """GET ?ma=&k= (the receipt's QR) or the form (POST): the dossier's public status."""
    data = request.POST if request.method == "POST" else request.GET
    if not data.get("ma") and not data.get("k"):
        return _lookup_render(request, LookupForm())
    form = LookupForm(data)
    if not form.is_valid():
        return _lookup_render(request, form, http_status=422)
    try:
        dossier = public_lookup.find(request, form.cleaned_data["ma"], form.cleaned_data["k"])
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _lookup_render(request, form, http_status=exc.status)
    status = public_lookup.public_status(dossier)
    rating_form = None
    if status.can_rate:
        rating_form = RatingForm(initial={"ma": dossier.code, "k": form.cleaned_data["k"]})
    return _lookup_render(request, form, status=status, rating_form=rating_form)


@require_POST
def rate(request: HttpRequest) -> HttpResponse:
    from congso.procedures import services

    form = RatingForm(request.POST)
    lookup_form = LookupForm({"ma": request.POST.get("ma", ""), "k": request.POST.get("k", "")})
    if not lookup_form.is_valid():
        return _lookup_render(request, lookup_form, http_status=422)
    try:
        dossier = public_lookup.find(
            request, lookup_form.cleaned_data["ma"], lookup_form.cleaned_data["k"]
        )
    except DomainError as exc:
        lookup_form.add_error(None, exc.message)
        return _lookup_render(request, lookup_form, http_status=exc.status)
    if form.is_valid():
        try:
            services.dossier_rate(
                dossier=dossier,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data.get("comment", ""),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            status = public_lookup.public_status(dossier)
            return _lookup_render(
                request,
                lookup_form,
                status=status,
                rating_form=form if status.can_rate else None,
                http_status=exc.status,
            )
        else:
            messages.success(request, "Cảm ơn bạn đã đánh giá. Ý kiến của bạn đã được ghi nhận.")
            status = public_lookup.public_status(dossier)
            return _lookup_render(request, lookup_form, status=status)
    status = public_lookup.public_status(dossier)
    return _lookup_render(
        request,
        lookup_form,
        status=status,
        rating_form=form if status.can_rate else None,
        http_status=422,
    )


# --- menu ------------------------------------------------------------------------------------


def register_public_ui() -> None:
    """The public menu entries (the portal's tiles): called from the apps' ``ready()``."""
    from congso.kernel.core.navigation import PUBLIC_MENU, NavItem, register_nav

    register_nav(
        NavItem(
            key="lookup",
            label="Tra cứu hồ sơ",
            url_name="procedures_lookup:lookup",
            description="Xem hồ sơ thủ tục hành chính của bạn đang ở bước nào, bằng mã hồ sơ.",
            order=10,
            menu=PUBLIC_MENU,
        )
    )
    register_nav(
        NavItem(
            key="procedures",
            label="Thủ tục hành chính",
            url_name="procedures_public:catalogue",
            description="Danh mục thủ tục: hồ sơ cần nộp, thời hạn, lệ phí; nộp hồ sơ trực tuyến.",
            order=30,
            menu=PUBLIC_MENU,
        )
    )
