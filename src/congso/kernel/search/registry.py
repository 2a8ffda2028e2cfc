"""Search sources: each domain tells the kernel what it wants indexed, from its ``ready()``.

The kernel never imports a domain. A domain app registers one :class:`SearchSource` per kind of
object (``incoming``, ``outgoing``, later ``dossier``, ``work``, ``report``)::

    from congso.kernel.search.registry import IndexDocument, SearchSource, register_source

    register_source(SearchSource(
        kind="incoming", label="Văn bản đến", model=IncomingDocument,
        to_document=incoming_to_document,          # object -> IndexDocument (or None)
        queryset=lambda: IncomingDocument.objects.select_related("document_type"),
        url=lambda pk: reverse("documents:incoming_detail", args=[pk]),
        grants=incoming_grants,                    # user -> [Grant]; default: visible units
        read=read_incoming,                        # optional fast read, see ReadFn
    ))

Permissions are data in the index: every document carries its unit, its secrecy level and its
access list (``acl``), and a query carries the user's :class:`Grant` list and clearance, so the
engine itself never returns, counts or snippets anything out of scope.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import models

#: Every document's access list contains this token when any user with the unit in scope
#: may see it; restricted documents list principals instead (``user:5``, ``dept:3``).
PUBLIC_IN_UNIT = "*"


@dataclass(frozen=True)
class IndexDocument:
    """What the index stores about one object. Text is indexed twice (exact and folded)."""

    kind: str
    id: int
    title: str
    unit_id: int | None = None
    secrecy: int = 0
    acl: tuple[str, ...] = (PUBLIC_IN_UNIT,)
    notation: str = ""
    body: str = ""  # the main text (OCR text of a document): searched and snippeted
    extra: str = ""  # other searchable words at a lower weight (sender, signer, type name)
    date: dt.date | None = None
    attrs: tuple[tuple[str, str], ...] = ()  # filters and facets: (("status", "done"), …)
    snippet: bool = True  # False: hits show no body snippet (e.g. secret documents)
    unit_path: tuple[int, ...] = ()  # the unit and its ancestors (filled in by the kernel)

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.id)

    def signature(self) -> int:
        """A 63-bit hash of everything indexed, so ``search_check`` can spot stale entries."""
        payload = "\x1f".join(
            [
                self.kind,
                str(self.id),
                self.title,
                str(self.unit_id),
                str(self.secrecy),
                "\x1e".join(sorted(self.acl)),
                self.notation,
                self.body,
                self.extra,
                self.date.isoformat() if self.date else "",
                "\x1e".join(f"{k}={v}" for k, v in sorted(self.attrs)),
                "1" if self.snippet else "0",
                ".".join(str(u) for u in self.unit_path),
            ]
        )
        digest = hashlib.blake2b(payload.encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") >> 1


@dataclass(frozen=True)
class Grant:
    """A part of a user's scope: objects in ``units`` or under one of the ``subtrees`` (a unit
    and all its descendants); ``units=None``: every unit. If ``principals`` is given, only the
    objects whose access list names one of them (or is open to the unit).

    Build grants with :func:`unit_grant`, which turns a set of units into the fewest subtrees.
    """

    units: frozenset[int] | None
    principals: frozenset[str] | None = None
    subtrees: frozenset[int] = frozenset()


def unit_grant(unit_ids: Iterable[int], *, principals: Iterable[str] | None = None) -> Grant:
    """A grant on exactly ``unit_ids``, expressed as whole subtrees where it can be."""
    from congso.kernel.search.units import unit_tree

    roots, singles = unit_tree().compress(unit_ids)
    return Grant(
        units=singles,
        subtrees=roots,
        principals=frozenset(principals) if principals is not None else None,
    )


@dataclass(frozen=True)
class FilterChoice:
    value: str
    label: str


@dataclass(frozen=True)
class FilterSpec:
    """A filter the results page offers for one kind: an attribute and its choices."""

    name: str
    label: str
    choices: Callable[[], Sequence[FilterChoice]]


class ReadFn(Protocol):
    """A source's fast read for rebuild, check and drain: ``(pk, document or None)`` for the
    objects with ``after`` < pk ≤ ``upto`` (at most ``limit``), or with pk in ``ids``, in key
    order; an object the source does not index gives ``None`` (so a range still advances).

    It must give exactly what ``to_document`` gives for the same object (signatures are
    compared); it exists because model instances and prefetches cost about half of a
    rebuild's Python time."""

    def __call__(
        self,
        *,
        after: int = 0,
        upto: int | None = None,
        limit: int | None = None,
        ids: Sequence[int] | None = None,
    ) -> list[tuple[int, IndexDocument | None]]: ...


