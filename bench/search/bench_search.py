"""Search at scale: ours (Tantivy with our analysis) vs PostgreSQL tsvector+ts_rank vs SQLite
FTS5 bm25, same synthetic corpus, same queries; then our full rebuild and the time an update
takes to show in search with the worker running, through Django.

    python bench/search/bench_search.py [--docs 50000] [--queries 100] [--engines ours,pg,sqlite]
                                        [--no-django] [--keep]

Per engine: index build time and size, peak memory (RSS of the process that builds, of the one
that queries; for PostgreSQL also its server backend), and p50/p95/max of ranked top-20 queries
with a permission filter (units and secrecy) and snippets, per query class (two words, phrase,
accentless, notation). Our figures are server time and include the counts per kind (facets) too;
the peers' do not. Generated data lives under var/bench/search/ (not committed).

Measured on this machine for the closing note and bench/README.md; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT / "src")]

import corpus  # noqa: E402

from congso.kernel.search.analysis import fold, words  # noqa: E402

DATA = ROOT / "var" / "bench" / "search"
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/congso_bench_search")
CLASSES = ["two_word", "phrase", "accentless", "notation"]
# Who asks. The corpus's 300 units are wards of 10 districts (30 each) of one city; unit
# sizes follow a Pareto law, so district 1 (wards 1–30) holds about 90% of the documents.
# "district": its leader (all 30 wards, clearance Mật) — the heaviest realistic filter;
# "ward": a clerk of ward 7 (about 1.5% of the documents, no clearance).
SCOPES: dict[str, tuple[list[int], int]] = {
    "district": (list(range(1, 31)), 1),
    "ward": ([7], 0),
}
CITY = 2000


def district_of(unit: int) -> int:
    return 1000 + (unit - 1) // 30


def unit_path(unit: int) -> tuple[int, ...]:
    return (CITY, district_of(unit), unit)


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    if not ordered:
        return {"p50": 0.0, "p95": 0.0, "max": 0.0, "n": 0}
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "p50": round(statistics.median(ordered), 2),
        "p95": round(p95, 2),
        "max": round(ordered[-1], 2),
        "n": len(ordered),
    }


# --- queries ----------------------------------------------------------------------------------


def make_queries(path: Path, per_class: int, seed: int = 99) -> dict[str, list[str]]:
    """What people look for: the subject of a document (its topic, a place), a notation.

    Each query starts from a random document of the corpus (so common subjects are asked more
    often) and takes, from the subject of its title: a two-syllable word (two_word), three or
    four syllables in quotes (phrase), two or three syllables without accents (accentless);
    notations are the document's own, a cited law or decree, or the short "NĐ 30" form.
    """
    rng = random.Random(seed)
    topics = sorted(corpus.TOPICS, key=len, reverse=True)
    places = [p.split(" ", 1)[1] for p in corpus.PLACES if p.startswith("tại ")]
    sample = []
    with path.open() as handle:
        for i, line in enumerate(handle):
            if i % 97 == 0:
                sample.append(json.loads(line))
            if len(sample) >= 4000:
                break
    out: dict[str, list[str]] = {c: [] for c in CLASSES}

    def subject(doc: dict[str, Any]) -> list[str]:
        if rng.random() < 0.15:  # sometimes a place
            return words(rng.choice(places))
        topic = next((t for t in topics if t in doc["title"]), rng.choice(topics))
        return [w for w in words(topic) if not w.isdigit()]

    while min(len(v) for v in out.values()) < per_class:
        doc = rng.choice(sample)
        subj = subject(doc)
        if len(out["two_word"]) < per_class and len(subj) >= 2:
            k = rng.randrange(0, len(subj) - 1, 2)
            out["two_word"].append(" ".join(subj[k : k + 2]).lower())
        if len(out["phrase"]) < per_class and len(subj) >= 3:
            n = min(len(subj), rng.choice([3, 4]))
            out["phrase"].append('"' + " ".join(subj[:n]).lower() + '"')
        if len(out["accentless"]) < per_class and len(subj) >= 2:
            n = min(len(subj), rng.choice([2, 3]))
            k = rng.randrange(0, len(subj) - n + 1)
            out["accentless"].append(fold(" ".join(subj[k : k + n])))
        if len(out["notation"]) < per_class:
            r = rng.random()
            if r < 0.5:
                out["notation"].append(doc["notation"])
            elif r < 0.8:
                out["notation"].append(rng.choice(corpus.LEGAL)[1])
            else:
                number = rng.choice(corpus.LEGAL)[1].split("/")[0]
                out["notation"].append(f"NĐ {number}")
    return out


# --- ours -------------------------------------------------------------------------------------


def _index_document(d: corpus.CorpusDoc) -> Any:
    import datetime as dt

    from congso.kernel.search.registry import IndexDocument

    return IndexDocument(
        kind=d.kind,
        id=d.id,
        title=d.title,
        unit_id=d.unit,
        secrecy=d.secrecy,
        notation=d.notation,
        body=d.body,
        extra=f"{d.sender} · {d.doctype}",
        date=dt.date.fromisoformat(d.date),
        attrs=(("type", d.doctype), ("status", d.status), ("urgency", str(d.urgency))),
        snippet=d.secrecy == 0,
        unit_path=unit_path(d.unit),
    )


def fill_index(backend: Any, corpus_path: Path) -> None:
    """The corpus into a new generation of ``backend`` (the bulk path ``search_reindex`` uses),
    sharded as the backend's settings say for its size."""
    docs = int(corpus_path.name.split("-")[2])  # corpus-v2-<docs>-2026.jsonl
    with backend.rebuild(resume=False, expected_docs=docs) as session:
        session.start_kind("all")
        batch = []
        for d in corpus.read_corpus(corpus_path):
            batch.append(_index_document(d))
            if len(batch) == 5000:
                session.add(batch)
                batch = []
        session.add(batch)
        session.checkpoint("all", 0, finished=True)
        with session.publishing():
            pass


