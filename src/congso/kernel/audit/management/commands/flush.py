"""Django's ``flush``, allowed to empty the append-only audit table too.

``flush`` deletes every row of every table on purpose (the test runner uses it between
transactional tests). The audit triggers refuse row deletes (SQLite) and TRUNCATE (PostgreSQL)
unless this maintenance switch is on; it is on only for the duration of this command.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from congso.kernel.audit.signals import audit_maintenance


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        alias = options.get("database") or DEFAULT_DB_ALIAS
        connection = connections[alias]
        token = audit_maintenance.set(True)
        try:
            if connection.vendor == "postgresql":
                with transaction.atomic(using=alias):
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL congso.audit_maintenance = 'on'")
                    super().handle(**options)
            else:
                super().handle(**options)
        finally:
            audit_maintenance.reset(token)
