"""Construction order (trật tự xây dựng): works, inspections, violations. No workflow here (that is
``services.py``); the order of a violation's steps is ``services.VIOLATION_TRANSITIONS``.

Decree 16/2022/NĐ-CP Art. 16 (shared/domain/vietnam-rules.md §7): the violation categories;
Art. 81: record + stop-work order, a remedy period, the sanction decision with forced dismantling,
enforcement. The remedy period per category is :class:`CategoryDeadline` (admin-editable).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from congso.kernel.files.models import StoredFile
from congso.kernel.orgunits.models import AdminUnit


class WorkStatus(models.TextChoices):
    STARTED = "started", "Mới khởi công"
    UNDER_CONSTRUCTION = "under_construction", "Đang thi công"
    COMPLETED = "completed", "Đã hoàn thành"
    STOPPED = "stopped", "Đã dừng thi công"


class OwnerKind(models.TextChoices):
    PERSON = "person", "Cá nhân, hộ gia đình"
    ORGANISATION = "organisation", "Tổ chức"


class PermitStatus(models.TextChoices):
    LICENSED = "licensed", "Có giấy phép xây dựng"
    EXEMPT = "exempt", "Miễn giấy phép"
    NONE = "none", "Không có giấy phép"
    UNKNOWN = "unknown", "Chưa xác định"


class Work(models.Model):
    """A construction work (công trình) in a ward's register."""

    unit = models.ForeignKey(
        AdminUnit,
        on_delete=models.PROTECT,
        related_name="construction_works",
        verbose_name="phường",
    )
    code = models.CharField("mã công trình", max_length=30)
    name = models.CharField("tên công trình", max_length=300, blank=True, default="")
    address = models.CharField("địa chỉ", max_length=300)
    lat = models.FloatField("vĩ độ", null=True, blank=True)
    lon = models.FloatField("kinh độ", null=True, blank=True)
    owner_kind = models.CharField(
        "loại chủ đầu tư", max_length=16, choices=OwnerKind.choices, default=OwnerKind.PERSON
    )
    owner_name = models.CharField("chủ đầu tư", max_length=200)
    owner_contact = models.CharField("liên hệ", max_length=200, blank=True, default="")
    description = models.TextField("mô tả", blank=True, default="")
    permit_status = models.CharField(
        "giấy phép", max_length=16, choices=PermitStatus.choices, default=PermitStatus.UNKNOWN
    )
    permit_number = models.CharField("số giấy phép", max_length=60, blank=True, default="")
    permit_date = models.DateField("ngày cấp", null=True, blank=True)
    permit_issuer = models.CharField("cơ quan cấp", max_length=200, blank=True, default="")
    permit_floors = models.PositiveSmallIntegerField("số tầng được phép", null=True, blank=True)
    permit_floor_area = models.DecimalField(
        "tổng diện tích sàn được phép (m²)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    exempt_reason = models.CharField("lý do miễn giấy phép", max_length=300, blank=True, default="")
    status = models.CharField(
        "tình trạng", max_length=24, choices=WorkStatus.choices, default=WorkStatus.STARTED
    )
    started_on = models.DateField("ngày khởi công", null=True, blank=True)
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    source_ref = models.CharField("nguồn", max_length=100, blank=True, default="")
    # Kept in step by services (``services.work_flags_refresh``) so that the control rate and the
    # overdue filters are one indexed count: the last inspection's date, and the earliest remedy
    # deadline among the work's open violations.
    last_inspected_on = models.DateField("kiểm tra gần nhất", null=True, blank=True)
    open_deadline = models.DateField("hạn khắc phục sớm nhất còn mở", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("đăng ký lúc", default=timezone.now)
    updated_at = models.DateTimeField("cập nhật lúc", default=timezone.now)

    class Meta:
        verbose_name = "công trình"
        verbose_name_plural = "công trình xây dựng"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="urban_work_unit_code_unique"),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="urban_work_unit_status"),
            models.Index(fields=["unit", "-created_at", "-id"], name="urban_work_unit_created"),
            models.Index(fields=["unit", "lat", "lon"], name="urban_work_unit_lat_lon"),
            models.Index(fields=["unit", "completed_on"], name="urban_work_unit_completed"),
            # works_in_period for a past period (created before its end): a covering count.
            models.Index(
                fields=["unit", "created_at", "completed_on"], name="urban_work_unit_period"
            ),
            models.Index(
                fields=["unit", "last_inspected_on", "open_deadline", "completed_on"],
                name="urban_work_control2",
            ),
            models.Index(fields=["unit", "open_deadline"], name="urban_work_open_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.address}"

    @property
    def has_overdue(self) -> bool:
        """An open violation's remedy deadline has passed (deadline < today)."""
        return self.open_deadline is not None and self.open_deadline < timezone.localdate()


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", "Kế hoạch kiểm tra"
    DONE = "done", "Đã kiểm tra"


class InspectionResult(models.TextChoices):
    COMPLIANT = "compliant", "Đúng quy định"
    VIOLATION = "violation", "Có vi phạm"


class Inspection(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="inspections")
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        "trạng thái", max_length=16, choices=InspectionStatus.choices, default=InspectionStatus.DONE
    )
    planned_on = models.DateField("ngày dự kiến", null=True, blank=True)
    inspected_on = models.DateField("ngày kiểm tra", null=True, blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="cán bộ kiểm tra",
    )
    findings = models.TextField("nội dung kiểm tra", blank=True, default="")
    result = models.CharField(
        "kết quả", max_length=16, choices=InspectionResult.choices, blank=True, default=""
    )
    source_ref = models.CharField("nguồn", max_length=100, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "lần kiểm tra"
        verbose_name_plural = "kiểm tra công trình"
        ordering = ["-inspected_on", "-id"]
        indexes = [
            models.Index(fields=["work", "status", "inspected_on"], name="urban_insp_work_date"),
            models.Index(fields=["unit", "inspected_on"], name="urban_insp_unit_date"),
        ]

    def __str__(self) -> str:
        return f"Kiểm tra {self.work.code} {self.inspected_on or self.planned_on or ''}"


class InspectionPhoto(models.Model):
    """A photo taken during an inspection, with where it was taken (form or EXIF GPS)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    lat = models.FloatField("vĩ độ", null=True, blank=True)
    lon = models.FloatField("kinh độ", null=True, blank=True)
    location_source = models.CharField("nguồn vị trí", max_length=8, blank=True, default="")
    taken_at = models.DateTimeField("chụp lúc", null=True, blank=True)
    caption = models.CharField("chú thích", max_length=300, blank=True, default="")

    class Meta:
        verbose_name = "ảnh kiểm tra"
        verbose_name_plural = "ảnh kiểm tra"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Ảnh {self.pk} ({self.inspection_id})"


class ViolationCategory(models.TextChoices):
    """Decree 16/2022 Art. 16 (vietnam-rules §7)."""

    NO_PERMIT = "no_permit", "Xây dựng không có giấy phép"
    AGAINST_PERMIT = "against_permit", "Xây dựng sai nội dung giấy phép"
    AGAINST_PLAN = "against_plan", "Xây dựng sai quy hoạch được duyệt"
    ENCROACHMENT = "encroachment", "Lấn chiếm đất công, hành lang bảo vệ, chỉ giới"
    SITE_NOT_SCREENED = "site_not_screened", "Không che chắn công trường, làm rơi vãi vật liệu"
    PERMIT_NOT_DISPLAYED = "permit_not_displayed", "Không công khai giấy phép tại công trường"
    CONTINUING = "continuing", "Tiếp tục thi công sau khi đã lập biên bản"
    REPEAT = "repeat", "Tái phạm"


class DayKind(models.TextChoices):
    CALENDAR = "calendar", "Ngày theo lịch"
    WORKING = "working", "Ngày làm việc"


class CategoryDeadline(models.Model):
    """The remedy period of one category (configurable by administrators; [M] defaults)."""

    category = models.CharField(
        "hành vi", max_length=32, choices=ViolationCategory.choices, unique=True
    )
    days = models.PositiveSmallIntegerField("thời hạn khắc phục (ngày)")
    day_kind = models.CharField(
        "cách tính", max_length=16, choices=DayKind.choices, default=DayKind.CALENDAR
    )
    note = models.CharField("căn cứ, ghi chú", max_length=300, blank=True, default="")

    class Meta:
        verbose_name = "thời hạn khắc phục theo hành vi"
        verbose_name_plural = "thời hạn khắc phục theo hành vi"
        ordering = ["category"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.days} {self.get_day_kind_display().lower()}"


class ViolationStatus(models.TextChoices):
    RECORDED = "recorded", "Đã lập biên bản"
    STOP_ORDERED = "stop_ordered", "Đã đình chỉ thi công"
    SANCTIONED = "sanctioned", "Đã ra quyết định xử phạt"
    DISMANTLED = "dismantled", "Đã tháo dỡ"
    ENFORCED = "enforced", "Đã cưỡng chế"
    CLOSED = "closed", "Đã kết thúc"


class Violation(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="violations")
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.SET_NULL, related_name="violations"
    )
    category = models.CharField("hành vi vi phạm", max_length=32, choices=ViolationCategory.choices)
    description = models.TextField("mô tả vi phạm")
    status = models.CharField(
        "trạng thái",
        max_length=16,
        choices=ViolationStatus.choices,
        default=ViolationStatus.RECORDED,
    )
    record_number = models.PositiveIntegerField("số biên bản")
    record_year = models.PositiveSmallIntegerField("năm")
    record_date = models.DateField("ngày lập biên bản")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    remedy_deadline = models.DateField("hạn khắc phục", null=True, blank=True)
    stop_order_number = models.PositiveIntegerField("số quyết định đình chỉ", null=True, blank=True)
    stop_order_date = models.DateField("ngày đình chỉ", null=True, blank=True)
    sanction_number = models.CharField(
        "số quyết định xử phạt", max_length=60, blank=True, default=""
    )
    sanction_date = models.DateField("ngày quyết định xử phạt", null=True, blank=True)
    fine_amount = models.DecimalField(
        "tiền phạt (đồng)", max_digits=14, decimal_places=0, default=Decimal(0)
    )
    fine_paid = models.BooleanField("đã nộp phạt", default=False)
    dismantling_required = models.BooleanField("buộc tháo dỡ", default=False)
    dismantled_on = models.DateField("ngày tháo dỡ xong", null=True, blank=True)
    enforced_on = models.DateField("ngày cưỡng chế", null=True, blank=True)
    enforcement_measures = models.TextField("biện pháp cưỡng chế", blank=True, default="")
    closed_on = models.DateField("ngày kết thúc", null=True, blank=True)
    closure_note = models.TextField("kết quả xử lý", blank=True, default="")
    reminded_before_on = models.DateField(null=True, blank=True)
    reminded_overdue_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "vi phạm trật tự xây dựng"
        verbose_name_plural = "vi phạm trật tự xây dựng"
        ordering = ["-record_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "record_year", "record_number"],
                name="urban_violation_record_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["unit", "status", "remedy_deadline"], name="urban_viol_unit_deadline"
            ),
            models.Index(fields=["work", "status"], name="urban_viol_work_status"),
            models.Index(fields=["unit", "record_date"], name="urban_viol_unit_date"),
        ]

    def __str__(self) -> str:
        return f"BB {self.record_number}/{self.record_year} · {self.get_category_display()}"

    @property
    def record_label(self) -> str:
        return f"{self.record_number:02d}/BB-VPHC"

    @property
    def stop_order_label(self) -> str:
        return f"{self.stop_order_number:02d}/QĐ-ĐCTC" if self.stop_order_number else ""

    def is_overdue(self, today: object = None) -> bool:
        day = today or timezone.localdate()
        return bool(
            self.status != ViolationStatus.CLOSED
            and self.remedy_deadline is not None
            and self.remedy_deadline < day  # type: ignore[operator]
        )


class TimelineEntry(models.Model):
    """One dated step in a work's history (shown on its page; the audit log keeps the proof)."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="timeline")
    violation = models.ForeignKey(
        Violation, null=True, blank=True, on_delete=models.CASCADE, related_name="timeline"
    )
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=40)
    day = models.DateField("ngày")
    text = models.CharField(max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day", "id"]
        verbose_name = "diễn biến"
        verbose_name_plural = "diễn biến"

    def __str__(self) -> str:
        return f"{self.day} {self.text}"
