"""One clock for every periodic job: enqueues each task of ``settings.CLOCK_TASKS`` for the worker.

    manage.py clock                 # run by scripts/serve.sh next to the worker
    manage.py clock --once          # enqueue every task once and stop (cron, tests)

``CLOCK_TASKS`` is a list of ``(dotted path of a task, seconds between two runs)``. The clock only
enqueues; the worker runs the task. Every reminder task claims each reminder with a conditional
write, so a second clock or a manual run sends nothing twice (docs/decisions/0005). One process
for all of them instead of one per module.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.utils.module_loading import import_string

from congso.kernel.core.clock import stop_event, tick


def clock_jobs() -> list[tuple[str, Any, int]]:
    """``(path, task, every)`` for each configured job; a bad entry is an error at start."""
    jobs = []
    for path, every in getattr(settings, "CLOCK_TASKS", []):
        try:
            task = import_string(path)
        except ImportError as exc:
            raise CommandError(f"CLOCK_TASKS: không nạp được {path}: {exc}") from exc
        if not hasattr(task, "enqueue"):
            raise CommandError(f"CLOCK_TASKS: {path} không phải là một task.")
        if int(every) <= 0:
            raise CommandError(f"CLOCK_TASKS: chu kỳ của {path} phải là số giây dương.")
        jobs.append((path, task, int(every)))
    return jobs


class Command(BaseCommand):
    help = "Đồng hồ: định kỳ đưa các việc nhắc hạn, báo quá hạn vào hàng đợi của worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Đưa mỗi việc vào hàng đợi một lần rồi dừng."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = clock_jobs()
        if options["once"]:
            for path, task, _every in jobs:
                task.enqueue()
                self.stdout.write(f"→ {path}")
            return
        stop = stop_event()
        listing = ", ".join(
            f"{path.rsplit('.', 1)[-1]} mỗi {every} giây" for path, _t, every in jobs
        )
        self.stdout.write(f"Đồng hồ: {listing or 'không có việc nào (CLOCK_TASKS rỗng)'}.")
        next_run = {path: 0.0 for path, _t, _e in jobs}
        while not stop.is_set():
            now = time.monotonic()
            for path, task, every in jobs:
                if now >= next_run[path]:
                    tick(task.enqueue, path)
                    next_run[path] = now + every
            wait = min(next_run.values(), default=now + 60) - time.monotonic()
            stop.wait(max(1.0, wait))
            close_old_connections()  # a long-lived process: no stale connection between ticks
