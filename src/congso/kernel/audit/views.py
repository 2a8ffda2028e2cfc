"""The audit viewer for administrators: a filtered, keyset-paginated list and an event page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from congso.kernel.audit.forms import AuditFilterForm
from congso.kernel.audit.models import AuditEvent
from congso.kernel.audit.rules import can_view_audit
from congso.kernel.audit.selectors import audit_events_page

PAGE_SIZE = 50


def _cursor(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _require_admin(request: HttpRequest) -> None:
    if not can_view_audit(request.user):
        raise PermissionDenied("Chỉ quản trị hệ thống được xem nhật ký.")


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = AuditFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    page = audit_events_page(
        form.filters(),
        before=_cursor(request.GET.get("before")),
        after=_cursor(request.GET.get("after")),
        size=PAGE_SIZE,
    )
    query = request.GET.copy()
    query.pop("before", None)
    query.pop("after", None)
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
def event_detail(request: HttpRequest, seq: int) -> HttpResponse:
    _require_admin(request)
    event = get_object_or_404(
        AuditEvent.objects.select_related("content_type", "unit", "actor"), seq=seq
    )
    changes = []
    for name, value in (event.changes or {}).items():
        if isinstance(value, list) and len(value) == 2:
            changes.append({"field": name, "old": value[0], "new": value[1]})
        else:
            changes.append({"field": name, "old": None, "new": value})
    return render(request, "audit/event_detail.html", {"event": event, "changes": changes})
