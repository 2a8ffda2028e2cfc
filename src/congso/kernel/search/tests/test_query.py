"""The query parser: notations, quotes, stray punctuation, very long and empty queries."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from congso.kernel.search.analysis import fold
from congso.kernel.search.query import MAX_QUERY_CHARS, MAX_TERMS, notation_key, parse_query


def kinds(q: str) -> list[tuple[str, list[str]]]:
    return [(c.kind, [t.folded for t in c.terms]) for c in parse_query(q).clauses]


def test_words_with_and_without_accents() -> None:
    parsed = parse_query("Giấy phép xay dung")
    assert kinds("Giấy phép xay dung") == [
        ("word", ["giay"]),
        ("word", ["phep"]),
        ("word", ["xay"]),
        ("word", ["dung"]),
    ]
    assert [t.accented for t in parsed.terms] == [True, True, False, False]
    assert parsed.terms[0].exact == "giấy"


def test_notations_as_typed() -> None:
    assert kinds("15/QĐ-UBND") == [("notation", ["15", "qd", "ubnd"])]
    assert kinds("30/2020/NĐ-CP") == [("notation", ["30", "2020", "nd", "cp"])]
    assert kinds("123/UBND-VP") == [("notation", ["123", "ubnd", "vp"])]
    assert parse_query("30/2020/NĐ-CP").clauses[0].notation_key == "30/2020/nd-cp"
    assert notation_key("15 / QĐ - UBND") == "15/qd-ubnd"


def test_short_form_of_a_legal_reference_is_plain_words() -> None:
    assert kinds("NĐ 30") == [("word", ["nd"]), ("word", ["30"])]


def test_notation_inside_words_and_punctuation() -> None:
    assert kinds("theo (Nghị định 30/2020/NĐ-CP), về văn thư") == [
        ("word", ["theo"]),
        ("word", ["nghi"]),
        ("word", ["dinh"]),
        ("notation", ["30", "2020", "nd", "cp"]),
        ("word", ["ve"]),
        ("word", ["van"]),
        ("word", ["thu"]),
    ]


def test_quotes_straight_and_curly() -> None:
    assert kinds('"giấy phép xây dựng" nhà ở') == [
        ("phrase", ["giay", "phep", "xay", "dung"]),
        ("word", ["nha"]),
        ("word", ["o"]),
    ]
    assert kinds("“phòng cháy” «chữa cháy»") == [
        ("phrase", ["phong", "chay"]),
        ("phrase", ["chua", "chay"]),
    ]
    # An unbalanced quote is ignored, a quoted single word is a word.
    assert kinds('"giấy phép') == [("word", ["giay"]), ("word", ["phep"])]
    assert kinds('"giấy"') == [("word", ["giay"])]


def test_stray_punctuation_and_empty_queries() -> None:
    for q in ["", "   ", "!!!", "()[]{}", '""', "—–-", "\u200b\u200e", None, "/-./"]:
        parsed = parse_query(q)
        assert parsed.is_empty, q
    assert kinds("  *giấy*  ??phép!! ") == [("word", ["giay"]), ("word", ["phep"])]


def test_repeated_words_once() -> None:
    assert kinds("ma ma MA") == [("word", ["ma"])]


def test_nfd_and_upper_case_queries() -> None:
    nfd = unicodedata.normalize("NFD", "ĐƯỜNG Âu Cơ")
    parsed = parse_query(nfd)
    assert [t.exact for t in parsed.terms] == ["đường", "âu", "cơ"]
    assert [t.folded for t in parsed.terms] == ["duong", "au", "co"]


def test_tone_variants_in_terms() -> None:
    term = parse_query("hoà").terms[0]
    assert set(term.variants) == {"hoà", "hòa"}


def test_very_long_query_is_cut_not_refused() -> None:
    parsed = parse_query("giấy phép " * 500)
    assert parsed.truncated
    assert len(parsed.raw) <= MAX_QUERY_CHARS
    many = parse_query(" ".join(f"từ{i}" for i in range(100)))
    assert many.truncated and len(many.terms) == MAX_TERMS


@given(st.text(max_size=3000))
def test_any_input_parses_within_limits(text: str) -> None:
    parsed = parse_query(text)
    assert len(parsed.raw) <= MAX_QUERY_CHARS
    assert len(parsed.terms) <= MAX_TERMS
    for term in parsed.terms:
        assert term.folded == fold(term.exact)
        assert term.exact and term.folded
        assert term.exact in term.variants
    for clause in parsed.clauses:
        assert clause.terms


notation_part = st.text(alphabet="0123456789QĐUBNDCPđqkhtr", min_size=1, max_size=6)


@given(
    st.lists(notation_part, min_size=2, max_size=4),
    st.lists(st.sampled_from("/-."), min_size=3, max_size=3),
    st.sampled_from(["", " ", ",", "(", ")", ";", "!", "…", "  "]),
)
def test_a_notation_inside_stray_punctuation_is_one_clause(
    parts: list[str], joints: list[str], stray: str
) -> None:
    notation = parts[0] + "".join(j + p for j, p in zip(joints, parts[1:], strict=False))
    parsed = parse_query(f"{stray}{notation}{stray}")
    (clause,) = parsed.clauses
    assert clause.kind == "notation"
    assert [t.folded for t in clause.terms] == [fold(p) for p in parts]
    assert clause.notation_key == notation_key(notation)


@given(st.text(alphabet=" \t\n\"“”'.,;:!?()[]{}-/\\*&^%$#@~`|<>+=_\u200b\u00a0", max_size=200))
def test_punctuation_only_is_an_empty_query(text: str) -> None:
    assert parse_query(text).is_empty
