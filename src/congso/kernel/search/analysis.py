"""Vietnamese text analysis shared by the index, the query parser and the benchmarks.

Two forms of every word are used:

- the **exact** form: NFC, lowercase, with its diacritics (``má``, ``mà``, ``đường``);
- the **folded** form: NFD, combining marks dropped, ``đ``/``Đ`` → ``d``, lowercase (``ma``,
  ``duong``). A plain Unicode fold keeps ``đ`` (it is a letter of its own, not ``d`` with a
  mark), so we map it explicitly. Folding also merges the old and new tone placements
  (``hoà``/``hòa`` → ``hoa``, ``thuỷ``/``thủy`` → ``thuy``).

For the exact form the two tone placements are different strings, so :func:`tone_variants`
gives both spellings of a syllable (``hoà`` → {``hoà``, ``hòa``}); queries look for every
variant, and the text in the index stays exactly as written in the document.

The Tantivy backend tokenises with the same rules in Rust (``simple`` tokenizer: runs of
alphanumeric characters; ``lowercase``; ``ascii_fold`` for the folded field, which also folds
``đ``); the tests check that :func:`fold` and Tantivy agree on the whole Vietnamese alphabet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

#: Combining marks that carry the five Vietnamese tones (huyền, sắc, ngã, hỏi, nặng).
TONE_MARKS = frozenset({"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"})

#: Vietnamese letters (lowercase, NFC) with their diacritics.
VIETNAMESE_VOWELS = "aăâeêioôơuưy"
VIETNAMESE_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _strip_marks(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _build_fold_table() -> dict[int, str]:
    """``str.translate`` table: every precomposed Latin letter with marks (Latin-1 to Latin
    Extended Additional, which holds the Vietnamese letters) → its lowercase ASCII base;
    ``A``–``Z`` → ``a``–``z``; ``đ Đ Ð ð`` → ``d``."""
    table: dict[int, str] = {ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    for code in range(0x00C0, 0x1F00):
        char = chr(code)
        if not char.isalpha():
            continue
        base = _strip_marks(char).lower()
        if base != char and base.isascii() and base.isalpha() and len(base) == 1:
            table[code] = base
    for char in "đĐÐð":
        table[ord(char)] = "d"
    return table


def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


_FOLD_TABLE = _build_fold_table()
#: Every character below this one is in the table (folded once, at import), so a text made of
#: them needs no look-up of missing characters: Latin, Greek, Cyrillic, punctuation, symbols.
_TABLE_COMPLETE_BELOW = "\u3000"
for _code in range(0x80, ord(_TABLE_COMPLETE_BELOW)):
    if _code not in _FOLD_TABLE and not 0xD800 <= _code <= 0xDFFF:
        _folded_char = _fold_char(chr(_code))
        if _folded_char != chr(_code):
            _FOLD_TABLE[_code] = _folded_char
del _code, _folded_char


def fold(text: str) -> str:
    """The folded form: accent-free, ``đ`` → ``d``, lowercase. NFC or NFD input alike.

    One ``str.translate`` over the NFC text (about twice as fast as decomposing every
    character); a character of another script (CJK...) is folded once by decomposition and then
    remembered in the table.
    """
    folded = unicodedata.normalize("NFC", text).translate(_FOLD_TABLE)
    if folded.isascii() or max(folded) < _TABLE_COMPLETE_BELOW:
        return folded
    missing = {c for c in folded if c >= _TABLE_COMPLETE_BELOW and ord(c) not in _FOLD_TABLE}
    if not missing:
        return folded
    for char in missing:
        _FOLD_TABLE[ord(char)] = _fold_char(char)
    return folded.translate(_FOLD_TABLE)


def exact(text: str) -> str:
    """The exact form: NFC and lowercase, diacritics kept."""
    return unicodedata.normalize("NFC", text).lower()


def has_diacritics(word: str) -> bool:
    """Whether the word carries any Vietnamese mark (tone, vowel modifier or ``đ``)."""
    return fold(word) != exact(word)


_WORD_RE = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """Runs of letters and digits of the NFC text (the ``simple`` tokenizer's rule)."""
    return _WORD_RE.findall(unicodedata.normalize("NFC", text))


def exact_words(text: str) -> list[str]:
    return [w.lower() for w in words(text)]


def folded_words(text: str) -> list[str]:
    return [fold(w) for w in words(text)]


# --- tone placement -----------------------------------------------------------------------------

#: A syllable ending in one of these (without a final consonant) may carry its tone on either
#: vowel: the old placement on the first (hòa, khỏe, thủy), the new one on the second (hoà,
#: khoẻ, thuỷ). After "q" the "u" is part of the consonant, so "quý" has only one spelling.
_MOVABLE = re.compile(r"(?:^|[^q])(oa|oe|uy)$")


def _split_tone(syllable: str) -> tuple[str, str | None]:
    """(the syllable without its tone mark in NFC, the tone mark or None)."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = [c for c in decomposed if c in TONE_MARKS]
    if len(tones) != 1:
        return unicodedata.normalize("NFC", syllable), None
    base = "".join(c for c in decomposed if c not in TONE_MARKS)
    return unicodedata.normalize("NFC", base), tones[0]


def _place(base: str, index: int, tone: str) -> str:
    return unicodedata.normalize("NFC", base[: index + 1] + tone + base[index + 1 :])


def tone_variants(syllable: str) -> set[str]:
    """Every accepted spelling of one lowercase syllable: itself, and for ``oa``/``oe``/``uy``
    endings the other tone placement (``hoà`` ↔ ``hòa``, ``thuỷ`` ↔ ``thủy``, ``uỷ`` ↔ ``ủy``)."""
    word = exact(syllable)
    base, tone = _split_tone(word)
    if tone is None or not _MOVABLE.search(base):
        return {word}
    return {word, _place(base, len(base) - 2, tone), _place(base, len(base) - 1, tone)}


def canonical_tone(syllable: str) -> str:
    """One spelling per syllable (the old placement, on the first vowel: hòa, thủy), used to
    compare words; the index keeps what the document says."""
    word = exact(syllable)
    base, tone = _split_tone(word)
    if tone is None or not _MOVABLE.search(base):
        return word
    return _place(base, len(base) - 2, tone)


def fold_all(texts: Iterable[str]) -> list[str]:
    return [fold(t) for t in texts]
