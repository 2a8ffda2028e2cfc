"""The search part of ``/healthz``: is the index open, how many entries, how far behind.

Public endpoint: no paths or messages, only states and numbers. ``failing`` when the index is
missing or unreadable, or when a change has waited in the outbox longer than
``SEARCH_MAX_LAG_SECONDS`` (default 300: the worker is not applying changes). A missing index
or a stuck outbox also kicks the drain (which builds a missing index), the way ``/healthz``
sends the worker a heartbeat.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from congso.kernel.search.backends import get_backend
from congso.kernel.search.backends.base import SearchUnavailable
from congso.kernel.search.services import _kick_drain, pending_outbox

#: A pending change older than this is applied by a drain kicked from here (the one enqueued at
#: commit was lost, e.g. the enqueue itself failed).
KICK_AFTER_SECONDS = 30


def check() -> dict[str, Any]:
    max_lag = int(getattr(settings, "SEARCH_MAX_LAG_SECONDS", 300))
    backend = get_backend()
    stats = _stats(backend)
    if stats.get("index") != "open" or _lag() > KICK_AFTER_SECONDS:
        _kick_drain()  # with tasks run inline (tests, small installs) this applies them now
        stats = _stats(backend)
    lag = _lag()
    out: dict[str, Any] = {
        "index": stats.get("index", "missing"),
        "documents": stats.get("documents"),
        "rebuilding": bool(stats.get("rebuilding")),
        "outbox_pending": pending_outbox().count(),
        "outbox_lag_seconds": round(lag, 1),
        "max_lag_seconds": max_lag,
    }
    healthy = out["index"] == "open" and lag <= max_lag
    return {"status": "ok" if healthy else "failing", **out}


def _lag() -> float:
    oldest = pending_outbox().order_by("id").values_list("created_at", flat=True).first()
    return (timezone.now() - oldest).total_seconds() if oldest is not None else 0.0


def _stats(backend: Any) -> dict[str, Any]:
    try:
        stats: dict[str, Any] = backend.stats()
    except SearchUnavailable:
        return {"index": "unreadable"}
    return stats
