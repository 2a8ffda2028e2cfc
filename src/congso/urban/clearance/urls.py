"""Staff pages of site clearance, under /do-thi/gpmb/ (namespace ``urban_clearance``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from congso.urban.clearance import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.project_list, name="project_list"),
    path("tong-hop/", views.portfolio, name="portfolio"),
    path("mau-danh-sach-ho.xlsx", views.import_template, name="import_template"),
    path("them/", views.project_create, name="project_create"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/sua/", views.project_edit, name="project_edit"),
    path("<int:pk>/trang-thai/", views.project_status, name="project_status"),
    path("<int:pk>/them-ho/", views.party_add, name="party_add"),
    path("<int:pk>/nhap-ho/", views.parties_import, name="parties_import"),
    path("<int:project_pk>/ho/<int:pk>/", views.party_detail, name="party_detail"),
    path("<int:project_pk>/ho/<int:pk>/buoc/", views.party_step, name="party_step"),
    path(
        "<int:project_pk>/ho/<int:pk>/bat-buoc/<slug:what>/",
        views.party_force,
        name="party_force",
    ),
    path("<int:project_pk>/ho/<int:pk>/vuong-mac/", views.obstacle_open, name="obstacle_open"),
    path(
        "<int:project_pk>/ho/<int:pk>/vuong-mac/<int:obstacle_pk>/giai-quyet/",
        views.obstacle_resolve,
        name="obstacle_resolve",
    ),
]
