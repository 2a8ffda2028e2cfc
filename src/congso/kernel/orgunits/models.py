"""Administrative units (effective-dated tree), their people's committees and departments."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q


class AdminUnitLevel(models.TextChoices):
    PROVINCE = "province", "Tỉnh/Thành phố"
    DISTRICT = "district", "Quận/Huyện (đến 30/06/2025)"
    WARD = "ward", "Phường"
    COMMUNE = "commune", "Xã"
    TOWNSHIP = "township", "Thị trấn (đến 30/06/2025)"
    SPECIAL_ZONE = "special_zone", "Đặc khu"


class AdminUnitQuerySet(models.QuerySet["AdminUnit"]):
    def valid_on(self, day: dt.date) -> AdminUnitQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class AdminUnit(models.Model):
    """A territorial unit and, with it, its people's committee (UBND).

    Units are never deleted: a unit abolished by a reform gets ``valid_to`` and stays for the
    records made under it. ``code`` is the statistics code of ``dataset`` (old and new codes
    overlap, so the pair is unique, not the code).
    """

    name = models.CharField("tên", max_length=200)
    level = models.CharField("cấp", max_length=20, choices=AdminUnitLevel.choices)
    code = models.CharField("mã thống kê", max_length=20)
    dataset = models.CharField(
        "bộ dữ liệu",
        max_length=60,
        help_text="Nguồn và phiên bản của mã, ví dụ vietnam-provinces:2025.10.1 (sau 01/07/2025).",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    # The committee of this unit.
    committee_name = models.CharField(
        "tên cơ quan",
        max_length=255,
        blank=True,
        help_text="Ví dụ: Ủy ban nhân dân phường Tây Hồ.",
    )
    org_code = models.CharField(
        "mã định danh cơ quan",
        max_length=40,
        blank=True,
        help_text="Mã định danh điện tử (chuỗi, không phân tích vị trí).",
    )
    abbreviation = models.CharField(
        "viết tắt cơ quan",
        max_length=20,
        default="UBND",
        help_text="Dùng trong ký hiệu văn bản, ví dụ 05/QĐ-UBND.",
    )
    # The unit's territory as a GeoJSON Polygon/MultiPolygon geometry (WGS 84, [lon, lat]); used
    # to place field reports and works in a ward and to draw the offline map. Edited by admins.
    boundary = models.JSONField("ranh giới (GeoJSON)", null=True, blank=True)
    is_served = models.BooleanField(
        "dùng hệ thống",
        default=False,
        help_text="Cơ quan này có cán bộ làm việc trên Công sở số.",
    )

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = "đơn vị hành chính"
        verbose_name_plural = "đơn vị hành chính"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "code"], name="adminunit_dataset_code"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="adminunit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_committee(self) -> str:
        return self.committee_name or f"Ủy ban nhân dân {self.name[:1].lower()}{self.name[1:]}"

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class UnitSuccession(models.Model):
    """Old → new mapping from a reform: one old unit may go (in part) to several new ones."""

    old = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="successors_links")
    new = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="predecessor_links")
    partial = models.BooleanField("một phần", default=False)
    effective = models.DateField("ngày hiệu lực")
    legal_basis = models.CharField("căn cứ", max_length=200, blank=True)

    class Meta:
        verbose_name = "sắp xếp đơn vị"
        verbose_name_plural = "sắp xếp đơn vị"
        constraints = [
            models.UniqueConstraint(fields=["old", "new"], name="succession_old_new"),
        ]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}{' (một phần)' if self.partial else ''}"


class DepartmentKind(models.TextChoices):
    OFFICE = "office", "Văn phòng"
    DIVISION = "division", "Phòng chuyên môn"
    SERVICE_CENTRE = "service_centre", "Trung tâm phục vụ hành chính công"
    LEADERSHIP = "leadership", "Lãnh đạo"
    OTHER = "other", "Khác"


class Department(models.Model):
    """An internal unit of a committee (phòng, ban, bộ phận)."""

    unit = models.ForeignKey(
        AdminUnit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField("tên", max_length=200)
    abbreviation = models.CharField(
        "viết tắt", max_length=20, help_text="Dùng trong ký hiệu công văn, ví dụ 123/UBND-VP."
    )
    kind = models.CharField("loại", max_length=20, choices=DepartmentKind.choices)
    org_code = models.CharField("mã định danh", max_length=40, blank=True)
    is_active = models.BooleanField("đang hoạt động", default=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "phòng, ban"
        verbose_name_plural = "phòng, ban"
        ordering = ["unit", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "abbreviation"], name="department_unit_abbr"),
        ]

    def __str__(self) -> str:
        return self.name


class DatasetImport(models.Model):
    """Which version of which dataset was imported, and when."""

    source = models.CharField("nguồn", max_length=60)
    version = models.CharField("phiên bản", max_length=40)
    scope = models.CharField(
        "phạm vi",
        max_length=60,
        blank=True,
        help_text="Trống: cả nước; hoặc mã tỉnh/thành phố đã lọc, ví dụ 01 (Hà Nội).",
    )
    imported_at = models.DateTimeField("thời điểm nhập", auto_now_add=True)
    units_created = models.PositiveIntegerField("số đơn vị thêm mới", default=0)
    units_updated = models.PositiveIntegerField("số đơn vị cập nhật", default=0)
    units_unchanged = models.PositiveIntegerField("số đơn vị không đổi", default=0)
    successions_created = models.PositiveIntegerField("số quan hệ sắp xếp thêm mới", default=0)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "lần nhập dữ liệu"
        verbose_name_plural = "lần nhập dữ liệu"
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        scope = f" ({self.scope})" if self.scope else ""
        return f"{self.source} {self.version}{scope}"