def ours_build(corpus_path: Path, index: Path) -> dict[str, Any]:
    from congso.kernel.search.backends.tantivy_backend import TantivyBackend

    shutil.rmtree(index, ignore_errors=True)
    started = time.perf_counter()
    fill_index(TantivyBackend(index), corpus_path)
    seconds = time.perf_counter() - started
    live = index / (index / "CURRENT").read_text().strip()
    return {"build_s": round(seconds, 1), "size_mb": round(dir_size(live) / 2**20, 1)}


def ours_query(index: Path, queries: dict[str, list[str]]) -> dict[str, Any]:
    from congso.kernel.search.backends.base import Scope, SearchRequest
    from congso.kernel.search.backends.tantivy_backend import TantivyBackend
    from congso.kernel.search.query import parse_query
    from congso.kernel.search.registry import Grant
    from congso.kernel.search.units import UnitTree

    parent: dict[int, int | None] = {CITY: None}
    for unit in range(1, 301):
        parent[district_of(unit)] = CITY
        parent[unit] = district_of(unit)
    children: dict[int, list[int]] = {}
    for unit, up in parent.items():
        if up is not None:
            children.setdefault(up, []).append(unit)
    tree = UnitTree(parent=parent, children={k: tuple(v) for k, v in children.items()})

    # BENCH_OURS_PARALLEL=0: the shards searched one after the other, in this process.
    parallel = os.environ.get("BENCH_OURS_PARALLEL", "1") != "0"
    backend = TantivyBackend(index, parallel=parallel)
    out: dict[str, Any] = {"shards": backend.stats().get("shards", 1), "parallel": parallel}
    for name, (units, clearance) in SCOPES.items():
        roots, singles = tree.compress(units)  # what unit_grant() does with a user's units
        scope = Scope(clearance=clearance, default=(Grant(units=singles, subtrees=roots),))
        steps: dict[str, list[float]] = {}
        per_class: dict[str, Any] = {}
        for repeat in range(2):  # the first pass warms the page cache; the second is measured
            cpus: list[float] = []
            # The shard helper processes' CPU (the thread time above is this process's only).
            helpers = [w.pid for w in backend._workers.values()]
            helper_ticks = sum(_proc_cpu_ticks(pid) for pid in helpers)
            for cls, items in queries.items():
                times = []
                for q in items:
                    started = time.perf_counter()
                    cpu = time.thread_time()
                    result = backend.search(SearchRequest(query=parse_query(q), scope=scope))
                    times.append((time.perf_counter() - started) * 1000)
                    cpus.append((time.thread_time() - cpu) * 1000)
                    if repeat:
                        for step, ms in result.timings.items():
                            steps.setdefault(step, []).append(ms)
                if repeat:
                    per_class[cls] = percentiles(times)
                    subset = int(os.environ.get("BENCH_PEER_QUERIES") or 0)
                    if subset:
                        per_class.setdefault("subset", {})[cls] = percentiles(times[:subset])
        per_class["cpu_ms"] = percentiles(cpus)
        if helpers:
            used = sum(_proc_cpu_ticks(pid) for pid in helpers) - helper_ticks
            per_class["helper_cpu_ms_mean"] = round(
                used * 1000 / os.sysconf("SC_CLK_TCK") / max(1, len(cpus)), 2
            )
        per_class["steps_p50_ms"] = {k: round(statistics.median(v), 2) for k, v in steps.items()}
        out[name] = per_class
    peaks = [_proc_peak_mb(w.pid) for w in backend._workers.values()]
    out["helper_peak_rss_mb"] = [p for p in peaks if p is not None]
    return out


