"""The public page /lich/ and the administrator's screens."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from congso.kernel.audit.models import AuditEvent
from congso.kernel.calendar.models import OfficialDay, WorkingHours
from congso.kernel.calendar.services import add_working_days, is_working_day
from congso.kernel.people.models import User

pytestmark = pytest.mark.django_db


def page(client: Client, **params: str) -> tuple[int, str]:
    response = client.get(reverse("calendar:index"), params)
    return response.status_code, response.content.decode()


def test_year_page_in_vietnamese(client: Client) -> None:
    status, html = page(client, nam="2026")
    assert status == 200
    assert html == unicodedata.normalize("NFC", html)
    assert "Lịch làm việc năm 2026" in html
    assert "17/02/2026" in html and "Tết Nguyên Đán" in html
    assert "Thứ Ba" in html  # 17/02/2026 and 24/11/2026 are Tuesdays
    assert "24/11/2026" in html and "Ngày Văn hóa Việt Nam" in html
    assert "22/08/2026" in html and "Ngày làm việc bù" in html
    # The Tết break as one span, weekends included.
    assert "Thứ Bảy, 14/02/2026 – chủ nhật, 22/02/2026" in html
    assert "(9 ngày)" in html
    assert "chưa xác minh" in html  # unverified official rows are flagged
    assert "08:00–12:00, 13:00–17:00" in html
    assert "2026-02-17" not in html  # dates are shown dd/mm/yyyy


def test_year_picker_and_default_year(client: Client) -> None:
    status, html = page(client)
    assert status == 200
    assert f"Lịch làm việc năm {timezone.localdate().year}</h1>" in html
    status, html = page(client, nam="2027")
    assert status == 200 and "?nam=2026" in html and "?nam=2028" in html
    assert "chưa có thông báo chính thức" in html  # 2027 is the library's prediction


@pytest.mark.parametrize("year", ["abc", "1989", "2101", "-5", "2026.5"])
def test_bad_year_gets_a_vietnamese_message(client: Client, year: str) -> None:
    status, html = page(client, nam=year)
    assert status == 400
    assert "không hợp lệ" in html and "1990" in html


def test_calculator(client: Client) -> None:
    status, html = page(client, nam="2026", tu_ngay="2026-02-13", so_ngay="1")
    assert status == 200
    assert "thứ hai, 23/02/2026" in html
    status, html = page(client, tu_ngay="2026-02-14", so_ngay="0")
    assert status == 200 and "Ngày làm việc gần nhất" in html and "23/02/2026" in html
    for bad in (
        {"tu_ngay": "13/02/2026", "so_ngay": "1"},
        {"tu_ngay": "2026-02-13", "so_ngay": "-1"},
        {"tu_ngay": "2026-02-13", "so_ngay": "x"},
    ):
        status, html = page(client, **bad)
        assert status == 400
        assert "không hợp lệ" in html or "từ 0 đến" in html


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(year=st.text(max_size=10), start=st.text(max_size=20), days=st.text(max_size=8))
def test_no_query_string_makes_a_500(client: Client, year: str, start: str, days: str) -> None:
    response = client.get(
        reverse("calendar:index"), {"nam": year, "tu_ngay": start, "so_ngay": days}
    )
    assert response.status_code in (200, 400)


def test_public_menu_links_the_calendar(client: Client) -> None:
    html = client.get("/").content.decode()
    assert 'href="/lich/"' in html


# --- admin ----------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client: Client, login: Callable[[Client, User], Client], settings: Any) -> Client:
    settings.TOTP_REQUIRED_ROLES = []  # this test is about the admin, not the second factor
    user = User.objects.create_superuser("quantri", "qt@example.vn", "mat-khau-quan-tri-123")
    return login(client, user)


def test_admin_add_change_delete_takes_effect_at_once(admin_client: Client) -> None:
    listing = admin_client.get(reverse("admin:calendar_officialday_changelist"), {"year": "2026"})
    assert listing.status_code == 200
    assert "24/11/2026" in listing.content.decode()

    assert add_working_days(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 23)
    response = admin_client.post(
        reverse("admin:calendar_officialday_add"),
        {"date": "23/02/2026", "kind": "day_off", "name": "Nghỉ thêm", "legal_basis": "Thử"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = OfficialDay.objects.get(date=dt.date(2026, 2, 23))
    assert row.year == 2026
    assert add_working_days(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 24)

    response = admin_client.post(
        reverse("admin:calendar_officialday_change", args=[row.pk]),
        {"date": "23/02/2026", "kind": "working_day", "name": "Đi làm", "legal_basis": "Thử"},
    )
    assert response.status_code == 302
    assert is_working_day(dt.date(2026, 2, 23))

    response = admin_client.post(
        reverse("admin:calendar_officialday_delete", args=[row.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not OfficialDay.objects.filter(pk=row.pk).exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="calendar.").values_list("action", flat=True)
    )
    assert sorted(actions) == [
        "calendar.official_day.create",
        "calendar.official_day.delete",
        "calendar.official_day.update",
    ]


def test_admin_refuses_a_duplicate_date_and_bad_hours(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("admin:calendar_officialday_add"),
        {"date": "24/11/2026", "kind": "day_off", "name": "Trùng"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert OfficialDay.objects.filter(date=dt.date(2026, 11, 24)).count() == 1

    response = admin_client.post(
        reverse("admin:calendar_workinghours_add"), {"periods": "08:00-07:00"}
    )
    assert response.status_code == 200
    assert "Giờ làm việc không hợp lệ" in response.content.decode()
    assert not WorkingHours.objects.exists()
    response = admin_client.post(
        reverse("admin:calendar_workinghours_add"), {"periods": "07:30-11:30,13:30-17:00"}
    )
    assert response.status_code == 302
    assert WorkingHours.objects.get().periods == "07:30-11:30,13:30-17:00"
    assert admin_client.get(reverse("admin:calendar_workinghours_add")).status_code == 403


def test_admin_needs_a_staff_user(client: Client, make_user: Callable[..., User]) -> None:
    response = client.get(reverse("admin:calendar_officialday_changelist"))
    assert response.status_code == 302 and "/login" in response["Location"]
