"""/api/v1/people: the caller and their own API tokens."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from congso.kernel.errors import DomainError, NotFound
from congso.kernel.people import rules, selectors, services
from congso.kernel.people.models import ApiToken, Position
from congso.kernel.people.schemas import MeOut, TokenCreatedOut, TokenIn, TokenOut, TokenPage

router = Router(tags=["people"])


def _position_out(position: Position, current_pk: int | None) -> dict[str, Any]:
    return {
        "id": position.pk,
        "unit_id": position.unit_id,
        "unit_name": position.unit.name,
        "department_id": position.department_id,
        "department_name": position.department.name if position.department else None,
        "role": position.role,
        "role_label": position.get_role_display(),
        "title": position.title,
        "is_primary": position.is_primary,
        "is_current": position.pk == current_pk,
        "valid_from": position.valid_from,
        "valid_to": position.valid_to,
    }


@router.get("/me", response=MeOut, summary="Người dùng hiện tại")
def me(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.auth  # type: ignore[attr-defined]
    positions = list(selectors.active_positions(user))
    current = getattr(request, "position", None) if request.user == user else None
    current_pk = current.pk if current is not None else (positions[0].pk if positions else None)
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.get_full_name(),
        "kind": user.kind,
        "clearance": user.clearance,
        "is_admin": rules.is_admin(user),
        "positions": [_position_out(p, current_pk) for p in positions],
        "roles": sorted(selectors.user_roles(user)),
        "visible_units_count": len(selectors.visible_unit_ids(user)),
    }


class PageParams(Schema):
    limit: int = 50
    cursor: str | None = None


def _encode_cursor(created_at: dt.datetime, pk: int) -> str:
    raw = f"{created_at.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.rsplit("|", 1)
        return dt.datetime.fromisoformat(stamp), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise DomainError("invalid_cursor", "Con trỏ phân trang không hợp lệ.") from exc


@router.get("/tokens", response=TokenPage, summary="Khóa API của tôi")
def token_list(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    limit = min(max(params.limit, 1), 200)
    qs = selectors.user_api_tokens(request.auth)  # type: ignore[attr-defined]
    if params.cursor:
        created_at, pk = _decode_cursor(params.cursor)
        qs = qs.filter(created_at__lte=created_at).exclude(created_at=created_at, pk__gte=pk)
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = _encode_cursor(rows[-1].created_at, rows[-1].pk) if more and rows else None
    return {"items": rows, "next_cursor": next_cursor}


@router.post("/tokens", response={201: TokenCreatedOut}, summary="Tạo khóa API")
def token_create(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    expires_at = (
        timezone.now() + dt.timedelta(days=payload.expires_days) if payload.expires_days else None
    )
    token, key = services.api_token_create(
        user=request.auth,  # type: ignore[attr-defined]
        name=payload.name,
        expires_at=expires_at,
    )
    data = TokenOut.from_orm(token).dict()
    data["token"] = key
    return Status(201, data)


@router.delete("/tokens/{token_id}", response={204: None}, summary="Thu hồi khóa API")
def token_revoke(request: HttpRequest, token_id: int) -> Status[None]:
    token = ApiToken.objects.filter(pk=token_id, user_id=request.auth.pk).first()  # type: ignore[attr-defined]
    if token is None:
        raise NotFound("Không tìm thấy khóa API.")
    services.api_token_revoke(token=token, actor=request.auth)  # type: ignore[attr-defined]
    return Status(204, None)
