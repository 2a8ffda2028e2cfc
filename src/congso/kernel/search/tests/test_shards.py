"""A big index split into shards, searched side by side by helper processes (issue 4: p95 at
1,000,000 documents). Small test indexes: the shard threshold is set to 0 here."""

from __future__ import annotations

import random
import time
import zlib
from pathlib import Path
from typing import Any

import pytest

from congso.kernel.search.backends import get_backend, reset_backends
from congso.kernel.search.backends.base import Scope, SearchRequest
from congso.kernel.search.backends.tantivy_backend import (
    SAMPLE_EVERY,
    ShardPart,
    TantivyBackend,
    merge_parts,
    shard_dirs,
    shard_of,
)
from congso.kernel.search.query import parse_query
from congso.kernel.search.registry import Grant, IndexDocument
from congso.kernel.search.tests.fixtures import EVERYTHING, build, doc, ids, search

VOCABULARY = (
    "giấy phép xây dựng nhà ở riêng lẻ trật tự đô thị bảo hiểm xã hội hộ nghèo "
    "thuế đất quỹ đất chợ dân sinh điện chiếu sáng đường giao thông vệ sinh môi trường"
)
WORDS = VOCABULARY.split()


def corpus(n: int, seed: int = 7) -> list[IndexDocument]:
    rng = random.Random(seed)
    out = []
    for i in range(1, n + 1):
        title = " ".join(rng.choice(WORDS) for _ in range(6))
        body = " ".join(rng.choice(WORDS) for _ in range(30))
        out.append(
            doc(
                title,
                body,
                kind="note" if i % 3 else "memo",
                id=i,
                unit_id=1 + i % 4,
                secrecy=1 if i % 10 == 0 else 0,
                attrs=(("status", "open" if i % 2 else "done"),),
            )
        )
    return out


SHARDED = {"shards": 2, "shard_min_docs": 0, "parallel": False}


def test_shard_of_spreads_entries_and_the_sample() -> None:
    uids = [f"note:{i}" for i in range(20_000)]
    counts = [0, 0]
    sample = [0, 0]
    for uid in uids:
        k = shard_of(uid, 2)
        counts[k] += 1
        if zlib.crc32(uid.encode()) % SAMPLE_EVERY == 0:
            sample[k] += 1
    assert all(9_000 < c < 11_000 for c in counts), counts
    # The sample uses the low bits of the hash: every shard must still get its part of it.
    assert all(sample[k] > 100 for k in range(2)), sample
    assert shard_of("note:1", 1) == 0


def test_rebuild_splits_only_big_indexes(tmp_path: Path) -> None:
    docs = corpus(40)
    small = build(tmp_path / "small", docs, shards=2, shard_min_docs=1000)
    assert small.stats()["shards"] == 1
    big = build(tmp_path / "big", docs, **SHARDED)
    stats = big.stats()
    assert stats["shards"] == 2 and stats["documents"] == 40
    live = big._live_dir()
    assert live is not None
    assert all((d / "meta.json").exists() for d in shard_dirs(live, 2))


def test_sharded_search_finds_and_counts_what_one_index_does(tmp_path: Path) -> None:
    docs = corpus(300)
    one = build(tmp_path / "one", docs, shards=1)
    two = build(tmp_path / "two", docs, **SHARDED)
    ward = Scope(clearance=0, default=(Grant(units=frozenset({2, 3})),))
    for q in ["giấy phép", "bao hiem", '"trật tự đô thị"', "chợ", "hộ nghèo thuế"]:
        for scope in (EVERYTHING, ward):
            a = search(one, q, scope=scope, limit=500)
            b = search(two, q, scope=scope, limit=500)
            assert b.total == a.total and b.estimated == a.estimated, q
            assert b.kind_counts == a.kind_counts, q
            assert set(ids(b)) == set(ids(a)), q
            # Merged best first.
            assert [h.score for h in b.hits] == sorted((h.score for h in b.hits), reverse=True)
            # Nothing out of scope or above the clearance, from either shard.
            if scope is ward:
                by_id = {d.id: d for d in docs}
                assert all(by_id[h.id].unit_id in {2, 3} for h in b.hits)
                assert all(by_id[h.id].secrecy == 0 for h in b.hits)
    # Attribute counts of one kind, and paging through the merged list.
    a = search(one, "giấy", kinds=("note",), limit=500)
    b = search(two, "giấy", kinds=("note",), limit=500)
    assert b.attr_counts == a.attr_counts and b.total == a.total
    pages = [ids(search(two, "giấy", kinds=("note",), offset=o, limit=10)) for o in (0, 10, 20)]
    assert [i for page in pages for i in page] == ids(b)[:30]


