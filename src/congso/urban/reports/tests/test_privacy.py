"""Privacy: publication only after the ward accepts (``URBAN_REPORT_PUBLISH``), photos served
publicly without EXIF/metadata (the original kept for staff), and odd input (long text, NUL,
emoji, NFD) never a 500."""

from __future__ import annotations

import io
import json
import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image, PngImagePlugin

from congso.kernel.errors import DomainError
from congso.kernel.files.models import StoredFile
from congso.kernel.people.services import api_token_create
from congso.urban.reports import photos as photo_module
from congso.urban.reports import selectors, services
from congso.urban.reports.models import FieldReport
from congso.urban.reports.tests.conftest import INSIDE_A, photo

pytestmark = pytest.mark.django_db

DESCRIPTION = "Nhà tôi số 12 ngõ 5, chị Nguyễn Thị Hoa 0912345678: rác đổ trộm trước cửa."


def gps_jpeg(size: tuple[int, int] = (32, 24), orientation: int = 1) -> bytes:
    """A phone-like JPEG: camera make/model, the moment, the GPS position, an orientation."""
    exif = Image.Exif()
    exif[0x010F] = "Samsung"
    exif[0x0110] = "SM-A546E"
    exif[0x0132] = "2026:11:20 08:15:00"
    exif[0x0112] = orientation
    exif.get_ifd(0x8825).update({1: "N", 2: (21.0, 4.0, 30.0), 3: "E", 4: (105.0, 49.0, 0.0)})
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buf, format="JPEG", exif=exif, comment=b"Hoa")
    return buf.getvalue()


