"""A child process of the multi-process registration test (not a test module itself).

Connects to the test database named on the command line, says "ready", waits for "go" on stdin,
then registers incoming documents through ``incoming_register`` (each with its own small PDF),
some of them with a bad file on purpose (they must roll back their number). Prints one JSON line
with its counts at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db-name", required=True)
    parser.add_argument("--worker", type=int, required=True)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--unit", type=int, required=True)
    parser.add_argument("--clerk", type=int, required=True)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.test_settings")
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = args.db_name
    import django

    django.setup()
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from congso.documents.models import DocumentType
    from congso.documents.services.incoming import incoming_register
    from congso.documents.textpdf import Line, render
    from congso.kernel.errors import DomainError
    from congso.kernel.orgunits.models import AdminUnit
    from congso.kernel.people.models import User

    unit = AdminUnit.objects.get(pk=args.unit)
    clerk = User.objects.get(pk=args.clerk)
    letter = DocumentType.objects.get(name="Công văn")
    connection.ensure_connection()
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        return 2

    started = time.time()
    committed: list[int] = []
    refused = 0
    for i in range(args.count):
        bad = i % 5 == 2  # every fifth one carries a file that is not what it claims
        content = (
            b"this is not a PDF"
            if bad
            else render([Line(f"Công văn thử của tiến trình {args.worker}, số {i}.")])
        )
        try:
            document = incoming_register(
                unit=unit,
                user=clerk,
                files=[SimpleUploadedFile(f"w{args.worker}-{i}.pdf", content)],
                channel="electronic",
                document_type=letter,
                notation=f"{i + 1}/W{args.worker}-VP",
                issued_date=dt.date.today(),
                sender_name=f"Cơ quan thử {args.worker}",
                subject=f"Công văn thử {i} của tiến trình {args.worker}",
            )
        except DomainError:
            refused += 1
        else:
            committed.append(document.arrival_number)
    print(
        json.dumps(
            {
                "worker": args.worker,
                "committed": committed,
                "refused": refused,
                "started": started,
                "finished": time.time(),
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
