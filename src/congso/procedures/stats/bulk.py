"""Fast bulk inserts for the demo and the benchmark: plain ``executemany`` with explicit ids.

``bulk_create`` builds a model instance per row and prepares every value through the field
machinery (~0.5 ms a row here); for the demo's tens of thousands of rows and the benchmark's
million that is too slow. ``insert_rows`` takes dicts keyed by attribute name (``unit_id``),
fills the other columns with the field defaults (``auto_now`` fields with now), adapts dates,
datetimes and decimals with the backend's own adapters, and inserts in batches. Ids are given
explicitly (``next_ids``) and PostgreSQL's identity sequence is moved past them afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connections, models
from django.db.models import Max
from django.utils import timezone


def next_id(model: type[models.Model], using: str = "default") -> int:
    return int(model._default_manager.using(using).aggregate(m=Max("pk"))["m"] or 0) + 1


def _adapter(field: models.Field[Any, Any], using: str) -> Callable[[Any], Any]:
    ops = connections[using].ops
    if isinstance(field, models.DateTimeField):
        return lambda v: None if v is None else ops.adapt_datetimefield_value(v)
    if isinstance(field, models.DateField):
        return lambda v: None if v is None else ops.adapt_datefield_value(v)
    if isinstance(field, models.DecimalField):
        digits, places = field.max_digits, field.decimal_places
        return lambda v: None if v is None else ops.adapt_decimalfield_value(v, digits, places)
    return lambda v: v


def insert_rows(
    model: type[models.Model],
    rows: Iterable[dict[str, Any]],
    *,
    batch: int = 5000,
    using: str = "default",
) -> int:
    """Insert ``rows`` (each with its ``id``); returns the number inserted."""
    connection = connections[using]
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields]
    names = [f.attname for f in fields]
    defaults: list[Any] = []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults.append(now)
        elif f.has_default() or not f.null:
            defaults.append(f.get_default())
        else:
            defaults.append(None)
    adapters = [_adapter(f, using) for f in fields]
    qn = connection.ops.quote_name
    table_sql = qn(model._meta.db_table)
    columns_sql = ", ".join(qn(f.column) for f in fields)
    values_sql = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table_sql} ({columns_sql}) VALUES ({values_sql})"  # noqa: S608
    count = 0
    chunk: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append(
                [
                    adapt(row.get(name, default))
                    for name, default, adapt in zip(names, defaults, adapters, strict=True)
                ]
            )
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
        if connection.vendor == "postgresql":
            table = model._meta.db_table
            top = f"SELECT COALESCE(MAX(id), 1) FROM {qn(table)}"  # noqa: S608 - our table
            cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), ({top}))", [table])
    return count
