"""The per-process scope cache never outlives a change of the user's positions or clearance."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congso.kernel.people.models import Position, Role
from congso.kernel.search.registry import Grant
from congso.kernel.search.selectors import search_scope
from congso.kernel.search.tests.fixtures import search_index  # noqa: F401

pytestmark = [pytest.mark.usefixtures("search_index"), pytest.mark.django_db]


def _units(scope: Any) -> set[int]:
    out: set[int] = set()
    for grant in scope.default:
        assert isinstance(grant, Grant)
        out |= set(grant.units or ()) | set(grant.subtrees)
    return out


def test_reused_while_unchanged_recomputed_after_a_change(
    ward_a: Any, ward_b: Any, make_user: Any, settings: Any
) -> None:
    user = make_user(Role.CLERK, ward_a)
    first = search_scope(user)
    assert _units(first) == {ward_a.pk}
    with CaptureQueriesContext(connection) as ctx:
        assert search_scope(user) is first
    assert len(ctx.captured_queries) == 1  # the positions' fingerprint only

    moved = Position.objects.get(user=user)
    moved.unit = ward_b
    moved.save()
    assert _units(search_scope(user)) == {ward_b.pk}

    Position.objects.filter(user=user).delete()
    assert _units(search_scope(user)) == set()

    user.clearance = 1
    Position.objects.create(user=user, unit=ward_a, role=Role.CLERK)
    assert search_scope(user).clearance == 1

    settings.SEARCH_SCOPE_CACHE_SECONDS = 0
    assert search_scope(user) is not search_scope(user)
