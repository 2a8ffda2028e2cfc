"""The public portal: what anyone can see without an account."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from congso.kernel.core.navigation import PUBLIC_MENU, nav_links
from congso.kernel.core.selectors import served_units


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {"units": served_units(), "services": nav_links(request, PUBLIC_MENU)},
    )


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/about.html", {"units": served_units()})
