"""Every write of the search module: the outbox, the drain, the rebuild and the check.

How a change reaches the index:

1. A domain service changes an object and calls :func:`search_enqueue` (or
   :func:`search_enqueue_delete`) **inside its transaction**: one outbox row. If the transaction
   rolls back, so does the row; if it commits, the row is there even if the process dies at once.
2. When the transaction commits, a ``search_drain`` task is enqueued (once per transaction, and
   not when one is already waiting).
3. The worker runs :func:`search_drain`: it takes pending rows in batches, re-reads those objects
   from the database (the truth), writes them to the index (or deletes them), commits the index,
   and only then marks the rows processed. A crash anywhere leaves rows pending: they are
   applied again, which is harmless.

:func:`search_rebuild` builds a complete new index beside the live one (resumable from
checkpoints), replays the changes made meanwhile, then makes it live. :func:`search_check`
compares the index with the database and, with ``repair``, queues the differences.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import os
import signal
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connections, models, transaction
from django.db.models import Q
from django.utils import timezone

from congso.kernel.search.backends import backend_name, get_backend
from congso.kernel.search.backends.base import SearchUnavailable
from congso.kernel.search.models import OutboxOp, SearchOutbox
from congso.kernel.search.registry import IndexDocument, get_source, kind_for_model, sources
from congso.kernel.search.units import unit_tree

logger = logging.getLogger(__name__)

#: Rows whose change a rebuild might have missed are those written this long before it started.
REBUILD_MARGIN = dt.timedelta(minutes=5)

DRAIN_TASK_PATH = "congso.kernel.search.tasks.search_drain_task"

ProgressFn = Callable[[str, int, int], None]


# --- the outbox ---------------------------------------------------------------------------------


def _enabled() -> bool:
    return bool(backend_name())


def search_enqueue(obj: models.Model) -> None:
    """Queue ``obj`` for (re)indexing, in the caller's transaction. Its model must be a
    registered search source."""
    kind = kind_for_model(type(obj))
    if kind is None:
        raise ValueError(f"{type(obj).__name__} is not a registered search source")
    if obj.pk is None:
        raise ValueError("save the object before queueing it for search")
    search_enqueue_many(kind, [int(obj.pk)])


def search_enqueue_delete(kind: str, object_id: int) -> None:
    """Queue the removal of ``kind``/``object_id`` from the index, in the caller's transaction."""
    search_enqueue_many(kind, [int(object_id)], op=OutboxOp.DELETE)


def search_enqueue_many(kind: str, object_ids: Iterable[int], *, op: str = OutboxOp.INDEX) -> int:
    """Queue many objects of one kind at once (one ``INSERT``). Returns the number queued."""
    if not _enabled():
        return 0
    rows = [SearchOutbox(kind=kind, object_id=int(pk), op=op) for pk in object_ids]
    if not rows:
        return 0
    SearchOutbox.objects.bulk_create(rows, batch_size=1000)
    _schedule_drain()
    return len(rows)


def _schedule_drain() -> None:
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        # Once per transaction: the drain takes every pending row anyway.
        current = set(connection.savepoint_ids)
        for sids, func, _robust in connection.run_on_commit:
            if func is _kick_drain and set(sids) <= current:
                return
        transaction.on_commit(_kick_drain, robust=True)
    else:
        _kick_drain()


def _kick_drain() -> None:
    """Enqueue the drain task unless one is already waiting to run."""
    try:
        backend_path = str(settings.TASKS.get("default", {}).get("BACKEND", ""))
        if backend_path.startswith("django_tasks_db."):
            from django_tasks_db.compat import TaskResultStatus
            from django_tasks_db.models import DBTaskResult

            if DBTaskResult.objects.filter(
                task_path=DRAIN_TASK_PATH, status=TaskResultStatus.READY
            ).exists():
                return
        from congso.kernel.search.tasks import search_drain_task

        search_drain_task.enqueue()
    except Exception:  # the rows stay pending; /healthz and the next change kick it again
        logger.exception("search: could not enqueue the outbox drain")


