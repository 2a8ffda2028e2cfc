"""/dich-vu-cong/: the procedure catalogue and online filing (public)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from congso.procedures import public_views

app_name = "procedures_public"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", public_views.catalogue, name="catalogue"),
    path("thu-tuc/<str:code>/", public_views.procedure_detail, name="procedure"),
    path("thu-tuc/<str:code>/nop-truc-tuyen/", public_views.file_online, name="file"),
    path("da-nop/", public_views.filed, name="filed"),
    path("mau-don/<int:paper_id>/", public_views.blank_form, name="blank_form"),
]
