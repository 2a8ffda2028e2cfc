"""``manage.py signing_credential_import``: register a PKCS#12 file or a PKCS#11 key for a user
(personal certificate) or a committee (organisation certificate). See docs/signing.md."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congso.kernel.errors import DomainError
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import User
from congso.kernel.signing import services


class Command(BaseCommand):
    help = "Đăng ký chứng thư ký số (PKCS#12 hoặc PKCS#11) cho một người hoặc một cơ quan."

    def add_arguments(self, parser: CommandParser) -> None:
        owner = parser.add_mutually_exclusive_group(required=True)
        owner.add_argument("--user", help="tên đăng nhập của người ký (chứng thư cá nhân)")
        owner.add_argument("--unit", type=int, help="id đơn vị (chứng thư tổ chức của UBND)")
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--pkcs12", type=Path, help="tệp .p12/.pfx")
        source.add_argument("--pkcs11-module", help="thư viện PKCS#11, ví dụ /usr/lib/...so")
        parser.add_argument("--token-label", default="")
        parser.add_argument("--key-label", default="")
        parser.add_argument("--cert-label", default="")
        parser.add_argument(
            "--secret-env",
            default="",
            help="tên biến môi trường chứa mật khẩu PKCS#12 hoặc PIN (mặc định: hỏi)",
        )
        parser.add_argument(
            "--no-store-pin", action="store_true", help="PKCS#11: hỏi PIN mỗi lần ký"
        )
        parser.add_argument("--certificate", type=Path, help="PKCS#11: chứng thư (PEM/DER)")
        parser.add_argument("--image", type=Path, help="PNG nền trong suốt: chữ ký hoặc con dấu")
        parser.add_argument("--label", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        user = unit = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Không có người dùng {options['user']}.")
        else:
            unit = AdminUnit.objects.filter(pk=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị {options['unit']}.")
        env = options["secret_env"]
        secret = os.environ.get(env, "") if env else getpass.getpass("Mật khẩu/PIN: ")
        image = options["image"].read_bytes() if options["image"] else None
        try:
            if options["pkcs12"]:
                credential = services.credential_register_pkcs12(
                    pkcs12_data=options["pkcs12"].read_bytes(),
                    passphrase=secret,
                    user=user,
                    unit=unit,
                    label=options["label"],
                    image=image,
                )
            else:
                credential = services.credential_register_pkcs11(
                    module=options["pkcs11_module"],
                    token_label=options["token_label"],
                    key_label=options["key_label"],
                    cert_label=options["cert_label"],
                    pin=secret,
                    store_pin=not options["no_store_pin"],
                    certificate_pem=(
                        options["certificate"].read_bytes() if options["certificate"] else None
                    ),
                    user=user,
                    unit=unit,
                    label=options["label"],
                    image=image,
                )
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        self.stdout.write(
            f"Đã đăng ký: {credential.label} — {credential.subject}, do {credential.issuer} cấp, "
            f"hiệu lực đến {credential.not_after:%d/%m/%Y}."
        )
