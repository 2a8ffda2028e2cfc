"""Pages of construction order: permissions by ward and role, forms with Vietnamese errors,
escaping, query counts, PDFs with Vietnamese text, the XLSX report, the control rate."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from congso.kernel.files.models import StoredFile
from congso.urban.construction import selectors, services
from congso.urban.construction.models import Inspection, Violation, ViolationStatus, Work
from congso.urban.construction.tests.conftest import INSIDE_A, INSIDE_B, jpeg_bytes, work_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_inspector(client: Client, login: Any, inspector: Any) -> Client:
    return login(client, inspector)


def _violation(work: Work, actor: Any, **over: Any) -> Violation:
    args: dict[str, Any] = {
        "work": work,
        "actor": actor,
        "category": "encroachment",
        "description": "Dựng kho trên đất công",
    }
    args.update(over)
    return services.violation_record(**args)


def test_list_filters_and_query_count(
    as_inspector: Client, wards: Any, inspector: Any, work: Work, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("urban_construction:work_list")
    with CaptureQueriesContext(connection) as one_row:
        as_inspector.get(url)
    for i in range(15):
        w = services.work_register(
            unit=wards[0],
            actor=inspector,
            data=work_data(address=f"Số {i} Âu Cơ", permit_status="none"),
        )
        if i % 3 == 0:
            _violation(w, inspector, record_date=timezone.localdate() - dt.timedelta(days=60))
    # The shell (session, menu, notifications) plus one count and one query for the rows,
    # whatever the number of rows.
    with django_assert_max_num_queries(len(one_row)):
        response = as_inspector.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="work-row"') == 16
    overdue = as_inspector.get(url, {"overdue": "on"}).content.decode()
    assert overdue.count('data-testid="work-row"') == 5
    licensed = as_inspector.get(url, {"permit": "licensed"}).content.decode()
    assert licensed.count('data-testid="work-row"') == 1
    services.inspection_record(
        work=work,
        actor=inspector,
        inspected_on=timezone.localdate(),
        findings="ok",
        result="compliant",
    )
    controlled = as_inspector.get(url, {"controlled": "yes"}).content.decode()
    assert controlled.count('data-testid="work-row"') == 1 and work.code in controlled


def test_other_ward_and_roles(
    client: Client, login: Any, work: Work, work_b: Work, inspector_b: Any, clerk: Any
) -> None:
    login(client, inspector_b)
    assert client.get(reverse("urban_construction:work_detail", args=[work.pk])).status_code == 404
    assert (
        client.get(reverse("urban_construction:inspection_create", args=[work.pk])).status_code
        == 404
    )
    page = client.get(reverse("urban_construction:work_list")).content.decode()
    assert work_b.code in page and work.address not in page.replace(work_b.address, "")
    violation = _violation(work, work.created_by)
    assert (
        client.get(
            reverse("urban_construction:violation_stop_pdf", args=[violation.pk])
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("urban_construction:violation_step", args=[violation.pk, "ket-thuc"]),
            {"day": "", "note": "x"},
        ).status_code
        == 404
    )
    login(client, clerk)  # a clerk of the same ward has no construction role
    assert client.get(reverse("urban_construction:work_list")).status_code == 403
    assert client.get(reverse("urban_construction:work_detail", args=[work.pk])).status_code == 403


def test_specialist_cannot_record_violation(
    client: Client, login: Any, specialist: Any, work: Work
) -> None:
    login(client, specialist)
    assert client.get(reverse("urban_construction:work_detail", args=[work.pk])).status_code == 200
    assert (
        client.get(reverse("urban_construction:violation_create", args=[work.pk])).status_code
        == 403
    )


def test_register_form_errors_and_escaping(as_inspector: Client, wards: Any) -> None:
    url = reverse("urban_construction:work_create")
    base = {
        "address": "<script>alert('x')</script> ngõ 5",
        "owner_name": "Bà Lê Thị Bình",
        "owner_kind": "person",
        "permit_status": "none",
        "status": "started",
        "lat": str(INSIDE_B[0]),
        "lon": str(INSIDE_B[1]),
    }
    response = as_inspector.post(url, base)
    assert response.status_code == 200
    assert "nằm ngoài địa bàn" in response.content.decode()
    assert not Work.objects.exists()
    response = as_inspector.post(url, {**base, "lat": str(INSIDE_A[0]), "lon": str(INSIDE_A[1])})
    assert response.status_code == 302
    work = Work.objects.get()
    page = as_inspector.get(response["Location"]).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert work.lat == INSIDE_A[0]


def test_inspection_form_with_photo_and_fake(as_inspector: Client, work: Work) -> None:
    url = reverse("urban_construction:inspection_create", args=[work.pk])
    fake = SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 not a jpeg at all", content_type="image/jpeg")
    data = {
        "inspected_on": timezone.localdate().strftime("%d/%m/%Y"),
        "result": "violation",
        "findings": "Xây vượt tầng",
        "photos": [fake],
    }
    response = as_inspector.post(url, data)
    assert response.status_code == 200 and "alert" in response.content.decode()
    assert not Inspection.objects.exists() and not StoredFile.objects.exists()
    good = SimpleUploadedFile("anh.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = as_inspector.post(url, {**data, "photos": [good], "lat": "21,071", "lon": "105,821"})
    assert response.status_code == 302
    photo = Inspection.objects.get().photos.get()
    page = as_inspector.get(
        reverse("urban_construction:work_detail", args=[work.pk])
    ).content.decode()
    assert str(photo.file.public_id) in page
    assert as_inspector.get(reverse("files:view", args=[photo.file.public_id])).status_code == 200


def test_violation_form_unknown_category(as_inspector: Client, work: Work) -> None:
    url = reverse("urban_construction:violation_create", args=[work.pk])
    response = as_inspector.post(
        url,
        {
            "category": "speeding",
            "description": "x",
            "record_date": timezone.localdate().strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 200
    assert "không có trong danh mục" in response.content.decode()
    assert not Violation.objects.exists()


def test_step_in_wrong_order_shows_message(
    client: Client, login: Any, leader: Any, work: Work, inspector: Any
) -> None:
    violation = _violation(work, inspector, order_stop=False)
    login(client, leader)
    url = reverse("urban_construction:violation_step", args=[violation.pk, "cuong-che"])
    response = client.post(
        url, {"day": timezone.localdate().strftime("%d/%m/%Y"), "measures": "Cắt điện"}
    )
    assert response.status_code == 400 and "Không thể chuyển" in response.content.decode()
    violation.refresh_from_db()
    assert violation.status == ViolationStatus.RECORDED
    url = reverse("urban_construction:violation_step", args=[violation.pk, "xu-phat"])
    response = client.post(
        url,
        {
            "decision_number": "5/QĐ-XPHC",
            "decision_date": timezone.localdate().strftime("%d/%m/%Y"),
            "fine_amount": "30.000.000",
            "dismantling_required": "on",
        },
    )
    assert response.status_code == 302
    violation.refresh_from_db()
    assert violation.fine_amount == Decimal(30_000_000) and violation.dismantling_required
    detail = client.get(
        reverse("urban_construction:violation_detail", args=[violation.pk])
    ).content.decode()
    assert "30.000.000" in detail


def _pdf_text(pdf: bytes, tmp_path: Any) -> str:
    path = tmp_path / "x.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_pdfs_have_vietnamese_text(
    as_inspector: Client, work: Work, inspector: Any, tmp_path: Any
) -> None:
    violation = _violation(work, inspector)
    record = as_inspector.get(
        reverse("urban_construction:violation_record_pdf", args=[violation.pk])
    )
    assert record.status_code == 200 and record["Content-Type"] == "application/pdf"
    text = " ".join(_pdf_text(record.content, tmp_path).split())
    assert "BIÊN BẢN VI PHẠM HÀNH CHÍNH" in text and "Lấn chiếm đất công" in text
    assert "Ông Nguyễn Văn An" in text and "01/BB-VPHC" in text
    stop = as_inspector.get(reverse("urban_construction:violation_stop_pdf", args=[violation.pk]))
    text = " ".join(_pdf_text(stop.content, tmp_path).split())
    assert "Đình chỉ thi công xây dựng" in text and "Nghị định số 16/2022/NĐ-CP" in text
    assert services.date_vn(violation.remedy_deadline) in text


def test_xlsx_report_and_control_page(
    as_inspector: Client, wards: Any, work: Work, inspector: Any, leader: Any
) -> None:
    from openpyxl import load_workbook

    today = timezone.localdate()
    other = services.work_register(
        unit=wards[0], actor=inspector, data=work_data(permit_status="none", address="Ngõ 2")
    )
    services.inspection_record(
        work=work, actor=inspector, inspected_on=today, findings="ok", result="compliant"
    )
    services.inspection_record(
        work=other, actor=inspector, inspected_on=today, findings="vi phạm", result="violation"
    )
    v = _violation(other, inspector, category="no_permit", record_date=today.replace(day=1))
    services.violation_sanction(
        violation=v,
        actor=leader,
        decision_number="9/QĐ-XPHC",
        decision_date=today,
        fine_amount=45_000_000,
    )
    rates = selectors.control_rates({wards[0].pk}, today.replace(day=1), today)
    assert rates[0].works == 2 and rates[0].controlled == 2 and rates[0].rate == Decimal("100.0")
    page = as_inspector.get(reverse("urban_construction:control")).content.decode()
    assert "100,0%" in page or "100.0%" in page
    response = as_inspector.get(
        reverse("urban_construction:report_xlsx"), {"year": today.year, "month": today.month}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["Công trình theo dõi trong kỳ"][0] == 2
    assert rows["- Có giấy phép xây dựng"][0] == 1 and rows["- Không có giấy phép"][0] == 1
    assert rows["Công trình đã kiểm tra trong kỳ"][0] == 2
    no_permit = rows["Xây dựng không có giấy phép"]
    assert (
        no_permit[0] == 1 and no_permit[1] == 1 and no_permit[2] == 1 and no_permit[3] == 45_000_000
    )
    assert rows["Tổng cộng"][3] == 45_000_000


def test_control_rate_counts_overdue_as_uncontrolled(
    wards: Any, work: Work, inspector: Any
) -> None:
    today = timezone.localdate()
    services.inspection_record(
        work=work, actor=inspector, inspected_on=today, findings="ok", result="violation"
    )
    _violation(work, inspector, record_date=today - dt.timedelta(days=100))
    start = today.replace(day=1)
    assert selectors.control_rates({wards[0].pk}, start, today)[0].controlled == 0
    figures = selectors.dashboard_figures(unit_ids={wards[0].pk}, start=start, end=today)
    assert figures["violations_overdue"] == 1 and figures["control_rate"] == 0.0


def test_map_features_scoped(
    wards: Any, work: Work, work_b: Work, inspector: Any, inspector_b: Any
) -> None:
    features = selectors.map_features(user=inspector, bbox=None, filters={})
    assert [f["properties"]["id"] for f in features] == [work.pk]
    feature = features[0]
    assert feature["geometry"]["coordinates"] == [work.lon, work.lat]
    assert feature["properties"]["layer"] == "work" and feature["properties"]["url"].endswith(
        f"/{work.pk}/"
    )
    assert (
        selectors.map_features(user=inspector, bbox=(21.09, 105.7, 21.1, 105.8), filters={}) == []
    )
    _violation(work, inspector, record_date=timezone.localdate() - dt.timedelta(days=90))
    assert selectors.map_features(user=inspector, bbox=None, filters={"overdue": "1"})[0][
        "properties"
    ]["overdue"]
    assert [
        f["properties"]["id"]
        for f in selectors.map_features(user=inspector_b, bbox=None, filters={})
    ] == [work_b.pk]


def test_home_work_item(as_inspector: Client, work: Work, inspector: Any) -> None:
    _violation(work, inspector, record_date=timezone.localdate() - dt.timedelta(days=90))
    from congso.urban.construction.apps import overdue_violations_item

    item = overdue_violations_item(inspector, None)
    assert item.title == "Vi phạm TTXD quá hạn" and item.count == 1 and item.overdue == 1
