"""request.position / request.positions and switching between positions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from congso.kernel.orgunits.models import Department, DepartmentKind
from congso.kernel.people import services
from congso.kernel.people.middleware import SESSION_POSITION_KEY, StaffContextMiddleware
from congso.kernel.people.models import Role

pytestmark = pytest.mark.django_db


def _run_middleware(user, session=None):
    request = RequestFactory().get("/")
    request.user = user
    request.session = session if session is not None else {}
    seen = {}

    def view(req):
        seen["request"] = req
        from django.http import HttpResponse

        return HttpResponse("ok")

    StaffContextMiddleware(view)(request)
    return seen["request"]


def test_position_is_lazy_and_costs_one_query(make_user, ward_a, ward_b):
    user = make_user(Role.CLERK, ward_a)
    services.position_assign(user=user, unit=ward_b, role=Role.SPECIALIST, is_primary=False)
    with CaptureQueriesContext(connection) as ctx:
        request = _run_middleware(user)
        assert len(ctx.captured_queries) == 0  # nothing until used
        position = request.position
        positions = request.positions
        _ = position.unit.name, position.department, [p.unit.name for p in positions]
    assert len(ctx.captured_queries) == 1
    assert position.unit == ward_a and position.role == Role.CLERK
    assert [p.unit for p in positions] == [ward_a, ward_b]


def test_department_is_loaded_with_the_position(make_user, ward_a, django_assert_num_queries):
    office = Department.objects.get(unit=ward_a, kind=DepartmentKind.OFFICE)
    user = make_user()
    services.position_assign(user=user, unit=ward_a, role=Role.CLERK, department=office)
    request = _run_middleware(user)
    with django_assert_num_queries(1):
        assert request.position.department.name == "Văn phòng HĐND-UBND"


def test_chosen_position_from_session_wins(make_user, ward_a, ward_b):
    user = make_user(Role.CLERK, ward_a)
    second = services.position_assign(user=user, unit=ward_b, role=Role.LEADER, is_primary=False)
    request = _run_middleware(user, {SESSION_POSITION_KEY: second.pk})
    assert request.position == second


def test_chosen_position_that_ended_falls_back_to_primary(make_user, ward_a, ward_b):
    user = make_user(Role.CLERK, ward_a)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    ended = services.position_assign(
        user=user,
        unit=ward_b,
        role=Role.LEADER,
        is_primary=False,
        valid_from=yesterday - dt.timedelta(days=10),
        valid_to=yesterday,
    )
    request = _run_middleware(user, {SESSION_POSITION_KEY: ended.pk})
    assert request.position.unit == ward_a
    assert len(request.positions) == 1


def test_anonymous_has_no_position(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        request = _run_middleware(AnonymousUser())
        assert request.position is None
        assert request.positions == []


def test_user_without_position_has_none(make_user):
    request = _run_middleware(make_user())
    assert request.position is None


def test_switch_position_view(client, make_user, ward_a, ward_b, login):
    user = make_user(Role.CLERK, ward_a)
    second = services.position_assign(user=user, unit=ward_b, role=Role.SPECIALIST)
    login(client, user)
    response = client.post(
        reverse("people:switch_position"), {"position": second.pk, "next": "/tai-khoan/"}
    )
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/"
    assert client.session[SESSION_POSITION_KEY] == second.pk
    page = client.get("/tai-khoan/")
    assert page.wsgi_request.position == second
    assert "Đang làm việc với vị trí" in page.content.decode()


def test_cannot_switch_to_someone_elses_position(client, make_user, ward_a, ward_b, login):
    user = make_user(Role.CLERK, ward_a)
    other = make_user(Role.LEADER, ward_b)
    login(client, user)
    response = client.post(
        reverse("people:switch_position"), {"position": other.positions.get().pk}
    )
    assert response.status_code == 302
    assert SESSION_POSITION_KEY not in client.session


def test_switch_position_is_post_only(client, make_user, ward_a, login):
    login(client, make_user(Role.CLERK, ward_a))
    assert client.get(reverse("people:switch_position")).status_code == 405


def test_primary_flag_moves_when_a_new_primary_is_assigned(make_user, ward_a, ward_b):
    user = make_user(Role.CLERK, ward_a)
    assert user.positions.get().is_primary
    second = services.position_assign(user=user, unit=ward_b, role=Role.SPECIALIST)
    assert not second.is_primary  # the user already had a primary position
    third = services.position_assign(user=user, unit=ward_b, role=Role.LEADER, is_primary=True)
    assert list(user.positions.filter(is_primary=True)) == [third]
