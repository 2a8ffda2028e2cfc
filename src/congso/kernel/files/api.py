"""/api/v1/files: upload (multipart), metadata and content, scoped to the caller's units."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import File, Form, Router, Status, UploadedFile

from congso.kernel.errors import DomainError, PermissionDenied
from congso.kernel.files.models import StoredFile
from congso.kernel.files.responses import stored_file_response
from congso.kernel.files.rules import can_upload
from congso.kernel.files.schemas import FileOut, FileUploadOut
from congso.kernel.files.selectors import file_for_download, files_find_by_sha256
from congso.kernel.files.services import file_store
from congso.kernel.people.selectors import active_positions

router = Router(tags=["files"])

DUPLICATES_SHOWN = 20


def _owner_type(stored: StoredFile) -> str | None:
    owner_type = stored.owner_type
    if owner_type is None:
        return None
    return f"{owner_type.app_label}.{owner_type.model}"


def _file_out(stored: StoredFile) -> dict[str, Any]:
    return {
        "id": stored.public_id,
        "name": stored.original_name,
        "size": stored.size,
        "sha256": stored.sha256,
        "content_type": stored.content_type,
        "kind": stored.kind,
        "unit_id": stored.unit_id,
        "owner_type": _owner_type(stored),
        "owner_id": stored.owner_id or None,
        "uploaded_by": str(stored.uploaded_by) if stored.uploaded_by_id else None,
        "created_at": stored.created_at,
        "url": reverse("files:download", args=[stored.public_id]),
        "view_url": (
            reverse("files:view", args=[stored.public_id]) if stored.is_inline_viewable else None
        ),
    }


def _default_unit_id(request: HttpRequest, user: Any) -> int | None:
    position = getattr(request, "position", None) if request.user == user else None
    if position is None:
        position = active_positions(user).first()
    return position.unit_id if position is not None else None


@router.post(
    "/",
    response={201: FileUploadOut},
    summary="Tải lên một tệp",
    description=(
        "Multipart: `file` và (tùy chọn) `unit_id` (mặc định: đơn vị của vị trí công tác hiện "
        "tại). Lỗi: 413 `file_too_large`, 415 `file_type_mismatch` / `file_type_not_allowed`."
    ),
)
def upload(
    request: HttpRequest,
    file: File[UploadedFile],
    unit_id: int | None = Form(None),
) -> Status[dict[str, Any]]:
    user: Any = request.auth  # type: ignore[attr-defined]
    target = unit_id if unit_id is not None else _default_unit_id(request, user)
    if target is None:
        raise DomainError("file_unit_required", "Không xác định được đơn vị sở hữu tệp.")
    if not can_upload(user, target):
        raise PermissionDenied("Bạn không có quyền tải tệp lên cho đơn vị này.")
    stored = file_store(upload=file, unit=target, user=user)
    duplicates = files_find_by_sha256(stored.sha256, user=user, exclude=stored)[:DUPLICATES_SHOWN]
    body = _file_out(stored)
    body["duplicates"] = [
        {
            "id": dup.public_id,
            "name": dup.original_name,
            "unit_id": dup.unit_id,
            "created_at": dup.created_at,
            "owner_type": _owner_type(dup),
            "url": reverse("files:download", args=[dup.public_id]),
        }
        for dup in duplicates
    ]
    return Status(201, body)


@router.get("/{file_id}", response=FileOut, summary="Thông tin một tệp")
def detail(request: HttpRequest, file_id: uuid.UUID) -> dict[str, Any]:
    stored = file_for_download(request.auth, file_id)  # type: ignore[attr-defined]
    return _file_out(stored)


@router.get(
    "/{file_id}/content",
    summary="Nội dung một tệp",
    response={200: None},
    openapi_extra={
        "responses": {
            200: {
                "description": "Nội dung tệp",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def content(request: HttpRequest, file_id: uuid.UUID) -> FileResponse:
    stored = file_for_download(request.auth, file_id)  # type: ignore[attr-defined]
    return stored_file_response(stored)
