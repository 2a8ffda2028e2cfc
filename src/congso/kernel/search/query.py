"""The query language of the search box, parsed into clauses the backends turn into queries.

What people type, and what it means:

- words, with or without accents, in any case, NFC or NFD: every word must match (in its
  folded form); words typed with accents rank documents that have those exact accents first;
  consecutive words rank documents that have them as a phrase, or close together, first;
- ``"quoted words"`` (straight or curly quotes): the words must appear as a phrase;
- a notation or a legal reference as printed, ``15/QĐ-UBND``, ``30/2020/NĐ-CP``, ``123/UBND-VP``:
  its parts must appear in that order (in the notation field or the text); ``NĐ 30`` (the way
  people say it) finds ``30/2020/NĐ-CP`` too, as plain words that all occur in a notation;
- anything else (stray punctuation, emoji, control characters) is ignored; an empty query is
  not an error: the results page shows how to search instead.

Very long queries are cut at :data:`MAX_QUERY_CHARS` characters and :data:`MAX_TERMS` words
(``truncated`` tells the page to say so).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from congso.kernel.search.analysis import exact, fold, tone_variants, words

MAX_QUERY_CHARS = 200
MAX_TERMS = 16

ClauseKind = Literal["word", "phrase", "notation"]

_QUOTES = str.maketrans({c: '"' for c in "“”„‟«»″〝〞＂"})
_PHRASE_RE = re.compile(r'"([^"]*)"')
# Alphanumeric runs joined by "/", "-" or "." (at least one joint): 15/QĐ-UBND, 30/2020/NĐ-CP,
# 123/UBND-VP, QĐ-UBND, 05.3.2020.
_NOTATION_RE = re.compile(r"[^\W_]+(?:[/\-.][^\W_]+)+")


@dataclass(frozen=True)
class Term:
    exact: str  # NFC, lowercase, with diacritics
    folded: str  # without diacritics, đ → d
    variants: tuple[str, ...]  # exact spellings with either tone placement

    @property
    def accented(self) -> bool:
        return self.exact != self.folded

    @classmethod
    def of(cls, word: str) -> Term:
        ex = exact(word)
        return cls(exact=ex, folded=fold(ex), variants=tuple(sorted(tone_variants(ex))))


@dataclass(frozen=True)
class Clause:
    kind: ClauseKind
    terms: tuple[Term, ...]
    text: str  # as typed (NFC)

    @property
    def notation_key(self) -> str:
        """The folded, compact form of a notation: ``15/QĐ-UBND`` → ``15/qd-ubnd``."""
        return notation_key(self.text)


@dataclass(frozen=True)
class ParsedQuery:
    raw: str
    clauses: tuple[Clause, ...]
    truncated: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    @property
    def terms(self) -> list[Term]:
        return [t for c in self.clauses for t in c.terms]

    def word_runs(self) -> list[list[Term]]:
        """Consecutive plain words (between quoted phrases and notations), for proximity."""
        runs: list[list[Term]] = []
        current: list[Term] = []
        for clause in self.clauses:
            if clause.kind == "word":
                current.extend(clause.terms)
            else:
                if current:
                    runs.append(current)
                current = []
        if current:
            runs.append(current)
        return runs


def notation_key(text: str) -> str:
    """Folded notation without spaces: ``15 / QĐ - UBND`` → ``15/qd-ubnd``."""
    return re.sub(r"\s+", "", fold(text))


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    # Control and format characters (zero-width spaces, bidi marks) become spaces.
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    return " ".join(text.split())


def parse_query(raw: str | None) -> ParsedQuery:
    text = _clean(raw or "")
    truncated = len(text) > MAX_QUERY_CHARS
    if truncated:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0] if " " in text[:MAX_QUERY_CHARS] else ""
        text = text or _clean(raw or "")[:MAX_QUERY_CHARS]
    clauses: list[Clause] = []
    budget = MAX_TERMS

    def add(kind: ClauseKind, chunk: str, parts: list[str]) -> None:
        nonlocal budget, truncated
        if not parts or budget <= 0:
            if parts:
                truncated = True
            return
        if len(parts) > budget:
            parts = parts[:budget]
            truncated = True
        budget -= len(parts)
        clauses.append(Clause(kind=kind, terms=tuple(Term.of(p) for p in parts), text=chunk))

    position = 0
    segments: list[tuple[bool, str]] = []
    for match in _PHRASE_RE.finditer(text):
        segments.append((False, text[position : match.start()]))
        segments.append((True, match.group(1)))
        position = match.end()
    segments.append((False, text[position:].replace('"', " ")))

    seen_words: set[str] = set()
    for quoted, segment in segments:
        if quoted:
            parts = words(segment)
            if len(parts) == 1:
                add("word", segment, parts)
            else:
                add("phrase", segment.strip(), parts)
            continue
        for chunk in segment.split():
            for match in _NOTATION_RE.finditer(chunk):
                token = match.group(0)
                parts = words(token)
                if len(parts) > 1:
                    add("notation", token, parts)
                    continue
                for part in parts:
                    key = exact(part)
                    if key not in seen_words:
                        seen_words.add(key)
                        add("word", part, [part])
            # Words separated by other punctuation inside the chunk ("a,b", "(xây") are plain
            # words; the notation pattern above already took the joined runs.
            rest = _NOTATION_RE.sub(" ", chunk)
            for part in words(rest):
                key = exact(part)
                if key not in seen_words:
                    seen_words.add(key)
                    add("word", part, [part])
    return ParsedQuery(raw=text, clauses=tuple(clauses), truncated=truncated)
