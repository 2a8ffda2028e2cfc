"""Actor and IP from the current request; ``diff_fields``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings
from django.utils.functional import SimpleLazyObject

from congso.kernel.audit.middleware import AuditContextMiddleware, current_request, normalise_ip
from congso.kernel.audit.models import AuditEvent
from congso.kernel.audit.services import SYSTEM_ACTOR_NAME, audit_record, diff_fields
from congso.kernel.orgunits.models import AdminUnit, Department

pytestmark = pytest.mark.django_db


def _through_middleware(request: HttpRequest, **record: Any) -> AuditEvent:
    box: dict[str, AuditEvent] = {}

    def view(req: HttpRequest) -> HttpResponse:
        box["event"] = audit_record(action="test.request", **record)
        return HttpResponse("ok")

    AuditContextMiddleware(view)(request)
    return box["event"]


def test_actor_and_ip_default_to_the_request(make_user: Any, ward_a: AdminUnit) -> None:
    user = make_user("specialist", ward_a, full_name="Trần Thị Bình")
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")
    request.user = user
    event = _through_middleware(request)
    assert event.actor_id == user.pk
    assert event.actor_name == f"Trần Thị Bình ({user.username})"
    assert event.ip == "192.0.2.7"
    assert current_request() is None  # reset after the response


def test_explicit_actor_wins_and_anonymous_is_system(make_user: Any) -> None:
    other = make_user("leader")
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")
    request.user = AnonymousUser()
    assert _through_middleware(request).actor is None
    assert _through_middleware(request).actor_name == SYSTEM_ACTOR_NAME
    assert _through_middleware(request, actor=other).actor_id == other.pk


def test_no_request_means_system() -> None:
    event = audit_record(action="test.task")
    assert (event.actor, event.actor_name, event.ip) == (None, SYSTEM_ACTOR_NAME, None)


def test_forwarded_for_ignored_unless_trusted() -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9"
    )
    request.user = AnonymousUser()
    assert _through_middleware(request).ip == "10.0.0.2"
    with override_settings(TRUST_X_FORWARDED_FOR=True):
        # The entry our proxy added (right-most), not what the client claimed (left-most).
        assert _through_middleware(request).ip == "198.51.100.9"
    with override_settings(TRUST_X_FORWARDED_FOR=2):
        assert _through_middleware(request).ip == "6.6.6.6"
    bad = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-ip")
    bad.user = AnonymousUser()
    with override_settings(TRUST_X_FORWARDED_FOR=True):
        assert _through_middleware(bad).ip == "10.0.0.2"


def test_ip_normalised() -> None:
    assert normalise_ip("::ffff:192.0.2.1") == "192.0.2.1"
    assert normalise_ip("2001:DB8:0:0::1") == "2001:db8::1"
    assert normalise_ip("garbage") is None
    event = audit_record(action="test.ip", ip="2001:0DB8::0001")
    assert AuditEvent.objects.get(pk=event.pk).ip == "2001:db8::1"


def test_text_is_cleaned_and_truncated() -> None:
    event = audit_record(action="test.nul", summary="a\x00b", changes={"x": ["c\x00", "d"]})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.summary == "ab"
    assert stored.changes == {"x": ["c", "d"]}


def test_diff_fields(ward_a: AdminUnit, ward_b: AdminUnit) -> None:
    before = Department.objects.get(unit=ward_a)
    after = Department.objects.get(pk=before.pk)
    after.name = "Văn phòng (mới)"
    after.unit = ward_b
    changes = diff_fields(before, after, ["name", "unit", "abbreviation"])
    assert changes == {
        "name": ["Văn phòng HĐND-UBND", "Văn phòng (mới)"],
        "unit": [ward_a.pk, ward_b.pk],
    }
    assert diff_fields(
        {"deadline": dt.date(2026, 2, 13), "fee": Decimal("1.50")},
        {"deadline": dt.date(2026, 2, 23), "fee": Decimal("1.50")},
        ["deadline", "fee"],
    ) == {"deadline": ["2026-02-13", "2026-02-23"]}
    assert diff_fields(None, {"a": 1}, ["a"]) == {"a": [None, 1]}


def test_actor_read_when_recording(make_user: Any) -> None:
    """API token auth sets ``request.user`` inside the view, after the middleware ran; the
    session's user is a lazy object. Both are attributed."""
    user = make_user("clerk")
    request = RequestFactory().post("/api/v1/x", REMOTE_ADDR="192.0.2.9")
    request.user = AnonymousUser()
    box: dict[str, AuditEvent] = {}

    def view(req: HttpRequest) -> HttpResponse:
        req.user = SimpleLazyObject(lambda: user)  # as the auth middleware / TokenAuth do
        box["event"] = audit_record(action="test.api")
        return HttpResponse("ok")

    AuditContextMiddleware(view)(request)
    assert box["event"].actor_id == user.pk
    assert AuditEvent.objects.get(pk=box["event"].pk).actor_name.endswith(f"({user.username})")
