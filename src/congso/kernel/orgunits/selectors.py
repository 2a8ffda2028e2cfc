"""Reads about administrative units: the tree, effective dating, successions, the API lists.

Units are reference data (the official list of the country's units): every staff user may read
them. What a user may see *of a unit's records* is decided by
``congso.kernel.people.selectors.visible_unit_ids``, which uses ``descendant_ids`` below.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from congso.kernel.errors import DomainError, NotFound
from congso.kernel.orgunits.models import AdminUnit, Department, UnitSuccession


def descendant_ids(unit_ids: Iterable[int], *, include_self: bool = True) -> set[int]:
    """Ids of all units below ``unit_ids`` (whatever their validity dates), in one recursive
    query; with ``include_self`` (the default) the given units are included."""
    roots = sorted({int(pk) for pk in unit_ids})
    if not roots:
        return set()
    table = connection.ops.quote_name(AdminUnit._meta.db_table)
    parent = connection.ops.quote_name(AdminUnit._meta.get_field("parent").column)
    placeholders = ", ".join(["%s"] * len(roots))
    # UNION (not UNION ALL) stops on a cycle, should bad data ever contain one.
    sql = (
        f"WITH RECURSIVE tree(id) AS ("  # noqa: S608 - identifiers come from model metadata
        f" SELECT id FROM {table} WHERE id IN ({placeholders})"
        f" UNION SELECT u.id FROM {table} u JOIN tree ON u.{parent} = tree.id"
        f") SELECT id FROM tree"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, roots)
        found = {row[0] for row in cursor.fetchall()}
    return found if include_self else found - set(roots)


def ancestors(unit: AdminUnit) -> list[AdminUnit]:
    """The unit's parents, nearest first (one query per level: the tree is at most 3 deep)."""
    chain: list[AdminUnit] = []
    current = unit.parent
    while current is not None and current not in chain:
        chain.append(current)
        current = current.parent
    return chain


def units_valid_on(day: dt.date | None = None) -> QuerySet[AdminUnit]:
    """Units in force on ``day`` (default today)."""
    return AdminUnit.objects.valid_on(day or timezone.localdate())


def committee_units(on: dt.date | None = None) -> QuerySet[AdminUnit]:
    """Units whose committee works on Công sở số (``is_served``); with ``on``, only those in
    force that day."""
    units = AdminUnit.objects.filter(is_served=True)
    if on is not None:
        units = units.valid_on(on)
    return units.select_related("parent").order_by("name", "pk")


def successors_of(unit: AdminUnit | int) -> QuerySet[UnitSuccession]:
    """Links from ``unit`` to the units that took it over (``link.new``), by name."""
    return (
        UnitSuccession.objects.filter(old=unit)
        .select_related("new", "old")
        .order_by("new__name", "pk")
    )


def predecessors_of(unit: AdminUnit | int) -> QuerySet[UnitSuccession]:
    """Links to ``unit`` from the units it was formed from (``link.old``), by name."""
    return (
        UnitSuccession.objects.filter(new=unit)
        .select_related("old", "new")
        .order_by("old__name", "pk")
    )


def unit_departments(unit: AdminUnit | int, *, active_only: bool = False) -> QuerySet[Department]:
    departments = Department.objects.filter(unit=unit)
    if active_only:
        departments = departments.filter(is_active=True)
    return departments.order_by("order", "name", "pk")


# --- the API list: filters and keyset pagination -----------------------------------------------

MAX_PAGE = 200


@dataclass(frozen=True)
class UnitPage:
    items: list[AdminUnit]
    next_cursor: str | None


def encode_cursor(unit: AdminUnit) -> str:
    raw = json.dumps([unit.code, unit.pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        code, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(code, str) or not isinstance(pk, int) or isinstance(pk, bool):
            raise ValueError(cursor)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise DomainError(
            "invalid_cursor",
            "Con trỏ phân trang không hợp lệ: hãy dùng đúng giá trị next_cursor đã nhận.",
            details={"cursor": cursor},
        ) from None
    return code, pk


def units_page(
    *,
    level: str | None = None,
    parent_id: int | None = None,
    valid_on: dt.date | None = None,
    q: str = "",
    served: bool | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> UnitPage:
    """One page of units in official order (statistics code, then id), one query.

    ``q`` matches a part of the name (case-insensitive as the database allows) or the start of
    the code. ``cursor`` is the ``next_cursor`` of the previous page.
    """
    limit = max(1, min(int(limit), MAX_PAGE))
    units = AdminUnit.objects.all()
    if level:
        units = units.filter(level=level)
    if parent_id is not None:
        units = units.filter(parent_id=parent_id)
    if valid_on is not None:
        units = units.valid_on(valid_on)
    if served is not None:
        units = units.filter(is_served=served)
    text = q.strip()
    if text:
        units = units.filter(Q(name__icontains=text) | Q(code__startswith=text))
    if cursor:
        code, pk = decode_cursor(cursor)
        units = units.filter(Q(code__gt=code) | Q(code=code, pk__gt=pk))
    rows = list(units.order_by("code", "pk")[: limit + 1])
    items = rows[:limit]
    next_cursor = encode_cursor(items[-1]) if len(rows) > limit else None
    return UnitPage(items=items, next_cursor=next_cursor)


def unit_detail(pk: int) -> AdminUnit:
    """A unit with its parent, departments, successors and predecessors loaded (4 queries)."""
    unit = (
        AdminUnit.objects.select_related("parent")
        .prefetch_related(
            Prefetch("departments", queryset=Department.objects.order_by("order", "name", "pk")),
            Prefetch(
                "successors_links",
                queryset=UnitSuccession.objects.select_related("new").order_by("new__name", "pk"),
            ),
            Prefetch(
                "predecessor_links",
                queryset=UnitSuccession.objects.select_related("old").order_by("old__name", "pk"),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if unit is None:
        raise NotFound("Không tìm thấy đơn vị hành chính.", code="unit_not_found")
    return unit


def unit_by_code(code: str, *, family: str) -> AdminUnit | None:
    """The unit with ``code`` in a code family (``vietnam-provinces``, ``pre-2025``)."""
    return AdminUnit.objects.filter(dataset__startswith=f"{family}:", code=code).first()
