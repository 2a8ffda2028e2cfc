"""``manage.py search_check``: compare the search index with the database.

Reports objects missing from the index, stale entries (their content changed), entries of
deleted objects and duplicates; exits 1 when there is any difference. ``--repair`` queues the
differences and applies them at once.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congso.kernel.search.backends import SearchNotConfigured
from congso.kernel.search.backends.base import SearchUnavailable
from congso.kernel.search.management.commands._progress import ProgressBar
from congso.kernel.search.services import search_check

SHOWN = 20


class Command(BaseCommand):
    help = "Đối chiếu chỉ mục tìm kiếm với cơ sở dữ liệu; --repair để sửa các chỗ khác."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repair", action="store_true", help="Sửa các chỗ khác nhau.")
        parser.add_argument("--kind", action="append", default=[], help="Chỉ kiểm tra loại này.")
        parser.add_argument("--no-progress", action="store_true", help="Không hiện tiến độ.")

    def handle(self, *args: Any, **options: Any) -> None:
        progress = None if options["no_progress"] else ProgressBar(self.stderr._out)  # type: ignore[arg-type]  # OutputWrapper._out is the stream
        try:
            report = search_check(
                repair=options["repair"], kinds=options["kind"] or None, progress=progress
            )
        except SearchNotConfigured as exc:
            raise CommandError("Tìm kiếm chưa được bật (SEARCH_BACKEND rỗng).") from exc
        except SearchUnavailable as exc:
            raise CommandError(
                "Chưa có chỉ mục tìm kiếm: chạy `manage.py search_reindex`."
            ) from exc
        self.stdout.write(f"Đã đối chiếu {report.checked} đối tượng.")
        if report.pending:
            self.stdout.write(f"{report.pending} thay đổi đang chờ đưa vào chỉ mục (không tính).")
        for label, keys in (
            ("Thiếu trong chỉ mục", report.missing),
            ("Nội dung cũ", report.stale),
            ("Thừa (không còn trong cơ sở dữ liệu)", report.extra),
            ("Trùng", report.duplicated),
        ):
            if keys:
                shown = ", ".join(f"{k}:{pk}" for k, pk in keys[:SHOWN])
                more = f" … (+{len(keys) - SHOWN})" if len(keys) > SHOWN else ""
                self.stdout.write(f"{label}: {len(keys)} — {shown}{more}")
        if report.ok:
            self.stdout.write(self.style.SUCCESS("Chỉ mục khớp với cơ sở dữ liệu."))
            return
        if options["repair"]:
            self.stdout.write(self.style.SUCCESS(f"Đã sửa {report.repaired} chỗ khác nhau."))
            return
        self.stdout.write(self.style.ERROR(f"{report.differences} chỗ khác nhau."))
        sys.exit(1)