# --- PostgreSQL ---------------------------------------------------------------------------------

PG_FOLD = "f_unaccent(regexp_replace({}, '[/.-]', ' ', 'g'))"


def _pg(dbname: str = "postgres") -> Any:
    import psycopg

    url = PG_URL.rsplit("/", 1)[0] + "/" + dbname
    return psycopg.connect(url, autocommit=True)


def pg_build(corpus_path: Path) -> dict[str, Any]:
    dbname = PG_URL.rsplit("/", 1)[1]
    with _pg() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        conn.execute(f'CREATE DATABASE "{dbname}"')
    started = time.perf_counter()
    with _pg(dbname) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        conn.execute(
            "CREATE FUNCTION f_unaccent(text) RETURNS text AS "
            "$$ SELECT public.unaccent('public.unaccent', $1) $$ "
            "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT"
        )
        conn.execute(
            "CREATE TABLE docs (id integer PRIMARY KEY, unit integer, secrecy integer, "
            "title text, notation text, body text, tsv tsvector)"
        )
        with (
            conn.cursor() as cur,
            cur.copy("COPY docs (id, unit, secrecy, title, notation, body) FROM STDIN") as copy,
        ):
            for d in corpus.read_corpus(corpus_path):
                copy.write_row((d.id, d.unit, d.secrecy, d.title, d.notation, d.body))
        loaded = time.perf_counter()
        title = PG_FOLD.format("title || ' ' || notation")
        body = PG_FOLD.format("body")
        conn.execute(
            f"UPDATE docs SET tsv = setweight(to_tsvector('simple', {title}), 'A') || "  # noqa: S608
            f"setweight(to_tsvector('simple', {body}), 'D')"
        )
        conn.execute("CREATE INDEX docs_tsv ON docs USING gin (tsv)")
        conn.execute("CREATE INDEX docs_unit ON docs (unit)")
        conn.execute("VACUUM ANALYZE docs")
        size = conn.execute("SELECT pg_total_relation_size('docs')").fetchone()[0]
    seconds = time.perf_counter() - started
    return {
        "build_s": round(seconds, 1),
        "load_s": round(loaded - started, 1),
        "size_mb": round(size / 2**20, 1),
    }


def _pg_tsquery(cls: str, q: str) -> tuple[str, str]:
    text = q.strip('"')
    if cls == "phrase" or (cls == "notation" and ("/" in text or "-" in text)):
        return "phraseto_tsquery", text
    return "plainto_tsquery", text


def pg_query(queries: dict[str, list[str]]) -> dict[str, Any]:
    dbname = PG_URL.rsplit("/", 1)[1]
    out: dict[str, Any] = {}
    with _pg(dbname) as conn:
        backend_pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        for name, (units, clearance) in SCOPES.items():
            out[name] = _pg_scope(conn, queries, units, clearance)
        out["server_peak_rss_mb"] = _proc_peak_mb(backend_pid)
    return out


def _pg_scope(
    conn: Any, queries: dict[str, list[str]], units: list[int], clearance: int
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    for repeat in range(2):
        ticks = _proc_cpu_ticks(pid)
        count = 0
        for cls, items in queries.items():
            times = []
            for q in items:
                count += 1
                func, text = _pg_tsquery(cls, q)
                sql = (
                    f"SELECT id, title, ts_headline('simple', f_unaccent(body), query, "  # noqa: S608
                    f"'MaxFragments=1,MaxWords=30,MinWords=15') FROM ("
                    f" SELECT id, title, body, query FROM docs,"
                    f" {func}('simple', {PG_FOLD.format('%s')}) query"
                    f" WHERE tsv @@ query AND unit = ANY(%s) AND secrecy <= %s"
                    f" ORDER BY ts_rank(tsv, query) DESC LIMIT 20) t"
                )
                started = time.perf_counter()
                conn.execute(sql, (text, units, clearance)).fetchall()
                times.append((time.perf_counter() - started) * 1000)
            if repeat:
                out[cls] = percentiles(times)
        # The server backend's CPU (clock ticks of /proc: a mean per query, not percentiles).
        used = (_proc_cpu_ticks(pid) - ticks) * 1000 / os.sysconf("SC_CLK_TCK")
        out["cpu_ms"] = {"mean": round(used / max(1, count), 2), "n": count}
    return out


def _proc_cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _proc_peak_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


# --- SQLite FTS5 --------------------------------------------------------------------------------


def sqlite_build(corpus_path: Path, path: Path) -> dict[str, Any]:
    import sqlite3

    path.unlink(missing_ok=True)
    started = time.perf_counter()
    db = sqlite3.connect(path)
    db.executescript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
        "CREATE TABLE meta (id INTEGER PRIMARY KEY, unit INTEGER, secrecy INTEGER);"
        "CREATE VIRTUAL TABLE fts USING fts5(title, notation, body,"
        " tokenize='unicode61 remove_diacritics 2');"
    )
    batch: list[tuple[Any, ...]] = []
    meta: list[tuple[Any, ...]] = []

    def flush() -> None:
        db.executemany("INSERT INTO fts (rowid, title, notation, body) VALUES (?, ?, ?, ?)", batch)
        db.executemany("INSERT INTO meta VALUES (?, ?, ?)", meta)
        batch.clear()
        meta.clear()

    with db:
        for d in corpus.read_corpus(corpus_path):
            # FTS5 never folds "đ": fold everything ourselves (the peers' best case).
            batch.append((d.id, fold(d.title), fold(d.notation), fold(d.body)))
            meta.append((d.id, d.unit, d.secrecy))
            if len(batch) >= 10_000:
                flush()
        flush()
    db.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    db.commit()
    db.close()
    return {
        "build_s": round(time.perf_counter() - started, 1),
        "size_mb": round(path.stat().st_size / 2**20, 1),
    }


