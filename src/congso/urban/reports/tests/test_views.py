"""Pages: the citizen's form (CSRF, rate limit, errors, escaping), tracking and rating; the staff
list (filters, query counts) and detail with triage forms; permissions by ward and role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from congso.urban.reports import services
from congso.urban.reports.models import FieldReport, ReportStatus
from congso.urban.reports.tests.conftest import INSIDE_A, OUTSIDE, photo

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script> Rác đổ trộm ở ven hồ, bốc mùi nhiều ngày.'


def _form(**kw: Any) -> dict[str, Any]:
    data = {
        "category": "moi-truong",
        "description": "Rác thải tập kết trái phép ven đường, bốc mùi nhiều ngày.",
        "lat": str(INSIDE_A[0]),
        "lon": str(INSIDE_A[1]),
        "address": "Đường Âu Cơ",
        "unit": "",
        "name": "",
        "phone": "",
        "email": "",
    }
    data.update(kw)
    return data


def test_form_renders_with_location_picker(client: Client, categories: Any, wards: Any) -> None:
    response = client.get("/phan-anh/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gửi phản ánh hiện trường" in html
    assert 'name="lat"' in html and 'name="lon"' in html
    assert "Trật tự xây dựng" in html
    assert "csrfmiddlewaretoken" in html


def test_submit_with_photo_redirects_to_tracking_page(
    client: Client, categories: Any, wards: Any
) -> None:
    response = client.post("/phan-anh/", {**_form(description=SCRIPT), "photos": [photo()]})
    assert response.status_code == 302
    report = FieldReport.objects.get()
    assert response["Location"] == f"/phan-anh/theo-doi/{report.tracking_code}/"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert report.tracking_code in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<script>alert("x")</script>' not in html
    assert "Chờ tiếp nhận" in html
    photo_url = f"/phan-anh/theo-doi/{report.tracking_code}/anh/"
    assert photo_url in html
    # Lower-case and without dashes works in the lookup.
    lookup = client.get(
        "/phan-anh/tra-cuu/", {"code": report.tracking_code.lower().replace("-", "")}
    )
    assert lookup.status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"lat": str(OUTSIDE[0]), "lon": str(OUTSIDE[1])}, "không thuộc địa bàn"),
        ({"category": "khong-co"}, "Lĩnh vực phản ánh không tồn tại"),
        ({"lat": "abc"}, "Vĩ độ phải là một số"),
        ({"lat": "", "lon": "", "address": ""}, "Xin chọn vị trí"),
        ({"category": "trat-tu-xay-dung"}, "cần họ tên"),
        ({"description": "ngắn"}, "ít nhất 10 ký tự"),
    ],
)
def test_bad_input_shows_message_and_saves_nothing(
    client: Client, categories: Any, wards: Any, data: dict[str, str], message: str
) -> None:
    response = client.post("/phan-anh/", _form(**data))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert FieldReport.objects.count() == 0


def test_fake_image_refused_with_message(client: Client, categories: Any, wards: Any) -> None:
    fake = photo("anh.jpg", b"MZ\x90\x00 this is an executable, not a photo" * 10)
    response = client.post("/phan-anh/", {**_form(), "photos": [fake]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "anh.jpg" in html
    assert FieldReport.objects.count() == 0


def test_csrf_required(categories: Any, wards: Any) -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/phan-anh/", _form())
    assert response.status_code == 403
    assert FieldReport.objects.count() == 0


def test_rate_limited(client: Client, categories: Any, wards: Any, settings: Any) -> None:
    settings.URBAN_REPORT_RATE_LIMIT = 2
    assert client.post("/phan-anh/", _form()).status_code == 302
    assert client.post("/phan-anh/", _form()).status_code == 302
    response = client.post("/phan-anh/", _form())
    assert response.status_code == 429
    assert "quá nhiều phản ánh" in response.content.decode()
    assert FieldReport.objects.count() == 2


def test_honeypot(client: Client, categories: Any, wards: Any) -> None:
    response = client.post("/phan-anh/", _form(website="http://spam"))
    assert response.status_code == 200
    assert FieldReport.objects.count() == 0


def test_unknown_tracking_code_404(client: Client, categories: Any) -> None:
    assert client.get("/phan-anh/theo-doi/PA-AAAAA-BBBBB/").status_code == 404
    response = client.get("/phan-anh/tra-cuu/", {"code": "PA-AAAAA-BBBBB"})
    assert "Không tìm thấy" in response.content.decode()


def test_rating_once_after_answer(
    client: Client, submit: Callable[..., FieldReport], people: dict[str, Any]
) -> None:
    report = submit()
    url = f"/phan-anh/theo-doi/{report.tracking_code}/danh-gia/"
    assert client.post(url, {"rating": "5"}).status_code == 400  # not answered yet
    services.report_accept(report=report, actor=people["officer"])
    services.report_answer(report=report, actor=people["officer"], answer="Đã thu gom sạch sẽ.")
    page = client.get(f"/phan-anh/theo-doi/{report.tracking_code}/").content.decode()
    assert "Đã thu gom sạch sẽ." in page and "Đánh giá kết quả xử lý" in page
    assert client.post(url, {"rating": "4", "comment": "Tốt"}).status_code == 302
    again = client.post(url, {"rating": "1"})
    assert again.status_code == 400
    report.refresh_from_db()
    assert report.rating == 4


# --- staff -----------------------------------------------------------------------------------


def test_staff_list_filters_and_query_count(
    client: Client,
    login: Callable[..., Client],
    submit: Callable[..., FieldReport],
    people: dict[str, Any],
    django_assert_max_num_queries: Any,
) -> None:
    for i in range(6):
        submit(description=f"Đèn đường hỏng số {i}, cả con phố tối om.", category="chieu-sang")
    submit()
    login(client, people["officer"])
    # The staff shell (menu, notifications) takes ~20 queries; the rows add none per row.
    with django_assert_max_num_queries(30):
        response = client.get("/do-thi/phan-anh/")
    assert response.status_code == 200
    assert response.content.decode().count('class="font-monospace small"') == 7
    filtered = client.get("/do-thi/phan-anh/?category=moi-truong")
    assert filtered.content.decode().count('class="font-monospace small"') == 1
    # Another ward's official sees none of them.
    other = Client()
    login(other, people["other"])
    assert (
        other.get("/do-thi/phan-anh/").content.decode().count('class="font-monospace small"') == 0
    )
    report = FieldReport.objects.first()
    assert report is not None
    assert other.get(f"/do-thi/phan-anh/{report.pk}/").status_code == 404
    assert Client().get("/do-thi/phan-anh/").status_code == 302  # login first


def test_staff_triage_through_pages(
    client: Client,
    login: Callable[..., Client],
    submit: Callable[..., FieldReport],
    people: dict[str, Any],
    kt: Any,
) -> None:
    report = submit(description=SCRIPT)
    login(client, people["officer"])
    detail = client.get(f"/do-thi/phan-anh/{report.pk}/")
    html = detail.content.decode()
    assert detail.status_code == 200 and "Tiếp nhận" in html
    assert '<script>alert("x")</script>' not in html
    base = f"/do-thi/phan-anh/{report.pk}"
    assert client.post(f"{base}/accept/", {"level": "complex"}).status_code == 302
    bad = client.post(f"{base}/assign/", {"department": "", "assignee": ""})
    assert bad.status_code == 400 and "Chọn phòng ban hoặc cán bộ" in bad.content.decode()
    assert client.post(f"{base}/assign/", {"department": kt.pk}).status_code == 302
    short = client.post(f"{base}/answer/", {"answer": "ok"})
    assert short.status_code == 400 and "quá ngắn" in short.content.decode()
    assert (
        client.post(f"{base}/answer/", {"answer": "Đã thu gom, phạt người vi phạm."}).status_code
        == 302
    )
    assert client.post(f"{base}/close/").status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED and report.level == "complex"


def test_staff_permissions_on_actions(
    client: Client,
    login: Callable[..., Client],
    submit: Callable[..., FieldReport],
    people: dict[str, Any],
) -> None:
    report = submit()
    login(client, people["outsider"])  # a specialist of the ward: sees, cannot triage
    assert client.get(f"/do-thi/phan-anh/{report.pk}/").status_code == 200
    assert (
        client.post(f"/do-thi/phan-anh/{report.pk}/accept/", {"level": "normal"}).status_code == 403
    )
    other = Client()
    login(other, people["other"])
    assert (
        other.post(f"/do-thi/phan-anh/{report.pk}/accept/", {"level": "normal"}).status_code == 404
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_merge_via_page_uses_suggestion(
    client: Client,
    login: Callable[..., Client],
    submit: Callable[..., FieldReport],
    people: dict[str, Any],
) -> None:
    first = submit()
    dup = submit(at=(INSIDE_A[0] + 0.0003, INSIDE_A[1]))
    login(client, people["officer"])
    html = client.get(f"/do-thi/phan-anh/{dup.pk}/").content.decode()
    assert first.tracking_code in html and "Gợi ý" in html
    assert (
        client.post(f"/do-thi/phan-anh/{dup.pk}/merge/", {"into": first.tracking_code}).status_code
        == 302
    )
    dup.refresh_from_db()
    assert dup.status == ReportStatus.MERGED
    bad = client.post(f"/do-thi/phan-anh/{first.pk}/merge/", {"into": "PA-AAAAA-BBBBB"})
    assert "Không tìm thấy phản ánh gốc" in bad.content.decode()


def test_home_work_items_and_public_menu(
    client: Client,
    login: Callable[..., Client],
    submit: Callable[..., FieldReport],
    people: dict[str, Any],
) -> None:
    submit()
    login(client, people["officer"])
    home = client.get("/viec-cua-toi/").content.decode()
    assert "Phản ánh hiện trường chờ tiếp nhận" in home
    portal = Client().get("/").content.decode()
    assert "Gửi phản ánh" in portal and "/phan-anh/" in portal
