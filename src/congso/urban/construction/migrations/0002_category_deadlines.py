"""The [M] default remedy periods per violation category (administrators edit them later)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

DEFAULTS = [
    ("no_permit", 60, "calendar", "NĐ 16/2022 Điều 81: 90/60/30 ngày tùy loại công trình; mặc định 60"),
    ("against_permit", 60, "calendar", "NĐ 16/2022 Điều 81: 90/60/30 ngày tùy loại công trình; mặc định 60"),
    ("against_plan", 30, "calendar", "[M] mặc định"),
    ("encroachment", 30, "calendar", "[M] mặc định: trả lại đất công, hành lang"),
    ("site_not_screened", 5, "working", "[M] mặc định"),
    ("permit_not_displayed", 5, "working", "[M] mặc định"),
    ("continuing", 10, "calendar", "[M] mặc định"),
    ("repeat", 30, "calendar", "[M] mặc định"),
]


def load(apps: Any, schema_editor: Any) -> None:
    model = apps.get_model("urban_construction", "CategoryDeadline")
    for category, days, kind, note in DEFAULTS:
        model.objects.get_or_create(
            category=category, defaults={"days": days, "day_kind": kind, "note": note}
        )


class Migration(migrations.Migration):
    dependencies = [("urban_construction", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
