"""API authentication: bearer tokens (hashed at rest) and the browser session."""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from congso.kernel.people.models import ApiToken, User

#: Every key starts with this, so a leaked key is recognisable (e.g. by secret scanners).
TOKEN_PREFIX = "cs_"  # noqa: S105 - a public marker, not a secret


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class TokenAuth(HttpBearer):
    """``Authorization: Bearer cs_…``: refused when unknown, revoked, expired or the account is
    inactive."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        token = token.strip()
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=token_hash(token), revoked_at__isnull=True)
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        now = timezone.now()
        if row.expires_at is not None and row.expires_at <= now:
            return None
        # Touch at most once a minute: a busy integrator must not write on every call.
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        request.api_token = row  # type: ignore[attr-defined]
        return row.user


class OtpSessionAuth(SessionAuth):
    """The browser session, refused for a user who must pass the second factor and has not."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        from congso.kernel.people.rules import totp_required

        user = request.user
        if not user.is_authenticated or not user.is_active:
            return None
        is_verified = getattr(user, "is_verified", None)
        verified = bool(is_verified()) if callable(is_verified) else False
        if not verified and totp_required(user):
            return None
        return user


session_auth = OtpSessionAuth()
