"""Searching as a user: the scope from the user's positions and clearance, then one query.

Both the results page and ``GET /api/v1/search`` call :func:`search_for`; it raises
:class:`~congso.kernel.errors.DomainError` with a stable code for bad input and never lets an
engine error through as a 500.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from congso.kernel.errors import DomainError
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.rules import is_staff_member
from congso.kernel.people.selectors import effective_positions, visible_unit_ids
from congso.kernel.search.backends import SearchNotConfigured, get_backend
from congso.kernel.search.backends.base import (
    Hit,
    Scope,
    SearchRequest,
    SearchResult,
    SearchUnavailable,
)
from congso.kernel.search.query import ParsedQuery, parse_query
from congso.kernel.search.registry import Grant, SearchSource, get_source, sources, unit_grant
from congso.kernel.search.units import UnitTree, unit_tree

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
MAX_OFFSET = 1000  # ranked results: refine the query rather than page past this
#: The documents' filters (kept for callers); every source declares its own (``FilterSpec``),
#: see :func:`congso.kernel.search.registry.filter_names`.
ATTR_FILTERS = ("type", "status", "urgency")


#: Scopes computed per process, reused while the user's positions, delegations, clearance and
#: the unit tree are unchanged (checked on every search), for at most a few seconds.
_scope_cache: dict[int, tuple[float, tuple[Any, ...], UnitTree, Scope]] = {}
_scope_lock = threading.Lock()
SCOPE_CACHE_MAX = 2000


def search_scope(user: Any) -> Scope:
    """What ``user`` may find: per kind, the source's grants (default: the visible units),
    and the user's secrecy clearance.

    Every source computes its grants from the user's positions (several queries per source);
    the result is kept per process and reused while the fingerprint — the user's effective
    positions (own and delegated, one query), clearance, account kind, the day and the unit
    tree — is the same, for at most ``SEARCH_SCOPE_CACHE_SECONDS`` (default 30; 0: never
    reused). A position removed or a delegation revoked takes effect on the next search; a
    source whose grants depend on other data is at most that many seconds behind.
    """
    if not is_staff_member(user):
        return Scope(clearance=0, default=())
    ttl = float(getattr(settings, "SEARCH_SCOPE_CACHE_SECONDS", 30))
    if ttl <= 0 or not getattr(user, "pk", None):
        return _compute_scope(user)
    tree = unit_tree()
    fingerprint = (
        timezone.localdate(),
        tuple(s.kind for s in sources()),
        bool(user.is_superuser),
        str(getattr(user, "kind", "")),
        int(getattr(user, "clearance", 0) or 0),
        tuple(
            sorted(effective_positions(user).values_list("pk", "unit_id", "role", "department_id"))
        ),
    )
    now = time.monotonic()
    with _scope_lock:
        entry = _scope_cache.get(int(user.pk))
    if entry is not None and entry[1] == fingerprint and entry[2] is tree and now - entry[0] < ttl:
        return entry[3]
    scope = _compute_scope(user)
    with _scope_lock:
        if len(_scope_cache) >= SCOPE_CACHE_MAX:
            _scope_cache.clear()
        _scope_cache[int(user.pk)] = (now, fingerprint, tree, scope)
    return scope


def forget_scopes() -> None:
    with _scope_lock:
        _scope_cache.clear()


def _compute_scope(user: Any) -> Scope:
    clearance = int(getattr(user, "clearance", 0) or 0)
    if user.is_superuser:
        default: tuple[Grant, ...] = (Grant(units=None),)
    else:
        default = (unit_grant(visible_unit_ids(user)),)
    per_kind = {s.kind: tuple(s.grants(user)) for s in sources() if s.grants is not None}
    return Scope(clearance=clearance, default=default, grants=per_kind)


@dataclass(frozen=True)
class ResultItem:
    hit: Hit
    source: SearchSource | None
    url: str
    unit_name: str

    @property
    def kind_label(self) -> str:
        return self.source.label if self.source else self.hit.kind


@dataclass
class SearchPage:
    query: ParsedQuery
    items: list[ResultItem] = field(default_factory=list)
    total: int = 0
    kind_counts: dict[str, int] = field(default_factory=dict)
    attr_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    offset: int = 0
    limit: int = PAGE_SIZE
    next_cursor: str | None = None
    prev_cursor: str | None = None
    lenient: bool = False
    estimated: bool = False  # counts estimated from a sample (very many matches)
    took_ms: float = 0.0
    unavailable: str = ""  # "index_missing", "not_configured", … when the engine cannot answer
    browsing: bool = False  # no words, only filters: newest first


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not raw.startswith("o"):
            raise ValueError(raw)
        offset = int(raw[1:])
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise DomainError("search_bad_cursor", "Con trỏ trang không hợp lệ.") from exc
    if not 0 <= offset <= MAX_OFFSET:
        raise DomainError(
            "search_bad_cursor",
            f"Chỉ xem được {MAX_OFFSET} kết quả đầu; hãy thu hẹp từ khóa hoặc bộ lọc.",
        )
    return offset


def _check_kinds(kinds: Sequence[str]) -> tuple[str, ...]:
    out = []
    for kind in kinds:
        if not kind:
            continue
        if get_source(kind) is None:
            raise DomainError(
                "search_unknown_kind",
                f"Không có loại dữ liệu “{kind}” để tìm.",
                details={"kinds": [s.kind for s in sources()]},
            )
        out.append(kind)
    return tuple(dict.fromkeys(out))


def search_for(
    user: Any,
    *,
    q: str | None,
    kinds: Sequence[str] = (),
    unit_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    attrs: Sequence[tuple[str, str]] = (),
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
    snippets: bool = True,
    facets: bool = True,
) -> SearchPage:
    """One page of results for ``user``. An empty query with no filter returns an empty page
    (the caller shows how to search); an empty query with filters lists the newest first."""
    parsed = parse_query(q)
    kinds_t = _check_kinds(kinds)
    if date_from and date_to and date_from > date_to:
        raise DomainError("search_bad_dates", "Ngày bắt đầu phải trước ngày kết thúc.")
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    offset = decode_cursor(cursor)
    attrs_t = tuple((str(k), str(v)) for k, v in attrs if v not in (None, ""))
    page = SearchPage(query=parsed, offset=offset, limit=limit)
    has_filter = bool(kinds_t or unit_id or date_from or date_to or attrs_t)
    if parsed.is_empty and not has_filter:
        return page
    page.browsing = parsed.is_empty
    try:
        backend = get_backend()
    except SearchNotConfigured:
        page.unavailable = "not_configured"
        return page
    request = SearchRequest(
        query=parsed,
        scope=search_scope(user),
        kinds=kinds_t,
        unit_ids=frozenset({int(unit_id)}) if unit_id else None,
        date_from=date_from,
        date_to=date_to,
        attrs=attrs_t,
        offset=offset,
        limit=limit,
        snippets=snippets,
        facets=facets,
    )
    try:
        result: SearchResult = _run(backend, request)
    except SearchUnavailable as exc:
        page.unavailable = str(exc) or "unavailable"
        return page
    page.total = result.total
    page.kind_counts = result.kind_counts
    page.attr_counts = result.attr_counts
    page.lenient = result.lenient
    page.estimated = result.estimated
    page.took_ms = result.took_ms
    page.items = _items(result.hits)
    if offset + limit < min(result.total, MAX_OFFSET + limit) and len(result.hits) == limit:
        page.next_cursor = encode_cursor(offset + limit)
    if offset > 0:
        page.prev_cursor = encode_cursor(max(0, offset - limit))
    return page


def _run(backend: Any, request: SearchRequest) -> SearchResult:
    try:
        result: SearchResult = backend.search(request)
    except SearchUnavailable as exc:
        if str(exc) != "index_missing":
            raise
        from congso.kernel.search.services import _kick_drain

        _kick_drain()  # the drain builds a missing index (at once when tasks run inline)
        if not backend.exists():
            raise
        result = backend.search(request)
    return result


def _items(hits: Sequence[Hit]) -> list[ResultItem]:
    unit_ids = {h.unit_id for h in hits if h.unit_id}
    names = dict(AdminUnit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    items = []
    for hit in hits:
        source = get_source(hit.kind)
        url = ""
        if source is not None:
            try:
                url = source.url(hit.id)
            except Exception:  # a source's URL not wired yet must not break the page
                logger.warning("search: no URL for %s:%s", hit.kind, hit.id)
        items.append(
            ResultItem(
                hit=hit,
                source=source,
                url=url,
                unit_name=names.get(hit.unit_id, "") if hit.unit_id else "",
            )
        )
    return items
