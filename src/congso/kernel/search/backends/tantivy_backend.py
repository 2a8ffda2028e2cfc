"""The embedded search backend: a Tantivy index on local disk (no extra service).

Layout under ``SEARCH_INDEX_DIR``::

    CURRENT          name of the live generation (written atomically when a rebuild publishes)
    g20260521T101500123/   one Tantivy index + congso.json (schema version, state, cursors)
    writer.lock      flock taken by whoever writes the live index (the outbox drain, a
                     rebuild's final catch-up); Tantivy's own lock forbids two writers anyway
    rebuild.lock     flock of the (single) running rebuild

Fields (``*_f`` folded: lowercase, no diacritics, đ → d; ``*_x`` exact: lowercase with
diacritics; stored fields keep the original text, so snippets show the document's own accents):

    uid kind id unit secrecy day attrs sig snip   keys, filters, display, data for search_check
    gate acl sample      permissions (unit/ancestor × clearance tokens; access list); 1/64 sample
    all_f                everything folded (frequencies): what every query word must match
    all_x                everything exact, frequencies only: exact-accent boosts
    pairs                folded word pairs ("giay_phep", "giay~xay"): phrases, notations, proximity
    title_f notation_f body_f   stored for display, highlights and snippets
    notation_key         the notation as one folded key ("15/qd-ubnd")

Scoring: BM25 on the folded match, plus the boosts of :class:`QueryBuilder`; the permission
filter is a required clause of the same query, so hits, counts, facets and snippets never
include anything out of scope. See docs/decisions/0008-search-engine.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import html
import itertools
import json
import logging
import os
import re
import shutil
import threading
import time
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import tantivy
from tantivy import Filter, Occur, Query, TextAnalyzerBuilder, Tokenizer

from congso.kernel.search.analysis import fold, nfc
from congso.kernel.search.backends.base import (
    Hit,
    Scope,
    SearchRequest,
    SearchResult,
    SearchUnavailable,
)
from congso.kernel.search.query import ParsedQuery, notation_key
from congso.kernel.search.registry import PUBLIC_IN_UNIT, Grant, IndexDocument

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 4
EXACT = "vi_exact"
FOLD = "vi_fold"
STATE_FILE = "congso.json"
CURRENT_FILE = "CURRENT"
MAX_WORD_BYTES = 60  # longer "words" (base64, garbage OCR) are not indexed
MAX_SECRECY = 3


def shard_of(uid: str, shards: int) -> int:
    """The shard holding the entry ``uid`` ("kind:id"). The high bits of the hash: the 1/64
    sample uses the low ones, so every shard gets its fair part of the sample."""
    return 0 if shards <= 1 else (zlib.crc32(uid.encode()) >> 16) % shards


def shard_dirs(directory: Path, shards: int) -> list[Path]:
    """The Tantivy index directories of a generation: itself (one shard) or ``s0``, ``s1``…"""
    if shards <= 1:
        return [directory]
    return [directory / f"s{k}" for k in range(shards)]


def _analyzers() -> dict[str, Any]:
    exact = (
        TextAnalyzerBuilder(Tokenizer.simple())
        .filter(Filter.remove_long(MAX_WORD_BYTES))
        .filter(Filter.lowercase())
        .build()
    )
    folded = (
        TextAnalyzerBuilder(Tokenizer.simple())
        .filter(Filter.remove_long(MAX_WORD_BYTES))
        .filter(Filter.lowercase())
        .filter(Filter.ascii_fold())
        .build()
    )
    return {EXACT: exact, FOLD: folded}


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    # keys, permissions, filters, data for search_check
    sb.add_text_field("uid", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("kind", stored=True, tokenizer_name="raw", fast=True, index_option="basic")
    sb.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    sb.add_unsigned_field("unit", stored=True, indexed=True, fast=True)
    sb.add_unsigned_field("secrecy", stored=True, indexed=True, fast=True)
    sb.add_text_field("acl", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("gate", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("sample", tokenizer_name="raw", index_option="basic")
    sb.add_unsigned_field("day", stored=True, indexed=True, fast=True)
    sb.add_text_field("attrs", tokenizer_name="raw", fast=True, index_option="basic")
    sb.add_unsigned_field("sig", fast=True)
    sb.add_unsigned_field("snip", stored=True)
    # matching: every searchable text folded, the title twice (a title word counts double);
    # exact forms; word pairs (phrases and notations match as their consecutive pairs, so no
    # field needs positions but the small notation field)
    sb.add_text_field("all_f", tokenizer_name=FOLD, index_option="freq")
    sb.add_text_field("all_x", tokenizer_name=EXACT, index_option="freq")
    sb.add_text_field("pairs", tokenizer_name="whitespace", index_option="freq")
    # display and notation boosts; the body is stored for snippets
    sb.add_text_field("title_f", stored=True, tokenizer_name=FOLD, index_option="basic")
    sb.add_text_field("notation_f", stored=True, tokenizer_name=FOLD)
    sb.add_text_field("notation_key", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("body_f", stored=True, tokenizer_name=FOLD, index_option="basic")
    return sb.build()


@dataclass(frozen=True)
class Weights:
    """Relative weights of the scoring clauses (tuned on bench/search/relevance)."""

    exact: float = 0.8  # a word found with the accents as typed (sentences: BM25 × this)
    exact_all: float = 50.0  # a constant per word found with its accents as typed
    pair: float = 2.0  # two consecutive query words found next to each other
    near: float = 0.7  # ... with one word between them
    notation_phrase: float = 6.0  # a typed notation found in the notation field
    notation_key: float = 10.0  # ... and it is the whole notation
    notation_words: float = 4.0  # plain words ("NĐ 30") that all occur in one notation


DEFAULT_WEIGHTS = Weights()

#: No match with every word (3 words or more), or a long query of plain words (LENIENT_LONG
#: words: a sentence remembered from a scan): documents with most of the words
#: are added after them.
LENIENT_BELOW = 3
LENIENT_LONG = 5
#: One entry in SAMPLE_EVERY is in the sample; when the sample alone has SAMPLE_ENOUGH
#: matches, counts are estimated from it (± a few per cent) instead of counting them all.
SAMPLE_EVERY = 64
SAMPLE_ENOUGH = 160


def is_sentence(parsed: ParsedQuery) -> bool:
    """Five plain words or more: a sentence remembered from a scan (see ``search``)."""
    clauses = parsed.clauses
    return len(clauses) >= LENIENT_LONG and all(c.kind == "word" for c in clauses)


# Word pairs are built from the folded text within a sentence: "a_b" for neighbours and
# "a~c" for words one apart. They make multi-syllable words ("giấy phép", "xây dựng") rank as
# units for the price of term lookups (a phrase query reads positions of every match).


def word_pairs(text: str) -> list[str]:
    return _pairs_of_folded(fold(text))


def _pairs_of_folded(folded: str) -> list[str]:
    out: list[str] = []
    before = last = None
    for token in _PAIR_TOKENS.findall(folded):
        if token in _PAIR_BREAKS:
            before = last = None
            continue
        if last is not None:
            out.append(last + "_" + token)
            if before is not None:
                out.append(before + "~" + token)
        before, last = last, token
    return out


def pairs_text(text: str) -> str:
    """The word pairs of ``text`` as one whitespace-separated string (the ``pairs`` field)."""
    return " ".join(_pairs_of_folded(fold(text)))


# A sentence ends at ; : ! ? a line break, or a full stop not followed by a letter or digit
# ("05.3.2020" and "V.v" stay whole, so notations written with dots match as pairs).
_PAIR_TOKENS = re.compile(r"[^\W_]{1,60}|[;:!?\n\r]|\.(?![^\W_])")
_PAIR_BREAKS = frozenset(".;:!?\n\r")


def day_number(day: dt.date | None) -> int:
    return day.year * 10000 + day.month * 100 + day.day if day else 0


def day_from_number(value: int | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date(value // 10000, value // 100 % 100, value % 100)
    except ValueError:
        return None


def to_fields(doc: IndexDocument) -> dict[str, list[Any]]:
    """The index entry of ``doc`` as plain data (field → values): cheap to pickle, so worker
    processes of a rebuild prepare it and the writer's process only converts it."""
    unit = int(doc.unit_id or 0)
    secrecy = max(0, int(doc.secrecy))
    # One token per unit/ancestor and per clearance that may see the entry (a Mật entry:
    # clearances 1, 2, 3): a user's grant is then one term per subtree or unit.
    gate: list[str] = []
    for clearance in range(min(secrecy, MAX_SECRECY), MAX_SECRECY + 1):
        gate.append(f"*.{clearance}")
        gate.append(f"u{unit}.{clearance}")
        gate.extend(f"t{u}.{clearance}" for u in doc.unit_path)
    title = nfc(doc.title)
    title_pairs = pairs_text(title)
    all_f = [title, title]
    all_x = [title]
    pairs = [title_pairs, title_pairs]
    fields: dict[str, list[Any]] = {
        "uid": [f"{doc.kind}:{doc.id}"],
        "kind": [doc.kind],
        "id": [int(doc.id)],
        "unit": [unit],
        "secrecy": [secrecy],
        "acl": list(doc.acl or (PUBLIC_IN_UNIT,)),
        "gate": gate,
        "day": [day_number(doc.date)],
        "attrs": [f"{name}={value}" for name, value in doc.attrs],
        "sig": [doc.signature()],
        "snip": [1 if doc.snippet else 0],
        "title_f": [title],
        "all_f": all_f,
        "all_x": all_x,
    }
    if zlib.crc32(f"{doc.kind}:{doc.id}".encode()) % SAMPLE_EVERY == 0:  # a fair 1/64
        fields["sample"] = ["1"]
    if not fields["attrs"]:
        del fields["attrs"]
    if doc.notation:
        notation = nfc(doc.notation)
        fields["notation_f"] = [notation]
        fields["notation_key"] = [notation_key(notation)]
        all_f.append(notation)
        all_x.append(notation)
        pairs.append(pairs_text(notation))
    body = nfc(doc.body) if doc.body else ""
    for text in (body, nfc(doc.extra) if doc.extra else ""):
        if text:
            all_f.append(text)
            all_x.append(text)
            pairs.append(pairs_text(text))
    if body:
        fields["body_f"] = [body]
    fields["pairs"] = [" ".join(pairs)]
    return fields