def pending_outbox() -> models.QuerySet[SearchOutbox]:
    return SearchOutbox.objects.filter(processed_at__isnull=True)


def search_enqueue_units(unit_ids: Iterable[int]) -> int:
    """Queue every object of these units (a unit moved in the tree: its ancestors changed)."""
    ids = sorted(set(unit_ids))
    queued = 0
    for source in sources():
        pks = source.model._default_manager.filter(**{f"{source.unit_field}__in": ids}).values_list(
            "pk", flat=True
        )
        queued += search_enqueue_many(source.kind, pks.iterator(5000))
    return queued


def with_unit_paths(docs: Iterable[IndexDocument]) -> list[IndexDocument]:
    """The documents with their units' ancestors (the index's scope tokens)."""
    tree = unit_tree()
    paths: dict[int | None, tuple[int, ...]] = {}
    out = []
    for doc in docs:
        path = paths.get(doc.unit_id)
        if path is None:
            path = paths[doc.unit_id] = tree.path(doc.unit_id)
        # A shallow copy with one field changed: ``dataclasses.replace`` re-runs ``__init__``
        # (2.5 µs a document, 0.4 µs this way; a rebuild does it a million times).
        copy = object.__new__(type(doc))
        copy.__dict__.update(doc.__dict__)
        copy.__dict__["unit_path"] = path
        out.append(copy)
    return out


def _found(read: Iterable[tuple[int, IndexDocument | None]]) -> list[IndexDocument]:
    return [doc for _pk, doc in read if doc is not None]


# --- applying changes ---------------------------------------------------------------------------


def _apply(writer: Any, keys: Iterable[tuple[str, int]]) -> tuple[int, int]:
    """Bring the index in line with the database for ``keys``: (upserted, deleted)."""
    by_kind: dict[str, set[int]] = defaultdict(set)
    for kind, pk in keys:
        by_kind[kind].add(int(pk))
    upserted = deleted = 0
    for kind, ids in sorted(by_kind.items()):
        source = get_source(kind)
        docs = []
        if source is not None:
            docs = with_unit_paths(_found(source.read_documents(ids=sorted(ids))))
        found = {doc.id for doc in docs}
        gone = [(kind, pk) for pk in sorted(ids - found)]
        if docs:
            writer.upsert(docs)
        if gone:
            writer.delete(gone)
        upserted += len(docs)
        deleted += len(gone)
    return upserted, deleted


@dataclass
class DrainReport:
    rows: int = 0
    upserted: int = 0
    deleted: int = 0
    batches: int = 0
    rebuilt: bool = False
    more: bool = False  # stopped by the time budget with rows left (another drain is queued)


def search_drain(*, batch_size: int | None = None, time_budget: float | None = None) -> DrainReport:
    """Apply pending outbox rows to the index, in batches, until none is left."""
    report = DrainReport()
    if not _enabled():
        return report
    batch_size = batch_size or int(getattr(settings, "SEARCH_DRAIN_BATCH", 500))
    budget = time_budget if time_budget is not None else 30.0
    backend = get_backend()
    if not backend.exists():
        # First start, or an index of an older schema: build it all (this applies the outbox).
        search_rebuild(resume=True)
        report.rebuilt = True
        return report
    deadline = time.monotonic() + budget
    with backend.writing() as writer:
        while True:
            rows = list(
                pending_outbox().order_by("id").values_list("id", "kind", "object_id")[:batch_size]
            )
            if not rows:
                break
            logger.debug("search drain: batch of %d rows from id %d", len(rows), rows[0][0])
            upserted, deleted = _apply(writer, ((kind, pk) for _id, kind, pk in rows))
            writer.commit()
            ids = [row_id for row_id, _kind, _pk in rows]
            SearchOutbox.objects.filter(id__in=ids).update(processed_at=timezone.now())
            logger.debug("search drain: committed %d rows", len(rows))
            report.rows += len(rows)
            report.upserted += upserted
            report.deleted += deleted
            report.batches += 1
            if time.monotonic() > deadline:
                report.more = pending_outbox().exists()
                break
    if report.more:
        _kick_drain()
    _prune(backend)
    return report


