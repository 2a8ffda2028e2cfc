"""Demo data of urban management owned by the clearance app (``manage.py demo``).

- ``urban.geo`` (order 25, before the other urban loaders): the approximate demo boundaries of
  Phường Tây Hồ and Phường Phú Thượng (``demo_geo``; not official survey data).
- ``urban.clearance`` (order 62): the site-clearance portfolio (see ``demo_clearance``).
"""

from __future__ import annotations

from congso.kernel.core.demo import DemoContext, register
from congso.kernel.orgunits.demo import demo_units
from congso.urban.clearance.demo_geo import APPROXIMATE_NOTE, PHU_THUONG_BOUNDARY, TAY_HO_BOUNDARY
from congso.urban.geo import unit_set_boundary


@register("urban.geo", order=25)
def load_boundaries(ctx: DemoContext) -> None:
    units = demo_units()
    pairs = ((units.tay_ho, TAY_HO_BOUNDARY), (units.phu_thuong, PHU_THUONG_BOUNDARY))
    for unit, boundary in pairs:
        changed = unit_set_boundary(unit=unit, geometry=boundary, note="dữ liệu minh hoạ")
        ctx.log(f"{unit.name}: {'đặt' if changed else 'đã có'} ranh giới. {APPROXIMATE_NOTE}")


@register("urban.clearance", order=62)
def load_clearance(ctx: DemoContext) -> None:
    import time

    from congso.urban.clearance.demo_clearance import load_portfolio

    started = time.monotonic()
    units = demo_units()
    built = load_portfolio(units.tay_ho, units.phu_thuong, ctx.today)
    ctx.log(
        f"Giải phóng mặt bằng: {built.projects} dự án, {built.parties} hộ/tổ chức mới "
        f"({built.skipped} dự án đã có), {time.monotonic() - started:.1f} giây."
    )
