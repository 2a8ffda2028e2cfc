"""The demo site-clearance portfolio (no real personal data; names of people are invented).

The seed: in 2016–2020 the former Quận Tây Hồ carried out site clearance on **52 projects, 22 of
them completed** (Cầu Nhật Tân, ring road 2, Tây Hồ Tây new town, Văn Cao – Hồ Tây road …). The
demo rebuilds that portfolio in the two wards that took over its territory (each project in the
ward its point lies in), with households, their steps, amounts, obstacles and a few forced
measures, so that ``selectors.portfolio(both wards, 01/01/2016, 31/12/2020)`` gives 52 projects and
22 completed. Of the 30 others, 10 finished in 2021–2024, 2 are suspended and the rest are still
going. A few projects of 2025–2026 follow.

Rows are bulk-created (the steps obey the services' rules: order, dates, notice and posting
periods); project codes come from the numbering service. Idempotent: a project found by unit and
name is left as it is.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from congso.kernel.numbering.services import number_next
from congso.kernel.orgunits.models import AdminUnit
from congso.urban import geo
from congso.urban.clearance.demo_geo import PHU_THUONG_PLACES, TAY_HO_PLACES
from congso.urban.clearance.models import (
    STEP_DATE_FIELDS,
    AffectedParty,
    ClearanceEvent,
    ClearanceObstacle,
    ClearanceProject,
    EventKind,
    LandType,
    ObstacleReason,
    PartyKind,
    ProjectStatus,
    Step,
)

D = dt.date

# (name, investor, purpose, place) — place is a key of TAY_HO_PLACES or PHU_THUONG_PLACES.
PORTFOLIO_2016_2020: tuple[tuple[str, str, str, str], ...] = (
    (
        "Cầu Nhật Tân – đường dẫn và nút giao phía Nam cầu",
        "Sở Giao thông vận tải Hà Nội",
        "Giao thông",
        "Cầu Nhật Tân (chân cầu)",
    ),
    (
        "Đường vành đai 2, đoạn Nhật Tân – Phú Thượng (Võ Chí Công)",
        "Ban QLDA đầu tư xây dựng công trình giao thông Hà Nội",
        "Giao thông",
        "Vành đai 2 (Võ Chí Công)",
    ),
    (
        "Khu đô thị mới Tây Hồ Tây, hạ tầng kỹ thuật giai đoạn 1",
        "Công ty TNHH Phát triển THT",
        "Khu đô thị",
        "Tây Hồ Tây",
    ),
    (
        "Khu đô thị mới Tây Hồ Tây, khu công viên và hồ điều hòa",
        "Công ty TNHH Phát triển THT",
        "Công viên, hồ điều hòa",
        "Tây Hồ Tây",
    ),
    (
        "Đường Văn Cao – Hồ Tây",
        "Ban QLDA đầu tư xây dựng công trình giao thông Hà Nội",
        "Giao thông",
        "Đường Văn Cao – Hồ Tây",
    ),
    (
        "Đường ven hồ Tây, đoạn Quảng An – Nhật Tân",
        "Ban QLDA đầu tư xây dựng quận Tây Hồ",
        "Giao thông, cảnh quan",
        "Quảng An",
    ),
    (
        "Mở rộng đường Âu Cơ, đoạn Nhật Tân – Tứ Liên",
        "Ban QLDA đầu tư xây dựng quận Tây Hồ",
        "Giao thông",
        "Tứ Liên",
    ),
    (
        "Đường Lạc Long Quân kéo dài, đoạn Xuân La",
        "Ban QLDA đầu tư xây dựng quận Tây Hồ",
        "Giao thông",
        "Xuân La",
    ),
    (
        "Cải tạo đê Nghi Tàm kết hợp đường giao thông",
        "Sở Nông nghiệp và Phát triển nông thôn Hà Nội",
        "Đê điều",
        "Yên Phụ",
    ),
    ("Trường THCS Tứ Liên", "Ban QLDA đầu tư xây dựng quận Tây Hồ", "Giáo dục", "Tứ Liên"),
    ("Trường mầm non Phú Thượng", "Ban QLDA đầu tư xây dựng quận Tây Hồ", "Giáo dục", "Phú Thượng"),
    (
        "Trường tiểu học Xuân La (mở rộng)",
        "Ban QLDA đầu tư xây dựng quận Tây Hồ",
        "Giáo dục",
        "Xuân La",
    ),
    (
        "Vườn hoa, sân chơi tổ dân phố Tứ Liên",
        "UBND phường Tứ Liên",
        "Công trình công cộng",
        "Tứ Liên",
    ),
    ("Bãi đỗ xe tập trung Nhật Tân", "Công ty CP Đầu tư bãi đỗ xe Thủ đô", "Bãi đỗ xe", "Nhật Tân"),
    (
        "Đường quy hoạch 40 m Xuân La – Phú Thượng",
        "Ban QLDA đầu tư xây dựng quận Tây Hồ",
        "Giao thông",
        "Xuân La",
    ),
    (
        "Trạm biến áp 110 kV Tây Hồ và tuyến cáp ngầm",
        "Tổng công ty Điện lực TP Hà Nội",
        "Năng lượng",
        "Phú Thượng",
    ),
    (
        "Hạ tầng kỹ thuật làng hoa Nhật Tân",
        "Ban QLDA đầu tư xây dựng quận Tây Hồ",
        "Hạ tầng kỹ thuật",
        "Nhật Tân",
    ),
    (
        "Tuyến thoát nước và trạm bơm Phú Thượng",
        "Công ty TNHH MTV Thoát nước Hà Nội",
        "Thoát nước",
        "Phú Thượng",
    ),
    ("Nút giao Thanh Niên – Yên Phụ", "Sở Giao thông vận tải Hà Nội", "Giao thông", "Yên Phụ"),
    ("Kè hồ Tây, đoạn Tây Hồ Tây", "Ban QLDA đầu tư xây dựng quận Tây Hồ", "Kè hồ", "Tây Hồ Tây"),
    ("Trung tâm y tế quận Tây Hồ (mở rộng)", "Sở Y tế Hà Nội", "Y tế", "Yên Phụ"),
    (
        "Tuyến ống cấp nước sạch sông Đuống qua Tây Hồ",
        "Công ty CP Nước mặt sông Đuống",
        "Cấp nước",
        "Tứ Liên",
    ),
    ("Trụ sở Công an phường Phú Thượng", "Công an TP Hà Nội", "An ninh", "Phú Thượng"),
    (
        "Khu tái định cư Phú Thượng",
        "Ban QLDA đầu tư xây dựng quận Tây Hồ",
        "Tái định cư",
        "Phú Thượng",
    ),
    ("Nhà văn hóa tổ dân phố Quảng An", "UBND phường Quảng An", "Văn hóa", "Quảng An"),
    ("Mở rộng ngõ 52 Tô Ngọc Vân", "UBND phường Quảng An", "Giao thông", "Quảng An"),
    (
        "Đường Xuân Diệu nối Nghi Tàm",
        "Ban QLDA đầu tư xây dựng quận Tây Hồ",
        "Giao thông",
        "Quảng An",
    ),
    ("Công viên Hòa Bình mở rộng, phần phía Đông", "Sở Xây dựng Hà Nội", "Công viên", "Xuân La"),
    (
        "Đường An Dương Vương mở rộng",
        "Ban QLDA đầu tư xây dựng quận Tây Hồ",
        "Giao thông",
        "Phú Thượng",
    ),
    ("Trường THPT Tây Hồ (xây mới)", "Sở Giáo dục và Đào tạo Hà Nội", "Giáo dục", "Tây Hồ Tây"),
    ("Chợ dân sinh Nhật Tân", "UBND phường Nhật Tân", "Thương mại", "Nhật Tân"),
    ("Đường gom chân đê Tứ Liên", "Ban QLDA đầu tư xây dựng quận Tây Hồ", "Giao thông", "Tứ Liên"),
    (
        "Điểm tập kết rác thải Phú Thượng",
        "Công ty TNHH MTV Môi trường đô thị Hà Nội",
        "Môi trường",
        "Phú Thượng",
    ),
)

#: (name, investor, purpose, place, start, status) for 2025–2026.
RECENT: tuple[tuple[str, str, str, str, dt.date], ...] = (
    (
        "Cầu Tứ Liên – đường dẫn phía Tây Hồ",
        "Ban QLDA đầu tư xây dựng công trình giao thông Hà Nội",
        "Giao thông",
        "Tứ Liên",
        D(2025, 3, 20),
    ),
    (
        "Đường Nguyễn Hoàng Tôn mở rộng, đoạn Xuân La",
        "Ban QLDA đầu tư xây dựng khu vực phường",
        "Giao thông",
        "Xuân La",
        D(2025, 9, 15),
    ),
    (
        "Công viên Tây Hồ Tây, giai đoạn 2",
        "Công ty TNHH Phát triển THT",
        "Công viên",
        "Tây Hồ Tây",
        D(2025, 11, 3),
    ),
    (
        "Trường tiểu học Nhật Tân (mở rộng)",
        "Ban QLDA đầu tư xây dựng khu vực phường",
        "Giáo dục",
        "Nhật Tân",
        D(2026, 1, 12),
    ),
    (
        "Cải tạo ngõ 31 Xuân Diệu và hạ ngầm lưới điện",
        "UBND phường Tây Hồ",
        "Giao thông, hạ tầng",
        "Quảng An",
        D(2026, 3, 2),
    ),
)

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý")
MIDDLE_M = ("Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân")
MIDDLE_F = ("Thị", "Thu", "Thanh", "Ngọc")
GIVEN_M = ("Hùng", "Dũng", "Tuấn", "Sơn", "Long", "Hải", "Bình", "Thắng", "Quý", "Khánh")
GIVEN_F = ("Hoa", "Lan", "Hương", "Mai", "Hạnh", "Nga", "Thủy", "Yến", "Loan", "Dung")
ORGS = (
    "Công ty TNHH Thương mại Hồng Hà",
    "Hợp tác xã Nông nghiệp Nhật Tân",
    "Công ty CP Vật liệu xây dựng Tây Hồ",
    "Hợp tác xã Dịch vụ Phú Thượng",
    "Công ty TNHH Cảnh quan Quảng An",
)
STREETS = {
    "Quảng An": "Tổ dân phố số 3, Quảng An",
    "Nhật Tân": "Tổ dân phố số 7, Nhật Tân",
    "Tứ Liên": "Tổ dân phố số 11, Tứ Liên",
    "Yên Phụ": "Tổ dân phố số 2, Yên Phụ",
    "Phú Thượng": "Tổ dân phố số 5, Phú Thượng",
    "Xuân La": "Tổ dân phố số 9, Xuân La",
}


@dataclass
class Plan:
    """How far one demo project got."""

    name: str
    investor: str
    purpose: str
    place: str
    start: dt.date
    kind: str  # "done_in_period", "done_later", "going", "suspended", "recent"
    done_by: dt.date | None = None


def _plans(rng: random.Random) -> list[Plan]:
    names = list(PORTFOLIO_2016_2020)
    # 52 = the named list plus numbered alley-widening and residential-group works.
    extra_places = ["Quảng An", "Nhật Tân", "Tứ Liên", "Yên Phụ", "Phú Thượng", "Xuân La"]
    n = 0
    while len(names) < 52:
        n += 1
        place = extra_places[n % len(extra_places)]
        names.append(
            (
                f"Mở rộng ngõ {10 + 7 * n} và hạ tầng tổ dân phố {place}",
                "Ban QLDA đầu tư xây dựng quận Tây Hồ",
                "Giao thông, hạ tầng",
                place,
            )
        )
    kinds = ["done_in_period"] * 22 + ["done_later"] * 10 + ["suspended"] * 2 + ["going"] * 18
    plans: list[Plan] = []
    for i, ((name, investor, purpose, place), kind) in enumerate(zip(names, kinds, strict=True)):
        if kind == "done_in_period":
            start = D(2016, 1, 4) + dt.timedelta(days=(i * 37) % 900)  # 2016 – mid 2018
        else:
            start = D(2017, 6, 1) + dt.timedelta(days=(i * 53) % 1250)  # mid 2017 – 2020
        plans.append(Plan(name, investor, purpose, place, start, kind))
    for name, investor, purpose, place, start in RECENT:
        plans.append(Plan(name, investor, purpose, place, start, "recent"))
    return plans


def _person(rng: random.Random) -> str:
    if rng.random() < 0.55:
        return f"Hộ ông {rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"
    return f"Hộ bà {rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"


def _point(rng: random.Random, place: str, unit: AdminUnit) -> tuple[Decimal, Decimal]:
    base = TAY_HO_PLACES.get(place) or PHU_THUONG_PLACES[place]
    for _ in range(50):
        lat = base[0] + rng.uniform(-0.004, 0.004)
        lon = base[1] + rng.uniform(-0.004, 0.004)
        if geo.unit_contains(unit, lat, lon):
            return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")
    return Decimal(f"{base[0]:.6f}"), Decimal(f"{base[1]:.6f}")


def _days(rng: random.Random, lo: int, hi: int) -> dt.timedelta:
    return dt.timedelta(days=rng.randint(lo, hi))


def _chain(
    rng: random.Random, start: dt.date, land: str, *, handover_delay: int = 0
) -> dict[int, dt.date]:
    """Dates of every step that obey the services' rules (order, 30-day posting, notice)."""
    notice_wait = 90 if land == LandType.AGRICULTURAL else 180
    d: dict[int, dt.date] = {}
    d[Step.NOTIFIED] = start + _days(rng, 10, 60)
    d[Step.INVENTORIED] = d[Step.NOTIFIED] + _days(rng, 15, 60)
    d[Step.PLAN_DRAFTED] = d[Step.INVENTORIED] + _days(rng, 20, 60)
    d[Step.PLAN_POSTED] = d[Step.PLAN_DRAFTED] + _days(rng, 3, 10)
    d[Step.PLAN_APPROVED] = d[Step.PLAN_POSTED] + _days(rng, 30, 50)
    d[Step.DECIDED] = max(
        d[Step.PLAN_APPROVED], d[Step.NOTIFIED] + dt.timedelta(days=notice_wait)
    ) + _days(rng, 0, 10)
    d[Step.PAID] = d[Step.DECIDED] + _days(rng, 5, 35)
    d[Step.HANDED_OVER] = d[Step.PAID] + _days(rng, 5, 40) + dt.timedelta(days=handover_delay)
    return d


