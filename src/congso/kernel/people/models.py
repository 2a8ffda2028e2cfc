"""Users, positions in units, roles, delegations, secrecy clearance and API tokens."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Role(models.TextChoices):
    ADMIN = "admin", "Quản trị hệ thống"
    LEADER = "leader", "Lãnh đạo"
    CLERK = "clerk", "Văn thư"
    SPECIALIST = "specialist", "Chuyên viên"
    ONESTOP_OFFICER = "onestop_officer", "Cán bộ một cửa"
    INSPECTOR = "inspector", "Thanh tra, kiểm tra"


class Clearance(models.IntegerChoices):
    """Secrecy clearance; a document's secrecy uses the same scale (0 = ordinary)."""

    NONE = 0, "Không"
    SECRET = 1, "Mật"
    TOP_SECRET = 2, "Tối mật"
    ABSOLUTE_SECRET = 3, "Tuyệt mật"


class AccountKind(models.TextChoices):
    STAFF = "staff", "Cán bộ, công chức"
    CITIZEN = "citizen", "Người dân, doanh nghiệp"


class User(AbstractUser):
    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    kind = models.CharField(
        "loại tài khoản", max_length=10, choices=AccountKind.choices, default=AccountKind.STAFF
    )
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    clearance = models.PositiveSmallIntegerField(
        "mức được tiếp cận tài liệu mật", choices=Clearance.choices, default=Clearance.NONE
    )

    objects: UserManager[User] = UserManager()  # type: ignore[assignment,misc]

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    @property
    def is_citizen(self) -> bool:
        return self.kind == AccountKind.CITIZEN


class PositionQuerySet(models.QuerySet["Position"]):
    def active(self, on: dt.date | None = None) -> PositionQuerySet:
        day = on or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Position(models.Model):
    """A user's post in a unit (and optionally a department) with one role."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="positions")
    unit = models.ForeignKey(
        "orgunits.AdminUnit",
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        related_name="positions",
    )
    department = models.ForeignKey(
        "orgunits.Department",
        verbose_name="phòng, ban",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
    )
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    title = models.CharField(
        "chức danh", max_length=120, blank=True, help_text="Ví dụ: Phó Chủ tịch UBND phường."
    )
    valid_from = models.DateField("từ ngày", null=True, blank=True)
    valid_to = models.DateField("đến ngày", null=True, blank=True)
    is_primary = models.BooleanField("vị trí chính", default=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = "vị trí công tác"
        verbose_name_plural = "vị trí công tác"
        ordering = ["user", "-is_primary", "unit__name"]
        indexes = [models.Index(fields=["unit", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class DelegationKind(models.TextChoices):
    ACTING = "acting", "Quyền (thay thế)"
    AUTHORISED = "authorised", "Ủy quyền"


class Delegation(models.Model):
    """For a period, ``delegate`` acts for ``principal`` in ``unit`` (with the principal's role)."""

    principal = models.ForeignKey(
        User, verbose_name="người giao", on_delete=models.CASCADE, related_name="delegations_given"
    )
    delegate = models.ForeignKey(
        User,
        verbose_name="người nhận",
        on_delete=models.CASCADE,
        related_name="delegations_received",
    )
    unit = models.ForeignKey("orgunits.AdminUnit", verbose_name="đơn vị", on_delete=models.PROTECT)
    kind = models.CharField("hình thức", max_length=12, choices=DelegationKind.choices)
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")
    note = models.CharField("nội dung", max_length=255, blank=True)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)

    class Meta:
        verbose_name = "giao quyền, ủy quyền"
        verbose_name_plural = "giao quyền, ủy quyền"
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="delegation_range"
            ),
            models.CheckConstraint(
                condition=~Q(principal=models.F("delegate")), name="delegation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.principal} → {self.delegate} ({self.start:%d/%m/%Y}–{self.end:%d/%m/%Y})"


class ApiToken(models.Model):
    """A bearer token for integrators and scripts. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("tên", max_length=100, blank=True)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "khóa API"
        verbose_name_plural = "khóa API"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
