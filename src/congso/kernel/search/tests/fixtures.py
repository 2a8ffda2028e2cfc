"""Fixtures and helpers for the search tests (kernel tests and tests/test_search_*.py)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from congso.kernel.search.backends import reset_backends
from congso.kernel.search.backends.base import Scope, SearchRequest, SearchResult
from congso.kernel.search.backends.tantivy_backend import TantivyBackend
from congso.kernel.search.query import parse_query
from congso.kernel.search.registry import Grant, IndexDocument
from congso.kernel.search.selectors import forget_scopes

EVERYTHING = Scope(clearance=3, default=(Grant(units=None),))


@pytest.fixture
def search_index(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """A fresh, empty index directory for the configured backend."""
    path = tmp_path / "index"
    settings.SEARCH_BACKEND = "tantivy"
    settings.SEARCH_INDEX_DIR = path
    reset_backends()
    forget_scopes()
    yield path
    reset_backends()
    forget_scopes()


_ids = itertools.count(1)


def doc(title: str, body: str = "", **kw: Any) -> IndexDocument:
    kw.setdefault("kind", "note")
    kw.setdefault("id", next(_ids))
    kw.setdefault("unit_id", 1)
    return IndexDocument(title=title, body=body, **kw)


def build(path: Path, docs: Sequence[IndexDocument], **options: Any) -> TantivyBackend:
    """A backend on ``path`` holding exactly ``docs`` (built the way a rebuild does);
    ``options`` for the backend (shards, shard_min_docs, parallel)."""
    backend = TantivyBackend(path, **options)
    with backend.rebuild(resume=False, expected_docs=len(docs)) as session:
        for kind in sorted({d.kind for d in docs}):
            session.start_kind(kind)
            session.add([d for d in docs if d.kind == kind])
            session.checkpoint(kind, max(d.id for d in docs if d.kind == kind), finished=True)
        with session.publishing():
            pass
    return backend


def search(backend: TantivyBackend, q: str, scope: Scope = EVERYTHING, **kw: Any) -> SearchResult:
    return backend.search(SearchRequest(query=parse_query(q), scope=scope, **kw))


def ids(result: SearchResult) -> list[int]:
    return [h.id for h in result.hits]


def day(s: str) -> dt.date:
    return dt.date.fromisoformat(s)