def _fts_match(cls: str, q: str) -> str:
    parts = [fold(w) for w in words(q)]
    if cls == "phrase" or (cls == "notation" and ("/" in q or "-" in q)):
        return '"' + " ".join(parts) + '"'
    return " AND ".join(f'"{p}"' for p in parts)


def sqlite_query(path: Path, queries: dict[str, list[str]]) -> dict[str, Any]:
    import sqlite3

    db = sqlite3.connect(path)
    out: dict[str, Any] = {}
    for name, (units, clearance) in SCOPES.items():
        listed = ",".join(str(int(u)) for u in units)
        sql = (
            "SELECT m.id, snippet(fts, 2, '<mark>', '</mark>', '…', 16) FROM fts"  # noqa: S608
            " JOIN meta m ON m.id = fts.rowid"
            f" WHERE fts MATCH ? AND m.unit IN ({listed}) AND m.secrecy <= ?"
            " ORDER BY bm25(fts, 4.0, 3.0, 1.0) LIMIT 20"
        )
        per_class: dict[str, Any] = {}
        for repeat in range(2):
            cpus: list[float] = []
            for cls, items in queries.items():
                times = []
                for q in items:
                    started = time.perf_counter()
                    cpu = time.thread_time()
                    db.execute(sql, (_fts_match(cls, q), clearance)).fetchall()
                    times.append((time.perf_counter() - started) * 1000)
                    cpus.append((time.thread_time() - cpu) * 1000)
                if repeat:
                    per_class[cls] = percentiles(times)
        per_class["cpu_ms"] = percentiles(cpus)
        out[name] = per_class
    return out


# --- through Django: rebuild and update latency -------------------------------------------------


#: ``--django-db pg``: the Django phase on PostgreSQL, in this database (dropped and created).
DJANGO_PG_DB = "bench_search_django"


def django_env(n: int, db: str = "sqlite") -> dict[str, str]:
    env = dict(os.environ)
    if db == "pg":
        url = PG_URL.rsplit("/", 1)[0] + "/" + DJANGO_PG_DB
    else:
        url = f"sqlite:///{DATA / f'django-{n}.sqlite3'}"
    env.update(
        DJANGO_SETTINGS_MODULE="congso.settings",
        DATABASE_URL=url,
        SEARCH_INDEX_DIR=str(DATA / f"django-index-{n}{'-pg' if db == 'pg' else ''}"),
        TASK_BACKEND="database",
        PYTHONPATH=str(ROOT / "src"),
        CONGSO_VAR_DIR=str(DATA / "var"),
    )
    return env


def django_setup(n: int, db: str) -> None:
    import django

    os.environ.update(django_env(n, db))
    django.setup()


def django_loaded(n: int, db: str) -> bool:
    """``--keep``: is a database of ``n`` incoming documents (and the bench users) there?"""
    if db == "sqlite" and not (DATA / f"django-{n}.sqlite3").exists():
        return False
    if db == "pg":
        try:
            with _pg(DJANGO_PG_DB):
                pass
        except Exception:
            return False
    django_setup(n, db)
    from congso.documents.models import IncomingDocument
    from congso.kernel.people.models import User

    try:
        return (
            IncomingDocument.objects.count() == n
            and User.objects.filter(username__startswith="bench-").count() == 2
        )
    except Exception:
        return False


