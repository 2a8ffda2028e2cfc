"""The kernel's own menu entries and home-page work items."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from congso.kernel.core.home import WorkItem, register_work_items
from congso.kernel.core.navigation import NavItem, register_nav
from congso.kernel.people.models import Position, Role, User

ADMINS = frozenset({Role.ADMIN})


def _can_open_django_admin(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_staff", False))


KERNEL_NAV = [
    NavItem(key="home", label=_("Việc của tôi"), url_name="core:home", order=0),
    NavItem(key="notifications", label=_("Thông báo"), url_name="notifications:inbox", order=10),
    NavItem(key="calendar", label=_("Lịch làm việc"), url_name="calendar:index", order=80),
    NavItem(key="audit", label=_("Nhật ký"), url_name="audit:list", roles=ADMINS, order=900),
    NavItem(
        key="admin",
        label=_("Quản trị"),
        url_name="admin:index",
        roles=ADMINS,
        check=_can_open_django_admin,
        order=910,
    ),
]


def unread_notifications(user: User, position: Position | None) -> WorkItem | None:
    """Unread messages in the user's inbox (the notifications module's count)."""
    try:
        from congso.kernel.notifications.selectors import unread_count
    except ImportError:
        return None
    try:
        url = reverse("notifications:inbox")
    except NoReverseMatch:
        url = ""
    return WorkItem(
        title=_("Thông báo chưa đọc"),
        count=unread_count(user),
        url=url,
        empty_text=_("Bạn đã đọc hết thông báo."),
    )


def register_kernel_items() -> None:
    for item in KERNEL_NAV:
        register_nav(item)
    register_work_items("notifications.unread", unread_notifications, order=0)
