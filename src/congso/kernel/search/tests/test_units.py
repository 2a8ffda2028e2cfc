"""The unit tree in the index: ancestors of each entry, subtrees in a user's grants."""

from __future__ import annotations

from pathlib import Path

import pytest

from congso.kernel.search.backends.base import Scope
from congso.kernel.search.registry import Grant
from congso.kernel.search.tests.fixtures import build, doc, ids, search
from congso.kernel.search.units import UnitTree

# 1 city ─ 2 district ─ 4, 5 wards
#        └ 3 district ─ 6 ward
TREE = UnitTree(
    parent={1: None, 2: 1, 3: 1, 4: 2, 5: 2, 6: 3},
    children={1: (2, 3), 2: (4, 5), 3: (6,)},
)


def test_paths_and_compression() -> None:
    assert TREE.path(5) == (1, 2, 5)
    assert TREE.path(1) == (1,)
    assert TREE.path(None) == () and TREE.path(99) == ()
    assert TREE.compress({2, 4, 5}) == ({2}, set())
    assert TREE.compress({4, 5}) == ({4, 5}, set())  # leaves are their own subtrees
    assert TREE.compress({2, 4}) == ({4}, {2})  # 5 is missing: 2 alone, not its subtree
    assert TREE.compress({1, 2, 3, 4, 5, 6}) == ({1}, set())
    assert TREE.compress({3, 6, 99}) == ({3}, {99})


def test_subtree_grants_in_the_engine(tmp_path: Path) -> None:
    docs = {
        unit: doc(f"Kế hoạch trực bão đơn vị {unit}", unit_id=unit, unit_path=TREE.path(unit))
        for unit in (1, 2, 3, 4, 5, 6)
    }
    b = build(tmp_path, list(docs.values()))

    def seen(grant: Grant, clearance: int = 0) -> set[int]:
        result = search(b, "trực bão", Scope(clearance=clearance, default=(grant,)))
        assert result.total == len(result.hits)
        return {next(u for u, d in docs.items() if d.id == i) for i in ids(result)}

    assert seen(Grant(units=frozenset(), subtrees=frozenset({2}))) == {2, 4, 5}
    assert seen(Grant(units=frozenset({2}), subtrees=frozenset({6}))) == {2, 6}
    assert seen(Grant(units=frozenset({1}))) == {1}
    assert seen(Grant(units=None)) == {1, 2, 3, 4, 5, 6}


@pytest.mark.parametrize(
    "clearance,expected", [(0, {"open"}), (1, {"open", "mat"}), (3, {"open", "mat", "toi-mat"})]
)
def test_secrecy_levels_in_the_gate(tmp_path: Path, clearance: int, expected: set[str]) -> None:
    docs = {
        "open": doc("Phương án phòng thủ", unit_id=4, unit_path=(1, 2, 4)),
        "mat": doc("Phương án phòng thủ", unit_id=4, unit_path=(1, 2, 4), secrecy=1),
        "toi-mat": doc("Phương án phòng thủ", unit_id=5, unit_path=(1, 2, 5), secrecy=2),
    }
    b = build(tmp_path, list(docs.values()))
    for grant in (Grant(units=frozenset(), subtrees=frozenset({1})), Grant(units=None)):
        result = search(b, "phương án", Scope(clearance=clearance, default=(grant,)))
        assert {k for k, d in docs.items() if d.id in ids(result)} == expected
