"""/mot-cua/: the one-stop shop's officers' screens (namespace ``procedures``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from congso.procedures import views

app_name = "procedures"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dossier_list, name="dossier_list"),
    path("sap-tre-han/", views.late_list, name="late_list"),
    path("tiep-nhan/", views.intake, name="intake"),
    path("tiep-nhan/giay-to/", views.intake_papers, name="intake_papers"),
    path("tiep-nhan/thu-tuc/", views.intake_procedures, name="intake_procedures"),
    path("ho-so/<str:code>/", views.dossier_detail, name="dossier_detail"),
    path("ho-so/<str:code>/thao-tac/<slug:action>/", views.dossier_action, name="dossier_action"),
    path("ho-so/<str:code>/in/<slug:form>/", views.dossier_form_pdf, name="dossier_form_pdf"),
]
