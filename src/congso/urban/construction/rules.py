"""Who may do what in construction order, as plain predicates.

- Seeing works, inspections and violations: staff holding the inspector, leader, specialist or
  administrator role in the ward (leaders and administrators of a parent unit: its descendants).
  Clerks and one-stop officers have no construction menu and see nothing here.
- Registering and editing works: the ward's inspectors, specialists and leaders.
- Inspections: the ward's inspectors and leaders (specialists of the economic/urban department
  too, as they often do the round with the inspector).
- Violation records, stop-work orders, dismantling, closure: the ward's inspectors and leaders.
- Sanction decisions and enforcement: the ward's leaders (the Chairman or a Vice-chairman).
"""

from __future__ import annotations

from typing import Any

from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import Role
from congso.kernel.people.rules import has_role, is_staff_member

VIEW_ROLES = frozenset({Role.INSPECTOR, Role.LEADER, Role.SPECIALIST, Role.ADMIN})
MANAGE_ROLES = (Role.INSPECTOR, Role.SPECIALIST, Role.LEADER)
INSPECT_ROLES = (Role.INSPECTOR, Role.SPECIALIST, Role.LEADER)
RECORD_ROLES = (Role.INSPECTOR, Role.LEADER)
SANCTION_ROLES = (Role.LEADER,)


def _unit_id(unit: AdminUnit | int) -> int:
    return unit if isinstance(unit, int) else int(unit.pk)


def construction_unit_ids(user: Any) -> set[int]:
    """The units whose works ``user`` may see."""
    if not is_staff_member(user):
        return set()
    from congso.kernel.people.selectors import (
        SCOPE_DOWN_ROLES,
        effective_positions,
        unit_descendant_ids,
    )

    if user.is_superuser:
        from congso.kernel.people.selectors import visible_unit_ids

        return visible_unit_ids(user)
    rows = list(effective_positions(user).values_list("unit_id", "role"))
    units = {unit_id for unit_id, role in rows if role in VIEW_ROLES}
    down = {unit_id for unit_id, role in rows if role in VIEW_ROLES and role in SCOPE_DOWN_ROLES}
    if down:
        units |= unit_descendant_ids(down)
    return units


def can_use(user: Any) -> bool:
    return bool(construction_unit_ids(user))


def can_view_unit(user: Any, unit: AdminUnit | int) -> bool:
    return _unit_id(unit) in construction_unit_ids(user)


def can_view_work(user: Any, work: Any) -> bool:
    return can_view_unit(user, work.unit_id)


def can_manage_works(user: Any, unit: AdminUnit | int) -> bool:
    return is_staff_member(user) and has_role(user, *MANAGE_ROLES, unit=_unit_id(unit))


def can_inspect(user: Any, unit: AdminUnit | int) -> bool:
    return is_staff_member(user) and has_role(user, *INSPECT_ROLES, unit=_unit_id(unit))


def can_record_violation(user: Any, unit: AdminUnit | int) -> bool:
    return is_staff_member(user) and has_role(user, *RECORD_ROLES, unit=_unit_id(unit))


def can_sanction(user: Any, unit: AdminUnit | int) -> bool:
    return is_staff_member(user) and has_role(user, *SANCTION_ROLES, unit=_unit_id(unit))


def can_read_photo(user: Any, owner: Any) -> bool:
    """Access rule for the files of inspection photos (``kernel.files``)."""
    unit_id = getattr(owner, "unit_id", None)
    return isinstance(unit_id, int) and can_view_unit(user, unit_id)
