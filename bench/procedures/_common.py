"""The procedures benchmarks' set-up: bench/benchlib.py, with the PostgreSQL databases named
``bench_procedures_<name>``."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import benchlib
from benchlib import (  # noqa: F401
    BENCH_PASSWORD,
    logged_in_client,
    make_unit_and_clerk,
    percentile,
    setup_django,
)

run_children = functools.partial(benchlib.run_children, pg_prefix="bench_procedures")
