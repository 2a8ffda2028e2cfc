"""Scoped reads of stored files."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.db.models import QuerySet

from congso.kernel.errors import NotFound, PermissionDenied
from congso.kernel.files.models import StoredFile
from congso.kernel.files.rules import can_download, can_see_file
from congso.kernel.people.selectors import visible_unit_ids

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def files_visible_to(user: Any) -> QuerySet[StoredFile]:
    """Files of the units the user may see (owner rules are applied per file on download)."""
    if user is None or not user.is_authenticated:
        return StoredFile.objects.none()
    return StoredFile.objects.filter(unit_id__in=visible_unit_ids(user))


def files_find_by_sha256(
    sha256: str,
    *,
    user: Any = None,
    unit_ids: set[int] | None = None,
    exclude: StoredFile | None = None,
) -> QuerySet[StoredFile]:
    """Files with this content (duplicate detection), newest first.

    With ``user``: only in the units the user may see; with ``unit_ids``: only in those units.
    """
    digest = (sha256 or "").strip().lower()
    if not _SHA256.match(digest):
        return StoredFile.objects.none()
    files = files_visible_to(user) if user is not None else StoredFile.objects.all()
    files = files.filter(sha256=digest)
    if unit_ids is not None:
        files = files.filter(unit_id__in=unit_ids)
    if exclude is not None and exclude.pk is not None:
        files = files.exclude(pk=exclude.pk)
    return files.select_related("unit", "owner_type").order_by("-created_at", "-pk")


def file_for_download(user: Any, public_id: uuid.UUID | str) -> StoredFile:
    """The file, if ``user`` may download it.

    Raises NotFound when it does not exist *or* lies outside the user's units (so its existence
    is not revealed), PermissionDenied when the user sees the unit but the owner's access rule
    (e.g. secrecy clearance) refuses.
    """
    try:
        key = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound("Không tìm thấy tệp.") from None
    stored = StoredFile.objects.select_related("unit", "owner_type").filter(public_id=key).first()
    if stored is None or not can_see_file(user, stored):
        raise NotFound("Không tìm thấy tệp.")
    if not can_download(user, stored):
        raise PermissionDenied("Bạn không có quyền tải tệp này.")
    return stored