def _prune(backend: Any) -> int:
    """Forget applied rows after ``SEARCH_OUTBOX_KEEP_HOURS`` (kept while a rebuild runs)."""
    if backend.rebuild_in_progress() is not None:
        return 0
    keep = dt.timedelta(hours=float(getattr(settings, "SEARCH_OUTBOX_KEEP_HOURS", 24)))
    deleted, _ = SearchOutbox.objects.filter(processed_at__lt=timezone.now() - keep).delete()
    return deleted


# --- rebuild ------------------------------------------------------------------------------------


@dataclass
class RebuildReport:
    documents: int = 0
    per_kind: dict[str, int] = field(default_factory=dict)
    resumed: bool = False
    replayed: int = 0
    seconds: float = 0.0


def rebuild_processes() -> int:
    """``SEARCH_REBUILD_PROCESSES``: worker processes that prepare documents during a rebuild
    (default 1: everything in this process; 0: the number of CPUs).

    One process is the default because on 2 cores it is the faster: its Python thread and
    Tantivy's indexing threads already keep both cores busy, and workers add pickling and a
    second database reader (1,000,000 documents: 127–148 s and 215–251 CPU-s in one process,
    182 s and 348 CPU-s with 2 workers; bench/search/README.md). Workers may pay off with more
    cores (not measured)."""
    configured = int(getattr(settings, "SEARCH_REBUILD_PROCESSES", 1))
    return configured if configured > 0 else (os.cpu_count() or 1)


def _can_fork() -> bool:
    """Worker processes read the database with their own connections: only when what they
    read is committed and on disk (not inside a transaction, as in tests, nor in memory)."""
    for alias in connections:
        conn = connections[alias]
        if conn.in_atomic_block:
            return False
        in_memory = getattr(conn, "is_in_memory_db", None)
        if in_memory is not None and in_memory():
            return False
    return True


def _object_count() -> int:
    return sum(source.queryset().count() for source in sources())


def _prepare_range(
    kind: str, lo: int, hi: int, prepare: Callable[[Sequence[IndexDocument]], list[Any]]
) -> tuple[int, list[Any]]:
    """In a worker process: (objects read, prepared documents) of ``kind`` with lo ≤ pk ≤ hi."""
    source = get_source(kind)
    if source is None:
        return 0, []
    read = source.read_documents(after=lo - 1, upto=hi)
    return len(read), prepare(with_unit_paths(_found(read)))


