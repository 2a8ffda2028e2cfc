"""Open311 GeoReport v2 at /open311/v2/ (http://wiki.open311.org/GeoReport_v2), JSON and XML.

Endpoints (``.json`` or ``.xml`` chooses the format):

- ``discovery``                     the service discovery document
- ``services``                      the categories (``service_code`` = ``ReportCategory.code``)
- ``services/{service_code}``       the service definition (its attributes)
- ``requests``  GET                 list (filters below; default last 90 days, at most 1000)
- ``requests``  POST                file a report (``api_key`` = a kernel API token)
- ``requests/{service_request_id}`` one report (``service_request_id`` = the tracking code)
- ``tokens/{token}``                the report a POST's token became

Statuses are the spec's ``open``/``closed``; our finer status is in ``status_notes`` (with the
public answer or refusal reason) and in the extension fields ``detailed_status`` and
``detailed_status_label``. Errors are ``[{"code": 400, "description": "…"}]`` /
``<errors><error><code>…</code><description>…</description></error></errors>`` with the HTTP
status of the code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from xml.etree import ElementTree as ET

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from congso.kernel.errors import DomainError
from congso.kernel.orgunits.models import AdminUnit
from congso.urban.reports import ratelimit, selectors, services
from congso.urban.reports.models import (
    OPEN_STATUSES,
    FieldReport,
    ReportCategory,
    ReportChannel,
    ReportStatus,
)

FORMATS = {"json": "application/json", "xml": "text/xml"}
MAX_REQUESTS = 1000
DEFAULT_DAYS = 90
SPEC = "http://wiki.open311.org/GeoReport_v2"

# --- rendering --------------------------------------------------------------------------------

Node = dict[str, Any]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _append(parent: ET.Element, name: str, value: Any, list_items: dict[str, str]) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, sub in value.items():
            _append(element, key, sub, list_items)
    elif isinstance(value, list | tuple):
        item_name = list_items.get(name, "item")
        for sub in value:
            _append(element, item_name, sub, list_items)
    else:
        element.text = _text(value)


def to_xml(root: str, item: str | None, payload: Any, list_items: dict[str, str]) -> bytes:
    """``payload`` (a list of dicts under ``<root><item>`` or one dict under ``<root>``) as XML."""
    element = ET.Element(root)
    if item is not None:
        for entry in payload:
            _append(element, item, entry, list_items)
    else:
        for key, value in payload.items():
            _append(element, key, value, list_items)
    body = ET.tostring(element, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode("utf-8")


LIST_ITEMS = {
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}


def respond(
    fmt: str,
    payload: Any,
    *,
    root: str,
    item: str | None,
    status: int = 200,
) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(
            to_xml(root, item, payload, LIST_ITEMS),
            content_type="text/xml; charset=utf-8",
            status=status,
        )
    return JsonResponse(
        payload, safe=False, status=status, json_dumps_params={"ensure_ascii": False}
    )


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return respond(
        fmt if fmt in FORMATS else "json",
        [{"code": status, "description": description}],
        root="errors",
        item="error",
        status=status,
    )


def w3(moment: dt.datetime | None) -> str:
    """ISO 8601 (w3 note) with the +07:00 offset, seconds precision."""
    if moment is None:
        return ""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")[:-1]


# --- serialisers -----------------------------------------------------------------------------


def service_dict(category: ReportCategory) -> Node:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": bool(category.attributes),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


def attribute_dict(spec: dict[str, Any], order: int) -> Node:
    node: Node = {
        "variable": bool(spec.get("variable", True)),
        "code": str(spec.get("code", "")),
        "datatype": str(spec.get("datatype", "string")),
        "required": bool(spec.get("required", False)),
        "datatype_description": str(spec.get("datatype_description", "")),
        "order": int(spec.get("order", order)),
        "description": str(spec.get("description", "")),
    }
    if node["datatype"] in ("singlevaluelist", "multivaluelist"):
        node["values"] = [
            {"key": str(v.get("key", "")), "name": str(v.get("name", ""))}
            for v in spec.get("values", [])
        ]
    return node


def status_notes(report: FieldReport) -> str:
    label = ReportStatus(report.status).label
    if report.status == ReportStatus.REFUSED:
        return f"{label}: {report.refuse_reason}"
    if report.status == ReportStatus.MERGED and report.merged_into_id:
        merged = report.merged_into
        # The original's code opens its page: named only once the original is published.
        if merged is not None and selectors.is_published(merged):
            return f"{label} ({merged.tracking_code})"
        return label
    if report.public_answer:
        return f"{label}. {report.public_answer}"
    return label


def _agency(report: FieldReport) -> str:
    if report.department_id and report.department is not None:
        return f"{report.department.name} — {report.unit.display_committee}"
    return str(report.unit.display_committee)


def request_dict(report: FieldReport, request: HttpRequest, photos: Sequence[Any] = ()) -> Node:
    """One service request. A report not yet published (``URBAN_REPORT_PUBLISH``, see
    ``selectors.is_published``) is reached only by its tracking code: its status, dates, place
    and category are shown, its typed text (description, address) and photos are withheld
    (``description_withheld``: true) until the ward accepts it."""
    published = selectors.is_published(report)
    media_url = ""
    if photos and published:
        media_url = _base(request) + reverse(
            "urban_reports_public:photo", args=[report.tracking_code, photos[0].public_id]
        )
    expected = (
        report.handle_due_at if report.status != ReportStatus.SUBMITTED else report.receipt_due_at
    )
    return {
        "service_request_id": report.tracking_code,
        "status": "open" if report.status in OPEN_STATUSES else "closed",
        "status_notes": status_notes(report),
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": report.description if published else "",
        "agency_responsible": _agency(report),
        "service_notice": "",
        "requested_datetime": w3(report.received_at),
        "updated_datetime": w3(report.updated_at),
        "expected_datetime": w3(expected) if report.status in OPEN_STATUSES else "",
        "address": report.address if published else "",
        "address_id": "",
        "zipcode": "",
        "lat": report.lat if report.lat is not None else "",
        "long": report.lon if report.lon is not None else "",
        "media_url": media_url,
        # Extensions (allowed by the spec): our finer status and level.
        "detailed_status": str(report.status),
        "detailed_status_label": str(ReportStatus(report.status).label),
        "level": str(report.level),
        "description_withheld": not published,
    }


# --- views -----------------------------------------------------------------------------------


def _fmt(fmt: str) -> str | None:
    return fmt if fmt in FORMATS else None


def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    if _fmt(fmt) is None:
        return error("json", 404, "Unknown format")
    base = (
        _base(request)
        + reverse("open311:discovery", kwargs={"fmt": "json"}).rsplit("/", 1)[0]
        + "/"
    )
    changeset = getattr(settings, "OPEN311_CHANGESET", "2026-01-01T00:00:00+07:00")
    payload = {
        "changeset": changeset,
        "contact": getattr(
            settings, "OPEN311_CONTACT", "Ủy ban nhân dân phường, bộ phận tiếp nhận phản ánh"
        ),
        "key_service": getattr(
            settings,
            "OPEN311_KEY_SERVICE",
            "Khóa API (api_key) do quản trị viên Công sở số cấp "
            "(manage.py api_token <tên đăng nhập>).",
        ),
        "endpoints": [
            {
                "specification": SPEC,
                "url": base,
                "changeset": changeset,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(fmt, payload, root="discovery", item=None)


def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    if _fmt(fmt) is None:
        return error("json", 404, "Unknown format")
    payload = [service_dict(c) for c in selectors.categories_active()]
    return respond(fmt, payload, root="services", item="service")


def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    if _fmt(fmt) is None:
        return error("json", 404, "Unknown format")
    category = selectors.categories_active().filter(code=code).first()
    if category is None:
        return error(fmt, 404, f"Unknown service_code: {code}")
    payload = {
        "service_code": category.code,
        "attributes": [
            attribute_dict(spec, i + 1) for i, spec in enumerate(category.attributes or [])
        ],
    }
    return respond(fmt, payload, root="service_definition", item=None)


def _parse_when(value: str, name: str) -> dt.datetime:
    moment = parse_datetime(value.strip().replace(" ", "+")) if value else None
    if moment is None:
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"{name} must be a W3C/ISO 8601 date-time") from exc
        moment = dt.datetime.combine(day, dt.time.min)
    if not 1900 <= moment.year <= 2999:  # the 90-day window arithmetic must not overflow
        raise ValueError(f"{name} is out of range")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _has_nul(request: HttpRequest) -> bool:
    """A NUL character anywhere in the parameters (PostgreSQL cannot store or compare it)."""
    for params in (request.GET, request.POST):
        for key, values in params.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                return True
    return False


@csrf_exempt
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if _fmt(fmt) is None:
        return error("json", 404, "Unknown format")
    if _has_nul(request):
        return error(fmt, 400, "Parameters may not contain NUL characters")
    if request.method == "POST":
        return _post_request(request, fmt)
    if request.method not in ("GET", "HEAD"):
        return error(fmt, 405, "Method not allowed")
    params = request.GET
    ids = [i.strip() for i in params.get("service_request_id", "").split(",") if i.strip()]
    try:
        start = (
            _parse_when(params["start_date"], "start_date") if params.get("start_date") else None
        )
        end = _parse_when(params["end_date"], "end_date") if params.get("end_date") else None
    except ValueError as exc:
        return error(fmt, 400, str(exc))
    if start and end and end < start:
        return error(fmt, 400, "end_date is before start_date")
    if start and end and (end - start) > dt.timedelta(days=DEFAULT_DAYS):
        return error(fmt, 400, f"The date range may not exceed {DEFAULT_DAYS} days")
    if start and not end:
        end = start + dt.timedelta(days=DEFAULT_DAYS)
    if end and not start:
        start = end - dt.timedelta(days=DEFAULT_DAYS)
    statuses = {s.strip() for s in params.get("status", "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        return error(fmt, 400, "status must be open and/or closed")
    status = statuses.pop() if len(statuses) == 1 else ""
    unit_id = None
    if params.get("jurisdiction_id", "").strip():
        unit = _jurisdiction(params["jurisdiction_id"])
        if unit is None:
            return error(fmt, 404, f"Unknown jurisdiction_id: {params['jurisdiction_id']}")
        unit_id = unit.pk
    reports = selectors.open311_requests(
        ids=[services.normalise_tracking_code(i) or i for i in ids] or None,
        service_code=params.get("service_code", ""),
        start=start,
        end=end,
        status=status,
        unit_id=unit_id,
        limit=MAX_REQUESTS,
    )
    photos = selectors.photos_by_report([r.pk for r in reports])
    payload = [request_dict(r, request, photos.get(r.pk, [])) for r in reports]
    return respond(fmt, payload, root="service_requests", item="request")


def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    if _fmt(fmt) is None:
        return error("json", 404, "Unknown format")
    code = services.normalise_tracking_code(request_id)
    report = (
        FieldReport.objects.select_related("category", "unit", "department", "merged_into")
        .filter(tracking_code=code)
        .first()
        if code
        else None
    )
    if report is None:
        return error(fmt, 404, f"Unknown service_request_id: {request_id}")
    photos = selectors.report_photos(report)
    return respond(
        fmt, [request_dict(report, request, photos)], root="service_requests", item="request"
    )


def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    if _fmt(fmt) is None:
        return error("json", 404, "Unknown format")
    report = (
        FieldReport.objects.filter(open311_token=token).only("tracking_code").first()
        if token and len(token) <= 40
        else None
    )
    if report is None:
        return error(fmt, 404, f"Unknown token: {token}")
    payload = [{"service_request_id": report.tracking_code, "token": token}]
    return respond(fmt, payload, root="service_requests", item="request")


# --- POST requests ---------------------------------------------------------------------------


def _api_client(key: str) -> str | None:
    """The name of the kernel API token (and its user) that ``key`` is, or None."""
    from congso.kernel.people.auth import TokenAuth

    class _Probe:
        pass

    probe: Any = _Probe()
    user = TokenAuth().authenticate(probe, key or "")
    if user is None:
        return None
    token = getattr(probe, "api_token", None)
    return f"{getattr(token, 'name', '') or 'token'} ({user.username})"


def _jurisdiction(value: str) -> AdminUnit | None:
    """``jurisdiction_id``: a served unit's org_code (mã định danh), statistics code or id."""
    value = value.strip()
    served = AdminUnit.objects.filter(is_served=True)
    unit = served.filter(org_code=value).first() or served.filter(code=value).first()
    if unit is None and value.isdigit():
        unit = served.filter(pk=int(value)).first()
    return unit


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    client = _api_client(data.get("api_key", ""))
    if client is None:
        return error(fmt, 403, "Invalid api_key")
    if ratelimit.is_limited(request, "open311"):
        return error(fmt, 429, "Too many requests; try again later")
    ratelimit.hit(request, "open311")
    code = data.get("service_code", "").strip()
    if not code:
        return error(fmt, 400, "service_code is required")
    category = selectors.categories_active().filter(code=code).first()
    if category is None:
        return error(fmt, 404, f"Unknown service_code: {code}")
    unit: AdminUnit | None = None
    jurisdiction = data.get("jurisdiction_id", "").strip()
    if jurisdiction:
        unit = _jurisdiction(jurisdiction)
        if unit is None:
            return error(fmt, 404, f"Unknown jurisdiction_id: {jurisdiction}")
    lat_raw, lon_raw = data.get("lat", "").strip(), data.get("long", "").strip()
    address = data.get("address_string", "").strip()
    if not (lat_raw and lon_raw) and not address:
        return error(fmt, 400, "lat and long, or address_string, are required")
    lat = lon = None
    if lat_raw and lon_raw:
        try:
            lat, lon = float(lat_raw), float(lon_raw)
        except ValueError:
            return error(fmt, 400, "lat and long must be numbers")
    elif unit is None:
        served = list(AdminUnit.objects.filter(is_served=True)[:2])
        if len(served) != 1:
            return error(fmt, 400, "jurisdiction_id is required with address_string alone")
        unit = served[0]
    attributes: dict[str, Any] = {}
    for key in data:
        if key.startswith("attribute[") and key.endswith("]"):
            name = key[len("attribute[") : -1]
            values = data.getlist(key)
            attributes[name] = values if len(values) > 1 else values[0]
    if data.get("media_url", "").strip():
        attributes["media_url"] = data["media_url"].strip()[:500]
    first, last = data.get("first_name", "").strip(), data.get("last_name", "").strip()
    description = data.get("description", "").strip()
    try:
        report = services.report_submit(
            category=category,
            description=description,
            lat=lat,
            lon=lon,
            address=address,
            unit=unit,
            contact=services.Contact(
                name=" ".join(p for p in (last, first) if p),
                phone=data.get("phone", ""),
                email=data.get("email", ""),
            ),
            photos=list(request.FILES.getlist("media")),
            channel=ReportChannel.OPEN311,
            attributes=attributes,
            open311_client=client,
            with_token=True,
        )
    except DomainError as exc:
        status = 400 if exc.status < 500 else exc.status
        return error(fmt, status, exc.message)
    payload = [
        {
            "service_request_id": report.tracking_code,
            "token": report.open311_token,
            "service_notice": (
                f"Đã tiếp nhận. Theo dõi tại {_base(request)}{services.public_url(report)}"
            ),
            "account_id": "",
        }
    ]
    return respond(fmt, payload, root="service_requests", item="request")
