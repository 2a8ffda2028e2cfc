"""A child process of the worker-kill test (not a test module itself): runs the outbox drain on
the parent's test database and index, logging each batch to stdout, until killed or done."""

from __future__ import annotations

import argparse
import logging
import os
import sys


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db-name", required=True)
    parser.add_argument("--batch", type=int, default=20)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.test_settings")
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = args.db_name  # the parent's test database
    import django

    django.setup()
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log = logging.getLogger("congso.kernel.search.services")
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    log.propagate = False

    from congso.kernel.search.services import search_drain

    print("ready", flush=True)
    report = search_drain(batch_size=args.batch, time_budget=600)
    print(f"done {report.rows}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
