"""Placement rules on synthetic word boxes (no PDF needed) and on a real Decree 30 layout."""

from __future__ import annotations

import pytest

from congso.kernel.signing import placement
from congso.kernel.signing.placement import PageWords, Word

H = 842.0


def _line(y: float, *words: tuple[str, float]) -> list[Word]:
    """Words on one line at height ``y`` (top), each (text, x0), 13 pt tall."""
    out = []
    for text, x0 in words:
        out.append(Word(text=text, x0=x0, y0=H - y - 15, x1=x0 + 6 * len(text), y1=H - y))
    return out


def test_number_and_date_blanks() -> None:
    page = PageWords(
        width=595,
        height=H,
        words=[
            *_line(110, ("Số:", 120), ("/QĐ-UBND", 180)),
            *_line(
                100,
                ("Tây", 330),
                ("Hồ,", 355),
                ("ngày", 380),
                ("tháng", 430),
                ("năm", 480),
                ("2026", 505),
            ),
        ],
    )
    slots = placement.find_number_slots(page)
    assert slots.number is not None and slots.number[2] == pytest.approx(179.7)
    assert slots.number[0] == pytest.approx(120 + 6 * 3 + 1.5)
    assert slots.day == pytest.approx((380 + 24 + 1, H - 115, 429, H - 100))
    assert slots.month is not None and slots.year is None  # the year is printed already
    assert 12 <= slots.font_size <= 14


@pytest.mark.parametrize("after", [(), (("2.026", 505),)])
def test_year_blank_only_when_missing(after: tuple[tuple[str, float], ...]) -> None:
    page = PageWords(
        width=595,
        height=H,
        words=_line(100, ("ngày", 380), ("tháng", 430), ("năm", 480), *after),
    )
    slots = placement.find_number_slots(page)
    assert (slots.year is None) == bool(after)


def test_filled_number_or_lower_half_is_not_a_blank() -> None:
    page = PageWords(
        width=595,
        height=H,
        words=[
            *_line(110, ("Số:", 120), ("05/QĐ-UBND", 150)),
            *_line(600, ("Số:", 120), ("/QĐ-UBND", 180)),
        ],
    )
    assert placement.find_number_slots(page).number is None


def test_signer_box_between_title_and_name() -> None:
    page = PageWords(
        width=595,
        height=H,
        words=[
            *_line(500, ("TM.", 380), ("ỦY", 405), ("BAN", 425)),
            *_line(515, ("CHỦ", 400), ("TỊCH", 430)),
            *_line(600, ("Nguyễn", 380), ("Thị", 420), ("Thu", 440), ("Hằng", 462)),
        ],
    )
    box = placement.signer_box_near_name(page, "Nguyễn Thị Thu Hằng", aspect=2.5)
    assert box is not None
    x0, y0, x1, y1 = box
    assert y0 >= H - 600 and y1 <= H - 530  # between the name's top and the title's bottom
    assert (x0 + x1) / 2 == pytest.approx((380 + 462 + 24) / 2)
    assert placement.signer_box_near_name(page, "Trần Văn An") is None


def test_seal_covers_a_third_on_the_left() -> None:
    leader = (300.0, 200.0, 450.0, 260.0)
    x0, y0, x1, y1 = placement.seal_box(leader)
    assert x1 == pytest.approx(350.0) and x0 < 300
    assert (y0 + y1) / 2 == pytest.approx(230.0)
    assert x1 - x0 == pytest.approx(36 * placement.MM)


def test_attachment_box_top_right() -> None:
    x0, y0, x1, y1 = placement.attachment_box(595.0, H)
    assert x1 == pytest.approx(595 - 15 * placement.MM)
    assert y1 == pytest.approx(H - 8 * placement.MM)
    assert x0 > 595 / 2 and y0 > H - 30 * placement.MM


def test_real_layout(decision_bytes: bytes) -> None:
    from congso.kernel.signing.tests.conftest import words

    slots = placement.find_number_slots(words(decision_bytes, 0))
    assert slots.number and slots.day and slots.month and slots.year is None
