"""``GET /api/v1/search``: the same search as the results page, as JSON."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from congso.kernel.errors import PermissionDenied
from congso.kernel.people.rules import is_staff_member
from congso.kernel.search.registry import filter_names
from congso.kernel.search.schemas import SearchPageOut
from congso.kernel.search.selectors import MAX_PAGE_SIZE, PAGE_SIZE, search_for

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str = Field("", description="Từ khóa (có dấu hoặc không), số ký hiệu; quá dài thì cắt.")
    kind: str = Field("", max_length=40, description="Chỉ một loại: incoming, outgoing, …")
    unit: int | None = Field(None, description="Chỉ một đơn vị (mã AdminUnit).")
    date_from: dt.date | None = Field(None, alias="from", description="Từ ngày (YYYY-MM-DD).")
    date_to: dt.date | None = Field(None, alias="to", description="Đến ngày (YYYY-MM-DD).")
    type: str = Field("", max_length=40, description="Loại văn bản (khi lọc một `kind`).")
    status: str = Field("", max_length=40, description="Trạng thái (khi lọc một `kind`).")
    urgency: str = Field("", max_length=4, description="Độ khẩn (khi lọc một `kind`).")
    # Other kinds (dossier, work, report…) declare their own filters; pass them by name.
    cursor: str | None = Field(None, max_length=100, description="`next_cursor` của trang trước.")
    limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


@router.get(
    "",
    response={200: SearchPageOut, 503: dict[str, Any]},
    summary="Tìm kiếm toàn văn tiếng Việt",
)
def search(request: HttpRequest, params: Query[SearchParams]) -> Any:
    """Kết quả xếp theo mức độ phù hợp, chỉ trong phạm vi người gọi được xem (đơn vị, vai trò,
    độ mật): số đếm và đoạn trích cũng vậy. Từ khóa rỗng kèm bộ lọc: mới nhất trước; rỗng và
    không lọc: không có kết quả. Lỗi: `search_unknown_kind`, `search_bad_dates`,
    `search_bad_cursor` (400); `search_unavailable` (503) khi chỉ mục đang được xây dựng."""
    user = request.auth  # type: ignore[attr-defined]
    if not is_staff_member(user):
        raise PermissionDenied("Chỉ cán bộ, công chức mới dùng được tìm kiếm.")
    attrs: list[tuple[str, str]] = []
    if params.kind:  # the filters the kind declares; other kinds' filters by the same names
        declared = {"type": params.type, "status": params.status, "urgency": params.urgency}
        for name in filter_names(params.kind):
            value = (declared.get(name) or request.GET.get(name, "")).strip()[:40]
            if value:
                attrs.append((name, value))
    page = search_for(
        user,
        q=params.q,
        kinds=[params.kind] if params.kind else [],
        unit_id=params.unit,
        date_from=params.date_from,
        date_to=params.date_to,
        attrs=attrs,
        cursor=params.cursor,
        limit=params.limit,
    )
    if page.unavailable:
        return Status(
            503,
            {
                "code": "search_unavailable",
                "message": "Chỉ mục tìm kiếm đang được xây dựng, vui lòng thử lại sau.",
                "details": {"reason": page.unavailable},
            },
        )
    facets: dict[str, dict[str, int]] = {"kind": page.kind_counts}
    facets.update(page.attr_counts)
    return {
        "query": page.query.raw,
        "truncated": page.query.truncated,
        "lenient": page.lenient,
        "total": page.total,
        "estimated": page.estimated,
        "took_ms": page.took_ms,
        "hits": [
            {
                "kind": item.hit.kind,
                "id": item.hit.id,
                "title": item.hit.title,
                "notation": item.hit.notation,
                "date": item.hit.date,
                "unit_id": item.hit.unit_id,
                "secrecy": item.hit.secrecy,
                "score": item.hit.score,
                "snippet": item.hit.snippet,
                "url": item.url,
            }
            for item in page.items
        ],
        "facets": facets,
        "next_cursor": page.next_cursor,
    }
