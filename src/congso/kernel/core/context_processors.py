"""What every page's shell needs: the served committees, the staff menu, the user's positions.

Values are computed lazily (on first use in a template, once per request), so a page that does not
show the menu pays no query for it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

from django.http import HttpRequest

from congso.kernel.core.navigation import PUBLIC_MENU, STAFF_MENU, nav_links
from congso.kernel.core.selectors import served_units

T = TypeVar("T")


def _once(func: Callable[[], T]) -> Callable[[], T]:
    return cache(func)


def shell(request: HttpRequest) -> dict[str, Any]:
    position = getattr(request, "position", None)
    return {
        "staff_position": position,
        "staff_positions": getattr(request, "positions", None) or (),
        "shell_nav": _once(lambda: nav_links(request, STAFF_MENU)),
        "public_nav": _once(lambda: nav_links(request, PUBLIC_MENU)),
        "served_units": _once(served_units),
    }
