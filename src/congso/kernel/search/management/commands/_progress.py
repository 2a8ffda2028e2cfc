"""A plain-text progress bar for the search commands (stderr, redrawn in place on a terminal)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    def __init__(self, stream: TextIO | None = None, width: int = 30):
        self.stream = stream or sys.stderr
        self.width = width
        self.kind = ""
        self.started = time.monotonic()
        self.last_draw = 0.0
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, kind: str, done: int, total: int) -> None:
        now = time.monotonic()
        if kind != self.kind:
            if self.kind and self.tty:
                self.stream.write("\n")
            self.kind = kind
            self.started = now
            self.last_draw = 0.0
        finished = total and done >= total
        if not finished and now - self.last_draw < (0.2 if self.tty else 5.0):
            return
        self.last_draw = now
        share = done / total if total else 1.0
        filled = int(self.width * share)
        rate = done / max(now - self.started, 1e-6)
        eta = (total - done) / rate if rate and total > done else 0
        line = (
            f"{kind:<12} [{'#' * filled}{'.' * (self.width - filled)}] "
            f"{done:>9,}/{total:,} {share:6.1%}  {rate:,.0f}/s  còn ~{eta:,.0f}s"
        ).replace(",", ".")
        if self.tty:
            self.stream.write("\r" + line)
            if finished:
                self.stream.write("\n")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
