"""Benchmark: our working-day calendar against the `holidays` library's own working-day functions
and a naive day-by-day loop, on the same inputs in the same run.

    .venv/bin/python bench/calendar/bench_calendar.py [--quick]

Runs on a private SQLite database in a temporary folder (migrated here, so the official
2024–2026 rows are loaded), never on the database of the environment. Prints one table; ratios
are peer ÷ ours (above 1: ours is faster). Nothing is asserted beyond the answers agreeing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
_tmp = tempfile.mkdtemp(prefix="congso-bench-calendar-")
os.environ["CONGSO_VAR_DIR"] = _tmp
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.test_settings")

import django  # noqa: E402

django.setup()

import holidays  # noqa: E402
from django.core.management import call_command  # noqa: E402

from congso.kernel.calendar import services  # noqa: E402

YEARS = range(2024, 2030)
LIB_YEARS = range(2024, 2036)  # the peer needs the years the answers run into, too


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best-of-``repeat`` wall time of ``fn()`` in seconds, and its last result."""
    best = float("inf")
    result: Any = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def naive_add(is_working: Callable[[dt.date], bool], start: dt.date, n: int) -> dt.date:
    day = start
    counted = 0
    while counted < n:
        day += dt.timedelta(days=1)
        counted += is_working(day)
    return day


