"""A child process of the multi-process outgoing numbering test (not a test module itself).

Connects to the test database named on the command line, says "ready", waits for "go" on stdin,
then issues its share of signed outgoing documents through ``outgoing_issue`` (number, PDF
filling, the organisation's signature, files, audit). Every third issue is rolled back on purpose
after the service returned (an outer transaction fails): its number must come back, and the
document is issued again later. Prints one JSON line at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time


class _Rollback(Exception):
    pass


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db-name", required=True)
    parser.add_argument("--worker", type=int, required=True)
    parser.add_argument("--documents", required=True, help="comma-separated ids")
    parser.add_argument("--clerk", type=int, required=True)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.test_settings")
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = args.db_name
    import django

    django.setup()
    from django.db import connection, transaction

    from congso.documents.models import OutgoingDocument
    from congso.documents.services.outgoing import outgoing_issue
    from congso.kernel.people.models import User

    clerk = User.objects.get(pk=args.clerk)
    ids = [int(x) for x in args.documents.split(",") if x]
    connection.ensure_connection()
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        return 2

    started = time.time()
    issued: list[int] = []
    rolled_back = 0
    queue = list(ids)
    attempt = 0
    while queue:
        pk = queue.pop(0)
        attempt += 1
        document = OutgoingDocument.objects.get(pk=pk)
        try:
            with transaction.atomic():
                done = outgoing_issue(document=document, user=clerk)
                if attempt % 3 == 2:
                    raise _Rollback
        except _Rollback:
            rolled_back += 1
            queue.append(pk)  # issue it again later
            continue
        assert done.number is not None
        issued.append(done.number)
    finished = time.time()
    print(
        json.dumps(
            {
                "worker": args.worker,
                "issued": issued,
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
