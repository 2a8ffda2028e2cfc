"""``manage.py demo``: load the Tây Hồ demo (idempotent), then print the demo logins.

Each module adds its own demo data through ``congso.kernel.core.demo.register``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from congso.kernel.core.demo import DemoContext, discover, loaders, run_all


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu phường Tây Hồ (chạy lại nhiều lần không tạo bản trùng) và in danh sách "
        "tài khoản mẫu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--only",
            action="append",
            metavar="NAME",
            help="Chỉ chạy phần dữ liệu mẫu này (có thể lặp lại); xem --list.",
        )
        parser.add_argument(
            "--list", action="store_true", help="Liệt kê các phần dữ liệu mẫu rồi thoát."
        )
        parser.add_argument(
            "--quiet-logins", action="store_true", help="Không in danh sách tài khoản mẫu."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            discover()
            for loader in loaders():
                module = loader.func.__module__
                self.stdout.write(f"{loader.order:>4}  {loader.name:<16} {module}")
            return
        only = set(options["only"]) if options.get("only") else None
        ctx = run_all(DemoContext(out=self.stdout.write), only=only)
        self.stdout.write(self.style.SUCCESS("Dữ liệu mẫu đã sẵn sàng."))
        if ctx.logins and not options["quiet_logins"]:
            self.stdout.write("")
            self.stdout.write(f"Tài khoản mẫu (chỉ dùng thử) — mật khẩu chung: {ctx.password}")
            width = max(len(login.username) for login in ctx.logins)
            for login in ctx.logins:
                self.stdout.write(
                    f"  {login.username:<{width}}  {login.full_name} — {login.role} — {login.unit}"
                )
