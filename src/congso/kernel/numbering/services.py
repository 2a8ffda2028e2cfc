"""Gap-free yearly numbering.

``number_next`` takes the next number of a (scope, series, year) sequence **inside the caller's
transaction**: the counter row stays locked until the caller commits or rolls back, so

- two callers never get the same number (the second waits for the first's row lock on
  PostgreSQL; on SQLite, ``BEGIN IMMEDIATE`` already serialises writers), and
- a caller that rolls back takes its number back with it: the next caller gets the same number
  again, so the committed numbers run 1, 2, 3, … without a gap.

The price is that concurrent callers of the *same* sequence queue behind one another until each
commits: keep the numbering transaction short (no slow work after the number; commit soon).
Take the number *before* any audited write in the same transaction (``audit_record``,
``file_store``…): the audit log's lock taken first and the counter row second, in one
transaction, against the opposite order in another, is a deadlock. See
docs/decisions/0003-gap-free-numbering.md and 0004-audit-hash-chain.md.
"""

from __future__ import annotations

import unicodedata

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from congso.kernel.errors import DomainError
from congso.kernel.numbering.models import Sequence

_MAX_KEY = 100


def _key_text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise DomainError("invalid_sequence", f"{what} không hợp lệ.")
    # NFC, so that "QĐ" typed on a Mac (NFD) is the same series as "QĐ" typed elsewhere.
    text = unicodedata.normalize("NFC", value)
    if (
        not text.strip()
        or len(text) > _MAX_KEY
        or any(unicodedata.category(ch) in {"Cc", "Cs"} for ch in text)
    ):
        raise DomainError("invalid_sequence", f"{what} không hợp lệ.")
    return text


def _check_key(scope: object, series: object, year: object) -> tuple[str, str, int]:
    scope_text = _key_text(scope, "Phạm vi của dãy số")
    series_text = _key_text(series, "Tên dãy số")
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 9999:
        raise DomainError("invalid_sequence", f"Năm của dãy số không hợp lệ: {year!r}.")
    return scope_text, series_text, year


# Plain SQL, the same on PostgreSQL and SQLite (>= 3.35 for RETURNING): the ORM has no
# "UPDATE ... RETURNING", and one statement is both the lock and the increment.
_UPDATE = (
    'UPDATE "numbering_sequence" SET "last" = "last" + 1, "updated_at" = %s '
    'WHERE "scope" = %s AND "series" = %s AND "year" = %s RETURNING "last"'
)
_INSERT = (
    'INSERT INTO "numbering_sequence" ("scope", "series", "year", "last", "updated_at") '
    'VALUES (%s, %s, %s, 0, %s) ON CONFLICT ("scope", "series", "year") DO NOTHING'
)
assert Sequence._meta.db_table == "numbering_sequence"


def number_next(*, scope: str, series: str, year: int, using: str = DEFAULT_DB_ALIAS) -> int:
    """Take the next number of the sequence, inside the caller's ``transaction.atomic()``.

    Raises ``TransactionManagementError`` when called outside a transaction: in autocommit the
    number would be committed on its own and lost if the caller then failed (a gap).
    """
    scope, series, year = _check_key(scope, series, year)
    connection = connections[using]
    if not connection.in_atomic_block:
        raise TransactionManagementError(
            "number_next() must run inside the caller's transaction.atomic() block."
        )
    now = timezone.now()
    with connection.cursor() as cursor:
        # Common path: one statement that locks the row until the caller's transaction ends.
        cursor.execute(_UPDATE, [now, scope, series, year])
        row = cursor.fetchone()
        if row is None:
            # First number of this sequence: create the row (a concurrent creator makes us wait
            # for its outcome on PostgreSQL, and SQLite has one writer), then take number 1+.
            cursor.execute(_INSERT, [scope, series, year, now])
            cursor.execute(_UPDATE, [now, scope, series, year])
            row = cursor.fetchone()
    if row is None:  # pragma: no cover - the row exists after the insert above
        raise RuntimeError("numbering row vanished")
    return int(row[0])


_RAISE = (
    'UPDATE "numbering_sequence" SET "last" = CASE WHEN "last" < %s THEN %s ELSE "last" END, '
    '"updated_at" = %s WHERE "scope" = %s AND "series" = %s AND "year" = %s RETURNING "last"'
)


def number_raise_to(
    *, scope: str, series: str, year: int, at_least: int, using: str = DEFAULT_DB_ALIAS
) -> int:
    """Lock the sequence (inside the caller's transaction, like ``number_next``) and make its
    last issued number at least ``at_least``; return the last number after the call.

    ``at_least=0`` only locks and reads it. Used when numbers were issued outside the system
    and are brought in (a legacy register imported, docs/decisions/0007-legacy-import.md): the
    next ``number_next`` then continues after them. The counter never goes down.
    """
    scope, series, year = _check_key(scope, series, year)
    if isinstance(at_least, bool) or not isinstance(at_least, int) or at_least < 0:
        raise DomainError("invalid_sequence", f"Số không hợp lệ: {at_least!r}.")
    connection = connections[using]
    if not connection.in_atomic_block:
        raise TransactionManagementError(
            "number_raise_to() must run inside the caller's transaction.atomic() block."
        )
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(_INSERT, [scope, series, year, now])
        cursor.execute(_RAISE, [at_least, at_least, now, scope, series, year])
        row = cursor.fetchone()
    if row is None:  # pragma: no cover - the row exists after the insert above
        raise RuntimeError("numbering row vanished")
    return int(row[0])


def number_peek(*, scope: str, series: str, year: int, using: str = DEFAULT_DB_ALIAS) -> int:
    """The number ``number_next`` would give now, without taking it (advisory: another caller
    may take it first)."""
    scope, series, year = _check_key(scope, series, year)
    last = (
        Sequence.objects.using(using)
        .filter(scope=scope, series=series, year=year)
        .values_list("last", flat=True)
        .first()
    )
    return (last or 0) + 1


def format_number(n: int, width: int = 2) -> str:
    """The number as written on a document: at least ``width`` digits ("05", "12", "123").

    Decree 30/2020 (App. I §II.3): numbers below 10 take a leading zero.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"not a document number: {n!r}")
    return f"{n:0{width}d}"
