"""What digitisation made and where it stands.

``DigitizedCopy``: a stored file (PDF or image) and its searchable copy (another StoredFile of
the same owner; the same file when the original already had a text layer).
``DigitizationJob``: the digitisation of one owner's files (a document, a dossier): status,
attempts, the last error, timestamps, so that nothing is stuck silently.
The owner is generic (content type + id) so that the kernel never imports a domain app.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class DigitizedCopy(models.Model):
    original = models.OneToOneField(
        "files.StoredFile",
        verbose_name="tệp gốc",
        on_delete=models.CASCADE,
        related_name="digitized_copy",
    )
    searchable = models.ForeignKey(
        "files.StoredFile",
        verbose_name="bản tìm kiếm được",
        on_delete=models.CASCADE,
        related_name="digitized_from",
        help_text="Bản PDF có lớp chữ; trùng với tệp gốc khi tệp gốc đã có lớp chữ.",
    )
    pages = models.PositiveIntegerField("số trang", default=0)
    ocr_pages = models.PositiveIntegerField("số trang nhận dạng chữ", default=0)
    engine = models.CharField("công cụ", max_length=120, blank=True)
    seconds = models.FloatField("thời gian (giây)", default=0.0)
    pdfa = models.BooleanField("PDF/A", default=False)
    text = models.TextField("nội dung chữ", blank=True)
    created_at = models.DateTimeField("số hóa lúc", default=timezone.now)

    class Meta:
        verbose_name = "bản số hóa"
        verbose_name_plural = "bản số hóa"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original} → {self.searchable}"

    @property
    def is_original(self) -> bool:
        """The original already carried its text (no new file was made)."""
        return self.searchable_id == self.original_id


class JobStatus(models.TextChoices):
    PENDING = "pending", "Chờ số hóa"
    PROCESSING = "processing", "Đang số hóa"
    DONE = "done", "Đã số hóa"
    FAILED = "failed", "Lỗi số hóa"


class DigitizationJob(models.Model):
    owner_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    owner_id = models.CharField(max_length=64)
    owner = GenericForeignKey("owner_type", "owner_id")
    unit = models.ForeignKey(
        "orgunits.AdminUnit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        "trạng thái", max_length=12, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("số lần đã chạy", default=0)
    max_attempts = models.PositiveSmallIntegerField("số lần tối đa", default=3)
    #: Changes at every claim: a worker whose run was taken over cannot overwrite the result.
    token = models.CharField(max_length=32, blank=True)
    task_id = models.CharField("mã tác vụ", max_length=64, blank=True)
    error_code = models.CharField("mã lỗi", max_length=40, blank=True)
    error = models.TextField("lỗi", blank=True)
    files_total = models.PositiveSmallIntegerField("số tệp", default=0)
    files_done = models.PositiveSmallIntegerField("số tệp đã xong", default=0)
    pages = models.PositiveIntegerField("số trang", default=0)
    ocr_pages = models.PositiveIntegerField("số trang nhận dạng chữ", default=0)
    seconds = models.FloatField("thời gian (giây)", default=0.0)
    queued_at = models.DateTimeField("vào hàng đợi lúc", default=timezone.now)
    run_after = models.DateTimeField("chạy sau", null=True, blank=True)
    started_at = models.DateTimeField("bắt đầu lúc", null=True, blank=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)

    class Meta:
        verbose_name = "lượt số hóa"
        verbose_name_plural = "lượt số hóa"
        constraints = [
            models.UniqueConstraint(fields=["owner_type", "owner_id"], name="ocr_job_owner_unique"),
        ]
        indexes = [models.Index(fields=["status", "started_at"], name="ocr_job_status_idx")]

    def __str__(self) -> str:
        return f"Số hóa {self.owner_type_id}:{self.owner_id} ({self.status})"
