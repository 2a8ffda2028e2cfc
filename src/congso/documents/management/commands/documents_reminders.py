"""Reminders of incoming documents: once, or as a clock that enqueues them for the worker.

    manage.py documents_reminders               # run once now, in this process (cron, timers)
    manage.py documents_reminders --every 900   # every 15 minutes, enqueue the task (serve.sh)

The clock only enqueues ``congso.documents.tasks.incoming_reminders``; the worker runs it. Each
reminder is sent once per assignment whatever runs when (the service claims it with a
conditional UPDATE), so a second clock or an extra manual run is harmless.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Gửi nhắc hạn và báo quá hạn văn bản đến (một lần, hoặc định kỳ với --every)."

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
            from congso.documents.services.filing import files_deposit_remind
            from congso.documents.services.incoming import incoming_send_reminders

            run = incoming_send_reminders()
            self.stdout.write(f"Nhắc sắp đến hạn: {run.due_soon}; báo quá hạn: {run.overdue}.")
            self.stdout.write(f"Nhắc nộp lưu hồ sơ: {files_deposit_remind()}.")
            return
        self._clock(every, int(options["times"]))

    def _clock(self, every: int, times: int) -> None:
        from congso.documents.tasks import files_deposit_reminders, incoming_reminders
        from congso.kernel.core.clock import run_every

        def enqueue() -> None:
            incoming_reminders.enqueue()
            files_deposit_reminders.enqueue()  # files due for deposit (each file once)

        self.stdout.write(f"Nhắc hạn văn bản đến: mỗi {every} giây.")
        run_every(enqueue, every, what="the documents' reminders", times=times)