def naive_between(is_working: Callable[[dt.date], bool], a: dt.date, b: dt.date) -> int:
    return sum(is_working(a + dt.timedelta(days=k)) for k in range(1, (b - a).days + 1))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer inputs and repeats")
    args = parser.parse_args(argv)
    size, repeat = (500, 3) if args.quick else (3000, 5)

    call_command("migrate", verbosity=0)
    rng = random.Random(20260213)
    all_days = [
        dt.date(y, 1, 1) + dt.timedelta(k)
        for y in YEARS
        for k in range((dt.date(y + 1, 1, 1) - dt.date(y, 1, 1)).days)
    ]
    starts = [rng.choice(all_days) for _ in range(size)]
    short_n = [rng.randint(1, 30) for _ in range(size)]  # the usual deadline: up to 30 days
    long_n = [rng.randint(200, 1000) for _ in range(size // 10)]  # a year or more
    pairs = [tuple(sorted((rng.choice(all_days), rng.choice(all_days)))) for _ in range(size)]

    # Cold start: build one year from nothing.
    def ours_cold() -> bool:
        services.calendar_cache_clear()
        return services.is_working_day(dt.date(2031, 6, 1))

    t_ours_cold, _ = timed(ours_cold, repeat)
    t_lib_cold, _ = timed(
        lambda: holidays.country_holidays("VN", years=2031).is_working_day(dt.date(2031, 6, 1)),
        repeat,
    )

    lib = holidays.country_holidays("VN", years=LIB_YEARS, language="vi")
    ours_working = services.is_working_day
    for year in LIB_YEARS:  # warm both
        services.holidays_in_year(year)
    # Where the official table changes the library's answer; every difference must involve one.
    overrides = {
        e.date
        for year in LIB_YEARS
        for e in services.holidays_in_year(year)
        if e.source == services.SOURCE_OFFICIAL
        and ours_working(e.date) != lib.is_working_day(e.date)
    }

    def explained(lo: dt.date, hi: dt.date) -> bool:
        return any(lo <= d <= hi for d in overrides)

    rows: list[tuple[str, int, float, float, float | None, str]] = []

    def row(
        name: str, count: int, ours: float, peer: float, naive: float | None, agree: str
    ) -> None:
        rows.append((name, count, ours, peer, naive, agree))

    # 1. is_working_day over every day of 2024–2029.
    t_ours, r_ours = timed(lambda: [ours_working(d) for d in all_days], repeat)
    t_lib, r_lib = timed(lambda: [lib.is_working_day(d) for d in all_days], repeat)
    diff = sum(a != b for a, b in zip(r_ours, r_lib, strict=True))
    assert all(d in overrides for d, a, b in zip(all_days, r_ours, r_lib, strict=True) if a != b)
    row("is_working_day", len(all_days), t_ours, t_lib, None, f"{diff} differ*")

    # 2. add_working_days, 1–30 days.
    t_ours, r_ours = timed(
        lambda: [services.add_working_days(s, n) for s, n in zip(starts, short_n, strict=True)],
        repeat,
    )
    t_lib, r_lib = timed(
        lambda: [lib.get_nth_working_day(s, n) for s, n in zip(starts, short_n, strict=True)],
        repeat,
    )
    t_naive, r_naive = timed(
        lambda: [naive_add(ours_working, s, n) for s, n in zip(starts, short_n, strict=True)],
        repeat,
    )
    assert r_naive == r_ours
    diff = sum(a != b for a, b in zip(r_ours, r_lib, strict=True))
    assert all(
        explained(s, max(a, b)) for s, a, b in zip(starts, r_ours, r_lib, strict=True) if a != b
    )
    row("add_working_days n=1..30", size, t_ours, t_lib, t_naive, f"{diff} differ*")

    # 3. add_working_days, 200–1000 days.
    long_starts = starts[: len(long_n)]
    t_ours, r_ours = timed(
        lambda: [services.add_working_days(s, n) for s, n in zip(long_starts, long_n, strict=True)],
        repeat,
    )
    t_lib, r_lib = timed(
        lambda: [lib.get_nth_working_day(s, n) for s, n in zip(long_starts, long_n, strict=True)],
        repeat,
    )
    t_naive, r_naive = timed(
        lambda: [naive_add(ours_working, s, n) for s, n in zip(long_starts, long_n, strict=True)],
        repeat,
    )
    assert r_naive == r_ours
    diff = sum(a != b for a, b in zip(r_ours, r_lib, strict=True))
    assert all(
        explained(s, max(a, b))
        for s, a, b in zip(long_starts, r_ours, r_lib, strict=True)
        if a != b
    )
    row("add_working_days n=200..1000", len(long_n), t_ours, t_lib, t_naive, f"{diff} differ*")

    # 4. working_days_between (ours: a < d <= b; the library's count is closed: [a+1, b]).
    one = dt.timedelta(days=1)
    t_ours, r_ours = timed(lambda: [services.working_days_between(a, b) for a, b in pairs], repeat)
    t_lib, r_lib = timed(
        lambda: [lib.get_working_days_count(a + one, b) if b > a else 0 for a, b in pairs], repeat
    )
    t_naive, r_naive = timed(lambda: [naive_between(ours_working, a, b) for a, b in pairs], repeat)
    assert r_naive == r_ours
    diff = sum(a != b for a, b in zip(r_ours, r_lib, strict=True))
    assert all(
        explained(p[0], p[1]) for p, a, b in zip(pairs, r_ours, r_lib, strict=True) if a != b
    )
    row("working_days_between", size, t_ours, t_lib, t_naive, f"{diff} differ*")

    # 5. add_working_hours: the library has no working-hours arithmetic; shown for scale only.
    moments = [
        dt.datetime.combine(
            s, dt.time(rng.randint(0, 23), rng.choice((0, 15, 30, 45))), services.VN_TZ
        )
        for s in starts
    ]
    hours = [rng.randint(1, 80) / 2 for _ in starts]
    t_hours, _ = timed(
        lambda: [services.add_working_hours(m, h) for m, h in zip(moments, hours, strict=True)],
        repeat,
    )

    print(f"Calendar benchmark — {len(all_days)} days of 2024–2029, best of {repeat} runs")
    print(f"Python {sys.version.split()[0]}, holidays {holidays.__version__}")
    print()
    header = (
        f"{'workload':<30}{'calls':>7}{'ours µs/call':>14}{'holidays µs/call':>18}"
        f"{'naive µs/call':>15}{'holidays÷ours':>15}{'naive÷ours':>12}  answers vs holidays"
    )
    print(header)
    print("-" * len(header))
    for name, count, ours, peer, naive, agree in rows:
        per = 1e6 / count
        naive_cell = f"{naive * per:>15.2f}" if naive is not None else f"{'—':>15}"
        naive_ratio = f"{naive / ours:>12.1f}" if naive is not None else f"{'—':>12}"
        print(
            f"{name:<30}{count:>7}{ours * per:>14.2f}{peer * per:>18.2f}{naive_cell}"
            f"{peer / ours:>15.1f}{naive_ratio}  {agree}"
        )
    print(
        f"{'build one year (cold)':<30}{1:>7}{t_ours_cold * 1e6:>14.0f}{t_lib_cold * 1e6:>18.0f}"
        f"{'—':>15}{t_lib_cold / t_ours_cold:>15.1f}{'—':>12}"
    )
    print(
        f"{'add_working_hours 0.5..40 h':<30}{size:>7}{t_hours * 1e6 / size:>14.2f}"
        f"{'—':>18}{'—':>15}{'—':>15}{'—':>12}  (no peer)"
    )
    print()
    print(
        "* every difference from the library involves a day the official table overrides ("
        + ", ".join(f"{d:%d/%m/%Y}" for d in sorted(overrides))
        + "), checked above; the naive loop agrees with ours everywhere."
    )
    print(
        "  'build one year (cold)': ours = library year + the year's OfficialDay rows "
        "+ the working-day array; holidays = constructing the library's year."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
