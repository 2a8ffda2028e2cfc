"""Account pages under /tai-khoan/."""

from django.urls import path

from congso.kernel.people import views

app_name = "people"
urlpatterns = [
    path("", views.account, name="account"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("xac-thuc-hai-lop/cai-dat/", views.totp_setup, name="totp_setup"),
    path("xac-thuc-hai-lop/", views.totp_verify, name="totp_verify"),
    path("doi-vi-tri/", views.switch_position, name="switch_position"),
    path("khoa-api/tao/", views.token_create, name="token_create"),
    path("khoa-api/<int:pk>/thu-hoi/", views.token_revoke, name="token_revoke"),
]
