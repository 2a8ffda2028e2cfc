from django.urls import path

from congso.kernel.files import views

app_name = "files"
urlpatterns = [
    path("<uuid:public_id>/", views.download, name="download"),
    path("<uuid:public_id>/xem/", views.view_inline, name="view"),
]
