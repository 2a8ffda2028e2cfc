"""p95 server time of the urban map endpoint (bbox query) and the ward dashboard, SQLite and
PostgreSQL, over many field reports and construction works.

ours:  ``GET /api/v1/urban/map?bbox=…`` (all three layers: reports, works, clearance projects)
       at street zoom (a ~600 m box at a random place in the ward), ``GET /api/v1/urban/map``
       for reports with no box (the whole ward, capped at 2 000 points: the "zoomed out" case),
       and ``GET /api/v1/urban/dashboard?unit=…`` over one year (construction, clearance and
       report figures), through Django's test Client with a ward leader logged in; time measured
       around the request in-process (server time, no network).
peers: (1) "no index": the same endpoints after dropping the apps' lat/lon and received-at
       indexes (what the query costs without them); (2) "naive scan" for the street box: load
       every point of the ward and keep those in the box in Python (what a map without a spatial
       filter in the database does). Figures are printed, never asserted.

The rows are bulk-generated into a database of the benchmark's own (SQLite under var/bench/,
PostgreSQL ``bench_urban`` on BENCH_DATABASE_URL's server, dropped and created afresh): reports
and works split between two wards with the demo boundaries, points inside the wards, 2022–2026,
realistic statuses, answers and ratings; plus the demo clearance portfolio. Usage:

    .venv/bin/python bench/urban/bench_map.py            # 50 000 reports, 5 000 works
    .venv/bin/python bench/urban/bench_map.py --big      # 1 000 000 reports, 100 000 works
    .venv/bin/python bench/urban/bench_map.py --reports 200000 --works 20000 --requests 40
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = ROOT / "var" / "bench"
PG_DB = "bench_urban"
PASSWORD = "x-bench-only"  # noqa: S105 - throwaway accounts in a throwaway database
PG_SERVER = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


# --- databases (one child process per backend) --------------------------------------------------


def _pg_url(db: str) -> str:
    return f"{PG_SERVER.rsplit('/', 1)[0]}/{db}"


def pg_available() -> bool:
    try:
        import psycopg
    except ImportError:
        return False
    try:
        with psycopg.connect(_pg_url("postgres"), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def child_env(backend: str, reuse: bool = False) -> dict[str, str]:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    var = BENCH_DIR / f"urban-map-{backend}"
    if not reuse:
        shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "congso.settings",
            "PYTHONPATH": str(ROOT / "src"),
            "CONGSO_VAR_DIR": str(var),
            "MEDIA_ROOT": str(var / "media"),
            "DEBUG": "0",
            "SEARCH_BACKEND": "",
        }
    )
    env.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789")
    if backend == "pg" and not reuse:
        import psycopg

        with psycopg.connect(_pg_url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{PG_DB}"')
    if backend == "pg":
        env["DATABASE_URL"] = _pg_url(PG_DB)
    else:
        env["DATABASE_URL"] = f"sqlite:///{var / 'db.sqlite3'}"
    return env


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


# --- the data ------------------------------------------------------------------------------------


def _wards() -> tuple[Any, Any, Any]:
    from congso.kernel.orgunits.models import AdminUnit, AdminUnitLevel
    from congso.kernel.people.models import Position, Role, User
    from congso.urban import geo
    from congso.urban.clearance.demo_geo import PHU_THUONG_BOUNDARY, TAY_HO_BOUNDARY

    city = AdminUnit.objects.create(
        name="Thành phố Hà Nội", level=AdminUnitLevel.PROVINCE, code="01", dataset="bench"
    )
    wards = []
    for name, code, boundary in (
        ("Phường Tây Hồ", "00103", TAY_HO_BOUNDARY),
        ("Phường Phú Thượng", "00091", PHU_THUONG_BOUNDARY),
    ):
        ward = AdminUnit.objects.create(
            name=name,
            level=AdminUnitLevel.WARD,
            code=code,
            dataset="bench",
            parent=city,
            valid_from=dt.date(2021, 1, 1),
            is_served=True,
        )
        geo.unit_set_boundary(unit=ward, geometry=boundary)
        wards.append(ward)
    leader = User.objects.create_user(username="lanhdao", password=PASSWORD, full_name="Lãnh Đạo")
    Position.objects.create(user=leader, unit=wards[0], role=Role.LEADER)
    return wards[0], wards[1], leader


def _points(rng: random.Random, unit: Any, n: int) -> list[tuple[float, float]]:
    from congso.urban import geo

    min_lat, min_lon, max_lat, max_lon = geo.unit_bbox(unit)
    out: list[tuple[float, float]] = []
    while len(out) < n:
        lat, lon = rng.uniform(min_lat, max_lat), rng.uniform(min_lon, max_lon)
        if geo.unit_contains(unit, lat, lon):
            out.append((lat, lon))
    return out


def _literal(field: Any, vendor: str) -> str:
    """SQL for a column the generator does not set: NULL or the field's default."""
    if field.null:
        return "NULL"
    value = field.get_default()  # "" for a blank text field without a default
    if value is None:
        raise SystemExit(f"bench: no value for {field.model.__name__}.{field.name}")
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE") if vendor == "postgresql" else str(int(value))
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict | list):
        text = json.dumps(value).replace("'", "''")
        return f"CAST('{text}' AS jsonb)" if vendor == "postgresql" else f"'{text}'"
    if isinstance(value, dt.datetime):
        return "CURRENT_TIMESTAMP"
    return "'" + str(value).replace("'", "''") + "'"


