"""Field reports (phản ánh hiện trường, issue 6) — data only; the workflow is in services.py.

A citizen files a :class:`FieldReport` from the portal (or any Open311 client); the ward triages
it (accept, refuse, merge, assign, set the level), answers publicly and closes it; the citizen
follows it by its tracking code and rates the outcome once. Categories are admin-editable
(:class:`ReportCategory`). Time limits in working hours follow iHanoi's rules (vietnam-rules §8).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReportLevel(models.TextChoices):
    """Mức độ (Decision 1207/QĐ-UBND of Hà Nội, iHanoi): urgent, complex, normal."""

    URGENT = "urgent", "Khẩn"
    COMPLEX = "complex", "Phức tạp"
    NORMAL = "normal", "Bình thường"


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", "Chờ tiếp nhận"
    ACCEPTED = "accepted", "Đã tiếp nhận, chờ xử lý"
    ASSIGNED = "assigned", "Đang xử lý"
    ANSWERED = "answered", "Đã trả lời"
    CLOSED = "closed", "Đã xử lý xong"
    REFUSED = "refused", "Từ chối"
    MERGED = "merged", "Đã gộp vào phản ánh khác"


#: Still waiting for the ward (Open311 "open").
OPEN_STATUSES = frozenset({ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.ASSIGNED})
#: Being handled after receipt: the handling time limit runs.
HANDLING_STATUSES = frozenset({ReportStatus.ACCEPTED, ReportStatus.ASSIGNED})
#: Accepted by the ward and not refused or merged away: published (description, photos) in the
#: public lists when ``URBAN_REPORT_PUBLISH`` is "accepted" (the default).
PUBLISHED_STATUSES = frozenset(
    {ReportStatus.ACCEPTED, ReportStatus.ASSIGNED, ReportStatus.ANSWERED, ReportStatus.CLOSED}
)
#: The citizen may rate the outcome.
RATEABLE_STATUSES = frozenset({ReportStatus.ANSWERED, ReportStatus.CLOSED})


class ReportChannel(models.TextChoices):
    PORTAL = "portal", "Cổng thông tin"
    OPEN311 = "open311", "Ứng dụng Open311"
    STAFF = "staff", "Cán bộ nhập"


class ReportCategory(models.Model):
    """A kind of problem citizens report (môi trường, giao thông, chiếu sáng…): the Open311
    service. Administrators edit the list; ``code`` is the stable Open311 ``service_code``."""

    code = models.SlugField("mã", max_length=40, unique=True)
    name = models.CharField("tên lĩnh vực", max_length=120)
    description = models.CharField("mô tả", max_length=400, blank=True)
    group = models.CharField("nhóm", max_length=80, blank=True)
    keywords = models.CharField("từ khóa", max_length=200, blank=True)
    default_department = models.CharField(
        "phòng/bộ phận xử lý mặc định (ký hiệu)",
        max_length=20,
        blank=True,
        help_text="Ký hiệu phòng ban của phường (ví dụ KT); tìm trong phường nhận phản ánh.",
    )
    allows_anonymous = models.BooleanField("cho phép phản ánh ẩn danh", default=True)
    default_level = models.CharField(
        "mức độ mặc định", max_length=10, choices=ReportLevel.choices, default=ReportLevel.NORMAL
    )
    is_construction = models.BooleanField(
        "về trật tự xây dựng", default=False, help_text="Có thể mở kiểm tra công trình."
    )
    attributes = models.JSONField(
        "thuộc tính bổ sung (Open311)",
        default=list,
        blank=True,
        help_text="Danh sách thuộc tính Open311: code, description, datatype, required, values.",
    )
    order = models.PositiveSmallIntegerField("thứ tự", default=100)
    is_active = models.BooleanField("đang dùng", default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "lĩnh vực phản ánh"
        verbose_name_plural = "lĩnh vực phản ánh"

    def __str__(self) -> str:
        return self.name


class FieldReport(models.Model):
    unit = models.ForeignKey(
        "orgunits.AdminUnit", on_delete=models.PROTECT, related_name="field_reports"
    )
    category = models.ForeignKey(ReportCategory, on_delete=models.PROTECT, related_name="reports")
    #: Non-guessable public id (Open311 ``service_request_id``): ``PA-`` + 10 base32 characters.
    tracking_code = models.CharField("mã theo dõi", max_length=20, unique=True)
    channel = models.CharField(max_length=10, choices=ReportChannel.choices)
    description = models.TextField("nội dung phản ánh")
    lat = models.FloatField("vĩ độ", null=True, blank=True)
    lon = models.FloatField("kinh độ", null=True, blank=True)
    address = models.CharField("địa chỉ", max_length=300, blank=True)
    attributes = models.JSONField(default=dict, blank=True)

    reporter_name = models.CharField("họ tên người phản ánh", max_length=120, blank=True)
    reporter_phone = models.CharField("điện thoại", max_length=20, blank=True)
    reporter_email = models.EmailField("thư điện tử", blank=True)
    open311_token = models.CharField(max_length=40, blank=True, db_index=True)
    open311_client = models.CharField(max_length=100, blank=True)

    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    level = models.CharField(max_length=10, choices=ReportLevel.choices)
    received_at = models.DateTimeField("thời điểm gửi")
    receipt_due_at = models.DateTimeField("hạn tiếp nhận")
    accepted_at = models.DateTimeField(null=True, blank=True)
    handle_due_at = models.DateTimeField("hạn xử lý", null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    #: Working hours from receipt to the public answer, and whether it met the limit (stored at
    #: answer time so the dashboard aggregates without recomputing the calendar).
    answer_hours = models.FloatField(null=True, blank=True)
    answered_on_time = models.BooleanField(null=True, blank=True)

    department = models.ForeignKey(
        "orgunits.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_field_reports",
    )
    refuse_reason = models.TextField("lý do từ chối", blank=True)
    public_answer = models.TextField("trả lời công khai", blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    inspection_ref = models.CharField("kiểm tra công trình", max_length=200, blank=True)

    rating = models.PositiveSmallIntegerField("đánh giá", null=True, blank=True)
    rating_comment = models.CharField("nhận xét", max_length=500, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    receipt_reminded_at = models.DateTimeField(null=True, blank=True)
    handle_reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "phản ánh hiện trường"
        verbose_name_plural = "phản ánh hiện trường"
        indexes = [
            # Covering (PostgreSQL INCLUDE; ignored elsewhere): the map layer and the dashboard
            # figures are index-only scans at 1M rows, whatever the heap's order.
            models.Index(
                fields=["unit", "lat", "lon"],
                name="urbrep_unit_latlon",
                include=[
                    "id",
                    "status",
                    "level",
                    "category",
                    "tracking_code",
                    "receipt_due_at",
                    "handle_due_at",
                ],
            ),
            models.Index(
                fields=["unit", "received_at"],
                name="urbrep_unit_received",
                include=[
                    "id",
                    "status",
                    "level",
                    "category",
                    "receipt_due_at",
                    "handle_due_at",
                    "answered_at",
                    "answer_hours",
                    "answered_on_time",
                    "rating",
                ],
            ),
            models.Index(fields=["status", "unit"], name="urbrep_status_unit"),
            models.Index(fields=["received_at"], name="urbrep_received"),
            models.Index(fields=["category", "status"], name="urbrep_category_status"),
            # The dashboard summary's incremental refresh (reports changed since the last one).
            models.Index(fields=["updated_at"], name="urbrep_updated"),
            # The dashboard's live overdue count (open statuses of a ward and period): covering.
            # Not partial: SQLite cannot match a partial index's condition to bound parameters.
            models.Index(
                fields=["unit", "status", "received_at", "receipt_due_at", "handle_due_at"],
                name="urbrep_unit_status_received",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="urbrep_rating_1_5",
            ),
            models.CheckConstraint(
                condition=(Q(lat__isnull=True) & Q(lon__isnull=True))
                | (Q(lat__gte=-90, lat__lte=90) & Q(lon__gte=-180, lon__lte=180)),
                name="urbrep_latlon_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"Phản ánh {self.tracking_code}"

    @property
    def is_anonymous(self) -> bool:
        return not (self.reporter_name or self.reporter_phone or self.reporter_email)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReportDaySummary(models.Model):
    """Pre-aggregated dashboard figures (issue 6 benchmark): per ward, day received (Asia/
    Ho_Chi_Minh) and category, the counts and sums the dashboard needs. Rebuilt incrementally
    from ``FieldReport.updated_at`` by ``selectors.summary_refresh`` (task
    ``reports_summary_refresh`` / ``manage.py urban_reports_summary``); the figures are as of
    ``ReportSummaryState.refreshed_at``. Never edited by hand."""

    unit = models.ForeignKey(
        "orgunits.AdminUnit", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    category = models.ForeignKey(
        ReportCategory, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    n = models.PositiveIntegerField(default=0)
    waiting = models.PositiveIntegerField(default=0)
    in_process = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    merged = models.PositiveIntegerField(default=0)
    urgent = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    answer_hours_sum = models.FloatField(default=0)
    answer_hours_n = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "tổng hợp phản ánh theo ngày"
        verbose_name_plural = "tổng hợp phản ánh theo ngày"
        constraints = [
            models.UniqueConstraint(fields=["unit", "day", "category"], name="urbrep_sum_key")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day:%d/%m/%Y} {self.category_id}: {self.n}"


class ReportSummaryState(models.Model):
    """One row: when :class:`ReportDaySummary` was last brought up to date."""

    key = models.CharField(max_length=16, unique=True, default="reports")
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = "trạng thái tổng hợp phản ánh"
        verbose_name_plural = "trạng thái tổng hợp phản ánh"

    def __str__(self) -> str:
        return f"{self.key}: {self.refreshed_at:%d/%m/%Y %H:%M}"
