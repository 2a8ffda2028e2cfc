"""One index vs two shards (searched one after the other, and side by side by a helper
process), same corpus, same queries, same run.

    python bench/search/bench_shards.py [--docs 50000]

Uses the corpus and queries of ``bench_search.py`` (generated if missing) and builds, the first
time, a one-shard index and a two-shard index of it under var/bench/search/ (``ours1shard-N``,
``ours2shard-N``; ``--docs 1000000`` reuses ``bench_search.py``'s ``ours-1000000``, sharded by
default at that size). Prints p50 / p95 ms per class for a district leader and a ward clerk
(the users of ``bench_search.py``). Measured for bench/search/README.md; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1] / "src")]

import bench_search as bs  # noqa: E402
import corpus  # noqa: E402

from congso.kernel.search.backends.base import Scope, SearchRequest  # noqa: E402
from congso.kernel.search.backends.tantivy_backend import TantivyBackend  # noqa: E402
from congso.kernel.search.query import parse_query  # noqa: E402
from congso.kernel.search.registry import Grant  # noqa: E402
from congso.kernel.search.units import UnitTree  # noqa: E402


def built_index(docs: int, shards: int) -> Path:
    """An index of the corpus with ``shards`` shards (built the first time)."""
    if shards == 2 and (bs.DATA / f"ours-{docs}" / "CURRENT").exists():
        existing = bs.DATA / f"ours-{docs}"
        if TantivyBackend(existing).stats().get("shards") == 2:
            return existing
    path = bs.DATA / f"ours{shards}shard-{docs}"
    if (path / "CURRENT").exists():
        return path
    backend = TantivyBackend(path, shards=shards, shard_min_docs=0)
    bs.fill_index(backend, corpus.corpus_file(docs, bs.DATA))
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=50_000)
    args = parser.parse_args()
    bs.DATA.mkdir(parents=True, exist_ok=True)
    queries_file = bs.DATA / f"queries-{args.docs}.json"
    if not queries_file.exists():
        made = bs.make_queries(corpus.corpus_file(args.docs, bs.DATA), 100)
        queries_file.write_text(json.dumps(made, ensure_ascii=False))
    queries = json.loads(queries_file.read_text())
    one, two = built_index(args.docs, 1), built_index(args.docs, 2)
    parent: dict[int, int | None] = {bs.CITY: None}
    for unit in range(1, 301):
        parent[bs.district_of(unit)] = bs.CITY
        parent[unit] = bs.district_of(unit)
    children: dict[int, list[int]] = {}
    for unit, up in parent.items():
        if up is not None:
            children.setdefault(up, []).append(unit)
    tree = UnitTree(parent=parent, children={k: tuple(v) for k, v in children.items()})
    variants = [
        ("one index", TantivyBackend(one, parallel=False)),
        ("shards in turn", TantivyBackend(two, parallel=False)),
        ("shards side by side", TantivyBackend(two, parallel=True)),
    ]
    print(
        f"{args.docs:,} documents".replace(",", ".")
        + f"; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; p50 / p95 ms"
    )
    print(f"{'user':<9} {'index':<20} " + "  ".join(f"{c:>13}" for c in bs.CLASSES))
    for who in ("district", "ward"):
        units, clearance = bs.SCOPES[who]
        roots, singles = tree.compress(units)
        scope = Scope(clearance=clearance, default=(Grant(units=singles, subtrees=roots),))
        for name, backend in variants:
            cells = []
            for cls in bs.CLASSES:
                times = []
                for repeat in range(2):  # the first pass warms the page cache (and the helper)
                    for q in queries[cls]:
                        started = time.perf_counter()
                        backend.search(SearchRequest(query=parse_query(q), scope=scope))
                        if repeat:
                            times.append((time.perf_counter() - started) * 1000)
                p = bs.percentiles(times)
                cells.append(f"{statistics.median(times):5.1f} / {p['p95']:5.1f}")
            print(f"{who:<9} {name:<20} " + "  ".join(f"{c:>13}" for c in cells), flush=True)
    for _name, backend in variants:
        backend.close_workers()
    return 0


if __name__ == "__main__":
    sys.exit(main())