def _pool_init() -> None:
    # The parent closed its connections before forking; each worker opens its own. Ctrl-C is
    # the parent's to handle; SIGTERM (``Pool.terminate``) must end a worker even when the
    # parent had installed a handler of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def search_rebuild(
    *,
    resume: bool = True,
    chunk: int = 2000,
    checkpoint_every: int = 50_000,
    progress: ProgressFn | None = None,
    processes: int | None = None,
) -> RebuildReport:
    """Build a complete index from the database beside the live one, then make it live.

    Resumable: the build commits and records a checkpoint (last primary key per kind) every
    ``checkpoint_every`` objects; run it again after a crash and it continues from there.

    With ``processes`` > 1 (default: ``SEARCH_REBUILD_PROCESSES``, 1) worker
    processes read the objects and prepare the index documents (the Python part: rows,
    ``to_document``, word pairs, folding) chunk by chunk, in primary-key order, while this
    process feeds them to the backend's writer threads; the checkpoints are the same.
    """
    started = time.monotonic()
    report = RebuildReport()
    backend = get_backend()
    workers = processes if processes is not None else rebuild_processes()
    pool: Any = None
    if workers > 1 and _can_fork() and _object_count() > 4 * chunk:
        # Fork before the index writer starts its threads, with no connection to share.
        connections.close_all()
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_pool_init)
    try:
        with backend.rebuild(resume=resume, expected_docs=_object_count()) as session:
            report.resumed = bool(session.cursors)
            prepare = getattr(session, "prepare", None)
            for source in sources():
                kind = source.kind
                if kind in session.finished_kinds:
                    continue
                last = session.start_kind(kind)
                queryset = source.queryset().order_by("pk")
                total = queryset.count()
                done = queryset.filter(pk__lte=last).count() if last else 0
                if progress:
                    progress(kind, done, total)
                if pool is not None and prepare is not None and total - done > 2 * chunk:
                    last = _rebuild_kind_parallel(
                        pool,
                        prepare,
                        session,
                        source,
                        last,
                        done,
                        total,
                        chunk,
                        checkpoint_every,
                        report,
                        progress,
                    )
                else:
                    last = _rebuild_kind(
                        session,
                        source,
                        last,
                        done,
                        total,
                        chunk,
                        checkpoint_every,
                        report,
                        progress,
                    )
                session.checkpoint(kind, last, finished=True)
            # Changes committed while we were reading: replay them (and anything still pending)
            # into the new index under the writer's lock, then switch.
            since = session.started_at - REBUILD_MARGIN
            with session.publishing() as writer:
                rows = list(
                    SearchOutbox.objects.filter(
                        Q(created_at__gte=since) | Q(processed_at__isnull=True)
                    ).values_list("id", "kind", "object_id")
                )
                _apply(writer, {(kind, pk) for _id, kind, pk in rows})
                report.replayed = len(rows)
            # The new index holds those changes now.
            if rows:
                SearchOutbox.objects.filter(
                    id__in=[row_id for row_id, _k, _p in rows], processed_at__isnull=True
                ).update(processed_at=timezone.now())
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    report.seconds = round(time.monotonic() - started, 2)
    return report


def _rebuild_kind(
    session: Any,
    source: Any,
    last: int,
    done: int,
    total: int,
    chunk: int,
    checkpoint_every: int,
    report: RebuildReport,
    progress: ProgressFn | None,
) -> int:
    kind = source.kind
    since_checkpoint = 0
    while True:
        read = source.read_documents(after=last, limit=chunk)
        if not read:
            return last
        docs = with_unit_paths(_found(read))
        session.add(docs)
        last = read[-1][0]
        done += len(read)
        since_checkpoint += len(read)
        report.documents += len(docs)
        report.per_kind[kind] = report.per_kind.get(kind, 0) + len(docs)
        if since_checkpoint >= checkpoint_every:
            session.checkpoint(kind, last)
            since_checkpoint = 0
        if progress:
            progress(kind, done, total)


def _rebuild_kind_parallel(
    pool: Any,
    prepare: Callable[[Sequence[IndexDocument]], list[Any]],
    session: Any,
    source: Any,
    last: int,
    done: int,
    total: int,
    chunk: int,
    checkpoint_every: int,
    report: RebuildReport,
    progress: ProgressFn | None,
) -> int:
    """Chunks of ``chunk`` primary keys prepared by the pool, added in key order (so a
    checkpoint never passes a chunk not yet added); a few chunks ahead at most."""
    kind = source.kind
    pks = source.model._default_manager.filter(pk__gt=last).order_by("pk")
    ranges: list[tuple[int, int]] = []
    batch: list[int] = []
    for pk in pks.values_list("pk", flat=True).iterator(chunk_size=20_000):
        batch.append(int(pk))
        if len(batch) == chunk:
            ranges.append((batch[0], batch[-1]))
            batch = []
    if batch:
        ranges.append((batch[0], batch[-1]))
    ahead: deque[tuple[int, Any]] = deque()
    todo = iter(ranges)
    window = 2 * max(1, pool._processes)
    since_checkpoint = 0
    while True:
        while len(ahead) < window:
            nxt = next(todo, None)
            if nxt is None:
                break
            ahead.append((nxt[1], pool.apply_async(_prepare_range, (kind, *nxt, prepare))))
        if not ahead:
            return last
        hi, pending = ahead.popleft()
        read, prepared = pending.get()
        session.add_prepared(prepared)
        last = hi
        done += read
        since_checkpoint += read
        report.documents += len(prepared)
        report.per_kind[kind] = report.per_kind.get(kind, 0) + len(prepared)
        if since_checkpoint >= checkpoint_every:
            session.checkpoint(kind, last)
            since_checkpoint = 0
        if progress:
            progress(kind, min(done, total), total)


