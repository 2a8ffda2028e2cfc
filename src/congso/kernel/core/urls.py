from django.urls import path

from congso.kernel.core import views

app_name = "core"
urlpatterns = [
    path("viec-cua-toi/", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("ma-nguon.tar.gz", views.source, name="source"),
]
