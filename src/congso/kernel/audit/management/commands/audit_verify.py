"""``python manage.py audit_verify``: check the hash chain of the audit log."""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from congso.kernel.audit.chain import verify_chain

ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


def _triggers_present() -> bool | None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'audit_auditevent'"
            )
            return bool(cursor.fetchone()[0] >= 2)
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal "
                "AND tgrelid = 'audit_auditevent'::regclass AND tgenabled <> 'D'"
            )
            return bool(cursor.fetchone()[0] >= 3)
    return None


class Command(BaseCommand):
    help = (
        "Kiểm tra tính toàn vẹn của nhật ký: tính lại hash từng sự kiện theo thứ tự, kiểm tra "
        "liên kết và số thứ tự liên tục. Thoát 0 khi toàn vẹn, khác 0 khi có sự kiện bị sửa/xóa."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--expect",
            action="append",
            default=[],
            metavar="SEQ:HASH",
            help=(
                "Mốc đã lưu ở nơi khác (in ra ở dòng 'Mốc' của lần chạy trước): sự kiện SEQ phải "
                "có hash HASH. Phát hiện nhật ký bị cắt đuôi hoặc bị viết lại toàn bộ."
            ),
        )
        parser.add_argument("--chunk-size", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        anchors: dict[int, str] = {}
        for text in options["expect"]:
            match = ANCHOR.match(text.strip().lower())
            if not match:
                raise CommandError(
                    f"Mốc không hợp lệ: {text!r} (cần dạng SEQ:HASH, HASH 64 ký tự hex)"
                )
            anchors[int(match.group(1))] = match.group(2)

        if _triggers_present() is False:
            self.stderr.write(
                "Cảnh báo: thiếu trigger chống sửa/xóa trên bảng audit_auditevent "
                "(chạy lại migration audit 0002)."
            )

        report = verify_chain(chunk_size=max(options["chunk_size"], 1), anchors=anchors)
        if report.fault is not None:
            raise CommandError(
                f"Nhật ký KHÔNG toàn vẹn. {report.fault.describe()} "
                f"({report.count} sự kiện đầu tiên hợp lệ.)",
                returncode=2,
            )
        self.stdout.write(f"Nhật ký toàn vẹn: {report.count} sự kiện")
        if report.count:
            self.stdout.write(f"Mốc: {report.head_seq}:{report.head_hash}")
