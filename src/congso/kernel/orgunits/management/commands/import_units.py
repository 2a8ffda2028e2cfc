"""``manage.py import_units [--province 01] [--no-legacy]``: the official units from the
installed vietnam-provinces package (current set; pre-2025 set when the package has it)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congso.kernel.errors import DomainError
from congso.kernel.orgunits.services import units_import_vietnam_provinces


class Command(BaseCommand):
    help = (
        "Nhập đơn vị hành chính từ gói vietnam-provinces (bộ hiện hành từ 01/07/2025; bộ trước "
        "01/07/2025 và quan hệ sắp xếp khi phiên bản gói có). Chạy lại không tạo bản trùng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province",
            help="Chỉ nhập một tỉnh/thành phố, theo mã thống kê (ví dụ 01 hoặc 1: Hà Nội).",
        )
        parser.add_argument(
            "--no-legacy",
            action="store_true",
            help="Không nhập bộ dữ liệu trước 01/07/2025 dù phiên bản gói có.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            result = units_import_vietnam_provinces(
                province=options.get("province"), include_legacy=not options["no_legacy"]
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for note in result.notes:
            self.stdout.write(note)
        counts = result.counts
        scope = f" (tỉnh/thành phố {result.record.scope})" if result.record.scope else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập vietnam-provinces {result.record.version}{scope}: "
                f"thêm {counts.created}, cập nhật {counts.updated}, không đổi {counts.unchanged}, "
                f"quan hệ sắp xếp mới {counts.successions_created} "
                f"({time.monotonic() - started:.1f} giây)."
            )
        )
