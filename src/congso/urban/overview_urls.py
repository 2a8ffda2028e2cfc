"""The map and the dashboard of urban management, under /do-thi/ (namespace ``urban``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from congso.urban import overview_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", overview_views.dashboard_page, name="dashboard"),
    path("ban-do/", overview_views.map_page, name="map"),
]
