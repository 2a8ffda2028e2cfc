"""notify(): rows, e-mail through the task backend after commit, read marks."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from congso.kernel.errors import DomainError, NotFound
from congso.kernel.notifications.models import Notification
from congso.kernel.notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    notify,
)
from congso.kernel.orgunits.models import Department
from congso.kernel.people.models import User

pytestmark = pytest.mark.django_db


def test_notify_creates_rows_and_emails_after_commit(
    alice: User, bob: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        rows = notify(
            recipients=[alice, bob, alice],  # duplicates collapse
            title="Văn bản đến số 15 được giao cho bạn",
            body="Hạn xử lý: 23/02/2026.",
            url="/van-ban/15/",
            level="urgent",
            kind="documents.assigned",
        )
        assert not mail.outbox  # nothing leaves before the transaction commits
    assert len(callbacks) == 1  # bob has no address
    assert [r.recipient for r in rows] == [alice, bob]
    assert all(r.pk for r in rows)
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.vn"]
    assert message.subject == "[Công sở số] Văn bản đến số 15 được giao cho bạn"
    assert "Kính gửi Nguyễn Thị Hoa" in message.body
    assert "Hạn xử lý: 23/02/2026." in message.body
    assert "/van-ban/15/" in message.body
    html, mimetype = message.alternatives[0]  # type: ignore[attr-defined]
    assert mimetype == "text/html"
    assert "[Khẩn]" in html and "Văn bản đến số 15" in html
    alice_row = Notification.objects.get(recipient=alice)
    assert alice_row.emailed_at is not None
    assert Notification.objects.get(recipient=bob).emailed_at is None


def test_rolled_back_write_sends_nothing(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(recipients=[alice], title="Sẽ không gửi")
        raise RuntimeError
    assert not mail.outbox
    assert not Notification.objects.exists()


def test_no_email_when_asked_not_to(alice: User, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(recipients=[alice], title="Chỉ trong hộp thư", email=False)
    assert not callbacks
    assert not mail.outbox
    assert Notification.objects.get().emailed_at is None


def test_email_sent_once(alice: User, django_capture_on_commit_callbacks: Any) -> None:
    from congso.kernel.notifications.tasks import send_notification_email

    with django_capture_on_commit_callbacks(execute=True):
        (row,) = notify(recipients=[alice], title="Một lần")
    assert len(mail.outbox) == 1
    assert send_notification_email.call(notification_id=row.pk) is False
    assert len(mail.outbox) == 1


def test_recipients_ids_inactive_and_object(
    alice: User, bob: User, make_user: Any, ward_a: Any
) -> None:
    gone = make_user("specialist", ward_a, is_active=False, email="gone@example.vn")
    dept = Department.objects.get(unit=ward_a)
    rows = notify(recipients=[bob.pk, gone, None], title="Cập nhật phòng", obj=dept)
    assert [r.recipient_id for r in rows] == [bob.pk]
    assert rows[0].object_id == str(dept.pk)
    assert notify(recipients=[], title="Không ai") == []


def test_invalid_input(alice: User) -> None:
    with pytest.raises(DomainError) as info:
        notify(recipients=[alice], title="   ")
    assert info.value.code == "notification_title_required"
    with pytest.raises(DomainError) as info:
        notify(recipients=[alice], title="x", level="critical")
    assert info.value.code == "notification_invalid_level"


def test_title_normalised_to_nfc(alice: User) -> None:
    decomposed = "Thông bá\u006f\u0301"  # "ó" as o + combining acute
    (row,) = notify(recipients=[alice], title=decomposed, email=False)
    assert row.title == "Thông bá\u00f3"
    assert "\u0301" not in Notification.objects.get().title


def test_mark_read_only_own(alice: User, bob: User) -> None:
    (mine,) = notify(recipients=[alice], title="Của Hoa", email=False)
    with pytest.raises(NotFound):
        notification_mark_read(user=bob, notification_id=mine.pk)
    assert Notification.objects.get(pk=mine.pk).read_at is None
    first = notification_mark_read(user=alice, notification_id=mine.pk).read_at
    assert first is not None
    assert notification_mark_read(user=alice, notification_id=mine.pk).read_at == first


def test_mark_all_read(alice: User, bob: User) -> None:
    notify(recipients=[alice, bob], title="Một", email=False)
    notify(recipients=[alice], title="Hai", email=False)
    assert notifications_mark_all_read(user=alice) == 2
    assert notifications_mark_all_read(user=alice) == 0
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).count() == 1


def test_email_link_absolute_with_site_url(
    alice: User, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.SITE_URL = "https://congso.tayho.example"
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[alice], title="Có liên kết", url="/thong-bao/")
        notify(recipients=[alice], title="Liên kết ngoài", url="https://evil.example/")
    assert "https://congso.tayho.example/thong-bao/" in mail.outbox[0].body
    assert "evil.example" not in mail.outbox[1].body
