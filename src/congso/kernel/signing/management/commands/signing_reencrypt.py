"""``manage.py signing_reencrypt``: after rotating SECRET_KEY (the old key kept in
SECRET_KEY_FALLBACKS), re-encrypt every stored passphrase and PIN with the new key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from congso.kernel.errors import DomainError
from congso.kernel.signing.services import credentials_reencrypt


class Command(BaseCommand):
    help = "Mã hóa lại mật khẩu/PIN của chứng thư ký số bằng SECRET_KEY mới."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = credentials_reencrypt()
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Đã mã hóa lại {count} chứng thư.")
