"""The public calendar API: answers without a login, and a JSON error with a stable code for
every bad input, never a 500."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congso.kernel.calendar.services import official_day_save

pytestmark = pytest.mark.django_db

BASE = "/api/v1/calendar"


def get(client: Client, path: str, **params: Any) -> tuple[int, Any]:
    response = client.get(f"{BASE}{path}", params)
    assert response["Content-Type"].startswith("application/json")
    return response.status_code, response.json()


def test_issue_example_add_working_days(client: Client) -> None:
    assert get(client, "/add-working-days", start="2026-02-13", days="1") == (
        200,
        {"date": "2026-02-23"},
    )


def test_holidays_2026(client: Client) -> None:
    status, body = get(client, "/holidays", year="2026")
    assert status == 200
    by_date = {row["date"]: row for row in body}
    assert set(body[0]) == {"date", "name", "kind", "source", "legal_basis"}
    assert by_date["2026-02-17"] == {
        "date": "2026-02-17",
        "name": "Tết Nguyên Đán",
        "kind": "day_off",
        "source": "library",
        "legal_basis": "",
    }
    assert by_date["2026-08-22"]["kind"] == "working_day"
    assert by_date["2026-11-24"]["source"] == "official"
    assert [row["date"] for row in body] == sorted(by_date)


def test_other_endpoints(client: Client) -> None:
    assert get(client, "/is-working-day", date="2026-02-17") == (
        200,
        {"date": "2026-02-17", "is_working_day": False, "name": "Tết Nguyên Đán"},
    )
    assert get(client, "/is-working-day", date="2026-08-22") == (
        200,
        {"date": "2026-08-22", "is_working_day": True, "name": None},
    )
    assert get(client, "/working-days-between", start="2026-02-13", end="2026-02-23") == (
        200,
        {"start": "2026-02-13", "end": "2026-02-23", "working_days": 1},
    )
    status, body = get(client, "/add-working-hours", start="2026-02-13T16:00:00+07:00", hours="2")
    assert (status, body) == (200, {"datetime": "2026-02-23T09:00:00+07:00"})
    # Without an offset the time is Vietnamese local time; UTC input is converted.
    assert get(client, "/add-working-hours", start="2026-02-13T16:00", hours="1.5")[1] == {
        "datetime": "2026-02-23T08:30:00+07:00"
    }
    assert get(client, "/add-working-hours", start="2026-03-02T01:00:00Z", hours="1")[1] == {
        "datetime": "2026-03-02T09:00:00+07:00"
    }
    # An unencoded "+" arrives as a space.
    assert get(client, "/add-working-hours", start="2026-03-02T08:00:00 07:00", hours="1")[1] == {
        "datetime": "2026-03-02T09:00:00+07:00"
    }
    status, body = get(
        client, "/working-hours-between", start="2026-02-13T16:00", end="2026-02-23T09:00"
    )
    assert (status, body["working_hours"]) == (200, 2.0)


def test_the_api_follows_the_official_table(client: Client) -> None:
    official_day_save(date=dt.date(2026, 2, 23), kind="day_off", name="Thử")
    assert get(client, "/add-working-days", start="2026-02-13", days="1")[1] == {
        "date": "2026-02-24"
    }


@pytest.mark.parametrize(
    ("path", "params", "code"),
    [
        ("/holidays", {"year": "1989"}, "calendar_year_out_of_range"),
        ("/holidays", {"year": "2101"}, "calendar_year_out_of_range"),
        ("/holidays", {"year": "hai nghìn"}, "calendar_year_out_of_range"),
        ("/holidays", {}, "invalid_input"),
        ("/add-working-days", {"start": "2026-02-30", "days": "1"}, "calendar_invalid_date"),
        ("/add-working-days", {"start": "13/02/2026", "days": "1"}, "calendar_invalid_date"),
        ("/add-working-days", {"start": "2026-02-13", "days": "-1"}, "calendar_invalid_days"),
        ("/add-working-days", {"start": "2026-02-13", "days": "10001"}, "calendar_invalid_days"),
        ("/add-working-days", {"start": "2026-02-13", "days": "9" * 5000}, "calendar_invalid_days"),
        ("/add-working-days", {"start": "2026-02-13", "days": "1.5"}, "calendar_invalid_days"),
        ("/add-working-days", {"start": "2100-12-30", "days": "5"}, "calendar_year_out_of_range"),
        ("/add-working-days", {"start": "0001-01-01", "days": "1"}, "calendar_year_out_of_range"),
        ("/add-working-days", {"start": "2026-02-13"}, "invalid_input"),
        ("/is-working-day", {"date": ""}, "calendar_invalid_date"),
        ("/working-days-between", {"start": "2026-01-01", "end": "x"}, "calendar_invalid_date"),
        ("/add-working-hours", {"start": "hôm nay", "hours": "1"}, "calendar_invalid_datetime"),
        (
            "/add-working-hours",
            {"start": "2026-03-02T08:00", "hours": "-1"},
            "calendar_invalid_hours",
        ),
        (
            "/add-working-hours",
            {"start": "2026-03-02T08:00", "hours": "NaN"},
            "calendar_invalid_hours",
        ),
        (
            "/add-working-hours",
            {"start": "2026-03-02T08:00", "hours": "1e999"},
            "calendar_invalid_hours",
        ),
        (
            "/add-working-hours",
            {"start": "2026-03-02T08:00", "hours": "một"},
            "calendar_invalid_hours",
        ),
        (
            "/add-working-hours",
            {"start": "9999-12-31T23:00:00-05:00", "hours": "1"},
            "calendar_year_out_of_range",
        ),
        (
            "/working-hours-between",
            {"start": "2026-03-02T08:00", "end": "x"},
            "calendar_invalid_datetime",
        ),
    ],
)
def test_bad_input_gives_a_stable_error(
    client: Client, path: str, params: dict[str, str], code: str
) -> None:
    status, body = get(client, path, **params)
    assert status == 422
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    assert body["message"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(start=st.text(max_size=40), number=st.text(max_size=12))
def test_no_input_makes_a_500(client: Client, start: str, number: str) -> None:
    for path, params in (
        ("/add-working-days", {"start": start, "days": number}),
        ("/add-working-hours", {"start": start, "hours": number}),
        ("/holidays", {"year": number}),
        ("/is-working-day", {"date": start}),
    ):
        response = client.get(f"{BASE}{path}", params)
        assert response.status_code in (200, 422), (path, params, response.content)


def test_openapi_lists_the_calendar_without_auth(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"][f"{BASE}/add-working-days"]["get"]
    assert not operation.get("security")
