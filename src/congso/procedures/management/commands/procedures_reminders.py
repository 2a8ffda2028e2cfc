"""Deadline reminders of the one-stop shop: once, or as a clock that enqueues them for the worker.

    manage.py procedures_reminders               # run once now, in this process (cron, timers)
    manage.py procedures_reminders --every 900   # every 15 minutes, enqueue the task (serve.sh)

Each reminder is sent once per dossier, step, kind and due time whatever runs when (a unique
row claims it), so a second clock or an extra manual run is harmless.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Nhắc hạn và báo quá hạn hồ sơ một cửa (một lần, hoặc định kỳ với --every)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            help="Chạy như đồng hồ: cứ mỗi N giây đưa việc nhắc hạn vào hàng đợi của worker.",
        )
        parser.add_argument(
            "--times",
            type=int,
            default=0,
            help="Với --every: dừng sau N lần (0 = chạy mãi; dùng khi kiểm thử).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        every = int(options["every"])
        if every <= 0:
            from congso.procedures.reminders import send_reminders

            run = send_reminders()
            self.stdout.write(
                f"Bước sắp đến hạn: {run.step_due_soon}; bước quá hạn: {run.step_overdue}; "
                f"hồ sơ sắp đến hạn: {run.due_soon}; hồ sơ quá hạn: {run.overdue}."
            )
            return
        self._clock(every, int(options["times"]))

    def _clock(self, every: int, times: int) -> None:
        from congso.kernel.core.clock import run_every
        from congso.procedures.tasks import procedures_reminders

        self.stdout.write(f"Nhắc hạn hồ sơ một cửa: mỗi {every} giây.")
        run_every(procedures_reminders.enqueue, every, what="the one-stop reminders", times=times)
