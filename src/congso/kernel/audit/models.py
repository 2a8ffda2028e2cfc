"""The audit log: append-only, hash-chained events (see docs/decisions/0004-audit-hash-chain.md).

Rows are written only by ``services.audit_record``. Updates and deletes are refused twice: here in
code (``save`` of an existing row, ``delete``, queryset ``update``/``delete``) and in the database
by triggers (migration 0002). Whoever bypasses both is caught by ``manage.py audit_verify``.

Warning for future migrations: on SQLite, altering this table makes Django rebuild it, which drops
its triggers. Any migration that alters ``AuditEvent`` must re-create them (copy the RunSQL of
0002_append_only_triggers); ``audit_verify`` warns when they are missing.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event."""

    def __init__(self, what: str = "sửa hoặc xóa") -> None:
        super().__init__(f"Nhật ký chỉ được ghi thêm, không được {what} sự kiện đã ghi.")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("sửa")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("xóa")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("sửa")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("sửa")


class AuditEvent(models.Model):
    """One thing that happened: who, when, from where, what, to which object, what changed."""

    seq = models.BigIntegerField("số thứ tự", unique=True, editable=False)
    time = models.DateTimeField("thời điểm", editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        # Users with a history are deactivated, never deleted: SET_NULL would be an UPDATE.
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField("tên người thực hiện", max_length=200, blank=True)
    ip = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)
    action = models.CharField("hành động", max_length=80)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name="loại đối tượng",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.CharField("mã đối tượng", max_length=64, blank=True)
    object_repr = models.CharField("đối tượng", max_length=255, blank=True)
    unit = models.ForeignKey(
        "orgunits.AdminUnit",
        verbose_name="đơn vị",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changes = models.JSONField("thay đổi", default=dict, blank=True)
    summary = models.TextField("nội dung", blank=True)
    prev_hash = models.CharField("hash trước", max_length=64, editable=False)
    hash = models.CharField("hash", max_length=64, unique=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "sự kiện nhật ký"
        verbose_name_plural = "nhật ký hệ thống"
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["action", "seq"], name="audit_action_seq"),
            models.Index(fields=["actor", "seq"], name="audit_actor_seq"),
            models.Index(fields=["unit", "seq"], name="audit_unit_seq"),
            models.Index(fields=["content_type", "object_id"], name="audit_object"),
            models.Index(fields=["time"], name="audit_time"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("sửa")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("xóa")
