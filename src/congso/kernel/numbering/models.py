"""Gap-free yearly sequences: one counter row per (scope, series, year).

The row is locked and incremented inside the caller's transaction (see ``services.number_next``
and docs/decisions/0003-gap-free-numbering.md), so a rolled-back caller takes its number back.
"""

from __future__ import annotations

from django.db import models


class Sequence(models.Model):
    """The last number issued in one series of one scope in one year.

    ``scope`` says whose numbers these are ("unit:42" for a committee, "unit:42:arrival" for its
    arrival register); ``series`` says which run of numbers ("arrival", "outgoing:QĐ",
    "dossier:260521"). Both are opaque strings chosen by the domain that numbers things.
    """

    scope = models.CharField("phạm vi", max_length=100)
    series = models.CharField("dãy số", max_length=100)
    year = models.PositiveSmallIntegerField("năm")
    last = models.PositiveIntegerField("số đã cấp gần nhất", default=0)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "dãy số"
        verbose_name_plural = "dãy số"
        ordering = ["scope", "series", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "series", "year"], name="numbering_sequence_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope} · {self.series} · {self.year}: {self.last}"
