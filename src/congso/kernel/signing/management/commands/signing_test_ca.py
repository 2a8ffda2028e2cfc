"""``manage.py signing_test_ca``: the demo's test CA and a test credential for every leader and
every served committee (idempotent: run it again and nothing changes while they are valid)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from congso.kernel.signing.services import demo_credentials_ensure
from congso.kernel.signing.testca import CA_ORGANISATION, ca_cert_path


class Command(BaseCommand):
    help = "Tạo CA thử nghiệm và chứng thư thử nghiệm cho lãnh đạo và cơ quan (chạy lại an toàn)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_credentials_ensure()
        path = ca_cert_path()
        state = "tạo mới" if result.ca_created else "đã có"
        self.stdout.write(f"CA thử nghiệm ({state}): {CA_ORGANISATION}")
        self.stdout.write(f"  chứng thư gốc: {path}")
        for name in result.issued:
            self.stdout.write(f"  cấp mới: {name}")
        if result.kept:
            self.stdout.write(f"  giữ nguyên {len(result.kept)} chứng thư còn hiệu lực.")
        self.stdout.write(
            self.style.WARNING(
                "Chữ ký bằng CA thử nghiệm KHÔNG có giá trị pháp lý. "
                "Trên hệ thống thật: SIGNING_TEST_CA_ENABLED=0."
            )
        )
