from django.urls import path

from congso.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("gioi-thieu/", views.about, name="about"),
]
