"""Shared set-up of the Django benchmarks (documents, one-stop shop): a database of their own,
never the dev/test ones. Each area's ``_common.py`` re-exports it with its own database name.

SQLite: a file under var/bench/ (WAL, IMMEDIATE, as in production); PostgreSQL: the database
``<area prefix>_<name>`` (e.g. ``bench_documents_incoming_list``) on BENCH_DATABASE_URL's
server (default postgres://postgres@127.0.0.1:5432),
dropped and created afresh. Each backend runs in a child process (Django is set up once per
process), which prints one JSON line the parent collects.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"
PG_DB = "bench_documents"
BENCH_PASSWORD = "x-bench-only"  # noqa: S105 - throwaway accounts in a throwaway database
PG_SERVER = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def pg_server_url() -> str:
    base = PG_SERVER.rsplit("/", 1)[0]
    return f"{base}/postgres"


def pg_available() -> bool:
    try:
        import psycopg
    except ImportError:
        return False
    try:
        with psycopg.connect(pg_server_url(), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def reset_pg(db: str = PG_DB, *, reuse: bool = False) -> str:
    import psycopg

    with psycopg.connect(pg_server_url(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db]).fetchone()
        if not (reuse and exists):
            conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{db}"')
    return f"{pg_server_url().rsplit('/', 1)[0]}/{db}"


def child_env(
    backend: str, name: str, *, reuse: bool = False, pg_prefix: str = PG_DB
) -> dict[str, str]:
    """Environment of a child: its own database and media folder, production-like settings.
    ``reuse``: keep the database of a previous run of the same benchmark (``--reuse``)."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    var = BENCH_DIR / f"{name}-{backend}"
    if not reuse:
        shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "congso.settings"
    env["PYTHONPATH"] = str(ROOT / "src")
    env["CONGSO_VAR_DIR"] = str(var)
    env["MEDIA_ROOT"] = str(var / "media")
    env.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789")
    env["DEBUG"] = "0"
    if backend == "pg":
        env["DATABASE_URL"] = reset_pg(f"{pg_prefix}_{name}".replace("-", "_"), reuse=reuse)
    else:
        env["DATABASE_URL"] = f"sqlite:///{var / 'db.sqlite3'}"
    return env


def run_children(
    script: str,
    name: str,
    args: list[str],
    *,
    reuse: bool = False,
    only: str | None = None,
    pg_prefix: str = PG_DB,
) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    backends = ["sqlite"] + (["pg"] if pg_available() else [])
    if only:
        backends = [b for b in backends if b == only]
    for backend in backends:
        env = child_env(backend, name, reuse=reuse, pg_prefix=pg_prefix)
        proc = subprocess.run(
            [sys.executable, script, "--child", backend, *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            print(proc.stdout[-3000:], proc.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"{name} ({backend}) failed")
        line = [x for x in proc.stdout.splitlines() if x.startswith("{")][-1]
        results[backend] = json.loads(line)
    return results


def setup_django(*, static: bool = False) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if static:  # pages render {% static %} through the manifest storage (DEBUG off)
        call_command("collectstatic", verbosity=0, interactive=False)


def make_unit_and_clerk() -> tuple[Any, Any, Any]:
    """A committee with an office, a clerk (with a confirmed second factor) and a leader."""
    import datetime as dt

    from congso.kernel.orgunits.models import AdminUnit, AdminUnitLevel, Department, DepartmentKind
    from congso.kernel.people.models import Position, Role, User

    city = AdminUnit.objects.create(
        name="Thành phố Hà Nội", level=AdminUnitLevel.PROVINCE, code="01", dataset="bench"
    )
    unit = AdminUnit.objects.create(
        name="Phường Tây Hồ",
        level=AdminUnitLevel.WARD,
        code="00103",
        dataset="bench",
        parent=city,
        valid_from=dt.date(2021, 1, 1),
        org_code="H26.BENCH",
        is_served=True,
    )
    for abbr, name, kind in (
        ("LĐ", "Lãnh đạo", DepartmentKind.LEADERSHIP),
        ("VP", "Văn phòng", DepartmentKind.OFFICE),
        ("KT", "Phòng Kinh tế", DepartmentKind.DIVISION),
        ("VHXH", "Phòng Văn hóa - Xã hội", DepartmentKind.DIVISION),
    ):
        Department.objects.create(unit=unit, name=name, abbreviation=abbr, kind=kind)
    clerk = User.objects.create_user(
        username="vanthu", password=BENCH_PASSWORD, full_name="Văn Thư"
    )
    Position.objects.create(
        user=clerk, unit=unit, role=Role.CLERK, department=unit.departments.get(abbreviation="VP")
    )
    leader = User.objects.create_user(
        username="lanhdao", password=BENCH_PASSWORD, full_name="Lãnh Đạo"
    )
    Position.objects.create(
        user=leader, unit=unit, role=Role.LEADER, department=unit.departments.get(abbreviation="LĐ")
    )
    return unit, clerk, leader


def logged_in_client(user: Any) -> Any:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]
