"""Site clearance (giải phóng mặt bằng, GPMB): projects, affected households and organisations,
their steps under the Land Law 2024 (Art. 87–94), obstacles and the timeline.

No workflow here (that is ``services.py``). Each affected party moves through ``Step`` in order;
the date of every step is kept on the party (for time-per-step figures) and every change is a
``ClearanceEvent`` (the project's timeline) plus an audit event.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q


class ProjectStatus(models.TextChoices):
    PLANNING = "planning", "Chuẩn bị"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    SUSPENDED = "suspended", "Tạm dừng"
    COMPLETED = "completed", "Hoàn thành GPMB"
    CANCELLED = "cancelled", "Hủy bỏ"


OPEN_PROJECT_STATUSES = (ProjectStatus.PLANNING, ProjectStatus.IN_PROGRESS, ProjectStatus.SUSPENDED)


class ClearanceProject(models.Model):
    unit = models.ForeignKey(
        "orgunits.AdminUnit",
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        related_name="clearance_projects",
    )
    code = models.CharField("mã dự án", max_length=30)
    name = models.CharField("tên dự án", max_length=300)
    investor = models.CharField("chủ đầu tư", max_length=300, blank=True)
    purpose = models.TextField("mục đích thu hồi đất", blank=True)
    area_m2 = models.DecimalField(
        "diện tích thu hồi (m²)", max_digits=14, decimal_places=2, default=Decimal("0")
    )
    address = models.CharField("địa điểm", max_length=300, blank=True)
    # A point (for the map) and optionally the boundary (GeoJSON Polygon/MultiPolygon).
    lat = models.DecimalField("vĩ độ", max_digits=9, decimal_places=6, null=True, blank=True)
    lon = models.DecimalField("kinh độ", max_digits=9, decimal_places=6, null=True, blank=True)
    boundary = models.JSONField("ranh giới (GeoJSON)", null=True, blank=True)
    start_date = models.DateField("ngày bắt đầu")
    target_date = models.DateField("ngày hoàn thành dự kiến", null=True, blank=True)
    status = models.CharField(
        "trạng thái",
        max_length=20,
        choices=ProjectStatus.choices,
        default=ProjectStatus.PLANNING,
    )
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    status_note = models.TextField("ghi chú trạng thái", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "dự án GPMB"
        verbose_name_plural = "dự án GPMB"
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="clearance_project_unit_code"),
            models.CheckConstraint(condition=Q(area_m2__gte=0), name="clearance_project_area"),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="clearance_proj_unit_status"),
            models.Index(fields=["unit", "start_date"], name="clearance_proj_unit_start"),
            models.Index(fields=["lat", "lon"], name="clearance_proj_latlon"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_PROJECT_STATUSES


class PartyKind(models.TextChoices):
    HOUSEHOLD = "household", "Hộ gia đình, cá nhân"
    ORGANISATION = "organisation", "Tổ chức"


class LandType(models.TextChoices):
    AGRICULTURAL = "agricultural", "Đất nông nghiệp"
    NON_AGRICULTURAL = "non_agricultural", "Đất phi nông nghiệp"


class Step(models.IntegerChoices):
    """The steps of one affected party, in the only order allowed (Land Law 2024 Art. 87)."""

    LISTED = 0, "Đã lập danh sách"
    NOTIFIED = 1, "Đã thông báo thu hồi đất"
    INVENTORIED = 2, "Đã kiểm đếm"
    PLAN_DRAFTED = 3, "Đã lập dự thảo phương án BT-HT-TĐC"
    PLAN_POSTED = 4, "Đã niêm yết công khai phương án"
    PLAN_APPROVED = 5, "Đã phê duyệt phương án"
    DECIDED = 6, "Đã có quyết định thu hồi đất"
    PAID = 7, "Đã chi trả bồi thường"
    HANDED_OVER = 8, "Đã bàn giao mặt bằng"


#: The date field on ``AffectedParty`` of each step after LISTED.
STEP_DATE_FIELDS: dict[int, str] = {
    Step.NOTIFIED: "notified_on",
    Step.INVENTORIED: "inventoried_on",
    Step.PLAN_DRAFTED: "plan_drafted_on",
    Step.PLAN_POSTED: "plan_posted_on",
    Step.PLAN_APPROVED: "plan_approved_on",
    Step.DECIDED: "decided_on",
    Step.PAID: "paid_on",
    Step.HANDED_OVER: "handed_over_on",
}


class AffectedParty(models.Model):
    """A household or organisation whose land the project recovers (hộ bị ảnh hưởng)."""

    project = models.ForeignKey(
        ClearanceProject, on_delete=models.CASCADE, related_name="parties", verbose_name="dự án"
    )
    code = models.CharField("mã hộ", max_length=30)
    kind = models.CharField(
        "loại", max_length=20, choices=PartyKind.choices, default=PartyKind.HOUSEHOLD
    )
    name = models.CharField("tên hộ/tổ chức", max_length=200)
    address = models.CharField("địa chỉ", max_length=300, blank=True)
    parcel = models.CharField("thửa đất (tờ/thửa)", max_length=100, blank=True)
    land_type = models.CharField(
        "loại đất", max_length=20, choices=LandType.choices, default=LandType.NON_AGRICULTURAL
    )
    area_m2 = models.DecimalField(
        "diện tích thu hồi (m²)", max_digits=12, decimal_places=2, default=Decimal("0")
    )
    note = models.TextField("ghi chú", blank=True)
    step = models.PositiveSmallIntegerField(
        "bước hiện tại", choices=Step.choices, default=Step.LISTED
    )
    notified_on = models.DateField("ngày thông báo thu hồi", null=True, blank=True)
    inventoried_on = models.DateField("ngày kiểm đếm", null=True, blank=True)
    forced_inventory = models.BooleanField("kiểm đếm bắt buộc", default=False)
    plan_drafted_on = models.DateField("ngày lập dự thảo phương án", null=True, blank=True)
    plan_amount = models.DecimalField(
        "số tiền dự thảo (đồng)", max_digits=18, decimal_places=0, null=True, blank=True
    )
    plan_posted_on = models.DateField("ngày niêm yết", null=True, blank=True)
    plan_approved_on = models.DateField("ngày phê duyệt phương án", null=True, blank=True)
    approved_amount = models.DecimalField(
        "số tiền được phê duyệt (đồng)", max_digits=18, decimal_places=0, null=True, blank=True
    )
    decided_on = models.DateField("ngày quyết định thu hồi", null=True, blank=True)
    decision_number = models.CharField("số quyết định thu hồi", max_length=60, blank=True)
    paid_on = models.DateField("ngày chi trả", null=True, blank=True)
    paid_amount = models.DecimalField(
        "số tiền đã chi trả (đồng)", max_digits=18, decimal_places=0, default=Decimal("0")
    )
    handed_over_on = models.DateField("ngày bàn giao mặt bằng", null=True, blank=True)
    forced_recovery = models.BooleanField("cưỡng chế thu hồi đất", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "hộ/tổ chức bị ảnh hưởng"
        verbose_name_plural = "hộ/tổ chức bị ảnh hưởng"
        ordering = ["project", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="clearance_party_code"),
            models.CheckConstraint(condition=Q(area_m2__gte=0), name="clearance_party_area"),
            models.CheckConstraint(condition=Q(paid_amount__gte=0), name="clearance_party_paid"),
        ]
        indexes = [models.Index(fields=["project", "step"], name="clearance_party_step")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_handed_over(self) -> bool:
        return self.step == Step.HANDED_OVER


class ObstacleReason(models.TextChoices):
    PRICE = "price", "Chưa đồng ý đơn giá, mức bồi thường"
    LAND_ORIGIN = "land_origin", "Vướng mắc nguồn gốc đất"
    RESETTLEMENT = "resettlement", "Đề nghị bố trí tái định cư"
    DISPUTE = "dispute", "Tranh chấp, thừa kế"
    ABSENT = "absent", "Chủ sử dụng vắng mặt, không liên hệ được"
    REFUSES_INVENTORY = "refuses_inventory", "Không hợp tác kiểm đếm"
    REFUSES_HANDOVER = "refuses_handover", "Không bàn giao mặt bằng"
    OTHER = "other", "Lý do khác"


class ClearanceObstacle(models.Model):
    """A reason a party is stuck (vướng mắc), open until resolved."""

    party = models.ForeignKey(
        AffectedParty, on_delete=models.CASCADE, related_name="obstacles", verbose_name="hộ"
    )
    reason = models.CharField("lý do", max_length=30, choices=ObstacleReason.choices)
    description = models.TextField("mô tả", blank=True)
    opened_on = models.DateField("từ ngày")
    resolved_on = models.DateField("ngày giải quyết", null=True, blank=True)
    resolution = models.TextField("cách giải quyết", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "vướng mắc"
        verbose_name_plural = "vướng mắc"
        ordering = ["-opened_on", "-pk"]
        indexes = [models.Index(fields=["party", "resolved_on"], name="clearance_obst_open")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.party})"

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None


class EventKind(models.TextChoices):
    PROJECT_CREATED = "project_created", "Lập dự án"
    PROJECT_UPDATED = "project_updated", "Sửa thông tin dự án"
    PROJECT_STATUS = "project_status", "Đổi trạng thái dự án"
    PARTIES_IMPORTED = "parties_imported", "Nhập danh sách hộ"
    PARTY_ADDED = "party_added", "Thêm hộ"
    STEP = "step", "Chuyển bước"
    FORCED_INVENTORY = "forced_inventory", "Kiểm đếm bắt buộc"
    FORCED_RECOVERY = "forced_recovery", "Cưỡng chế thu hồi đất"
    OBSTACLE_OPENED = "obstacle_opened", "Ghi nhận vướng mắc"
    OBSTACLE_RESOLVED = "obstacle_resolved", "Giải quyết vướng mắc"


class ClearanceEvent(models.Model):
    """One line of a project's timeline."""

    project = models.ForeignKey(
        ClearanceProject, on_delete=models.CASCADE, related_name="events", verbose_name="dự án"
    )
    party = models.ForeignKey(
        AffectedParty, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("loại", max_length=30, choices=EventKind.choices)
    step = models.PositiveSmallIntegerField("bước", choices=Step.choices, null=True, blank=True)
    on = models.DateField("ngày")
    amount = models.DecimalField(
        "số tiền (đồng)", max_digits=18, decimal_places=0, null=True, blank=True
    )
    note = models.TextField("ghi chú", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "sự kiện GPMB"
        verbose_name_plural = "sự kiện GPMB"
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["project", "on"], name="clearance_event_proj_on")]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.get_kind_display()}"
