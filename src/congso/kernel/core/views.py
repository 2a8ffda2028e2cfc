"""Staff home, health check and the error pages."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

from congso.kernel.core.health import health_report
from congso.kernel.core.home import work_overview
from congso.kernel.core.source import source_archive

logger = logging.getLogger(__name__)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """ "Việc của tôi": what waits for the user in their current position."""
    position = getattr(request, "position", None)
    overview = work_overview(request.user, position)  # type: ignore[arg-type]
    return render(
        request,
        "core/home.html",
        {
            "overview": overview,
            "position": position,
            "positions": getattr(request, "positions", None) or [],
        },
    )


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, report = health_report()
    return JsonResponse(report, status=200 if healthy else 503, json_dumps_params={"indent": 1})


def source(request: HttpRequest) -> FileResponse:
    """The running program's source (AGPL-3.0 §13), built from the installed files."""
    path = source_archive()
    return FileResponse(path.open("rb"), as_attachment=True, filename="congso-source.tar.gz")


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", {"request_path": request.path}, status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    """Self-contained on purpose: no database, no context processors, no static files."""
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render())


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: the form was stale (session expired, page opened too long ago)."""
    logger.warning("CSRF failure on %s: %s", request.path, reason)
    return render(request, "errors/csrf.html", status=403)
