""" "Việc của tôi": the staff home page is made of panels that modules contribute.

A module registers a *provider* from its ``AppConfig.ready()``: a function of the user and their
current position that returns the work items waiting for them (a title, how many, how many are
overdue, where to go)::

    from congso.kernel.core.home import WorkItem, register_work_items

    def _my_documents(user, position):
        qs = selectors.documents_assigned(user=user)
        return [WorkItem(title=_("Văn bản chờ xử lý"), count=qs.count(),
                         overdue=qs.overdue().count(), url=reverse("documents:mine"))]

    register_work_items("documents.assigned", _my_documents, roles={Role.SPECIALIST}, order=20)

Providers read through the module's own selectors, so the counts are scoped like the pages they
link to. ``roles=None`` means every staff user; otherwise the current position's role must match.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from congso.kernel.people.models import Position, User

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkItem:
    title: Any  # str or a lazy translation
    count: int
    url: str = ""
    overdue: int = 0
    description: Any = ""
    # Shown when count is 0; a module may say something more useful than the default.
    empty_text: Any = ""

    @property
    def has_overdue(self) -> bool:
        return self.overdue > 0


WorkItemProvider = Callable[["User", "Position | None"], "WorkItem | Iterable[WorkItem] | None"]


@dataclass(frozen=True)
class _Registration:
    key: str
    provider: WorkItemProvider
    roles: frozenset[str] | None
    order: int


_registry: dict[str, _Registration] = {}


def register_work_items(
    key: str,
    provider: WorkItemProvider,
    *,
    roles: Iterable[str] | None = None,
    order: int = 100,
) -> None:
    """Adds (or replaces, by ``key``) a provider of work items for the home page."""
    _registry[key] = _Registration(
        key=key,
        provider=provider,
        roles=frozenset(roles) if roles is not None else None,
        order=order,
    )


def unregister_work_items(key: str) -> None:
    _registry.pop(key, None)


def registered_keys() -> list[str]:
    return [reg.key for reg in sorted(_registry.values(), key=lambda r: (r.order, r.key))]


@dataclass(frozen=True)
class WorkOverview:
    items: list[WorkItem]
    failed: list[str]  # keys of providers that raised

    @property
    def total(self) -> int:
        return sum(item.count for item in self.items)

    @property
    def total_overdue(self) -> int:
        return sum(item.overdue for item in self.items)


def work_overview(user: User, position: Position | None) -> WorkOverview:
    """Every work item for this user in their current position, in the providers' order.

    A provider that raises is logged and reported in ``failed`` (the page says that some items
    could not be loaded): one broken module must not take down everyone's first page.
    """
    role = getattr(position, "role", None)
    items: list[WorkItem] = []
    failed: list[str] = []
    for reg in sorted(_registry.values(), key=lambda r: (r.order, r.key)):
        if reg.roles is not None and role not in reg.roles:
            continue
        try:
            result = reg.provider(user, position)
        except Exception:
            logger.exception("work item provider %s failed", reg.key)
            failed.append(reg.key)
            continue
        if result is None:
            continue
        if isinstance(result, WorkItem):
            items.append(result)
        else:
            items.extend(result)
    return WorkOverview(items=items, failed=failed)
