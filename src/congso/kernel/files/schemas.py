"""Typed shapes of the files API."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema


class FileRef(Schema):
    id: uuid.UUID
    name: str
    unit_id: int
    created_at: dt.datetime
    owner_type: str | None
    url: str


class FileOut(Schema):
    id: uuid.UUID
    name: str
    size: int
    sha256: str
    content_type: str
    kind: str
    unit_id: int
    owner_type: str | None
    owner_id: str | None
    uploaded_by: str | None
    created_at: dt.datetime
    url: str
    view_url: str | None


class FileUploadOut(FileOut):
    #: Other files with the same content in the caller's units (newest first).
    duplicates: list[FileRef]
