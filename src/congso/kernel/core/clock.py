"""The loop of a clock process: enqueue jobs for the worker at intervals until stopped.

Used by ``manage.py clock`` (every job of ``settings.CLOCK_TASKS``) and by the modules' own
reminder commands with ``--every`` (one module's jobs). A clock only enqueues; the worker runs
the task, and every reminder task claims each reminder with a conditional write, so a second
clock or a manual run sends nothing twice (docs/decisions/0005).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections

logger = logging.getLogger(__name__)


def stop_event() -> threading.Event:
    """An event set by SIGTERM or SIGINT: the clock ends after its current tick."""
    stop = threading.Event()

    def _stop(signum: int, frame: Any) -> None:
        stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, _stop)
    return stop


def tick(enqueue: Callable[[], object], what: str) -> None:
    """One enqueue; a database hiccup is logged and must not stop the clock."""
    try:
        enqueue()
    except Exception:
        logger.exception("clock: could not enqueue %s", what)


def run_every(enqueue: Callable[[], object], every: int, *, what: str, times: int = 0) -> None:
    """``enqueue()`` now and then every ``every`` seconds, until a signal (or ``times`` runs:
    tests)."""
    stop = stop_event()
    done = 0
    while not stop.is_set():
        tick(enqueue, what)
        done += 1
        if times and done >= times:
            break
        stop.wait(every)
        close_old_connections()  # a long-lived process: no stale connection between ticks
