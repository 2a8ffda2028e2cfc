"""/van-ban/so/: registers, status reports, legacy register import, files (hồ sơ)."""

from django.urls import URLPattern, URLResolver, path

from congso.documents.views import filing, registers

urlpatterns: list[URLPattern | URLResolver] = [
    path("", registers.index, name="registers_index"),
    path("den/", registers.register, {"kind": "incoming"}, name="register_incoming"),
    path("di/", registers.register, {"kind": "outgoing"}, name="register_outgoing"),
    path("theo-doi/", registers.register, {"kind": "followup"}, name="register_followup"),
    path("bao-cao/", registers.report, name="report_status"),
    path("nhap-so-cu/", registers.legacy_upload, name="legacy_import"),
    path("nhap-so-cu/<uuid:public_id>/", registers.legacy_map, name="legacy_import_map"),
    # Files (hồ sơ) and the yearly file list (danh mục hồ sơ).
    path("ho-so/", filing.index, name="filing_index"),
    path("ho-so/danh-muc/tao/", filing.list_create, name="filing_list_create"),
    path("ho-so/danh-muc/<int:pk>/", filing.list_detail, name="filing_list"),
    path("ho-so/danh-muc/<int:pk>/<slug:action>/", filing.list_action, name="filing_list_action"),
    path("ho-so/dua-vao-ho-so/", filing.add_document, name="filing_add"),
    path("ho-so/<int:pk>/", filing.file_detail, name="filing_file"),
    path("ho-so/<int:pk>/xuat-nop-luu/", filing.file_export, name="filing_export"),
    path("ho-so/<int:pk>/<slug:action>/", filing.file_action, name="filing_file_action"),
]
