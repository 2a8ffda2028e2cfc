"""Who may do what with field reports (plain predicates; services and views call them).

- Any official of a ward (and the leaders/administrators above it, by the kernel's scope rule)
  sees the ward's reports.
- Triage (accept, refuse, merge, assign, set the level, close): the ward's one-stop officers,
  clerks, leaders and administrators.
- Answer publicly: the triagers, the assigned official and members of the assigned department.
- Citizens act only through the tracking code (the public page): rate once, when answered.
"""

from __future__ import annotations

from typing import Any

from congso.kernel.people.models import Role
from congso.kernel.people.rules import has_role, is_staff_member
from congso.kernel.people.selectors import effective_positions, visible_unit_ids
from congso.urban.reports.models import (
    OPEN_STATUSES,
    FieldReport,
    ReportStatus,
)

TRIAGE_ROLES = (Role.ONESTOP_OFFICER, Role.CLERK, Role.LEADER, Role.ADMIN)


def can_view(user: Any, report: FieldReport) -> bool:
    return is_staff_member(user) and report.unit_id in visible_unit_ids(user)


def can_triage_unit(user: Any, unit_id: int) -> bool:
    return is_staff_member(user) and has_role(user, *TRIAGE_ROLES, unit=unit_id)


def can_triage(user: Any, report: FieldReport) -> bool:
    return report.status in OPEN_STATUSES and can_triage_unit(user, report.unit_id)


def can_close(user: Any, report: FieldReport) -> bool:
    return report.status == ReportStatus.ANSWERED and can_triage_unit(user, report.unit_id)


def is_handler(user: Any, report: FieldReport) -> bool:
    """The assigned official, or a member of the assigned department."""
    if not is_staff_member(user):
        return False
    if report.assignee_id is not None and report.assignee_id == user.pk:
        return True
    if report.department_id is None:
        return False
    return (
        effective_positions(user)
        .filter(unit_id=report.unit_id, department_id=report.department_id)
        .exists()
    )


def can_answer(user: Any, report: FieldReport) -> bool:
    if report.status not in {ReportStatus.ACCEPTED, ReportStatus.ASSIGNED, ReportStatus.ANSWERED}:
        return False
    return can_triage_unit(user, report.unit_id) or is_handler(user, report)


def can_download_photo(user: Any, report: FieldReport) -> bool:
    """Staff of the ward, for the kernel's /tep/ view (the public page has its own view)."""
    return can_view(user, report)
