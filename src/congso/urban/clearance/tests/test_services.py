"""Clearance workflow: steps in order only, dates, periods, amounts, forced measures, statuses,
figures, XLSX import (all or nothing), permissions."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from congso.kernel.audit.models import AuditEvent
from congso.kernel.errors import DomainError, PermissionDenied
from congso.kernel.people.models import User
from congso.urban.clearance import selectors, services
from congso.urban.clearance.demo_geo import OUTSIDE_POINT, PHU_THUONG_PLACES
from congso.urban.clearance.models import (
    AffectedParty,
    ClearanceEvent,
    ClearanceProject,
    LandType,
    ObstacleReason,
    ProjectStatus,
    Step,
)

D = dt.date

#: A valid walk for non-agricultural land (notice 180 days before the decision).
WALK: list[tuple[int, dt.date, Any]] = [
    (Step.NOTIFIED, D(2024, 2, 1), None),
    (Step.INVENTORIED, D(2024, 3, 1), None),
    (Step.PLAN_DRAFTED, D(2024, 4, 1), "1.500.000.000"),
    (Step.PLAN_POSTED, D(2024, 4, 5), None),
    (Step.PLAN_APPROVED, D(2024, 5, 6), None),
    (Step.DECIDED, D(2024, 7, 30), None),
    (Step.PAID, D(2024, 8, 15), Decimal("1500000000")),
    (Step.HANDED_OVER, D(2024, 9, 1), None),
]


def walk(
    party: AffectedParty, specialist: User, leader: User, upto: int = Step.HANDED_OVER
) -> AffectedParty:
    for step, on, amount in WALK:
        if step > upto:
            break
        actor = leader if step in (Step.PLAN_APPROVED, Step.DECIDED) else specialist
        party = services.party_advance(party=party, step=step, on=on, actor=actor, amount=amount)
    return party


def test_project_create_numbered_located_audited(project: ClearanceProject) -> None:
    assert project.code == "GPMB-2024-001"
    assert project.area_m2 == Decimal("1250.50")
    assert project.status == ProjectStatus.PLANNING
    assert AuditEvent.objects.filter(action="clearance.project_create").count() == 1
    assert project.events.filter(kind="project_created").exists()


def test_project_location_must_be_in_ward(wards: Any, specialist: User) -> None:
    for lat, lon in (OUTSIDE_POINT, PHU_THUONG_PLACES["Xuân La"]):
        with pytest.raises(DomainError) as info:
            services.project_create(
                unit=wards[0],
                actor=specialist,
                data=services.ProjectData(name="X", start_date=D(2024, 1, 1), lat=lat, lon=lon),
            )
        assert info.value.code == "location_outside_ward"
    assert not ClearanceProject.objects.exists()
    with pytest.raises(DomainError) as info:
        services.project_create(
            unit=wards[0],
            actor=specialist,
            data=services.ProjectData(
                name="X", start_date=D(2024, 1, 1), target_date=D(2023, 1, 1)
            ),
        )
    assert info.value.code == "target_before_start"


def test_full_walk(
    project: ClearanceProject,
    add_party: Callable[..., AffectedParty],
    specialist: User,
    leader: User,
) -> None:
    party = walk(add_party(), specialist, leader)
    assert party.step == Step.HANDED_OVER
    assert party.plan_amount == Decimal("1500000000")
    assert party.approved_amount == Decimal("1500000000")
    assert party.paid_amount == Decimal("1500000000")
    project.refresh_from_db()
    assert project.status == ProjectStatus.IN_PROGRESS  # started by the first notice
    assert ClearanceEvent.objects.filter(project=project, kind="step").count() == 8
    assert AuditEvent.objects.filter(action="clearance.party_step").count() == 8
    services.project_set_status(
        project=project, status=ProjectStatus.COMPLETED, actor=leader, on=D(2024, 9, 2)
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.COMPLETED and project.completed_on == D(2024, 9, 2)
    # A completed project takes no more steps.
    with pytest.raises(DomainError) as info:
        add_party()
    assert info.value.code == "project_not_active"


def test_steps_only_in_order(add_party: Callable[..., AffectedParty], specialist: User) -> None:
    party = add_party()
    with pytest.raises(DomainError) as info:
        services.party_advance(
            party=party, step=Step.INVENTORIED, on=D(2024, 2, 1), actor=specialist
        )
    assert info.value.code == "step_out_of_order"
    party = services.party_advance(
        party=party, step=Step.NOTIFIED, on=D(2024, 2, 1), actor=specialist
    )
    with pytest.raises(DomainError) as info:  # the same step twice
        services.party_advance(party=party, step=Step.NOTIFIED, on=D(2024, 2, 2), actor=specialist)
    assert info.value.code == "step_out_of_order"
    with pytest.raises(DomainError) as info:  # before the previous step's date
        services.party_advance(
            party=party, step=Step.INVENTORIED, on=D(2024, 1, 31), actor=specialist
        )
    assert info.value.code == "date_before_previous_step"
    with pytest.raises(DomainError) as info:
        services.party_advance(
            party=party,
            step=Step.INVENTORIED,
            on=dt.date.today() + dt.timedelta(days=2),
            actor=specialist,
        )
    assert info.value.code == "date_in_future"
    party.refresh_from_db()
    assert party.step == Step.NOTIFIED and party.inventoried_on is None


def test_periods_and_amounts(
    add_party: Callable[..., AffectedParty], specialist: User, leader: User
) -> None:
    party = walk(add_party(), specialist, leader, upto=Step.PLAN_POSTED)
    with pytest.raises(DomainError) as info:  # posted 05/04: approval from 05/05
        services.party_advance(party=party, step=Step.PLAN_APPROVED, on=D(2024, 5, 4), actor=leader)
    assert info.value.code == "posting_period_not_elapsed"
    party = services.party_advance(
        party=party, step=Step.PLAN_APPROVED, on=D(2024, 5, 5), actor=leader, amount="1.400.000.000"
    )
    assert party.approved_amount == Decimal("1400000000")
    with pytest.raises(DomainError) as info:  # notice 01/02 + 180 days = 30/07
        services.party_advance(party=party, step=Step.DECIDED, on=D(2024, 7, 29), actor=leader)
    assert info.value.code == "notice_period_not_elapsed"
    party = services.party_advance(
        party=party,
        step=Step.DECIDED,
        on=D(2024, 7, 30),
        actor=leader,
        decision_number="123/QĐ-UBND",
    )
    for amount, code in (
        ("1.400.000.001", "payment_exceeds_plan"),
        ("0", "amount_invalid"),
        ("abc", "amount_invalid"),
        ("-5", "amount_invalid"),
        (None, "amount_required"),
    ):
        with pytest.raises(DomainError) as info:
            services.party_advance(
                party=party, step=Step.PAID, on=D(2024, 8, 1), actor=specialist, amount=amount
            )
        assert info.value.code == code, amount
    # Agricultural land: 90 days.
    farm = add_party(land_type=LandType.AGRICULTURAL)
    farm = walk(farm, specialist, leader, upto=Step.PLAN_APPROVED)
    farm = services.party_advance(party=farm, step=Step.DECIDED, on=D(2024, 5, 6), actor=leader)
    assert farm.step == Step.DECIDED


def test_leader_steps_and_roles(
    add_party: Callable[..., AffectedParty],
    specialist: User,
    leader: User,
    clerk: User,
    other_ward_leader: User,
) -> None:
    party = walk(add_party(), specialist, leader, upto=Step.PLAN_POSTED)
    with pytest.raises(PermissionDenied):
        services.party_advance(
            party=party, step=Step.PLAN_APPROVED, on=D(2024, 5, 6), actor=specialist
        )
    other = add_party()
    for actor in (clerk, other_ward_leader):
        with pytest.raises(PermissionDenied):
            services.party_advance(party=other, step=Step.NOTIFIED, on=D(2024, 2, 1), actor=actor)
    with pytest.raises(PermissionDenied):
        services.project_set_status(
            project=party.project, status=ProjectStatus.SUSPENDED, actor=specialist, note="x"
        )


def test_forced_inventory_and_recovery(
    add_party: Callable[..., AffectedParty], specialist: User, leader: User
) -> None:
    party = walk(add_party(), specialist, leader, upto=Step.NOTIFIED)
    with pytest.raises(DomainError) as info:
        services.party_force_inventory(party=party, on=D(2024, 3, 1), actor=leader)
    assert info.value.code == "forced_requires_obstacle"
    services.obstacle_open(
        party=party, reason=ObstacleReason.REFUSES_INVENTORY, on=D(2024, 2, 20), actor=specialist
    )
    with pytest.raises(PermissionDenied):
        services.party_force_inventory(party=party, on=D(2024, 3, 1), actor=specialist)
    party = services.party_force_inventory(party=party, on=D(2024, 3, 1), actor=leader)
    assert party.step == Step.INVENTORIED and party.forced_inventory
    obstacle = party.obstacles.get()
    services.obstacle_resolve(
        obstacle=obstacle, on=D(2024, 3, 2), actor=specialist, resolution="Đã kiểm đếm bắt buộc"
    )
    for step, on, amount in WALK[2:6]:
        party = services.party_advance(party=party, step=step, on=on, actor=leader, amount=amount)
    with pytest.raises(DomainError):
        services.party_force_recovery(party=party, on=D(2024, 9, 1), actor=leader)
    services.obstacle_open(
        party=party, reason=ObstacleReason.PRICE, on=D(2024, 8, 1), actor=specialist
    )
    party = services.party_force_recovery(party=party, on=D(2024, 9, 1), actor=leader)
    assert party.step == Step.HANDED_OVER and party.forced_recovery and party.paid_on is None
    assert not party.obstacles.filter(resolved_on__isnull=True).exists()
    assert AuditEvent.objects.filter(action="clearance.forced_recovery").count() == 1


def test_project_status_transitions(
    project: ClearanceProject,
    add_party: Callable[..., AffectedParty],
    specialist: User,
    leader: User,
) -> None:
    party = add_party()
    with pytest.raises(DomainError) as info:
        services.project_set_status(project=project, status=ProjectStatus.COMPLETED, actor=leader)
    assert info.value.code == "status_not_allowed"
    with pytest.raises(DomainError) as info:
        services.project_set_status(project=project, status=ProjectStatus.SUSPENDED, actor=leader)
    assert info.value.code == "reason_required"
    services.project_set_status(
        project=project,
        status=ProjectStatus.SUSPENDED,
        actor=leader,
        note="Chờ điều chỉnh quy hoạch",
    )
    with pytest.raises(DomainError) as info:
        services.party_advance(party=party, step=Step.NOTIFIED, on=D(2024, 2, 1), actor=specialist)
    assert info.value.code == "project_not_active"
    services.project_set_status(project=project, status=ProjectStatus.IN_PROGRESS, actor=leader)
    with pytest.raises(DomainError) as info:
        services.project_set_status(project=project, status=ProjectStatus.COMPLETED, actor=leader)
    assert info.value.code == "parties_not_handed_over"


def test_progress_figures(
    project: ClearanceProject,
    add_party: Callable[..., AffectedParty],
    specialist: User,
    leader: User,
) -> None:
    walk(add_party(area_m2="100"), specialist, leader)
    walk(add_party(area_m2="300"), specialist, leader, upto=Step.PAID)
    add_party(area_m2="100", kind="organisation")
    p = selectors.project_progress(project)
    assert (p.parties, p.households, p.organisations, p.handed_over) == (3, 2, 1, 1)
    assert p.area_m2 == Decimal("500") and p.area_handed_m2 == Decimal("100")
    assert p.percent_area == 20.0 and p.percent_parties == 33.3
    assert p.paid_vnd == Decimal("3000000000") and p.paid_parties == 2
    reached = {step: n for step, _label, n in p.steps}
    assert reached[Step.LISTED] == 3 and reached[Step.PAID] == 2 and reached[Step.HANDED_OVER] == 1
    times = {t.step: t for t in p.step_times}
    assert times[Step.INVENTORIED].average_days == 29.0 and times[Step.INVENTORIED].count == 2
    assert times[Step.HANDED_OVER].count == 1 and times[Step.HANDED_OVER].average_days == 17.0
    listed = selectors.project_list(leader).get(pk=project.pk)
    assert (listed.n_parties, listed.n_handed, listed.m2_handed) == (3, 1, Decimal("100"))


def test_portfolio_counts_active_and_completed(wards: Any, specialist: User, leader: User) -> None:
    def make(
        name: str,
        start: dt.date,
        completed: dt.date | None = None,
        status: str = ProjectStatus.IN_PROGRESS,
    ) -> None:
        p = services.project_create(
            unit=wards[0], actor=specialist, data=services.ProjectData(name=name, start_date=start)
        )
        ClearanceProject.objects.filter(pk=p.pk).update(status=status, completed_on=completed)

    make("A", D(2015, 5, 1), D(2017, 1, 1), ProjectStatus.COMPLETED)  # active in, completed in
    make("B", D(2018, 1, 1))  # active, open
    make("C", D(2014, 1, 1), D(2015, 12, 31), ProjectStatus.COMPLETED)  # done before
    make("D", D(2021, 1, 1))  # after
    make("E", D(2019, 1, 1), D(2022, 1, 1), ProjectStatus.COMPLETED)  # active, completed after
    make("F", D(2019, 1, 1), status=ProjectStatus.CANCELLED)
    p = selectors.portfolio({wards[0].pk}, D(2016, 1, 1), D(2020, 12, 31))
    assert (p.projects, p.completed, p.in_progress) == (3, 1, 2)
    assert selectors.portfolio({wards[1].pk}, D(2016, 1, 1), D(2020, 12, 31)).projects == 0


# --- import -----------------------------------------------------------------------------------


def xlsx(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header or [t for t, _f, _r in services.IMPORT_COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_import_all_or_nothing(
    project: ClearanceProject, add_party: Callable[..., AffectedParty], specialist: User
) -> None:
    add_party(code="H900")
    content = xlsx(
        [
            [
                "H001",
                "Hộ gia đình",
                "Hộ bà Lê Thị Hoa",
                "Tổ 3",
                "Tờ 5 thửa 12",
                "Phi nông nghiệp",
                80.5,
                "",
            ],
            ["H002", "Tổ chức", "Công ty TNHH Sông Hồng", "", "", "Nông nghiệp", "1.200,5", ""],
            ["H001", "Hộ gia đình", "Trùng mã", "", "", "", 10, ""],  # duplicate in file
            ["H900", "", "Đã có", "", "", "", 10, ""],  # already in the project
            ["H003", "Hợp tác xã", "", "", "", "đất rừng", "abc", ""],  # 4 errors
        ]
    )
    with pytest.raises(DomainError) as info:
        services.parties_import(project=project, actor=specialist, content=content)
    assert info.value.code == "import_invalid"
    rows = {r["row"]: r["errors"] for r in info.value.details["rows"]}
    assert sorted(rows) == [4, 5, 6]
    assert "trùng với dòng 2" in rows[4][0]
    assert len(rows[6]) == 4
    assert project.parties.count() == 1  # nothing added
    ok = xlsx(
        [
            [
                "H001",
                "Hộ gia đình",
                "Hộ bà Lê Thị Hoa",
                "Tổ 3",
                "Tờ 5 thửa 12",
                "Phi nông nghiệp",
                80.5,
                "",
            ],
            ["H002", "Tổ chức", "Công ty TNHH Sông Hồng", "", "", "Nông nghiệp", "1.200,5", ""],
        ]
    )
    assert services.parties_import(project=project, actor=specialist, content=ok) == 2
    h2 = project.parties.get(code="H002")
    assert h2.kind == "organisation" and h2.land_type == "agricultural"
    assert h2.area_m2 == Decimal("1200.50")
    for bad, code in (
        (b"not a workbook", "import_bad_file"),
        (xlsx([["x"]], header=["Tên"]), "import_columns_missing"),
        (xlsx([]), "import_empty"),
    ):
        with pytest.raises(DomainError) as info:
            services.parties_import(project=project, actor=specialist, content=bad)
        assert info.value.code == code


def test_import_template_round_trips(project: ClearanceProject, specialist: User) -> None:
    assert (
        services.parties_import(
            project=project, actor=specialist, content=services.import_template()
        )
        == 1
    )
