"""Reads the page shell needs."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from congso.kernel.orgunits.models import AdminUnit


def served_units(*, on: dt.date | None = None) -> list[AdminUnit]:
    """The committees this installation serves (``AdminUnit.is_served``), valid on ``on``."""
    day = on or timezone.localdate()
    return list(
        AdminUnit.objects.filter(is_served=True)
        .valid_on(day)
        .select_related("parent")
        .order_by("name")
    )