@dataclass
class Built:
    projects: int = 0
    parties: int = 0
    skipped: int = 0


def load_portfolio(tay_ho: AdminUnit, phu_thuong: AdminUnit, today: dt.date) -> Built:
    rng = random.Random(20162020)  # noqa: S311 - demo data
    built = Built()
    existing = set(
        ClearanceProject.objects.filter(unit__in=[tay_ho, phu_thuong]).values_list(
            "unit_id", "name"
        )
    )
    parties: list[AffectedParty] = []
    events: list[tuple[ClearanceProject, int, dict[str, Any]]] = []  # party index → event
    obstacles: list[tuple[int, dict[str, Any]]] = []
    project_events: list[ClearanceEvent] = []
    for plan in _plans(rng):
        unit = phu_thuong if plan.place in PHU_THUONG_PLACES else tay_ho
        if (unit.pk, plan.name) in existing:
            built.skipped += 1
            continue
        lat, lon = _point(rng, plan.place, unit)
        year = plan.start.year
        number = number_next(scope=f"urban_clearance:{unit.pk}", series="project", year=year)
        project = ClearanceProject.objects.create(
            unit=unit,
            code=f"GPMB-{year}-{number:03d}",
            name=plan.name,
            investor=plan.investor,
            purpose=plan.purpose,
            address=f"{plan.place}, {unit.name}",
            lat=lat,
            lon=lon,
            start_date=plan.start,
            target_date=plan.start + dt.timedelta(days=rng.choice((365, 540, 730))),
            status=ProjectStatus.PLANNING,
        )
        built.projects += 1
        project_events.append(
            ClearanceEvent(project=project, kind=EventKind.PROJECT_CREATED, on=plan.start)
        )
        n_parties = rng.randint(3, 9) if plan.kind == "recent" else rng.randint(6, 24)
        area_total = Decimal(0)
        last_handover: dt.date | None = None
        any_step = False
        for k in range(1, n_parties + 1):
            organisation = rng.random() < 0.08
            land = LandType.AGRICULTURAL if rng.random() < 0.3 else LandType.NON_AGRICULTURAL
            area = Decimal(rng.randint(600, 4000) if organisation else rng.randint(25, 320))
            area_total += area
            price = rng.uniform(0.25, 0.6) if land == LandType.AGRICULTURAL else rng.uniform(35, 85)
            amount = Decimal(int(area * Decimal(f"{price:.3f}") * 1_000_000) // 1000 * 1000)
            party = AffectedParty(
                project=project,
                code=f"H{k:03d}",
                kind=PartyKind.ORGANISATION if organisation else PartyKind.HOUSEHOLD,
                name=rng.choice(ORGS) if organisation else _person(rng),
                address=STREETS.get(plan.place, f"Khu vực {plan.place}"),
                parcel=f"Tờ {rng.randint(1, 40)}, thửa {rng.randint(1, 300)}",
                land_type=land,
                area_m2=area,
            )
            # How far this party goes.
            delay = 0
            if plan.kind == "done_later":
                delay = rng.randint(0, 60) if k > 1 else 0
            dates = _chain(rng, plan.start, land, handover_delay=delay)
            if plan.kind == "done_later" and k == 1:
                # The last holdout: handed over in 2021–2024 after a long obstacle.
                dates[Step.HANDED_OVER] = max(
                    dates[Step.HANDED_OVER] + dt.timedelta(days=30),
                    D(2021, 3, 1) + dt.timedelta(days=(built.projects * 97) % 1200),
                )
            if plan.kind in ("done_in_period", "done_later"):
                target = Step.HANDED_OVER
            elif plan.kind == "suspended":
                target = rng.choice((Step.INVENTORIED, Step.PLAN_DRAFTED, Step.PLAN_POSTED))
            else:
                target = rng.choices(
                    list(Step), weights=(1, 2, 2, 2, 1, 2, 2, 3, 6 if plan.kind == "going" else 0)
                )[0]
            reached = Step.LISTED
            for step in range(1, target + 1):
                if dates[step] > today:
                    break
                reached = Step(step)
            party.step = reached
            for step in range(1, reached + 1):
                setattr(party, STEP_DATE_FIELDS[step], dates[step])
            if reached >= Step.PLAN_DRAFTED:
                party.plan_amount = amount
            if reached >= Step.PLAN_APPROVED:
                party.approved_amount = amount
            if reached >= Step.DECIDED:
                party.decision_number = f"{rng.randint(100, 999)}/QĐ-UBND"
            if reached >= Step.PAID:
                party.paid_amount = amount
            # Obstacles and forced measures.
            holdout = plan.kind == "done_later" and k == 1
            if reached == Step.HANDED_OVER and (holdout or rng.random() < 0.04):
                party.forced_recovery = True
                opened = dates[Step.DECIDED]
                obstacles.append(
                    (
                        len(parties),
                        {
                            "reason": ObstacleReason.PRICE,
                            "description": "Chưa đồng ý đơn giá bồi thường về đất.",
                            "opened_on": opened,
                            "resolved_on": dates[Step.HANDED_OVER],
                            "resolution": "Cưỡng chế thu hồi đất",
                        },
                    )
                )
            if reached >= Step.INVENTORIED and rng.random() < 0.03:
                party.forced_inventory = True
            if reached < Step.HANDED_OVER and reached >= Step.NOTIFIED and rng.random() < 0.25:
                reason = rng.choice(
                    (
                        ObstacleReason.PRICE,
                        ObstacleReason.LAND_ORIGIN,
                        ObstacleReason.RESETTLEMENT,
                        ObstacleReason.DISPUTE,
                    )
                )
                obstacles.append(
                    (
                        len(parties),
                        {
                            "reason": reason,
                            "description": "",
                            "opened_on": getattr(party, STEP_DATE_FIELDS[reached]),
                            "resolved_on": None,
                            "resolution": "",
                        },
                    )
                )
            for step in range(1, reached + 1):
                kind = EventKind.STEP
                if step == Step.INVENTORIED and party.forced_inventory:
                    kind = EventKind.FORCED_INVENTORY
                if step == Step.HANDED_OVER and party.forced_recovery:
                    kind = EventKind.FORCED_RECOVERY
                amounts: dict[int, Decimal | None] = {
                    Step.PLAN_DRAFTED: party.plan_amount,
                    Step.PLAN_APPROVED: party.approved_amount,
                    Step.PAID: party.paid_amount,
                }
                value = amounts.get(step)
                events.append(
                    (
                        project,
                        len(parties),
                        {"kind": kind, "step": step, "on": dates[step], "amount": value},
                    )
                )
            any_step = any_step or reached >= Step.NOTIFIED
            if reached == Step.HANDED_OVER:
                handed = dates[Step.HANDED_OVER]
                last_handover = max(last_handover, handed) if last_handover else handed
            parties.append(party)
        project.area_m2 = (area_total * Decimal(rng.uniform(1.0, 1.3))).quantize(Decimal("0.01"))
        if plan.kind in ("done_in_period", "done_later") and last_handover is not None:
            project.status = ProjectStatus.COMPLETED
            project.completed_on = last_handover + _days(rng, 5, 25)
            project_events.append(
                ClearanceEvent(
                    project=project,
                    kind=EventKind.PROJECT_STATUS,
                    on=project.completed_on,
                    note="Hoàn thành GPMB",
                )
            )
        elif plan.kind == "suspended":
            project.status = ProjectStatus.SUSPENDED
            project.status_note = "Tạm dừng chờ điều chỉnh quy hoạch chi tiết."
        elif any_step:
            project.status = ProjectStatus.IN_PROGRESS
        project.save(
            update_fields=["area_m2", "status", "completed_on", "status_note", "updated_at"]
        )
    created = AffectedParty.objects.bulk_create(parties, batch_size=500)
    built.parties = len(created)
    ClearanceObstacle.objects.bulk_create(
        [ClearanceObstacle(party=created[i], **fields) for i, fields in obstacles], batch_size=500
    )
    ClearanceEvent.objects.bulk_create(
        project_events
        + [ClearanceEvent(project=p, party=created[i], **fields) for p, i, fields in events],
        batch_size=1000,
    )
    return built
