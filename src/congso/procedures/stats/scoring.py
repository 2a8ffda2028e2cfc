"""Decision 766/QĐ-TTg components we can compute from our own data (vietnam-rules.md §3).

Each ``Score`` carries its points, its maximum, the rate it comes from and the formula printed
next to it. The formulas are the ones fitted to the national portal's published scores (§3: the
reverse-engineered formulas, matched to within 0.015 points) — labelled as such on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Score:
    code: str
    group: str
    name: str
    points: Decimal | None  # None: no data for the period
    max_points: Decimal
    rate: Decimal | None
    numerator: int
    denominator: int
    formula: str
    note: str = ""


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def ratio(numerator: int, denominator: int) -> Decimal | None:
    if denominator <= 0:
        return None
    return Decimal(numerator) / Decimal(denominator)


def timeliness_score(on_time_or_early: int, resolved: int) -> Score:
    rate = ratio(on_time_or_early, resolved)
    return Score(
        code="2",
        group="Nhóm 2. Tiến độ giải quyết",
        name="Hồ sơ giải quyết trước hạn, đúng hạn",
        points=None if rate is None else _q(Decimal(20) * rate),
        max_points=Decimal(20),
        rate=rate,
        numerator=on_time_or_early,
        denominator=resolved,
        formula="20 × (số hồ sơ trước hạn + đúng hạn) / tổng số hồ sơ đã giải quyết trong kỳ",
    )


def online_score(
    *,
    online_procedures: int,
    procedures: int,
    online_procedures_used: int,
    online_dossiers: int,
    received: int,
) -> list[Score]:
    a = ratio(online_procedures, procedures)
    b = ratio(online_procedures_used, online_procedures)
    c = ratio(online_dossiers, received)
    pa = None if a is None else min(Decimal(2), Decimal(2) * a / Decimal("0.8"))
    pb = None if b is None else Decimal(4) * b
    pc = None if c is None else min(Decimal(6), Decimal(6) * c / Decimal("0.5"))
    return [
        Score(
            code="3A",
            group="Nhóm 3. Dịch vụ công trực tuyến",
            name="A. Thủ tục cung cấp dịch vụ công trực tuyến (một phần, toàn trình)",
            points=None if pa is None else _q(pa),
            max_points=Decimal(2),
            rate=a,
            numerator=online_procedures,
            denominator=procedures,
            formula="min(2; 2 × A / 0,8); A = số thủ tục trực tuyến / số thủ tục đang áp dụng",
        ),
        Score(
            code="3B",
            group="Nhóm 3. Dịch vụ công trực tuyến",
            name="B. Dịch vụ công trực tuyến có phát sinh hồ sơ trực tuyến",
            points=None if pb is None else _q(pb),
            max_points=Decimal(4),
            rate=b,
            numerator=online_procedures_used,
            denominator=online_procedures,
            formula="4 × B; B = số thủ tục trực tuyến có hồ sơ nộp trực tuyến trong kỳ / "
            "số thủ tục trực tuyến",
        ),
        Score(
            code="3C",
            group="Nhóm 3. Dịch vụ công trực tuyến",
            name="C. Hồ sơ nộp trực tuyến",
            points=None if pc is None else _q(pc),
            max_points=Decimal(6),
            rate=c,
            numerator=online_dossiers,
            denominator=received,
            formula="min(6; 6 × C / 0,5); C = số hồ sơ nộp trực tuyến / tổng số hồ sơ tiếp nhận",
        ),
    ]


def satisfaction_score(satisfied: int, ratings: int) -> Score:
    rate = ratio(satisfied, ratings)
    points = Decimal(0) if rate is None else min(Decimal(6), Decimal(6) * rate / Decimal("0.9"))
    return Score(
        code="5.4",
        group="Nhóm 5. Mức độ hài lòng",
        name="Hài lòng về tiếp nhận, giải quyết thủ tục hành chính",
        points=_q(points),
        max_points=Decimal(6),
        rate=rate,
        numerator=satisfied,
        denominator=ratings,
        formula="min(6; 6 × tỷ lệ / 0,9); tỷ lệ = (rất hài lòng + hài lòng) / số lượt đánh giá; "
        "0 điểm nếu không có đánh giá",
    )


def digitisation_scores(
    *, electronic: int, resolved: int, digitised: int, reused: int, received: int
) -> list[Score]:
    e = ratio(electronic, resolved)
    d = ratio(digitised, received)
    r = ratio(reused, received)
    return [
        Score(
            code="4.1",
            group="Nhóm 6. Số hóa hồ sơ",
            name="Hồ sơ có kết quả giải quyết điện tử",
            points=None if e is None else _q(min(Decimal(6), Decimal(6) * e)),
            max_points=Decimal(6),
            rate=e,
            numerator=electronic,
            denominator=resolved,
            formula="min(6; 6 × tỷ lệ); tỷ lệ = hồ sơ có kết quả điện tử / hồ sơ đã giải quyết",
        ),
        Score(
            code="4.2",
            group="Nhóm 6. Số hóa hồ sơ",
            name="Hồ sơ được số hóa thành phần hồ sơ",
            points=None if d is None else _q(min(Decimal(4), Decimal(4) * d)),
            max_points=Decimal(4),
            rate=d,
            numerator=digitised,
            denominator=received,
            formula="min(4; 4 × tỷ lệ); tỷ lệ = hồ sơ đã số hóa / hồ sơ tiếp nhận",
            note="Một nguồn (Đắk Lắk) cho rằng 4.2 đạt tối đa ở 80%; ở đây theo số liệu Phú Thọ.",
        ),
        Score(
            code="4.3",
            group="Nhóm 6. Số hóa hồ sơ",
            name="Hồ sơ tái sử dụng dữ liệu số hóa",
            points=None if r is None else _q(min(Decimal(2), Decimal(2) * r / Decimal("0.8"))),
            max_points=Decimal(2),
            rate=r,
            numerator=reused,
            denominator=received,
            formula="min(2; 2 × tỷ lệ / 0,8); tỷ lệ = hồ sơ tái sử dụng dữ liệu / hồ sơ tiếp nhận",
        ),
    ]
