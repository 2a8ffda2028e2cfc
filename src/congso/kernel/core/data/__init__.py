"""Data files shipped with Công sở số, and their loaders.

- ``tay-ho-facts.csv``: every figure of the seed article (Tuổi trẻ Thủ đô, 13/02/2021, on the
  former Quận Tây Hồ), one row per figure with the sentence it comes from; a copy of the
  project's ``shared/seed/tay-ho-facts.csv``. ``load_seed_facts()`` parses it into typed rows;
  the indicators module stores them.
- ``tay-ho-pre2025.json``: the former Quận Tây Hồ, its 8 wards (statistics codes in force until
  30/06/2025) and their old→new successions under Resolution 1656/NQ-UBTVQH15, copied from
  vietnam-provinces 2026.9.0 (see ``_source`` in the file and
  docs/decisions/0001-admin-units-dataset.md).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
SEED_FACTS_CSV = DATA_DIR / "tay-ho-facts.csv"
TAY_HO_PRE2025_JSON = DATA_DIR / "tay-ho-pre2025.json"

FACT_COLUMNS = (
    "indicator",
    "unit_of_measure",
    "value",
    "period",
    "scope",
    "kind",
    "statement_vi",
)
FACT_KINDS = frozenset({"actual", "target", "context"})
COMPARATORS = ("=", ">", ">=", "<", "<=")

_VALUE = re.compile(
    r"^\s*(?P<cmp>>=|<=|>|<|=)?\s*(?P<num>\d+(?:\.\d+)?)\s*(?:/\s*(?P<den>\d+(?:\.\d+)?))?\s*$"
)
_PERIOD = re.compile(r"^\s*(?P<start>\d{4})\s*(?:[-–]\s*(?P<end>\d{4}))?\s*$")


@dataclass(frozen=True)
class FactValue:
    """``14.01`` → (=, 14.01); ``>14`` → (>, 14); ``>=90`` → (>=, 90); ``5/8`` → (=, 5, of 8)."""

    comparator: str
    number: Decimal
    denominator: Decimal | None = None

    @property
    def ratio(self) -> Decimal | None:
        """``number / denominator`` for a "5/8" value, else None."""
        if self.denominator is None:
            return None
        return self.number / self.denominator


@dataclass(frozen=True)
class SeedFact:
    indicator: str
    unit_of_measure: str
    raw_value: str
    value: FactValue
    period_start: int
    period_end: int
    scope: str
    kind: str
    statement_vi: str

    @property
    def period_label(self) -> str:
        if self.period_start == self.period_end:
            return str(self.period_start)
        return f"{self.period_start}–{self.period_end}"


def parse_fact_value(text: str) -> FactValue:
    """Parse a value of the facts file: a number (``.`` decimals), optionally preceded by a
    comparator (``>``, ``>=``, ``<``, ``<=``, ``=``) or written as a fraction ``5/8``."""
    match = _VALUE.match(text or "")
    if match is None:
        raise ValueError(f"giá trị không hợp lệ: {text!r}")
    try:
        number = Decimal(match["num"])
        denominator = Decimal(match["den"]) if match["den"] else None
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(f"giá trị không hợp lệ: {text!r}") from exc
    if denominator is not None:
        if match["cmp"]:
            raise ValueError(f"phân số không đi với dấu so sánh: {text!r}")
        if denominator == 0:
            raise ValueError(f"mẫu số bằng 0: {text!r}")
    return FactValue(comparator=match["cmp"] or "=", number=number, denominator=denominator)


def parse_period(text: str) -> tuple[int, int]:
    """``2016-2020`` → (2016, 2020); ``2020`` → (2020, 2020)."""
    match = _PERIOD.match(text or "")
    if match is None:
        raise ValueError(f"kỳ không hợp lệ: {text!r}")
    start = int(match["start"])
    end = int(match["end"] or start)
    if end < start:
        raise ValueError(f"kỳ kết thúc trước khi bắt đầu: {text!r}")
    return start, end


def load_seed_facts(path: Path | str | None = None) -> list[SeedFact]:
    """The figures of the seed article as typed rows, in file order.

    Raises ``ValueError`` naming the line of the first bad row.
    """
    source = Path(path) if path is not None else SEED_FACTS_CSV
    facts: list[SeedFact] = []
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(FACT_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{source.name}: thiếu cột {', '.join(sorted(missing))}")
        for row in reader:
            line = reader.line_num
            try:
                kind = row["kind"].strip()
                if kind not in FACT_KINDS:
                    raise ValueError(f"loại không hợp lệ: {kind!r}")
                indicator = row["indicator"].strip()
                if not indicator:
                    raise ValueError("thiếu tên chỉ tiêu")
                start, end = parse_period(row["period"])
                facts.append(
                    SeedFact(
                        indicator=indicator,
                        unit_of_measure=row["unit_of_measure"].strip(),
                        raw_value=row["value"].strip(),
                        value=parse_fact_value(row["value"]),
                        period_start=start,
                        period_end=end,
                        scope=row["scope"].strip(),
                        kind=kind,
                        statement_vi=row["statement_vi"].strip(),
                    )
                )
            except (ValueError, AttributeError) as exc:
                raise ValueError(f"{source.name}, dòng {line}: {exc}") from exc
    return facts