def django_load(corpus_path: Path, n: int, db: str = "sqlite") -> dict[str, Any]:
    """A fresh database with ``n`` incoming documents (no outbox rows: then a full rebuild).

    Set-up, not measured: rows go in with one prepared ``INSERT`` run by ``executemany`` in
    batches, in one transaction (model instances and ``bulk_create`` took ≈ 15 min per
    million); the database's own triggers (SQLite's trigram index of the list filter) run as
    they would in production."""
    from django.core.management import call_command

    if db == "pg":
        with _pg() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DJANGO_PG_DB}"')
            conn.execute(f'CREATE DATABASE "{DJANGO_PG_DB}"')
    else:
        sqlite_db = DATA / f"django-{n}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(sqlite_db) + suffix).unlink(missing_ok=True)
    shutil.rmtree(django_env(n, db)["SEARCH_INDEX_DIR"], ignore_errors=True)
    django_setup(n, db)
    call_command("migrate", verbosity=0)
    from django.db import connection, transaction
    from django.utils import timezone

    from congso.documents.models import DocumentType, IncomingDocument
    from congso.kernel.orgunits.models import AdminUnit, AdminUnitLevel

    started = time.perf_counter()
    city = AdminUnit.objects.create(
        name="Thành phố Hà Nội", level=AdminUnitLevel.PROVINCE, code="01", dataset="bench"
    )
    units = [
        AdminUnit.objects.create(
            name=f"Phường {i}",
            level=AdminUnitLevel.WARD,
            code=f"9{i:04d}",
            dataset="bench",
            parent=city,
        )
        for i in range(30)
    ]
    types = {t.name: t.pk for t in DocumentType.objects.all()}
    fallback = next(iter(types.values()))
    # One template row (every default, as the model would save it); per document only the
    # corpus's columns change.
    template = IncomingDocument(
        unit=units[0], arrival_year=2026, arrival_number=1, channel="paper", document_type_id=1
    )
    now = timezone.now()
    fields = [f for f in IncomingDocument._meta.concrete_fields if not f.primary_key]
    base = []
    for f in fields:
        if f.attname in ("created_at", "updated_at"):
            value: Any = now
        else:
            value = getattr(template, f.attname)
        base.append(f.get_db_prep_save(value, connection))
    at = {f.attname: i for i, f in enumerate(fields)}
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = (
        f"INSERT INTO {connection.ops.quote_name(IncomingDocument._meta.db_table)} "  # noqa: S608
        f"({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    )
    varying = [
        at[name]
        for name in (
            "unit_id",
            "arrival_number",
            "sender_name",
            "document_type_id",
            "notation",
            "subject",
            "text",
            "secrecy",
            "urgency",
        )
    ]
    numbers: dict[int, int] = {}
    batch: list[list[Any]] = []
    with transaction.atomic(), connection.cursor() as cursor:
        for d in corpus.read_corpus(corpus_path):
            unit = units[d.unit % len(units)].pk
            numbers[unit] = numbers.get(unit, 0) + 1
            row = base.copy()
            for i, value in zip(
                varying,
                (
                    unit,
                    numbers[unit],
                    d.sender,
                    types.get(d.doctype, fallback),
                    d.notation,
                    d.title,
                    d.body,
                    d.secrecy,
                    d.urgency,
                ),
                strict=True,
            ):
                row[i] = value
            batch.append(row)
            if len(batch) == 10_000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
    _django_users(city, units[0])
    if db == "pg":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {IncomingDocument._meta.db_table}")
    return {"load_s": round(time.perf_counter() - started, 1)}


def _django_users(city: Any, ward: Any) -> None:
    """Who asks through the real path: the city's leader (sees its 30 wards, clearance Mật)
    and a clerk of one ward (about 1/30 of the documents, no clearance)."""
    from congso.kernel.people.models import Position, Role, User

    for username, unit, role, clearance in (
        ("bench-leader", city, Role.LEADER, 1),
        ("bench-clerk", ward, Role.CLERK, 0),
    ):
        user = User.objects.create_user(
            username=username, password=None, full_name="Người đo", clearance=clearance
        )
        Position.objects.create(user=user, unit=unit, role=role)


def django_queries(queries: dict[str, list[str]]) -> dict[str, Any]:
    """The same queries through ``selectors.search_for`` — what the results page and the API
    call: the user's scope from their positions, ranked top 20, snippets, counts per kind and
    the hits' unit names (server time without the template)."""
    from congso.kernel.people.models import User
    from congso.kernel.search.selectors import search_for

    out: dict[str, Any] = {}
    for name, username in (("city leader", "bench-leader"), ("ward clerk", "bench-clerk")):
        user = User.objects.get(username=username)
        per_class: dict[str, Any] = {}
        for repeat in range(2):  # the first pass warms the page cache
            for cls, items in queries.items():
                times = []
                for q in items:
                    started = time.perf_counter()
                    page = search_for(user, q=q, limit=20)
                    times.append((time.perf_counter() - started) * 1000)
                    assert not page.unavailable, page.unavailable
                if repeat:
                    per_class[cls] = percentiles(times)
        per_class["worst_p95"] = max(per_class[c]["p95"] for c in CLASSES)
        out[name] = per_class
    return out


def django_rebuild(n: int, db: str = "sqlite") -> dict[str, Any]:
    """``manage.py search_reindex --restart`` in a process of its own (its CPU and RSS)."""
    load_before = os.getloadavg()
    started = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import resource, django; django.setup();"
            "from django.core.management import call_command;"
            "call_command('search_reindex', '--no-progress', '--restart');"
            "u = resource.getrusage(resource.RUSAGE_SELF);"
            "c = resource.getrusage(resource.RUSAGE_CHILDREN);"
            "print('CHILD', c.ru_utime + c.ru_stime);"
            "print('CPU', u.ru_utime + u.ru_stime);"
            "print('RSS', u.ru_maxrss)",
        ],
        env=django_env(n, db),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    seconds = time.perf_counter() - started
    rss = int(proc.stdout.split("RSS")[-1].strip()) / 1024
    cpu = float(proc.stdout.split("CPU")[-1].split("RSS")[0].strip())
    child = float(proc.stdout.split("CHILD")[-1].split("CPU")[0].strip())
    index = Path(django_env(n, db)["SEARCH_INDEX_DIR"])
    live = index / (index / "CURRENT").read_text().strip()
    return {
        "rebuild_s": round(seconds, 1),
        "rebuild_cpu_s": round(cpu + child, 1),  # the command's threads + its worker processes
        "rebuild_cpu_parent_s": round(cpu, 1),
        "rebuild_cpu_workers_s": round(child, 1),
        "peak_rss_mb": round(rss, 1),
        "size_mb": round(dir_size(live) / 2**20, 1),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }


def django_latency(n: int, db: str = "sqlite", updates: int = 20) -> dict[str, Any]:
    """Commit a change with the worker running; poll search until the change shows."""
    from django.db import transaction

    from congso.documents.models import IncomingDocument
    from congso.kernel.search.backends import get_backend
    from congso.kernel.search.backends.base import Scope, SearchRequest
    from congso.kernel.search.query import parse_query
    from congso.kernel.search.registry import Grant

    # As scripts/serve.sh runs them: the task worker and the search worker beside it.
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", *command],
            env=django_env(n, db),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for command in (
            ["db_worker", "--no-reload", "--queue-name", "*"],
            ["search_worker"],
        )
    ]
    try:
        from congso.kernel.core.tasks import worker_heartbeat

        probe = worker_heartbeat.enqueue()  # wait for the worker to be up and taking tasks
        deadline = time.perf_counter() + 120
        while time.perf_counter() < deadline:
            probe.refresh()
            if probe.is_finished:
                break
            time.sleep(0.2)
        backend = get_backend()
        everything = Scope(clearance=3, default=(Grant(units=None),))
        latencies = []
        rng = random.Random(5)
        ids = list(IncomingDocument.objects.order_by("?").values_list("pk", flat=True)[:updates])
        for i, pk in enumerate(ids):
            token = f"capnhat{i}x{rng.randrange(10**6)}t{time.time_ns() % 10**9}"
            with transaction.atomic():
                doc = IncomingDocument.objects.get(pk=pk)
                doc.subject = f"{doc.subject} {token}"
                doc.save(update_fields=["subject"])
            committed = time.perf_counter()
            while time.perf_counter() - committed < 30:
                found = backend.search(
                    SearchRequest(
                        query=parse_query(token), scope=everything, facets=False, snippets=False
                    )
                )
                if found.hits:
                    break
                time.sleep(0.02)
            latencies.append((time.perf_counter() - committed) * 1000)
            time.sleep(0.5)
        return {"update_visible_ms": percentiles(latencies)}
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=30)


# --- main ---------------------------------------------------------------------------------------


def worker_main(args: argparse.Namespace) -> int:
    """One phase of one engine in a process of its own (so that its peak memory is its own)."""
    corpus_path = DATA / f"corpus-v{corpus.VERSION}-{args.docs}-2026.jsonl"
    queries = json.loads((DATA / f"queries-{args.docs}.json").read_text())
    result: dict[str, Any]
    if args.phase == "build":
        if args.engine == "ours":
            result = ours_build(corpus_path, DATA / f"ours-{args.docs}")
        elif args.engine == "pg":
            result = pg_build(corpus_path)
        else:
            result = sqlite_build(corpus_path, DATA / f"fts5-{args.docs}.sqlite3")
    elif args.engine == "ours":
        result = ours_query(DATA / f"ours-{args.docs}", queries)
    else:
        # --peer-queries N: the peers answer the first N queries of each class (seconds each
        # at 1,000,000 documents); ours reports the same subset beside its full figures.
        n = int(os.environ.get("BENCH_PEER_QUERIES") or 0)
        if n:
            queries = {cls: items[:n] for cls, items in queries.items()}
        if args.engine == "pg":
            result = pg_query(queries)
        else:
            result = sqlite_query(DATA / f"fts5-{args.docs}.sqlite3", queries)
    result["peak_rss_mb"] = rss_mb()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["cpu_s"] = round(usage.ru_utime + usage.ru_stime, 1)  # this process, all threads
    print("RESULT " + json.dumps(result))
    return 0


