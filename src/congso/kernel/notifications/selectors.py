"""Reads of notifications: always the signed-in user's own."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from congso.kernel.errors import DomainError, NotFound
from congso.kernel.notifications.models import Notification


def notifications_for(user: Any, *, unread: bool | None = None) -> QuerySet[Notification]:
    """The user's notifications, newest first (``unread`` True/False filters)."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user)
    if unread is True:
        qs = qs.filter(read_at__isnull=True)
    elif unread is False:
        qs = qs.filter(read_at__isnull=False)
    return qs.order_by("-id")


def notifications_inbox(user: Any) -> QuerySet[Notification]:
    """The inbox order: unread first, then newest first."""
    return (
        notifications_for(user)
        .annotate(unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField()))
        .order_by("-unread", "-id")
    )


def notification_get(user: Any, notification_id: int) -> Notification:
    """One of the user's notifications; someone else's is "not found", not "forbidden"."""
    try:
        return notifications_for(user).get(pk=notification_id)
    except Notification.DoesNotExist:
        raise NotFound("Không tìm thấy thông báo.", code="notification_not_found") from None


def unread_count(user: Any) -> int:
    return notifications_for(user, unread=True).count()


def unread_count_cached(request: Any) -> int:
    """The unread count, computed once per request (the header and the page may both ask)."""
    cached = getattr(request, "_congso_unread_count", None)
    if cached is None:
        cached = unread_count(getattr(request, "user", None))
        request._congso_unread_count = cached
    return int(cached)


# --- keyset pages for the API -------------------------------------------------------------------

MAX_PAGE = 100


def encode_cursor(notification_id: int) -> str:
    return base64.urlsafe_b64encode(f"n{notification_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not raw.startswith("n"):
            raise ValueError(cursor)
        value = int(raw[1:])
        if value < 1:
            raise ValueError(cursor)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise DomainError(
            "invalid_cursor",
            "Con trỏ phân trang không hợp lệ: hãy dùng đúng giá trị next_cursor đã nhận.",
            details={"cursor": cursor},
        ) from None
    return value


def notifications_page(
    user: Any, *, unread: bool | None = None, cursor: str | None = None, limit: int = 20
) -> tuple[list[Notification], str | None]:
    """One page of the user's notifications, newest first, by keyset on id (one query)."""
    limit = max(1, min(int(limit), MAX_PAGE))
    qs = notifications_for(user, unread=unread)
    if cursor:
        qs = qs.filter(pk__lt=decode_cursor(cursor))
    rows = list(qs[: limit + 1])
    items = rows[:limit]
    return items, encode_cursor(items[-1].pk) if len(rows) > limit else None