def _insert(model: Any, rows: int, inner: dict[str, str], outer: dict[str, str]) -> None:
    """INSERT … SELECT of ``rows`` generated rows, all in the database (seconds for 1M).

    ``inner`` columns are computed from ``s.n`` and the point pool ``p``; ``outer`` maps the
    model's columns to expressions over the inner columns (``q.*``)."""
    from django.db import connection

    vendor = connection.vendor
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        values.append(outer.get(field.column) or _literal(field, vendor))
    inner_sql = ", ".join(f"{expr} AS {name}" for name, expr in inner.items())
    # Built from the model's metadata and constants only (no input): hence S608 below.
    table = connection.ops.quote_name(model._meta.db_table)
    zero = "CAST(0 AS BIGINT)"  # n * 104729 overflows PostgreSQL's integer
    series = f"SELECT {zero} UNION ALL SELECT n + 1 FROM s WHERE n < {rows - 1}"  # noqa: S608
    columns_in = f"s.n AS n, p.unit_id AS unit_id, p.lat AS plat, p.lon AS plon, {inner_sql}"
    source = f"SELECT {columns_in} FROM s JOIN bench_pool p ON p.idx = s.n % 8000"  # noqa: S608
    head = f"INSERT INTO {table} ({', '.join(columns)}) WITH RECURSIVE s(n) AS ({series})"
    sql = f"{head} SELECT {', '.join(values)} FROM ({source}) q"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)


def _case(expr: str, values: list[Any]) -> str:
    parts = " ".join(f"WHEN {i} THEN {v}" for i, v in enumerate(values))
    return f"CASE ({expr}) % {len(values)} {parts} END"


