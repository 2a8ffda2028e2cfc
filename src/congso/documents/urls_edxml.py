"""edXML exchange pages under /van-ban/edxml/ (namespace ``documents``)."""

from django.urls import URLPattern, URLResolver, path

from congso.documents.views import edxml as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("nhap/", views.edxml_import, name="edxml_import"),
    path("xuat/<int:pk>/", views.edxml_export, name="edxml_export"),
    path("trang-thai/<int:pk>/", views.edxml_status, name="edxml_status"),
]
