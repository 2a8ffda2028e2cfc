"""/tra-cuu/: the public dossier lookup (the receipt's QR lands here) and the rating."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from congso.procedures import public_views

app_name = "procedures_lookup"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", public_views.lookup, name="lookup"),
    path("danh-gia/", public_views.rate, name="rate"),
]
