"""Menus of the staff area and the public portal: a registry apps fill from ``ready()``.

An item names a URL (not a path), the roles that see it and its place in the menu. An item whose
URL does not exist (its module is not installed, or not written yet) is left out rather than shown
as a dead link, so apps can register their entries before their pages exist::

    from congso.kernel.core.navigation import NavItem, register_nav
    from congso.kernel.people.models import Role

    register_nav(NavItem(key="documents", label=_("Văn bản đến"), url_name="documents:inbox",
                         roles={Role.CLERK, Role.LEADER}, order=20))

Two menus: the staff area's (``menu="staff"``, the default) and the public portal's
(``menu="public"``, shown to everyone, roles ignored).

Visibility in the staff menu: ``roles=None`` means every staff user; otherwise the role of the
user's *current* position (``request.position``) must be one of ``roles``. Items for
administrators (``Role.ADMIN`` in ``roles``) are also shown to anyone ``rules.is_admin`` accepts
(superusers included), so the menu follows the same rule as the pages behind it. ``check`` adds a
predicate of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from congso.kernel.people.models import Role

STAFF_MENU = "staff"
PUBLIC_MENU = "public"


@dataclass(frozen=True)
class NavItem:
    key: str
    label: Any  # str or a lazy translation
    url_name: str
    roles: frozenset[str] | None = None
    order: int = 100
    check: Callable[[HttpRequest], bool] | None = None
    url_kwargs: dict[str, Any] = field(default_factory=dict)
    menu: str = STAFF_MENU
    description: Any = ""  # one line under the label where a page shows items as tiles

    def __post_init__(self) -> None:
        if self.roles is not None and not isinstance(self.roles, frozenset):
            object.__setattr__(self, "roles", frozenset(self.roles))


@dataclass(frozen=True)
class NavLink:
    """What a template gets: the label, the resolved URL, and whether it is the current page."""

    key: str
    label: str
    url: str
    active: bool
    description: str = ""


_registry: dict[tuple[str, str], NavItem] = {}


def register_nav(item: NavItem) -> NavItem:
    """Adds (or replaces, by menu and ``key``) a menu item. Call it from ``AppConfig.ready()``."""
    _registry[(item.menu, item.key)] = item
    return item


def unregister_nav(key: str, menu: str = STAFF_MENU) -> None:
    _registry.pop((menu, key), None)


def registered_items(menu: str = STAFF_MENU) -> list[NavItem]:
    items = [item for item in _registry.values() if item.menu == menu]
    return sorted(items, key=lambda item: (item.order, item.key))


def _current_role(request: HttpRequest) -> str | None:
    position = getattr(request, "position", None)
    return getattr(position, "role", None)


def _user_is_admin(request: HttpRequest) -> bool:
    """Asked once per request (one query), however many admin items the menu has."""
    cached = getattr(request, "_congso_nav_is_admin", None)
    if cached is None:
        from congso.kernel.people import rules

        cached = bool(rules.is_admin(request.user))
        request._congso_nav_is_admin = cached  # type: ignore[attr-defined]
    return cached


def item_visible(item: NavItem, request: HttpRequest) -> bool:
    if item.menu == PUBLIC_MENU:
        return item.check is None or bool(item.check(request))
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if item.roles is not None:
        role_ok = _current_role(request) in item.roles
        if not role_ok and Role.ADMIN in item.roles:
            role_ok = _user_is_admin(request)
        if not role_ok:
            return False
    return item.check is None or bool(item.check(request))


def nav_links(
    request: HttpRequest, menu: str = STAFF_MENU, items: Iterable[NavItem] | None = None
) -> list[NavLink]:
    """The menu for this request: visible items whose URL exists, in order."""
    links: list[NavLink] = []
    path = request.path
    for item in registered_items(menu) if items is None else items:
        if not item_visible(item, request):
            continue
        try:
            url = reverse(item.url_name, kwargs=item.url_kwargs or None)
        except NoReverseMatch:
            continue
        active = path == url or (url != "/" and path.startswith(url))
        links.append(
            NavLink(
                key=item.key,
                label=str(item.label),
                url=url,
                active=active,
                description=str(item.description),
            )
        )
    return links
