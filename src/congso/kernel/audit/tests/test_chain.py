"""The hash chain: recording, append-only guards, and tamper detection by ``audit_verify``."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from congso.kernel.audit.chain import event_hash, verify_chain
from congso.kernel.audit.models import GENESIS_HASH, AppendOnlyError, AuditEvent
from congso.kernel.audit.services import audit_record
from congso.kernel.orgunits.models import AdminUnit, Department

pytestmark = pytest.mark.django_db


def verify(*args: str) -> str:
    out = io.StringIO()
    call_command("audit_verify", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def verify_fails(*args: str) -> str:
    with pytest.raises(CommandError) as info:
        verify(*args)
    assert info.value.returncode != 0
    return str(info.value)


def record_many(n: int, ward: AdminUnit | None = None, actor: Any = None) -> list[AuditEvent]:
    events = []
    for i in range(n):
        events.append(
            audit_record(
                action="test.step" if i % 3 else "test.other",
                obj=ward if i % 2 else None,
                actor=actor,
                changes={
                    "trích_yếu": [f"Công văn số {i}", f"Công văn số {i} (sửa)"],
                    "hạn": [dt.date(2026, 2, 13), dt.date(2026, 2, 23)],
                    "phí": [Decimal("10000.50"), None],
                },
                summary=f"Sự kiện thử thứ {i} — Ủy ban nhân dân phường",
                ip=f"203.113.0.{i % 250}" if i % 4 else "2001:db8::1",
            )
        )
    return events


def test_chain_links_every_event(ward_a: AdminUnit, make_user: Any) -> None:
    actor = make_user("clerk", ward_a)
    events = record_many(120, ward_a, actor)
    rows = list(AuditEvent.objects.order_by("seq"))
    assert [r.seq for r in rows] == list(range(1, 121))
    assert rows[0].prev_hash == GENESIS_HASH
    for previous, current in itertools.pairwise(rows):
        assert current.prev_hash == previous.hash
    # What was computed before the insert is what the stored row hashes to.
    assert [e.hash for e in events] == [r.hash for r in rows]
    stored = AuditEvent.objects.values().get(seq=2)
    assert event_hash(stored) == stored["hash"]
    assert rows[1].content_type is not None
    assert (rows[1].content_type.app_label, rows[1].object_id) == ("orgunits", str(ward_a.pk))
    assert rows[1].actor_name == "Nguyễn Văn Thử (clerk1)"
    assert rows[1].changes["hạn"] == ["2026-02-13", "2026-02-23"]
    assert rows[1].changes["phí"] == ["10000.50", None]
    assert "Nhật ký toàn vẹn: 120 sự kiện" in verify()


def test_empty_log_is_intact() -> None:
    assert "Nhật ký toàn vẹn: 0 sự kiện" in verify()


def test_hash_depends_on_every_field(ward_a: AdminUnit) -> None:
    event = audit_record(action="test.a", obj=ward_a, summary="x", changes={"a": [1, 2]})
    row = AuditEvent.objects.values().get(pk=event.pk)
    base = event_hash(row)
    assert base == event.hash
    for name, other in [
        ("summary", "y"),
        ("action", "test.b"),
        ("object_repr", "khác"),
        ("object_id", "999"),
        ("changes", {"a": [1, 3]}),
        ("ip", "10.0.0.1"),
        ("actor_name", "ai đó"),
        ("unit_id", ward_a.pk + 1),
        ("time", row["time"] + dt.timedelta(microseconds=1)),
        ("seq", 2),
        ("prev_hash", "1" * 64),
    ]:
        assert event_hash({**row, name: other}) != base, name


def test_unit_defaults_to_the_object_unit(ward_a: AdminUnit, ward_b: AdminUnit) -> None:
    department = Department.objects.get(unit=ward_a)
    assert audit_record(action="test.a", obj=department).unit_id == ward_a.pk
    assert audit_record(action="test.a", obj=department, unit=ward_b).unit_id == ward_b.pk
    assert audit_record(action="test.a", unit=ward_b.pk).unit_id == ward_b.pk
    assert audit_record(action="test.a").unit_id is None


def test_rolled_back_event_leaves_no_gap() -> None:
    audit_record(action="test.kept")
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(action="test.rolled_back")
        raise RuntimeError("the caller's write failed")
    audit_record(action="test.kept")
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", "action")) == [
        (1, "test.kept"),
        (2, "test.kept"),
    ]
    assert "Nhật ký toàn vẹn: 2 sự kiện" in verify()


def test_code_refuses_update_and_delete() -> None:
    event = audit_record(action="test.a", summary="gốc")
    event.summary = "sửa"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="sửa")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["summary"])
    assert AuditEvent.objects.get(pk=event.pk).summary == "gốc"


def test_database_refuses_update_and_delete(raw_sql: Any) -> None:
    event = audit_record(action="test.a", summary="gốc")
    with pytest.raises(DatabaseError), transaction.atomic():
        raw_sql("UPDATE audit_auditevent SET summary = %s WHERE id = %s", ["sửa", event.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            raw_sql("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.get(pk=event.pk).summary == "gốc"
    assert "Nhật ký toàn vẹn: 1 sự kiện" in verify()


@pytest.mark.usefixtures("no_triggers")
class TestTampering:
    """Someone with database access drops the triggers and edits rows: verify must notice."""

    def test_altered_summary(self, raw_sql: Any) -> None:
        events = record_many(10)
        assert (
            raw_sql(
                "UPDATE audit_auditevent SET summary = %s WHERE id = %s", ["đã sửa", events[4].pk]
            )
            == 1
        )
        message = verify_fails()
        assert f"seq=5, id={events[4].pk}" in message
        assert "altered" in message

    def test_altered_changes_json(self, raw_sql: Any) -> None:
        events = record_many(6)
        raw_sql(
            "UPDATE audit_auditevent SET changes = %s WHERE id = %s",
            ['{"phí": ["0", null]}', events[2].pk],
        )
        assert "seq=3" in verify_fails()

    def test_deleted_middle_row(self, raw_sql: Any) -> None:
        events = record_many(10)
        assert raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [events[5].pk]) == 1
        message = verify_fails()
        assert f"seq=7, id={events[6].pk}" in message
        assert "deleted gap" in message
        assert "Thiếu seq 6" in message

    def test_deleted_first_rows(self, raw_sql: Any) -> None:
        events = record_many(5)
        raw_sql("DELETE FROM audit_auditevent WHERE seq <= 2")
        message = verify_fails()
        assert f"seq=3, id={events[2].pk}" in message
        assert "Thiếu seq 1–2" in message

    def test_altered_hash(self, raw_sql: Any) -> None:
        events = record_many(10)
        raw_sql("UPDATE audit_auditevent SET hash = %s WHERE id = %s", ["f" * 64, events[6].pk])
        message = verify_fails()
        assert f"seq=7, id={events[6].pk}" in message
        assert "altered" in message

    def test_altered_row_with_recomputed_hash_breaks_the_next_link(self, raw_sql: Any) -> None:
        events = record_many(10)
        row = AuditEvent.objects.values().get(pk=events[3].pk)
        forged = event_hash({**row, "summary": "bản giả"})
        raw_sql(
            "UPDATE audit_auditevent SET summary = %s, hash = %s WHERE id = %s",
            ["bản giả", forged, events[3].pk],
        )
        message = verify_fails()
        assert f"seq=5, id={events[4].pk}" in message
        assert "broken link" in message

    def test_renumbered_after_delete(self, raw_sql: Any) -> None:
        events = record_many(6)
        raw_sql("DELETE FROM audit_auditevent WHERE seq = 3")
        raw_sql("UPDATE audit_auditevent SET seq = seq - 1 WHERE seq > 3")
        message = verify_fails()
        assert f"seq=3, id={events[3].pk}" in message  # the old 4th, now numbered 3

    def test_truncated_tail_needs_an_anchor(self, raw_sql: Any) -> None:
        record_many(8)
        output = verify()
        anchor = output.strip().splitlines()[-1].removeprefix("Mốc: ")
        assert anchor.startswith("8:")
        raw_sql("DELETE FROM audit_auditevent WHERE seq >= 7")
        # The chain alone cannot see that its end was cut off (see ADR 0004)…
        assert "Nhật ký toàn vẹn: 6 sự kiện" in verify()
        # …an anchor kept outside the database can.
        message = verify_fails("--expect", anchor)
        assert "anchor mismatch" in message
        assert "seq=8" in message

    def test_missing_triggers_are_reported(self) -> None:
        record_many(2)
        err = io.StringIO()
        call_command("audit_verify", stdout=io.StringIO(), stderr=err)
        assert "thiếu trigger" in err.getvalue()


def test_anchor_matches_intact_log() -> None:
    record_many(3)
    anchor = verify().strip().splitlines()[-1].removeprefix("Mốc: ")
    record_many(2)
    assert "Nhật ký toàn vẹn: 5 sự kiện" in verify("--expect", anchor)
    seq, digest = anchor.split(":")
    wrong = digest[:-1] + ("1" if digest[-1] == "0" else "0")
    assert "anchor mismatch" in verify_fails("--expect", f"{seq}:{wrong}")


def test_bad_anchor_argument() -> None:
    assert "Mốc không hợp lệ" in verify_fails("--expect", "abc")


def test_verify_streams_in_chunks() -> None:
    record_many(25)
    report = verify_chain(chunk_size=4)
    assert report.intact
    assert report.count == 25
    assert report.head_seq == 25
    assert report.head_hash == AuditEvent.objects.get(seq=25).hash
