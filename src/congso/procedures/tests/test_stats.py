"""Statistics on a small hand-made dataset: every figure checked; the summary table's
incremental refresh agrees with a full rebuild; permissions; the page, the endpoint, queries."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from itertools import count
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from congso.kernel.calendar.services import VN_TZ
from congso.kernel.people.models import Role
from congso.procedures.models import (
    Channel,
    Dossier,
    DossierEvent,
    DossierRating,
    DossierStatus,
    OnlineLevel,
    Procedure,
    ProcedureField,
    Timeliness,
)
from congso.procedures.stats import summary
from congso.procedures.stats.models import DailyStat
from congso.procedures.stats.services import statistics, stats_query
from congso.procedures.tests.p3_fixtures import _fresh_rate_limits  # noqa: F401

pytestmark = pytest.mark.django_db
S = DossierStatus
_n = count(1)


def vn(month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=VN_TZ)


def make(unit: Any, procedure: Procedure, **kw: Any) -> Dossier:
    n = next(_n)
    submitted = kw.pop("submitted_at")
    status = kw.pop("status", S.RETURNED)
    received = kw.pop("received_at", submitted if status not in (S.SUBMITTED, S.REFUSED) else None)
    dossier = Dossier.objects.create(
        unit=unit,
        procedure=procedure,
        field_id=procedure.field_id,
        code=f"{unit.org_code}-{submitted:%y%m%d}-{n:04d}",
        lookup_secret="ABCDEFGH",
        register_year=submitted.year,
        register_number=n,
        channel=kw.pop("channel", Channel.DESK),
        status=status,
        applicant_name=kw.pop("applicant_name", f"Người nộp {n}"),
        applicant_address="1 Phố Thử",
        applicant_phone="0900000000",
        submitted_at=submitted,
        received_at=received,
        **kw,
    )
    DossierEvent.objects.create(dossier=dossier, at=submitted, action="receive", status_to=status)
    return dossier


def rate(dossier: Dossier, score: int, at: dt.datetime) -> None:
    DossierRating.objects.create(
        dossier=dossier, unit_id=dossier.unit_id, score=score, created_at=at
    )


@pytest.fixture
def dataset(ward_a: Any, ward_b: Any) -> dict[str, Any]:
    ht = ProcedureField.objects.create(code="HT-S", name="Hộ tịch")
    ct = ProcedureField.objects.create(code="CT-S", name="Chứng thực")
    p1 = Procedure.objects.create(
        code="S.1", name="Đăng ký khai sinh", field=ht, online_level=OnlineLevel.FULL
    )
    p2 = Procedure.objects.create(code="S.2", name="Chứng thực bản sao", field=ct)
    d1 = make(
        ward_a,
        p1,
        channel=Channel.ONLINE,
        submitted_at=vn(3, 2),
        completed_at=vn(3, 3),
        timeliness=Timeliness.EARLY,
        spent_hours=Decimal(6),
        digitised=True,
        result_electronic=True,
    )
    rate(d1, 3, vn(3, 4))
    d2 = make(
        ward_a,
        p1,
        submitted_at=vn(3, 2),
        completed_at=vn(3, 5),
        timeliness=Timeliness.ON_TIME,
        spent_hours=Decimal(8),
        digitised=True,
        reused_data=True,
    )
    rate(d2, 2, vn(3, 6))
    d3 = make(
        ward_a,
        p2,
        submitted_at=vn(3, 3),
        completed_at=vn(3, 10),
        timeliness=Timeliness.LATE,
        spent_hours=Decimal(20),
    )
    rate(d3, 1, vn(3, 11))
    make(
        ward_a,
        p2,
        channel=Channel.POST,
        status=S.IN_PROCESS,
        submitted_at=vn(3, 4),
        due_at=vn(3, 5, 17),
        digitised=True,
    )
    make(
        ward_a,
        p1,
        channel=Channel.ONLINE,
        status=S.SUPPLEMENT_REQUESTED,
        submitted_at=vn(3, 5),
        due_at=vn(3, 6, 17),
    )
    make(ward_a, p1, channel=Channel.ONLINE, status=S.REFUSED, submitted_at=vn(3, 5, 20))
    make(
        ward_a,
        p1,
        submitted_at=vn(2, 27),
        completed_at=vn(3, 2),
        timeliness=Timeliness.ON_TIME,
        spent_hours=Decimal(4),
    )
    other = make(
        ward_b,
        p1,
        submitted_at=vn(3, 2),
        completed_at=vn(3, 3),
        timeliness=Timeliness.LATE,
        spent_hours=Decimal(30),
    )
    rate(other, 1, vn(3, 3))
    return {"p1": p1, "p2": p2, "ht": ht, "ct": ct}


@pytest.fixture
def leader(make_user: Any, ward_a: Any) -> Any:
    return make_user(Role.LEADER, ward_a)


def _report(user: Any, unit: Any, **kw: Any) -> Any:
    query = stats_query(user=user, unit=unit.pk, start="01/03/2026", end="31/03/2026", **kw)
    return statistics(query)


def test_every_figure(dataset: dict[str, Any], leader: Any, ward_a: Any) -> None:
    summary.rebuild()
    report = _report(leader, ward_a)
    t = report.total
    assert (t.received_desk, t.received_online, t.received_post, t.received) == (2, 2, 1, 5)
    assert t.refused == 1
    assert (t.digitised, t.reused) == (3, 1)
    assert (t.resolved_early, t.resolved_on_time, t.resolved_late, t.resolved) == (1, 2, 1, 4)
    assert t.resolved_hours == Decimal(38) and t.average_hours == Decimal("9.5")
    assert t.average_days == Decimal("1.2")
    assert t.resolved_electronic == 1
    assert (t.rated_very_satisfied, t.rated_satisfied, t.rated_dissatisfied) == (1, 1, 1)
    # Now: d4 (in process, past due) and d5 (paused: pending but never "overdue").
    assert (t.pending, t.overdue) == (2, 1)
    assert t.online_share == Decimal(2) / Decimal(5)
    rows = {r.label: r for r in report.rows}
    p1, p2 = rows["Đăng ký khai sinh"], rows["Chứng thực bản sao"]
    assert (p1.received, p1.resolved, p1.pending, p1.overdue) == (3, 3, 1, 0)
    assert (p2.received, p2.resolved, p2.pending, p2.overdue) == (2, 1, 1, 1)
    scores = {s.code: s for s in report.scores}
    assert scores["2"].points == Decimal("15.00")  # 20 × 3/4
    assert scores["3A"].points == Decimal("1.25")  # min(2, 2 × 0,5/0,8)
    assert scores["3B"].points == Decimal("4.00")  # 4 × 1/1
    assert scores["3C"].points == Decimal("4.80")  # min(6, 6 × 0,4/0,5)
    assert scores["5.4"].points == Decimal("4.44")  # min(6, 6 × (2/3)/0,9)
    assert scores["4.1"].points == Decimal("1.50")  # 6 × 1/4
    assert scores["4.2"].points == Decimal("2.40")  # 4 × 3/5
    assert scores["4.3"].points == Decimal("0.50")  # min(2, 2 × 0,2/0,8)
    assert report.score_total == Decimal("33.89")
    assert all(s.formula for s in report.scores)


def test_partial_months_read_daily_rows(dataset: dict[str, Any], leader: Any, ward_a: Any) -> None:
    summary.rebuild()
    inside = statistics(
        stats_query(user=leader, unit=ward_a.pk, start="02/03/2026", end="10/03/2026")
    )
    t = inside.total
    assert (t.received, t.resolved, t.ratings) == (5, 4, 2)  # d3's rating is on 11/03
    across = statistics(
        stats_query(user=leader, unit=ward_a.pk, start="15/02/2026", end="31/03/2026")
    )
    t = across.total
    assert (t.received, t.received_desk, t.resolved, t.ratings) == (6, 3, 4, 3)
    by_month = statistics(
        stats_query(
            user=leader, unit=ward_a.pk, start="15/02/2026", end="31/03/2026", group="month"
        )
    ).rows
    assert [(r.label, r.received) for r in by_month] == [("02/2026", 1), ("03/2026", 5)]


def test_grouping_by_field_unit_month(
    dataset: dict[str, Any], leader: Any, ward_a: Any, make_user: Any, ward_b: Any
) -> None:
    summary.rebuild()
    by_field = {r.label: r for r in _report(leader, ward_a, group="field").rows}
    assert by_field["Hộ tịch"].received == 3 and by_field["Chứng thực"].resolved_late == 1
    by_month = _report(leader, ward_a, group="month").rows
    assert [r.label for r in by_month] == ["03/2026"] and by_month[0].received == 5
    only_ct = _report(leader, ward_a, field=dataset["ct"].pk).total
    assert (only_ct.received, only_ct.resolved, only_ct.pending) == (2, 1, 1)
    admin = make_user(Role.ADMIN, ward_a)
    from congso.kernel.people.models import Position

    Position.objects.create(user=admin, unit=ward_b, role=Role.ADMIN)
    query = stats_query(user=admin, start="01/03/2026", end="31/03/2026", group="unit")
    by_unit = {r.label: r for r in statistics(query).rows}
    assert by_unit["Phường Phú Thượng"].resolved_late == 1
    assert by_unit["Phường Tây Hồ"].received == 5


def test_incremental_refresh_matches_rebuild(
    dataset: dict[str, Any], leader: Any, ward_a: Any
) -> None:
    # From nothing, the refresh follows every event: the same rows as a full rebuild.
    summary.refresh()
    incremental = sorted(
        DailyStat.objects.values_list(
            "unit_id",
            "procedure_id",
            "day",
            "received_desk",
            "received_online",
            "resolved_early",
            "resolved_on_time",
            "resolved_late",
            "resolved_hours",
            "rated_very_satisfied",
            "rated_dissatisfied",
            "digitised",
            "refused",
        )
    )
    summary.rebuild()
    rebuilt = sorted(
        DailyStat.objects.values_list(
            "unit_id",
            "procedure_id",
            "day",
            "received_desk",
            "received_online",
            "resolved_early",
            "resolved_on_time",
            "resolved_late",
            "resolved_hours",
            "rated_very_satisfied",
            "rated_dissatisfied",
            "digitised",
            "refused",
        )
    )
    assert incremental == rebuilt and rebuilt
    # A dossier resolved later: its event makes the page's refresh recompute both days.
    pending = Dossier.objects.get(status=S.IN_PROCESS)
    pending.status = S.DONE
    pending.completed_at = vn(3, 12)
    pending.timeliness = Timeliness.LATE
    pending.spent_hours = Decimal(16)
    pending.save()
    DossierEvent.objects.create(dossier=pending, at=vn(3, 12), action="complete", status_to=S.DONE)
    t = _report(leader, ward_a).total
    assert (t.resolved_late, t.resolved, t.pending, t.overdue) == (2, 5, 1, 0)
    assert summary.refresh().events == 0  # caught up


def test_permissions(dataset: dict[str, Any], make_user: Any, ward_a: Any, ward_b: Any) -> None:
    from congso.kernel.errors import PermissionDenied

    specialist = make_user(Role.SPECIALIST, ward_a)
    with pytest.raises(PermissionDenied):
        stats_query(user=specialist)
    other_leader = make_user(Role.LEADER, ward_b)
    with pytest.raises(PermissionDenied):
        stats_query(user=other_leader, unit=ward_a.pk)
    assert stats_query(user=other_leader).unit_ids == [ward_b.pk]


def test_page_and_endpoint(
    dataset: dict[str, Any],
    leader: Any,
    ward_a: Any,
    ward_b: Any,
    make_user: Any,
    client: Client,
    login: Any,
    django_assert_max_num_queries: Any,
) -> None:
    summary.rebuild()
    login(client, leader)
    with django_assert_max_num_queries(30):  # the shell takes ~13
        page = client.get("/mot-cua/thong-ke/", {"from": "01/03/2026", "to": "31/03/2026"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Đăng ký khai sinh" in text and "15,00 / 20" in text and "min(6; 6 × C / 0,5)" in text
    response = client.get(
        "/api/v1/statistics", {"from": "2026-03-01", "to": "2026-03-31", "unit": ward_a.pk}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total"]["received"] == 5 and body["total"]["overdue_now"] == 1
    assert {s["code"]: s["points"] for s in body["decision_766"]}["2"] == 15.0
    assert client.get("/api/v1/statistics", {"unit": ward_b.pk}).status_code == 403
    bad = client.get("/api/v1/statistics", {"from": "31/03/2026", "to": "01/03/2026"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_period"
    specialist = make_user(Role.SPECIALIST, ward_a)
    other = login(Client(), specialist)
    assert other.get("/mot-cua/thong-ke/").status_code == 403
    assert Client().get("/api/v1/statistics").status_code == 401


def test_register_content_xlsx_pdf(
    dataset: dict[str, Any],
    make_user: Any,
    ward_a: Any,
    ward_b: Any,
    client: Client,
    login: Any,
    django_assert_max_num_queries: Any,
) -> None:
    from openpyxl import load_workbook

    from congso.procedures.stats.register import register_query, register_rows

    officer = make_user(Role.ONESTOP_OFFICER, ward_a)
    query = register_query(user=officer, start="01/03/2026", end="31/03/2026")
    rows = list(register_rows(query))
    assert len(rows) == 6  # ward A's dossiers filed in March (not February's, not ward B's)
    assert [r["line"] for r in rows] == sorted(r["line"] for r in rows)
    first = rows[0]
    assert first["procedure"] == "Đăng ký khai sinh" and first["received"] == dt.date(2026, 3, 2)
    assert first["result"] == dt.date(2026, 3, 3) and first["contact"] == "1 Phố Thử, 0900000000"
    refused = next(r for r in rows if "Không được tiếp nhận" in r["note"])
    assert "Trực tuyến" in refused["note"]
    login(client, officer)
    with django_assert_max_num_queries(32):  # the staff shell takes ~20 (menu checks)
        page = client.get(
            "/mot-cua/thong-ke/so-theo-doi/", {"from": "01/03/2026", "to": "31/03/2026"}
        )
    assert page.status_code == 200 and "Sổ theo dõi hồ sơ" in page.content.decode()
    xlsx = client.get(
        "/mot-cua/thong-ke/so-theo-doi/",
        {"from": "01/03/2026", "to": "31/03/2026", "format": "xlsx"},
    )
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "SỔ THEO DÕI HỒ SƠ"
    assert values[2][1] == "Mã hồ sơ" and values[2][12] == "Ghi chú"
    assert len(values) == 4 + 6
    assert values[4][1] == first["code"]
    pdf = client.get(
        "/mot-cua/thong-ke/so-theo-doi/",
        {"from": "01/03/2026", "to": "31/03/2026", "format": "pdf"},
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # Another ward's register is refused.
    assert client.get("/mot-cua/thong-ke/so-theo-doi/", {"unit": ward_b.pk}).status_code == 403


def test_refreshed_at_is_stated(dataset: dict[str, Any], leader: Any, ward_a: Any) -> None:
    before = timezone.now()
    report = _report(leader, ward_a)
    assert report.refreshed_at is not None and report.refreshed_at >= before


def test_command_refresh_and_rebuild(dataset: dict[str, Any]) -> None:
    from django.core.management import call_command

    out = io.StringIO()
    call_command("procedures_stats", stdout=out)
    assert "diễn biến mới" in out.getvalue()
    call_command("procedures_stats", "--rebuild", stdout=out)
    assert DailyStat.objects.exists()
    from congso.procedures.stats.models import MonthlyStat

    assert MonthlyStat.objects.filter(month=dt.date(2026, 3, 1)).exists()
