"""/van-ban/so-hoa/: digitisation of documents (namespace ``documents``, names
``digitization_*``); ``<kind>`` is ``den`` (incoming) or ``di`` (outgoing)."""

from django.urls import URLPattern, URLResolver, path

from congso.documents.views import digitization as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<str:kind>/<int:pk>/", views.digitization_status, name="digitization_status"),
    path("<str:kind>/<int:pk>/chay-lai/", views.digitization_retry, name="digitization_retry"),
]
