"""Who may do what with signing credentials."""

from __future__ import annotations

from typing import Any

from congso.kernel.people.models import Role
from congso.kernel.people.rules import has_role, is_admin, is_staff_member
from congso.kernel.signing.models import SigningCredential


def can_manage_credentials(user: Any) -> bool:
    """Register, replace and switch off credentials: administrators."""
    return is_admin(user)


def can_see_credential_image(user: Any, credential: SigningCredential) -> bool:
    """The signature or seal image: its owner, administrators, and for an organisation's seal
    the committee's leaders and clerks (they see it on every document anyway)."""
    if not is_staff_member(user):
        return False
    if credential.user_id is not None and credential.user_id == user.pk:
        return True
    if is_admin(user):
        return True
    if credential.unit_id is not None:
        return has_role(user, Role.LEADER, Role.CLERK, unit=credential.unit_id)
    return False
