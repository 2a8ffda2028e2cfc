"""The working-day calendar's own data: each year's official notice and the working hours.

The Vietnamese holidays themselves come from the ``holidays`` library (lunar dates at UTC+7,
compensatory days, swaps it knows of). ``OfficialDay`` is the administrator's table of what each
year's official notice (thông báo của Bộ Nội vụ / Bộ LĐ-TB&XH, công văn của Văn phòng Chính phủ)
decided; for its date it wins over the library. See docs/decisions/0002-working-day-calendar.md.

Writes go through ``congso.kernel.calendar.services`` (``official_day_save``,
``official_day_delete``, ``working_hours_set``): they keep the calendar cache in step and record
an audit event.
"""

from __future__ import annotations

from django.db import models


class OfficialDayKind(models.TextChoices):
    DAY_OFF = "day_off", "Ngày nghỉ (lễ, Tết, nghỉ bù, hoán đổi)"
    WORKING_DAY = "working_day", "Ngày làm việc (làm bù)"


UNVERIFIED = "[chưa xác minh]"


class OfficialDay(models.Model):
    """One date as decided by a year's official notice.

    ``day_off`` makes the date a day off (a holiday, a compensatory day, a swapped day);
    ``working_day`` makes it a working day (a make-up Saturday, or a weekday the library predicted
    as a holiday that the official notice did not grant).
    """

    date = models.DateField("ngày", unique=True)
    kind = models.CharField("loại", max_length=20, choices=OfficialDayKind.choices)
    name = models.CharField(
        "tên gọi", max_length=200, help_text="Ví dụ: Tết Nguyên Đán; Làm bù cho thứ Hai 27/01/2025."
    )
    legal_basis = models.CharField(
        "căn cứ",
        max_length=300,
        blank=True,
        help_text=(
            "Số, ký hiệu văn bản hoặc nguồn, ví dụ 9441/TB-BNV. "
            f"Ghi “{UNVERIFIED}” khi chưa đối chiếu với văn bản gốc."
        ),
    )
    year = models.PositiveSmallIntegerField("năm", db_index=True, editable=False)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "ngày theo thông báo chính thức"
        verbose_name_plural = "ngày theo thông báo chính thức"
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OfficialDayKind.values),
                name="calendar_officialday_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=1990) & models.Q(year__lte=2100),
                name="calendar_officialday_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} · {self.get_kind_display()} · {self.name}"

    @property
    def is_verified(self) -> bool:
        return bool(self.legal_basis.strip()) and UNVERIFIED not in self.legal_basis


class WorkingHours(models.Model):
    """The deployment's working hours (one row at most; without it ``settings.WORKING_HOURS``).

    ``periods`` is written like the setting: ``"08:00-12:00,13:00-17:00"`` (local time,
    Asia/Ho_Chi_Minh), the same on every working day.
    """

    singleton = models.PositiveSmallIntegerField(default=1, unique=True, editable=False)
    periods = models.CharField(
        "giờ làm việc",
        max_length=200,
        help_text=(
            "Các khoảng giờ trong ngày, cách nhau bằng dấu phẩy, ví dụ 08:00-12:00,13:00-17:00."
        ),
    )
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "giờ làm việc"
        verbose_name_plural = "giờ làm việc"
        constraints = [
            models.CheckConstraint(condition=models.Q(singleton=1), name="calendar_hours_singleton")
        ]

    def __str__(self) -> str:
        return self.periods
