"""Quoted phrases and notations match as their consecutive word pairs (no positions read):
in order, next to each other, within one sentence; notations written with dots included."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from congso.kernel.search.analysis import fold
from congso.kernel.search.backends.tantivy_backend import word_pairs
from congso.kernel.search.query import parse_query
from congso.kernel.search.tests.fixtures import build, doc, ids, search


def test_quoted_phrase_needs_the_words_together_and_in_order(tmp_path: Path) -> None:
    together = doc("Kế hoạch", "Tăng cường phòng cháy chữa cháy mùa khô.")
    scattered = doc("Kế hoạch", "Phòng họp chữa máy cháy nổ, cháy rừng.")
    reversed_ = doc("Kế hoạch", "Chữa cháy phòng cháy.")
    across = doc("Kế hoạch", "Bố trí phòng cháy. Chữa cháy kịp thời.")
    b = build(tmp_path, [together, scattered, reversed_, across])
    assert ids(search(b, '"phòng cháy chữa cháy"')) == [together.id]
    assert ids(search(b, '"phong chay chua chay"')) == [together.id]  # without accents too
    # Unquoted, every document with the words matches; the phrase ranks first.
    assert ids(search(b, "phong chay chua chay"))[0] == together.id


def test_notations_with_dots_and_in_the_text(tmp_path: Path) -> None:
    dotted = doc("Biên bản kiểm tra", "Lập ngày 05.3.2020 tại trụ sở.")
    cited = doc("Kế hoạch", "Thực hiện Nghị định 30/2020/NĐ-CP.")
    split = doc("Thông báo", "Số 30. Năm 2020 theo NĐ-CP")  # the parts, not the notation
    b = build(tmp_path, [dotted, cited, split])
    assert ids(search(b, "05.3.2020")) == [dotted.id]
    assert ids(search(b, "30/2020/NĐ-CP")) == [cited.id]


syllable = st.sampled_from(
    ["giấy", "phép", "xây", "dựng", "đất", "đai", "hộ", "nghèo", "thuế", "bão", "lũ", "chợ"]
)


@settings(max_examples=40)
@given(st.lists(syllable, min_size=2, max_size=6))
def test_a_phrase_is_exactly_its_consecutive_pairs(phrase: list[str]) -> None:
    """What the query asks for (pairs of the quoted words) is what indexing the same words as a
    sentence produces — whatever the case, form or accents typed."""
    parsed = parse_query('"' + " ".join(phrase).upper() + '"')
    (clause,) = parsed.clauses
    assert clause.kind == "phrase"
    wanted = {f"{a.folded}_{b.folded}" for a, b in itertools.pairwise(clause.terms)}
    assert wanted <= set(word_pairs(" ".join(phrase)))
    assert all(p.isascii() for p in wanted)
    assert [t.folded for t in clause.terms] == [fold(w) for w in phrase]


def test_a_remembered_sentence_finds_the_scan_above_scattered_words(tmp_path: Path) -> None:
    # The OCR read "thưởng" as "thươnq": a word the index cannot match.
    scan = doc("Bản quét", "BÁO CÁO tổng kết công tác thi đua khen thươnq năm 2025 của phường")
    scattered = doc(
        "Công văn",
        "Báo cáo tiến độ. Tổng hợp kết quả công tác tháng. Thi đua lao động sản xuất, "
        "khen thưởng kịp thời; kết luận cuối năm.",
    )
    b = build(tmp_path, [scattered, scan])
    result = search(b, "báo cáo tổng kết công tác thi đua khen thưởng")
    assert ids(result) == [scan.id, scattered.id]
    assert result.lenient  # the page says some results lack a word
    every = search(b, "tổng kết công tác thi đua khen")  # 6 words, every one in the scan
    assert ids(every)[0] == scan.id and not every.lenient
