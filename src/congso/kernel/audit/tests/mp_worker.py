"""A child process of the concurrent audit test (not a test module itself).

Connects to the test database named on the command line, says "ready", waits for "go" on stdin,
then records events in separate transactions (holding each transaction open a little after the
event, rolling some back), and prints one JSON line with its counts.
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
    parser.add_argument("--count", type=int, default=40)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.test_settings")
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = args.db_name  # the parent's test database
    import django

    django.setup()
    from django.db import connection, transaction

    from congso.kernel.audit.services import audit_record

    rng = random.Random(args.worker)
    connection.ensure_connection()
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        return 2
    committed = rolled_back = 0
    for i in range(args.count):
        try:
            with transaction.atomic():
                audit_record(
                    action="test.concurrent",
                    changes={"worker": [None, args.worker], "i": [None, i]},
                    summary=f"tiến trình {args.worker}, sự kiện {i}",
                )
                time.sleep(rng.random() * 0.003)
                if rng.random() < 0.15:
                    raise _Rollback
        except _Rollback:
            rolled_back += 1
        else:
            committed += 1
    print(json.dumps({"committed": committed, "rolled_back": rolled_back}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
