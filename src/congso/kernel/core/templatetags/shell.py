"""Template tags of the page shell."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def inbox_badge(context: template.Context) -> SafeString:
    """The inbox link with its unread count, from the notifications module's ``unread_badge``.

    Rendered through the module's own tag when its template library is installed, and as nothing
    otherwise, so the shell never shows a link to an inbox that does not exist.
    """
    engine = context.template.engine if context.template is not None else None
    if engine is None or "notifications" not in engine.template_libraries:
        return mark_safe("")
    inner = engine.from_string("{% load notifications %}{% unread_badge %}")
    return mark_safe(inner.render(context))
