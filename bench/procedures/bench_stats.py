"""p95 of the one-stop statistics (page and endpoint) over many dossiers, SQLite and PostgreSQL.

ours:  ``GET /api/v1/statistics`` and the leaders' page ``/mot-cua/thong-ke/`` (sums over the
       daily summary table ``procedures_stats.DailyStat`` + live counts of pending/overdue from
       the ``(unit, status, due_at)`` index), through Django's test Client, leader logged in;
       server time measured around the request in-process.
peer1: the same figures computed by grouped aggregate queries straight over the dossier table
       (indexed ``(unit, submitted_at)`` / ``(unit, completed_at)`` ranges, no summary table).
peer2: the naive per-dossier Python computation (load the period's dossiers and count in
       Python), timed on fewer runs because it is slow.

Queries (each timed ``--requests`` times after a warm-up; p50/p95 reported per query):
  year-unit   one ward, the current year, grouped by procedure (the page's default)
  month-unit  one ward, last month
  5y-unit     one ward, 2021 → today
  year-all    every ward, the current year, grouped by field
  5y-all      every ward, 2021 → today, grouped by month

Data: ``--rows`` dossiers (default 100 000; ``--big`` = 1 000 000) over 01/2021–today in
``--units`` wards (default 4) and 25 procedures in 8 fields, written with executemany, ratings
on ~30 %; then ``summary.rebuild()`` (timed). ``--reuse`` keeps the databases of the last run.
Figures are printed, never asserted.

    .venv/bin/python bench/procedures/bench_stats.py [--big | --rows N] [--requests N] [--reuse]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from _common import logged_in_client, percentile, run_children, setup_django

QUERIES = ("year-unit", "month-unit", "5y-unit", "year-all", "5y-all")


def _params(name: str, unit_id: int, today: dt.date) -> dict[str, Any]:
    first_of_month = today.replace(day=1)
    last_month_end = first_of_month - dt.timedelta(days=1)
    year = {"from": f"{today.year}-01-01", "to": today.isoformat()}
    five = {"from": "2021-01-01", "to": today.isoformat()}
    return {
        "year-unit": {"unit": unit_id, **year},
        "month-unit": {
            "unit": unit_id,
            "from": last_month_end.replace(day=1).isoformat(),
            "to": last_month_end.isoformat(),
        },
        "5y-unit": {"unit": unit_id, **five},
        "year-all": {**year, "group": "field"},
        "5y-all": {**five, "group": "month"},
    }[name]


def _populate(rows: int, units_n: int, seed: int = 1) -> tuple[list[Any], Any]:
    from django.db import transaction

    from congso.kernel.orgunits.models import AdminUnit, AdminUnitLevel
    from congso.kernel.people.models import Position, Role, User
    from congso.procedures.models import (
        Dossier,
        DossierRating,
        OnlineLevel,
        Procedure,
        ProcedureField,
    )
    from congso.procedures.stats.bulk import insert_rows

    rng = random.Random(seed)
    city = AdminUnit.objects.create(
        name="Thành phố Hà Nội", level=AdminUnitLevel.PROVINCE, code="01", dataset="bench"
    )
    units = [
        AdminUnit.objects.create(
            name=f"Phường Thử {i + 1}",
            level=AdminUnitLevel.WARD,
            code=f"0{i + 1:04d}",
            dataset="bench",
            parent=city,
            org_code=f"H26.B{i + 1}",
            is_served=True,
        )
        for i in range(units_n)
    ]
    leader = User.objects.create_user(username="lanhdao", password="x-bench-only")  # noqa: S106
    for unit in units:
        Position.objects.create(user=leader, unit=unit, role=Role.LEADER)
    fields = [ProcedureField.objects.create(code=f"F{i}", name=f"Lĩnh vực {i}") for i in range(8)]
    procedures = [
        Procedure.objects.create(
            code=f"B.{i:03d}",
            name=f"Thủ tục thử {i}",
            field=fields[i % 8],
            duration_value=Decimal(3),
            online_level=OnlineLevel.FULL if i % 3 else OnlineLevel.NONE,
        )
        for i in range(25)
    ]
    start = dt.datetime(2021, 1, 1, 1, 0, tzinfo=dt.UTC)
    now = dt.datetime.now(dt.UTC)
    span = (now - start).total_seconds()
    counters: dict[tuple[int, int], int] = {}

    def dossiers() -> Any:
        for i in range(rows):
            submitted = start + dt.timedelta(seconds=span * i / rows + rng.uniform(0, 60))
            unit = units[i % units_n]
            proc = procedures[rng.randrange(25)]
            key = (unit.pk, submitted.year)
            counters[key] = counters.get(key, 0) + 1
            age = (now - submitted).days
            due = submitted + dt.timedelta(days=4)
            row: dict[str, Any] = {
                "id": i + 1,
                "unit_id": unit.pk,
                "procedure_id": proc.pk,
                "field_id": proc.field_id,
                "code": f"{unit.org_code}-{submitted:%y%m%d}-{i:07d}",
                "lookup_secret": "BENCHXYZ",
                "register_year": submitted.year,
                "register_number": counters[key],
                "channel": 2 if rng.random() < 0.4 else (3 if rng.random() < 0.03 else 1),
                "applicant_type": 0,
                "applicant_name": "Người nộp thử",
                "sets_count": 1,
                "submitted_at": submitted,
                "received_at": submitted,
                "due_at": due,
                "original_due_at": due,
                "paused_hours": Decimal(0),
                "fee_amount": Decimal(0),
                "digitised": rng.random() < 0.7,
                "reused_data": rng.random() < 0.3,
                "status": 10,
            }
            if age < 10 and rng.random() < 0.5:
                row["status"] = 4
            else:
                r = rng.random()
                finish = submitted + dt.timedelta(
                    days=(rng.uniform(0.5, 3) if r < 0.9 else rng.uniform(4.1, 8))
                )
                row["completed_at"] = finish
                row["returned_at"] = finish + dt.timedelta(hours=5)
                row["timeliness"] = "early" if r < 0.7 else ("on_time" if r < 0.9 else "late")
                row["spent_hours"] = Decimal(round(rng.uniform(4, 40), 2))
                row["result_electronic"] = rng.random() < 0.5
            yield row

    t0 = time.perf_counter()
    with transaction.atomic():
        insert_rows(Dossier, dossiers(), batch=10000)
    rated = Dossier.objects.filter(status=10).values_list("id", "unit_id", "returned_at")
    ratings = (
        {
            "id": n + 1,
            "dossier_id": d,
            "unit_id": u,
            "score": rng.choices([3, 2, 1], [60, 33, 7])[0],
            "comment": "",
            "created_at": at + dt.timedelta(hours=2),
        }
        for n, (d, u, at) in enumerate(x for x in rated.iterator(20000) if rng.random() < 0.3)
    )
    with transaction.atomic():
        insert_rows(DossierRating, ratings, batch=10000)
    print(f"populated {rows} dossiers in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    return units, leader


def _direct(unit_ids: list[int], start: dt.date, end: dt.date) -> dict[str, Any]:
    """peer1: the same period figures by aggregate queries over the dossier table."""
    from django.db.models import Count, Q, Sum

    from congso.procedures.models import Dossier, DossierRating
    from congso.procedures.stats.summary import day_bounds

    a, _ = day_bounds(start)
    _, b = day_bounds(end)
    base = Dossier.objects.filter(unit_id__in=unit_ids)
    received = list(
        base.filter(submitted_at__gte=a, submitted_at__lt=b)
        .values("procedure_id")
        .annotate(
            desk=Count("id", filter=Q(channel=1)),
            online=Count("id", filter=Q(channel=2)),
            post=Count("id", filter=Q(channel=3)),
            digitised=Count("id", filter=Q(digitised=True)),
        )
        .order_by()
    )
    resolved = list(
        base.filter(completed_at__gte=a, completed_at__lt=b)
        .values("procedure_id")
        .annotate(
            early=Count("id", filter=Q(timeliness="early")),
            on_time=Count("id", filter=Q(timeliness="on_time")),
            late=Count("id", filter=Q(timeliness="late")),
            hours=Sum("spent_hours"),
        )
        .order_by()
    )
    ratings = list(
        DossierRating.objects.filter(unit_id__in=unit_ids, created_at__gte=a, created_at__lt=b)
        .values("dossier__procedure_id")
        .annotate(n=Count("id"), ok=Count("id", filter=Q(score__gte=2)))
        .order_by()
    )
    pending = base.filter(status__in=(2, 4, 5, 6)).count()
    return {"received": received, "resolved": resolved, "ratings": ratings, "pending": pending}


def _naive(unit_ids: list[int], start: dt.date, end: dt.date) -> dict[str, int]:
    """peer2: every dossier of the period through Python."""
    from congso.procedures.models import Dossier
    from congso.procedures.stats.summary import day_bounds

    a, _ = day_bounds(start)
    _, b = day_bounds(end)
    out = {"received": 0, "online": 0, "in_time": 0, "resolved": 0}
    for d in Dossier.objects.filter(unit_id__in=unit_ids).iterator(5000):
        if a <= d.submitted_at < b:
            out["received"] += 1
            out["online"] += d.channel == 2
        if d.completed_at and a <= d.completed_at < b:
            out["resolved"] += 1
            out["in_time"] += d.timeliness in ("early", "on_time")
    return out


def child(
    backend: str, rows: int, units_n: int, requests: int, reuse: bool, ours_only: bool = False
) -> None:
    setup_django(static=True)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from congso.kernel.orgunits.models import AdminUnit
    from congso.kernel.people.models import User
    from congso.procedures.models import Dossier
    from congso.procedures.stats import summary

    if reuse and Dossier.objects.exists():
        units = list(AdminUnit.objects.filter(dataset="bench", level="ward").order_by("id"))
        leader = User.objects.get(username="lanhdao")
    else:
        units, leader = _populate(rows, units_n)
    t0 = time.perf_counter()
    summary_rows = summary.rebuild() if not (reuse and ours_only) else -1
    rebuild_s = time.perf_counter() - t0
    client = logged_in_client(leader)
    today = timezone.localdate()
    unit_ids = [u.pk for u in units]
    result: dict[str, Any] = {
        "backend": backend,
        "rows": Dossier.objects.count(),
        "summary_rows": summary_rows,
        "rebuild_s": round(rebuild_s, 1),
        "queries": {},
    }
    for name in QUERIES:
        params = _params(name, units[0].pk, today)
        entry: dict[str, Any] = {}
        for label, url in (("api", "/api/v1/statistics"), ("page", "/mot-cua/thong-ke/")):
            p = dict(params)
            if label == "page":
                p = {k: v for k, v in p.items()}
                for key in ("from", "to"):
                    p[key] = dt.date.fromisoformat(p[key]).strftime("%d/%m/%Y")
            response = client.get(url, p)  # warm-up
            assert response.status_code == 200, (url, response.status_code, response.content[:300])
            times = []
            n_queries = 0
            for _ in range(requests):
                with CaptureQueriesContext(connection) as captured:
                    t = time.perf_counter()
                    client.get(url, p)
                    times.append((time.perf_counter() - t) * 1000)
                n_queries = len(captured.captured_queries)
            entry[label] = {
                "p50": round(percentile(times, 50), 1),
                "p95": round(percentile(times, 95), 1),
                "queries": n_queries,
            }
        if ours_only:
            entry["direct"] = entry["naive"] = {"p50": 0.0, "p95": 0.0}
            result["queries"][name] = entry
            continue
        start = dt.date.fromisoformat(params["from"])
        end = dt.date.fromisoformat(params["to"])
        ids = [params["unit"]] if "unit" in params else unit_ids
        times = []
        for _ in range(max(3, requests // 4)):
            t = time.perf_counter()
            _direct(ids, start, end)
            times.append((time.perf_counter() - t) * 1000)
        entry["direct"] = {
            "p50": round(percentile(times, 50), 1),
            "p95": round(percentile(times, 95), 1),
        }
        times = []
        for _ in range(2):
            t = time.perf_counter()
            _naive(ids, start, end)
            times.append((time.perf_counter() - t) * 1000)
        entry["naive"] = {"p50": round(percentile(times, 50), 1), "p95": round(max(times), 1)}
        result["queries"][name] = entry
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--big", action="store_true", help="1 000 000 dossiers")
    parser.add_argument("--units", type=int, default=4)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--only", choices=["sqlite", "pg"])
    parser.add_argument(
        "--ours-only", action="store_true", help="skip the peers (with --reuse: no rebuild)"
    )
    args = parser.parse_args()
    rows = 1_000_000 if args.big else args.rows
    if args.child:
        child(args.child, rows, args.units, args.requests, args.reuse, args.ours_only)
        return
    extra = ["--rows", str(rows), "--units", str(args.units), "--requests", str(args.requests)]
    if args.reuse:
        extra.append("--reuse")
    if args.ours_only:
        extra.append("--ours-only")
    results = run_children(__file__, f"stats-{rows}", extra, reuse=args.reuse, only=args.only)
    print(f"One-stop statistics over {rows:,} dossiers, p50/p95 ms (server time, in-process)")
    for backend, r in results.items():
        print(
            f"\n[{backend}] {r['rows']:,} dossiers, summary {r['summary_rows']:,} rows, "
            f"rebuild {r['rebuild_s']} s"
        )
        print(
            f"{'query':<11} {'ours API p50/p95':>18} {'page p50/p95':>16} {'q':>3} "
            f"{'direct p95':>11} {'naive p95':>10} {'direct÷ours':>12} {'naive÷ours':>11}"
        )
        for name, e in r["queries"].items():
            ours = e["api"]["p95"] or 0.1
            print(
                f"{name:<11} {e['api']['p50']:>8}/{e['api']['p95']:<9} "
                f"{e['page']['p50']:>7}/{e['page']['p95']:<8} {e['api']['queries']:>3} "
                f"{e['direct']['p95']:>11} {e['naive']['p95']:>10} "
                f"{e['direct']['p95'] / ours:>12.1f} {e['naive']['p95'] / ours:>11.1f}"
            )


if __name__ == "__main__":
    main()
