"""Background work of notifications: the e-mail copy."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django_tasks import task

from congso.kernel.notifications.models import Notification
from congso.kernel.notifications.services import notification_email_sent

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[Công sở số]"


def _absolute(url: str) -> str:
    """A link usable from a mail client: relative URLs get ``SITE_URL`` in front when it is set."""
    if not url or not url.startswith("/") or url.startswith("//"):
        return ""
    base = str(getattr(settings, "SITE_URL", "") or "").rstrip("/")
    return f"{base}{url}" if base else url


@task()
def send_notification_email(notification_id: int) -> bool:
    """Send the e-mail copy of a notification once; True when an e-mail was sent now."""
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or notification.emailed_at is not None:
        return False
    recipient = notification.recipient
    if not recipient.email or not recipient.is_active:
        return False
    context = {
        "notification": notification,
        "recipient": recipient,
        "link": _absolute(notification.url),
    }
    subject = " ".join(f"{SUBJECT_PREFIX} {notification.title}".split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("notifications/email/notification.txt", context),
        to=[recipient.email],
    )
    message.attach_alternative(
        render_to_string("notifications/email/notification.html", context), "text/html"
    )
    message.send()
    logger.info("notification %s e-mailed", notification_id)
    return notification_email_sent(notification_id=notification_id)
