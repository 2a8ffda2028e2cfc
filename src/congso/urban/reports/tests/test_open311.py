"""Open311 GeoReport v2 contract: every endpoint in JSON and XML, the spec's names, the errors
(400 missing service_code, 403 bad api_key, 404 unknown id) and the 90-day/1000-item defaults."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone

from congso.kernel.people.services import api_token_create
from congso.urban.reports import services
from congso.urban.reports.models import FieldReport, ReportCategory, ReportStatus
from congso.urban.reports.tests.conftest import INSIDE_A, OUTSIDE, photo

pytestmark = pytest.mark.django_db

REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


@pytest.fixture
def api_key(people: dict[str, Any]) -> str:
    _token, key = api_token_create(user=people["officer"], name="ứng dụng Open311")
    return key


def _json(response: Any) -> Any:
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def _xml(response: Any) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 - our own response


def _error_json(response: Any, status: int) -> str:
    assert response.status_code == status
    body = _json(response)
    assert isinstance(body, list) and body[0]["code"] == status
    assert body[0]["description"]
    return str(body[0]["description"])


def _error_xml(response: Any, status: int) -> None:
    assert response.status_code == status
    root = _xml(response)
    assert root.tag == "errors"
    error = root.find("error")
    assert error is not None
    assert error.findtext("code") == str(status)
    assert error.findtext("description")


# --- discovery and services ------------------------------------------------------------------


def test_discovery(client: Client, categories: Any) -> None:
    body = _json(client.get("/open311/v2/discovery.json"))
    assert set(body) >= {"changeset", "contact", "key_service", "endpoints"}
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert endpoint["type"] == "production"
    root = _xml(client.get("/open311/v2/discovery.xml"))
    assert root.tag == "discovery"
    formats = [f.text for f in root.findall("endpoints/endpoint/formats/format")]
    assert formats == ["text/xml", "application/json"]


def test_services_list(client: Client, categories: dict[str, ReportCategory]) -> None:
    ReportCategory.objects.filter(code="khac").update(is_active=False)
    body = _json(client.get("/open311/v2/services.json"))
    codes = [s["service_code"] for s in body]
    assert "moi-truong" in codes and "khac" not in codes
    service = next(s for s in body if s["service_code"] == "trat-tu-xay-dung")
    assert set(service) == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    assert service["metadata"] is True and service["type"] == "realtime"
    assert service["service_name"] == "Trật tự xây dựng"
    root = _xml(client.get("/open311/v2/services.xml"))
    assert root.tag == "services"
    first = root.find("service")
    assert first is not None
    assert [c.tag for c in first] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert first.findtext("metadata") in {"true", "false"}


def test_service_definition(client: Client, categories: Any) -> None:
    body = _json(client.get("/open311/v2/services/trat-tu-xay-dung.json"))
    assert body["service_code"] == "trat-tu-xay-dung"
    attribute = body["attributes"][0]
    assert set(attribute) >= {
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
    }
    assert attribute["datatype"] == "singlevaluelist"
    assert {"key": "mong", "name": "Đang làm móng"} in attribute["values"]
    root = _xml(client.get("/open311/v2/services/trat-tu-xay-dung.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "trat-tu-xay-dung"
    keys = [v.findtext("key") for v in root.findall("attributes/attribute/values/value")]
    assert keys == ["mong", "than", "hoan_thien"]
    _error_json(client.get("/open311/v2/services/khong-co.json"), 404)
    _error_xml(client.get("/open311/v2/services/khong-co.xml"), 404)


# --- POST requests ---------------------------------------------------------------------------


def _post(client: Client, fmt: str, **data: Any) -> Any:
    return client.post(f"/open311/v2/requests.{fmt}", data)


def test_post_request_json_and_token(
    client: Client, api_key: str, wards: Any, categories: Any, people: dict[str, Any]
) -> None:
    response = _post(
        client,
        "json",
        api_key=api_key,
        service_code="chieu-sang",
        lat=str(INSIDE_A[0]),
        long=str(INSIDE_A[1]),
        description="Ba cột đèn đường trên phố Xuân Diệu tắt từ tối qua.",
        first_name="An",
        last_name="Nguyễn",
        email="an@example.vn",
        media=photo(),
    )
    assert response.status_code == 200
    body = _json(response)
    assert set(body[0]) >= {"service_request_id", "token", "service_notice", "account_id"}
    report = FieldReport.objects.get(tracking_code=body[0]["service_request_id"])
    assert report.channel == "open311" and report.reporter_name == "Nguyễn An"
    assert report.unit == wards[0]
    token = body[0]["token"]
    tok = _json(client.get(f"/open311/v2/tokens/{token}.json"))
    assert tok == [{"service_request_id": report.tracking_code, "token": token}]
    root = _xml(client.get(f"/open311/v2/tokens/{token}.xml"))
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == report.tracking_code
    # Until the ward accepts it, the request shows its status, not its text nor its photo.
    one = _json(client.get(f"/open311/v2/requests/{report.tracking_code}.json"))[0]
    assert one["status"] == "open" and one["description_withheld"] is True
    assert one["description"] == "" and one["media_url"] == ""
    # Once accepted, the photo is served at media_url.
    services.report_accept(report=report, actor=people["officer"])
    one = _json(client.get(f"/open311/v2/requests/{report.tracking_code}.json"))[0]
    assert one["description"].startswith("Ba cột đèn") and one["media_url"]
    assert client.get(one["media_url"]).status_code == 200


def test_post_request_xml_with_address_and_jurisdiction(
    client: Client, api_key: str, wards: Any, categories: Any
) -> None:
    response = _post(
        client,
        "xml",
        api_key=api_key,
        jurisdiction_id=wards[1].org_code,
        service_code="thoat-nuoc",
        address_string="Ngõ 100 An Dương Vương",
        description="Hố ga mất nắp trước cửa nhà số 5, rất nguy hiểm.",
        **{"attribute[do_sau_cm]": "30"},
    )
    assert response.status_code == 200
    root = _xml(response)
    assert root.tag == "service_requests"
    code = root.findtext("request/service_request_id")
    report = FieldReport.objects.get(tracking_code=code)
    assert report.unit == wards[1] and report.lat is None
    assert report.attributes == {"do_sau_cm": 30.0}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_errors(client: Client, api_key: str, categories: Any, wards: Any, fmt: str) -> None:
    check = _error_json if fmt == "json" else _error_xml
    base = {
        "api_key": api_key,
        "service_code": "moi-truong",
        "lat": str(INSIDE_A[0]),
        "long": str(INSIDE_A[1]),
        "description": "Rác thải đổ trộm ven hồ, nhiều ngày chưa được thu gom.",
    }
    check(_post(client, fmt, **{**base, "api_key": "cs_sai"}), 403)
    check(_post(client, fmt, **{k: v for k, v in base.items() if k != "api_key"}), 403)
    check(_post(client, fmt, **{k: v for k, v in base.items() if k != "service_code"}), 400)
    check(_post(client, fmt, **{**base, "service_code": "khong-co"}), 404)
    check(_post(client, fmt, **{k: v for k, v in base.items() if k not in ("lat", "long")}), 400)
    check(_post(client, fmt, **{**base, "lat": str(OUTSIDE[0]), "long": str(OUTSIDE[1])}), 400)
    check(_post(client, fmt, **{**base, "jurisdiction_id": "khong-co"}), 404)
    assert FieldReport.objects.count() == 0


# --- GET requests ----------------------------------------------------------------------------


def test_get_requests_fields_and_status_mapping(
    client: Client, submit: Callable[..., FieldReport], people: dict[str, Any]
) -> None:
    open_one = submit()
    closed_one = submit(description="Cây xanh gãy cành chắn lối đi trên đường Âu Cơ.")
    for report in (open_one, closed_one):
        services.report_accept(report=report, actor=people["officer"])
    services.report_answer(report=closed_one, actor=people["officer"], answer="Đã có đơn vị xử lý.")
    body = _json(client.get("/open311/v2/requests.json"))
    by_id = {r["service_request_id"]: r for r in body}
    assert set(by_id[open_one.tracking_code]) >= REQUEST_FIELDS
    assert by_id[open_one.tracking_code]["status"] == "open"
    assert by_id[closed_one.tracking_code]["status"] == "closed"
    assert "Đã có đơn vị xử lý." in by_id[closed_one.tracking_code]["status_notes"]
    assert by_id[closed_one.tracking_code]["detailed_status"] == ReportStatus.ANSWERED
    assert by_id[open_one.tracking_code]["requested_datetime"].endswith("+07:00")
    assert by_id[open_one.tracking_code]["lat"] == INSIDE_A[0]
    assert "reporter" not in json.dumps(body) and "0912" not in json.dumps(body)
    only_open = _json(client.get("/open311/v2/requests.json?status=open"))
    assert [r["service_request_id"] for r in only_open] == [open_one.tracking_code]
    root = _xml(client.get("/open311/v2/requests.xml?status=closed"))
    assert root.tag == "service_requests"
    requests = root.findall("request")
    assert [r.findtext("service_request_id") for r in requests] == [closed_one.tracking_code]
    assert {c.tag for c in requests[0]} >= REQUEST_FIELDS
    listed = _json(
        client.get(
            f"/open311/v2/requests.json?service_request_id={open_one.tracking_code},PA-XXXXX-XXXXX"
        )
    )
    assert [r["service_request_id"] for r in listed] == [open_one.tracking_code]
    by_code = _json(client.get("/open311/v2/requests.json?service_code=chieu-sang"))
    assert by_code == []


def test_get_requests_defaults_90_days_and_1000_items(
    client: Client, submit: Callable[..., FieldReport], categories: Any, people: dict[str, Any]
) -> None:
    template = submit()
    services.report_accept(report=template, actor=people["officer"])
    now = timezone.now()
    rows = [
        FieldReport(
            unit_id=template.unit_id,
            category_id=template.category_id,
            tracking_code=services.new_tracking_code(),
            channel="portal",
            description="Phản ánh mẫu để kiểm tra giới hạn 1000 mục.",
            lat=template.lat,
            lon=template.lon,
            status=ReportStatus.ACCEPTED,
            level="normal",
            received_at=now - dt.timedelta(minutes=i + 1),
            receipt_due_at=now,
        )
        for i in range(1005)
    ]
    old = FieldReport(
        unit_id=template.unit_id,
        category_id=template.category_id,
        tracking_code=services.new_tracking_code(),
        channel="portal",
        description="Phản ánh cũ hơn 90 ngày.",
        status=ReportStatus.CLOSED,
        level="normal",
        received_at=now - dt.timedelta(days=91),
        receipt_due_at=now - dt.timedelta(days=91),
    )
    FieldReport.objects.bulk_create([*rows, old])
    body = _json(client.get("/open311/v2/requests.json"))
    assert len(body) == 1000
    ids = {r["service_request_id"] for r in body}
    assert old.tracking_code not in ids
    assert body[0]["service_request_id"] == template.tracking_code  # newest first
    root = _xml(client.get("/open311/v2/requests.xml"))
    assert len(root.findall("request")) == 1000
    # An explicit window reaches the old one.
    start = (now - dt.timedelta(days=95)).date().isoformat()
    end = (now - dt.timedelta(days=89)).date().isoformat()
    windowed = _json(client.get(f"/open311/v2/requests.json?start_date={start}&end_date={end}"))
    assert [r["service_request_id"] for r in windowed] == [old.tracking_code]
    # By id, the old one is found whatever its age.
    by_id = _json(client.get(f"/open311/v2/requests.json?service_request_id={old.tracking_code}"))
    assert len(by_id) == 1


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_get_request_errors(client: Client, categories: Any, fmt: str) -> None:
    check = _error_json if fmt == "json" else _error_xml
    check(client.get(f"/open311/v2/requests/PA-AAAAA-BBBBB.{fmt}"), 404)
    check(client.get(f"/open311/v2/tokens/nope.{fmt}"), 404)
    check(client.get(f"/open311/v2/requests.{fmt}?start_date=hôm-qua"), 400)
    check(client.get(f"/open311/v2/requests.{fmt}?status=pending"), 400)
    check(client.get(f"/open311/v2/requests.{fmt}?start_date=2026-01-01&end_date=2026-06-01"), 400)


def test_get_single_request_json_and_xml(
    client: Client, submit: Callable[..., FieldReport], people: dict[str, Any]
) -> None:
    report = submit()
    services.report_accept(report=report, actor=people["officer"])
    services.report_answer(
        report=report, actor=people["officer"], answer="Đã yêu cầu đơn vị vệ sinh thu gom ngay."
    )
    body = _json(client.get(f"/open311/v2/requests/{report.tracking_code}.json"))
    assert len(body) == 1 and body[0]["status"] == "closed"
    assert "Đã yêu cầu đơn vị vệ sinh" in body[0]["status_notes"]
    root = _xml(client.get(f"/open311/v2/requests/{report.tracking_code}.xml"))
    assert root.findtext("request/status") == "closed"
    assert root.findtext("request/service_code") == "moi-truong"


def test_list_query_count(
    client: Client,
    submit: Callable[..., FieldReport],
    people: dict[str, Any],
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(5):
        services.report_accept(report=submit(photos=[photo()]), actor=people["officer"])
    with django_assert_max_num_queries(6):
        body = _json(client.get("/open311/v2/requests.json"))
    assert len(body) == 5 and all(r["media_url"] for r in body)


def test_post_rate_limited(
    client: Client, api_key: str, wards: Any, categories: Any, settings: Any
) -> None:
    settings.URBAN_REPORT_RATE_LIMIT = 1
    data = {
        "api_key": api_key,
        "service_code": "moi-truong",
        "lat": str(INSIDE_A[0]),
        "long": str(INSIDE_A[1]),
        "description": "Rác thải đổ trộm ven hồ, nhiều ngày chưa được thu gom.",
    }
    assert _post(client, "json", **data).status_code == 200
    _error_json(_post(client, "json", **data), 429)
    assert FieldReport.objects.count() == 1


def test_get_requests_by_jurisdiction(
    client: Client, submit: Callable[..., FieldReport], wards: Any, people: dict[str, Any]
) -> None:
    from congso.urban.reports.tests.conftest import INSIDE_B

    a = submit()
    b = submit(at=INSIDE_B)
    services.report_accept(report=a, actor=people["officer"])
    services.report_accept(report=b, actor=people["other"])
    in_b = _json(client.get(f"/open311/v2/requests.json?jurisdiction_id={wards[1].org_code}"))
    assert [r["service_request_id"] for r in in_b] == [b.tracking_code]
    assert a.tracking_code not in str(in_b)
    _error_xml(client.get("/open311/v2/requests.xml?jurisdiction_id=khong-co"), 404)
