"""Who may do what in site clearance (plain predicates; the views and the API check them).

- Staff of a ward (any role) and leaders/administrators of a parent unit see its projects.
- Specialists, leaders and administrators of the ward record projects, parties, steps and
  obstacles.
- Decisions of the committee — approving the compensation plan, the recovery decision, forced
  inventory, forced recovery, and a project's status (completed, suspended, cancelled) — are for
  its leaders and administrators.
"""

from __future__ import annotations

from typing import Any

from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import Role
from congso.kernel.people.rules import has_role, is_staff_member
from congso.kernel.people.selectors import visible_unit_ids
from congso.urban.clearance.models import Step

#: Steps that are decisions of the committee's leaders.
LEADER_STEPS = frozenset({Step.PLAN_APPROVED, Step.DECIDED})


def _unit_id(unit: AdminUnit | int) -> int:
    return unit if isinstance(unit, int) else int(unit.pk)


def can_view(user: Any, unit: AdminUnit | int) -> bool:
    return is_staff_member(user) and _unit_id(unit) in visible_unit_ids(user)


def can_edit(user: Any, unit: AdminUnit | int) -> bool:
    return is_staff_member(user) and has_role(
        user, Role.SPECIALIST, Role.LEADER, Role.ADMIN, unit=_unit_id(unit)
    )


def can_decide(user: Any, unit: AdminUnit | int) -> bool:
    return is_staff_member(user) and has_role(user, Role.LEADER, Role.ADMIN, unit=_unit_id(unit))


def can_record_step(user: Any, unit: AdminUnit | int, step: int) -> bool:
    if step in LEADER_STEPS:
        return can_decide(user, unit)
    return can_edit(user, unit)