def generate(reports: int, works: int, wards: tuple[Any, Any], today: dt.date) -> dict[str, float]:
    """Generate the rows in the database itself (INSERT … SELECT over a recursive series and a
    pool of points inside the wards); returns seconds per part."""
    from django.db import connection, transaction

    from congso.urban.clearance.demo_clearance import load_portfolio
    from congso.urban.construction.models import PermitStatus, Work, WorkStatus
    from congso.urban.reports.models import FieldReport, ReportCategory

    rng = random.Random(1_000_000)
    pg = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_pool (idx INTEGER PRIMARY KEY, unit_id INTEGER, lat "
            "DOUBLE PRECISION, lon DOUBLE PRECISION)"
        )
        pools = {w.pk: _points(rng, w, 4000) for w in wards}
        rows = [(i, wards[i % 2].pk, *pools[wards[i % 2].pk][i // 2]) for i in range(8000)]
        cursor.executemany("INSERT INTO bench_pool VALUES (%s, %s, %s, %s)", rows)
    days = (today - dt.date(2022, 1, 1)).days

    def at(offset: str) -> str:  # received_at plus an interval in hours
        if pg:
            return (
                "(TIMESTAMPTZ '2022-01-01 00:00:00+00' + make_interval("
                "days => CAST(q.d AS INTEGER), secs => CAST(q.sec AS DOUBLE PRECISION))"
                f" + make_interval(hours => CAST({offset} AS INTEGER)))"
            )
        return (
            "datetime('2022-01-01 00:00:00', '+' || q.d || ' days', '+' || q.sec || ' seconds', "
            f"'+' || ({offset}) || ' hours')"
        )

    categories = list(ReportCategory.objects.values_list("pk", flat=True))
    status = (
        "CASE WHEN s.n * 13 % 100 < 55 THEN 'closed' WHEN s.n * 13 % 100 < 70 THEN 'answered' "
        "WHEN s.n * 13 % 100 < 78 THEN 'assigned' WHEN s.n * 13 % 100 < 83 THEN 'accepted' "
        "WHEN s.n * 13 % 100 < 87 THEN 'submitted' WHEN s.n * 13 % 100 < 97 THEN 'refused' "
        "ELSE 'merged' END"
    )
    answered = "q.st IN ('closed', 'answered')"
    timings: dict[str, float] = {}
    started = time.perf_counter()
    with transaction.atomic():
        _insert(
            FieldReport,
            reports,
            inner={
                "st": status,
                "d": f"(s.n * 7919) % {days}",
                "sec": "(s.n * 104729) % 86400",
                "h": "2 + (s.n * 31) % 118",
            },
            outer={
                "unit_id": "q.unit_id",
                "category_id": _case("q.n", categories),
                "tracking_code": "'PA-B' || q.n",
                "channel": "'portal'",
                "description": "'Phản ánh thử nghiệm hiệu năng.'",
                "lat": "q.plat + ((q.n * 37) % 800 - 400) / 1000000.0",
                "lon": "q.plon + ((q.n * 53) % 800 - 400) / 1000000.0",
                "status": "q.st",
                "level": _case("q.n", ["'normal'"] * 8 + ["'complex'", "'urgent'"]),
                "received_at": at("0"),
                "receipt_due_at": at("16"),
                "accepted_at": f"CASE WHEN q.st <> 'submitted' THEN {at('2')} END",
                "handle_due_at": at("120"),
                "answered_at": f"CASE WHEN {answered} THEN {at('q.h')} END",
                "answer_hours": f"CASE WHEN {answered} THEN q.h END",
                "answered_on_time": f"CASE WHEN {answered} THEN q.h < 80 END",
                "rating": "CASE WHEN q.st = 'closed' THEN "
                + _case("q.n", ["NULL", "NULL", "3", "4", "5", "5"])
                + " END",
                "updated_at": at("0"),
            },
        )
    timings["reports_s"] = time.perf_counter() - started

    started = time.perf_counter()
    with transaction.atomic():
        created = at("0")
        _insert(
            Work,
            works,
            inner={"d": f"(s.n * 7919) % {days}", "sec": "(s.n * 104729) % 86400"},
            outer={
                "unit_id": "q.unit_id",
                "code": "'CT-B-' || q.n",
                "address": "'Số ' || (q.n % 300 + 1) || ', ngõ ' || (q.n % 97 + 1)",
                "lat": "q.plat + ((q.n * 37) % 800 - 400) / 1000000.0",
                "lon": "q.plon + ((q.n * 53) % 800 - 400) / 1000000.0",
                "owner_name": "'Chủ đầu tư thử nghiệm'",
                "permit_status": _case("q.n", [f"'{v}'" for v in PermitStatus.values]),
                "status": _case("q.n * 7", [f"'{v}'" for v in WorkStatus.values]),
                "started_on": f"CAST({created} AS DATE)" if pg else f"date({created})",
                "created_at": created,
                "updated_at": created,
            },
        )
    timings["works_s"] = time.perf_counter() - started

    started = time.perf_counter()
    with transaction.atomic():
        load_portfolio(wards[0], wards[1], today)
    timings["projects_s"] = time.perf_counter() - started
    return timings


# --- timing ---------------------------------------------------------------------------------------


def _client(user: Any) -> Any:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


CPU: dict[str, list[float]] = {}


def _time(client: Any, urls: list[str], key: str = "") -> tuple[list[float], int]:
    """Wall time per request (ms); the CPU time of this process per request goes to CPU[key]
    (the database server's CPU is not in it; on PostgreSQL it is another process)."""
    response = client.get(urls[0])  # warm-up
    if response.status_code != 200:
        raise SystemExit(f"{urls[0]}: HTTP {response.status_code} {response.content[:300]!r}")
    times: list[float] = []
    cpu = CPU.setdefault(key, [])
    points = 0
    for url in urls:
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        points += len(body.get("features", []))
    return times, points // max(1, len(urls))


def _boxes(rng: random.Random, unit: Any, n: int, half: float) -> list[tuple[float, ...]]:
    pts = _points(rng, unit, n)
    return [(lon - half, lat - half, lon + half, lat + half) for lat, lon in pts]


def _naive(user: Any, boxes: list[tuple[float, ...]]) -> list[float]:
    """Peer 2: every point of the user's wards from the database, the box applied in Python."""
    from congso.kernel.people.selectors import visible_unit_ids
    from congso.urban.construction.models import Work
    from congso.urban.reports.models import FieldReport

    times = []
    for west, south, east, north in boxes:
        start = time.perf_counter()
        units = visible_unit_ids(user)
        found = 0
        for model in (FieldReport, Work):
            for lat, lon in model.objects.filter(unit_id__in=units).values_list("lat", "lon"):
                if lat is not None and south <= lat <= north and west <= lon <= east:
                    found += 1
        times.append((time.perf_counter() - start) * 1000)
    return times


def _existing() -> tuple[Any, Any, Any] | None:
    """--reuse: the wards and leader of an earlier run whose rows are still there."""
    from congso.kernel.orgunits.models import AdminUnit
    from congso.kernel.people.models import User

    try:
        a = AdminUnit.objects.get(dataset="bench", code="00103")
        b = AdminUnit.objects.get(dataset="bench", code="00091")
        return a, b, User.objects.get(username="lanhdao")
    except (AdminUnit.DoesNotExist, User.DoesNotExist):
        return None


def _restore_indexes() -> list[str]:
    """Create the model indexes a previous run's no-index peer dropped."""
    from django.db import connection

    from congso.urban.construction.models import Work
    from congso.urban.reports.models import FieldReport

    made = []
    for model in (FieldReport, Work):
        with connection.cursor() as cursor:
            present = connection.introspection.get_constraints(cursor, model._meta.db_table)
        for index in model._meta.indexes:
            if index.name not in present:
                with connection.schema_editor() as editor:
                    editor.add_index(model, index)
                made.append(index.name)
    return made


def child(
    backend: str, reports: int, works: int, requests: int, reuse: bool = False
) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from congso.urban.reports.models import FieldReport
    from congso.urban.reports.selectors import summary_refresh

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_s = time.perf_counter() - started
    today = dt.date(2026, 11, 20)
    found = _existing() if reuse else None
    if found is not None:
        ward_a, ward_b, leader = found
        reports = FieldReport.objects.count()
        from congso.urban.construction.models import Work

        works = Work.objects.count()
        started = time.perf_counter()
        restored = _restore_indexes()
        timings = {
            "reports_s": 0.0,
            "works_s": 0.0,
            "projects_s": 0.0,
            "indexes_s": time.perf_counter() - started,
            "restored": len(restored),
        }
    else:
        ward_a, ward_b, leader = _wards()
        timings = generate(reports, works, (ward_a, ward_b), today)
    timings["migrate_s"] = migrate_s
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if backend == "pg" else "ANALYZE")
    # The dashboard's daily summary: built once in full (then kept fresh incrementally).
    started, started_cpu = time.perf_counter(), time.process_time()
    summary_refresh(full=True)
    timings["summary_s"] = time.perf_counter() - started
    timings["summary_cpu_s"] = time.process_time() - started_cpu

    rng = random.Random(7)
    client = _client(leader)
    street = [
        f"/api/v1/urban/map?bbox={w:.6f},{s:.6f},{e:.6f},{n:.6f}"
        for w, s, e, n in _boxes(rng, ward_a, requests, 0.003)
    ]
    whole = ["/api/v1/urban/map?layers=report&limit=2000"] * max(5, requests // 3)
    dash = [f"/api/v1/urban/dashboard?unit={ward_a.pk}&start=2025-11-21&end=2026-11-20"] * max(
        5, requests // 3
    )
    few = max(5, requests // 4)
    points_only = [u + "&cluster=off" for u in street[:few]]
    dash_raw = dash[:few]
    r: dict[str, Any] = {"backend": backend, "reports": reports, "works": works, **timings}
    for key, urls in (("street", street), ("whole", whole), ("dash", dash), ("off", points_only)):
        times, points = _time(client, urls, key)
        r[f"{key}_p50"], r[f"{key}_p95"], r[f"{key}_points"] = (
            percentile(times, 50),
            percentile(times, 95),
            points,
        )
        r[f"{key}_cpu_p95"] = percentile(CPU[key], 95)
    # The dashboard without the summary (raw aggregates, as before it existed).
    from django.test import override_settings

    with override_settings(URBAN_DASHBOARD_SUMMARY=False):
        times, _ = _time(client, dash_raw, "dash_raw")
    r["dash_raw_p95"] = percentile(times, 95)
    r["dash_raw_cpu_p95"] = percentile(CPU["dash_raw"], 95)
    # A request's fixed cost: the smallest map answer (no layer).
    times, _ = _time(client, ["/api/v1/urban/map?layers=none"] * few, "empty")
    r["empty_p50"] = percentile(times, 50)
    r["load_average"] = os.getloadavg()[0]
    naive_boxes = _boxes(rng, ward_a, max(3, min(requests, 10) // 2), 0.003)
    r["naive_p95"] = percentile(_naive(leader, naive_boxes), 95)
    # Peer 1: the same endpoints without the indexes the selectors rely on.
    with connection.cursor() as cursor:
        for name in (
            "urbrep_unit_latlon",
            "urban_work_lat_lon",
            "urbrep_unit_received",
            "urbrep_received",
            "urbrep_status_unit",
        ):
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        cursor.execute("ANALYZE")
    for key, urls in (("street", street[:few]), ("dash", dash[:few])):
        times, _ = _time(client, urls, f"{key}_noindex")
        r[f"{key}_noindex_p95"] = percentile(times, 95)
    return r


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=50_000)
    parser.add_argument("--works", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--big", action="store_true", help="1 000 000 reports, 100 000 works")
    parser.add_argument("--only", choices=["sqlite", "pg"])
    parser.add_argument("--child")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the rows of the previous run (var/bench/urban-map-*, PostgreSQL bench_urban)",
    )
    args = parser.parse_args()
    if args.big:
        args.reports, args.works = 1_000_000, 100_000
    if args.child:
        print(json.dumps(child(args.child, args.reports, args.works, args.requests, args.reuse)))
        return
    backends = [b for b in ["sqlite", "pg"] if args.only in (None, b)]
    if "pg" in backends and not pg_available():
        backends.remove("pg")
        print("PostgreSQL not reachable: SQLite only.")
    results = {}
    for backend in backends:
        proc = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                backend,
                "--reports",
                str(args.reports),
                "--works",
                str(args.works),
                "--requests",
                str(args.requests),
                *(["--reuse"] if args.reuse else []),
            ],
            env=child_env(backend, args.reuse),
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            print(proc.stdout[-3000:], proc.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"bench_map ({backend}) failed")
        line = [x for x in proc.stdout.splitlines() if x.startswith("{")][-1]
        print(f"{backend}: {line}", flush=True)  # kept even if a later backend fails
        results[backend] = json.loads(line)
    print(
        f"Urban map and dashboard: {args.reports:,} reports, {args.works:,} works, "
        f"57 projects; p95 in ms ({args.requests} street boxes)"
    )
    print(
        f"{'backend':<8}{'street p50':>11}{'street p95':>11}{'pts':>6}{'no-index':>10}"
        f"{'naive':>9}{'ratio':>7}{'ward p95':>10}{'dash p95':>10}{'no-index':>10}{'ratio':>7}"
    )
    for backend, r in results.items():
        print(
            f"{backend:<8}{r['street_p50']:>11.1f}{r['street_p95']:>11.1f}{r['street_points']:>6}"
            f"{r['street_noindex_p95']:>10.1f}{r['naive_p95']:>9.0f}"
            f"{r['street_noindex_p95'] / r['street_p95']:>7.1f}"
            f"{r['whole_p95']:>10.1f}{r['dash_p95']:>10.1f}{r['dash_noindex_p95']:>10.1f}"
            f"{r['dash_noindex_p95'] / r['dash_p95']:>7.1f}"
        )
    print(
        f"{'backend':<8}{'pts off p95':>12}{'pts':>6}{'ratio':>7}{'dash raw p95':>13}{'ratio':>7}"
        f"{'street cpu':>11}{'dash cpu':>9}{'raw cpu':>8}{'empty p50':>10}{'load':>6}"
    )
    for backend, r in results.items():
        print(
            f"{backend:<8}{r['off_p95']:>12.1f}{r['off_points']:>6}"
            f"{r['off_p95'] / r['street_p95']:>7.1f}{r['dash_raw_p95']:>13.1f}"
            f"{r['dash_raw_p95'] / r['dash_p95']:>7.1f}{r['street_cpu_p95']:>11.1f}"
            f"{r['dash_cpu_p95']:>9.1f}{r['dash_raw_cpu_p95']:>8.1f}{r['empty_p50']:>10.1f}"
            f"{r['load_average']:>6.1f}"
        )
    for backend, r in results.items():
        print(
            f"{backend}: generated reports {r['reports_s']:.0f} s, works {r['works_s']:.0f} s, "
            f"projects {r['projects_s']:.1f} s; migrate {r['migrate_s']:.0f} s; summary full "
            f"build {r['summary_s']:.1f} s (CPU here {r['summary_cpu_s']:.1f} s); street boxes "
            f"return {r['street_points']} features, the whole ward {r['whole_points']}"
        )
    print(
        "street: all layers in a ~600 m box (clustered above URBAN_MAP_CLUSTER_THRESHOLD); "
        "ward: reports, no box; dash: one ward, one year (daily summary). Peers: no-index = "
        "same endpoint with the lat/lon and received-at indexes dropped; naive = every point of "
        "the ward loaded, box applied in Python; pts off = the street boxes with cluster=off "
        "(points, as before clustering, ≤ 2 000 per layer); dash raw = the dashboard "
        "aggregating the raw reports (URBAN_DASHBOARD_SUMMARY=False). cpu = CPU time of the "
        "request process p95 (ms; PostgreSQL's own CPU not included); empty = a map request "
        "with no layer (the fixed cost of an authenticated request)."
    )


if __name__ == "__main__":
    main()
