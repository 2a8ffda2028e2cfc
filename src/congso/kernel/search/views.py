"""The results page (``search:results``) and the header's results-as-you-type (``search:suggest``).

Thin views: parse the query string, call :func:`selectors.search_for`, render. Bad input gives a
Vietnamese message on the page, never a 500.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from congso.kernel.errors import DomainError
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.rules import is_staff_member
from congso.kernel.people.selectors import visible_unit_ids
from congso.kernel.search.query import MAX_QUERY_CHARS
from congso.kernel.search.registry import SearchSource, filter_names, get_source, sources
from congso.kernel.search.selectors import SearchPage, search_for

SUGGESTIONS = 6
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y")


@dataclass
class Params:
    q: str = ""
    kind: str = ""
    unit: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    attrs: dict[str, str] = field(default_factory=dict)
    cursor: str = ""
    errors: list[str] = field(default_factory=list)

    def query_string(self, **changes: Any) -> str:
        """The page's query string with ``changes`` (None removes a parameter)."""
        values: dict[str, Any] = {
            "q": self.q,
            "kind": self.kind,
            "unit": self.unit or "",
            "from": self.date_from.strftime("%d/%m/%Y") if self.date_from else "",
            "to": self.date_to.strftime("%d/%m/%Y") if self.date_to else "",
            **self.attrs,
        }
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})


def _date(raw: str, label: str, errors: list[str]) -> dt.date | None:
    raw = raw.strip()
    if not raw:
        return None
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    errors.append(f"{label} “{raw[:20]}” không đúng dạng ngày/tháng/năm (ví dụ 21/05/2026).")
    return None


def parse_params(data: QueryDict) -> Params:
    params = Params(q=data.get("q", "")[: MAX_QUERY_CHARS * 5], cursor=data.get("cursor", ""))
    kind = data.get("kind", "").strip()
    if kind and get_source(kind) is None:
        params.errors.append("Loại dữ liệu cần tìm không có trong hệ thống.")
    else:
        params.kind = kind
    unit = data.get("unit", "").strip()
    if unit:
        if unit.isdigit():
            params.unit = int(unit)
        else:
            params.errors.append("Đơn vị không hợp lệ.")
    params.date_from = _date(data.get("from", ""), "Từ ngày", params.errors)
    params.date_to = _date(data.get("to", ""), "Đến ngày", params.errors)
    if params.date_from and params.date_to and params.date_from > params.date_to:
        params.errors.append("“Từ ngày” phải trước “Đến ngày”.")
    if params.kind:  # the filters the chosen kind declares (its FilterSpec names)
        for name in filter_names(params.kind):
            value = data.get(name, "").strip()[:40]
            if value:
                params.attrs[name] = value
    return params


def _staff_only(request: HttpRequest) -> None:
    if not is_staff_member(request.user):
        raise PermissionDenied


@dataclass(frozen=True)
class KindTab:
    kind: str
    label: str
    count: int | None
    active: bool
    url: str
    estimated: bool = False


def _kind_count(page: SearchPage, kind: str) -> int | None:
    if not page.kind_counts and not page.total:
        return None if page.query.is_empty and not page.browsing else 0
    if page.estimated and kind not in page.kind_counts:
        return None  # too few in the sample to estimate
    return page.kind_counts.get(kind, 0)


@dataclass(frozen=True)
class FilterView:
    name: str
    label: str
    selected: str
    options: list[tuple[str, str, int | None]]


def _tabs(page: SearchPage, params: Params, base: str) -> list[KindTab]:
    no_attrs: dict[str, Any] = dict.fromkeys(filter_names(), "")
    tabs = [
        KindTab(
            kind="",
            label="Tất cả",
            count=sum(page.kind_counts.values()) if page.kind_counts else None,
            estimated=page.estimated,
            active=not params.kind,
            url=f"{base}?{params.query_string(kind='', **no_attrs)}",
        )
    ]
    for source in sources():
        tabs.append(
            KindTab(
                kind=source.kind,
                label=source.label,
                count=_kind_count(page, source.kind),
                estimated=page.estimated,
                active=params.kind == source.kind,
                url=f"{base}?{params.query_string(kind=source.kind, **no_attrs)}",
            )
        )
    return tabs


def _filters(source: SearchSource | None, page: SearchPage, params: Params) -> list[FilterView]:
    if source is None:
        return []
    out = []
    for spec in source.filters:
        counts = page.attr_counts.get(spec.name, {})
        options = [
            (c.value, c.label, counts.get(c.value, 0) if counts else None) for c in spec.choices()
        ]
        out.append(
            FilterView(
                name=spec.name,
                label=spec.label,
                selected=params.attrs.get(spec.name, ""),
                options=options,
            )
        )
    return out


def _units(user: Any) -> list[AdminUnit]:
    ids = visible_unit_ids(user)
    return list(AdminUnit.objects.filter(pk__in=ids).order_by("name").only("pk", "name")[:500])


def _search(request: HttpRequest, params: Params, **kw: Any) -> tuple[SearchPage | None, str]:
    if params.errors:
        return None, ""
    try:
        page = search_for(
            request.user,
            q=params.q,
            kinds=[params.kind] if params.kind else [],
            unit_id=params.unit,
            date_from=params.date_from,
            date_to=params.date_to,
            attrs=list(params.attrs.items()),
            cursor=params.cursor or None,
            **kw,
        )
    except DomainError as exc:
        return None, exc.message
    return page, ""


@login_required
@require_GET
def results(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    params = parse_params(request.GET)
    page, error = _search(request, params)
    if error:
        params.errors.append(error)
    base = reverse("search:results")
    source = get_source(params.kind) if params.kind else None
    context = {
        "params": params,
        "page": page,
        "search_q": params.q,
        "tabs": _tabs(page, params, base) if page is not None else [],
        "filters": _filters(source, page, params) if page is not None else [],
        "units": _units(request.user),
        "source": source,
        "next_url": (
            f"{base}?{params.query_string(cursor=page.next_cursor)}"
            if page is not None and page.next_cursor
            else ""
        ),
        "prev_url": (
            f"{base}?{params.query_string(cursor=page.prev_cursor)}"
            if page is not None and page.prev_cursor
            else ""
        ),
        "first": (page.offset + 1) if page is not None else 0,
        "last": (page.offset + len(page.items)) if page is not None else 0,
    }
    return render(request, "search/results.html", context)


@login_required
@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """A few results while typing (htmx); the full page when called without htmx."""
    if not getattr(request, "htmx", False):
        url = reverse("search:results")
        query = request.GET.urlencode()
        return redirect(f"{url}?{query}" if query else url)
    _staff_only(request)
    params = parse_params(request.GET)
    page = None
    if params.q.strip():
        page, _error = _search(request, params, limit=SUGGESTIONS, facets=True, snippets=False)
    base = reverse("search:results")
    all_url = f"{base}?{params.query_string()}"
    # Counts per kind (every registered kind that has matches), each a link to its tab.
    kinds = [
        t
        for t in (_tabs(page, params, base)[1:] if page is not None else [])
        if t.count and not t.active
    ]
    return render(
        request,
        "search/_suggest.html",
        {"page": page, "params": params, "all_url": all_url, "kinds": kinds},
    )
