"""Gap-free numbering against its peers, in one run on this machine.

ours:  ``number_next`` — a counter row locked in the caller's transaction (gap-free).
peers: PostgreSQL ``SEQUENCE`` / ``nextval`` (fast, but a rolled-back transaction leaves a gap)
       and, on SQLite, a plain ``AUTOINCREMENT`` insert.

Each number is taken in its own committed transaction, as a clerk registering one document
would. Two shapes: one process taking numbers back to back, and several processes taking
numbers of the same sequence at once (where the counter row queues them and nextval does not).
The figures are printed, never asserted. Usage:

    DJANGO_SETTINGS_MODULE=congso.test_settings PYTHONPATH=src \\
        .venv/bin/python bench/numbering/bench_numbering.py [--n 2000] [--procs 4]

PostgreSQL is used when BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
answers; the benchmark works in a database of its own (``congso_bench_numbering``) that it
creates and drops.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.test_settings")

PG_BENCH_DB = "congso_bench_numbering"
SCOPE = {"scope": "unit:bench:arrival", "series": "arrival", "year": 2026}


def _configure(sqlite_path: str, pg_url: str | None) -> None:
    import dj_database_url
    from django.conf import settings

    sqlite = dict(settings.DATABASES["default"])
    if sqlite["ENGINE"] != "django.db.backends.sqlite3":
        # Production SQLite options (WAL, IMMEDIATE), whatever DATABASE_URL says.
        sqlite = {
            "ENGINE": "django.db.backends.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    sqlite["NAME"] = sqlite_path
    sqlite.pop("TEST", None)
    databases: dict[str, Any] = {"default": sqlite}
    if pg_url:
        pg = dj_database_url.parse(pg_url)
        pg["NAME"] = PG_BENCH_DB
        databases["pg"] = pg
    settings.DATABASES = databases

    import django

    django.setup()


def _pg_reachable(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


# --- the operations measured -----------------------------------------------------------------


def _op(kind: str, alias: str, with_row: bool) -> Any:
    """One committed transaction that takes a number (and, ``with_row``, stores a row with it,
    as registering a document does, so both sides pay for a real commit)."""
    from django.db import connections, transaction

    from congso.kernel.numbering.services import number_next

    connection = connections[alias]
    postgres = connection.vendor == "postgresql"

    def take(cursor: Any) -> int:
        if kind == "ours":
            return number_next(using=alias, **SCOPE)  # type: ignore[arg-type]
        if postgres:
            cursor.execute("SELECT nextval('bench_seq')")
            return int(cursor.fetchone()[0])
        cursor.execute("INSERT INTO bench_autoinc DEFAULT VALUES")
        return int(cursor.lastrowid)

    def op() -> int:
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            n = take(cursor)
            if with_row:
                cursor.execute("INSERT INTO bench_doc (n, title) VALUES (%s, %s)", [n, "Công văn"])
            return n

    return op


def _prepare(alias: str) -> None:
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", "numbering", database=alias, verbosity=0)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute('DELETE FROM "numbering_sequence"')
        if connection.vendor == "postgresql":
            cursor.execute("DROP SEQUENCE IF EXISTS bench_seq")
            cursor.execute("CREATE SEQUENCE bench_seq")
        else:
            cursor.execute("DROP TABLE IF EXISTS bench_autoinc")
            cursor.execute("CREATE TABLE bench_autoinc (id INTEGER PRIMARY KEY AUTOINCREMENT)")
        cursor.execute("DROP TABLE IF EXISTS bench_doc")
        cursor.execute("CREATE TABLE bench_doc (n integer NOT NULL, title varchar(100) NOT NULL)")


def _run(op: Any, n: int, *, warm: bool = True) -> tuple[float, list[int]]:
    if warm:
        op()  # warm up the connection and the row
    taken = []
    start = time.perf_counter()
    for _ in range(n):
        taken.append(op())
    return time.perf_counter() - start, taken


# --- worker processes ------------------------------------------------------------------------


def worker_main(args: argparse.Namespace) -> int:
    _configure(args.sqlite, args.pg_url)
    from django.db import connections

    op = _op(args.kind, args.alias, with_row=True)
    connections[args.alias].ensure_connection()
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        return 2
    elapsed, taken = _run(op, args.n, warm=False)
    print(json.dumps({"elapsed": elapsed, "taken": taken}), flush=True)
    return 0


def _concurrent(kind: str, alias: str, procs: int, n: int, sqlite: str, pg_url: str | None) -> Any:
    cmd = [sys.executable, __file__, "--worker", kind, "--alias", alias, "--n", str(n)]
    cmd += ["--sqlite", sqlite] + (["--pg-url", pg_url] if pg_url else [])
    children = [
        subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _ in range(procs)
    ]
    for child in children:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    start = time.perf_counter()
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    taken: list[int] = []
    for child in children:
        out, _ = child.communicate(timeout=600)
        taken += json.loads(out.strip().splitlines()[-1])["taken"]
    return time.perf_counter() - start, taken


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2000, help="numbers per measurement")
    parser.add_argument("--procs", type=int, default=4, help="processes in the concurrent runs")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds, best counts")
    parser.add_argument("--worker", choices=["ours", "peer"])
    parser.add_argument("--alias", default="default")
    parser.add_argument("--sqlite")
    parser.add_argument("--pg-url")
    args = parser.parse_args()
    if args.worker:
        args.kind = args.worker
        return worker_main(args)

    tmp = tempfile.mkdtemp(prefix="congso-bench-")
    sqlite_path = str(Path(tmp) / "bench.sqlite3")
    pg_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    if not _pg_reachable(pg_url):
        print(f"PostgreSQL not reachable at {pg_url}: SQLite only")
        pg_url = None
    if pg_url:
        _pg_admin(pg_url, f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
        _pg_admin(pg_url, f"CREATE DATABASE {PG_BENCH_DB}")
    try:
        _configure(sqlite_path, pg_url)
        from django.db import connections

        aliases = ["default"] + (["pg"] if pg_url else [])
        rows: list[tuple[str, str, float, float, str]] = []
        for alias in aliases:
            _prepare(alias)
            vendor = connections[alias].vendor
            peer_name = "nextval (SEQUENCE)" if vendor == "postgresql" else "AUTOINCREMENT insert"
            # One process, back to back; ours and the peer alternate in rounds (the machine is
            # shared, so the best round of each counts).
            for with_row, shape in ((False, "1 proc, number only"), (True, "1 proc, number+row")):
                best = {"ours": 0.0, "peer": 0.0}
                per_round = max(1, args.n // args.rounds)
                for _ in range(args.rounds):
                    for kind in ("ours", "peer"):
                        elapsed, taken = _run(_op(kind, alias, with_row), per_round)
                        best[kind] = max(best[kind], per_round / elapsed)
                        if kind == "ours":
                            assert taken == list(range(taken[0], taken[0] + per_round))
                rows.append((vendor, shape, best["ours"], best["peer"], peer_name))
            # Several processes on the same sequence at once, each number with its row.
            per = max(1, args.n // args.procs)
            connections[alias].close()
            _prepare(alias)
            ours_s, ours_taken = _concurrent("ours", alias, args.procs, per, sqlite_path, pg_url)
            peer_s, _ = _concurrent("peer", alias, args.procs, per, sqlite_path, pg_url)
            assert sorted(ours_taken) == list(range(1, per * args.procs + 1)), "gap or duplicate"
            total = per * args.procs
            shape = f"{args.procs} procs, number+row"
            rows.append((vendor, shape, total / ours_s, total / peer_s, peer_name))
            connections[alias].close()

        print(f"Gap-free numbering: numbers per second ({args.n} per row, one commit each)")
        print(f"{'database':<11} {'shape':<22} {'ours/s':>8} {'peer/s':>8} {'ours÷peer':>9}  peer")
        for vendor, shape, ours, peer, name in rows:
            print(f"{vendor:<11} {shape:<22} {ours:>8.0f} {peer:>8.0f} {ours / peer:>9.2f}  {name}")
    finally:
        if pg_url:
            from django.db import connections

            connections.close_all()
            _pg_admin(pg_url, f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
