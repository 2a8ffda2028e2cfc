"""Typed shapes of the notifications API."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    level: str
    kind: str
    created_at: dt.datetime
    read_at: dt.datetime | None
    is_read: bool


class NotificationPageOut(Schema):
    items: list[NotificationOut]
    next_cursor: str | None = Field(description="Giá trị cursor cho trang sau; null khi đã hết.")


class UnreadCountOut(Schema):
    count: int


class MarkedOut(Schema):
    updated: int
