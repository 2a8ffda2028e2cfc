"""The statistics' summary table: one row per unit, procedure and day.

``DailyStat`` holds the period figures (received by channel, resolved by timeliness, working
hours spent, digitisation, ratings) so that a statistics page sums a few thousand rows instead of
scanning a million dossiers. It is derived data: ``summary.refresh()`` keeps it up to date from
the dossiers' events (every service writes a ``DossierEvent``) and ``summary.rebuild()`` rebuilds
it entirely (after bulk loads, and nightly as a safety net). Figures "as of now" (pending,
overdue) are never summarised: they are read live from the indexed dossier columns.

Which day a figure belongs to:
- received (desk/online/post), digitised, re-used data, refused: the day the dossier was filed
  (``submitted_at``, local date); "received" counts dossiers that were accepted (``received_at``
  set), "refused" those refused at intake;
- resolved early/on time/late, working hours spent, electronic result: the day of the result
  (``completed_at``);
- ratings: the day of the rating.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models


class DailyStat(models.Model):
    unit = models.ForeignKey("orgunits.AdminUnit", on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey(
        "procedures.Procedure", on_delete=models.CASCADE, related_name="+"
    )
    field = models.ForeignKey(
        "procedures.ProcedureField", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField("ngày")
    received_desk = models.PositiveIntegerField(default=0)
    received_online = models.PositiveIntegerField(default=0)
    received_post = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    digitised = models.PositiveIntegerField(default=0)
    reused = models.PositiveIntegerField(default=0)
    resolved_early = models.PositiveIntegerField(default=0)
    resolved_on_time = models.PositiveIntegerField(default=0)
    resolved_late = models.PositiveIntegerField(default=0)
    resolved_hours = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    resolved_electronic = models.PositiveIntegerField(default=0)
    rated_very_satisfied = models.PositiveIntegerField(default=0)
    rated_satisfied = models.PositiveIntegerField(default=0)
    rated_dissatisfied = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "số liệu tổng hợp theo ngày"
        verbose_name_plural = "số liệu tổng hợp theo ngày"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "day", "procedure"], name="procstats_daily_unit_day_proc"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.procedure_id}/{self.day:%d/%m/%Y}"


class MonthlyStat(models.Model):
    """The same figures per unit, procedure and month (``month`` = its first day), summed from
    ``DailyStat``: long periods read whole months here and only the partial months at the edges
    from the daily rows."""

    unit = models.ForeignKey("orgunits.AdminUnit", on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey(
        "procedures.Procedure", on_delete=models.CASCADE, related_name="+"
    )
    field = models.ForeignKey(
        "procedures.ProcedureField", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField("tháng")
    received_desk = models.PositiveIntegerField(default=0)
    received_online = models.PositiveIntegerField(default=0)
    received_post = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    digitised = models.PositiveIntegerField(default=0)
    reused = models.PositiveIntegerField(default=0)
    resolved_early = models.PositiveIntegerField(default=0)
    resolved_on_time = models.PositiveIntegerField(default=0)
    resolved_late = models.PositiveIntegerField(default=0)
    resolved_hours = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    resolved_electronic = models.PositiveIntegerField(default=0)
    rated_very_satisfied = models.PositiveIntegerField(default=0)
    rated_satisfied = models.PositiveIntegerField(default=0)
    rated_dissatisfied = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "số liệu tổng hợp theo tháng"
        verbose_name_plural = "số liệu tổng hợp theo tháng"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month", "procedure"], name="procstats_monthly_unit_month_proc"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.procedure_id}/{self.month:%m/%Y}"


class SummaryState(models.Model):
    """One row: how far the summary has followed the dossiers' events and ratings."""

    last_event_id = models.BigIntegerField(default=0)
    last_rating_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "trạng thái tổng hợp số liệu"
        verbose_name_plural = "trạng thái tổng hợp số liệu"

    def __str__(self) -> str:
        return f"event #{self.last_event_id}, rating #{self.last_rating_id}"
