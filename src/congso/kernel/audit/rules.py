"""Who may read the audit log: administrators only."""

from __future__ import annotations

from typing import Any

from congso.kernel.people.rules import is_admin


def can_view_audit(user: Any) -> bool:
    return is_admin(user)
