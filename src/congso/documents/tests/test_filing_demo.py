"""The demo's file lists for Phường Tây Hồ: built through the services, idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from congso.documents import demo_filing
from congso.documents.models import File, FileEntry, FileList, FileStatus
from congso.documents.tests.registers_helpers import make_incoming
from congso.kernel.core.demo import DemoContext, run_all

pytestmark = pytest.mark.django_db


def test_demo_file_lists(settings: Any, tmp_path: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    logs: list[str] = []
    ctx = DemoContext(today=dt.date(2026, 11, 20), out=logs.append)
    run_all(ctx, only={"units", "staff"})
    from congso.kernel.orgunits.demo import demo_units

    tay_ho = demo_units().tay_ho
    make_incoming(tay_ho, 1, day=dt.date(2025, 4, 2), subject="V/v kiểm tra trật tự xây dựng")
    make_incoming(tay_ho, 2, day=dt.date(2025, 5, 6), subject="V/v tổng hợp ý kiến cử tri")
    make_incoming(tay_ho, 1, day=dt.date(2026, 2, 3), subject="V/v chuẩn bị tổ chức Tết")
    demo_filing.load(ctx)
    lists = FileList.objects.filter(unit=tay_ho).order_by("year")
    assert [(fl.year, fl.issued_at is not None) for fl in lists] == [(2025, True), (2026, True)]
    assert File.objects.filter(file_list__year=2026, notation="01.TH").exists()
    assert FileEntry.objects.filter(file__file_list__year=2025).count() == 2
    closed = File.objects.filter(file_list__year=2025, status=FileStatus.CLOSED)
    assert closed.count() == 2
    assert FileEntry.objects.filter(file__file_list__year=2026).count() == 1
    before = File.objects.count()
    demo_filing.load(ctx)  # idempotent
    assert File.objects.count() == before
    assert any("đã có" in line for line in logs)
