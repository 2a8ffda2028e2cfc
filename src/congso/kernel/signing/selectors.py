"""Reads of signing credentials."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from congso.kernel.signing.models import SigningCredential


def _usable(qs: QuerySet[SigningCredential]) -> QuerySet[SigningCredential]:
    from django.conf import settings

    now = timezone.now()
    qs = qs.filter(is_active=True, not_before__lte=now, not_after__gte=now)
    if not getattr(settings, "SIGNING_TEST_CA_ENABLED", True):
        qs = qs.filter(is_test=False)
    return qs


def credential_for_user(user: Any) -> SigningCredential | None:
    """The user's personal credential usable now (a real one before a test one, newest first)."""
    if user is None or not getattr(user, "pk", None):
        return None
    return (
        _usable(SigningCredential.objects.filter(user_id=user.pk))
        .select_related("image")
        .order_by("is_test", "-created_at", "-pk")
        .first()
    )


def credential_for_unit(unit: Any) -> SigningCredential | None:
    """The committee's organisation credential usable now (a real one first)."""
    unit_id = unit if isinstance(unit, int) else getattr(unit, "pk", None)
    if unit_id is None:
        return None
    return (
        _usable(SigningCredential.objects.filter(unit_id=unit_id))
        .select_related("image")
        .order_by("is_test", "-created_at", "-pk")
        .first()
    )


def credentials_list(*, user: Any = None, unit: Any = None) -> QuerySet[SigningCredential]:
    qs = SigningCredential.objects.select_related("user", "unit", "image")
    if user is not None:
        qs = qs.filter(user=user)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.order_by("-created_at", "-pk")
