"""Permissions of the documents domain as plain predicates (issue 3, "Permissions").

- Clerks (văn thư) and administrators of a committee register incoming documents.
- Leaders of a committee assign them (a department head holds the ``leader`` role too, so he can
  hand a document on inside his department); a delegate acting for a leader may as well
  (delegations lend the principal's positions, see ``kernel.people.selectors``).
- Clerks, leaders and administrators of a committee see all of its documents; leaders and
  administrators of a parent unit see those of its descendants (the kernel's scope rule).
- Other staff (specialists, one-stop officers, inspectors) see only the documents assigned to them
  (as lead or cooperating person) or to one of their departments (as lead or cooperating unit).
- Secret documents only for users whose clearance reaches the document's secrecy.
- Nobody sees another committee's documents unless one was sent to it (it then has its own
  incoming row in the receiving committee).

Each area appends its own predicates below its heading; the scope computation is shared.
"""

from __future__ import annotations

from typing import Any

from congso.documents.models import (
    Assignment,
    AssignmentStatus,
    IncomingDocument,
    IncomingStatus,
)
from congso.documents.selectors import IncomingScope, incoming_scope
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import Role
from congso.kernel.people.rules import can_read_secret, has_role, is_staff_member

CLOSED_INCOMING = frozenset({IncomingStatus.DONE, IncomingStatus.RECALLED})


def _unit_id(unit: AdminUnit | int) -> int:
    return unit if isinstance(unit, int) else int(unit.pk)


# --- incoming documents ----------------------------------------------------------------------


def can_register(user: Any, unit: AdminUnit | int) -> bool:
    """Register incoming documents of ``unit``: its clerks and administrators."""
    return is_staff_member(user) and has_role(user, Role.CLERK, Role.ADMIN, unit=_unit_id(unit))


def is_unit_leader(user: Any, unit: AdminUnit | int) -> bool:
    """Holds the leader role in ``unit`` today (own position or lent by a delegation)."""
    return is_staff_member(user) and has_role(user, Role.LEADER, unit=_unit_id(unit))


def _involved(document: IncomingDocument, scope: IncomingScope) -> bool:
    """The document has an assignment (any status) naming the user or one of their departments."""
    from congso.documents.selectors import assignment_involving_q

    return Assignment.objects.filter(
        assignment_involving_q(scope.user_id, scope.department_ids), document_id=document.pk
    ).exists()


def can_view_incoming(
    user: Any, document: IncomingDocument, *, scope: IncomingScope | None = None
) -> bool:
    if not is_staff_member(user) or not can_read_secret(user, document.secrecy):
        return False
    scope = scope or incoming_scope(user)
    if document.unit_id in scope.full_unit_ids:
        return True
    if document.unit_id in scope.member_unit_ids:
        return _involved(document, scope)
    return False


def can_present(user: Any, document: IncomingDocument) -> bool:
    """Present (trình) to a leader: the unit's clerks, before the document is assigned."""
    return (
        document.status in {IncomingStatus.REGISTERED, IncomingStatus.PRESENTED}
        and can_read_secret(user, document.secrecy)
        and can_register(user, document.unit_id)
    )


def can_assign(user: Any, document: IncomingDocument) -> bool:
    """Assign (phân công, bút phê): a leader of the document's unit, or a delegate acting for one,
    with the clearance the document needs, while it is not closed."""
    return (
        document.status not in CLOSED_INCOMING
        and can_read_secret(user, document.secrecy)
        and is_unit_leader(user, document.unit_id)
    )


def _is_handler(user: Any, assignment: Assignment, scope: IncomingScope) -> bool:
    if assignment.lead_user_id == user.pk:
        return True
    if assignment.lead_department_id is not None and (
        assignment.lead_department_id in scope.department_ids
    ):
        return True
    coop_users = {u.pk for u in assignment.cooperating_users.all()}
    if user.pk in coop_users:
        return True
    coop_departments = {d.pk for d in assignment.cooperating_departments.all()}
    return bool(coop_departments & scope.department_ids)


def can_handle(user: Any, assignment: Assignment, *, scope: IncomingScope | None = None) -> bool:
    """Record progress on an open assignment: its lead and cooperating people, members of its
    lead and cooperating departments, and the unit's leaders."""
    document = assignment.document
    if assignment.status != AssignmentStatus.OPEN or not is_staff_member(user):
        return False
    if not can_read_secret(user, document.secrecy):
        return False
    if is_unit_leader(user, document.unit_id):
        return True
    scope = scope or incoming_scope(user)
    if document.unit_id not in scope.member_unit_ids:
        return False
    return _is_handler(user, assignment, scope)


def can_complete(user: Any, assignment: Assignment, *, scope: IncomingScope | None = None) -> bool:
    """Close an open assignment: the lead person (or, when only a department leads, a member of
    it), or a leader of the unit. Cooperating people record progress but do not close."""
    document = assignment.document
    if assignment.status != AssignmentStatus.OPEN or not is_staff_member(user):
        return False
    if not can_read_secret(user, document.secrecy):
        return False
    if is_unit_leader(user, document.unit_id):
        return True
    if assignment.lead_user_id is not None:
        return bool(assignment.lead_user_id == user.pk)
    scope = scope or incoming_scope(user)
    return (
        document.unit_id in scope.member_unit_ids
        and assignment.lead_department_id in scope.department_ids
    )


