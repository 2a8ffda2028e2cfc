"""Stored files: the bytes live in ``default_storage`` (local disk or S3) under a uuid-based
name; this row says what they are, who owns them and how to reach them through a
permission-checked view. There is no public media URL."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class StoredFile(models.Model):
    public_id = models.UUIDField("mã tệp", default=uuid.uuid4, unique=True, editable=False)
    storage_name = models.CharField(
        "tên lưu trữ",
        max_length=255,
        unique=True,
        editable=False,
        help_text="Khóa trong kho lưu trữ (theo ngày và mã tệp, không dùng tên người gửi).",
    )
    original_name = models.CharField("tên tệp", max_length=255)
    kind = models.CharField("loại", max_length=16, help_text="Loại nhận dạng từ nội dung.")
    content_type = models.CharField("kiểu nội dung", max_length=120)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tải lên",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        "orgunits.AdminUnit",
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        related_name="stored_files",
        help_text="Đơn vị sở hữu; quyết định ai được xem tệp.",
    )
    owner_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_id = models.CharField(max_length=64, blank=True, default="")
    owner = GenericForeignKey("owner_type", "owner_id")
    created_at = models.DateTimeField("tải lên lúc", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "tệp"
        verbose_name_plural = "tệp"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner_type", "owner_id"], name="files_owner_idx"),
            models.Index(fields=["unit", "sha256"], name="files_unit_sha256_idx"),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_inline_viewable(self) -> bool:
        """Browsers show these themselves (the ``xem/`` view); others are downloaded."""
        return self.kind in {"pdf", "png", "jpeg"}
