"""The REST API at /api/v1/: one NinjaAPI, routers from each module's ``api.py``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from congso.kernel.errors import DomainError
from congso.kernel.people.auth import TokenAuth, session_auth

api = NinjaAPI(
    title="Công sở số API",
    version="1",
    description="REST API của Công sở số. Xác thực: `Authorization: Bearer <token>`.",
    auth=[TokenAuth(), session_auth],
    urls_namespace="api",
)


def _error(
    request: HttpRequest, status: int, code: str, message: str, details: object = None
) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "details": details}, status=status
    )


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _error(request, 422, "invalid_input", "Dữ liệu gửi lên không hợp lệ.", exc.errors)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "Cần đăng nhập hoặc khóa API hợp lệ.")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, f"http_{exc.status_code}", str(exc))


def _register_routers() -> None:
    from congso.kernel.calendar.api import router as calendar_router
    from congso.kernel.core.api import router as core_router
    from congso.kernel.files.api import router as files_router
    from congso.kernel.notifications.api import router as notifications_router
    from congso.kernel.orgunits.api import router as orgunits_router
    from congso.kernel.people.api import router as people_router

    api.add_router("/calendar", calendar_router)
    api.add_router("/units", orgunits_router)
    api.add_router("/people", people_router)
    api.add_router("/files", files_router)
    api.add_router("/notifications", notifications_router)
    from congso.kernel.search.api import router as search_router

    api.add_router("/search", search_router)
    api.add_router("", core_router)

    from congso.documents.api import router as documents_router

    api.add_router("/documents", documents_router)

    from congso.procedures.api import router as procedures_router
    from congso.procedures.stats.api import router as procedures_stats_router

    api.add_router("/statistics", procedures_stats_router)  # before /procedures/{code}
    from congso.procedures.api_public import router as procedures_public_router

    api.add_router("", procedures_router)  # /procedures, /dossiers
    api.add_router("/public", procedures_public_router)  # /public/dossiers/{code}

    from congso.urban.clearance.api import router as clearance_router
    from congso.urban.construction.api import router as construction_router
    from congso.urban.reports.api import router as reports_router

    api.add_router("/urban/construction", construction_router)
    api.add_router("/urban/clearance", clearance_router)
    api.add_router("/urban/reports", reports_router)
    from congso.urban.overview_api import router as urban_overview_router

    api.add_router("/urban", urban_overview_router)  # the map layers, the dashboard figures


_register_routers()
