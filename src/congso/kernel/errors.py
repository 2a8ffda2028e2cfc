"""The one domain error type: services raise it, the UI shows ``message`` (Vietnamese) and the
API returns ``{"code", "message", "details"}`` with the matching HTTP status."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule was broken. ``code`` is stable (clients match on it); ``message`` is for people."""

    status = 400

    def __init__(self, code: str, message: str, *, details: Any = None, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details
        if status is not None:
            self.status = status

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class PermissionDenied(DomainError):
    status = 403

    def __init__(self, message: str = "Bạn không có quyền thực hiện thao tác này.", **kw: Any):
        super().__init__(kw.pop("code", "permission_denied"), message, **kw)


class NotFound(DomainError):
    status = 404

    def __init__(self, message: str = "Không tìm thấy đối tượng.", **kw: Any):
        super().__init__(kw.pop("code", "not_found"), message, **kw)
