"""The administrators' viewer: permissions, filters, keyset pages, constant query count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from congso.kernel.audit.models import AuditEvent
from congso.kernel.audit.services import audit_record
from congso.kernel.orgunits.models import AdminUnit, Department

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client, make_user: Any, login: Any, ward_a: AdminUnit) -> Client:
    return login(client, make_user("admin", ward_a, username="quantri"))


def _seqs(response: Any) -> list[int]:
    return [e.seq for e in response.context["page"].events]


def test_anonymous_redirected_and_non_admins_forbidden(
    client: Client, make_user: Any, login: Any, ward_a: AdminUnit
) -> None:
    event = audit_record(action="test.a")
    response = client.get(reverse("audit:list"))
    assert response.status_code == 302
    for role in ("leader", "clerk", "specialist"):
        login(client, make_user(role, ward_a))
        assert client.get(reverse("audit:list")).status_code == 403
        assert client.get(reverse("audit:detail", args=[event.seq])).status_code == 403


def test_list_and_detail_for_admin(admin_client: Client, ward_a: AdminUnit) -> None:
    dept = Department.objects.get(unit=ward_a)
    event = audit_record(
        action="orgunits.department_rename",
        obj=dept,
        changes={"name": ["Văn phòng", "Văn phòng HĐND-UBND"]},
        summary="Đổi tên phòng",
    )
    response = admin_client.get(reverse("audit:list"))
    assert response.status_code == 200
    assert "Nhật ký hệ thống" in response.content.decode()
    assert event.seq in _seqs(response)
    detail = admin_client.get(reverse("audit:detail", args=[event.seq]))
    body = detail.content.decode()
    assert detail.status_code == 200
    assert "Văn phòng HĐND-UBND" in body and event.hash in body
    assert admin_client.get(reverse("audit:detail", args=[99999])).status_code == 404


def test_filters(
    admin_client: Client, make_user: Any, ward_a: AdminUnit, ward_b: AdminUnit
) -> None:
    clerk = make_user("clerk", ward_a, full_name="Lê Văn Cường")
    dept = Department.objects.get(unit=ward_a)
    a = audit_record(action="documents.register", actor=clerk, unit=ward_a, summary="a")
    b = audit_record(action="documents.assign", unit=ward_b, obj=dept, summary="b")
    c = audit_record(action="people.position_assign", actor=clerk, summary="c")
    url = reverse("audit:list")
    assert _seqs(admin_client.get(url, {"actor": "Cường"})) == [c.seq, a.seq]
    assert _seqs(admin_client.get(url, {"actor": clerk.username})) == [c.seq, a.seq]
    assert _seqs(admin_client.get(url, {"action": "documents."})) == [b.seq, a.seq]
    assert _seqs(admin_client.get(url, {"action": "people.position_assign"})) == [c.seq]
    assert _seqs(admin_client.get(url, {"unit": ward_b.pk})) == [b.seq]
    ct = b.content_type
    assert ct is not None
    assert _seqs(admin_client.get(url, {"content_type": ct.pk})) == [b.seq]
    assert _seqs(admin_client.get(url, {"content_type": ct.pk, "object_id": "0"})) == []
    today = timezone.localdate().strftime("%d/%m/%Y")
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    assert len(_seqs(admin_client.get(url, {"date_from": today, "date_to": today}))) >= 3
    assert _seqs(admin_client.get(url, {"date_from": tomorrow})) == []
    # A bad date is explained in Vietnamese and ignored, never a 500.
    response = admin_client.get(
        url, {"date_from": "31/02/2026", "action": "people.position_assign"}
    )
    assert response.status_code == 200
    assert "dd/mm/yyyy" in response.content.decode()
    assert _seqs(response) == [c.seq]
    response = admin_client.get(url, {"date_from": tomorrow, "date_to": today})
    assert "phải sau hoặc bằng" in response.content.decode()
    assert admin_client.get(url, {"before": "x", "unit": "abc"}).status_code == 200


def test_keyset_pages(admin_client: Client, monkeypatch: Any) -> None:
    from congso.kernel.audit import views

    monkeypatch.setattr(views, "PAGE_SIZE", 10)
    seqs = [audit_record(action="test.page", summary=str(i)).seq for i in range(25)][::-1]
    url = reverse("audit:list")
    first = admin_client.get(url, {"action": "test.page"})
    assert _seqs(first) == seqs[:10]
    page = first.context["page"]
    assert page.newer_cursor is None and page.older_cursor == seqs[9]
    assert f"before={seqs[9]}" in first.content.decode()
    second = admin_client.get(url, {"action": "test.page", "before": seqs[9]})
    assert _seqs(second) == seqs[10:20]
    assert second.context["page"].newer_cursor == seqs[10]
    third = admin_client.get(url, {"action": "test.page", "before": seqs[19]})
    assert _seqs(third) == seqs[20:]
    assert third.context["page"].older_cursor is None
    back = admin_client.get(url, {"action": "test.page", "after": seqs[10]})
    assert _seqs(back) == seqs[:10]
    assert back.context["page"].newer_cursor is None
    middle = admin_client.get(url, {"action": "test.page", "after": seqs[20]})
    assert _seqs(middle) == seqs[10:20]
    assert middle.context["page"].newer_cursor == seqs[10]


def test_list_query_count_is_constant(admin_client: Client, ward_a: AdminUnit) -> None:
    dept = Department.objects.get(unit=ward_a)
    url = reverse("audit:list")

    def count() -> int:
        admin_client.get(url)  # warm the content type cache and the session
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(url).status_code == 200
        return len(ctx)

    for _ in range(2):
        audit_record(action="test.q", obj=dept, unit=ward_a)
    few = count()
    for _ in range(30):
        audit_record(action="test.q", obj=dept, unit=ward_a)
    assert count() == few


def test_admin_is_read_only(client: Client, make_user: Any, login: Any, ward_a: AdminUnit) -> None:
    superuser = make_user("admin", ward_a, is_staff=True, is_superuser=True)
    login(client, superuser)
    event = audit_record(action="test.admin", summary="gốc")
    changelist = client.get(reverse("admin:audit_auditevent_changelist"))
    assert changelist.status_code == 200
    assert "test.admin" in changelist.content.decode()
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    change_url = reverse("admin:audit_auditevent_change", args=[event.pk])
    assert client.get(change_url).status_code == 200  # view only
    client.post(change_url, {"summary": "sửa"})
    delete_url = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).summary == "gốc"
