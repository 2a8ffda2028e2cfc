"""Digitisation that got stuck: requeue it (or fail it when its attempts are used up).

    manage.py documents_digitization_recover               # once now (cron, systemd timer)
    manage.py documents_digitization_recover --every 300   # a clock next to the worker (serve.sh)
    manage.py documents_digitization_recover --minutes 10  # "stuck" after 10 minutes, not 30

A job is stuck when it has been processing for longer than DIGITIZATION_STUCK_MINUTES (the
worker died or was restarted mid-way) or pending that long (its task was never enqueued).
Each recovery is logged, audited and printed.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Đưa lại vào hàng đợi các văn bản số hóa bị treo (một lần, hoặc định kỳ với --every)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--minutes",
            type=int,
            default=0,
            help="Coi là treo sau N phút (mặc định DIGITIZATION_STUCK_MINUTES, 30).",
        )
        parser.add_argument(
            "--every", type=int, default=0, help="Chạy như đồng hồ: kiểm tra mỗi N giây."
        )
        parser.add_argument(
            "--times", type=int, default=0, help="Với --every: dừng sau N lần (0 = chạy mãi)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        minutes = int(options["minutes"])
        older_than = dt.timedelta(minutes=minutes) if minutes > 0 else None
        every, times = int(options["every"]), int(options["times"])
        if every <= 0:
            self._once(older_than)
            return
        stop = threading.Event()

        def _stop(signum: int, frame: Any) -> None:
            stop.set()

        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, _stop)
        done = 0
        while not stop.is_set():
            close_old_connections()
            try:
                self._once(older_than)
            except Exception:  # a database hiccup must not stop the clock
                logger.exception("digitisation recovery failed")
            done += 1
            if times and done >= times:
                break
            stop.wait(every)

    def _once(self, older_than: dt.timedelta | None) -> None:
        from congso.documents.services.digitization import digitization_recover_stuck

        recovered = digitization_recover_stuck(older_than=older_than)
        for item in recovered:
            self.stdout.write(f"{item.document}: {item.was} → {item.now}")
        if not recovered:
            self.stdout.write("Không có văn bản nào bị treo khi số hóa.")
