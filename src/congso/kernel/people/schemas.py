"""Typed shapes of the people API."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class PositionOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    department_id: int | None
    department_name: str | None
    role: str
    role_label: str
    title: str
    is_primary: bool
    is_current: bool
    valid_from: dt.date | None
    valid_to: dt.date | None


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    kind: str
    clearance: int
    is_admin: bool
    positions: list[PositionOut]
    roles: list[str]
    visible_units_count: int


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The key itself: shown only in this answer, never again.")


class TokenIn(Schema):
    name: str = Field("", max_length=100)
    expires_days: int | None = Field(None, ge=1, le=3650)


class TokenPage(Schema):
    items: list[TokenOut]
    next_cursor: str | None
