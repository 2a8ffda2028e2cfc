"""Who may download a stored file.

A user may download a file when they can see the file's unit and, if the file is attached to an
object whose model registered an access rule, that rule agrees. Domain apps register their
rules (e.g. documents: the reader's secrecy clearance), so the kernel never imports them::

    from congso.kernel.files.rules import register_access_rule
    register_access_rule(Document, lambda user, document: can_read_document(user, document))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

from congso.kernel.files.models import StoredFile
from congso.kernel.people.rules import is_staff_member
from congso.kernel.people.selectors import visible_unit_ids

AccessRule = Callable[[Any, Any], bool]

_ACCESS_RULES: dict[type[models.Model], AccessRule] = {}


def register_access_rule(model: type[models.Model], func: AccessRule) -> None:
    """``func(user, owner) -> bool`` decides for files attached to instances of ``model``
    (and of its subclasses). Registering again for the same model replaces the rule."""
    _ACCESS_RULES[model] = func


def unregister_access_rule(model: type[models.Model]) -> None:
    _ACCESS_RULES.pop(model, None)


def access_rule_for(model: type[models.Model] | None) -> AccessRule | None:
    if model is None:
        return None
    for klass in model.__mro__:
        rule = _ACCESS_RULES.get(klass)
        if rule is not None:
            return rule
    return None


def _authenticated(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_see_file(user: Any, stored_file: StoredFile) -> bool:
    """The file lies in one of the units the user may see."""
    return _authenticated(user) and stored_file.unit_id in visible_unit_ids(user)


def can_download(user: Any, stored_file: StoredFile) -> bool:
    """The user sees the file's unit and the owner's access rule (if any) agrees.

    A file whose owner has a rule but no longer exists is refused.
    """
    if not can_see_file(user, stored_file):
        return False
    owner_type = stored_file.owner_type
    if owner_type is None:
        return True
    rule = access_rule_for(owner_type.model_class())
    if rule is None:
        return True
    owner = stored_file.owner
    if owner is None:
        return False
    return bool(rule(user, owner))


def can_upload(user: Any, unit_id: int | None) -> bool:
    """Staff who may see the unit may store files for it."""
    return unit_id is not None and is_staff_member(user) and unit_id in visible_unit_ids(user)
