"""``{% load notifications %}{% unread_badge %}``: the inbox link with the unread count.

One query per request at most: the count is kept on the request, so the header and the page
share it (and the inbox view fills it in advance).
"""

from __future__ import annotations

from typing import Any

from django import template

from congso.kernel.notifications.selectors import unread_count_cached

register = template.Library()


@register.inclusion_tag("notifications/_unread_badge.html", takes_context=True)
def unread_badge(context: template.Context, oob: bool = False) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return {"show": False}
    return {"show": True, "count": unread_count_cached(request), "oob": oob}
