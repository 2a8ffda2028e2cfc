"""``manage.py search_reindex``: rebuild the search index from the database.

Builds a new index beside the live one (searches keep working meanwhile), replays the changes
made during the build, then switches. Resumable: after a crash or Ctrl-C, run it again and it
continues from its last checkpoint (``--restart`` starts over).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congso.kernel.search.backends import SearchNotConfigured
from congso.kernel.search.backends.tantivy_backend import SearchBusy
from congso.kernel.search.management.commands._progress import ProgressBar
from congso.kernel.search.services import search_rebuild


class Command(BaseCommand):
    help = "Xây dựng lại chỉ mục tìm kiếm từ cơ sở dữ liệu (tiếp tục được nếu bị ngắt)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--restart", action="store_true", help="Bỏ lần xây dựng dở dang, làm lại từ đầu."
        )
        parser.add_argument(
            "--checkpoint", type=int, default=50_000, help="Ghi mốc sau mỗi N đối tượng."
        )
        parser.add_argument("--no-progress", action="store_true", help="Không hiện tiến độ.")

    def handle(self, *args: Any, **options: Any) -> None:
        progress = None if options["no_progress"] else ProgressBar(self.stderr._out)  # type: ignore[arg-type]  # OutputWrapper._out is the stream
        try:
            report = search_rebuild(
                resume=not options["restart"],
                checkpoint_every=max(1000, int(options["checkpoint"])),
                progress=progress,
            )
        except SearchNotConfigured as exc:
            raise CommandError("Tìm kiếm chưa được bật (SEARCH_BACKEND rỗng).") from exc
        except SearchBusy as exc:
            raise CommandError("Đang có một lần xây dựng lại chỉ mục khác chạy.") from exc
        per_kind = ", ".join(f"{k}: {n}" for k, n in sorted(report.per_kind.items())) or "—"
        resumed = " (tiếp tục từ mốc trước)" if report.resumed else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã xây dựng lại chỉ mục{resumed}: {report.documents} mục ({per_kind}); "
                f"áp dụng lại {report.replayed} thay đổi; {report.seconds} giây."
            )
        )
