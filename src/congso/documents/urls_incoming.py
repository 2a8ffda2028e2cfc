"""/van-ban/den/: incoming documents (namespace ``documents``, names ``incoming_*``)."""

from django.urls import URLPattern, URLResolver, path

from congso.documents.views import incoming as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.incoming_list, name="incoming_list"),
    path("vao-so/", views.incoming_register, name="incoming_register"),
    path("viec-cua-toi/", views.incoming_mine, name="incoming_mine"),
    path("<int:pk>/", views.incoming_detail, name="incoming_detail"),
    path("<int:pk>/so-hoa/", views.incoming_digitization, name="incoming_digitization"),
    path("<int:pk>/trinh/", views.incoming_present, name="incoming_present"),
    path("<int:pk>/phan-cong/", views.incoming_assign, name="incoming_assign"),
    path("<int:pk>/dau-den/", views.incoming_stamp, name="incoming_stamp"),
    path("<int:pk>/phieu-giai-quyet/", views.incoming_slip, name="incoming_slip"),
    path("giao-viec/<int:pk>/tien-do/", views.incoming_progress, name="incoming_progress"),
    path("giao-viec/<int:pk>/hoan-thanh/", views.incoming_complete, name="incoming_complete"),
]
