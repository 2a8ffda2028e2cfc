"""Every write about people: positions, delegations, API tokens, second-factor devices.

Each function validates, writes inside one transaction and records an audit event there. The
callers (views, API, admin, commands) check permissions with ``rules.py`` first.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from congso.kernel.audit.services import audit_record
from congso.kernel.errors import DomainError
from congso.kernel.orgunits.models import AdminUnit, Department
from congso.kernel.people.auth import TOKEN_PREFIX, token_hash
from congso.kernel.people.models import (
    AccountKind,
    ApiToken,
    Delegation,
    DelegationKind,
    Position,
    Role,
    User,
)

#: Length of the stored, displayable beginning of a token ("cs_" + 8 characters).
TOKEN_PREFIX_LENGTH = 11

POSITION_FIELDS = ("role", "department", "title", "valid_from", "valid_to", "is_primary")


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a field value for the audit log."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "values_list"):  # a queryset (many-to-many fields in admin forms)
        return sorted(value.values_list("pk", flat=True))
    return str(value)


def _created(**values: Any) -> dict[str, list[Any]]:
    """``changes`` of a new object in the audit log's ``{field: [old, new]}`` shape."""
    return {name: [None, _plain(value)] for name, value in values.items()}


def _check_period(start: dt.date | None, end: dt.date | None) -> None:
    if start is not None and end is not None and end < start:
        raise DomainError(
            "invalid_period",
            "Ngày kết thúc phải bằng hoặc sau ngày bắt đầu.",
            details={"start": _plain(start), "end": _plain(end)},
        )


def position_check(
    *,
    user: User,
    unit: AdminUnit,
    role: str,
    department: Department | None,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
    exclude_pk: int | None = None,
) -> None:
    """Raise ``DomainError`` when a position with these values would break a rule."""
    if user.kind == AccountKind.CITIZEN:
        raise DomainError("citizen_account", "Tài khoản người dân không thể giữ vị trí công tác.")
    if role not in Role.values:
        raise DomainError("invalid_role", "Vai trò không hợp lệ.", details={"role": role})
    if department is not None and department.unit_id != unit.pk:
        raise DomainError(
            "department_not_in_unit",
            f"Phòng, ban “{department}” không thuộc {unit}.",
        )
    _check_period(valid_from, valid_to)
    if user.pk is None:
        return
    # The same post held twice over overlapping dates is a mistake.
    overlapping = Position.objects.filter(
        user=user, unit=unit, role=role, department=department
    ).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from or dt.date.min),
        Q(valid_from__isnull=True) | Q(valid_from__lte=valid_to or dt.date.max),
    )
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    if overlapping.exists():
        raise DomainError(
            "position_exists",
            "Người này đã giữ vị trí này trong khoảng thời gian đã chọn.",
        )


