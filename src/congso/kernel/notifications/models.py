"""In-app notifications (the inbox), optionally e-mailed."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class NotificationLevel(models.TextChoices):
    INFO = "info", "Thông tin"
    WARNING = "warning", "Cần chú ý"
    URGENT = "urgent", "Khẩn"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhận",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField("tiêu đề", max_length=255)
    body = models.TextField("nội dung", blank=True)
    url = models.CharField("đường dẫn", max_length=500, blank=True)
    level = models.CharField(
        "mức độ", max_length=10, choices=NotificationLevel.choices, default=NotificationLevel.INFO
    )
    kind = models.CharField(
        "loại",
        max_length=60,
        blank=True,
        help_text="Nhóm thông báo do mô-đun đặt, ví dụ documents.assigned, procedures.overdue.",
    )
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)
    emailed_at = models.DateTimeField("đã gửi thư lúc", null=True, blank=True)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-id"]
        indexes = [
            # Inbox and API: a user's notifications, unread first, newest first; unread count.
            models.Index(fields=["recipient", "read_at", "id"], name="notif_recipient_read_id"),
            models.Index(fields=["recipient", "id"], name="notif_recipient_id"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