def can_read_incoming_file(user: Any, owner: Any) -> bool:
    """Access rule for files attached to an incoming document or to a progress note on one
    (registered with ``kernel.files.rules.register_access_rule`` in ``apps.ready``).

    A granted download of a secret document's file is audited (``documents.secret_read``):
    this rule is the one checkpoint every download passes."""
    document = owner if isinstance(owner, IncomingDocument) else getattr(owner, "document", None)
    if not isinstance(document, IncomingDocument):
        return False
    allowed = can_view_incoming(user, document)
    if allowed and document.secrecy > 0:
        from congso.documents.services.incoming import incoming_secret_read

        incoming_secret_read(document=document, user=user, what="tải tệp")
    return allowed


# --- outgoing documents ----------------------------------------------------------------------
# Drafting: specialists, leaders and clerks of the committee. Review: only the reviewer whose
# turn it is. Signing: leaders of the committee. Numbering and issuing, dispatch: clerks.
# Recall: clerks and leaders. Seeing: as for incoming documents (clerks, leaders, administrators
# see all of the committee's; others the drafts they wrote, review, or of their department).


def _outgoing_statuses() -> Any:
    from congso.documents.models import OutgoingStatus

    return OutgoingStatus


def can_draft_outgoing(user: Any, unit: AdminUnit | int) -> bool:
    return is_staff_member(user) and has_role(
        user, Role.SPECIALIST, Role.LEADER, Role.CLERK, Role.ADMIN, unit=_unit_id(unit)
    )


def can_view_outgoing(user: Any, document: Any, *, scope: IncomingScope | None = None) -> bool:
    if not is_staff_member(user) or not can_read_secret(user, document.secrecy):
        return False
    scope = scope or incoming_scope(user)
    if document.unit_id in scope.full_unit_ids:
        return True
    if document.unit_id not in scope.member_unit_ids:
        return False
    if document.created_by_id == user.pk or document.department_id in scope.department_ids:
        return True
    return bool(document.review_steps.filter(reviewer_id=user.pk).exists())


def outgoing_current_step(document: Any) -> Any:
    """The review step whose turn it is (None when the document is not in review)."""
    from congso.documents.models import ReviewDecision

    if document.status != _outgoing_statuses().IN_REVIEW:
        return None
    pending = document.review_steps.filter(decision=ReviewDecision.PENDING)
    return pending.order_by("order", "pk").first()


def can_add_version(user: Any, document: Any) -> bool:
    """A new version: the drafter while the draft is with them, the current reviewer."""
    statuses = _outgoing_statuses()
    if not is_staff_member(user) or not can_read_secret(user, document.secrecy):
        return False
    if document.status in {statuses.DRAFT, statuses.RETURNED}:
        return bool(document.created_by_id == user.pk)
    step = outgoing_current_step(document)
    return step is not None and step.reviewer_id == user.pk


def can_submit_outgoing(user: Any, document: Any) -> bool:
    statuses = _outgoing_statuses()
    return (
        is_staff_member(user)
        and document.created_by_id == user.pk
        and document.status in {statuses.DRAFT, statuses.RETURNED}
    )


def can_decide_review(user: Any, step: Any) -> bool:
    """Only the reviewer whose turn it is decides."""
    if not is_staff_member(user) or step.reviewer_id != user.pk:
        return False
    current = outgoing_current_step(step.document)
    return current is not None and current.pk == step.pk


def can_sign_outgoing(user: Any, document: Any) -> bool:
    """A leader of the committee, cleared for the document, once the chain approved it (or
    when the leader is the last reviewer and it is their turn: signing approves)."""
    statuses = _outgoing_statuses()
    if not is_unit_leader(user, document.unit_id) or not can_read_secret(user, document.secrecy):
        return False
    if document.status == statuses.APPROVED:
        return True
    step = outgoing_current_step(document)
    if step is None or step.reviewer_id != user.pk:
        return False
    from congso.documents.models import ReviewDecision

    return not document.review_steps.filter(
        decision=ReviewDecision.PENDING, order__gt=step.order
    ).exists()


def _is_clerk(user: Any, document: Any) -> bool:
    return (
        is_staff_member(user)
        and can_read_secret(user, document.secrecy)
        and has_role(user, Role.CLERK, unit=document.unit_id)
    )


def can_issue_outgoing(user: Any, document: Any) -> bool:
    """Number and issue a signed document: the committee's clerks."""
    return document.status == _outgoing_statuses().SIGNED and _is_clerk(user, document)


def can_dispatch_outgoing(user: Any, document: Any) -> bool:
    return document.status == _outgoing_statuses().ISSUED and _is_clerk(user, document)


def can_recall_outgoing(user: Any, document: Any) -> bool:
    if document.status != _outgoing_statuses().ISSUED:
        return False
    return _is_clerk(user, document) or (
        is_unit_leader(user, document.unit_id) and can_read_secret(user, document.secrecy)
    )


def can_read_outgoing_file(user: Any, owner: Any) -> bool:
    """Access rule for files of an outgoing document, its versions and attachments. A granted
    download of a secret document's file is audited."""
    from congso.documents.services.outgoing import (
        outgoing_file_owner_document,
        outgoing_secret_read,
    )

    document = outgoing_file_owner_document(owner)
    if document is None:
        return False
    allowed = can_view_outgoing(user, document)
    if allowed and document.secrecy > 0:
        outgoing_secret_read(document=document, user=user, what="tải tệp")
    return allowed