@transaction.atomic
def position_assign(
    *,
    user: User,
    unit: AdminUnit,
    role: str,
    department: Department | None = None,
    title: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    is_primary: bool | None = None,
    actor: User | None = None,
) -> Position:
    """Give ``user`` a post in ``unit`` with ``role``.

    ``is_primary=None`` makes it primary when the user has no other active primary position;
    ``True`` makes it the only primary one.
    """
    position_check(
        user=user,
        unit=unit,
        role=role,
        department=department,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    others = Position.objects.filter(user=user)
    if is_primary is None:
        is_primary = not others.active().filter(is_primary=True).exists()
    if is_primary:
        others.filter(is_primary=True).update(is_primary=False)
    position = Position.objects.create(
        user=user,
        unit=unit,
        role=role,
        department=department,
        title=title.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        is_primary=is_primary,
    )
    audit_record(
        action="people.position_assigned",
        obj=position,
        actor=actor,
        unit=unit,
        changes=_created(
            user=user,
            unit=unit,
            role=role,
            department=department,
            title=position.title,
            valid_from=valid_from,
            valid_to=valid_to,
            is_primary=is_primary,
        ),
        summary=f"Giao vị trí {position.get_role_display()} tại {unit} cho {user}",
    )
    return position


@transaction.atomic
def position_update(*, position: Position, actor: User | None = None, **fields: Any) -> Position:
    """Change a position's role, department, title, dates or primary flag."""
    unknown = set(fields) - set(POSITION_FIELDS)
    if unknown:
        raise DomainError(
            "invalid_field", "Trường không sửa được.", details={"fields": sorted(unknown)}
        )
    before = {name: getattr(position, name) for name in fields}
    for name, value in fields.items():
        setattr(position, name, value.strip() if name == "title" else value)
    position_check(
        user=position.user,
        unit=position.unit,
        role=position.role,
        department=position.department,
        valid_from=position.valid_from,
        valid_to=position.valid_to,
        exclude_pk=position.pk,
    )
    changes = {
        name: [_plain(before[name]), _plain(getattr(position, name))]
        for name in fields
        if before[name] != getattr(position, name)
    }
    if not changes:
        return position
    if fields.get("is_primary"):
        Position.objects.filter(user_id=position.user_id, is_primary=True).exclude(
            pk=position.pk
        ).update(is_primary=False)
    position.save()
    audit_record(
        action="people.position_changed",
        obj=position,
        actor=actor,
        unit=position.unit,
        changes=changes,
        summary=f"Sửa vị trí công tác: {position}",
    )
    return position


def position_end(*, position: Position, on: dt.date, actor: User | None = None) -> Position:
    """End a position on ``on`` (its last day)."""
    return position_update(position=position, valid_to=on, actor=actor)


@transaction.atomic
def position_delete(*, position: Position, actor: User | None = None) -> None:
    """Remove a position entered by mistake (a post that ended gets ``valid_to`` instead)."""
    unit = position.unit
    summary = f"Xóa vị trí công tác: {position}"
    changes = {
        "user": [position.user_id, None],
        "unit": [unit.pk, None],
        "role": [position.role, None],
    }
    audit_record(
        action="people.position_deleted",
        obj=position,
        actor=actor,
        unit=unit,
        changes=changes,
        summary=summary,
    )
    position.delete()


def delegation_check(
    *,
    principal: User,
    delegate: User,
    unit: AdminUnit,
    kind: str,
    start: dt.date,
    end: dt.date,
) -> None:
    """Raise ``DomainError`` when such a delegation would break a rule."""
    if principal.pk == delegate.pk:
        raise DomainError("delegation_self", "Không thể giao quyền cho chính mình.")
    if kind not in DelegationKind.values:
        raise DomainError("invalid_kind", "Hình thức giao quyền không hợp lệ.")
    _check_period(start, end)
    if delegate.kind == AccountKind.CITIZEN or not delegate.is_active:
        raise DomainError(
            "delegate_not_staff", "Người nhận phải là cán bộ, công chức đang hoạt động."
        )
    if not Position.objects.active(start).filter(user=principal, unit=unit).exists():
        raise DomainError(
            "principal_not_in_unit",
            f"{principal} không giữ vị trí nào tại {unit} vào ngày {start:%d/%m/%Y}.",
        )


@transaction.atomic
def delegation_grant(
    *,
    principal: User,
    delegate: User,
    unit: AdminUnit,
    kind: str,
    start: dt.date,
    end: dt.date,
    note: str = "",
    actor: User | None = None,
) -> Delegation:
    """``delegate`` acts for ``principal`` in ``unit`` from ``start`` to ``end`` (inclusive)."""
    delegation_check(
        principal=principal, delegate=delegate, unit=unit, kind=kind, start=start, end=end
    )
    delegation = Delegation.objects.create(
        principal=principal,
        delegate=delegate,
        unit=unit,
        kind=kind,
        start=start,
        end=end,
        note=note.strip(),
    )
    audit_record(
        action="people.delegation_granted",
        obj=delegation,
        actor=actor,
        unit=unit,
        changes=_created(principal=principal, delegate=delegate, kind=kind, start=start, end=end),
        summary=(
            f"{delegation.get_kind_display()}: {principal} → {delegate} "
            f"({start:%d/%m/%Y}–{end:%d/%m/%Y})"
        ),
    )
    return delegation


@transaction.atomic
def delegation_revoke(*, delegation: Delegation, actor: User | None = None) -> Delegation:
    """End a delegation now; it stops counting at once."""
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if delegation.revoked_at is not None:
        raise DomainError("already_revoked", "Việc giao quyền này đã được thu hồi.")
    delegation.revoked_at = timezone.now()
    delegation.save(update_fields=["revoked_at"])
    audit_record(
        action="people.delegation_revoked",
        obj=delegation,
        actor=actor,
        unit=delegation.unit,
        changes={"revoked_at": [None, delegation.revoked_at.isoformat()]},
        summary=f"Thu hồi giao quyền: {delegation}",
    )
    return delegation


@transaction.atomic
def api_token_create(
    *, user: User, name: str = "", expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """A new API token for ``user``. Returns the row and the plain key, which is shown once and
    never stored (only its SHA-256 is)."""
    if not user.is_active:
        raise DomainError("user_inactive", "Tài khoản đã bị khóa, không thể tạo khóa API.")
    if expires_at is not None:
        if timezone.is_naive(expires_at):
            expires_at = timezone.make_aware(expires_at)
        if expires_at <= timezone.now():
            raise DomainError("invalid_expiry", "Thời hạn của khóa API phải ở tương lai.")
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=key[:TOKEN_PREFIX_LENGTH],
        key_hash=token_hash(key),
        expires_at=expires_at,
    )
    audit_record(
        action="people.api_token_created",
        obj=token,
        actor=None,
        changes=_created(user=user, name=token.name, prefix=token.prefix, expires_at=expires_at),
        summary=f"Tạo khóa API {token.prefix}… cho {user}",
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User | None = None) -> ApiToken:
    """Revoke a token: it is refused from the next request on."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if token.revoked_at is not None:
        raise DomainError("already_revoked", "Khóa API này đã bị thu hồi.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        action="people.api_token_revoked",
        obj=token,
        actor=actor,
        changes={"revoked_at": [None, token.revoked_at.isoformat()]},
        summary=f"Thu hồi khóa API {token.prefix}… của {token.user}",
    )
    return token


def totp_device_begin(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator device the user is setting up (made on first call, so the
    QR code stays the same across reloads of the setup page)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Confirm a device with a code from the user's app. On success the device replaces any
    earlier one. Returns whether the code was right."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(token.strip().replace(" ", "")):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
    audit_record(
        action="people.totp_enabled",
        obj=device.user,
        actor=device.user,
        summary=f"Bật xác thực hai lớp cho {device.user}",
    )
    return True


@transaction.atomic
def totp_device_reset(*, user: User, actor: User | None = None) -> int:
    """Remove the user's authenticator devices (a lost phone); they set one up at next login."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    audit_record(
        action="people.totp_reset",
        obj=user,
        actor=actor,
        changes={"totp_devices": [deleted, 0]},
        summary=f"Đặt lại xác thực hai lớp của {user}",
    )
    return deleted


SECRET_FIELDS = frozenset({"password", "password1", "password2"})


@transaction.atomic
def user_record_change(
    *,
    user: User,
    changes: dict[str, list[Any]],
    created: bool,
    actor: User | None = None,
) -> None:
    """Audit an account edited in the administration screens (the admin form saves the row).
    ``changes`` is ``{field: [old, new]}``; passwords are never written to the log."""
    safe = {
        name: (["***", "***"] if name in SECRET_FIELDS else [_plain(old), _plain(new)])
        for name, (old, new) in changes.items()
    }
    audit_record(
        action="people.user_created" if created else "people.user_changed",
        obj=user,
        actor=actor,
        changes=safe,
        summary=f"{'Tạo' if created else 'Sửa'} tài khoản {user.username}",
    )