_SCHEMA: tantivy.Schema | None = None


def _schema() -> tantivy.Schema:
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = build_schema()
    return _SCHEMA


def to_tantivy(doc: IndexDocument) -> tantivy.Document:
    return tantivy.Document.from_dict(to_fields(doc), _schema())


def prepare_documents(docs: Sequence[IndexDocument]) -> list[dict[str, list[Any]]]:
    """What a worker process sends for ``docs``: plain data (see :func:`to_fields`)."""
    return [to_fields(doc) for doc in docs]


# --- queries ------------------------------------------------------------------------------------


class QueryBuilder:
    """Turns a :class:`ParsedQuery` into Tantivy queries.

    - :meth:`match`: what a document must contain (every word in its folded form; quoted
      phrases and notations in order); unscored, it also gives the counts and facets;
    - :meth:`boosts`: what ranks a match higher: the words with their accents, every accented
      word exact, consecutive words next to each other (word pairs), a notation found in the
      notation field. Each boost is nested in its own boolean level, so Tantivy evaluates it
      only on the documents that match (optional clauses side by side are computed as a union
      over whole posting lists, which is what makes frequent words slow).

    ``mode="plain"`` is the comparison baseline of the relevance benchmark: the folded field
    only, words ANDed, BM25 (with the same title weight), no boosts.
    """

    def __init__(
        self, schema: tantivy.Schema, weights: Weights = DEFAULT_WEIGHTS, mode: str = "ours"
    ):
        self.schema = schema
        self.w = weights
        self.mode = mode

    # small helpers
    def term(self, field: str, value: str | int) -> Query:
        return Query.term_query(self.schema, field, value)

    def boost(self, query: Query, weight: float) -> Query:
        return query if weight == 1.0 else Query.boost_query(query, weight)

    def phrase(self, field: str, words: Sequence[str], slop: int = 0) -> Query:
        if len(words) == 1:
            return self.term(field, words[0])
        return Query.phrase_query(self.schema, field, list(words), slop)

    def any_of(self, queries: Sequence[Query]) -> Query:
        if len(queries) == 1:
            return queries[0]
        return Query.boolean_query([(Occur.Should, q) for q in queries])

    def all_of(self, queries: Sequence[Query]) -> Query:
        if len(queries) == 1:
            return queries[0]
        return Query.boolean_query([(Occur.Must, q) for q in queries])

    def term_any(self, field: str, values: Sequence[str]) -> Query:
        return self.any_of([self.term(field, v) for v in values])

    # the text query
    def required(self, parsed: ParsedQuery) -> list[Query]:
        out: list[Query] = []
        for clause in parsed.clauses:
            folded = [t.folded for t in clause.terms]
            if clause.kind == "word" or self.mode == "plain" or len(folded) == 1:
                out.extend(self.term("all_f", f) for f in folded)
            else:
                # A phrase or a notation: each pair of consecutive words next to each other
                # in one sentence (a term lookup each; a phrase query would read the
                # positions of every document that has the words).
                out.extend(self.term("pairs", f"{a}_{b}") for a, b in itertools.pairwise(folded))
        return out

    def match(self, parsed: ParsedQuery, *, lenient: bool = False) -> Query:
        if parsed.is_empty:
            return Query.all_query()
        required = self.required(parsed)
        if lenient and len(required) >= 3:
            need = max(2, (len(required) * 6 + 9) // 10)
            return Query.boolean_query([(Occur.Should, q) for q in required], need)
        return self.all_of(required)

    def boosts(self, parsed: ParsedQuery) -> list[Query]:
        if self.mode == "plain" or parsed.is_empty:
            return []
        w = self.w
        out: list[Query] = []
        terms = parsed.terms
        accented = list({t.exact: t for t in terms if t.accented}.values())
        if accented:
            exact = [self.term_any("all_x", t.variants) for t in accented]
            if is_sentence(parsed):  # a sentence ranks by how much of it is found
                out.append(self.boost(self.any_of(exact), w.exact))
            else:
                # A constant per word found with its accents as typed: every accented word
                # exact ranks first ("má" before "mà"), then most of them. One union of
                # constant scorers: no BM25 and no second pass over an intersection (a
                # tenth of a frequent query's time at 1,000,000 documents).
                out.append(self.any_of([Query.const_score_query(q, w.exact_all) for q in exact]))
        pairs: list[Query] = []
        # Word pairs of unquoted words rank multi-syllable words as units. A quoted phrase's
        # pairs are already required (and scored) by the match: boosting them again only cost
        # time (a third of a phrase query's).
        for run in parsed.word_runs():
            folded = [t.folded for t in run]
            pairs.extend(
                self.boost(self.term("pairs", f"{a}_{b}"), w.pair)
                for a, b in itertools.pairwise(folded)
            )
            pairs.extend(
                self.boost(self.term("pairs", f"{a}~{c}"), w.near)
                for a, c in zip(folded, folded[2:], strict=False)
            )
        if pairs:
            out.append(self.any_of(pairs))
        for clause in parsed.clauses:
            if clause.kind != "notation":
                continue
            folded = [t.folded for t in clause.terms]
            out.append(self.boost(self.phrase("notation_f", folded), w.notation_phrase))
            out.append(self.boost(self.term("notation_key", clause.notation_key), w.notation_key))
        # "NĐ 30", "QĐ 15 UBND": short plain queries with a number, all words in a notation.
        plain = [t for c in parsed.clauses if c.kind == "word" for t in c.terms]
        if 2 <= len(plain) <= 5 and any(ch.isdigit() for t in plain for ch in t.folded):
            out.append(
                self.boost(
                    self.all_of([self.term("notation_f", t.folded) for t in plain]),
                    w.notation_words,
                )
            )
        return out

    def scored(self, match: Query, boosts: Sequence[Query]) -> Query:
        """``match`` plus each optional boost, nested one per level (see the class doc)."""
        query = match
        for boost in boosts:
            query = Query.boolean_query([(Occur.Must, query), (Occur.Should, boost)])
        return query

    def highlight_terms(self, parsed: ParsedQuery, field: str) -> Query:
        """The words to highlight in ``field`` (a snippet generator reads the query's terms)."""
        folded = sorted({t.folded for t in parsed.terms})
        if not folded:
            return Query.empty_query()
        return self.any_of([self.term(field, f) for f in folded])

    # permissions and filters
    def grant(self, g: Grant, clearance: int) -> Query:
        """The documents a grant opens at this clearance: one "gate" term per subtree or unit
        (see ``kernel/search/units.py``), and the access list if any."""
        level = max(0, min(clearance, MAX_SECRECY))
        if g.units is None and g.principals is None and level == MAX_SECRECY:
            return Query.all_query()
        if g.units is None:
            tokens = [f"*.{level}"]
        else:
            tokens = [f"t{root}.{level}" for root in sorted(g.subtrees)]
            tokens += [f"u{unit}.{level}" for unit in sorted(g.units)]
        if not tokens:
            return Query.empty_query()
        gate = self.one_of("gate", tokens)
        if g.principals is None:
            return gate
        acl = self.one_of("acl", sorted(set(g.principals) | {PUBLIC_IN_UNIT}))
        return self.all_of([gate, acl])

    def one_of(self, field: str, values: Sequence[Any]) -> Query:
        # A few values: a union of term queries; many: a term set (a bit set of the index).
        if len(values) <= 16:
            return self.any_of([self.term(field, v) for v in values])
        return Query.term_set_query(self.schema, field, list(values))

    def grants(self, grants: Sequence[Grant], clearance: int) -> Query:
        if not grants:
            return Query.empty_query()
        return self.any_of([self.grant(g, clearance) for g in grants])

    def permission(self, scope: Scope, kinds: Sequence[str]) -> list[tuple[Any, Query]]:
        """The required clause: inside the user's grants, at or below their clearance.

        Kinds whose grants are the default's need no branch of their own, kinds with no grant
        are only excluded, and kinds sharing grants share a branch: for most users the clause
        is one "gate" term, the cheapest filter (a branch per kind made a city leader's
        frequent queries a third slower at 1,000,000 documents)."""
        default = tuple(scope.default)
        special = {
            k: tuple(g)
            for k, g in scope.grants.items()
            if (not kinds or k in kinds) and tuple(g) != default
        }
        allowed = self.grants(default, scope.clearance)
        if not special:
            return [(Occur.Must, allowed)]
        closed = [(Occur.MustNot, self.term("kind", kind)) for kind in sorted(special)]
        shared: dict[tuple[Grant, ...], list[str]] = {}
        for kind, grants in sorted(special.items()):
            if grants:
                shared.setdefault(grants, []).append(kind)
        if not shared:
            return [(Occur.Must, allowed), *closed]
        branches = [
            self.all_of([self.kinds(names), self.grants(grants, scope.clearance)])
            for grants, names in shared.items()
        ]
        rest = Query.boolean_query([(Occur.Must, allowed), *closed])
        return [(Occur.Must, self.any_of([*branches, rest]))]

    def filters(self, req: SearchRequest) -> list[Query]:
        out: list[Query] = []
        if req.unit_ids is not None:
            out.append(
                self.one_of("unit", sorted(req.unit_ids)) if req.unit_ids else Query.empty_query()
            )
        if req.date_from or req.date_to:
            out.append(
                Query.range_query(
                    self.schema,
                    "day",
                    tantivy.FieldType.Unsigned,
                    day_number(req.date_from) if req.date_from else 1,
                    day_number(req.date_to) if req.date_to else 99991231,
                )
            )
        by_name: dict[str, list[str]] = {}
        for name, value in req.attrs:
            by_name.setdefault(name, []).append(f"{name}={value}")
        for values in by_name.values():
            out.append(self.any_of([self.term("attrs", v) for v in values]))
        return out

    def kinds(self, kinds: Sequence[str]) -> Query:
        return self.any_of([self.term("kind", k) for k in kinds])


# --- snippets -----------------------------------------------------------------------------------


def snippet_html(snippet: Any, text: str, *, cut: bool = True) -> str:
    """The fragment with its highlights as HTML (escaped; matches in ``<mark>``), with "…" where
    the fragment is cut from a longer text. "" when nothing matched."""
    ranges = sorted((r.start, r.end) for r in snippet.highlighted())
    if not ranges:
        return ""
    fragment = snippet.fragment()
    raw = fragment.encode()
    out: list[str] = []
    pos = 0
    for start, end in ranges:
        if start < pos:
            continue
        out.append(html.escape(raw[pos:start].decode(errors="replace")))
        out.append("<mark>" + html.escape(raw[start:end].decode(errors="replace")) + "</mark>")
        pos = end
    out.append(html.escape(raw[pos:].decode(errors="replace")))
    body = "".join(out).strip()
    if not cut:
        return body
    frag_range = snippet.fragment_range()
    total = len(text.strip().encode())
    if frag_range.start > 0:
        body = "… " + body
    if frag_range.end < total:
        body = body + " …"
    return body


def _facets(
    data: dict[str, Any], kinds: Sequence[str]
) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    kind_counts: dict[str, int] = {}
    attr_counts: dict[str, dict[str, int]] = {}
    for bucket in data.get("kind", {}).get("buckets", []):
        kind_counts[str(bucket["key"])] = int(bucket["doc_count"])
        if bucket["key"] in kinds and "attrs" in bucket:
            for sub in bucket["attrs"].get("buckets", []):
                name, _, value = str(sub["key"]).partition("=")
                attr_counts.setdefault(name, {})[value] = int(sub["doc_count"])
    return kind_counts, attr_counts


def _estimate(sampled: int) -> int:
    """A count from the sample, to two significant digits (213,646 → 210,000)."""
    value = sampled * SAMPLE_EVERY
    digits = len(str(value)) - 2
    return round(value, -digits) if digits > 0 else value


def _count(result: Any) -> int:
    return int(getattr(result, "count", 0) or 0)


def _first(doc: tantivy.Document, name: str, default: Any = None) -> Any:
    value = doc.get_first(name)
    return default if value is None else value


# --- the backend --------------------------------------------------------------------------------


@contextlib.contextmanager
def _flock(path: Path, *, blocking: bool = True) -> Iterator[bool]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        flags = fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB)
        try:
            fcntl.flock(handle.fileno(), flags)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class WriterSession:
    """Upserts and deletes applied by one writer per shard, committed together. (Killed
    between two shards' commits, the outbox rows are applied again: upserts are idempotent.)"""

    def __init__(self, writers: Sequence[Any], schema: tantivy.Schema):
        self.writers = list(writers)
        self.schema = schema
        self.upserted = 0
        self.deleted = 0

    def _writer(self, uid: str) -> Any:
        return self.writers[shard_of(uid, len(self.writers))]

    def upsert(self, docs: Sequence[IndexDocument]) -> None:
        for doc in docs:
            uid = f"{doc.kind}:{doc.id}"
            writer = self._writer(uid)
            writer.delete_documents_by_term("uid", uid)
            writer.add_document(to_tantivy(doc))
            self.upserted += 1

    def delete(self, keys: Sequence[tuple[str, int]]) -> None:
        for kind, pk in keys:
            uid = f"{kind}:{pk}"
            self._writer(uid).delete_documents_by_term("uid", uid)
            self.deleted += 1

    def commit(self) -> None:
        for writer in self.writers:
            writer.commit()

    def rollback(self) -> None:
        for writer in self.writers:
            with contextlib.suppress(Exception):
                writer.rollback()

    def wait(self) -> None:
        for writer in self.writers:
            writer.wait_merging_threads()


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1))
    os.replace(tmp, path)


