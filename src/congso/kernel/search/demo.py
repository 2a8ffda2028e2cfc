"""Demo data: the search index of the demo (``manage.py demo``, run by ``make run``).

Demo loaders write thousands of rows with ``bulk_create`` (no outbox rows), so the last loader
rebuilds the index from the database: after ``make run`` every demo document is searchable.
"""

from __future__ import annotations

from congso.kernel.core.demo import DemoContext, register
from congso.kernel.search.backends import backend_name
from congso.kernel.search.services import search_rebuild


@register("search", order=990)
def load(ctx: DemoContext) -> None:
    if not backend_name():
        ctx.log("tìm kiếm chưa bật (SEARCH_BACKEND rỗng): bỏ qua chỉ mục")
        return
    report = search_rebuild(resume=False)
    per_kind = ", ".join(f"{k}: {n}" for k, n in sorted(report.per_kind.items())) or "0"
    ctx.log(f"chỉ mục tìm kiếm dựng lại: {report.documents} mục ({per_kind}), {report.seconds} s")