def run_phase(engine: str, phase: str, docs: int) -> dict[str, Any]:
    proc = subprocess.run(
        [
            sys.executable,
            __file__,
            "--worker",
            "--engine",
            engine,
            "--phase",
            phase,
            "--docs",
            str(docs),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr else "failed"}
    line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def pg_available() -> bool:
    try:
        with _pg():
            return True
    except Exception:
        return False


def django_phase(
    args: argparse.Namespace,
    corpus_path: Path,
    queries: dict[str, list[str]],
    report: dict[str, Any],
    docs: str,
) -> None:
    n, db = args.docs, args.django_db
    phases = {p for p in args.django_phases.split(",") if p}
    print()
    print(f"through Django ({'PostgreSQL' if db == 'pg' else 'SQLite'} database):")
    out: dict[str, Any] = {"database": db}
    if "load" in phases and not (args.keep and django_loaded(n, db)):
        out.update(django_load(corpus_path, n, db))
        print(f"  {docs} incoming documents loaded in {out['load_s']} s")
    else:
        django_setup(n, db)
    if "rebuild" in phases:
        rebuild = django_rebuild(n, db)
        out.update(rebuild)
        print(
            f"  search_reindex {rebuild['rebuild_s']} s, CPU {rebuild['rebuild_cpu_s']} s "
            f"(peak RSS {rebuild['peak_rss_mb']} MB, index {rebuild['size_mb']} MB; load "
            f"average before {rebuild['load_before']}, after {rebuild['load_after']})"
        )
    if "queries" in phases:
        real = django_queries(queries)
        out["queries"] = real
        print(
            "  through selectors.search_for (scope from positions, top 20, snippets, counts); "
            "p50 / p95 / max ms"
        )
        print(f"  {'user':<18} " + " ".join(f"{c:>24}" for c in CLASSES))
        for who, per_class in real.items():
            cells = [
                f"{per_class[c]['p50']:.1f} / {per_class[c]['p95']:.1f} / {per_class[c]['max']:.1f}"
                for c in CLASSES
            ]
            print(f"  {who:<18} " + " ".join(f"{c:>24}" for c in cells))
    if "latency" in phases:
        latency = django_latency(n, db)
        out.update(latency)
        lat = latency["update_visible_ms"]
        print(
            f"  update visible in search after commit, search_worker + db_worker running: "
            f"p50 {lat['p50']:.0f} ms, p95 {lat['p95']:.0f} ms, max {lat['max']:.0f} ms "
            f"over {lat['n']} updates"
        )
    report["django"] = out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=100, help="per class")
    parser.add_argument("--engines", default="ours,pg,sqlite")
    parser.add_argument("--no-django", action="store_true")
    parser.add_argument(
        "--peer-queries",
        type=int,
        default=0,
        help="the peers answer only the first N queries per class (ours: reported on them too)",
    )
    parser.add_argument(
        "--django-only", action="store_true", help="only the Django phase (no engine builds)"
    )
    parser.add_argument(
        "--django-db",
        choices=("sqlite", "pg"),
        default="sqlite",
        help=f"the Django phase's database (pg: {DJANGO_PG_DB} on BENCH_PG_URL's server)",
    )
    parser.add_argument(
        "--django-phases",
        default="load,rebuild,queries,latency",
        help="which Django phases to run (load is skipped with --keep when the data is there)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="reuse built indexes and a loaded Django database"
    )
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--engine", default="", help=argparse.SUPPRESS)
    parser.add_argument("--phase", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker_main(args)
    if args.peer_queries:
        os.environ["BENCH_PEER_QUERIES"] = str(args.peer_queries)

    DATA.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    corpus_path = corpus.corpus_file(args.docs, DATA)
    queries_path = DATA / f"queries-{args.docs}.json"
    queries = json.loads(queries_path.read_text()) if args.keep and queries_path.exists() else {}
    if any(len(queries.get(c, ())) != args.queries for c in CLASSES):
        queries = make_queries(corpus_path, args.queries)
        queries_path.write_text(json.dumps(queries, ensure_ascii=False))
    docs = f"{args.docs:,}".replace(",", ".")
    print(
        f"search bench: {docs} documents, {args.queries} queries × {len(CLASSES)} "
        f"classes, users {', '.join(SCOPES)}; {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f}; corpus ready in {time.perf_counter() - started:.0f} s"
    )
    engines = [e for e in args.engines.split(",") if e and not args.django_only]
    if "pg" in engines and not pg_available():
        print("PostgreSQL: no server at 127.0.0.1:5432, skipped")
        engines.remove("pg")
    report: dict[str, Any] = {"docs": args.docs, "queries_per_class": args.queries}
    for engine in engines:
        build = run_phase(engine, "build", args.docs) if not args.keep else {}
        query = run_phase(engine, "query", args.docs)
        report[engine] = {"build": build, "query": query}

    names = {"ours": "ours (Tantivy)", "pg": "PostgreSQL ts_rank", "sqlite": "SQLite FTS5 bm25"}
    print()
    print(
        f"{'engine':<20} {'build s':>8} {'CPU s':>7} {'size MB':>8} {'RSS build MB':>13} "
        f"{'RSS query MB':>13}"
    )
    for engine in engines:
        b, q = report[engine]["build"], report[engine]["query"]
        if "error" in q or "error" in b:
            print(f"{names[engine]:<20} error: {q.get('error') or b.get('error')}")
            continue
        rss_query = f"{q['peak_rss_mb']}"
        for helper in q.get("helper_peak_rss_mb", []):
            rss_query += f" + {helper} helper"
        if engine == "pg" and q.get("server_peak_rss_mb"):
            rss_query += f" + {q['server_peak_rss_mb']} server"
        print(
            f"{names[engine]:<20} {b.get('build_s', '-'):>8} {b.get('cpu_s', '-'):>7} "
            f"{b.get('size_mb', '-'):>8} "
            f"{b.get('peak_rss_mb', '-'):>13} {rss_query:>13}"
        )
    for scope, (units, clearance) in SCOPES.items():
        print()
        print(
            f"ranked top 20 + permission filter + snippets, user: {scope} "
            f"({len(units)} unit(s), clearance {clearance}); p50 / p95 / max ms"
        )
        print(f"{'engine':<20} " + " ".join(f"{c:>24}" for c in CLASSES))
        for engine in engines:
            q = report[engine]["query"]
            if "error" in q or scope not in q:
                continue
            cells = [
                f"{q[scope][c]['p50']:.1f} / {q[scope][c]['p95']:.1f} / {q[scope][c]['max']:.1f}"
                for c in CLASSES
            ]
            print(f"{names[engine]:<20} " + " ".join(f"{c:>24}" for c in cells))
        ours_subset = report.get("ours", {}).get("query", {}).get(scope, {}).get("subset")
        if ours_subset:
            cells = [
                f"{ours_subset[c]['p50']:.1f} / {ours_subset[c]['p95']:.1f} / "
                f"{ours_subset[c]['max']:.1f}"
                for c in CLASSES
            ]
            label = f"ours, first {args.peer_queries}"
            print(f"{label:<20} " + " ".join(f"{c:>24}" for c in cells))
            for engine in engines:
                q = report[engine]["query"]
                if engine == "ours" or "error" in q or scope not in q:
                    continue
                ratios = [
                    f"{q[scope][c]['p95'] / max(ours_subset[c]['p95'], 0.01):.1f}×" for c in CLASSES
                ]
                label = f"{engine} ÷ ours, p95"
                print(f"{label:<20} " + " ".join(f"{r:>24}" for r in ratios))
        print("CPU ms per query (all classes; the process or PostgreSQL backend that searches):")
        for engine in engines:
            q = report[engine]["query"]
            if "error" in q or scope not in q:
                continue
            cpu = q[scope].get("cpu_ms", {})
            if "p95" in cpu:
                line = f"p50 {cpu['p50']:.1f} / p95 {cpu['p95']:.1f} / max {cpu['max']:.1f}"
            else:
                line = f"mean {cpu.get('mean', 0):.1f}"
            if q[scope].get("helper_cpu_ms_mean") is not None:
                line += f" (+ shard helper process, mean {q[scope]['helper_cpu_ms_mean']:.1f})"
            print(f"  {names[engine]:<20} {line}")
        if "ours" in engines and scope in report["ours"]["query"]:
            ours = report["ours"]["query"]
            print(
                f"ours ({ours.get('shards', 1)} shard(s), parallel {ours.get('parallel')}), "
                f"median ms per step: {ours[scope]['steps_p50_ms']}"
            )

    if not args.no_django:
        django_phase(args, corpus_path, queries, report, docs)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    print(f"(total {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
