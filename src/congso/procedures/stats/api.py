"""GET /api/v1/statistics: the one-stop statistics (same service as the page).

Query: ``unit`` (default: every unit the caller may see), ``from``/``to`` (YYYY-MM-DD or
dd/mm/yyyy; default this year), ``group`` (procedure | field | unit | month), ``field``,
``procedure``. Leaders, one-stop officers, inspectors and administrators of the unit.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from congso.procedures.stats import services as svc

router = Router(tags=["procedures: statistics"])


class StatsParams(Schema):
    unit: int | None = Field(None, description="Cơ quan (mặc định: mọi cơ quan được xem)")
    from_: str | None = Field(None, alias="from", description="Từ ngày (YYYY-MM-DD/dd/mm/yyyy)")
    to: str | None = Field(None, description="Đến ngày")
    group: str = Field("procedure", description="procedure | field | unit | month")
    field: int | None = None
    procedure: int | None = None


@router.get("", summary="Thống kê hồ sơ thủ tục hành chính và chỉ số Quyết định 766")
def statistics(request: HttpRequest, params: Query[StatsParams]) -> dict[str, Any]:
    query = svc.stats_query(
        user=request.auth,  # type: ignore[attr-defined]
        unit=params.unit,
        start=params.from_,
        end=params.to,
        group=params.group,
        field=params.field,
        procedure=params.procedure,
    )
    report = svc.statistics(query)

    def num(value: Any) -> float | None:
        return None if value is None else float(value)

    return {
        "period": {"from": query.start.isoformat(), "to": query.end.isoformat()},
        "units": query.unit_ids,
        "group": query.group,
        "refreshed_at": report.refreshed_at.isoformat() if report.refreshed_at else None,
        "now": report.now.isoformat(),
        "total": report.total.as_dict(),
        "rows": [
            {
                **row.as_dict(),
                "key": row.key.isoformat() if hasattr(row.key, "isoformat") else row.key,
            }
            for row in report.rows
        ],
        "decision_766": [
            {
                "code": s.code,
                "group": s.group,
                "name": s.name,
                "points": num(s.points),
                "max_points": num(s.max_points),
                "rate": num(s.rate),
                "numerator": s.numerator,
                "denominator": s.denominator,
                "formula": s.formula,
            }
            for s in report.scores
        ],
        "decision_766_total": {
            "points": num(report.score_total),
            "max_points": num(report.score_max),
        },
    }