class TantivyRebuild:
    """A rebuild into a new generation directory, resumable from its checkpoints."""

    def __init__(self, backend: TantivyBackend, directory: Path, state: dict[str, Any]):
        self.backend = backend
        self.directory = directory
        self.state = state
        self.started_at = dt.datetime.fromisoformat(state["started_at"])
        self.cursors: dict[str, int] = {k: int(v) for k, v in state.get("cursors", {}).items()}
        self.finished_kinds: set[str] = set(state.get("finished", []))
        self.shards = int(state.get("shards", 1))
        self.indexes = [
            backend._open_index(d, create=True) for d in shard_dirs(directory, self.shards)
        ]
        # The heap and the indexing threads are shared out between the shards' writers.
        heap = max(50_000_000, backend.rebuild_heap // self.shards)
        threads = max(1, backend.rebuild_threads // self.shards)
        self.writers: list[Any] | None = [
            index.writer(heap_size=heap, num_threads=threads) for index in self.indexes
        ]
        self.added = 0
        # Anything committed after the last checkpoint of an unfinished kind is removed: the
        # rebuild re-adds it from the database.
        builder = QueryBuilder(backend.schema)
        for kind in {*self.cursors} - self.finished_kinds:
            self._delete_by_query(
                builder.all_of(
                    [
                        builder.term("kind", kind),
                        Query.range_query(
                            backend.schema,
                            "id",
                            tantivy.FieldType.Unsigned,
                            self.cursors[kind] + 1,
                            2**63,
                        ),
                    ]
                )
            )
        self._commit()

    def _live_writers(self) -> list[Any]:
        if self.writers is None:
            raise RuntimeError("the rebuild's writers are closed")
        return self.writers

    def _delete_by_query(self, query: Query) -> None:
        for writer in self._live_writers():
            writer.delete_documents_by_query(query)

    def _commit(self) -> None:
        for writer in self._live_writers():
            writer.commit()

    def add(self, docs: Sequence[IndexDocument]) -> None:
        writers = self._live_writers()
        n = len(writers)
        for doc in docs:
            writers[shard_of(f"{doc.kind}:{doc.id}", n)].add_document(to_tantivy(doc))
        self.added += len(docs)

    #: Turns documents into what :meth:`add_prepared` takes; a module-level function, so a
    #: rebuild can run it in worker processes (``SEARCH_REBUILD_PROCESSES``).
    prepare = staticmethod(prepare_documents)

    def add_prepared(self, prepared: Sequence[Any]) -> None:
        schema = self.backend.schema
        writers = self._live_writers()
        n = len(writers)
        for fields in prepared:
            writer = writers[shard_of(fields["uid"][0], n)]
            writer.add_document(tantivy.Document.from_dict(fields, schema))
        self.added += len(prepared)

    def start_kind(self, kind: str) -> int:
        """Where to resume ``kind`` (0: from the start); clears a half-done first attempt."""
        if kind in self.cursors:
            return self.cursors[kind]
        builder = QueryBuilder(self.backend.schema)
        self._delete_by_query(builder.term("kind", kind))
        self.cursors[kind] = 0
        return 0

    def checkpoint(self, kind: str, last_pk: int, *, finished: bool = False) -> None:
        self._commit()
        self.cursors[kind] = int(last_pk)
        if finished:
            self.finished_kinds.add(kind)
        self.state.update(cursors=self.cursors, finished=sorted(self.finished_kinds))
        _write_json(self.directory / STATE_FILE, self.state)

    def close_builder(self) -> None:
        if self.writers is not None:
            for writer in self.writers:
                writer.commit()
            for writer in self.writers:
                writer.wait_merging_threads()
            self.writers = None

    @contextlib.contextmanager
    def publishing(self) -> Iterator[WriterSession]:
        """Under the live writer's lock: catch up in the new generation, then make it live."""
        self.close_builder()
        with _flock(self.backend.path / "writer.lock"):
            writers = [
                index.writer(heap_size=self.backend.writer_heap, num_threads=1)
                for index in self.indexes
            ]
            session = WriterSession(writers, self.backend.schema)
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                session.wait()
                raise
            session.wait()
            self.state.update(state="live", published_at=dt.datetime.now(dt.UTC).isoformat())
            _write_json(self.directory / STATE_FILE, self.state)
            current = self.backend.path / CURRENT_FILE
            tmp = current.with_suffix(".tmp")
            tmp.write_text(self.directory.name)
            os.replace(tmp, current)
        self.backend._remove_old_generations(keep=self.directory.name)

    def abandon(self) -> None:
        if self.writers is not None:
            for writer in self.writers:
                with contextlib.suppress(Exception):
                    writer.rollback()
                    writer.wait_merging_threads()
            self.writers = None


class TantivyBackend:
    name = "tantivy"

    def __init__(
        self,
        path: Path | str,
        *,
        writer_heap: int = 40_000_000,
        rebuild_heap: int = 300_000_000,
        rebuild_threads: int = 2,
        weights: Weights = DEFAULT_WEIGHTS,
        mode: str = "ours",
        shards: int = 2,
        shard_min_docs: int = 200_000,
        parallel: bool = True,
    ):
        self.path = Path(path)
        self.schema = build_schema()
        self.writer_heap = writer_heap
        self.rebuild_heap = rebuild_heap
        self.rebuild_threads = rebuild_threads
        self.weights = weights
        self.mode = mode  # "plain": the relevance benchmark's baseline (see QueryBuilder)
        # A rebuild of at least ``shard_min_docs`` entries splits the index into ``shards``
        # sub-indexes; ``parallel``: search them at once, one helper process per extra shard.
        self.shards = max(1, int(shards))
        self.shard_min_docs = int(shard_min_docs)
        self.parallel = parallel
        self._workers: dict[int, ShardWorker] = {}
        self._lock = threading.Lock()
        self._reader: tuple[str, list[tantivy.Index]] | None = None
        self._stamp: list[tuple[int, int] | None] = []
        self._current_stamp: tuple[int, int] | None = None
        self._current_name: str | None = None

    # generations
    def _generation_dirs(self) -> list[Path]:
        if not self.path.is_dir():
            return []
        return sorted(p for p in self.path.iterdir() if p.is_dir() and p.name.startswith("g"))

    def _state(self, directory: Path) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads((directory / STATE_FILE).read_text())
            return data
        except (OSError, ValueError):
            return {}

    def current_name(self) -> str | None:
        current = self.path / CURRENT_FILE
        try:
            st = current.stat()
        except FileNotFoundError:
            self._current_stamp = None
            self._current_name = None
            return None
        stamp = (st.st_mtime_ns, st.st_ino)
        if stamp != self._current_stamp:
            name = current.read_text().strip()
            self._current_name = name or None
            self._current_stamp = stamp
        return self._current_name

    def _live_dir(self) -> Path | None:
        name = self.current_name()
        if not name:
            return None
        directory = self.path / name
        if not directory.is_dir():
            return None
        state = self._state(directory)
        if state.get("schema") != SCHEMA_VERSION or state.get("state") != "live":
            return None
        return directory

    def exists(self) -> bool:
        return self._live_dir() is not None

    def _open_index(self, directory: Path, *, create: bool = False) -> tantivy.Index:
        if create:
            directory.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(self.schema, path=str(directory), reuse=True)
        else:
            index = tantivy.Index.open(str(directory))
        for name, analyzer in _analyzers().items():
            index.register_tokenizer(name, analyzer)
        return index

    def _reader_index(self) -> tantivy.Index:
        """The first shard of the live index (the whole index when it has one shard)."""
        return self._reader_indexes()[1][0]

    def _reader_indexes(self) -> tuple[str, list[tantivy.Index]]:
        """The live generation's name and its shards for reading, each reloaded when another
        process committed to it."""
        directory = self._live_dir()
        if directory is None:
            raise SearchUnavailable("index_missing")
        with self._lock:
            if self._reader is None or self._reader[0] != directory.name:
                shards = int(self._state(directory).get("shards", 1))
                try:
                    indexes = []
                    for shard_dir in shard_dirs(directory, shards):
                        index = self._open_index(shard_dir)
                        index.config_reader(reload_policy="Manual")
                        indexes.append(index)
                except Exception as exc:  # broken or half-deleted generation
                    raise SearchUnavailable("index_unreadable") from exc
                self._reader = (directory.name, indexes)
                self._stamp = [None] * len(indexes)
            name, indexes = self._reader
            for k, shard_dir in enumerate(shard_dirs(directory, len(indexes))):
                try:
                    st = (shard_dir / "meta.json").stat()
                    stamp = (st.st_mtime_ns, st.st_size)
                except FileNotFoundError as exc:
                    raise SearchUnavailable("index_unreadable") from exc
                if stamp != self._stamp[k]:
                    try:
                        indexes[k].reload()
                        self._stamp[k] = stamp
                    except Exception:  # files of a commit still being written: retry later
                        logger.warning("search index reload failed; keeping the previous view")
            return name, indexes

    def _searchers(self) -> tuple[str, list[Any]]:
        name, indexes = self._reader_indexes()
        return name, [index.searcher() for index in indexes]

    def _remove_old_generations(self, keep: str) -> None:
        for directory in self._generation_dirs():
            if directory.name == keep:
                continue
            state = self._state(directory)
            if state.get("state") == "building" and state.get("schema") == SCHEMA_VERSION:
                continue
            shutil.rmtree(directory, ignore_errors=True)

    def rebuild_in_progress(self) -> dt.datetime | None:
        for directory in self._generation_dirs():
            state = self._state(directory)
            if state.get("state") == "building":
                return dt.datetime.fromisoformat(state["started_at"])
        return None

    # writing
    @contextlib.contextmanager
    def writing(self) -> Iterator[WriterSession]:
        """Upserts/deletes on the live index, committed at the end; one writer at a time."""
        with _flock(self.path / "writer.lock"):
            directory = self._live_dir()
            if directory is None:
                raise SearchUnavailable("index_missing")
            shards = int(self._state(directory).get("shards", 1))
            writers = [
                self._open_index(d).writer(heap_size=self.writer_heap, num_threads=1)
                for d in shard_dirs(directory, shards)
            ]
            session = WriterSession(writers, self.schema)
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                session.wait()
                raise
            session.wait()

    @contextlib.contextmanager
    def rebuild(
        self, *, resume: bool = True, expected_docs: int | None = None
    ) -> Iterator[TantivyRebuild]:
        """A new generation to fill (or the unfinished one, when ``resume``); only one at once.

        ``expected_docs``: about how many entries it will hold (default: as many as the live
        index); from ``shard_min_docs`` on, the new generation has ``shards`` shards."""
        with _flock(self.path / "rebuild.lock", blocking=False) as locked:
            if not locked:
                raise SearchBusy("rebuild_running")
            directory: Path | None = None
            state: dict[str, Any] = {}
            for candidate in reversed(self._generation_dirs()):
                candidate_state = self._state(candidate)
                if (
                    candidate_state.get("state") == "building"
                    and candidate_state.get("schema") == SCHEMA_VERSION
                ):
                    if resume and directory is None:
                        directory, state = candidate, candidate_state
                    else:
                        shutil.rmtree(candidate, ignore_errors=True)
            if directory is None:
                now = dt.datetime.now(dt.UTC)
                directory = self.path / ("g" + now.strftime("%Y%m%dT%H%M%S%f"))
                if expected_docs is None:
                    expected_docs = self._live_count()
                directory.mkdir(parents=True)
                state = {
                    "schema": SCHEMA_VERSION,
                    "state": "building",
                    "started_at": now.isoformat(),
                    "cursors": {},
                    "finished": [],
                    "shards": self.shards if expected_docs >= self.shard_min_docs else 1,
                }
                _write_json(directory / STATE_FILE, state)
            session = TantivyRebuild(self, directory, state)
            try:
                yield session
            finally:
                session.abandon()

    # reading
    def search(self, req: SearchRequest) -> SearchResult:
        start = time.perf_counter()
        generation, searchers = self._searchers()
        qb = QueryBuilder(self.schema, self.weights, self.mode)
        required = len(qb.required(req.query)) if self.mode == "ours" else 0
        sentence = self.mode == "ours" and is_sentence(req.query)
        if sentence:
            # A sentence remembered from a scan (5+ plain words): documents with most of the
            # words, ranked by how many and how close together (word pairs), so the scanned
            # page whose OCR broke a word ranks above a document with every word scattered.
            result = self._search(generation, searchers, req, lenient=True)
            result.lenient = result.total > 0 and any(
                w < required for w in self._words_found(searchers, qb, req, result)
            )
        else:
            result = self._search(generation, searchers, req, lenient=False)
        if not sentence and result.total == 0 and required >= 3:
            # Nothing has every word (a misspelling, a word the OCR broke): also take
            # documents with most of them.
            wider = self._search(generation, searchers, req, lenient=True)
            if wider.total > result.total:
                result = wider
                result.lenient = True
        result.took_ms = round((time.perf_counter() - start) * 1000, 2)
        return result

    def _words_found(
        self, searchers: list[Any], qb: QueryBuilder, req: SearchRequest, result: SearchResult
    ) -> list[int]:
        """How many of the query's required words each hit has (for the "most words" notice)."""
        required = qb.required(req.query)
        out = []
        for hit in result.hits:
            uid = f"{hit.kind}:{hit.id}"
            searcher = searchers[shard_of(uid, len(searchers))]
            key = qb.term("uid", uid)
            out.append(
                sum(
                    1
                    for q in required
                    if _count(searcher.search(qb.all_of([key, q]), limit=1, count=True))
                )
            )
        return out

    def _search(
        self, generation: str, searchers: list[Any], req: SearchRequest, *, lenient: bool
    ) -> SearchResult:
        """Every shard's part (counts, best hits), merged; then the page's hits fetched from
        their shards. With several shards and ``parallel``, helper processes search the other
        shards while this one searches the first (Tantivy holds the GIL while it searches, so
        threads would not run side by side)."""
        timings: dict[str, float] = {}
        clock = time.perf_counter()
        n = len(searchers)
        remote: dict[int, ShardWorker] = {}
        if n > 1 and self.parallel:
            for k in range(1, n):
                worker = self._worker(k)
                if worker is not None and worker.send_part(generation, k, req, lenient):
                    remote[k] = worker
        locals_: dict[int, ShardPart] = {}
        try:
            for k in range(n):
                if k not in remote:
                    locals_[k] = shard_part(self, searchers[k], req, lenient=lenient)
            parts: dict[int, ShardPart] = dict(locals_)
            for k, worker in list(remote.items()):
                part = worker.receive()
                if part is None:  # the helper failed: this process searches its shard
                    del remote[k]
                    part = locals_[k] = shard_part(self, searchers[k], req, lenient=lenient)
                parts[k] = part
            timings["parts"] = round((time.perf_counter() - clock) * 1000, 3)
            timings["parallel"] = float(len(remote))
            if 0 in locals_:
                timings.update(locals_[0].timings)  # the first shard's steps
            clock = time.perf_counter()
            result = merge_parts(req, [parts[k] for k in range(n)])
            result.result.timings = timings
            if not result.hits_wanted:
                return result.result
            chosen: dict[int, list[int]] = {}
            for k, position in result.hits_wanted:
                chosen.setdefault(k, []).append(position)
            for k, worker in remote.items():
                if k in chosen:
                    worker.send_fetch(chosen[k])
            fetched: dict[tuple[int, int], Hit] = {}
            for k, positions in chosen.items():
                if k in remote:
                    continue
                found = shard_fetch(self, searchers[k], locals_[k], positions, req)
                fetched.update(((k, pos), hit) for pos, hit in zip(positions, found, strict=True))
            for k, worker in remote.items():
                if k not in chosen:
                    continue
                hits: list[Hit] | None = worker.receive_hits()
                if hits is None:  # the helper failed: search again here, then fetch
                    part = shard_part(self, searchers[k], req, lenient=lenient)
                    hits = shard_fetch(self, searchers[k], part, chosen[k], req)
                fetched.update(((k, pos), hit) for pos, hit in zip(chosen[k], hits, strict=True))
            out = result.result
            out.hits = [
                replace(fetched[key], score=round(score, 4))
                for key, score in zip(result.hits_wanted, result.scores, strict=True)
            ]
            timings["fetch"] = round((time.perf_counter() - clock) * 1000, 3)
            out.timings = timings
            return out
        finally:
            for worker in remote.values():
                worker.release()

    def _worker(self, shard: int) -> ShardWorker | None:
        """The helper process searching ``shard`` (started on first use; None until ready,
        or while another thread of this process uses it)."""
        with self._lock:
            if not self.parallel:
                return None
            worker = self._workers.get(shard)
            if worker is None or not worker.alive():
                try:
                    worker = ShardWorker(self)
                except Exception:  # no process could be started: search the shards in turn
                    logger.warning("search: no helper process; shards searched in turn")
                    self.parallel = False
                    return None
                self._workers[shard] = worker
        return worker if worker.acquire() else None

    def close_workers(self) -> None:
        with self._lock:
            workers = list(self._workers.values())
            self._workers.clear()
        for worker in workers:
            worker.stop()

    def _live_count(self) -> int:
        try:
            return sum(int(s.num_docs) for s in self._searchers()[1])
        except SearchUnavailable:
            return 0

    def entries(self, kind: str, lo: int, hi: int) -> dict[int, list[int]]:
        """Ids of ``kind`` between ``lo`` and ``hi`` (inclusive) in the index, with their
        signatures (a list: more than one means a duplicate entry)."""
        qb = QueryBuilder(self.schema)
        query = qb.all_of(
            [
                qb.term("kind", kind),
                Query.range_query(self.schema, "id", tantivy.FieldType.Unsigned, lo, hi),
            ]
        )
        out: dict[int, list[int]] = {}
        for searcher in self._searchers()[1]:
            count = _count(searcher.search(query, limit=1, count=True))
            if not count:
                continue
            addresses = [a for _s, a in searcher.search(query, limit=count, count=False).hits]
            ids = searcher.fast_field_values("id", addresses)
            sigs = searcher.fast_field_values("sig", addresses)
            for pk, sig in zip(ids, sigs, strict=True):
                out.setdefault(int(pk or 0), []).append(int(sig or 0))
        return out

    def kind_count(self, kind: str) -> int:
        query = Query.term_query(self.schema, "kind", kind)
        return sum(_count(s.search(query, 1)) for s in self._searchers()[1])

    def iter_kinds(self) -> Iterator[str]:
        seen: set[str] = set()
        for searcher in self._searchers()[1]:
            data = searcher.aggregate(
                Query.all_query(), {"kind": {"terms": {"field": "kind", "size": 1000}}}
            )
            for bucket in data.get("kind", {}).get("buckets", []):
                seen.add(str(bucket["key"]))
        yield from sorted(seen)

    def stats(self) -> dict[str, Any]:
        directory = self._live_dir()
        out: dict[str, Any] = {
            "backend": self.name,
            "schema": SCHEMA_VERSION,
            "rebuilding": self.rebuild_in_progress() is not None,
        }
        if directory is None:
            out.update(index="missing")
            return out
        searchers = self._searchers()[1]
        size = sum(f.stat().st_size for f in directory.rglob("*") if f.is_file())
        out.update(
            index="open",
            generation=directory.name,
            documents=sum(int(s.num_docs) for s in searchers),
            segments=sum(int(s.num_segments) for s in searchers),
            shards=len(searchers),
            size_bytes=size,
        )
        return out


# --- one shard's part of a search, and the merge ------------------------------------------------


@dataclass
class ShardPart:
    """What one shard contributes to a search: raw counts (the 1/64 sample's, and the exact
    ones when its sample is small) and its best ``offset + limit`` hits as (score, position);
    the positions refer to ``addresses``, kept where the shard was searched."""

    sampled_kinds: dict[str, int]
    sampled_attrs: dict[str, dict[str, int]]
    sampled_total: int
    exact_kinds: dict[str, int] | None
    exact_attrs: dict[str, dict[str, int]] | None
    exact_total: int | None
    ranked: list[float]  # scores (or days, browsing newest first), best first
    timings: dict[str, float]
    addresses: list[Any] = field(default_factory=list)  # not sent between processes

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["addresses"] = []
        return state


def shard_part(
    backend: TantivyBackend, searcher: Any, req: SearchRequest, *, lenient: bool
) -> ShardPart:
    qb = QueryBuilder(backend.schema, backend.weights, backend.mode)
    parsed = req.query
    match = qb.match(parsed, lenient=lenient)
    scope = qb.permission(req.scope, req.kinds)
    filters = [(Occur.Must, f) for f in qb.filters(req)]
    kind_filter = [(Occur.Must, qb.kinds(req.kinds))] if req.kinds else []
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def bounded(query: Query, *, all_kinds: bool = False) -> Query:
        extra = [] if all_kinds else kind_filter
        return Query.boolean_query([(Occur.Must, query), *scope, *filters, *extra])

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round((now - clock) * 1000, 3)
        clock = now

    # Counts of every kind (the kind filter left out), attribute counts of the one kind
    # asked for: the match alone, unscored. Many matches: counted on the 1/64 sample.
    sample = qb.term("sample", "1")
    part = ShardPart({}, {}, 0, None, None, None, [], timings)
    if req.facets:
        aggs: dict[str, Any] = {"kind": {"terms": {"field": "kind", "size": 100}}}
        if len(req.kinds) == 1:
            aggs["kind"]["aggs"] = {"attrs": {"terms": {"field": "attrs", "size": 500}}}
        sampled = Query.boolean_query(
            [(Occur.Must, bounded(match, all_kinds=True)), (Occur.Must, sample)]
        )
        part.sampled_kinds, part.sampled_attrs = _facets(
            searcher.aggregate(sampled, aggs), req.kinds
        )
        if sum(part.sampled_kinds.values()) < SAMPLE_ENOUGH:
            data = searcher.aggregate(bounded(match, all_kinds=True), aggs)
            part.exact_kinds, part.exact_attrs = _facets(data, req.kinds)
            wanted = req.kinds or tuple(part.exact_kinds)
            empty = not any(part.exact_kinds.get(k, 0) for k in wanted)
        else:
            empty = False
    else:
        in_kinds = bounded(match)
        sampled = Query.boolean_query([(Occur.Must, in_kinds), (Occur.Must, sample)])
        part.sampled_total = _count(searcher.search(sampled, limit=1, count=True))
        if part.sampled_total < SAMPLE_ENOUGH:
            part.exact_total = _count(searcher.search(in_kinds, limit=1, count=True))
            empty = part.exact_total == 0
        else:
            empty = False
    lap("count")
    wanted_hits = req.offset + req.limit
    if empty or wanted_hits <= 0:
        return part
    if parsed.is_empty:  # browsing by filters: newest first
        found = searcher.search(
            bounded(match), limit=wanted_hits, count=False, order_by_field="day"
        ).hits
    else:
        ranked = qb.scored(bounded(match), qb.boosts(parsed))
        found = searcher.search(ranked, limit=wanted_hits, count=False).hits
    part.ranked = [float(key) for key, _address in found]
    part.addresses = [address for _key, address in found]
    lap("rank")
    return part


@dataclass
class Merged:
    result: SearchResult
    hits_wanted: list[tuple[int, int]]  # (shard, position) of the page's hits, in order
    scores: list[float]


def _add_counts(target: dict[str, int], counts: dict[str, int]) -> None:
    for key, n in counts.items():
        target[key] = target.get(key, 0) + n


def merge_parts(req: SearchRequest, parts: Sequence[ShardPart]) -> Merged:
    """The shards' counts added up (estimated when the whole sample is big enough) and their
    hits merged by score: with one shard, exactly what that shard found."""
    estimated = False
    kind_counts: dict[str, int] = {}
    attr_counts: dict[str, dict[str, int]] = {}
    if req.facets:
        sampled_kinds: dict[str, int] = {}
        sampled_attrs: dict[str, dict[str, int]] = {}
        for part in parts:
            _add_counts(sampled_kinds, part.sampled_kinds)
            for name, values in part.sampled_attrs.items():
                _add_counts(sampled_attrs.setdefault(name, {}), values)
        if sum(sampled_kinds.values()) >= SAMPLE_ENOUGH:
            estimated = True
            kind_counts = {k: _estimate(v) for k, v in sampled_kinds.items()}
            attr_counts = {
                name: {value: _estimate(n) for value, n in values.items()}
                for name, values in sampled_attrs.items()
            }
        else:  # every shard's sample was smaller still: each counted exactly
            for part in parts:
                _add_counts(kind_counts, part.exact_kinds or {})
                for name, values in (part.exact_attrs or {}).items():
                    _add_counts(attr_counts.setdefault(name, {}), values)
        wanted = req.kinds or tuple(kind_counts)
        total = sum(kind_counts.get(k, 0) for k in wanted)
    else:
        sampled_total = sum(part.sampled_total for part in parts)
        if sampled_total >= SAMPLE_ENOUGH:
            estimated = True
            total = _estimate(sampled_total)
        else:
            total = sum(part.exact_total or 0 for part in parts)
    result = SearchResult(
        hits=[],
        total=total,
        kind_counts=kind_counts,
        attr_counts=attr_counts,
        estimated=estimated,
    )
    if total == 0 or req.offset >= total:
        return Merged(result, [], [])
    candidates = [
        (key, k, position)
        for k, part in enumerate(parts)
        for position, key in enumerate(part.ranked)
    ]
    # Best first; ties keep the shards' own order (a stable sort).
    candidates.sort(key=lambda c: -c[0])
    page = candidates[req.offset : req.offset + req.limit]
    browsing = req.query.is_empty
    return Merged(
        result,
        [(k, position) for _key, k, position in page],
        [0.0 if browsing else key for key, _k, _position in page],
    )


def shard_fetch(
    backend: TantivyBackend,
    searcher: Any,
    part: ShardPart,
    positions: Sequence[int],
    req: SearchRequest,
) -> list[Hit]:
    """The stored fields and snippets of the shard's hits at ``positions``."""
    docs = [searcher.doc(part.addresses[p]) for p in positions]
    hits = [
        Hit(
            kind=_first(doc, "kind", ""),
            id=int(_first(doc, "id", 0)),
            score=0.0,
            title=_first(doc, "title_f", ""),
            notation=_first(doc, "notation_f", ""),
            unit_id=int(_first(doc, "unit", 0)) or None,
            date=day_from_number(_first(doc, "day", 0)),
            secrecy=int(_first(doc, "secrecy", 0)),
            snippet="",
            title_html=html.escape(_first(doc, "title_f", "")),
        )
        for doc in docs
    ]
    if not hits or req.query.is_empty:
        return hits
    qb = QueryBuilder(backend.schema, backend.weights, backend.mode)
    parsed = req.query
    body_gen = None
    if req.snippets:
        words = qb.highlight_terms(parsed, "body_f")
        body_gen = tantivy.SnippetGenerator.create(searcher, words, backend.schema, "body_f")
        body_gen.set_max_num_chars(req.snippet_chars)
    title_words = qb.highlight_terms(parsed, "title_f")
    title_gen = tantivy.SnippetGenerator.create(searcher, title_words, backend.schema, "title_f")
    title_gen.set_max_num_chars(2000)
    out = []
    for hit, doc in zip(hits, docs, strict=True):
        snippet = ""
        if body_gen is not None and _first(doc, "snip", 1):
            body = _first(doc, "body_f", "")
            if body:
                snippet = snippet_html(body_gen.snippet_from_doc(doc), body)
        title_html = snippet_html(title_gen.snippet_from_doc(doc), hit.title, cut=False)
        out.append(replace(hit, snippet=snippet, title_html=title_html or hit.title_html))
    return out


# --- helper processes: one per extra shard --------------------------------------------------------

#: How long a search waits for a helper's answer before searching that shard itself.
WORKER_TIMEOUT = 10.0


class ShardWorker:
    """A helper process that searches one shard for this process (``parallel``).

    Started on first use as ``python -m congso.kernel.search.backends.shard_helper``: a fresh
    interpreter without Django, inherited threads or connections (and, unlike multiprocessing's
    "spawn", without re-importing the web server's main module), talking over two pipes; it
    opens the same index directory read-only. Used by one search at a time (``acquire``); until
    it has said it is ready, or when it fails or is slow, the calling process searches that
    shard itself, so a helper can only make a search faster. It ends when this process does
    (its pipe closes)."""

    def __init__(self, backend: TantivyBackend):
        import subprocess
        import sys
        from multiprocessing.connection import Connection

        to_child, child_in = os.pipe()[::-1]  # (write end here, read end there)
        child_out, from_child = os.pipe()[::-1]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        try:
            self._process = subprocess.Popen(  # noqa: S603 (our interpreter, our module)
                [
                    sys.executable,
                    "-m",
                    "congso.kernel.search.backends.shard_helper",
                    str(child_in),
                    str(child_out),
                ],
                pass_fds=(child_in, child_out),
                stdin=subprocess.DEVNULL,
                env=env,
            )
        finally:
            os.close(child_in)
            os.close(child_out)
        self._send = Connection(to_child, readable=False)
        self._recv = Connection(from_child, writable=False)
        options = {"weights": backend.weights, "mode": backend.mode}
        self._send.send(("init", str(backend.path), options))
        self._ready = False
        self._busy = threading.Lock()
        self._outstanding = False  # a message sent, its answer not read yet

    def alive(self) -> bool:
        return self._process.poll() is None

    def acquire(self) -> bool:
        if not self._busy.acquire(blocking=False):
            return False
        try:
            if not self._ready and self._recv.poll(0):
                self._ready = self._recv.recv() == "ready"
        except (EOFError, OSError):
            self._ready = False
        if not self._ready:
            self._busy.release()
        return self._ready

    def release(self) -> None:
        if self._outstanding:  # the search failed before reading the answer: it would be
            self._fail()  # read by the next one instead of its own
        with contextlib.suppress(RuntimeError):
            self._busy.release()

    def _call(self, message: Any) -> bool:
        try:
            self._send.send(message)
            self._outstanding = True
            return True
        except (OSError, ValueError, EOFError):
            self._fail()
            return False

    def _answer(self) -> Any:
        self._outstanding = False
        try:
            if not self._recv.poll(WORKER_TIMEOUT):
                self._fail()
                return None
            kind, payload = self._recv.recv()
        except (OSError, EOFError, ValueError):
            self._fail()
            return None
        if kind != "ok":
            logger.warning("search helper: %s", payload)
            return None
        return payload

    def send_part(self, generation: str, shard: int, req: SearchRequest, lenient: bool) -> bool:
        if self._call(("part", generation, shard, req, lenient)):
            return True
        self.release()
        return False

    def receive(self) -> ShardPart | None:
        part: ShardPart | None = self._answer()
        return part

    def send_fetch(self, positions: list[int]) -> None:
        self._call(("fetch", positions))

    def receive_hits(self) -> list[Hit] | None:
        hits: list[Hit] | None = self._answer()
        return hits

    @property
    def pid(self) -> int:
        return int(self._process.pid)

    def _fail(self) -> None:
        # A helper that did not answer is ended; the next search starts another.
        self._ready = False
        with contextlib.suppress(Exception):
            self._process.kill()
            self._process.wait(timeout=5)

    def stop(self) -> None:
        for conn in (self._send, self._recv):
            with contextlib.suppress(Exception):
                conn.close()
        with contextlib.suppress(Exception):
            self._process.wait(timeout=5)  # it ends when its pipe closes
        self._fail()


def worker_main(receive: Any, send: Any) -> None:
    """A shard helper's loop: search a shard of the live generation, then fetch the hits the
    parent chose. Ends when the parent goes away (the pipe closes)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        _op, path, options = receive.recv()
    except (EOFError, OSError):
        return
    backend = TantivyBackend(path, parallel=False, **options)
    part: ShardPart | None = None
    searcher: Any = None
    last: SearchRequest | None = None
    send.send("ready")
    while True:
        try:
            message = receive.recv()
        except (EOFError, OSError):
            return
        try:
            if message[0] == "part":
                _op, generation, shard, req, lenient = message
                name, indexes = backend._reader_indexes()
                if name != generation or shard >= len(indexes):
                    raise SearchUnavailable("generation_changed")
                searcher = indexes[shard].searcher()
                part = shard_part(backend, searcher, req, lenient=lenient)
                last = req
                send.send(("ok", part))
            elif message[0] == "fetch":
                if part is None or searcher is None or last is None:
                    raise SearchUnavailable("nothing_searched")
                send.send(("ok", shard_fetch(backend, searcher, part, message[1], last)))
            else:
                send.send(("error", f"unknown message {message[0]!r}"))
        except Exception as exc:  # the parent searches the shard itself
            send.send(("error", repr(exc)))


class SearchBusy(Exception):
    """Another rebuild holds the rebuild lock."""
