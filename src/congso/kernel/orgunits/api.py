"""REST: /api/v1/units — the administrative units (reference data, read by any signed-in user)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, get_args

from django.http import HttpRequest
from ninja import Field as NinjaField
from ninja import Query, Router, Schema

from congso.kernel.orgunits import selectors
from congso.kernel.orgunits.models import AdminUnit, AdminUnitLevel, Department, UnitSuccession
from congso.kernel.orgunits.schemas import UnitDetailOut, UnitPageOut

router = Router(tags=["units"])

Level = Literal["province", "district", "ward", "commune", "township", "special_zone"]
assert set(get_args(Level)) == set(AdminUnitLevel.values), "keep Level in step with the model"


class UnitFilters(Schema):
    level: Level | None = NinjaField(None, description="Cấp: province, district, ward, …")
    parent: int | None = NinjaField(None, ge=1, description="Id của đơn vị cấp trên.")
    valid_on: dt.date | None = NinjaField(
        None, description="Chỉ các đơn vị có hiệu lực vào ngày này (YYYY-MM-DD)."
    )
    q: str = NinjaField("", max_length=100, description="Một phần tên, hoặc phần đầu của mã.")
    served: bool | None = NinjaField(None, description="Chỉ các cơ quan dùng Công sở số.")
    cursor: str | None = NinjaField(None, max_length=200, description="next_cursor trang trước.")
    limit: int = NinjaField(50, ge=1, le=selectors.MAX_PAGE)


def _unit(unit: AdminUnit) -> dict[str, Any]:
    return {
        "id": unit.pk,
        "name": unit.name,
        "level": unit.level,
        "level_label": unit.get_level_display(),
        "code": unit.code,
        "dataset": unit.dataset,
        "parent_id": unit.parent_id,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "committee_name": unit.committee_name,
        "org_code": unit.org_code,
        "abbreviation": unit.abbreviation,
        "is_served": unit.is_served,
    }


def _brief(unit: AdminUnit) -> dict[str, Any]:
    return {
        "id": unit.pk,
        "name": unit.name,
        "level": unit.level,
        "code": unit.code,
        "dataset": unit.dataset,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
    }


def _department(department: Department) -> dict[str, Any]:
    return {
        "id": department.pk,
        "name": department.name,
        "abbreviation": department.abbreviation,
        "kind": department.kind,
        "kind_label": department.get_kind_display(),
        "org_code": department.org_code,
        "is_active": department.is_active,
        "order": department.order,
    }


def _link(link: UnitSuccession, other: AdminUnit) -> dict[str, Any]:
    return {
        "unit": _brief(other),
        "partial": link.partial,
        "effective": link.effective,
        "legal_basis": link.legal_basis,
    }


@router.get("/", response=UnitPageOut, summary="Danh sách đơn vị hành chính")
def units_list(request: HttpRequest, filters: Query[UnitFilters]) -> dict[str, Any]:
    """Đơn vị hành chính theo thứ tự mã thống kê, phân trang bằng con trỏ (`cursor`)."""
    page = selectors.units_page(
        level=filters.level,
        parent_id=filters.parent,
        valid_on=filters.valid_on,
        q=filters.q,
        served=filters.served,
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {"items": [_unit(u) for u in page.items], "next_cursor": page.next_cursor}


@router.get("/{unit_id}", response=UnitDetailOut, summary="Một đơn vị hành chính")
def units_detail(request: HttpRequest, unit_id: int) -> dict[str, Any]:
    """Đơn vị, cấp trên, các phòng ban, đơn vị kế thừa và đơn vị tiền thân."""
    unit = selectors.unit_detail(unit_id)
    return {
        **_unit(unit),
        "parent": _brief(unit.parent) if unit.parent else None,
        "display_committee": unit.display_committee,
        "departments": [_department(d) for d in unit.departments.all()],
        "successors": [_link(s, s.new) for s in unit.successors_links.all()],
        "predecessors": [_link(s, s.old) for s in unit.predecessor_links.all()],
    }
