"""Public pages of field reports, mounted at /phan-anh/."""

from __future__ import annotations

from django.urls import path

from congso.urban.reports import public_views as views

app_name = "urban_reports_public"

urlpatterns = [
    path("", views.report_new, name="new"),
    path("tra-cuu/", views.report_lookup, name="lookup"),
    path("theo-doi/<str:code>/", views.report_track, name="track"),
    path("theo-doi/<str:code>/danh-gia/", views.report_rate, name="rate"),
    path("theo-doi/<str:code>/anh/<uuid:public_id>/", views.report_photo, name="photo"),
]
