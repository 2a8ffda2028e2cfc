"""Scopes: who sees which units, which roles a user holds, delegations, clearance."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from congso.kernel.errors import DomainError
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people import rules, selectors, services
from congso.kernel.people.models import Clearance, DelegationKind, Role

pytestmark = pytest.mark.django_db


def test_clerk_of_one_ward_does_not_see_the_other(make_user, ward_a, ward_b, hanoi):
    clerk = make_user(Role.CLERK, ward_a)
    assert selectors.visible_unit_ids(clerk) == {ward_a.pk}
    assert rules.can_see_unit(clerk, ward_a)
    assert not rules.can_see_unit(clerk, ward_b)
    assert not rules.can_see_unit(clerk, hanoi)
    assert not rules.can_see_unit(clerk, ward_b.pk)


def test_leader_of_parent_sees_descendants_at_every_depth(
    make_user, hanoi, ward_a, ward_b, district
):
    leader = make_user(Role.LEADER, hanoi)
    wards_of_district = set(district.children.values_list("pk", flat=True))
    assert len(wards_of_district) == 2
    assert selectors.visible_unit_ids(leader) == {
        hanoi.pk,
        ward_a.pk,
        ward_b.pk,
        district.pk,
        *wards_of_district,
    }
    assert rules.can_see_unit(leader, ward_a) and rules.can_see_unit(leader, ward_b)


def test_specialist_of_parent_does_not_see_descendants(make_user, hanoi, ward_a):
    specialist = make_user(Role.SPECIALIST, hanoi)
    assert selectors.visible_unit_ids(specialist) == {hanoi.pk}


def test_leader_of_a_ward_sees_only_that_ward(make_user, ward_a, ward_b):
    leader = make_user(Role.LEADER, ward_a)
    assert selectors.visible_unit_ids(leader) == {ward_a.pk}


def test_admin_of_a_district_sees_its_wards_not_the_siblings(make_user, district, ward_a):
    admin = make_user(Role.ADMIN, district)
    assert selectors.visible_unit_ids(admin) == {
        district.pk,
        *district.children.values_list("pk", flat=True),
    }
    assert not rules.can_see_unit(admin, ward_a)


def test_scope_costs_at_most_two_queries(
    make_user, hanoi, ward_a, district, django_assert_max_num_queries
):
    leader = make_user(Role.LEADER, hanoi)
    with django_assert_max_num_queries(2):
        units = selectors.visible_unit_ids(leader)
    assert len(units) == 5  # Hà Nội, Phường Tây Hồ, the district and its two wards


def test_expired_and_future_positions_do_not_count(make_user, ward_a, ward_b):
    user = make_user(Role.CLERK, ward_a)
    position = user.positions.get()
    today = timezone.localdate()
    position.valid_to = today - dt.timedelta(days=1)
    position.save()
    services.position_assign(
        user=user, unit=ward_b, role=Role.CLERK, valid_from=today + dt.timedelta(days=3)
    )
    assert selectors.visible_unit_ids(user) == set()
    assert selectors.visible_unit_ids(user, on=today + dt.timedelta(days=3)) == {ward_b.pk}
    assert selectors.visible_unit_ids(user, on=today - dt.timedelta(days=1)) == {ward_a.pk}


def test_anonymous_and_inactive_users_see_nothing(make_user, ward_a):
    from django.contrib.auth.models import AnonymousUser

    assert selectors.visible_unit_ids(AnonymousUser()) == set()
    assert not rules.has_role(AnonymousUser(), Role.CLERK)
    user = make_user(Role.CLERK, ward_a)
    user.is_active = False
    user.save()
    assert selectors.visible_unit_ids(user) == set()


def test_superuser_sees_every_unit_and_is_admin(make_user, hanoi, ward_a, ward_b):
    root = make_user(is_superuser=True)
    assert selectors.visible_unit_ids(root) == set(AdminUnit.objects.values_list("pk", flat=True))
    assert rules.is_admin(root)
    assert rules.has_role(root, Role.ADMIN, unit=ward_b)
    assert not rules.has_role(root, Role.CLERK)


def test_roles_per_unit(make_user, ward_a, ward_b):
    user = make_user(Role.CLERK, ward_a)
    services.position_assign(user=user, unit=ward_b, role=Role.SPECIALIST)
    assert selectors.user_roles(user) == {Role.CLERK, Role.SPECIALIST}
    assert selectors.user_roles(user, ward_a) == {Role.CLERK}
    assert selectors.user_roles(user, ward_b.pk) == {Role.SPECIALIST}
    assert rules.has_role(user, Role.CLERK, Role.LEADER)
    assert rules.has_role(user, Role.CLERK, unit=ward_a)
    assert not rules.has_role(user, Role.CLERK, unit=ward_b)
    assert not rules.is_admin(user)


def test_delegation_adds_the_principals_units_and_role_then_expires(make_user, ward_a, ward_b):
    chair = make_user(Role.LEADER, ward_b, full_name="Trần Văn Chủ Tịch")
    deputy = make_user(Role.SPECIALIST, ward_a, full_name="Lê Thị Phó")
    today = timezone.localdate()
    assert not rules.can_see_unit(deputy, ward_b)

    services.delegation_grant(
        principal=chair,
        delegate=deputy,
        unit=ward_b,
        kind=DelegationKind.ACTING,
        start=today,
        end=today + dt.timedelta(days=6),
        note="Chủ tịch đi công tác",
    )
    assert selectors.visible_unit_ids(deputy) == {ward_a.pk, ward_b.pk}
    assert selectors.user_roles(deputy, ward_b) == {Role.LEADER}
    assert rules.has_role(deputy, Role.LEADER, unit=ward_b)
    assert not rules.has_role(deputy, Role.LEADER, unit=ward_a)
    # The principal keeps their own scope; the delegation is one way.
    assert selectors.visible_unit_ids(chair) == {ward_b.pk}
    # After the last day it no longer counts.
    assert selectors.visible_unit_ids(deputy, on=today + dt.timedelta(days=7)) == {ward_a.pk}
    assert selectors.user_roles(deputy, on=today + dt.timedelta(days=7)) == {Role.SPECIALIST}


def test_delegation_revoked_stops_at_once(make_user, ward_a, ward_b):
    chair = make_user(Role.LEADER, ward_b)
    deputy = make_user(Role.SPECIALIST, ward_a)
    today = timezone.localdate()
    delegation = services.delegation_grant(
        principal=chair,
        delegate=deputy,
        unit=ward_b,
        kind=DelegationKind.AUTHORISED,
        start=today - dt.timedelta(days=1),
        end=today + dt.timedelta(days=1),
    )
    assert rules.can_see_unit(deputy, ward_b)
    services.delegation_revoke(delegation=delegation)
    assert not rules.can_see_unit(deputy, ward_b)
    with pytest.raises(DomainError) as exc:
        services.delegation_revoke(delegation=delegation)
    assert exc.value.code == "already_revoked"


def test_delegated_leader_role_scopes_down(make_user, hanoi, ward_a, ward_b):
    chair = make_user(Role.LEADER, hanoi)
    deputy = make_user(Role.SPECIALIST, ward_a)
    today = timezone.localdate()
    services.delegation_grant(
        principal=chair,
        delegate=deputy,
        unit=hanoi,
        kind=DelegationKind.ACTING,
        start=today,
        end=today,
    )
    assert selectors.visible_unit_ids(deputy) == {hanoi.pk, ward_a.pk, ward_b.pk}


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("end", -1, "invalid_period"),
        ("delegate", "self", "delegation_self"),
        ("unit", "ward_a", "principal_not_in_unit"),
    ],
)
def test_delegation_rules(make_user, ward_a, ward_b, field, value, code):
    chair = make_user(Role.LEADER, ward_b)
    deputy = make_user(Role.SPECIALIST, ward_a)
    today = timezone.localdate()
    kwargs = {
        "principal": chair,
        "delegate": deputy,
        "unit": ward_b,
        "kind": DelegationKind.ACTING,
        "start": today,
        "end": today + dt.timedelta(days=2),
    }
    if field == "end":
        kwargs["end"] = today + dt.timedelta(days=value)
    elif field == "delegate":
        kwargs["delegate"] = chair
    else:
        kwargs["unit"] = ward_a
    with pytest.raises(DomainError) as exc:
        services.delegation_grant(**kwargs)
    assert exc.value.code == code


def test_secret_clearance(make_user, ward_a):
    ordinary = make_user(Role.CLERK, ward_a)
    cleared = make_user(Role.CLERK, ward_a, clearance=Clearance.TOP_SECRET)
    assert rules.can_read_secret(ordinary, Clearance.NONE)
    assert not rules.can_read_secret(ordinary, Clearance.SECRET)
    assert rules.can_read_secret(cleared, Clearance.SECRET)
    assert rules.can_read_secret(cleared, Clearance.TOP_SECRET)
    assert not rules.can_read_secret(cleared, Clearance.ABSOLUTE_SECRET)
