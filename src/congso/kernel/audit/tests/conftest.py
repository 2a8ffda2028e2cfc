"""Fixtures of the audit tests: a helper to tamper with the log behind the application's back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection


def _drop_triggers() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name in ("no_update", "no_delete", "no_truncate"):
                cursor.execute(f"DROP TRIGGER audit_auditevent_{name} ON audit_auditevent")
        else:
            for name in ("no_update", "no_delete"):
                cursor.execute(f"DROP TRIGGER audit_auditevent_{name}")


@pytest.fixture
def raw_sql() -> Callable[..., Any]:
    """Runs SQL on the test connection, as someone with direct database access would."""

    def run(sql: str, params: list[Any] | None = None) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, params or [])
            return int(cursor.rowcount)

    return run


@pytest.fixture
def no_triggers(db: Any) -> None:
    """Drops the append-only triggers for this test only (the test's transaction rolls the DDL
    back on PostgreSQL and SQLite alike)."""
    _drop_triggers()
