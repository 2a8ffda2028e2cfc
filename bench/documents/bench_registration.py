"""Registration throughput: documents per second through the API, on SQLite and PostgreSQL.

ours: ``POST /api/v1/documents/incoming`` (multipart: a small PDF + metadata) through Django's
      test Client with a clerk's API token: notation parsing, duplicate check (notation and file
      content), PDF inspection, type sniffing and SHA-256 of the file, the gap-free arrival number,
      the audit event, the digitisation job queued (database task backend).
peer: the same rows written plainly: ``IncomingDocument.objects.create`` with a running number,
      ``default_storage.save`` of the same PDF and its ``StoredFile`` row, one transaction each,
      none of our rules.

Each document has its own PDF (different text) and notation, so nothing is a duplicate.
Figures are printed, never asserted. Usage:

    .venv/bin/python bench/documents/bench_registration.py [--n 300]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from _common import make_unit_and_clerk, run_children, setup_django


def _pdfs(n: int, offset: int) -> list[bytes]:
    from congso.documents.textpdf import Line, render

    return [
        render(
            [
                Line("SỞ XÂY DỰNG HÀ NỘI", 12, "center"),
                Line(f"Số: {offset + i}/SXD-TTr", 13, "center"),
                Line(f"V/v kiểm tra trật tự xây dựng, văn bản thử số {offset + i}", 14, "wrap"),
            ]
        )
        for i in range(n)
    ]


def child(backend: str, n: int) -> dict[str, Any]:
    setup_django()
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    from congso.documents.models import DocumentType, IncomingDocument
    from congso.kernel.files.models import StoredFile
    from congso.kernel.people.services import api_token_create

    unit, clerk, _ = make_unit_and_clerk()
    _, key = api_token_create(user=clerk, name="bench")
    letter = DocumentType.objects.get(name="Công văn")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    issued = dt.date(2026, 1, 5)

    def post(i: int, pdf: bytes) -> None:
        response = client.post(
            "/api/v1/documents/incoming/",
            {
                "file": SimpleUploadedFile(f"cv-{i}.pdf", pdf, "application/pdf"),
                "channel": "electronic",
                "document_type": letter.pk,
                "subject": f"V/v kiểm tra trật tự xây dựng, văn bản thử số {i}",
                "sender_name": "Sở Xây dựng Hà Nội",
                "notation": f"{i}/SXD-TTr",
                "issued_date": issued.isoformat(),
            },
        )
        if response.status_code != 201:
            raise SystemExit(f"registration failed: {response.status_code} {response.content!r}")

    # warm-up (imports, first queries), not timed
    for i, pdf in enumerate(_pdfs(5, 90000), start=90000):
        post(i, pdf)
    pdfs = _pdfs(n, 1)
    start, start_cpu = time.perf_counter(), time.process_time()
    for i, pdf in enumerate(pdfs, start=1):
        post(i, pdf)
    ours = time.perf_counter() - start
    ours_cpu = time.process_time() - start_cpu
    registered = IncomingDocument.objects.filter(unit=unit).count()

    peer_pdfs = _pdfs(n, 50000)
    start, start_cpu = time.perf_counter(), time.process_time()
    for i, pdf in enumerate(peer_pdfs, start=1):
        with transaction.atomic():
            document = IncomingDocument.objects.create(
                unit=unit,
                arrival_year=2026,
                arrival_number=100000 + i,
                arrival_series="peer",
                arrived_at=timezone.now(),
                channel="electronic",
                sender_name="Sở Xây dựng Hà Nội",
                document_type=letter,
                notation=f"{50000 + i}/SXD-TTr",
                issued_date=issued,
                subject=f"V/v kiểm tra trật tự xây dựng, văn bản thử số {50000 + i}",
                registered_by=clerk,
            )
            name = default_storage.save(f"peer/{i}.pdf", ContentFile(pdf))
            StoredFile.objects.create(
                storage_name=name,
                original_name=f"cv-{i}.pdf",
                kind="pdf",
                content_type="application/pdf",
                size=len(pdf),
                sha256="",
                unit=unit,
                uploaded_by=clerk,
                owner=document,
            )
    peer = time.perf_counter() - start
    peer_cpu = time.process_time() - start_cpu
    return {
        "ours_cpu_ms": 1000 * ours_cpu / n,
        "peer_cpu_ms": 1000 * peer_cpu / n,
        "load_average": os.getloadavg()[0],
        "backend": backend,
        "n": n,
        "ours_s": ours,
        "peer_s": peer,
        "ours_per_s": n / ours,
        "peer_per_s": n / peer,
        "registered": registered,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.n)))
        return
    results = run_children(__file__, "registration", ["--n", str(args.n)])
    print(f"Registration throughput, {args.n} documents each (one small PDF per document)")
    print(
        f"{'backend':<10}{'ours doc/s':>12}{'peer doc/s':>12}{'ours ÷ peer':>13}{'ms/doc ours':>13}"
    )
    for backend, r in results.items():
        ratio = r["ours_per_s"] / r["peer_per_s"]
        print(
            f"{backend:<10}{r['ours_per_s']:>12.1f}{r['peer_per_s']:>12.1f}{ratio:>13.2f}"
            f"{1000 * r['ours_s'] / r['n']:>13.1f}"
        )
    for backend, r in results.items():
        print(
            f"{backend}: CPU time of the benchmark process per document: ours "
            f"{r['ours_cpu_ms']:.1f} ms, peer {r['peer_cpu_ms']:.1f} ms (load average "
            f"{r['load_average']:.1f}; PostgreSQL's own time is not in it)"
        )
    print("ours: POST /api/v1/documents/incoming with every rule; peer: create() + storage.save()")


if __name__ == "__main__":
    main()
