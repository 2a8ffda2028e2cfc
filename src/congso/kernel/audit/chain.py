"""The hash chain: canonical form of an event, its hash, and verification of the whole log.

``hash = sha256(prev_hash + canonical_json(fields))`` where the canonical JSON has sorted keys, no
whitespace, times in UTC ISO 8601 with microseconds, ids as strings and the object type as
``app_label.model`` (stable across databases, unlike content type ids).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType

from congso.kernel.audit.models import GENESIS_HASH, AuditEvent

HASHED_FIELDS = (
    "seq",
    "time",
    "actor_id",
    "actor_name",
    "ip",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "unit_id",
    "changes",
    "summary",
    "prev_hash",
)


def _id(value: Any) -> str | None:
    return None if value is None else str(value)


def canonical_json(
    *,
    seq: int,
    time: dt.datetime,
    actor_id: int | None,
    actor_name: str,
    ip: str | None,
    action: str,
    object_type: str | None,
    object_id: str,
    object_repr: str,
    unit_id: int | None,
    changes: Any,
    summary: str,
) -> str:
    payload = {
        "seq": str(seq),
        "time": time.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": _id(actor_id),
        "actor_name": actor_name,
        "ip": ip or None,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": object_repr,
        "unit": _id(unit_id),
        "changes": changes if changes is not None else {},
        "summary": summary,
    }
    return json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )


def chain_hash(prev_hash: str, canonical: str) -> str:
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def content_type_label(content_type_id: int | None) -> str | None:
    if content_type_id is None:
        return None
    try:
        ct = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist:
        return f"?{content_type_id}"  # cannot match the label hashed when the event was written
    return f"{ct.app_label}.{ct.model}"


def event_hash(row: dict[str, Any], labels: dict[int, str] | None = None) -> str:
    """Recompute the hash of a stored event given as a dict of ``HASHED_FIELDS``."""
    ct_id = row["content_type_id"]
    label = (labels or {}).get(ct_id) if ct_id is not None else None
    if ct_id is not None and label is None:
        label = content_type_label(ct_id)
    canonical = canonical_json(
        seq=row["seq"],
        time=row["time"],
        actor_id=row["actor_id"],
        actor_name=row["actor_name"],
        ip=row["ip"],
        action=row["action"],
        object_type=label,
        object_id=row["object_id"],
        object_repr=row["object_repr"],
        unit_id=row["unit_id"],
        changes=row["changes"],
        summary=row["summary"],
    )
    return chain_hash(row["prev_hash"], canonical)


# --- verification -----------------------------------------------------------------------------

ALTERED = "altered"
DELETED_GAP = "deleted gap"
BROKEN_LINK = "broken link"
ANCHOR_MISMATCH = "anchor mismatch"

REASON_TEXT = {
    ALTERED: "nội dung sự kiện đã bị sửa (hash tính lại không khớp hash đã lưu)",
    DELETED_GAP: "có sự kiện đã bị xóa (số thứ tự bị đứt quãng)",
    BROKEN_LINK: "liên kết bị đứt (prev_hash không khớp hash của sự kiện liền trước)",
    ANCHOR_MISMATCH: "không khớp mốc đã lưu bên ngoài (nhật ký đã bị cắt bớt hoặc viết lại)",
}


@dataclass(frozen=True)
class ChainFault:
    seq: int | None
    id: int | None
    reason: str
    detail: str = ""

    def describe(self) -> str:
        where = f"seq={self.seq}, id={self.id}" if self.seq is not None else "cuối nhật ký"
        text = f"Sự kiện hỏng đầu tiên: {where} — {self.reason}: {REASON_TEXT[self.reason]}"
        return f"{text}. {self.detail}" if self.detail else f"{text}."


@dataclass(frozen=True)
class ChainReport:
    count: int
    head_seq: int
    head_hash: str
    fault: ChainFault | None

    @property
    def intact(self) -> bool:
        return self.fault is None


def _rows(chunk_size: int) -> Iterator[dict[str, Any]]:
    qs = AuditEvent.objects.order_by("seq").values("id", *HASHED_FIELDS, "hash")
    return qs.iterator(chunk_size=chunk_size)


def verify_chain(*, chunk_size: int = 2000, anchors: dict[int, str] | None = None) -> ChainReport:
    """Walk the log in ``seq`` order (streaming) and stop at the first fault.

    ``anchors`` maps a ``seq`` to the hash recorded for it somewhere outside the database (printed
    by an earlier run of ``audit_verify``); they catch truncation of the tail and a rewritten
    chain, which the chain alone cannot.
    """
    labels = {ct.pk: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.all()}
    anchors = dict(anchors or {})
    expected_seq = 1
    prev_hash = GENESIS_HASH
    count = 0
    for row in _rows(chunk_size):
        seq, pk = row["seq"], row["id"]
        if seq != expected_seq:
            missing = (
                f"seq {expected_seq}"
                if seq == expected_seq + 1
                else f"seq {expected_seq}–{seq - 1}"
            )
            return ChainReport(
                count,
                expected_seq - 1,
                prev_hash,
                ChainFault(seq, pk, DELETED_GAP, f"Thiếu {missing} ngay trước sự kiện này"),
            )
        if row["prev_hash"] != prev_hash:
            return ChainReport(count, seq - 1, prev_hash, ChainFault(seq, pk, BROKEN_LINK))
        if event_hash(row, labels) != row["hash"]:
            return ChainReport(count, seq - 1, prev_hash, ChainFault(seq, pk, ALTERED))
        expected = anchors.pop(seq, None)
        if expected is not None and expected != row["hash"]:
            return ChainReport(
                count,
                seq - 1,
                prev_hash,
                ChainFault(seq, pk, ANCHOR_MISMATCH, f"Mốc ghi hash {expected[:16]}…"),
            )
        prev_hash = row["hash"]
        expected_seq = seq + 1
        count += 1
    if anchors:
        first = min(anchors)
        return ChainReport(
            count,
            expected_seq - 1,
            prev_hash,
            ChainFault(
                None,
                None,
                ANCHOR_MISMATCH,
                f"Mốc seq={first} không còn trong nhật ký (sự kiện cuối hiện có: "
                f"seq={expected_seq - 1})",
            ),
        )
    return ChainReport(count, expected_seq - 1, prev_hash, None)
