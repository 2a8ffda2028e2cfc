"""Daily reminders of violations whose remedy deadline is near or passed (construction order)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from congso.urban.construction.services import violations_remind


class Command(BaseCommand):
    help = "Nhắc hạn khắc phục vi phạm trật tự xây dựng (sắp đến hạn, quá hạn)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Ngày tính (YYYY-MM-DD), mặc định hôm nay.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = dt.date.fromisoformat(options["date"]) if options.get("date") else None
        counts = violations_remind(today=today)
        self.stdout.write(f"Đã nhắc: {counts['before']} sắp đến hạn, {counts['overdue']} quá hạn.")
