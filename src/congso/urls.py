from django.conf.urls.i18n import i18n_patterns  # noqa: F401  (language switch uses set_language)
from django.contrib import admin
from django.urls import include, path

from congso.api import api

admin.site.site_header = "Công sở số — Quản trị"
admin.site.site_title = "Công sở số"
admin.site.index_title = "Cấu hình hệ thống"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tai-khoan/", include("congso.kernel.people.urls")),
    path("tep/", include("congso.kernel.files.urls")),
    path("nhat-ky/", include("congso.kernel.audit.urls")),
    path("thong-bao/", include("congso.kernel.notifications.urls")),
    path("lich/", include("congso.kernel.calendar.urls")),
    path("tim-kiem/", include("congso.kernel.search.urls")),
    path("van-ban/", include("congso.documents.urls")),
    # One-stop shop: the officers' desk, the public catalogue/online filing, the public lookup.
    path("mot-cua/thong-ke/", include("congso.procedures.stats.urls")),
    path("mot-cua/", include("congso.procedures.urls")),
    path("dich-vu-cong/", include("congso.procedures.public_urls")),
    path("tra-cuu/", include("congso.procedures.lookup_urls")),
    # Urban management (staff), citizens' field reports (public) and Open311 GeoReport v2.
    path("do-thi/", include("congso.urban.urls")),
    path("phan-anh/", include("congso.urban.reports.public_urls")),
    path("open311/v2/", include("congso.urban.reports.open311_urls")),
    path("", include("congso.kernel.core.urls")),
    path("", include("congso.portal.urls")),
]

handler400 = "congso.kernel.core.views.error_400"
handler403 = "congso.kernel.core.views.error_403"
handler404 = "congso.kernel.core.views.error_404"
handler500 = "congso.kernel.core.views.error_500"
