"""The map layer and dashboard figures (contracts shared with the map and dashboard), the REST
API (scoping, triage, errors, query counts) and the search source."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from congso.urban.reports import selectors, services
from congso.urban.reports.models import FieldReport, ReportStatus
from congso.urban.reports.tests.conftest import INSIDE_A, INSIDE_B

pytestmark = pytest.mark.django_db


def test_map_features_contract_and_scope(
    submit: Callable[..., FieldReport], people: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    a = submit()
    b = submit(at=INSIDE_B)
    FieldReport.objects.filter(pk=a.pk).update(
        receipt_due_at=timezone.now() - dt.timedelta(hours=1)
    )
    with django_assert_max_num_queries(4):
        features = selectors.map_features(user=people["officer"], bbox=None, filters={})
    assert [f["properties"]["id"] for f in features] == [a.pk]
    feature = features[0]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [INSIDE_A[1], INSIDE_A[0]]}
    props = feature["properties"]
    assert {"layer", "id", "title", "status", "status_label", "category", "overdue", "url"} <= set(
        props
    )
    assert props["layer"] == "report" and props["overdue"] is True
    assert props["url"] == f"/do-thi/phan-anh/{a.pk}/"
    assert props["status_label"] == "Chờ tiếp nhận"
    # bbox (min_lat, min_lon, max_lat, max_lon) excludes / includes.
    assert (
        selectors.map_features(
            user=people["officer"], bbox=(21.07, 105.80, 21.08, 105.83), filters={}
        )
        == []
    )
    assert (
        len(
            selectors.map_features(
                user=people["officer"], bbox=(21.06, 105.81, 21.07, 105.82), filters={}
            )
        )
        == 1
    )
    assert (
        selectors.map_features(
            user=people["officer"], bbox=None, filters={"category": "chieu-sang"}
        )
        == []
    )
    assert (
        len(selectors.map_features(user=people["officer"], bbox=None, filters={"overdue": "1"}))
        == 1
    )
    assert (
        len(selectors.map_features(user=people["officer"], bbox=None, filters={"status": "open"}))
        == 1
    )
    assert (
        selectors.map_features(user=people["other"], bbox=None, filters={})[0]["properties"]["id"]
        == b.pk
    )
    assert len(selectors.map_features(user=people["officer"], bbox=None, filters={}, limit=0)) == 0


def test_dashboard_figures(
    submit: Callable[..., FieldReport], people: dict[str, Any], wards: Any
) -> None:
    ok = services.report_accept(report=submit(), actor=people["officer"])
    services.report_answer(report=ok, actor=people["officer"], answer="Đã xử lý xong, cảm ơn.")
    services.report_rate(code=ok.tracking_code, rating=5)
    late = services.report_accept(report=submit(), actor=people["officer"])
    FieldReport.objects.filter(pk=late.pk).update(
        handle_due_at=timezone.now() - dt.timedelta(hours=1)
    )
    services.report_answer(report=late, actor=people["officer"], answer="Đã xử lý nhưng chậm.")
    services.report_rate(code=late.tracking_code, rating=2)
    services.report_refuse(
        report=submit(), actor=people["officer"], reason="Không thuộc thẩm quyền."
    )
    submit()
    submit(at=INSIDE_B)
    today = timezone.localdate()
    figures = selectors.dashboard_figures(unit_ids={wards[0].pk}, start=today, end=today)
    assert figures["reports_total"] == 4
    assert figures["reports_done"] == 2 and figures["reports_refused"] == 1
    assert figures["reports_waiting"] == 1
    assert figures["answer_on_time_rate"]["numerator"] == 1
    assert figures["answer_on_time_rate"]["denominator"] == 2
    assert figures["answer_on_time_rate"]["value"] == 0.5
    assert figures["satisfaction_rate"]["value"] == 0.5
    assert figures["rating_avg"] == 3.5
    assert figures["answer_hours_avg"] is not None
    assert figures["reports_by_category"][0]["code"] == "moi-truong"
    empty = selectors.dashboard_figures(
        unit_ids={wards[0].pk},
        start=today - dt.timedelta(days=10),
        end=today - dt.timedelta(days=5),
    )
    assert empty["reports_total"] == 0 and empty["answer_on_time_rate"]["value"] is None


def test_api_list_detail_triage(
    client: Client,
    login: Callable[..., Client],
    submit: Callable[..., FieldReport],
    people: dict[str, Any],
    kt: Any,
    django_assert_max_num_queries: Any,
) -> None:
    reports = [submit() for _ in range(4)]
    login(client, people["officer"])
    with django_assert_max_num_queries(10):  # auth, session, scope, count, page
        body = client.get("/api/v1/urban/reports/").json()
    assert body["count"] == 4 and len(body["items"]) == 4
    one = reports[0]
    detail = client.get(f"/api/v1/urban/reports/{one.pk}").json()
    assert detail["tracking_code"] == one.tracking_code and detail["status"] == "submitted"
    accepted = client.post(
        f"/api/v1/urban/reports/{one.pk}/accept",
        {"level": "urgent"},
        content_type="application/json",
    ).json()
    assert accepted["status"] == "accepted" and accepted["level"] == "urgent"
    assigned = client.post(
        f"/api/v1/urban/reports/{one.pk}/assign",
        {"department_id": kt.pk},
        content_type="application/json",
    ).json()
    assert assigned["status"] == "assigned" and assigned["department_id"] == kt.pk
    bad = client.post(f"/api/v1/urban/reports/{one.pk}/close", content_type="application/json")
    assert bad.status_code == 403
    answered = client.post(
        f"/api/v1/urban/reports/{one.pk}/answer",
        {"answer": "Đã xử lý triệt để."},
        content_type="application/json",
    )
    assert answered.json()["status"] == "answered"
    closed = client.post(f"/api/v1/urban/reports/{one.pk}/close", content_type="application/json")
    assert closed.json()["status"] == "closed"
    wrong = client.post(
        f"/api/v1/urban/reports/{reports[1].pk}/refuse",
        {"reason": ""},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and wrong.json()["code"] == "report_reason_required"
    merged = client.post(
        f"/api/v1/urban/reports/{reports[2].pk}/merge",
        {"into": reports[3].tracking_code},
        content_type="application/json",
    )
    assert merged.json()["status"] == "merged"
    assert client.get("/api/v1/urban/reports/categories").status_code == 200
    layer = client.get("/api/v1/urban/reports/map?bbox=105.80,21.05,105.83,21.08").json()
    assert layer["type"] == "FeatureCollection" and len(layer["features"]) == 4
    # Another ward's official: not found.
    other = Client()
    login(other, people["other"])
    assert other.get(f"/api/v1/urban/reports/{one.pk}").status_code == 404
    assert other.get("/api/v1/urban/reports/").json()["count"] == 0
    assert Client().get("/api/v1/urban/reports/").status_code == 401


def test_search_document(submit: Callable[..., FieldReport], people: dict[str, Any]) -> None:
    from congso.kernel.search.models import SearchOutbox
    from congso.kernel.search.registry import get_source

    report = submit()
    source = get_source("report")
    assert source is not None
    doc = source.to_document(source.queryset().get(pk=report.pk))
    assert doc is not None and doc.notation == report.tracking_code
    assert ("status", ReportStatus.SUBMITTED) in doc.attrs
    assert "Vệ sinh môi trường" in doc.title
    assert SearchOutbox.objects.filter(kind="report", object_id=report.pk).exists()
    grants = source.grants(people["officer"]) if source.grants else []
    assert grants and source.grants and source.grants(people["other"]) != grants
