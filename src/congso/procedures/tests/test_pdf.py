"""The official forms as PDFs: they render, the Vietnamese text comes back out with pdftotext,
the page is A4 in Liberation Serif, and the receipt's QR code decodes (zbarimg) to the lookup URL.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from congso.procedures import pdf, services
from congso.procedures.models import Dossier

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not all(shutil.which(t) for t in ("pdftotext", "pdftoppm", "pdfinfo", "pdffonts")),
        reason="needs poppler-utils",
    ),
]


def _text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return " ".join(unicodedata.normalize("NFC", out.stdout.decode()).split())


def _qr_codes(data: bytes, tmp_path: Path) -> list[str]:
    if not shutil.which("zbarimg"):
        pytest.skip("needs zbar-tools (zbarimg)")
    path = tmp_path / "receipt.pdf"
    path.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-f", "1", "-l", "1", "-png", str(path), str(tmp_path / "p")],
        check=True,
    )
    page = sorted(tmp_path.glob("p*.png"))[0]
    out = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(page)],
        capture_output=True,
    )
    return [line for line in out.stdout.decode().splitlines() if line]


@pytest.fixture
def as_user(login: Callable[[Client, Any], Client]) -> Callable[[Any], Client]:
    return lambda user: login(Client(), user)


def _get_pdf(client: Client, dossier: Dossier, slug: str) -> bytes:
    response = client.get(reverse("procedures:dossier_form_pdf", args=[dossier.code, slug]))
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    assert "inline" in response["Content-Disposition"]
    folder = os.environ.get("PDF_SAVE_DIR")  # keep the rendered forms to look at them
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{slug}.pdf").write_bytes(response.content)
    return bytes(response.content)


def test_receipt_text_layout_and_qr(
    as_user: Any, onestop: Any, desk_dossier: Dossier, tmp_path: Path, settings: Any
) -> None:
    settings.SITE_URL = "https://dichvucong.tayho.example"
    data = _get_pdf(as_user(onestop), desk_dossier, "giay-tiep-nhan")
    text = _text(data, tmp_path)
    d = desk_dossier
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN PHƯỜNG TÂY HỒ",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {d.code}",
        "Tiếp nhận hồ sơ của: Nguyễn Thị Dân",
        "Nội dung yêu cầu giải quyết: Đăng ký khai sinh (thử nghiệm)",
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
        "2. Số lượng hồ sơ: 1 (bộ)",
        "3. Thời gian giải quyết hồ sơ theo quy định là: 3 ngày làm việc",
        f"4. Thời gian nhận hồ sơ: {pdf.vn_moment(d.received_at)}",
        f"5. Thời gian trả kết quả giải quyết hồ sơ: {pdf.vn_moment(d.due_at)}",
        "6. Đăng ký nhận kết quả tại: Bộ phận một cửa UBND phường",
        "7. Phí, lệ phí: 8.000 đồng",
        f"Vào Sổ theo dõi hồ sơ, Quyển số: {d.register_year} Số thứ tự: {d.register_number}",
        f"Mã tra cứu: {d.lookup_secret}",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Lê Thị Một Cửa",
        "Liên 1: giao người nộp hồ sơ",
        "Liên 2: lưu tại Bộ phận tiếp nhận và trả kết quả",
    ):
        assert expected in text, (expected, text)
    # "…giờ…phút, ngày…tháng…năm…"
    local = timezone.localtime(d.received_at)
    assert f"{local.hour:02d} giờ {local.minute:02d} phút, ngày {local.day:02d} tháng" in text
    # The optional paper that was not handed in is not listed.
    assert "Văn bản ủy quyền" not in text
    path = tmp_path / "form.pdf"
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True).stdout.decode()
    assert "(A4)" in info, info
    assert re.search(r"^Pages:\s+2$", info, re.M), info  # one page per copy
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True)
    names = [line.split()[0] for line in fonts.stdout.decode().splitlines()[2:]]
    # Only our @font-face family (Liberation Serif 2 files, see kernel.pdf): no fallback font.
    assert names and all("CongsoSerif" in name for name in names), names
    # The QR code: the public lookup with the code and the second factor.
    assert _qr_codes(data, tmp_path) == [
        f"https://dichvucong.tayho.example/tra-cuu/?ma={d.code}&k={d.lookup_secret}"
    ]


def test_receipt_qr_uses_the_request_address_without_site_url(
    as_user: Any, onestop: Any, desk_dossier: Dossier, tmp_path: Path, settings: Any
) -> None:
    settings.SITE_URL = ""
    data = _get_pdf(as_user(onestop), desk_dossier, "giay-tiep-nhan")
    d = desk_dossier
    assert _qr_codes(data, tmp_path) == [
        f"http://testserver/tra-cuu/?ma={d.code}&k={d.lookup_secret}"
    ]


def test_the_other_forms(
    as_user: Any,
    onestop: Any,
    specialist: Any,
    leader: Any,
    desk_dossier: Dossier,
    tmp_path: Path,
) -> None:
    d = desk_dossier
    d = services.dossier_hand_over(dossier=d, actor=onestop, to_user=specialist)
    d = services.dossier_request_supplement(
        dossier=d,
        actor=specialist,
        items="Bản sao Căn cước công dân của người mẹ\n- Giấy chứng sinh bản chính",
        note="Thiếu giấy tờ chứng minh nhân thân",
    )
    d = services.dossier_supplement_received(dossier=d, actor=onestop)
    new_due = timezone.localtime(d.due_at) + dt.timedelta(days=14)
    d = services.dossier_extend(
        dossier=d, actor=leader, new_due_at=new_due, reason="Cần xác minh tại nơi cư trú"
    )
    client = as_user(leader)

    text = _text(_get_pdf(client, d, "yeu-cau-bo-sung"), tmp_path)
    for expected in (
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "Hồ sơ của: Nguyễn Thị Dân",
        "1 Bản sao Căn cước công dân của người mẹ",
        "2 Giấy chứng sinh bản chính",
        "Lý do: Thiếu giấy tờ chứng minh nhân thân",
        "NGƯỜI HƯỚNG DẪN",
        "Trần Văn Chuyên",
        "Độc lập - Tự do - Hạnh phúc",
    ):
        assert expected in text, (expected, text)

    text = _text(_get_pdf(client, d, "xin-loi-gia-han"), tmp_path)
    for expected in (
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT HỒ SƠ",
        "Kính gửi: Nguyễn Thị Dân",
        f"mã hồ sơ {d.code}",
        "Lý do: Cần xác minh tại nơi cư trú",
        f"hẹn trả kết quả giải quyết hồ sơ vào: {pdf.vn_moment(new_due)}",
        "xin lỗi ông/bà",
    ):
        assert expected in text, (expected, text)

    text = _text(_get_pdf(client, d, "phieu-kiem-soat"), tmp_path)
    for expected in (
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả)",
        "TÊN CƠ QUAN",
        "THỜI GIAN GIAO, NHẬN HỒ SƠ",
        "KẾT QUẢ GIẢI QUYẾT HỒ SƠ",
        "GHI CHÚ",
        "1. Giao: Bộ phận tiếp nhận và trả kết quả",
        "2. Nhận:",
        "Trần Văn Chuyên",
        "Người giao",
        "Người nhận",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
    ):
        assert expected in text, (expected, text)

    d = services.dossier_stop(dossier=d, actor=leader, reason="Người nộp đề nghị dừng")
    text = _text(_get_pdf(client, d, "dung-giai-quyet"), tmp_path)
    for expected in (
        "THÔNG BÁO Về việc dừng giải quyết hồ sơ",
        "Lý do dừng giải quyết: Người nộp đề nghị dừng",
        f"mã hồ sơ {d.code}",
    ):
        assert expected in text, (expected, text)


def test_refusal_form(
    as_user: Any,
    onestop: Any,
    ward_a: Any,
    procedure: Any,
    applicant: Any,
    tiny_pdf: Any,
    tmp_path: Path,
) -> None:
    required = list(procedure.papers.filter(required=True).values_list("id", flat=True))
    d = services.dossier_submit_online(
        unit=ward_a,
        procedure=procedure,
        applicant=applicant,
        uploads=[(pid, tiny_pdf()) for pid in required],
    )
    client = as_user(onestop)
    url = reverse("procedures:dossier_form_pdf", args=[d.code, "tu-choi"])
    assert client.get(url).status_code == 404  # not refused yet
    # Not accepted yet: no receipt either.
    url = reverse("procedures:dossier_form_pdf", args=[d.code, "giay-tiep-nhan"])
    assert client.get(url).status_code == 404
    d = services.dossier_refuse(dossier=d, actor=onestop, reason="Hồ sơ không thuộc thẩm quyền")
    text = _text(_get_pdf(client, d, "tu-choi"), tmp_path)
    for expected in (
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "tiếp nhận hồ sơ của: Nguyễn Thị Dân",
        "với lý do cụ thể như sau: Hồ sơ không thuộc thẩm quyền",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
    ):
        assert expected in text, (expected, text)


def test_pdf_permissions_and_unknown_forms(
    as_user: Any, make_user: Any, ward_b: Any, desk_dossier: Dossier, onestop: Any
) -> None:
    from congso.kernel.people.models import Role

    url = reverse("procedures:dossier_form_pdf", args=[desk_dossier.code, "giay-tiep-nhan"])
    assert as_user(make_user(Role.ONESTOP_OFFICER, ward_b)).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page
    client = as_user(onestop)
    bad = reverse("procedures:dossier_form_pdf", args=[desk_dossier.code, "mau-khong-co"])
    assert client.get(bad).status_code == 404
    # Forms that do not exist yet for this dossier.
    for slug in ("yeu-cau-bo-sung", "xin-loi-gia-han", "dung-giai-quyet", "tu-choi"):
        url = reverse("procedures:dossier_form_pdf", args=[desk_dossier.code, slug])
        assert client.get(url).status_code == 404


def test_formatting_helpers() -> None:
    assert pdf.vn_number(1234567) == "1.234.567"
    assert pdf.vn_number(0) == "0"
    from decimal import Decimal

    assert pdf.vn_number(Decimal("2.50")) == "2,5"
    moment = dt.datetime(2026, 2, 3, 1, 5, tzinfo=dt.UTC)  # 08:05 in Hà Nội
    assert pdf.vn_moment(moment) == "08 giờ 05 phút, ngày 03 tháng 02 năm 2026"
    assert pdf.vn_date(dt.date(2026, 11, 27)) == "ngày 27 tháng 11 năm 2026"
    assert "giờ" in pdf.vn_moment(None) and "……" in pdf.vn_moment(None)
