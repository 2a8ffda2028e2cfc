"""Staff pages of field reports, under /do-thi/phan-anh/ (namespace ``urban_reports``)."""

from __future__ import annotations

from django.urls import path

from congso.urban.reports import views

urlpatterns = [
    path("", views.report_list, name="list"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.report_action, name="action"),
]
