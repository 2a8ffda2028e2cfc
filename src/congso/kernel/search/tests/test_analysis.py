"""Vietnamese folding and tone placement: properties over the whole alphabet, and agreement
with the analysers Tantivy runs in Rust."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from congso.kernel.search.analysis import (
    canonical_tone,
    exact,
    fold,
    has_diacritics,
    tone_variants,
    words,
)
from congso.kernel.search.backends.tantivy_backend import EXACT, FOLD, MAX_WORD_BYTES, _analyzers

TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
BASES = "aăâeêioôơuưy"
# Every Vietnamese vowel with every tone, both cases, plus the consonants (đ included).
LETTERS = sorted(
    {unicodedata.normalize("NFC", b + t) for b in BASES for t in TONES}
    | {c for c in "bcdđghklmnpqrstvx"}
)
LETTERS += [c.upper() for c in LETTERS]
vietnamese_text = st.text(alphabet=LETTERS + list(" 0123456789"), max_size=60)


def test_fold_examples() -> None:
    assert fold("Đường Âu Cơ") == "duong au co"
    assert fold("ĐẶNG THAI MAI") == "dang thai mai"
    assert fold("Nghị định 30/2020/NĐ-CP") == "nghi dinh 30/2020/nd-cp"
    assert fold("má mà mả mã mạ ma") == "ma ma ma ma ma ma"
    assert fold("Ủy ban nhân dân") == fold("Uỷ ban nhân dân") == "uy ban nhan dan"


def test_d_with_stroke_folds_to_d_unlike_a_plain_unicode_fold() -> None:
    # NFD leaves đ alone (it is a letter, not d + a mark): the table maps it.
    assert unicodedata.normalize("NFD", "đ") == "đ"
    assert fold("đ") == fold("Đ") == "d"
    assert fold("Ð") == "d"  # the Icelandic eth, found in legacy-font conversions


@given(vietnamese_text)
def test_fold_is_ascii_lowercase(text: str) -> None:
    folded = fold(text)
    assert folded.isascii()
    assert folded == folded.lower()
    assert len(folded) == len(unicodedata.normalize("NFC", text))


@given(vietnamese_text)
def test_fold_ignores_normalisation_form_and_case(text: str) -> None:
    nfd = unicodedata.normalize("NFD", text)
    assert fold(nfd) == fold(text) == fold(text.upper()) == fold(text.lower())


@given(vietnamese_text)
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(vietnamese_text)
def test_exact_keeps_marks_and_ignores_form(text: str) -> None:
    assert exact(unicodedata.normalize("NFD", text)) == exact(text)
    assert fold(exact(text)) == fold(text)


PAIRS = [
    ("hoà", "hòa"),
    ("hoá", "hóa"),
    ("khoẻ", "khỏe"),
    ("thuỷ", "thủy"),
    ("uỷ", "ủy"),
    ("tuỳ", "tùy"),
    ("loạ", "lọa"),
]


def test_tone_placements_are_variants_of_each_other() -> None:
    for new, old in PAIRS:
        assert tone_variants(new) == tone_variants(old) == {new, old}
        assert canonical_tone(new) == canonical_tone(old) == old
        assert fold(new) == fold(old)
        assert tone_variants(new.upper()) == {new, old}


def test_no_variant_where_the_placement_is_fixed() -> None:
    for word in ["quý", "hoàng", "thuyết", "mà", "ma", "đường", "khuya", "của"]:
        assert tone_variants(word) == {word}


MOVABLE = [a + b for a in ["", "h", "kh", "th", "l", "t"] for b in ["oa", "oe", "uy"]]


@given(st.sampled_from(MOVABLE), st.sampled_from(TONES[1:]), st.booleans())
def test_variants_property(base: str, tone: str, first: bool) -> None:
    index = len(base) - 2 if first else len(base) - 1
    word = unicodedata.normalize("NFC", base[: index + 1] + tone + base[index + 1 :])
    variants = tone_variants(word)
    assert len(variants) == 2 and word in variants
    assert {fold(v) for v in variants} == {base}
    assert all(canonical_tone(v) == canonical_tone(word) for v in variants)
    # Written in NFD the same word gives the same variants.
    assert tone_variants(unicodedata.normalize("NFD", word)) == variants


def test_has_diacritics() -> None:
    assert has_diacritics("má") and has_diacritics("đi") and has_diacritics("ơ")
    assert not has_diacritics("ma") and not has_diacritics("UBND") and not has_diacritics("30")


@given(vietnamese_text)
def test_python_fold_agrees_with_the_index_analysers(text: str) -> None:
    analyzers = _analyzers()
    kept = [w for w in words(text) if len(w.encode()) < MAX_WORD_BYTES]  # longer: not indexed
    assert analyzers[FOLD].analyze(text) == [fold(w) for w in kept]
    assert analyzers[EXACT].analyze(text) == [exact(w) for w in kept]


def test_analysers_need_nfc_which_the_index_applies() -> None:
    # Tantivy's tokenizer splits a decomposed word at its combining marks: the backend
    # normalises every text to NFC before indexing (checked in the engine tests).
    nfd = unicodedata.normalize("NFD", "Đường")
    assert _analyzers()[FOLD].analyze(nfd) != ["duong"]
    assert _analyzers()[FOLD].analyze(unicodedata.normalize("NFC", nfd)) == ["duong"]
