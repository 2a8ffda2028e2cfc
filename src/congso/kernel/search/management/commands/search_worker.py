"""``manage.py search_worker``: keep the search index in step with the outbox, continuously.

A small loop beside the task worker (``scripts/serve.sh`` starts both): every ``--every``
seconds it looks for pending outbox rows (one query on a partial index) and drains them. So a
change is searchable about a second after its commit even while the task worker is busy with
long jobs (OCR). The drain task enqueued at commit stays as the fallback (RQ deployments,
several machines); both can run: the index writer's lock serialises them.
"""

from __future__ import annotations

import logging
import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from congso.kernel.search.backends import backend_name, get_backend
from congso.kernel.search.services import pending_outbox, search_drain

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Đưa các thay đổi vào chỉ mục tìm kiếm liên tục (chạy cùng tiến trình xử lý nền)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=float, default=0.5, help="Giây giữa hai lần xem.")
        parser.add_argument(
            "--once", action="store_true", help="Đưa hết các thay đổi đang chờ rồi dừng."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not backend_name():
            self.stdout.write("Tìm kiếm chưa được bật (SEARCH_BACKEND rỗng): không có gì để làm.")
            return
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        every = max(0.05, float(options["every"]))
        while not stopping:
            try:
                if pending_outbox().exists() or not get_backend().exists():
                    search_drain()  # a missing index is built by the drain
            except Exception:  # keep going: the rows stay pending and are retried
                logger.exception("search worker: drain failed")
                time.sleep(min(30.0, every * 20))
            if options["once"]:
                return
            time.sleep(every)
            close_old_connections()  # a database restart or a stale connection: reconnect
