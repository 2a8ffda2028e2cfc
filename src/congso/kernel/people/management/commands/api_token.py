"""``manage.py api_token USERNAME``: print a new API token (or revoke one with ``--revoke``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from congso.kernel.errors import DomainError
from congso.kernel.people.models import ApiToken, User
from congso.kernel.people.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = (
        "In ra một khóa API mới của người dùng (chỉ hiện một lần; chỉ lưu mã băm SHA-256), "
        "hoặc thu hồi khóa theo mã đầu với --revoke."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="Tên đăng nhập của người dùng.")
        parser.add_argument("--name", default="", help="Tên gợi nhớ của khóa.")
        parser.add_argument(
            "--expires-days", type=int, default=None, help="Hết hạn sau N ngày (mặc định: không)."
        )
        parser.add_argument(
            "--revoke", metavar="PREFIX", default=None, help="Thu hồi khóa có mã đầu này."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng “{username}”.")
        try:
            if options["revoke"] is not None:
                self._revoke(user, options["revoke"])
            else:
                self._create(user, options["name"], options["expires_days"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _create(self, user: User, name: str, days: int | None) -> None:
        if days is not None and days < 1:
            raise CommandError("--expires-days phải là số ngày dương.")
        expires_at = timezone.now() + dt.timedelta(days=days) if days else None
        token, key = api_token_create(user=user, name=name, expires_at=expires_at)
        self.stderr.write(
            f"Đã tạo khóa API {token.prefix}… cho {user.username}"
            + (f", hết hạn {timezone.localtime(expires_at):%d/%m/%Y %H:%M}" if expires_at else "")
            + ". Khóa chỉ hiện một lần dưới đây:"
        )
        self.stdout.write(key)

    def _revoke(self, user: User, prefix: str) -> None:
        prefix = prefix.strip().rstrip("…")
        if len(prefix) < 4:
            raise CommandError("Hãy ghi mã đầu của khóa (ít nhất 4 ký tự, ví dụ cs_AbCd1234).")
        matches = list(
            ApiToken.objects.filter(user=user, prefix__startswith=prefix, revoked_at__isnull=True)
        )
        if not matches:
            raise CommandError(
                f"Không có khóa đang dùng nào của {user.username} bắt đầu bằng “{prefix}”."
            )
        if len(matches) > 1:
            raise CommandError(
                f"Có {len(matches)} khóa bắt đầu bằng “{prefix}”: hãy ghi đủ mã đầu."
            )
        api_token_revoke(token=matches[0])
        self.stdout.write(f"Đã thu hồi khóa API {matches[0].prefix}… của {user.username}.")
