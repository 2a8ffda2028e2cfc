"""Permissions of the one-stop shop as plain predicates (issue 5).

- **One-stop officers** (role ``onestop_officer``) of the receiving unit take dossiers at the
  desk, accept, ask for supplements, refuse, record withdrawals and fees, and return results.
- **The handler of the current step** processes it (hands over, asks for fees or supplements,
  completes): the step's assignee, members of the step's department when no person is named,
  the head (leader role) of the step's or the assignee's department, and the unit's leaders.
- **Leaders** (role ``leader``) of the unit act at leader steps (they count as handlers of every
  step), give the one extension and stop a dossier.
- Everybody with a position in the unit sees its dossiers (leaders and administrators of a parent
  unit also those of its descendants, the kernel's scope rule); nobody else. Applicants' personal
  data is therefore shown to the unit's staff only.
"""

from __future__ import annotations

from typing import Any

from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import Position, Role
from congso.kernel.people.rules import has_role, is_admin, is_staff_member
from congso.kernel.people.selectors import visible_unit_ids

from .models import Dossier, DossierStatus

S = DossierStatus
WORKING_STATUSES = frozenset({S.ACCEPTED, S.IN_PROCESS})


def _unit_id(unit: AdminUnit | int) -> int:
    return unit if isinstance(unit, int) else int(unit.pk)


def can_receive(user: Any, unit: AdminUnit | int) -> bool:
    """Intake, accept, refuse, withdraw, return: the unit's one-stop officers."""
    return is_staff_member(user) and has_role(user, Role.ONESTOP_OFFICER, unit=_unit_id(unit))


def can_lead(user: Any, unit: AdminUnit | int) -> bool:
    """Extend, stop, act at leader steps: the unit's leaders (own or delegated position)."""
    return is_staff_member(user) and has_role(user, Role.LEADER, unit=_unit_id(unit))


def can_view(user: Any, dossier: Dossier) -> bool:
    return is_staff_member(user) and dossier.unit_id in visible_unit_ids(user)


def can_view_unit(user: Any, unit: AdminUnit | int) -> bool:
    return is_staff_member(user) and _unit_id(unit) in visible_unit_ids(user)


def _heads_department(user: Any, unit_id: int, department_ids: set[int]) -> bool:
    if not department_ids:
        return False
    return (
        Position.objects.active()
        .filter(
            user_id=user.pk, unit_id=unit_id, role=Role.LEADER, department_id__in=department_ids
        )
        .exists()
    )


def is_step_handler(user: Any, dossier: Dossier) -> bool:
    """The user handles the dossier's current open step (see the module docstring)."""
    if not is_staff_member(user):
        return False
    step = dossier.current_step
    if step is None or step.finished_at is not None:
        return False
    if step.assignee_id == user.pk:
        return True
    if can_lead(user, dossier.unit_id):
        return True
    departments: set[int] = set()
    if step.department_id:
        departments.add(step.department_id)
        if step.assignee_id is None and (
            Position.objects.active()
            .filter(user_id=user.pk, unit_id=dossier.unit_id, department_id=step.department_id)
            .exists()
        ):
            return True
    if step.assignee_id:
        departments |= set(
            Position.objects.active()
            .filter(user_id=step.assignee_id, unit_id=dossier.unit_id, department__isnull=False)
            .values_list("department_id", flat=True)
        )
    return _heads_department(user, dossier.unit_id, departments)


def can_process(user: Any, dossier: Dossier) -> bool:
    """Hand over, ask for fees, complete: the current step's handler while it is being worked."""
    return dossier.status in WORKING_STATUSES and is_step_handler(user, dossier)


def can_complete(user: Any, dossier: Dossier) -> bool:
    return can_process(user, dossier)


def can_request_supplement(user: Any, dossier: Dossier) -> bool:
    """One-stop officers (before and after acceptance) and the current step's handler."""
    if dossier.status == S.SUBMITTED:
        return can_receive(user, dossier.unit_id)
    if dossier.status in WORKING_STATUSES:
        return can_receive(user, dossier.unit_id) or is_step_handler(user, dossier)
    if dossier.status == S.SUPPLEMENT_REQUESTED:
        return can_receive(user, dossier.unit_id) or is_step_handler(user, dossier)
    return False


def can_manage_catalogue(user: Any) -> bool:
    """Edit, import and export the procedure catalogue: administrators."""
    return is_admin(user)


def can_read_dossier_file(user: Any, owner: Any) -> bool:
    """Access rule for files whose owner is a dossier (papers, supplements, results)."""
    dossier = owner if isinstance(owner, Dossier) else getattr(owner, "dossier", None)
    return isinstance(dossier, Dossier) and can_view(user, dossier)
