"""Intake throughput through the API: dossiers per second with one small attachment.

ours: ``POST /api/v1/dossiers`` (multipart, ``mode=desk``, one 1 KB PDF as the first paper) by a
      one-stop officer through Django's test Client: the whole service — gap-free code and
      register line (numbering), received moment and due time from the working-day calendar,
      papers, the file sniffed, hashed and stored, the first step, the timeline event, audit,
      search outbox — in one transaction.
peer: ``Dossier.objects.create`` with the same fields already computed (no rules, no file, no
      numbering, no audit): what a bare row costs.

    .venv/bin/python bench/procedures/bench_intake.py [--count N] [--only sqlite|pg]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from _common import logged_in_client, run_children, setup_django

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n" + b"%" + b"x" * 900 + b"\n%%EOF\n"
)


def child(backend: str, count: int) -> None:
    setup_django()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from congso.kernel.orgunits.models import AdminUnit, AdminUnitLevel
    from congso.kernel.people.models import Position, Role, User
    from congso.procedures.models import (
        Dossier,
        OnlineLevel,
        Procedure,
        ProcedureField,
        ProcedurePaper,
        ProcedureStep,
    )

    unit = AdminUnit.objects.create(
        name="Phường Thử",
        level=AdminUnitLevel.WARD,
        code="00001",
        dataset="bench",
        org_code="H26.BENCH",
        is_served=True,
    )
    officer = User.objects.create_user(username="motcua", password="x-bench-only")  # noqa: S106
    Position.objects.create(user=officer, unit=unit, role=Role.ONESTOP_OFFICER)
    field = ProcedureField.objects.create(code="HT", name="Hộ tịch")
    procedure = Procedure.objects.create(
        code="1.001193",
        name="Đăng ký khai sinh",
        field=field,
        duration_value=Decimal(3),
        online_level=OnlineLevel.FULL,
    )
    paper = ProcedurePaper.objects.create(procedure=procedure, name="Tờ khai")
    ProcedureStep.objects.create(
        procedure=procedure, name="Tiếp nhận", role=Role.ONESTOP_OFFICER, allotted_hours=2
    )
    client = logged_in_client(officer)

    def post(i: int) -> None:
        response = client.post(
            "/api/v1/dossiers",
            {
                "procedure": procedure.code,
                "mode": "desk",
                "applicant_name": f"Người nộp {i}",
                "applicant_phone": "0912345678",
                "papers": str(paper.pk),
                "file_papers": str(paper.pk),
                "file": SimpleUploadedFile("to-khai.pdf", PDF, content_type="application/pdf"),
            },
        )
        assert response.status_code == 201, response.content[:500]

    post(-1)  # warm-up
    t0 = time.perf_counter()
    for i in range(count):
        post(i)
    ours = time.perf_counter() - t0

    now = timezone.now()
    t0 = time.perf_counter()
    for i in range(count):
        Dossier.objects.create(
            unit=unit,
            procedure=procedure,
            field=field,
            code=f"PEER-{i:06d}",
            lookup_secret="ABCDEFGH",  # noqa: S106 - synthetic row
            register_year=1999,
            register_number=i + 1,
            channel=1,
            status=2,
            applicant_name=f"Người nộp {i}",
            submitted_at=now,
            received_at=now,
            due_at=now + dt.timedelta(days=3),
        )
    peer = time.perf_counter() - t0
    result: dict[str, Any] = {
        "backend": backend,
        "count": count,
        "ours_per_s": round(count / ours, 1),
        "peer_per_s": round(count / peer, 1),
        "ours_ms": round(ours / count * 1000, 1),
    }
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--only", choices=["sqlite", "pg"])
    args = parser.parse_args()
    if args.child:
        child(args.child, args.count)
        return
    results = run_children(__file__, "intake", ["--count", str(args.count)], only=args.only)
    print(f"One-stop intake through the API, {args.count} dossiers with one small PDF each")
    head = f"{'backend':<8} {'ours (dossier/s)':>17} {'peer (row/s)':>13}"
    print(f"{head} {'ours÷peer':>10} {'ms each':>8}")
    for backend, r in results.items():
        print(
            f"{backend:<8} {r['ours_per_s']:>17} {r['peer_per_s']:>13} "
            f"{r['ours_per_s'] / r['peer_per_s']:>10.3f} {r['ours_ms']:>8}"
        )


if __name__ == "__main__":
    main()
