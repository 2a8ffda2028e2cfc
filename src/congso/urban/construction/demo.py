"""Demo data of construction order (``manage.py demo``; invented owners and addresses).

About 150 works in Phường Tây Hồ and Phường Phú Thượng, with coordinates inside the wards' demo
boundaries (``congso.urban.geo``, loaded at order 25; without a boundary, points around
21.06–21.08 N, 105.81–105.83 E), inspections (most works inspected this month, so the control
rate is high but not 100%), violations in every state, some overdue, and the seed's case:
warehouses built on public land along the shore road (encroachment) with a clearing deadline.

Rows are bulk-created (the loader takes well under a second); the numbering counters are raised
so that the next record or work number continues after the demo's. Idempotent: a ward that
already has demo works (``source_ref="demo"``) is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from congso.kernel.calendar.services import add_working_days
from congso.kernel.core.demo import DemoContext, register
from congso.kernel.numbering.services import number_raise_to
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import User
from congso.urban.construction.models import (
    Inspection,
    InspectionResult,
    InspectionStatus,
    OwnerKind,
    PermitStatus,
    TimelineEntry,
    Violation,
    ViolationCategory,
    ViolationStatus,
    Work,
    WorkStatus,
)
from congso.urban.construction.services import (
    SERIES_RECORD,
    SERIES_STOP,
    SERIES_WORK,
    category_deadline,
    remedy_deadline,
    work_flags_refresh,
)

DEMO_REF = "demo"
STREETS = {
    "tay_ho": [
        "Âu Cơ",
        "Đặng Thai Mai",
        "Tô Ngọc Vân",
        "Quảng An",
        "Xuân Diệu",
        "Nhật Chiêu",
        "Từ Hoa",
        "Yên Phụ",
    ],
    "phu_thuong": [
        "An Dương Vương",
        "Phú Thượng",
        "Phú Gia",
        "Võ Chí Công",
        "Đường ven đê",
        "Phú Xá",
    ],
}
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
GIVEN = [
    "Văn An",
    "Thị Bình",
    "Minh Châu",
    "Quốc Dũng",
    "Thu Hà",
    "Đức Hải",
    "Thị Lan",
    "Văn Long",
    "Ngọc Mai",
    "Hữu Nam",
]
COMPANIES = [
    "Công ty TNHH Xây dựng Hồ Tây (mẫu)",
    "Công ty CP Đầu tư Phú Thượng (mẫu)",
    "Công ty TNHH Thương mại Ven Hồ (mẫu)",
]


def _points(unit: AdminUnit, rng: random.Random, n: int) -> list[tuple[float, float]]:
    from congso.urban import geo

    boundary = unit.boundary
    if boundary:
        min_lat, min_lon, max_lat, max_lon = geo.unit_bbox(unit)
    else:
        min_lat, min_lon, max_lat, max_lon = 21.06, 105.81, 21.08, 105.83
    out: list[tuple[float, float]] = []
    tries = 0
    while len(out) < n and tries < n * 200:
        tries += 1
        lat = round(rng.uniform(min_lat, max_lat), 6)
        lon = round(rng.uniform(min_lon, max_lon), 6)
        if not boundary or geo.point_in_geometry(lat, lon, boundary):
            out.append((lat, lon))
    return out


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _load_unit(ctx: DemoContext, unit: AdminUnit, slug: str, count: int, seed: int) -> int:
    if Work.objects.filter(unit=unit, source_ref=DEMO_REF).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - demo data
    today = ctx.today
    inspector = _user(f"thanhtra.{slug.replace('_', '')}")
    leader = _user(f"phochutich.{slug.replace('_', '')}") or _user(
        f"chutich.{slug.replace('_', '')}"
    )
    points = _points(unit, rng, count)
    now = timezone.now()
    year = today.year
    works: list[Work] = []
    for i, (lat, lon) in enumerate(points, start=1):
        street = rng.choice(STREETS[slug])
        organisation = rng.random() < 0.15
        permit = rng.choices(
            [PermitStatus.LICENSED, PermitStatus.EXEMPT, PermitStatus.NONE, PermitStatus.UNKNOWN],
            [70, 12, 12, 6],
        )[0]
        created = now - dt.timedelta(days=rng.randint(0, 200), hours=rng.randint(0, 20))
        status = rng.choices(
            [WorkStatus.STARTED, WorkStatus.UNDER_CONSTRUCTION, WorkStatus.COMPLETED], [15, 75, 10]
        )[0]
        started = (created - dt.timedelta(days=rng.randint(0, 10))).date()
        floors = rng.randint(3, 7)
        works.append(
            Work(
                unit=unit,
                code=f"CT-{year}-{i:04d}",
                name="" if not organisation else f"Tòa nhà văn phòng {street}",
                address=f"Số {rng.randint(1, 199)} ngõ {rng.randint(1, 80)} {street}, {unit.name}",
                lat=lat,
                lon=lon,
                owner_kind=OwnerKind.ORGANISATION if organisation else OwnerKind.PERSON,
                owner_name=rng.choice(COMPANIES)
                if organisation
                else f"Ông/bà {rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
                owner_contact=f"09{rng.randint(10000000, 99999999)} (số mẫu)",
                description=f"Nhà ở riêng lẻ {floors} tầng"
                if not organisation
                else "Công trình văn phòng, thương mại",
                permit_status=permit,
                permit_number=f"{rng.randint(10, 999)}/GPXD"
                if permit == PermitStatus.LICENSED
                else "",
                permit_date=(created - dt.timedelta(days=rng.randint(20, 90))).date()
                if permit == PermitStatus.LICENSED
                else None,
                permit_issuer=f"UBND {unit.name.lower()}"
                if permit == PermitStatus.LICENSED
                else "",
                permit_floors=floors if permit == PermitStatus.LICENSED else None,
                permit_floor_area=Decimal(rng.randint(150, 600))
                if permit == PermitStatus.LICENSED
                else None,
                exempt_reason="Sửa chữa, cải tạo bên trong không làm thay đổi kết cấu chịu lực"
                if permit == PermitStatus.EXEMPT
                else "",
                status=status,
                started_on=started,
                completed_on=today - dt.timedelta(days=rng.randint(0, 20))
                if status == WorkStatus.COMPLETED
                else None,
                source_ref=DEMO_REF,
                created_by=inspector,
                created_at=created,
                updated_at=created,
            )
        )
    # The seed's case: warehouses on public land along the shore, told to clear by a deadline.
    lat, lon = points[0] if points else (21.07, 105.82)
    warehouse = Work(
        unit=unit,
        code=f"CT-{year}-{len(works) + 1:04d}",
        name="Dãy nhà kho tạm trên đất công",
        address=f"Bãi đất công ven đường {STREETS[slug][0]}, {unit.name}",
        lat=lat,
        lon=lon,
        owner_kind=OwnerKind.PERSON,
        owner_name="Các hộ kinh doanh vật liệu xây dựng (mẫu)",
        description=(
            "Khoảng 600 m² nhà kho khung thép, mái tôn dựng trên đất công và hành lang đường."
        ),
        permit_status=PermitStatus.NONE,
        status=WorkStatus.UNDER_CONSTRUCTION,
        started_on=today - dt.timedelta(days=60),
        source_ref=DEMO_REF,
        created_by=inspector,
        created_at=now - dt.timedelta(days=45),
        updated_at=now - dt.timedelta(days=45),
    )
    works.append(warehouse)
    Work.objects.bulk_create(works, batch_size=500)
    works = list(Work.objects.filter(unit=unit, source_ref=DEMO_REF).order_by("code"))
    number_raise_to(scope=f"unit:{unit.pk}", series=SERIES_WORK, year=year, at_least=len(works))

    inspections: list[Inspection] = []
    timeline: list[TimelineEntry] = []
    month_start = today.replace(day=1)
    for work in works:
        timeline.append(
            TimelineEntry(
                work=work,
                kind="register",
                day=work.created_at.date(),
                text="Đăng ký công trình vào sổ theo dõi.",
                actor=inspector,
            )
        )
        visits = rng.choices([0, 1, 2], [8, 62, 30])[0]
        for _ in range(visits):
            span = max(0, (today - max(month_start, work.created_at.date())).days)
            day = today - dt.timedelta(days=rng.randint(0, span)) if span else today
            inspections.append(
                Inspection(
                    work=work,
                    unit=unit,
                    status=InspectionStatus.DONE,
                    inspected_on=day,
                    inspector=inspector,
                    findings="Công trình thi công đúng giấy phép, có che chắn."
                    if work.permit_status == PermitStatus.LICENSED
                    else "Kiểm tra hiện trạng, nhắc nhở chủ đầu tư.",
                    result=InspectionResult.COMPLIANT,
                    created_by=inspector,
                )
            )
            timeline.append(
                TimelineEntry(
                    work=work,
                    kind="inspection",
                    day=day,
                    text="Kiểm tra: Đúng quy định.",
                    actor=inspector,
                )
            )
    # A planned inspection from a citizen's report.
    inspections.append(
        Inspection(
            work=works[1],
            unit=unit,
            status=InspectionStatus.PLANNED,
            planned_on=add_working_days(today, 1),
            findings="Phản ánh: xây dựng ban đêm, vật liệu tràn ra ngõ.",
            source_ref="demo-phan-anh",
            created_by=inspector,
        )
    )
    Inspection.objects.bulk_create(inspections, batch_size=1000)

    # Violations in every state; (work index, category, status, days since the record).
    plan: list[tuple[int, str, str, int]] = [
        (2, ViolationCategory.NO_PERMIT, ViolationStatus.STOP_ORDERED, 10),
        (3, ViolationCategory.NO_PERMIT, ViolationStatus.STOP_ORDERED, 75),  # overdue
        (4, ViolationCategory.AGAINST_PERMIT, ViolationStatus.SANCTIONED, 40),
        (5, ViolationCategory.AGAINST_PERMIT, ViolationStatus.SANCTIONED, 90),  # overdue
        (6, ViolationCategory.AGAINST_PLAN, ViolationStatus.DISMANTLED, 50),
        (7, ViolationCategory.ENCROACHMENT, ViolationStatus.ENFORCED, 70),
        (8, ViolationCategory.SITE_NOT_SCREENED, ViolationStatus.CLOSED, 20),
        (9, ViolationCategory.PERMIT_NOT_DISPLAYED, ViolationStatus.RECORDED, 2),
        (10, ViolationCategory.SITE_NOT_SCREENED, ViolationStatus.RECORDED, 30),  # overdue
        (11, ViolationCategory.CONTINUING, ViolationStatus.SANCTIONED, 25),
        (12, ViolationCategory.REPEAT, ViolationStatus.CLOSED, 120),
        (13, ViolationCategory.AGAINST_PERMIT, ViolationStatus.CLOSED, 100),
        (14, ViolationCategory.ENCROACHMENT, ViolationStatus.STOP_ORDERED, 40),  # overdue
        (
            len(works) - 1,
            ViolationCategory.ENCROACHMENT,
            ViolationStatus.STOP_ORDERED,
            12,
        ),  # the warehouses
    ]
    violations: list[Violation] = []
    record_no: dict[int, int] = {}
    stop_no: dict[int, int] = {}
    for index, category, v_status, ago in plan:
        state = ViolationStatus(v_status)
        if index >= len(works):
            continue
        work = works[index]
        day = today - dt.timedelta(days=ago)
        days, kind = category_deadline(category)
        deadline = remedy_deadline(day, days, kind)
        record_no[day.year] = record_no.get(day.year, 0) + 1
        stopped = state != ViolationStatus.RECORDED
        if stopped:
            stop_no[day.year] = stop_no.get(day.year, 0) + 1
        sanctioned = state in (
            ViolationStatus.SANCTIONED,
            ViolationStatus.DISMANTLED,
            ViolationStatus.ENFORCED,
        ) or (state == ViolationStatus.CLOSED and ago > 60)
        step = min(ago, 5)
        description = (
            "Dựng nhà kho khung thép, mái tôn trên đất công ven đường, "
            "lấn chiếm hành lang giao thông. "
            "Yêu cầu tự tháo dỡ, trả lại mặt bằng trong thời hạn."
            if index == len(works) - 1
            else f"{ViolationCategory(category).label}; phát hiện khi kiểm tra định kỳ."
        )
        violations.append(
            Violation(
                work=work,
                unit=unit,
                category=category,
                description=description,
                status=state,
                record_number=record_no[day.year],
                record_year=day.year,
                record_date=day,
                recorded_by=inspector,
                remedy_deadline=deadline,
                stop_order_number=stop_no[day.year] if stopped else None,
                stop_order_date=day if stopped else None,
                sanction_number=f"{rng.randint(10, 300)}/QĐ-XPHC" if sanctioned else "",
                sanction_date=day + dt.timedelta(days=step) if sanctioned else None,
                fine_amount=Decimal(rng.choice([15, 30, 40, 60, 80])) * 1_000_000
                if sanctioned
                else Decimal(0),
                fine_paid=state == ViolationStatus.CLOSED and sanctioned,
                dismantling_required=state
                in (ViolationStatus.DISMANTLED, ViolationStatus.ENFORCED),
                dismantled_on=day + dt.timedelta(days=step)
                if state == ViolationStatus.DISMANTLED
                else None,
                enforced_on=day + dt.timedelta(days=step)
                if state == ViolationStatus.ENFORCED
                else None,
                enforcement_measures="Ngừng cung cấp điện, nước; cưỡng chế tháo dỡ phần lấn chiếm."
                if state == ViolationStatus.ENFORCED
                else "",
                closed_on=day + dt.timedelta(days=step)
                if state == ViolationStatus.CLOSED
                else None,
                closure_note="Chủ đầu tư đã khắc phục, đã nộp phạt."
                if state == ViolationStatus.CLOSED
                else "",
                created_at=now,
                updated_at=now,
            )
        )
    Violation.objects.bulk_create(violations)
    stopped_ids = []
    for violation in Violation.objects.filter(unit=unit, work__source_ref=DEMO_REF).select_related(
        "work"
    ):
        timeline.append(
            TimelineEntry(
                work=violation.work,
                violation=violation,
                kind="violation_record",
                day=violation.record_date,
                text=f"Lập biên bản {violation.record_label}: {violation.get_category_display()}.",
                actor=inspector,
            )
        )
        if violation.stop_order_number:
            timeline.append(
                TimelineEntry(
                    work=violation.work,
                    violation=violation,
                    kind="violation_stop",
                    day=violation.record_date,
                    text=f"Đình chỉ thi công (quyết định {violation.stop_order_label}).",
                    actor=leader,
                )
            )
            if violation.status != ViolationStatus.CLOSED:
                stopped_ids.append(violation.work_id)
        if violation.closed_on:
            timeline.append(
                TimelineEntry(
                    work=violation.work,
                    violation=violation,
                    kind="violation_close",
                    day=violation.closed_on,
                    text=f"Kết thúc xử lý: {violation.closure_note}",
                    actor=inspector,
                )
            )
    TimelineEntry.objects.bulk_create(timeline, batch_size=1000)
    Work.objects.filter(pk__in=stopped_ids).update(status=WorkStatus.STOPPED)
    work_flags_refresh([w.pk for w in works])
    for y, n in record_no.items():
        number_raise_to(scope=f"unit:{unit.pk}", series=SERIES_RECORD, year=y, at_least=n)
    for y, n in stop_no.items():
        number_raise_to(scope=f"unit:{unit.pk}", series=SERIES_STOP, year=y, at_least=n)
    return len(works)


@register("urban.construction", order=75)
def load(ctx: DemoContext) -> None:
    from congso.kernel.orgunits.demo import demo_units

    units = demo_units()
    started = timezone.now()
    made = _load_unit(ctx, units.tay_ho, "tay_ho", 90, seed=2026)
    made += _load_unit(ctx, units.phu_thuong, "phu_thuong", 60, seed=2027)
    seconds = (timezone.now() - started).total_seconds()
    ctx.log(f"{made} công trình, kiểm tra và vi phạm trật tự xây dựng mẫu ({seconds:.1f} s)")
