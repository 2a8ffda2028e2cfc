"""Scoped reads about people: active positions, effective roles, the units a user may see.

Scope rules (one place, used by every module):

- A staff user sees the units of their own active positions.
- A position with the role ``leader`` or ``admin`` in a unit also sees every descendant unit
  (through ``AdminUnit.parent``, whatever the descendants' validity dates: records made under
  a former unit stay visible).
- An active, non-revoked delegation lends the delegate the principal's positions in the
  delegation's unit (their roles, and so their scope) for the delegation's dates.
- A superuser sees every unit.

A position or a delegation is active on a day when the day falls within its dates (inclusive).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import ApiToken, Delegation, Position, PositionQuerySet, Role

#: Roles whose holders also see the descendants of their unit.
SCOPE_DOWN_ROLES = frozenset({Role.LEADER.value, Role.ADMIN.value})


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def _is_staff_user(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def active_positions(user: Any, on: dt.date | None = None) -> PositionQuerySet:
    """The user's own positions active on ``on`` (default today), primary first, with unit and
    department loaded."""
    if not _is_staff_user(user):
        return Position.objects.none()
    return (
        Position.objects.active(_today(on))
        .filter(user_id=user.pk)
        .select_related("unit", "department")
        .order_by("-is_primary", "unit__name", "pk")
    )


def active_delegations(user: Any, on: dt.date | None = None) -> QuerySet[Delegation]:
    """Delegations received by ``user`` that are in force on ``on`` and not revoked."""
    day = _today(on)
    if not _is_staff_user(user):
        return Delegation.objects.none()
    return Delegation.objects.filter(
        delegate_id=user.pk, start__lte=day, end__gte=day, revoked_at__isnull=True
    ).select_related("principal", "unit")


def effective_positions(user: Any, on: dt.date | None = None) -> PositionQuerySet:
    """Own active positions plus the principals' positions lent by active delegations.

    One query. Each row carries ``is_delegated`` (True for a lent position).
    """
    if not _is_staff_user(user):
        return Position.objects.none()
    day = _today(on)
    lent = Delegation.objects.filter(
        delegate_id=user.pk,
        principal_id=OuterRef("user_id"),
        unit_id=OuterRef("unit_id"),
        start__lte=day,
        end__gte=day,
        revoked_at__isnull=True,
    )
    return (
        Position.objects.active(day)
        .filter(Q(user_id=user.pk) | Exists(lent))
        .select_related("unit", "department")
        .order_by("-is_primary", "unit__name", "pk")
    )


def unit_descendant_ids(unit_ids: Iterable[int]) -> set[int]:
    """The given units and all their descendants, in one recursive query."""
    roots = sorted({int(pk) for pk in unit_ids})
    if not roots:
        return set()
    table = connection.ops.quote_name(AdminUnit._meta.db_table)
    parent_col = connection.ops.quote_name(AdminUnit._meta.get_field("parent").column)
    placeholders = ", ".join(["%s"] * len(roots))
    sql = (
        f"WITH RECURSIVE tree(id) AS ("  # noqa: S608 - identifiers come from model metadata
        f" SELECT id FROM {table} WHERE id IN ({placeholders})"
        f" UNION SELECT u.id FROM {table} u JOIN tree ON u.{parent_col} = tree.id"
        f") SELECT id FROM tree"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, roots)
        return {row[0] for row in cursor.fetchall()}


def visible_unit_ids(user: Any, *, on: dt.date | None = None) -> set[int]:
    """AdminUnit ids whose data ``user`` may see on ``on`` (default today). See the module doc.

    At most two queries (positions with delegations; the descendants of scope-down units).
    """
    if not _is_staff_user(user):
        return set()
    if user.is_superuser:
        return set(AdminUnit.objects.values_list("id", flat=True))
    rows = list(effective_positions(user, on).values_list("unit_id", "role"))
    units = {unit_id for unit_id, _role in rows}
    down = {unit_id for unit_id, role in rows if role in SCOPE_DOWN_ROLES}
    if down:
        units |= unit_descendant_ids(down)
    return units


def user_roles(
    user: Any, unit: AdminUnit | int | None = None, *, on: dt.date | None = None
) -> set[str]:
    """Roles the user holds on ``on`` (own and delegated); with ``unit``, only those held in that
    exact unit (roles do not pass down to descendant units, only visibility does)."""
    if not _is_staff_user(user):
        return set()
    qs = effective_positions(user, on)
    if unit is not None:
        qs = qs.filter(unit_id=unit if isinstance(unit, int) else unit.pk)
    return set(qs.values_list("role", flat=True))


def user_api_tokens(user: Any) -> QuerySet[ApiToken]:
    """The user's API tokens, newest first (revoked and expired included, for the record)."""
    if not _is_staff_user(user):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-pk")
