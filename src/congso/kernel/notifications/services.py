"""Writing notifications: ``notify`` (rows + e-mail after commit), marking them read."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from congso.kernel.errors import DomainError
from congso.kernel.notifications.models import Notification, NotificationLevel
from congso.kernel.notifications.selectors import notification_get


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").replace("\x00", "")


def _recipients(recipients: Iterable[Any]) -> list[Any]:
    """Users (or user ids), de-duplicated, active ones only, in the order given."""
    users: list[Any] = []
    ids: list[int] = []
    for item in recipients:
        if item is None:
            continue
        if isinstance(item, int):
            ids.append(item)
        else:
            users.append(item)
    if ids:
        by_id = get_user_model().objects.in_bulk(ids)
        users.extend(by_id[i] for i in ids if i in by_id)
    seen: set[int] = set()
    out = []
    for user in users:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        out.append(user)
    return out


def notify(
    *,
    recipients: Iterable[Any],
    title: str,
    body: str = "",
    url: str = "",
    level: str = NotificationLevel.INFO,
    email: bool = True,
    kind: str = "",
    obj: models.Model | None = None,
) -> list[Notification]:
    """Put a notification in each recipient's inbox; e-mail those who have an address.

    Call it inside the transaction of the write that causes it: the rows commit with it, and the
    e-mails are enqueued (background task) only once it has committed.
    """
    title = _nfc(title).strip()
    if not title:
        raise DomainError("notification_title_required", "Thông báo phải có tiêu đề.")
    if level not in NotificationLevel.values:
        raise DomainError(
            "notification_invalid_level",
            "Mức độ thông báo không hợp lệ.",
            details={"level": level, "allowed": list(NotificationLevel.values)},
        )
    users = _recipients(recipients)
    if not users:
        return []
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    rows = [
        Notification(
            recipient=user,
            title=title[:255],
            body=_nfc(body),
            url=(url or "")[:500],
            level=level,
            kind=kind[:60],
            content_type=content_type,
            object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        )
        for user in users
    ]
    with transaction.atomic():
        if connection.features.can_return_rows_from_bulk_insert:
            created = Notification.objects.bulk_create(rows)
        else:  # pragma: no cover - old SQLite without RETURNING
            created = []
            for row in rows:
                row.save()
                created.append(row)
        if email:
            from congso.kernel.notifications.tasks import send_notification_email

            for row in created:
                if row.recipient.email:
                    transaction.on_commit(
                        partial(send_notification_email.enqueue, notification_id=row.pk)
                    )
    return created


def notification_mark_read(*, user: Any, notification_id: int) -> Notification:
    """Mark one of the user's notifications read (idempotent). Someone else's: NotFound."""
    notification = notification_get(user, notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, user: Any) -> int:
    """Mark all the user's unread notifications read; returns how many changed."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_email_sent(*, notification_id: int) -> bool:
    """Record that the e-mail went out (first time only)."""
    return bool(
        Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
    )
