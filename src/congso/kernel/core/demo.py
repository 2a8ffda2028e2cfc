"""The demo registry: each module adds its own demo data to ``manage.py demo``.

A module ships ``<app>/demo.py`` with one or more loaders::

    from congso.kernel.core.demo import DemoContext, register

    @register("documents", order=40)
    def load(ctx: DemoContext) -> None:
        units = demo_units()            # from congso.kernel.orgunits.demo
        ...
        ctx.log(f"{n} văn bản đến mẫu")

The command imports ``<app>.demo`` for every app in INSTALLED_APPS, then runs the loaders by
``order`` (then name), each in its own transaction. Loaders must be idempotent: running the
demo twice leaves the same data (look rows up by a natural key before creating them).

Orders in use: 10 units and departments (orgunits), 20 staff (people). Domain modules: 40 and up.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.apps import apps
from django.db import transaction
from django.utils import timezone

#: The one password of every demo account (printed by the command; demo data only).
DEMO_PASSWORD = "congso-demo-2026"  # noqa: S105 - published demo password


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    role: str
    unit: str


@dataclass
class DemoContext:
    """Shared by the loaders of one run."""

    today: dt.date = field(default_factory=timezone.localdate)
    password: str = DEMO_PASSWORD
    out: Callable[[str], None] = print
    logins: list[DemoLogin] = field(default_factory=list)
    current: str = ""

    def log(self, message: str) -> None:
        prefix = f"[{self.current}] " if self.current else ""
        self.out(f"{prefix}{message}")


Loader = Callable[[DemoContext], None]
F = TypeVar("F", bound=Loader)


@dataclass(frozen=True)
class DemoLoader:
    name: str
    order: int
    func: Loader


_registry: dict[str, DemoLoader] = {}


def register(name: str, order: int = 100) -> Callable[[F], F]:
    """Register ``func`` as the demo loader ``name`` (re-registering a name replaces it)."""

    def decorator(func: F) -> F:
        _registry[name] = DemoLoader(name=name, order=order, func=func)
        return func

    return decorator


def discover() -> list[str]:
    """Import ``<app>.demo`` of every installed app that has one; returns the module names."""
    found = []
    for config in apps.get_app_configs():
        module = f"{config.name}.demo"
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module)
            found.append(module)
    return found


def loaders() -> list[DemoLoader]:
    return sorted(_registry.values(), key=lambda loader: (loader.order, loader.name))


def run_all(ctx: DemoContext | None = None, *, only: set[str] | None = None) -> DemoContext:
    """Discover and run the loaders in order, each in its own transaction."""
    ctx = ctx or DemoContext()
    discover()
    for loader in loaders():
        if only is not None and loader.name not in only:
            continue
        ctx.current = loader.name
        with transaction.atomic():
            loader.func(ctx)
    ctx.current = ""
    return ctx