def _no_metadata(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert not image.getexif(), dict(image.getexif())
    assert b"Exif" not in data and b"Samsung" not in data and b"SM-A546E" not in data
    assert "exif" not in image.info and "icc_profile" not in image.info
    return image


def _json(response: Any) -> Any:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return json.loads(response.content)


# --- publication -----------------------------------------------------------------------------


def test_default_lists_only_accepted_reports(
    client: Client, submit: Callable[..., FieldReport], people: dict[str, Any], settings: Any
) -> None:
    assert not hasattr(settings, "URBAN_REPORT_PUBLISH") or settings.URBAN_REPORT_PUBLISH
    waiting = submit(description=DESCRIPTION)
    accepted = services.report_accept(
        report=submit(description="Đèn đường trên phố Xuân Diệu tắt cả tuần nay."),
        actor=people["officer"],
    )
    refused = services.report_accept(
        report=submit(description="Phản ánh sau đó bị từ chối vì không đúng thẩm quyền."),
        actor=people["officer"],
    )
    services.report_refuse(report=refused, actor=people["officer"], reason="Không thuộc phường.")
    body = _json(client.get("/open311/v2/requests.json"))
    assert [r["service_request_id"] for r in body] == [accepted.tracking_code]
    assert body[0]["description"].startswith("Đèn đường") and not body[0]["description_withheld"]
    text = json.dumps(body, ensure_ascii=False)
    assert "Nguyễn Thị Hoa" not in text and waiting.tracking_code not in text
    xml = client.get("/open311/v2/requests.xml?status=open").content.decode()
    assert accepted.tracking_code in xml and waiting.tracking_code not in xml
    assert (
        refused.tracking_code
        not in client.get("/open311/v2/requests.json?status=closed").content.decode()
    )


def test_publish_all_lists_every_report(
    client: Client, submit: Callable[..., FieldReport], settings: Any
) -> None:
    settings.URBAN_REPORT_PUBLISH = "all"
    waiting = submit(description=DESCRIPTION)
    body = _json(client.get("/open311/v2/requests.json"))
    assert [r["service_request_id"] for r in body] == [waiting.tracking_code]
    assert body[0]["description"] == DESCRIPTION
    settings.URBAN_REPORT_PUBLISH = "nonsense"  # unknown → the safe default
    assert _json(client.get("/open311/v2/requests.json")) == []


def test_request_by_id_shows_status_but_withholds_text_until_accepted(
    client: Client, submit: Callable[..., FieldReport], people: dict[str, Any]
) -> None:
    report = submit(description=DESCRIPTION, photos=[photo()])
    for url in (
        f"/open311/v2/requests/{report.tracking_code}.json",
        f"/open311/v2/requests.json?service_request_id={report.tracking_code}",
    ):
        (one,) = _json(client.get(url))
        assert one["service_request_id"] == report.tracking_code
        assert one["status"] == "open" and one["detailed_status"] == "submitted"
        assert one["description_withheld"] is True
        assert one["description"] == "" and one["media_url"] == "" and one["address"] == ""
        assert one["expected_datetime"].endswith("+07:00")
    xml = client.get(f"/open311/v2/requests/{report.tracking_code}.xml").content.decode()
    assert "<description_withheld>true</description_withheld>" in xml
    assert "Nguyễn Thị Hoa" not in xml
    services.report_accept(report=report, actor=people["officer"])
    (one,) = _json(client.get(f"/open311/v2/requests/{report.tracking_code}.json"))
    assert one["description"] == DESCRIPTION and one["media_url"]
    assert one["description_withheld"] is False


def test_reporter_tracking_page_keeps_showing_own_report(
    client: Client, submit: Callable[..., FieldReport]
) -> None:
    report = submit(description=DESCRIPTION)
    html = client.get(services.public_url(report)).content.decode()
    assert "Nguyễn Thị Hoa" in html
    assert 'data-testid="not-published"' in html


def test_merged_into_unpublished_original_does_not_reveal_its_code(
    client: Client, submit: Callable[..., FieldReport], people: dict[str, Any]
) -> None:
    original = submit(description=DESCRIPTION)
    duplicate = submit(description="Rác đổ trộm ở đầu ngõ 5, nhiều ngày chưa thu gom.")
    services.report_merge(report=duplicate, into=original, actor=people["officer"])
    html = client.get(services.public_url(duplicate)).content.decode()
    assert original.tracking_code not in html and 'data-testid="merged-unlisted"' in html
    (one,) = _json(client.get(f"/open311/v2/requests/{duplicate.tracking_code}.json"))
    assert original.tracking_code not in one["status_notes"]
    services.report_accept(report=original, actor=people["officer"])
    html = client.get(services.public_url(duplicate)).content.decode()
    assert original.tracking_code in html
    (one,) = _json(client.get(f"/open311/v2/requests/{duplicate.tracking_code}.json"))
    assert original.tracking_code in one["status_notes"]


def test_published_helpers_follow_the_setting(
    submit: Callable[..., FieldReport], people: dict[str, Any], settings: Any
) -> None:
    report = submit()
    assert not selectors.is_published(report)
    settings.URBAN_REPORT_PUBLISH = "all"
    assert selectors.is_published(report)
    settings.URBAN_REPORT_PUBLISH = "accepted"
    services.report_accept(report=report, actor=people["officer"])
    report.refresh_from_db()
    assert selectors.is_published(report)
    assert FieldReport.objects.filter(selectors.published_q()).count() == 1


# --- photos without metadata -----------------------------------------------------------------


def test_public_photo_has_no_exif_original_kept_for_staff(
    client: Client,
    categories: Any,
    wards: Any,
    people: dict[str, Any],
    login: Callable[..., Client],
) -> None:
    original_bytes = gps_jpeg(orientation=6)
    assert b"Samsung" in original_bytes and Image.open(io.BytesIO(original_bytes)).getexif()
    upload = SimpleUploadedFile("IMG_2026.jpg", original_bytes, "image/jpeg")
    response = client.post(
        "/phan-anh/",
        {
            "category": "moi-truong",
            "description": "Rác thải tập kết trái phép ven đường, bốc mùi nhiều ngày.",
            "lat": str(INSIDE_A[0]),
            "lon": str(INSIDE_A[1]),
            "photos": [upload],
        },
    )
    assert response.status_code == 302
    report = FieldReport.objects.get()
    (stored,) = selectors.report_photos(report)  # the staff see the original only
    page = client.get(response["Location"]).content.decode()
    url = f"/phan-anh/theo-doi/{report.tracking_code}/anh/{stored.public_id}/"
    assert url in page
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    data = b"".join(served.streaming_content)
    image = _no_metadata(data)
    assert image.size == (24, 32)  # turned upright by the orientation tag, then dropped
    assert b"Hoa" not in data  # the JPEG comment too
    # The staff download the original, metadata and all.
    staff = login(Client(), people["officer"])
    download = staff.get(f"/tep/{stored.public_id}/")
    assert download.status_code == 200
    kept = b"".join(download.streaming_content)
    assert kept == original_bytes
    # One public copy, owned by the original, not listed among the report's photos.
    copy = StoredFile.objects.get(
        owner_type=ContentType.objects.get_for_model(StoredFile), owner_id=str(stored.pk)
    )
    assert copy.unit_id == report.unit_id and copy.size == len(data)
    # Another ward's official cannot download the original.
    other = login(Client(), people["other"])
    assert other.get(f"/tep/{stored.public_id}/").status_code in (403, 404)


def test_png_text_and_exif_chunks_stripped_and_large_photo_reduced(settings: Any) -> None:
    settings.URBAN_REPORT_PUBLIC_PHOTO_MAX_PX = 100
    exif = Image.Exif()
    exif[0x010F] = "Samsung"
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Nguyễn Thị Hoa")
    buf = io.BytesIO()
    Image.new("RGB", (300, 150), (0, 128, 255)).save(buf, format="PNG", exif=exif, pnginfo=info)
    assert b"eXIf" in buf.getvalue()
    data, ext = photo_module.strip_metadata(io.BytesIO(buf.getvalue()))
    assert ext == "png" and b"eXIf" not in data and b"tEXt" not in data and b"iTXt" not in data
    assert _no_metadata(data).size == (100, 50)


def test_corrupt_jpeg_refused_nothing_saved(
    submit: Callable[..., FieldReport], categories: Any
) -> None:
    broken = gps_jpeg()[:200]  # a JPEG's first bytes: passes sniffing, fails decoding
    with pytest.raises(DomainError) as caught:
        submit(photos=[photo("hong.jpg", broken)])
    assert caught.value.code == "report_photo_unreadable"
    assert "Không đọc được ảnh" in caught.value.message
    assert FieldReport.objects.count() == 0 and StoredFile.objects.count() == 0


def test_photo_stored_before_public_copies_is_stripped_when_served(
    client: Client, submit: Callable[..., FieldReport]
) -> None:
    report = submit(photos=[photo("p.jpg", gps_jpeg())])
    (stored,) = selectors.report_photos(report)
    StoredFile.objects.filter(
        owner_type=ContentType.objects.get_for_model(StoredFile), owner_id=str(stored.pk)
    ).delete()
    served = client.get(f"/phan-anh/theo-doi/{report.tracking_code}/anh/{stored.public_id}/")
    assert served.status_code == 200
    _no_metadata(b"".join(served.streaming_content))


# --- odd input -------------------------------------------------------------------------------


@pytest.fixture
def api_key(people: dict[str, Any]) -> str:
    _token, key = api_token_create(user=people["officer"], name="ứng dụng thử")
    return key


def test_odd_text_stored_clean(submit: Callable[..., FieldReport]) -> None:
    nfd = unicodedata.normalize("NFD", "Đường Âu Cơ ngập sâu, xe máy chết máy hàng loạt 🌧️🛵")
    report = submit(
        description=nfd + "\x00\x07\r\nDòng hai",
        address=unicodedata.normalize("NFD", "Ngõ 5 Âu Cơ\x00"),
        contact=services.Contact(name="Lê\x00 Văn Tám", phone="0912 345 678"),
    )
    report.refresh_from_db()
    assert report.description == unicodedata.normalize("NFC", nfd) + "\nDòng hai"
    assert "\x00" not in report.description and "🛵" in report.description
    assert unicodedata.is_normalized("NFC", report.description)
    assert report.address == "Ngõ 5 Âu Cơ" and report.reporter_name == "Lê Văn Tám"


def test_odd_input_on_the_portal_form_never_500(
    client: Client, categories: Any, wards: Any
) -> None:
    base = {
        "category": "moi-truong",
        "lat": str(INSIDE_A[0]),
        "lon": str(INSIDE_A[1]),
    }
    long_text = client.post("/phan-anh/", {**base, "description": "Rác " * 2000})
    assert long_text.status_code == 200 and "4000" in long_text.content.decode().replace(".", "")
    nul = client.post("/phan-anh/", {**base, "description": "Rác thải\x00 đổ trộm ven hồ."})
    assert nul.status_code == 200
    assert client.get("/phan-anh/tra-cuu/", {"code": "PA-\x00"}).status_code == 200
    emoji = client.post(
        "/phan-anh/",
        {**base, "description": unicodedata.normalize("NFD", "Cây đổ chắn đường 🌳🌳, nguy hiểm.")},
    )
    assert emoji.status_code == 302
    report = FieldReport.objects.get()
    assert report.description == "Cây đổ chắn đường 🌳🌳, nguy hiểm."
    assert FieldReport.objects.count() == 1


def test_odd_input_on_open311_never_500(
    client: Client, api_key: str, categories: Any, wards: Any
) -> None:
    data = {
        "api_key": api_key,
        "service_code": "moi-truong",
        "lat": str(INSIDE_A[0]),
        "long": str(INSIDE_A[1]),
    }
    long_text = client.post("/open311/v2/requests.json", {**data, "description": "x" * 5000})
    assert long_text.status_code == 400 and "4.000" in _json(long_text)[0]["description"]
    for field in ("description", "service_code", "first_name", "address_string", "api_key"):
        response = client.post(
            "/open311/v2/requests.json",
            {**data, "description": "Rác đổ trộm ven hồ Tây.", field: "a\x00b"},
        )
        assert response.status_code == 400, field
    for query in (
        "service_code=a%00",
        "jurisdiction_id=%00",
        "service_request_id=PA-%00",
        "status=%00",
    ):
        assert client.get(f"/open311/v2/requests.json?{query}").status_code == 400, query
    big = client.get("/open311/v2/requests.json?service_code=" + "a," * 3000)
    assert big.status_code == 200
    emoji = client.post(
        "/open311/v2/requests.json",
        {
            **data,
            "description": unicodedata.normalize("NFD", "Ổ gà sâu giữa đường 🕳️ rất nguy hiểm."),
        },
    )
    assert emoji.status_code == 200
    report = FieldReport.objects.get()
    assert report.description == "Ổ gà sâu giữa đường 🕳️ rất nguy hiểm."


def test_odd_input_on_staff_list_and_api_never_500(
    client: Client,
    login: Callable[..., Client],
    submit: Callable[..., FieldReport],
    people: dict[str, Any],
) -> None:
    report = submit()
    login(client, people["officer"])
    for query in ("q=r%00c", "status=%00", "category=%00", "level=%00", "q=" + "x" * 5000):
        assert client.get(f"/api/v1/urban/reports/?{query}").status_code in (200, 422), query
        assert client.get(f"/do-thi/phan-anh/?{query}").status_code == 200, query
    refused = client.post(
        f"/api/v1/urban/reports/{report.pk}/refuse",
        {"reason": "Không thuộc\u0000 thẩm quyền 🙏"},
        content_type="application/json",
    )
    assert refused.status_code == 200
    report.refresh_from_db()
    assert report.refuse_reason == "Không thuộc thẩm quyền 🙏"


@pytest.mark.parametrize(
    "query",
    [
        "end_date=0001-01-01",
        "start_date=9999-12-31",
        "start_date=0001-01-01T00:00:00%2B14:00",
        "end_date=9999-12-31T23:59:59-12:00",
        "start_date=2026-01-01T25:00:00",
        "start_date=%F0%9F%98%80",
    ],
)
def test_open311_dates_out_of_range_are_400(client: Client, categories: Any, query: str) -> None:
    response = client.get(f"/open311/v2/requests.json?{query}")
    assert response.status_code == 400
    assert _json(response)[0]["code"] == 400


@pytest.mark.parametrize(("lat", "lon"), [("nan", "105.8"), ("inf", "105.8"), ("1e309", "-1e309")])
def test_open311_non_finite_coordinates_are_400(
    client: Client, api_key: str, categories: Any, wards: Any, lat: str, lon: str
) -> None:
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": api_key,
            "service_code": "moi-truong",
            "lat": lat,
            "long": lon,
            "description": "Rác đổ trộm ven hồ Tây, nhiều ngày.",
        },
    )
    assert response.status_code == 400
    assert FieldReport.objects.count() == 0


def test_staff_api_huge_offset_is_an_empty_page(
    client: Client,
    login: Callable[..., Client],
    submit: Callable[..., FieldReport],
    people: dict[str, Any],
) -> None:
    submit()
    login(client, people["officer"])
    for offset in ("99999999999999999999", "9223372036854775807"):
        response = client.get(f"/api/v1/urban/reports/?offset={offset}")
        assert response.status_code == 200
        assert response.json() == {"count": 1, "items": []}


def test_photo_over_the_pixel_guard_refused(
    submit: Callable[..., FieldReport], categories: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(photo_module, "MAX_PIXELS", 500)  # 32×24 = 768 pixels
    with pytest.raises(DomainError) as caught:
        submit(photos=[photo("lon.jpg", gps_jpeg())])
    assert caught.value.code == "report_photo_too_big" and "32×24" in caught.value.message
    assert FieldReport.objects.count() == 0
