"""Any registered kind plugs in: the results page, the header suggestions and the API show it
with its label, its own filters and its counts, and keep it in the user's scope — without a
line of search code in the domain app.

The stand-in here is a "report" kind backed by ``Department`` rows (any model with a unit
will do); the field-reports app registers its real source the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from congso.kernel.orgunits.models import Department
from congso.kernel.people.models import Role
from congso.kernel.people.services import api_token_create
from congso.kernel.search.registry import (
    FilterChoice,
    FilterSpec,
    IndexDocument,
    SearchSource,
    get_source,
    register_source,
    unregister_source,
)
from congso.kernel.search.services import search_check, search_drain, search_enqueue
from congso.kernel.search.tests.fixtures import search_index  # noqa: F401

pytestmark = [pytest.mark.usefixtures("search_index"), pytest.mark.django_db]
CATEGORIES = (("lan_chiem", "Lấn chiếm vỉa hè"), ("rac_thai", "Rác thải"))


def _report(dept: Department) -> IndexDocument:
    category = "lan_chiem" if "vỉa hè" in dept.name else "rac_thai"
    return IndexDocument(
        kind="report",
        id=dept.pk,
        title=dept.name,
        unit_id=dept.unit_id,
        body=f"Người dân phản ánh: {dept.name.lower()}, đề nghị phường xử lý.",
        attrs=(("category", category), ("status", "new")),
    )


@pytest.fixture
def report_kind() -> Iterator[SearchSource]:
    real = get_source("report")  # the field-reports app's own source, put back afterwards
    source = register_source(
        SearchSource(
            kind="report",
            label="Phản ánh hiện trường",
            model=Department,
            to_document=_report,
            queryset=lambda: Department.objects.all(),
            url=lambda pk: f"/phan-anh/{pk}/",
            filters=(
                FilterSpec(
                    "category",
                    "Lĩnh vực",
                    lambda: [FilterChoice(v, label) for v, label in CATEGORIES],
                ),
            ),
            order=60,
        )
    )
    yield source
    unregister_source("report")
    if real is not None:
        register_source(real)


def _dept(unit: Any, name: str) -> Department:
    abbreviation = f"PA{Department.objects.count()}"
    dept = Department.objects.create(unit=unit, name=name, abbreviation=abbreviation, kind="other")
    search_enqueue(dept)  # what the domain's service does in its transaction
    return dept


@pytest.fixture
def reports(report_kind: SearchSource, ward_a: Any, ward_b: Any) -> dict[str, Department]:
    out = {
        "sidewalk": _dept(ward_a, "Lấn chiếm vỉa hè phố Quảng An"),
        "waste": _dept(ward_a, "Rác thải đổ trộm phố Quảng Bá"),
        "elsewhere": _dept(ward_b, "Lấn chiếm vỉa hè phố Phú Gia"),
    }
    search_drain()
    return out


@pytest.fixture
def clerk(ward_a: Any, make_user: Any) -> Any:
    return make_user(Role.CLERK, ward_a)


def test_results_page_shows_a_registered_kind_with_its_filters_and_counts(
    client: Client, login: Any, clerk: Any, reports: dict[str, Department]
) -> None:
    client = login(client, clerk)
    html = client.get("/tim-kiem/", {"q": "pho quang"}).content.decode()
    assert re.search(r"Phản ánh hiện trường <span class=\"badge[^\"]*\">2</span>", html)
    assert 'href="/tim-kiem/?q=pho+quang&amp;kind=report"' in html
    assert f"/phan-anh/{reports['sidewalk'].pk}/" in html
    assert "Phú Gia" not in html  # another ward's report: no hit, no count

    html = client.get("/tim-kiem/", {"q": "pho quang", "kind": "report"}).content.decode()
    assert 'name="category"' in html and "Lĩnh vực" in html
    assert "Lấn chiếm vỉa hè (1)" in html and "Rác thải (1)" in html
    html = client.get(
        "/tim-kiem/", {"q": "pho quang", "kind": "report", "category": "rac_thai"}
    ).content.decode()
    assert "Kết quả 1–1 trong 1" in html
    assert f'data-id="{reports["waste"].pk}"' in html
    assert f'data-id="{reports["sidewalk"].pk}"' not in html
    # The kind's filter is not carried over to the "all kinds" tab.
    assert 'href="/tim-kiem/?q=pho+quang"' in html


def test_header_suggestions_show_the_kind_label_and_counts(
    client: Client, login: Any, clerk: Any, reports: dict[str, Department]
) -> None:
    client = login(client, clerk)
    body = client.get("/tim-kiem/goi-y/", {"q": "via he"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Phản ánh hiện trường" in body and "<mark>vỉa</mark> <mark>hè</mark>" in body
    assert 'href="/tim-kiem/?q=via+he&amp;kind=report"' in body
    assert "Xem tất cả 1 kết quả" in body and "Phú Gia" not in body


def test_api_filters_a_registered_kind_by_its_own_filter(
    client: Client, clerk: Any, reports: dict[str, Department]
) -> None:
    _token, raw = api_token_create(user=clerk, name="test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    data = client.get("/api/v1/search", {"q": "pho quang", "kind": "report"}, **auth).json()
    assert {h["kind"] for h in data["hits"]} == {"report"} and data["total"] == 2
    assert data["facets"]["kind"] == {"report": 2}
    assert data["facets"]["category"] == {"lan_chiem": 1, "rac_thai": 1}
    data = client.get(
        "/api/v1/search", {"q": "pho quang", "kind": "report", "category": "lan_chiem"}, **auth
    ).json()
    assert [h["id"] for h in data["hits"]] == [reports["sidewalk"].pk]
    assert data["hits"][0]["url"] == f"/phan-anh/{reports['sidewalk'].pk}/"


def test_check_and_reindex_cover_the_new_kind(reports: dict[str, Department]) -> None:
    assert search_check().differences == 0
    Department.objects.filter(pk=reports["waste"].pk).update(name="Rác thải ven hồ")  # no outbox
    report = search_check(repair=True)
    assert report.differences == 1
    assert search_check().differences == 0


def test_a_filter_name_cannot_shadow_a_page_parameter() -> None:
    with pytest.raises(ValueError, match="bad filter name"):
        register_source(
            SearchSource(
                kind="dossier",
                label="Hồ sơ",
                model=Department,
                to_document=_report,
                queryset=lambda: Department.objects.all(),
                url=str,
                filters=(FilterSpec("unit", "Đơn vị", list),),
            )
        )
