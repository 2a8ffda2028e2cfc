"""Typed shapes of the administrative units API."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class UnitOut(Schema):
    id: int
    name: str
    level: str
    level_label: str
    code: str
    dataset: str
    parent_id: int | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    committee_name: str
    org_code: str
    abbreviation: str
    is_served: bool


class UnitPageOut(Schema):
    items: list[UnitOut]
    next_cursor: str | None = Field(
        description="Giá trị cursor cho trang sau; null khi đã hết.",
    )


class UnitBrief(Schema):
    id: int
    name: str
    level: str
    code: str
    dataset: str
    valid_from: dt.date | None
    valid_to: dt.date | None


class DepartmentOut(Schema):
    id: int
    name: str
    abbreviation: str
    kind: str
    kind_label: str
    org_code: str
    is_active: bool
    order: int


class SuccessionOut(Schema):
    unit: UnitBrief
    partial: bool
    effective: dt.date
    legal_basis: str


class UnitDetailOut(UnitOut):
    parent: UnitBrief | None
    display_committee: str
    departments: list[DepartmentOut]
    successors: list[SuccessionOut]
    predecessors: list[SuccessionOut]
