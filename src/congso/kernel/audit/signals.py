"""Infrastructure wiring (connected in ``AuditConfig.ready``): login events and the SQLite guard.

Logging sign-ins is infrastructure, not a domain rule, so it lives in signal receivers.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest

from congso.kernel.audit.middleware import client_ip
from congso.kernel.audit.services import audit_record

# --- login events -----------------------------------------------------------------------------


def _ip(request: HttpRequest | None) -> str | None:
    return client_ip(request) if request is not None else None


def on_user_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(
        action="people.login",
        obj=user,
        actor=user,
        ip=_ip(request),
        summary="Đăng nhập thành công.",
    )


def on_user_logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        return
    audit_record(
        action="people.logout", obj=user, actor=user, ip=_ip(request), summary="Đăng xuất."
    )


def on_user_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Only the username that was tried is kept; never the password (nor any other field)."""
    field = get_user_model().USERNAME_FIELD
    attempted = str(credentials.get(field) or credentials.get("username") or "")[:150]
    audit_record(
        action="people.login_failed",
        actor=None,
        ip=_ip(request),
        changes={"username": [None, attempted]},
        summary=f"Đăng nhập không thành công với tên đăng nhập «{attempted}».",
    )


# --- SQLite guard -----------------------------------------------------------------------------

# True while ``manage.py flush`` empties the database on purpose (tests do it between
# transactional tests); the SQLite delete trigger asks ``congso_audit_guard()`` about it.
audit_maintenance: ContextVar[bool] = ContextVar("congso_audit_maintenance", default=False)


def _guard() -> int:
    return 0 if audit_maintenance.get() else 1


def on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Register ``congso_audit_guard()`` on SQLite connections made by Django.

    The delete trigger calls it; from any other client (the sqlite3 shell) the function does not
    exist, so a DELETE fails there too.
    """
    if connection.vendor == "sqlite":
        connection.connection.create_function("congso_audit_guard", 0, _guard)
