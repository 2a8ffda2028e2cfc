"""/van-ban/di/: outgoing documents (namespace ``documents``, names ``outgoing_*``)."""

from django.urls import URLPattern, URLResolver, path

from congso.documents.views import credentials
from congso.documents.views import outgoing as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.outgoing_list, name="outgoing_list"),
    path("xu-ly/", views.outgoing_work, name="outgoing_work"),
    path("soan-thao/", views.outgoing_create, name="outgoing_create"),
    path("<int:pk>/", views.outgoing_detail, name="outgoing_detail"),
    path("<int:pk>/phien-ban/", views.outgoing_version, name="outgoing_version"),
    path("<int:pk>/tai-lieu-kem-theo/", views.outgoing_attachment, name="outgoing_attachment"),
    path("<int:pk>/trinh/", views.outgoing_submit, name="outgoing_submit"),
    path("<int:pk>/y-kien/", views.outgoing_review, name="outgoing_review"),
    path("<int:pk>/ky-so/", views.outgoing_sign, name="outgoing_sign"),
    path("<int:pk>/ban-hanh/", views.outgoing_issue, name="outgoing_issue"),
    path("<int:pk>/gui/", views.outgoing_dispatch, name="outgoing_dispatch"),
    path("<int:pk>/thu-hoi/", views.outgoing_recall, name="outgoing_recall"),
    # The committee's signing credentials (its administrator).
    path("chung-thu-so/", credentials.credential_list, name="credential_list"),
    path(
        "chung-thu-so/<int:pk>/ngung-dung/",
        credentials.credential_deactivate_view,
        name="credential_deactivate",
    ),
    path(
        "chung-thu-so/<int:pk>/hinh-anh/",
        credentials.credential_image_view,
        name="credential_image",
    ),
]
