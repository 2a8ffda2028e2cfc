"""/do-thi/cong-trinh/ (namespace ``urban_construction``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from congso.urban.construction import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.work_list, name="work_list"),
    path("dang-ky/", views.work_create, name="work_create"),
    path("<int:pk>/", views.work_detail, name="work_detail"),
    path("<int:pk>/sua/", views.work_edit, name="work_edit"),
    path("<int:pk>/kiem-tra/", views.inspection_create, name="inspection_create"),
    path("<int:pk>/vi-pham/", views.violation_create, name="violation_create"),
    path("vi-pham/", views.violation_list, name="violation_list"),
    path("vi-pham/<int:pk>/", views.violation_detail, name="violation_detail"),
    path("vi-pham/<int:pk>/bien-ban.pdf", views.violation_record_pdf, name="violation_record_pdf"),
    path("vi-pham/<int:pk>/dinh-chi.pdf", views.violation_stop_pdf, name="violation_stop_pdf"),
    path("vi-pham/<int:pk>/<slug:step>/", views.violation_step, name="violation_step"),
    path("kiem-soat/", views.control, name="control"),
    path("bao-cao.xlsx", views.report_xlsx, name="report_xlsx"),
]
