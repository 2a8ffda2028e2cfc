"""The tree, effective dating and successions, on Hà Nội and the Tây Hồ history."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from congso.kernel.orgunits import selectors, services
from congso.kernel.orgunits.demo import DemoUnits
from congso.kernel.orgunits.models import AdminUnit

from .conftest import current, former

LAST_OLD_DAY = dt.date(2025, 6, 30)
FIRST_NEW_DAY = dt.date(2025, 7, 1)


def test_descendants_in_one_query(tay_ho: DemoUnits) -> None:
    old_hanoi = former("01")
    with CaptureQueriesContext(connection) as queries:
        below = selectors.descendant_ids([old_hanoi.pk])
    assert len(queries) == 1
    expected = {old_hanoi.pk, tay_ho.former_district.pk} | {w.pk for w in tay_ho.former_wards}
    assert below == expected
    assert len(below) == 10
    assert selectors.descendant_ids([old_hanoi.pk], include_self=False) == expected - {old_hanoi.pk}
    # Several roots, and the new tree beside the old one.
    both = selectors.descendant_ids([tay_ho.former_district.pk, tay_ho.hanoi.pk])
    assert tay_ho.tay_ho.pk in both and tay_ho.former_wards[0].pk in both
    assert old_hanoi.pk not in both
    assert selectors.descendant_ids([]) == set()
    assert selectors.descendant_ids([tay_ho.tay_ho.pk]) == {tay_ho.tay_ho.pk}


def test_units_valid_on_either_side_of_the_reform(tay_ho: DemoUnits) -> None:
    before = set(selectors.units_valid_on(LAST_OLD_DAY).values_list("pk", flat=True))
    after = set(selectors.units_valid_on(FIRST_NEW_DAY).values_list("pk", flat=True))
    old = {tay_ho.former_district.pk, *(w.pk for w in tay_ho.former_wards)}
    assert old <= before and not old & after
    assert tay_ho.tay_ho.pk in after and tay_ho.tay_ho.pk not in before
    assert tay_ho.former_district.is_valid_on(LAST_OLD_DAY)
    assert not tay_ho.former_district.is_valid_on(FIRST_NEW_DAY)
    # Hà Nội exists on both days, as two rows linked by a succession.
    assert former("01").pk in before and current("01").pk in after
    assert len(after) == 127
    assert tay_ho.tay_ho.pk in set(selectors.units_valid_on().values_list("pk", flat=True))


def test_successions_of_the_former_wards(tay_ho: DemoUnits) -> None:
    preds = list(selectors.predecessors_of(tay_ho.tay_ho))
    assert sorted(link.old.name for link in preds) == sorted(
        [
            "Phường Bưởi",
            "Phường Nhật Tân",
            "Phường Quảng An",
            "Phường Tứ Liên",
            "Phường Yên Phụ",
            "Phường Thụy Khuê",
            "Phường Xuân La",
            "Phường Phú Thượng",
        ]
    )
    partial = {link.old.name: link.partial for link in preds}
    assert partial["Phường Bưởi"] is False
    assert all(partial[name] for name in partial if name != "Phường Bưởi")
    assert {link.legal_basis for link in preds} == {"Nghị quyết 1656/NQ-UBTVQH15"}
    assert {link.effective for link in preds} == {FIRST_NEW_DAY}

    to_phu_thuong = {link.old.name for link in selectors.predecessors_of(tay_ho.phu_thuong)}
    assert to_phu_thuong == {"Phường Phú Thượng", "Phường Xuân La"}

    xuan_la = former("00103")
    assert xuan_la.name == "Phường Xuân La"
    assert [link.new.name for link in selectors.successors_of(xuan_la)] == [
        "Phường Nghĩa Đô",
        "Phường Phú Thượng",
        "Phường Tây Hồ",
        "Phường Xuân Đỉnh",
    ]
    hanoi_links = list(selectors.successors_of(former("01")))
    assert [(link.new.pk, link.partial) for link in hanoi_links] == [(tay_ho.hanoi.pk, False)]


def test_history_reload_is_idempotent(tay_ho: DemoUnits) -> None:
    from congso.kernel.orgunits.demo import load_tay_ho_history

    history = load_tay_ho_history()
    counts = services.units_load_records(
        units=history.units,
        dataset=history.dataset,
        valid_to=history.valid_to,
        successions=history.successions,
    )
    assert (counts.created, counts.updated, counts.successions_created) == (0, 0, 0)
    assert counts.unchanged == 10


def test_committee_units(tay_ho: DemoUnits) -> None:
    assert not selectors.committee_units().exists()
    for unit in tay_ho.served:
        services.unit_update(unit=unit, is_served=True)
    assert list(selectors.committee_units()) == [tay_ho.phu_thuong, tay_ho.tay_ho]
    assert list(selectors.committee_units(on=FIRST_NEW_DAY)) == [tay_ho.phu_thuong, tay_ho.tay_ho]
    assert not selectors.committee_units(on=LAST_OLD_DAY).exists()


def test_units_page_walks_every_unit_once(tay_ho: DemoUnits) -> None:
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        page = selectors.units_page(cursor=cursor, limit=40)
        seen += [u.pk for u in page.items]
        pages += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert sorted(seen) == sorted(AdminUnit.objects.values_list("pk", flat=True))
    assert len(seen) == len(set(seen)) == 137
    assert pages == 4
