from __future__ import annotations

from django.urls import path

from congso.procedures.stats import views

app_name = "procedures_stats"
urlpatterns = [
    path("", views.statistics_page, name="index"),
    path("so-theo-doi/", views.register_page, name="register"),
]
