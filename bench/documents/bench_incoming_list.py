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

    .venv/bin/python bench/documents/bench_incoming_list.py [--rows N] [--requests N] [--reuse]

Generating 100 000 rows takes several minutes; ``--reuse`` keeps the databases of the last run.
Also timed: the text filter (a common word, one document's notation) against the naive ORM list
(``icontains`` + Django's Paginator), and the year + overdue filters.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
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

#: Process CPU time of each request timed by ``_time`` (on a shared, loaded machine the wall
#: time waits for the CPU; the CPU time is what the request itself cost; with PostgreSQL the
#: database server's own time is not in it, it is in the wall time).
CPU: dict[str, list[float]] = {}


def _time(client: Any, url: str, requests: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    times = []
    cpu = CPU.setdefault(url, [])
    queries = 0
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        queries = len(captured.captured_queries)
        assert response.status_code == 200
    return times, queries


def _time_naive(unit: Any, term: str, requests: int) -> list[float]:
    """The peer of the text filter: the plain ORM list (``icontains`` on the three columns,
    Django's Paginator: COUNT + OFFSET), what the list did before migration 0008."""
    from django.core.paginator import Paginator
    from django.db.models import Q

    from congso.documents.models import IncomingDocument

    times = []
    for _ in range(requests + 1):
        start = time.perf_counter()
        qs = (
            IncomingDocument.objects.filter(unit=unit)
            .filter(
                Q(subject__icontains=term)
                | Q(notation__icontains=term)
                | Q(sender_name__icontains=term)
            )
            .select_related("document_type", "sender")
            .order_by("-arrived_at", "-pk")
        )
        page = Paginator(qs, 50).page(1)
        list(page.object_list)
        times.append((time.perf_counter() - start) * 1000)
    return times[1:]


def child(backend: str, rows: int, requests: int) -> dict[str, Any]:
    setup_django(static=True)
    from django.urls import reverse

    from congso.documents.demo_corpus import UnitStaff, generate_incoming
    from congso.documents.models import IncomingDocument
    from congso.kernel.orgunits.models import AdminUnit, Department
    from congso.kernel.people.models import User

    start = time.perf_counter()
    if IncomingDocument.objects.count() >= rows:  # --reuse: the rows of a previous run
        unit = AdminUnit.objects.get(org_code="H26.BENCH")
        clerk = User.objects.get(username="vanthu")
    else:
        unit, clerk, leader = make_unit_and_clerk()
        staff = UnitStaff(
            clerk=clerk,
            leaders=[leader],
            departments={d.abbreviation: d for d in Department.objects.filter(unit=unit)},
        )
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

    from urllib.parse import urlencode

    client = logged_in_client(clerk)
    list_url = reverse("documents:incoming_list")
    ours, ours_queries = _time(client, list_url, requests)
    # The text filter: a common word of the subjects, and one document's exact notation (rare).
    middle = IncomingDocument.objects.order_by("pk")[rows // 2]
    few = max(5, requests // 3)
    q_common = _time(client, f"{list_url}?{urlencode({'q': 'xây dựng'})}", few)
    q_rare = _time(client, f"{list_url}?{urlencode({'q': middle.notation})}", few)
    filtered = _time(client, f"{list_url}?year=2024&overdue=on", few)
    api20 = _time(client, "/api/v1/documents/incoming/?limit=20", max(5, requests // 4))
    api100 = _time(client, "/api/v1/documents/incoming/?limit=100", max(5, requests // 4))

    admin_user = User.objects.filter(username="bench-admin").first() or (
        User.objects.create_superuser(
            username="bench-admin", password=BENCH_PASSWORD, full_name="Quản trị"
        )
    )
    admin_client = logged_in_client(admin_user)
    peer, peer_queries = _time(admin_client, "/admin/documents/incomingdocument/", requests)
    cpu_ours = percentile(CPU[list_url], 95)
    cpu_q = percentile(CPU[f"{list_url}?{urlencode({'q': 'xây dựng'})}"], 95)
    naive_common = _time_naive(unit, "xây dựng", few)
    naive_rare = _time_naive(unit, middle.notation, few)
    return {
        "load_average": os.getloadavg()[0],
        "ours_cpu_p95": cpu_ours,
        "q_common_cpu_p95": cpu_q,
        "naive_common_p95": percentile(naive_common, 95),
        "naive_rare_p95": percentile(naive_rare, 95),
        "backend": backend,
        "rows": rows,
        "load_s": load_s,
        "ours_p50": percentile(ours, 50),
        "ours_p95": percentile(ours, 95),
        "ours_queries": ours_queries,
        "peer_p50": percentile(peer, 50),
        "peer_p95": percentile(peer, 95),
        "peer_queries": peer_queries,
        "q_common_p95": percentile(q_common[0], 95),
        "q_common_queries": q_common[1],
        "q_rare_p95": percentile(q_rare[0], 95),
        "q_rare_queries": q_rare[1],
        "filtered_p95": percentile(filtered[0], 95),
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
    parser.add_argument(
        "--reuse", action="store_true", help="keep the databases (and rows) of a previous run"
    )
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.rows, args.requests)))
        return
    results = run_children(
        __file__,
        "incoming-list",
        ["--rows", str(args.rows), "--requests", str(args.requests)],
        reuse=args.reuse,
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
    for backend, r in results.items():
        print(
            f"{backend}: text filter p95 common word {r['q_common_p95']:.1f} ms "
            f"({r['q_common_queries']} q), one notation {r['q_rare_p95']:.1f} ms "
            f"({r['q_rare_queries']} q); year+overdue {r['filtered_p95']:.1f} ms"
        )
        print(
            f"{backend}: naive ORM list (icontains, COUNT + OFFSET) p95 common word "
            f"{r['naive_common_p95']:.1f} ms, one notation {r['naive_rare_p95']:.1f} ms; "
            f"ours ÷ naive {r['q_common_p95'] / r['naive_common_p95']:.2f} / "
            f"{r['q_rare_p95'] / r['naive_rare_p95']:.2f}"
        )
    for backend, r in results.items():
        print(
            f"{backend}: CPU time of the request process p95: list {r['ours_cpu_p95']:.1f} ms, "
            f"text filter {r['q_common_cpu_p95']:.1f} ms (load average {r['load_average']:.1f})"
        )
    print("ours: /van-ban/den/ (clerk, 50 rows); peer: Django admin changelist (100 rows)")


if __name__ == "__main__":
    main()
