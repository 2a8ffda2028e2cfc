"""The one interface every search engine implements (the embedded Tantivy index today; a
clustered engine such as OpenSearch at city scale later).

The database is the source of truth. A backend stores :class:`IndexDocument` values, answers
:class:`SearchRequest` values with permissions applied inside the engine, and can list what it
holds (for ``search_check``). Writes come only from the worker's outbox drain and from a
rebuild; the web processes only read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from congso.kernel.search.query import ParsedQuery
from congso.kernel.search.registry import Grant, IndexDocument


class SearchUnavailable(Exception):
    """The index cannot answer now (missing, being built for the first time, or broken)."""


@dataclass(frozen=True)
class Scope:
    """Who is asking: per kind, the grants that apply, and the clearance for secrecy levels.

    ``grants`` maps a kind to its grants; ``default`` applies to kinds not in the map.
    """

    clearance: int
    default: tuple[Grant, ...]
    grants: dict[str, tuple[Grant, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class SearchRequest:
    query: ParsedQuery
    scope: Scope
    kinds: tuple[str, ...] = ()  # restrict to these kinds (empty: every kind)
    unit_ids: frozenset[int] | None = None  # restrict to these units (None: no restriction)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    attrs: tuple[tuple[str, str], ...] = ()  # ("status", "done") ...: all must hold
    offset: int = 0
    limit: int = 20
    snippets: bool = True
    facets: bool = True
    snippet_chars: int = 220


@dataclass(frozen=True)
class Hit:
    kind: str
    id: int
    score: float
    title: str
    notation: str
    unit_id: int | None
    date: dt.date | None
    secrecy: int
    snippet: str  # HTML: the text escaped, matches in <mark>; "" when none may be shown
    title_html: str = ""  # HTML: the title escaped, matches in <mark>


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int  # matches in scope for the requested kinds and filters (see ``estimated``)
    kind_counts: dict[str, int]  # matches in scope per kind (filters applied, kind not)
    attr_counts: dict[str, dict[str, int]]  # per attribute name: value → count (requested kinds)
    lenient: bool = False  # hardly any document had every word: most of them sufficed
    took_ms: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # ms per step, for benchmarks
    estimated: bool = False  # counts from the 1/64 sample (many matches), to 2 digits


class IndexWriterSession(Protocol):
    def upsert(self, docs: Sequence[IndexDocument]) -> None: ...
    def delete(self, keys: Sequence[tuple[str, int]]) -> None: ...


class RebuildSession(Protocol):
    """A rebuild into a fresh index beside the live one; resumable after a crash."""

    started_at: dt.datetime
    cursors: dict[str, int]
    finished_kinds: set[str]

    def add(self, docs: Sequence[IndexDocument]) -> None: ...
    def checkpoint(self, kind: str, last_pk: int, *, finished: bool = False) -> None: ...
    def writing(self) -> AbstractContextManager[IndexWriterSession]: ...
    def publish(self) -> None: ...


class SearchBackend(Protocol):
    name: str

    def exists(self) -> bool: ...
    def writing(self) -> AbstractContextManager[IndexWriterSession]: ...
    def search(self, request: SearchRequest) -> SearchResult: ...
    def entries(self, kind: str, lo: int, hi: int) -> dict[int, list[int]]: ...
    def kind_count(self, kind: str) -> int: ...
    def stats(self) -> dict[str, Any]: ...
    def rebuild(
        self, *, resume: bool = True, expected_docs: int | None = None
    ) -> RebuildSession: ...
    def rebuild_in_progress(self) -> dt.datetime | None: ...
    def iter_kinds(self) -> Iterator[str]: ...
