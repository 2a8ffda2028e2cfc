"""Writing to the audit log. ``audit_record`` is the only way an event gets in."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from congso.kernel.audit.chain import canonical_json, chain_hash
from congso.kernel.audit.middleware import client_ip, current_request, normalise_ip
from congso.kernel.audit.models import GENESIS_HASH, AuditEvent

# Key of the PostgreSQL transaction-level advisory lock that serialises writers of the chain
# (any constant; this one spells "audit" in ASCII).
ADVISORY_LOCK_KEY = 0x6175646974

SYSTEM_ACTOR_NAME = "Hệ thống"


class _Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder (dates, Decimal, UUID, lazy strings) plus model instances and sets."""

    def default(self, o: Any) -> Any:
        if isinstance(o, models.Model):
            return str(o.pk)
        if isinstance(o, set | frozenset):
            return sorted(str(item) for item in o)
        return super().default(o)


def _clean_text(value: Any, limit: int | None = None) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\x00", "")  # PostgreSQL refuses NUL in text
    return text[:limit] if limit else text


def _strip_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_strip_nul(item) for item in value]
    if isinstance(value, dict):
        return {_strip_nul(key): _strip_nul(item) for key, item in value.items()}
    return value


def _json_safe(value: Any) -> Any:
    """What the database will give back: plain JSON (string keys, no NUL, no NaN)."""
    if not value:
        return {}
    encoded = json.dumps(value, cls=_Encoder, ensure_ascii=False, allow_nan=False)
    return _strip_nul(json.loads(encoded))


def _actor_name(user: Any) -> str:
    username = user.get_username()
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{full} ({username})" if full and full != username else username


def _lock_chain() -> None:
    """Serialise writers until the end of the caller's transaction.

    PostgreSQL: a transaction-level advisory lock. SQLite: the project opens every transaction
    with BEGIN IMMEDIATE, which already holds the database's single write lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


def audit_record(
    *,
    action: str,
    obj: models.Model | None = None,
    actor: Any = None,
    unit: Any = None,
    changes: Mapping[str, Any] | None = None,
    summary: str = "",
    ip: str | None = None,
) -> AuditEvent:
    """Append one event to the log, inside the caller's transaction.

    ``actor`` and ``ip`` default to the current request's (set by ``AuditContextMiddleware``);
    with no request and no actor the event is the system's. ``unit`` defaults to ``obj.unit``
    when the object has one. ``changes`` is ``{field: [old, new]}`` (see ``diff_fields``).
    """
    request = current_request()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if actor is not None and not getattr(actor, "is_authenticated", True):
        actor = None
    if ip is None and request is not None:
        ip = client_ip(request)
    ip = normalise_ip(ip)
    if unit is None and obj is not None:
        unit_id = getattr(obj, "unit_id", None)
    else:
        unit_id = getattr(unit, "pk", unit)
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    object_type = f"{content_type.app_label}.{content_type.model}" if content_type else None

    event = AuditEvent(
        time=timezone.now(),
        actor=actor,
        actor_name=_clean_text(_actor_name(actor) if actor else SYSTEM_ACTOR_NAME, 200),
        ip=ip,
        action=_clean_text(action, 80),
        content_type=content_type,
        object_id=_clean_text(obj.pk if obj is not None and obj.pk is not None else "", 64),
        object_repr=_clean_text(obj if obj is not None else "", 255),
        unit_id=unit_id if isinstance(unit_id, int) else None,
        changes=_json_safe(changes),
        summary=_clean_text(summary),
    )
    with transaction.atomic():
        _lock_chain()
        head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        event.seq, event.prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
        event.hash = chain_hash(
            event.prev_hash,
            canonical_json(
                seq=event.seq,
                time=event.time,
                actor_id=event.actor_id,
                actor_name=event.actor_name,
                ip=event.ip,
                action=event.action,
                object_type=object_type,
                object_id=event.object_id,
                object_repr=event.object_repr,
                unit_id=event.unit_id,
                changes=event.changes,
                summary=event.summary,
            ),
        )
        event.save()
    return event


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, models.QuerySet):
        return sorted(str(pk) for pk in value.values_list("pk", flat=True))
    return value


def _read(source: Any, field: str) -> Any:
    if isinstance(source, Mapping):
        return source.get(field)
    if isinstance(source, models.Model):
        try:
            model_field = source._meta.get_field(field)
        except FieldDoesNotExist:  # a property or a plain attribute
            model_field = None
        if isinstance(model_field, models.ForeignKey):
            return getattr(source, model_field.attname)
    return getattr(source, field, None)


def diff_fields(before: Any, after: Any, fields: Iterable[str]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the ``fields`` whose value differs between two snapshots.

    ``before`` and ``after`` are model instances or mappings (``None`` for creation/deletion);
    foreign keys compare by id, values are made JSON-safe (dates in ISO form, Decimal as text).
    """
    out: dict[str, list[Any]] = {}
    for field in fields:
        old = _plain(_read(before, field)) if before is not None else None
        new = _plain(_read(after, field)) if after is not None else None
        if old != new:
            out[field] = [old, new]
    return _json_safe(out)
