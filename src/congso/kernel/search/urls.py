from django.urls import path

from congso.kernel.search import views

app_name = "search"
urlpatterns = [
    path("", views.results, name="results"),
    path("goi-y/", views.suggest, name="suggest"),
]
