"""``{% digitization_state document as dz %}``: what the digitisation block shows, for any
page that includes ``documents/incoming/_digitization.html`` (incoming or outgoing)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def digitization_state(context: template.Context, document: Any) -> Any:
    from congso.documents.services.digitization import digitization_state as state
    from congso.kernel.people.models import Role
    from congso.kernel.people.rules import has_role

    dz = state(document)
    request = context.get("request")
    user = getattr(request, "user", None)
    dz.can_retry = bool(
        user is not None
        and dz.status == "failed"
        and has_role(user, Role.CLERK, Role.ADMIN, unit=document.unit_id)
    )
    return dz
