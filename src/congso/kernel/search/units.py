"""The unit tree as the index sees it: ancestors at index time, subtrees at query time.

Every index entry carries "gate" tokens: its unit and each ancestor of that unit, for each
clearance that may see it (``u7.0``: unit 7, seen with no clearance; ``t2.1``: under unit 2,
seen with clearance Mật or above — an ordinary entry has ``.0`` to ``.3``, a Mật one ``.1`` to
``.3``). A user's scope becomes a handful of terms: the subtrees they see whole (a district
leader: one ``t<district>.<clearance>`` term instead of thirty unit ids) plus single units.
Scope, subtree and secrecy are one posting list each, the cheapest filter the engine has.

The tree is read once and kept for ``TREE_TTL`` seconds per process (it changes a few times a
year). When a unit gets another parent, the entries of its subtree are queued for re-indexing
(their ancestors changed): see :func:`connect_signals`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

TREE_TTL = 60.0


@dataclass(frozen=True)
class UnitTree:
    parent: dict[int, int | None]
    children: dict[int, tuple[int, ...]]

    def path(self, unit_id: int | None) -> tuple[int, ...]:
        """The unit and its ancestors, root first (empty for None or an unknown unit)."""
        if unit_id is None:
            return ()
        out: list[int] = []
        current: int | None = unit_id
        seen: set[int] = set()
        while current is not None and current not in seen:
            if current not in self.parent:
                break
            seen.add(current)
            out.append(current)
            current = self.parent[current]
        return tuple(reversed(out))

    def descendants(self, unit_id: int) -> set[int]:
        out: set[int] = set()
        stack = [unit_id]
        while stack:
            for child in self.children.get(stack.pop(), ()):
                if child not in out:
                    out.add(child)
                    stack.append(child)
        return out

    def compress(self, unit_ids: Iterable[int]) -> tuple[frozenset[int], frozenset[int]]:
        """(subtree roots, single units) covering exactly ``unit_ids``: a unit is a root when
        it and all its descendants are in the set and its parent is not such a root."""
        wanted = set(unit_ids)
        full: dict[int, bool] = {}

        def is_full(unit: int) -> bool:
            if unit not in full:
                full[unit] = unit in wanted and all(is_full(c) for c in self.children.get(unit, ()))
            return full[unit]

        roots = set()
        for unit in wanted:
            if unit in self.parent and is_full(unit):
                parent = self.parent[unit]
                if parent is None or not is_full(parent):
                    roots.add(unit)
        covered: set[int] = set()
        for root in roots:
            covered.add(root)
            covered |= self.descendants(root)
        return frozenset(roots), frozenset(wanted - covered)


_lock = threading.Lock()
_cache: tuple[float, UnitTree] | None = None


def unit_tree(*, fresh: bool = False) -> UnitTree:
    global _cache
    now = time.monotonic()
    with _lock:
        if not fresh and _cache is not None and now - _cache[0] < TREE_TTL:
            return _cache[1]
    from congso.kernel.orgunits.models import AdminUnit

    parent: dict[int, int | None] = {}
    children: dict[int, list[int]] = {}
    for pk, parent_id in AdminUnit.objects.values_list("pk", "parent_id").iterator(2000):
        parent[pk] = parent_id
        if parent_id is not None:
            children.setdefault(parent_id, []).append(pk)
    tree = UnitTree(parent=parent, children={k: tuple(v) for k, v in children.items()})
    with _lock:
        _cache = (now, tree)
    return tree


def forget_tree() -> None:
    global _cache
    with _lock:
        _cache = None


# --- a unit moved: its subtree's entries have other ancestors now -------------------------------


def _remember_parent(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None:
        instance._search_old_parent = None
        return
    instance._search_old_parent = (
        type(instance).objects.filter(pk=instance.pk).values_list("parent_id", flat=True).first()
    )


def _unit_saved(sender: Any, instance: Any, created: bool, raw: bool = False, **kw: Any) -> None:
    forget_tree()
    if raw or created:
        return
    if getattr(instance, "_search_old_parent", instance.parent_id) == instance.parent_id:
        return
    from congso.kernel.search.services import search_enqueue_units

    tree = unit_tree(fresh=True)
    search_enqueue_units({instance.pk, *tree.descendants(instance.pk)})


def _unit_deleted(sender: Any, **kwargs: Any) -> None:
    forget_tree()


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save, pre_save

    from congso.kernel.orgunits.models import AdminUnit

    uid = "congso.kernel.search.units"
    pre_save.connect(_remember_parent, sender=AdminUnit, dispatch_uid=f"{uid}.pre")
    post_save.connect(_unit_saved, sender=AdminUnit, dispatch_uid=f"{uid}.post")
    post_delete.connect(_unit_deleted, sender=AdminUnit, dispatch_uid=f"{uid}.delete")
