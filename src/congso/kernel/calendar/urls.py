from django.urls import path

from congso.kernel.calendar import views

app_name = "calendar"
urlpatterns = [
    path("", views.index, name="index"),
]
