"""Send the field reports' reminders (before the limit and once overdue), once or on a clock.

``manage.py urban_reports_remind`` runs them once in-process (cron, a systemd timer);
``--every 900`` enqueues the ``reports_reminders`` task every 15 minutes for the worker.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Nhắc hạn tiếp nhận, xử lý phản ánh hiện trường và báo phản ánh quá hạn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="giây giữa hai lần (0: một lần)")

    def handle(self, *args: Any, every: int = 0, **options: Any) -> None:
        from congso.urban.reports.services import reports_send_reminders
        from congso.urban.reports.tasks import reports_reminders

        if not every:
            run = reports_send_reminders()
            self.stdout.write(
                f"Sắp hết hạn tiếp nhận: {run.receipt_soon}; sắp hết hạn xử lý: "
                f"{run.handling_soon}; quá hạn: {run.overdue}"
            )
            return
        while True:  # pragma: no cover - a clock
            reports_reminders.enqueue()
            time.sleep(every)
