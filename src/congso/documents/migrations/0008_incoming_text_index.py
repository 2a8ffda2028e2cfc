"""Indexes for the incoming list at 100 000 documents and for the duplicate check.

The list's text filter (subject, notation, sender) is a substring search. It gets an index of
its own, by database:

- SQLite: an FTS5 table with the ``trigram`` tokenizer over the three columns (external
  content: it stores only the index), kept in step by triggers; queried with MATCH on a quoted
  phrase (substring semantics, case folded for Vietnamese letters too, which SQLite's LIKE
  does not do). Terms shorter than three characters fall back to a scan.
- PostgreSQL: ``pg_trgm`` GIN indexes on ``UPPER(column)``, the expression Django's
  ``icontains`` produces, so the ORM's filter uses them unchanged. The extension is created if
  the database user may (a trusted extension since PostgreSQL 13); without it the indexes are
  skipped and the filter scans (slower, still correct).
"""

from typing import Any

from django.db import migrations, models, transaction

FTS = "documents_incoming_fts"
TABLE = "documents_incomingdocument"
COLUMNS = ("subject", "notation", "sender_name")

SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5("
    f"subject, notation, sender_name, content='{TABLE}', content_rowid='id', "
    "tokenize='trigram case_sensitive 0')",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS}_ai AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS}(rowid, subject, notation, sender_name)
        VALUES (new.id, new.subject, new.notation, new.sender_name);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS}_ad AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, subject, notation, sender_name)
        VALUES ('delete', old.id, old.subject, old.notation, old.sender_name);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS}_au AFTER UPDATE OF subject, notation, sender_name
        ON {TABLE} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, subject, notation, sender_name)
        VALUES ('delete', old.id, old.subject, old.notation, old.sender_name);
        INSERT INTO {FTS}(rowid, subject, notation, sender_name)
        VALUES (new.id, new.subject, new.notation, new.sender_name);
    END""",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TABLE IF EXISTS {FTS}",
]


def _pg_trgm(cursor: Any) -> bool:
    cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
    if cursor.fetchone():
        return True
    try:
        with transaction.atomic():  # a savepoint: a refused CREATE does not abort the migration
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        return True
    except Exception:  # noqa: BLE001 - no privilege or not installed: the filter scans
        return False


def forward(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for sql in SQLITE_FORWARD:
                cursor.execute(sql)
        elif connection.vendor == "postgresql" and _pg_trgm(cursor):
            for column in COLUMNS:
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS incoming_{column}_trgm ON {TABLE} "
                    f"USING gin (UPPER({column}::text) gin_trgm_ops)"
                )


def backward(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for sql in SQLITE_BACKWARD:
                cursor.execute(sql)
        elif connection.vendor == "postgresql":
            for column in COLUMNS:
                cursor.execute(f"DROP INDEX IF EXISTS incoming_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0007_registers_export"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="incomingdocument",
            index=models.Index(fields=["unit", "issued_date"], name="incoming_unit_issued_idx"),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
