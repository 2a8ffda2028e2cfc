"""Reminders of violations whose remedy deadline is near or passed (construction order).

    manage.py construction_reminders               # once now, in this process (cron, timers)
    manage.py construction_reminders --every 3600  # a clock: enqueue the task every hour

Each reminder is claimed with a conditional UPDATE, so a second clock or a manual run at the
same time is harmless.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Nhắc hạn khắc phục vi phạm trật tự xây dựng (sắp đến hạn, quá hạn)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Ngày tính (YYYY-MM-DD), mặc định hôm nay.")
        parser.add_argument(
            "--every", type=int, default=0, help="Mỗi N giây đưa việc nhắc vào hàng đợi."
        )
        parser.add_argument(
            "--times", type=int, default=0, help="Với --every: dừng sau N lần (0 = mãi)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        every = int(options["every"])
        if every > 0:
            self._clock(every, int(options["times"]))
            return
        from congso.urban.construction.services import violations_remind

        today = dt.date.fromisoformat(options["date"]) if options.get("date") else None
        counts = violations_remind(today=today)
        self.stdout.write(f"Đã nhắc: {counts['before']} sắp đến hạn, {counts['overdue']} quá hạn.")

    def _clock(self, every: int, times: int) -> None:
        from congso.kernel.core.clock import run_every
        from congso.urban.construction.tasks import construction_reminders_task

        run_every(
            construction_reminders_task.enqueue,
            every,
            what="the construction reminders",
            times=times,
        )