def test_sharded_browsing_is_newest_first(tmp_path: Path) -> None:
    import datetime as dt

    docs = [
        doc(f"Văn bản số {i}", kind="note", id=i, date=dt.date(2026, 1, 1) + dt.timedelta(i))
        for i in range(1, 61)
    ]
    two = build(tmp_path, docs, **SHARDED)
    result = two.search(SearchRequest(query=parse_query(""), scope=EVERYTHING, limit=10))
    assert ids(result) == list(range(60, 50, -1))


def test_writes_go_to_the_entrys_shard(tmp_path: Path) -> None:
    docs = corpus(50)
    two = build(tmp_path, docs, **SHARDED)
    changed = doc("Thông báo lịch tiếp công dân", kind=docs[4].kind, id=docs[4].id, unit_id=1)
    with two.writing() as session:
        session.upsert([changed])
        session.upsert([changed])  # twice: still one entry
        session.delete([(docs[5].kind, docs[5].id)])
    assert ids(search(two, "tiếp công dân")) == [changed.id]
    entries = two.entries(changed.kind, 1, 1000)
    assert entries[changed.id] == [changed.signature()]
    assert docs[5].id not in two.entries(docs[5].kind, 1, 1000)
    assert sum(two.kind_count(k) for k in ("note", "memo")) == 49
    assert sorted(two.iter_kinds()) == ["memo", "note"]


def test_merge_estimates_from_the_whole_sample() -> None:
    req = SearchRequest(query=parse_query("chợ"), scope=EVERYTHING)

    def part(sampled: int, exact: int | None) -> ShardPart:
        return ShardPart(
            {"note": sampled},
            {},
            0,
            None if exact is None else {"note": exact},
            None if exact is None else {},
            None,
            [],
            {},
        )

    # Each shard's sample is small, together they are big enough: estimated from both.
    merged = merge_parts(req, [part(100, None), part(100, None)])
    assert merged.result.estimated and merged.result.total == 13_000
    # Small altogether: the exact counts, added up.
    merged = merge_parts(req, [part(10, 700), part(12, 650)])
    assert not merged.result.estimated and merged.result.total == 1350


def test_parallel_helper_gives_the_same_answers_and_can_fail(tmp_path: Path) -> None:
    docs = corpus(400)
    alone = build(tmp_path, docs, **SHARDED)
    parallel = TantivyBackend(tmp_path, shards=2, shard_min_docs=0, parallel=True)
    try:
        request = SearchRequest(query=parse_query("giấy phép xây dựng"), scope=EVERYTHING)
        deadline = time.monotonic() + 60
        while True:  # the helper starts in the background; until then, searched here
            result = parallel.search(request)
            if result.timings.get("parallel") == 1.0 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert result.timings.get("parallel") == 1.0, "the helper process never became ready"
        for q in ["giấy phép xây dựng", "bảo hiểm", '"quỹ đất"', "đường", "không có từ này"]:
            expected = search(alone, q, limit=30)
            got = search(parallel, q, limit=30)
            assert got.timings.get("parallel") == 1.0
            assert [(h.kind, h.id, h.score, h.snippet) for h in got.hits] == [
                (h.kind, h.id, h.score, h.snippet) for h in expected.hits
            ], q
            assert (got.total, got.kind_counts) == (expected.total, expected.kind_counts)
        # The helper dies: the search still answers, the same, from this process.
        worker = parallel._workers[1]
        worker._process.kill()
        worker._process.wait(timeout=10)
        got = search(parallel, "bảo hiểm", limit=30)
        assert ids(got) == ids(search(alone, "bảo hiểm", limit=30))
    finally:
        parallel.close_workers()


@pytest.mark.django_db
def test_settings_reach_the_backend(settings: Any, tmp_path: Path) -> None:
    settings.SEARCH_BACKEND = "tantivy"
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    settings.SEARCH_SHARDS = 3
    settings.SEARCH_SHARD_MIN_DOCS = 5
    settings.SEARCH_PARALLEL = False
    reset_backends()
    try:
        backend = get_backend()
        assert (backend.shards, backend.shard_min_docs, backend.parallel) == (3, 5, False)
    finally:
        reset_backends()
