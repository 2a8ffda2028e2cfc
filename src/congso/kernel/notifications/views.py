"""The inbox: list (unread first), mark read (htmx-friendly), mark all read, open."""

from __future__ import annotations

import unicodedata

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from congso.kernel.errors import NotFound
from congso.kernel.notifications.selectors import notifications_inbox, unread_count_cached
from congso.kernel.notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
)

PAGE_SIZE = 20


def is_local_url(url: str) -> bool:
    """A path on this site ("/…"), never another host: no scheme, no "//host", no "/\\host",
    no control characters (browsers drop tabs and newlines, turning "/\\t/evil" into "//evil")."""
    if not url or not url.startswith("/") or url.startswith(("//", "/\\")):
        return False
    if any(unicodedata.category(ch)[0] == "C" for ch in url):
        return False
    return url_has_allowed_host_and_scheme(url, allowed_hosts=None)


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(notifications_inbox(request.user), PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"page_obj": page_obj, "unread": unread_count_cached(request)},
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notification = notification_mark_read(user=request.user, notification_id=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if getattr(request, "htmx", False):
        return render(request, "notifications/_item_read.html", {"n": notification})
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    changed = notifications_mark_all_read(user=request.user)
    if getattr(request, "htmx", False):
        return HttpResponseClientRefresh()
    if changed:
        messages.success(request, f"Đã đánh dấu {changed} thông báo là đã đọc.")
    return redirect("notifications:inbox")


@login_required
@require_GET
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read, then go to the notification's link if it is on this site (else the inbox)."""
    try:
        notification = notification_mark_read(user=request.user, notification_id=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if is_local_url(notification.url):
        return HttpResponseRedirect(notification.url)
    if notification.url:
        messages.warning(request, "Đường dẫn của thông báo không thuộc hệ thống nên không được mở.")
    return HttpResponseRedirect(reverse("notifications:inbox"))
