"""A child process of the multi-process numbering test (not a test module itself).

Connects to the test database named on the command line, says "ready", waits for "go" on
stdin, then takes numbers in separate transactions, rolling some back on purpose, and writes
each taken number to the ``numbering_mp_log`` table inside the same transaction (as a real caller
stores its number on the document it numbers). Prints one JSON line with its counts at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time


class _Rollback(Exception):
    pass


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db-name", required=True)
    parser.add_argument("--worker", type=int, required=True)
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--rollback-ratio", type=float, default=0.2)
    parser.add_argument("--scope", default="unit:mp:arrival")
    parser.add_argument("--series", default="arrival")
    parser.add_argument("--year", type=int, default=2026)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.test_settings")
    from django.conf import settings

    # The parent's test database, not the database the settings name.
    settings.DATABASES["default"]["NAME"] = args.db_name
    import django

    django.setup()
    from django.db import connection, transaction

    from congso.kernel.audit.services import audit_record
    from congso.kernel.numbering.services import number_next

    rng = random.Random(args.worker)
    key = {"scope": args.scope, "series": args.series, "year": args.year}
    connection.ensure_connection()
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        return 2

    started = time.time()
    committed = rolled_back = 0
    for i in range(args.count):
        rollback = rng.random() < args.rollback_ratio
        nested = i % 7 == 3  # sometimes a savepoint inside takes a number and rolls back
        try:
            with transaction.atomic():
                if nested:
                    try:
                        with transaction.atomic():
                            number_next(**key)
                            raise _Rollback
                    except _Rollback:
                        rolled_back += 1
                n = number_next(**key)
                time.sleep(rng.random() * 0.003)  # hold the lock a little: others queue
                with connection.cursor() as cursor:
                    cursor.execute(
                        "INSERT INTO numbering_mp_log (n, worker) VALUES (%s, %s)", [n, args.worker]
                    )
                # As a real caller: the audit event last (after the number; see ADR 0003/0004).
                audit_record(action="numbering.test", summary=f"Số {n} (tiến trình {args.worker})")
                if rollback:
                    raise _Rollback
        except _Rollback:
            rolled_back += 1
        else:
            committed += 1
    finished = time.time()
    print(
        json.dumps(
            {
                "worker": args.worker,
                "committed": committed,
                "rolled_back": rolled_back,
                "started": started,
                "finished": finished,
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
