"""The citizen's pages under /phan-anh/: file a report, follow it by tracking code, rate it.

No login; CSRF-protected forms; submissions rate-limited per client address (ratelimit.py).
Contact details are never shown on public pages.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from congso.kernel.errors import DomainError, NotFound
from congso.urban.reports import ratelimit, selectors, services
from congso.urban.reports.forms import LookupForm, RateForm, ReportForm, add_domain_error
from congso.urban.reports.models import RATEABLE_STATUSES, FieldReport
from congso.urban.reports.photos import public_bytes

TEMPLATES = "urban/reports/public"


def _boundaries() -> dict[str, Any]:
    from congso.urban.geo import boundaries_geojson, served_units

    return boundaries_geojson([u.pk for u in served_units()])


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    limited = False
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        limited = ratelimit.is_limited(request)
        ratelimit.hit(request)
        if limited:
            form.is_valid()
            form.add_error(
                None,
                "Bạn đã gửi quá nhiều phản ánh trong thời gian ngắn. Xin thử lại sau ít phút.",
            )
        elif form.is_valid():
            data = form.cleaned_data
            try:
                report = services.report_submit(
                    category=data["category"],
                    description=data["description"],
                    lat=data.get("lat"),
                    lon=data.get("lon"),
                    address=data.get("address", ""),
                    unit=data.get("unit"),
                    contact=services.Contact(
                        name=data.get("name", ""),
                        phone=data.get("phone", ""),
                        email=data.get("email", ""),
                    ),
                    photos=data.get("photos") or [],
                    user=request.user,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    f"Đã gửi phản ánh. Mã theo dõi của bạn: {report.tracking_code}. "
                    "Hãy ghi lại mã này để theo dõi kết quả.",
                )
                return HttpResponseRedirect(services.public_url(report))
    else:
        form = ReportForm()
    status = 429 if limited else 200
    return render(
        request,
        f"{TEMPLATES}/new.html",
        {
            "form": form,
            "categories": list(form.categories.values()),
            "boundaries": _boundaries(),
            "files_lost": request.method == "POST" and bool(request.FILES),
        },
        status=status,
    )


def _report(code: str) -> FieldReport:
    try:
        return services.report_by_code(code)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _track_context(report: FieldReport, rate_form: RateForm | None = None) -> dict[str, Any]:
    return {
        "report": report,
        "photos": selectors.report_photos(report),
        "rate_form": rate_form or RateForm(),
        "can_rate": report.status in RATEABLE_STATUSES and report.rating is None,
        "overdue": services.is_overdue(report),
        "published": selectors.is_published(report),
        # The original of a merged report: linked only once it is published (its page shows
        # another citizen's description and photos).
        "merged_link": (
            report.merged_into
            if report.merged_into is not None and selectors.is_published(report.merged_into)
            else None
        ),
    }


@require_GET
def report_track(request: HttpRequest, code: str) -> HttpResponse:
    report = _report(code)
    return render(request, f"{TEMPLATES}/track.html", _track_context(report))


@require_GET
def report_lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET or None)
    if form.is_valid():
        code = services.normalise_tracking_code(form.cleaned_data["code"])
        if code and FieldReport.objects.filter(tracking_code=code).exists():
            return HttpResponseRedirect(reverse("urban_reports_public:track", args=[code]))
        form.add_error("code", "Không tìm thấy phản ánh với mã theo dõi này.")
    return render(request, f"{TEMPLATES}/lookup.html", {"form": form})


@require_POST
def report_rate(request: HttpRequest, code: str) -> HttpResponse:
    report = _report(code)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.report_rate(
                code=report.tracking_code,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data.get("comment", ""),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Cảm ơn bạn đã đánh giá kết quả xử lý.")
            return HttpResponseRedirect(services.public_url(report))
    return render(request, f"{TEMPLATES}/track.html", _track_context(report, form), status=400)


@require_GET
def report_photo(request: HttpRequest, code: str, public_id: uuid.UUID) -> FileResponse:
    report = _report(code)
    photo = next((p for p in selectors.report_photos(report) if p.public_id == public_id), None)
    if photo is None:
        raise Http404("Không tìm thấy ảnh.")
    try:
        handle, content_type = public_bytes(photo)  # the copy without EXIF/metadata
    except DomainError as exc:
        raise Http404(exc.message) from exc
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
