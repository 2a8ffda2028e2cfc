"""Relevance: our Vietnamese analysis against plain ASCII folding, on the same Tantivy engine.

The collection: the documents of the labelled set (``relevance_set.py``: 72 queries in six
classes, with their targets and hard negatives) plus background documents of the demo corpus
(``documents/demo_corpus.py``: the senders, subjects, bodies and notations ``manage.py demo``
loads; ``--background-from synthetic`` takes the bench corpus ``corpus.py`` instead). Both
rankings use the same index:

- **ours**: what ``kernel/search`` does (folded matching, exact-accent boosts, word pairs,
  notation fields, lenient fallback);
- **plain**: what a system that folds everything to ASCII does: the folded field only, every
  word required, BM25 (title counted twice, as in ours), nothing else.

Scores: nDCG@10 (gains 2^grade − 1) and MRR (first document of grade ≥ 2), per query class.

    python bench/search/bench_relevance.py [--background 3000] [--background-from demo|synthetic]
                                           [--json out.json] [--show CLASS]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT / "src")]

import corpus  # noqa: E402
import relevance_set as rs  # noqa: E402

from congso.kernel.search.backends.base import Scope, SearchRequest  # noqa: E402
from congso.kernel.search.backends.tantivy_backend import TantivyBackend  # noqa: E402
from congso.kernel.search.query import parse_query  # noqa: E402
from congso.kernel.search.registry import Grant, IndexDocument  # noqa: E402

CLASSES = ["accentless", "partial", "exact", "phrase", "notation", "ocr"]
EVERYTHING = Scope(clearance=3, default=(Grant(units=None),))


def collection(background: int, source: str = "demo") -> list[rs.RelDoc]:
    docs = rs.documents()
    if source == "demo":
        docs.extend(demo_background(background))
    else:
        for d in corpus.generate(background, seed=11):
            docs.append(rs.RelDoc(f"bg{d.id}", d.title, d.body, notation=d.notation))
    return docs


def demo_background(n: int, seed: int = 11) -> list[rs.RelDoc]:
    """Documents as the demo corpus writes them (``documents.demo_corpus``: its senders, types,
    subject templates, bodies and notations), without a database."""
    import datetime as dt
    import random
    from types import SimpleNamespace

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
    django.setup()
    from congso.documents import demo_corpus as dc

    abbreviations = dict(corpus.DOC_TYPES)
    rng = random.Random(seed)
    senders = list(dc.SENDERS)
    weights = [s.weight for s in senders]
    out = []
    for i in range(n):
        sender = rng.choices(senders, weights=weights)[0]
        type_name = dc._weighted(rng, sender.types)
        topic = rng.choice(sender.topics)
        day = dt.date(2021, 1, 4) + dt.timedelta(days=rng.randrange(1900))
        place = "quận" if day < dt.date(2025, 7, 1) else "phường"
        subject, type_name = dc.subject_for(rng, type_name, topic, day, place)
        kind = SimpleNamespace(
            is_letter=type_name == "Công văn", abbreviation=abbreviations.get(type_name, "")
        )
        notation = dc._notation(sender, kind, day, rng)  # type: ignore[arg-type]
        body = " ".join(dc.body_for(rng, subject, day))
        out.append(rs.RelDoc(f"demo{i}", subject, body, notation=notation))
    return out


def build(docs: list[rs.RelDoc], path: Path) -> TantivyBackend:
    shutil.rmtree(path, ignore_errors=True)
    backend = TantivyBackend(path)
    with backend.rebuild(resume=False) as session:
        session.start_kind("doc")
        session.add(
            [
                IndexDocument(
                    kind="doc", id=i, title=d.title, body=d.body, notation=d.notation, unit_id=1
                )
                for i, d in enumerate(docs, start=1)
            ]
        )
        session.checkpoint("doc", len(docs), finished=True)
        with session.publishing():
            pass
    return backend


def dcg(grades: list[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def evaluate(backend: TantivyBackend, docs: list[rs.RelDoc], spec: rs.Spec) -> dict[str, float]:
    result = backend.search(
        SearchRequest(
            query=parse_query(spec.q), scope=EVERYTHING, limit=10, snippets=False, facets=False
        )
    )
    ranked = [docs[h.id - 1] for h in result.hits]
    grades = [rs.grade(spec, d) for d in ranked]
    ideal = sorted((rs.grade(spec, d) for d in docs), reverse=True)[:10]
    ndcg = dcg(grades) / dcg(ideal) if dcg(ideal) > 0 else 0.0
    mrr = next((1 / (i + 1) for i, g in enumerate(grades) if g >= 2), 0.0)
    return {"ndcg": ndcg, "mrr": mrr, "top": [d.key for d in ranked[:3]], "grades": grades}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--background", type=int, default=3000)
    parser.add_argument(
        "--background-from",
        choices=["demo", "synthetic"],
        default="demo",
        help="background documents: the demo corpus's (default) or the synthetic bench corpus",
    )
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--show", default="", help="print each query of this class")
    args = parser.parse_args()

    started = time.perf_counter()
    docs = collection(args.background, args.background_from)
    path = ROOT / "var" / "bench" / "search" / f"relevance-{os.getpid()}"
    ours = build(docs, path)
    plain = TantivyBackend(path, mode="plain")
    judged = sum(1 for s in rs.SPECS for d in docs if rs.grade(s, d) > 0)
    print(
        f"relevance: {len(rs.SPECS)} queries, {len(docs)} documents "
        f"({len(docs) - args.background} written for the set, {args.background} background "
        f"from the {args.background_from} corpus), "
        f"{judged} graded > 0"
    )

    per_class: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    rows = []
    for spec in rs.SPECS:
        a = evaluate(ours, docs, spec)
        b = evaluate(plain, docs, spec)
        for name, value in (
            ("ours_ndcg", a["ndcg"]),
            ("plain_ndcg", b["ndcg"]),
            ("ours_mrr", a["mrr"]),
            ("plain_mrr", b["mrr"]),
        ):
            per_class[spec.cls][name].append(value)
            per_class["all"][name].append(value)
        rows.append({"q": spec.q, "class": spec.cls, "ours": a, "plain": b})
        if args.show in (spec.cls, "all"):
            print(
                f"  [{spec.cls}] {spec.q!r}: ours {a['ndcg']:.3f} {a['grades']} | "
                f"plain {b['ndcg']:.3f} {b['grades']}"
            )

    print()
    print(
        f"{'class':<11} {'queries':>7} {'nDCG@10 ours':>13} {'plain':>7} "
        f"{'MRR ours':>9} {'plain':>7}"
    )
    table = {}
    for cls in [*CLASSES, "all"]:
        values = per_class[cls]
        n = len(values["ours_ndcg"])
        mean = {k: sum(v) / len(v) for k, v in values.items()}
        table[cls] = {"queries": n, **{k: round(v, 4) for k, v in mean.items()}}
        print(
            f"{cls:<11} {n:>7} {mean['ours_ndcg']:>13.3f} {mean['plain_ndcg']:>7.3f} "
            f"{mean['ours_mrr']:>9.3f} {mean['plain_mrr']:>7.3f}"
        )
    worse = [
        c
        for c in CLASSES
        if table[c]["ours_ndcg"] <= table[c]["plain_ndcg"]
        or table[c]["ours_mrr"] < table[c]["plain_mrr"]
    ]
    print(
        f"ours higher on every class: {'yes' if not worse else 'NO: ' + ', '.join(worse)}"
        f"  ({time.perf_counter() - started:.1f} s)"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps({"classes": table, "queries": rows}, ensure_ascii=False, indent=1)
        )
    shutil.rmtree(path, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
