"""The project's URLs plus views that fail on purpose, to exercise the error handlers."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from congso.urls import handler400, handler403, handler404, handler500
from congso.urls import urlpatterns as base


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def _bad(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("bad input")


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [
    path("__test__/forbidden/", _forbidden),
    path("__test__/bad/", _bad),
    path("__test__/boom/", _boom),
    *base,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