# --- check --------------------------------------------------------------------------------------


@dataclass
class CheckReport:
    checked: int = 0
    missing: list[tuple[str, int]] = field(default_factory=list)
    stale: list[tuple[str, int]] = field(default_factory=list)
    extra: list[tuple[str, int]] = field(default_factory=list)
    duplicated: list[tuple[str, int]] = field(default_factory=list)
    pending: int = 0
    repaired: int = 0

    @property
    def differences(self) -> int:
        return len(self.missing) + len(self.stale) + len(self.extra) + len(self.duplicated)

    @property
    def ok(self) -> bool:
        return self.differences == 0


def search_check(
    *,
    repair: bool = False,
    chunk: int = 5000,
    kinds: Sequence[str] | None = None,
    progress: ProgressFn | None = None,
) -> CheckReport:
    """Compare the index with the database, object by object (content signatures included).

    Objects with a change still waiting in the outbox are not counted as differences (the
    worker is about to apply them); ``pending`` reports how many there are. With ``repair``,
    every difference is queued and the queue is drained at once.
    """
    report = CheckReport()
    backend = get_backend()
    if not backend.exists():
        raise SearchUnavailable("index_missing")
    pending_keys = set(pending_outbox().values_list("kind", "object_id"))
    report.pending = len(pending_keys)
    registered = {s.kind for s in sources()}
    for source in sources():
        kind = source.kind
        if kinds and kind not in kinds:
            continue
        total = source.queryset().count()
        last = 0
        done = 0
        while True:
            read = source.read_documents(after=last, limit=chunk)
            if not read:
                break
            hi = read[-1][0]
            expected = {doc.id: doc.signature() for doc in with_unit_paths(_found(read))}
            actual = backend.entries(kind, last + 1, hi)
            _compare(report, kind, expected, actual, pending_keys)
            last = hi
            done += len(read)
            if progress:
                progress(kind, done, total)
        tail = backend.entries(kind, last + 1, 2**63 - 1)
        _compare(report, kind, {}, tail, pending_keys)
    for kind in list(backend.iter_kinds()):
        if kind in registered or (kinds and kind not in kinds):
            continue
        for pk in backend.entries(kind, 0, 2**63 - 1):
            if (kind, pk) not in pending_keys:
                report.extra.append((kind, pk))
    if repair and report.differences:
        with transaction.atomic():
            index_keys = [*report.missing, *report.stale, *report.duplicated]
            by_kind: dict[str, list[int]] = defaultdict(list)
            for kind, pk in index_keys:
                by_kind[kind].append(pk)
            for kind, ids in by_kind.items():
                search_enqueue_many(kind, ids)
            deletes: dict[str, list[int]] = defaultdict(list)
            for kind, pk in report.extra:
                deletes[kind].append(pk)
            for kind, ids in deletes.items():
                search_enqueue_many(kind, ids, op=OutboxOp.DELETE)
        drained = search_drain(time_budget=3600)
        report.repaired = report.differences if drained.rows else 0
    return report


def _compare(
    report: CheckReport,
    kind: str,
    expected: dict[int, int],
    actual: dict[int, list[int]],
    pending: set[tuple[str, int]],
) -> None:
    report.checked += len(expected)
    for pk, sig in expected.items():
        if (kind, pk) in pending:
            continue
        found = actual.get(pk)
        if not found:
            report.missing.append((kind, pk))
        elif len(found) > 1:
            report.duplicated.append((kind, pk))
        elif found[0] != sig:
            report.stale.append((kind, pk))
    for pk in actual:
        if pk not in expected and (kind, pk) not in pending:
            report.extra.append((kind, pk))
