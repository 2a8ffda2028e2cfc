"""More pages: the register form with the shared location picker, editing, a planned inspection
from a field report completed on its page, photo downloads scoped by ward, the reminders command."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from congso.kernel.notifications.models import Notification
from congso.urban.construction import services
from congso.urban.construction.models import Inspection, InspectionStatus, Violation, Work
from congso.urban.construction.tests.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db


def test_create_page_has_picker_and_edit(
    client: Client, login: Any, inspector: Any, work: Work
) -> None:
    login(client, inspector)
    page = client.get(reverse("urban_construction:work_create")).content.decode()
    assert 'name="lat"' in page and 'name="lon"' in page and "leaflet" in page.lower()
    url = reverse("urban_construction:work_edit", args=[work.pk])
    form = client.get(url).content.decode()
    assert "123/GPXD" in form
    response = client.post(
        url,
        {
            "address": work.address,
            "owner_name": "Bà Nguyễn Thị Hoa",
            "owner_kind": "person",
            "permit_status": "licensed",
            "permit_number": "123/GPXD",
            "permit_date": "05/01/2026",
            "permit_issuer": "UBND phường Tây Hồ",
            "permit_floor_area": "320,5",
            "status": "under_construction",
            "lat": "21.07",
            "lon": "105.82",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    work.refresh_from_db()
    assert work.owner_name == "Bà Nguyễn Thị Hoa" and str(work.permit_floor_area) == "320.50"


def test_planned_inspection_completed_on_page(
    client: Client, login: Any, inspector: Any, leader: Any, work: Work, wards: Any
) -> None:
    planned = services.inspection_request_from_report(
        unit=wards[0],
        lat=work.lat,
        lon=work.lon,
        address="",
        description="Xây dựng ban đêm",
        source_ref="PA-9",
        actor=leader,
    )
    login(client, inspector)
    detail = client.get(reverse("urban_construction:work_detail", args=[work.pk])).content.decode()
    assert "Kế hoạch kiểm tra" in detail and "Xây dựng ban đêm" in detail
    url = (
        reverse("urban_construction:inspection_create", args=[work.pk]) + f"?ke_hoach={planned.pk}"
    )
    response = client.post(
        url,
        {
            "planned": planned.pk,
            "inspected_on": timezone.localdate().strftime("%d/%m/%Y"),
            "result": "violation",
            "findings": "Có vi phạm",
        },
    )
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.status == InspectionStatus.DONE and planned.inspector_id == inspector.pk
    assert Inspection.objects.count() == 1


def test_photo_download_scoped(
    client: Client, login: Any, inspector: Any, inspector_b: Any, work: Work
) -> None:
    inspection = services.inspection_record(
        work=work,
        actor=inspector,
        inspected_on=timezone.localdate(),
        findings="ok",
        result="compliant",
        photos=[SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg")],
    )
    public_id = inspection.photos.get().file.public_id
    login(client, inspector)
    assert client.get(reverse("files:download", args=[public_id])).status_code == 200
    login(client, inspector_b)
    assert client.get(reverse("files:download", args=[public_id])).status_code in (403, 404)


def test_reminders_command(work: Work, inspector: Any) -> None:
    import datetime as dt

    services.violation_record(
        work=work,
        actor=inspector,
        category="no_permit",
        description="x",
        record_date=timezone.localdate() - dt.timedelta(days=80),
    )
    out = StringIO()
    call_command("construction_reminders", stdout=out)
    assert "1 quá hạn" in out.getvalue()
    assert Notification.objects.filter(recipient=inspector, title__contains="quá hạn").count() == 1
    assert Violation.objects.get().reminded_overdue_on == timezone.localdate()
