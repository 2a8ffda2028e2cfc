"""The search outbox: one row per changed object, written in the same transaction as the change.

The database is the source of truth; the index is derived from it. A row says only "this object
changed" (or "was deleted"): the worker re-reads the object when it applies the row, so rows can
be applied twice, in any order, after any crash, and the index still ends up equal to the
database. Applied rows are kept for a day (``processed_at``) so that a rebuild running at the
same time can replay the changes it might have missed.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class OutboxOp(models.TextChoices):
    INDEX = "index", "Cập nhật"
    DELETE = "delete", "Xóa"


class SearchOutbox(models.Model):
    kind = models.CharField("loại", max_length=40)
    object_id = models.BigIntegerField("mã đối tượng")
    op = models.CharField("thao tác", max_length=8, choices=OutboxOp.choices)
    created_at = models.DateTimeField("ghi lúc", auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField("đưa vào chỉ mục lúc", null=True, blank=True)

    objects: models.Manager[SearchOutbox] = models.Manager()

    class Meta:
        verbose_name = "thay đổi chờ đưa vào chỉ mục"
        verbose_name_plural = "hàng đợi chỉ mục tìm kiếm"
        indexes = [
            # The worker's scan: pending rows in id order (a partial index stays tiny).
            models.Index(
                fields=["id"], condition=Q(processed_at__isnull=True), name="search_outbox_pending"
            ),
            models.Index(fields=["processed_at"], name="search_outbox_processed"),
        ]

    def __str__(self) -> str:
        return f"{self.op} {self.kind}:{self.object_id}"
