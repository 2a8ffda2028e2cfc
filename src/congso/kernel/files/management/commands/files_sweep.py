"""Delete stored bytes that no StoredFile row points to.

They appear when the transaction that stored a file is rolled back by its caller after the bytes
were written (storage is not transactional). Only objects under ``files/`` older than
``--hours`` (default 24) are considered, so uploads in flight are never touched.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from congso.kernel.files.services import files_sweep_orphans


class Command(BaseCommand):
    help = "Xóa các tệp trong kho lưu trữ không còn bản ghi nào trỏ tới (tệp mồ côi)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours", type=int, default=24, help="chỉ xóa tệp cũ hơn N giờ")
        parser.add_argument("--dry-run", action="store_true", help="chỉ liệt kê, không xóa")

    def handle(self, *args: Any, **options: Any) -> None:
        before = timezone.now() - dt.timedelta(hours=options["hours"])
        names = files_sweep_orphans(older_than=before, dry_run=options["dry_run"])
        for name in names:
            self.stdout.write(name)
        verb = "Sẽ xóa" if options["dry_run"] else "Đã xóa"
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(names)} tệp mồ côi."))
