"""Staff pages of urban management, under /do-thi/."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("cong-trinh/", include(("congso.urban.construction.urls", "urban_construction"))),
    path("gpmb/", include(("congso.urban.clearance.urls", "urban_clearance"))),
    path("phan-anh/", include(("congso.urban.reports.urls", "urban_reports"))),
    # The map of reports, works and projects, and the per-ward dashboard.
    path("", include(("congso.urban.overview_urls", "urban"))),
]
