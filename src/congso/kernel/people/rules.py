"""Permissions about people as plain predicates. Every module asks these, never the models."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import AccountKind, Role
from congso.kernel.people.selectors import user_roles, visible_unit_ids


def _authenticated(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_staff_member(user: Any) -> bool:
    """A signed-in official (not a citizen account)."""
    return _authenticated(user) and getattr(user, "kind", None) != AccountKind.CITIZEN


def has_role(user: Any, *roles: str, unit: AdminUnit | int | None = None) -> bool:
    """Whether ``user`` holds one of ``roles`` today (own or delegated), in ``unit`` if given.

    A superuser holds the administrator role everywhere.
    """
    if not _authenticated(user):
        return False
    wanted = {str(role) for role in roles}
    if user.is_superuser and Role.ADMIN.value in wanted:
        return True
    return bool(user_roles(user, unit) & wanted)


def is_admin(user: Any) -> bool:
    """A superuser, or a holder of the administrator role in any unit."""
    if not _authenticated(user):
        return False
    return bool(user.is_superuser) or has_role(user, Role.ADMIN)


def can_see_unit(user: Any, unit: AdminUnit | int | None) -> bool:
    if unit is None or not _authenticated(user):
        return False
    unit_id = unit if isinstance(unit, int) else unit.pk
    return unit_id in visible_unit_ids(user)


def can_read_secret(user: Any, level: int) -> bool:
    """Whether the user's clearance reaches a document's secrecy ``level`` (0 = ordinary)."""
    if int(level) <= 0:
        return True
    if not _authenticated(user):
        return False
    return int(getattr(user, "clearance", 0)) >= int(level)


def totp_required_roles() -> set[str]:
    return {str(role) for role in getattr(settings, "TOTP_REQUIRED_ROLES", [])}


def totp_enabled() -> bool:
    """The second factor is switched on (``TOTP_REQUIRED_ROLES`` is not empty)."""
    return bool(totp_required_roles())


def totp_required(user: Any) -> bool:
    """Whether ``user`` must pass the second factor before using the staff area: they hold one
    of ``settings.TOTP_REQUIRED_ROLES`` (a superuser counts as an administrator)."""
    required = totp_required_roles()
    if not required or not _authenticated(user):
        return False
    if user.is_superuser and Role.ADMIN.value in required:
        return True
    return bool(user_roles(user) & required)


def can_manage_people(user: Any) -> bool:
    """Assign positions and delegations: administrators."""
    return is_admin(user)
