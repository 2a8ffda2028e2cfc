"""Build or bring up to date the daily summary of field reports behind the ward dashboard.

``manage.py urban_reports_summary`` refreshes it incrementally (the days of the reports saved
since the last refresh); ``--full`` rebuilds it from every report (the first time on a large
database: about a minute per million reports). Once built, the dashboard keeps it fresh itself
(``URBAN_DASHBOARD_SUMMARY_MAX_AGE``); before, the dashboard aggregates the raw reports.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Tổng hợp số liệu phản ánh hiện trường theo ngày (cho trang số liệu đô thị)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--full", action="store_true", help="tổng hợp lại từ đầu")

    def handle(self, *args: Any, full: bool = False, **options: Any) -> None:
        from congso.urban.reports.selectors import summary_refresh

        started = time.perf_counter()
        done = summary_refresh(full=full)
        self.stdout.write(
            f"Đã tổng hợp {done['days']} ngày-phường, {done['rows']} dòng "
            f"trong {time.perf_counter() - started:.1f} giây."
        )
