"""Clearance pages: permissions by unit and role, forms, query counts, import report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congso.kernel.people.models import User
from congso.urban.clearance import services
from congso.urban.clearance.demo_geo import TAY_HO_PLACES
from congso.urban.clearance.models import AffectedParty, ClearanceProject, Step
from congso.urban.clearance.tests.test_services import WALK, xlsx

Login = Callable[[Client, User], Client]


def test_list_and_detail_scoped(
    client: Client,
    login: Login,
    project: ClearanceProject,
    add_party: Callable[..., AffectedParty],
    specialist: User,
    other_ward_leader: User,
    django_assert_max_num_queries: Any,
) -> None:
    for _i in range(5):
        add_party()
    c = login(client, specialist)
    c.get(reverse("urban_clearance:project_list"))
    with CaptureQueriesContext(connection) as one:
        response = c.get(reverse("urban_clearance:project_list"))
    assert response.status_code == 200
    for n in range(6):  # more projects, same number of queries (no query per row)
        ClearanceProject.objects.create(
            unit=project.unit, code=f"X-{n}", name=f"Dự án {n}", start_date=dt.date(2024, 1, 1)
        )
    with CaptureQueriesContext(connection) as seven:
        c.get(reverse("urban_clearance:project_list"))
    assert len(seven) == len(one) <= 25
    assert "Mở rộng đường Nhật Tân" in response.content.decode()
    with django_assert_max_num_queries(30):
        response = c.get(reverse("urban_clearance:project_detail", args=[project.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1.250,50 m²" in html and "Hộ ông Nguyễn Văn 5" in html
    other = login(Client(), other_ward_leader)
    assert (
        other.get(reverse("urban_clearance:project_detail", args=[project.pk])).status_code == 404
    )
    assert "Mở rộng" not in other.get(reverse("urban_clearance:project_list")).content.decode()
    party = project.parties.first()
    assert party is not None
    url = reverse("urban_clearance:party_detail", args=[project.pk, party.pk])
    assert other.get(url).status_code == 404
    assert (
        other.post(
            reverse("urban_clearance:party_step", args=[project.pk, party.pk]),
            {"step": 1, "on": "01/02/2024"},
        ).status_code
        == 404
    )


def test_anonymous_redirected(client: Client, project: ClearanceProject) -> None:
    response = client.get(reverse("urban_clearance:project_list"))
    assert response.status_code == 302


def test_create_project_form(client: Client, login: Login, specialist: User, clerk: User) -> None:
    c = login(client, specialist)
    url = reverse("urban_clearance:project_create")
    assert c.get(url).status_code == 200
    response = c.post(
        url, {"name": "", "start_date": "31/02/2024", "lat": "21.03", "lon": "105.83"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Trường này là bắt buộc." in html and "Ngày không hợp lệ" in html
    response = c.post(
        url,
        {
            "name": "Hạ ngầm lưới điện <script>",
            "start_date": "01/03/2024",
            "lat": "21.03",
            "lon": "105.83",
        },
    )
    assert "nằm ngoài địa bàn Phường Tây Hồ" in response.content.decode()
    assert not ClearanceProject.objects.exists()
    lat, lon = TAY_HO_PLACES["Yên Phụ"]
    response = c.post(
        url,
        {
            "name": "Hạ ngầm lưới điện <script>",
            "start_date": "01/03/2024",
            "area_m2": "2.500",
            "lat": str(lat),
            "lon": str(lon),
        },
    )
    project = ClearanceProject.objects.get()
    assert response.status_code == 302 and response["Location"] == services.project_url(project)
    assert str(project.area_m2) == "2500.00"
    html = c.get(response["Location"]).content.decode()
    assert "&lt;script&gt;" in html and "<script>" not in html.split("Hạ ngầm lưới điện")[1][:20]
    assert login(Client(), clerk).get(url).status_code == 403


def test_step_form_flow(
    client: Client,
    login: Login,
    project: ClearanceProject,
    add_party: Callable[..., AffectedParty],
    specialist: User,
    leader: User,
) -> None:
    party = add_party()
    c = login(client, specialist)
    url = reverse("urban_clearance:party_step", args=[project.pk, party.pk])
    detail = reverse("urban_clearance:party_detail", args=[project.pk, party.pk])
    response = c.post(url, {"step": Step.INVENTORIED, "on": "01/02/2024"}, follow=True)
    assert "hộ đang ở bước" in response.content.decode()
    for step, on, amount in WALK[:4]:
        c.post(url, {"step": step, "on": on.strftime("%d/%m/%Y"), "amount": amount or ""})
    party.refresh_from_db()
    assert party.step == Step.PLAN_POSTED
    # Approval is the leader's: the specialist sees no form and a POST is refused.
    page = c.get(detail).content.decode()
    assert "(do lãnh đạo phường ghi nhận)" in page and 'name="step" value="5"' not in page
    assert c.post(url, {"step": Step.PLAN_APPROVED, "on": "06/05/2024"}).status_code == 403
    lc = login(Client(), leader)
    lc.post(url, {"step": Step.PLAN_APPROVED, "on": "06/05/2024"})
    party.refresh_from_db()
    assert party.step == Step.PLAN_APPROVED
    html = lc.get(detail).content.decode()
    assert "1.500.000.000 đ" in html and "06/05/2024" in html


def test_obstacle_and_forced_inventory_pages(
    client: Client,
    login: Login,
    project: ClearanceProject,
    add_party: Callable[..., AffectedParty],
    specialist: User,
    leader: User,
) -> None:
    party = add_party()
    services.party_advance(
        party=party, step=Step.NOTIFIED, on=dt.date(2024, 2, 1), actor=specialist
    )
    c = login(client, specialist)
    c.post(
        reverse("urban_clearance:obstacle_open", args=[project.pk, party.pk]),
        {"reason": "refuses_inventory", "on": "10/02/2024", "description": "Không mở cửa"},
    )
    assert party.obstacles.filter(resolved_on__isnull=True).count() == 1
    force = reverse("urban_clearance:party_force", args=[project.pk, party.pk, "kiem-dem"])
    assert c.post(force, {"on": "01/03/2024"}).status_code == 403
    lc = login(Client(), leader)
    assert (
        "Kiểm đếm bắt buộc"
        in lc.get(
            reverse("urban_clearance:party_detail", args=[project.pk, party.pk])
        ).content.decode()
    )
    lc.post(force, {"on": "01/03/2024", "note": "QĐ 12/QĐ-UBND"})
    party.refresh_from_db()
    assert party.step == Step.INVENTORIED and party.forced_inventory


def test_import_page_reports_bad_rows(
    client: Client, login: Login, project: ClearanceProject, specialist: User
) -> None:
    c = login(client, specialist)
    url = reverse("urban_clearance:parties_import", args=[project.pk])
    bad = xlsx([["H1", "", "Hộ A", "", "", "", 10, ""], ["H2", "", "", "", "", "", "x", ""]])
    response = c.post(url, {"file": SimpleUploadedFile("ds.xlsx", bad)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "chưa nhập dòng nào" in html and "Chưa nhập tên hộ/tổ chức." in html
    assert project.parties.count() == 0
    good = xlsx([["H1", "", "Hộ A", "", "", "", 10, ""]])
    response = c.post(url, {"file": SimpleUploadedFile("ds.xlsx", good)})
    assert response.status_code == 302 and project.parties.count() == 1
    template = c.get(reverse("urban_clearance:import_template"))
    assert template.status_code == 200 and template.content[:2] == b"PK"


def test_portfolio_page(
    client: Client, login: Login, project: ClearanceProject, leader: User
) -> None:
    response = login(client, leader).get(
        reverse("urban_clearance:portfolio") + "?from=2024&to=2025"
    )
    assert response.status_code == 200
    assert 'data-testid="projects">1<' in response.content.decode()
