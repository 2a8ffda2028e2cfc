"""p95 server time of the incoming list page with 100 000 documents, SQLite and PostgreSQL.

ours: the clerk's list page ``/van-ban/den/`` (``documents:incoming_list``: scoped selector,
      keyset pagination, urgency and deadline columns), through Django's test Client with the
      clerk logged in; time measured around the request in-process (server time, no network).
peer: Django admin's changelist for IncomingDocument (``/admin/documents/incomingdocument/``) on
      the same rows as a superuser: what a generic admin list costs (it counts all rows, pages by
      OFFSET).
Also reported: queries per request of the list API at ``limit=20`` and ``limit=100`` (they must
be equal: no query per row).

The 100 000 documents come from ``congso.documents.demo_corpus.generate_incoming`` (bulk, no
files), with assignments. Figures are printed, never asserted. Usage:

    .venv/bin/python bench/documents/bench_incoming_list.py [--rows 100000] [--requests 60]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from _common import (
    BENCH_PASSWORD,
    logged_in_client,
    make_unit_and_clerk,
    percentile,
    run_children,
    setup_django,
)


def _time(client: Any, url: str, requests: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    times = []
    queries = 0
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        queries = len(captured.captured_queries)
        assert response.status_code == 200
    return times, queries


def child(backend: str, rows: int, requests: int) -> dict[str, Any]:
    setup_django(static=True)
    from django.urls import reverse

    from congso.documents.demo_corpus import UnitStaff, generate_incoming
    from congso.kernel.orgunits.models import Department
    from congso.kernel.people.models import User

    unit, clerk, leader = make_unit_and_clerk()
    staff = UnitStaff(
        clerk=clerk,
        leaders=[leader],
        departments={d.abbreviation: d for d in Department.objects.filter(unit=unit)},
    )
    start = time.perf_counter()
    today = dt.date(2026, 11, 20)
    generate_incoming(
        rows,
        unit=unit,
        start=dt.date(2021, 1, 4),
        end=today - dt.timedelta(days=1),
        staff=staff,
        today=today,
        with_files=False,
    )
    load_s = time.perf_counter() - start
    if backend == "pg":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    client = logged_in_client(clerk)
    ours, ours_queries = _time(client, reverse("documents:incoming_list"), requests)
    api20 = _time(client, "/api/v1/documents/incoming/?limit=20", max(5, requests // 4))
    api100 = _time(client, "/api/v1/documents/incoming/?limit=100", max(5, requests // 4))

    admin_user = User.objects.create_superuser(
        username="bench-admin", password=BENCH_PASSWORD, full_name="Quản trị"
    )
    admin_client = logged_in_client(admin_user)
    peer, peer_queries = _time(admin_client, "/admin/documents/incomingdocument/", requests)
    return {
        "backend": backend,
        "rows": rows,
        "load_s": load_s,
        "ours_p50": percentile(ours, 50),
        "ours_p95": percentile(ours, 95),
        "ours_queries": ours_queries,
        "peer_p50": percentile(peer, 50),
        "peer_p95": percentile(peer, 95),
        "peer_queries": peer_queries,
        "api20_p95": percentile(api20[0], 95),
        "api20_queries": api20[1],
        "api100_p95": percentile(api100[0], 95),
        "api100_queries": api100[1],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.rows, args.requests)))
        return
    results = run_children(
        __file__, "incoming-list", ["--rows", str(args.rows), "--requests", str(args.requests)]
    )
    print(f"Incoming list with {args.rows:,} documents, {args.requests} requests each (ms)")
    print(
        f"{'backend':<9}{'ours p50':>9}{'ours p95':>9}{'q':>4}{'admin p50':>10}{'admin p95':>10}"
        f"{'q':>4}{'ours÷admin p95':>15}{'API q@20':>9}{'API q@100':>10}"
    )
    for backend, r in results.items():
        print(
            f"{backend:<9}{r['ours_p50']:>9.1f}{r['ours_p95']:>9.1f}{r['ours_queries']:>4}"
            f"{r['peer_p50']:>10.1f}{r['peer_p95']:>10.1f}{r['peer_queries']:>4}"
            f"{r['ours_p95'] / r['peer_p95']:>15.2f}"
            f"{r['api20_queries']:>9}{r['api100_queries']:>10}"
        )
    for backend, r in results.items():
        print(
            f"{backend}: {r['rows']:,} rows generated in {r['load_s']:.1f} s; API p95 "
            f"limit=20 {r['api20_p95']:.1f} ms, limit=100 {r['api100_p95']:.1f} ms"
        )
    print("ours: /van-ban/den/ (clerk, 50 rows); peer: Django admin changelist (100 rows)")


if __name__ == "__main__":
    main()
