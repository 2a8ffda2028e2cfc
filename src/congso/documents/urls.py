"""URLs of the documents domain (namespace ``documents``), one module per area."""

from django.urls import include, path

app_name = "documents"
urlpatterns = [
    path("den/", include("congso.documents.urls_incoming")),
    path("di/", include("congso.documents.urls_outgoing")),
    path("so/", include("congso.documents.urls_registers")),
    path("edxml/", include("congso.documents.urls_edxml")),
    path("so-hoa/", include("congso.documents.urls_digitization")),
]