@dataclass(frozen=True)
class SearchSource:
    kind: str
    label: str
    model: type[models.Model]
    to_document: Callable[[Any], IndexDocument | None]
    queryset: Callable[[], models.QuerySet[Any]]
    url: Callable[[int], str]
    grants: Callable[[Any], list[Grant]] | None = None
    filters: tuple[FilterSpec, ...] = ()
    order: int = 100
    group: str = ""  # several kinds shown under one heading ("Văn bản")
    unit_field: str = "unit"  # the model's unit foreign key (re-indexing when a unit moves)
    extra: dict[str, Any] = field(default_factory=dict)
    read: ReadFn | None = None  # optional: documents straight from rows (see ReadFn)

    def documents(self, objects: Iterable[Any]) -> list[IndexDocument]:
        out = []
        for obj in objects:
            doc = self.to_document(obj)
            if doc is not None:
                out.append(doc)
        return out

    def read_documents(
        self,
        *,
        after: int = 0,
        upto: int | None = None,
        limit: int | None = None,
        ids: Sequence[int] | None = None,
    ) -> list[tuple[int, IndexDocument | None]]:
        """``(pk, document or None)`` in key order: the source's ``read`` if it has one, else
        model instances from ``queryset()`` through ``to_document``."""
        if self.read is not None:
            return self.read(after=after, upto=upto, limit=limit, ids=ids)
        queryset = key_range(self.queryset(), after=after, upto=upto, limit=limit, ids=ids)
        return [(int(obj.pk), self.to_document(obj)) for obj in queryset]


def key_range(
    queryset: models.QuerySet[Any],
    *,
    after: int = 0,
    upto: int | None = None,
    limit: int | None = None,
    ids: Sequence[int] | None = None,
) -> models.QuerySet[Any]:
    """``queryset`` in key order, keys above ``after`` up to ``upto``, at most ``limit``, or only
    ``ids``: the chunks a rebuild, a check and the drain read (``SearchSource.read_documents``)."""
    queryset = queryset.order_by("pk")
    if ids is not None:
        queryset = queryset.filter(pk__in=sorted(set(ids)))
    if after:
        queryset = queryset.filter(pk__gt=after)
    if upto is not None:
        queryset = queryset.filter(pk__lte=upto)
    if limit is not None:
        queryset = queryset[:limit]
    return queryset


_sources: dict[str, SearchSource] = {}
_model_kinds: dict[type[models.Model], str] = {}

#: Query-string parameters of the results page and the API: a filter cannot take these names.
RESERVED_PARAMS = frozenset({"q", "kind", "unit", "from", "to", "cursor", "limit", "page"})


def register_source(source: SearchSource) -> SearchSource:
    """Add (or replace, by kind) a source. Call it from ``AppConfig.ready()``.

    Any kind shows on the results page (a tab with its count), in the header's suggestions and
    in ``GET /api/v1/search``; its :class:`FilterSpec` names become query parameters (with
    counts) when that kind is selected."""
    if not source.kind.isidentifier() or len(source.kind) > 40:
        raise ValueError(f"kind must be a short identifier: {source.kind!r}")
    for spec in source.filters:
        if not spec.name.isidentifier() or len(spec.name) > 40 or spec.name in RESERVED_PARAMS:
            raise ValueError(f"{source.kind}: bad filter name {spec.name!r}")
    _sources[source.kind] = source
    _model_kinds[source.model] = source.kind
    return source


def unregister_source(kind: str) -> None:
    source = _sources.pop(kind, None)
    if source is not None:
        _model_kinds.pop(source.model, None)


def get_source(kind: str) -> SearchSource | None:
    return _sources.get(kind)


def sources() -> list[SearchSource]:
    return sorted(_sources.values(), key=lambda s: (s.order, s.kind))


def filter_names(kind: str = "") -> tuple[str, ...]:
    """The filter parameters of ``kind`` (every source's, when ``kind`` is empty)."""
    chosen = [s for s in sources() if not kind or s.kind == kind]
    return tuple(dict.fromkeys(spec.name for s in chosen for spec in s.filters))


def kind_for_model(model: type[models.Model]) -> str | None:
    for klass in model.__mro__:
        kind = _model_kinds.get(klass)
        if kind is not None:
            return kind
    return None
