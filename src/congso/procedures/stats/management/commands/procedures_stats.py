"""``manage.py procedures_stats``: bring the one-stop statistics summary up to date.

Without options: one incremental refresh (all pending events, in batches). ``--rebuild``:
recompute everything (nightly from cron or a systemd timer; after restoring a backup or a bulk
import). ``--every N``: a small clock that refreshes every N seconds (next to the worker).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from congso.procedures.stats import summary


class Command(BaseCommand):
    help = "Cập nhật bảng tổng hợp thống kê hồ sơ một cửa (--rebuild: tính lại toàn bộ)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="Tính lại toàn bộ.")
        parser.add_argument("--every", type=int, default=0, help="Lặp lại sau mỗi N giây.")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            if options["rebuild"]:
                rows = summary.rebuild()
                self.stdout.write(f"Đã tính lại: {rows} dòng tổng hợp theo ngày.")
            else:
                events = 0
                while True:
                    result = summary.refresh()
                    events += result.events
                    if result.caught_up:
                        break
                self.stdout.write(f"Đã cập nhật theo {events} diễn biến mới.")
            if options["every"] <= 0:
                return
            time.sleep(options["every"])
