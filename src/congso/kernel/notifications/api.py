"""/api/v1/notifications: the caller's own inbox."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from congso.kernel.notifications import selectors, services
from congso.kernel.notifications.models import Notification
from congso.kernel.notifications.schemas import (
    MarkedOut,
    NotificationOut,
    NotificationPageOut,
    UnreadCountOut,
)

router = Router(tags=["notifications"])


class ListParams(Schema):
    unread: bool | None = Field(None, description="true: chỉ chưa đọc; false: chỉ đã đọc.")
    cursor: str | None = Field(None, max_length=100, description="next_cursor của trang trước.")
    limit: int = Field(20, ge=1, le=selectors.MAX_PAGE)


def _out(n: Notification) -> dict[str, Any]:
    return {
        "id": n.pk,
        "title": n.title,
        "body": n.body,
        "url": n.url,
        "level": n.level,
        "kind": n.kind,
        "created_at": n.created_at,
        "read_at": n.read_at,
        "is_read": n.read_at is not None,
    }


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


@router.get("/", response=NotificationPageOut, summary="Thông báo của tôi")
def notifications_list(request: HttpRequest, params: Query[ListParams]) -> dict[str, Any]:
    """Mới nhất trước, phân trang bằng con trỏ (`cursor`); lọc `unread`."""
    items, next_cursor = selectors.notifications_page(
        _user(request), unread=params.unread, cursor=params.cursor, limit=params.limit
    )
    return {"items": [_out(n) for n in items], "next_cursor": next_cursor}


@router.get("/unread-count", response=UnreadCountOut, summary="Số thông báo chưa đọc")
def notifications_unread_count(request: HttpRequest) -> dict[str, int]:
    return {"count": selectors.unread_count(_user(request))}


@router.post("/read-all", response=MarkedOut, summary="Đánh dấu tất cả là đã đọc")
def notifications_read_all(request: HttpRequest) -> dict[str, int]:
    return {"updated": services.notifications_mark_all_read(user=_user(request))}


@router.post("/{notification_id}/read", response=NotificationOut, summary="Đánh dấu đã đọc")
def notifications_read(request: HttpRequest, notification_id: int) -> dict[str, Any]:
    """Thông báo của người khác trả về 404 `notification_not_found`."""
    return _out(
        services.notification_mark_read(user=_user(request), notification_id=notification_id)
    )
