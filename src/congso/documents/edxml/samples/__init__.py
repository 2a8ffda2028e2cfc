"""Sample edXML packages between fictitious demo organisations, made by our own builder.

``python -m congso.documents.edxml.samples.write`` rewrites the files beside this module; a test
checks that the committed files are exactly what the builder makes and that each one parses.
Use them to try the "Nhập gói edXML" page: import the công văn, then its recall.

- ``01-cong-van-so-xay-dung.edxml``: a công văn (Khẩn) of "Sở Xây dựng Hà Nội (mẫu)" to the two
  demo wards, with the signed PDF and an appendix.
- ``02-quyet-dinh-hoa-toc-hen-gio.edxml``: a decision of "UBND phường Phú Thượng (mẫu)" with
  priority 4 (Hỏa tốc hẹn giờ, registered as Hỏa tốc) and a due date.
- ``03-thu-hoi-cong-van.edxml``: the recall (BussinessDocType 1) of the first package.
- ``04-trang-thai-da-vao-so.edxml``: a status message (StatusCode 03) answering the first.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from congso.documents.edxml.builder import build_package, build_status
from congso.documents.edxml.codes import BusinessDocType, StatusCode
from congso.documents.edxml.package import (
    Attachment,
    EdxmlPackage,
    Organ,
    ResponseFor,
    StatusMessage,
)

HERE = Path(__file__).resolve().parent
VN = ZoneInfo("Asia/Ho_Chi_Minh")

SXD = Organ(
    org_id="H26.SXD-DEMO",
    name="Sở Xây dựng Hà Nội (mẫu)",
    in_charge="Ủy ban nhân dân thành phố Hà Nội",
    address="Địa chỉ mẫu, Hà Nội",
    email="vanthu@sxd.demo.invalid",
)
TAY_HO = Organ(org_id="H26.103-DEMO", name="Ủy ban nhân dân phường Tây Hồ")
PHU_THUONG = Organ(org_id="H26.091-DEMO", name="Ủy ban nhân dân phường Phú Thượng")


def _pdf(header: str, notation: str, title: str, paragraphs: list[str], signer: str) -> bytes:
    from congso.documents.textpdf import Line, render

    lines = [
        Line(header.upper(), 12, "center"),
        Line(f"Số: {notation}", 13, "center", space_after=8),
        Line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, "center"),
        Line("Độc lập - Tự do - Hạnh phúc", 13, "center", space_after=14),
        Line(title, 14, "center", space_after=10),
        *(Line(p, 14, "wrap", indent=28, space_after=4) for p in paragraphs),
        Line(signer, 13, "right"),
    ]
    return render(lines, title=title)


def _letter() -> EdxmlPackage:
    subject = "V/v triển khai kế hoạch kiểm tra trật tự xây dựng trên địa bàn phường năm 2026"
    pdf = _pdf(
        "Sở Xây dựng Hà Nội (mẫu)",
        "1234/SXD-TTr",
        subject,
        [
            "Sở Xây dựng đề nghị Ủy ban nhân dân các phường triển khai kế hoạch kiểm tra trật tự "
            "xây dựng năm 2026, tập trung các công trình ven Hồ Tây.",
            "Báo cáo kết quả về Sở trước ngày 31/03/2026.",
        ],
        "Trần Văn Mẫu",
    )
    appendix = _pdf(
        "Sở Xây dựng Hà Nội (mẫu)",
        "1234/SXD-TTr",
        "Phụ lục: danh mục khu vực kiểm tra",
        ["1. Khu vực ven Hồ Tây.", "2. Khu dân cư Phú Thượng.", "3. Bãi giữa sông Hồng."],
        "",
    )
    return EdxmlPackage(
        sender=SXD,
        recipients=[TAY_HO, PHU_THUONG],
        code_number="1234",
        code_notation="SXD-TTr",
        promulgation_date=dt.date(2026, 3, 9),
        promulgation_place="Hà Nội",
        type_code=18,
        type_name="Công văn",
        subject=subject,
        signer_competence="KT.",
        signer_position="Phó Giám đốc",
        signer_name="Trần Văn Mẫu",
        due_date=dt.date(2026, 3, 31),
        to_places=["Như trên", "Lưu: VT, TTr"],
        priority=1,
        promulgation_amount=4,
        page_amount=1,
        appendixes=["Danh mục khu vực kiểm tra"],
        steering_type=1,
        staff_department="Văn phòng Sở",
        staff_name="Văn thư (mẫu)",
        attachments=[
            Attachment(
                "1234-SXD-TTr.pdf",
                "application/pdf",
                pdf,
                "Văn bản",
                "6f1c2a9e-0b6d-4c43-9a55-1c7e2d3b4a01",
            ),
            Attachment(
                "1234-SXD-TTr-phu-luc.pdf",
                "application/pdf",
                appendix,
                "Phụ lục",
                "6f1c2a9e-0b6d-4c43-9a55-1c7e2d3b4a02",
            ),
        ],
    )


def _decision() -> EdxmlPackage:
    subject = (
        "Quyết định về việc thành lập Tổ công tác giải phóng mặt bằng dự án đường Văn Cao – Hồ Tây"
    )
    pdf = _pdf(
        "Ủy ban nhân dân phường Phú Thượng (mẫu)",
        "45/QĐ-UBND",
        subject,
        [
            "Điều 1. Thành lập Tổ công tác giải phóng mặt bằng dự án (thành phần theo danh sách).",
            "Điều 2. Tổ công tác có nhiệm vụ phối hợp kiểm đếm, công khai phương án bồi thường.",
            "Điều 3. Quyết định có hiệu lực kể từ ngày ký.",
        ],
        "Nguyễn Văn Mẫu",
    )
    return EdxmlPackage(
        sender=Organ(org_id="H26.091-DEMO", name="Ủy ban nhân dân phường Phú Thượng (mẫu)"),
        recipients=[TAY_HO],
        code_number="45",
        code_notation="QĐ-UBND",
        promulgation_date=dt.date(2026, 4, 2),
        promulgation_place="Phú Thượng",
        type_code=2,
        type_name="Quyết định",
        subject=subject,
        signer_competence="TM.",
        signer_position="Chủ tịch",
        signer_name="Nguyễn Văn Mẫu",
        due_date=dt.date(2026, 4, 10),
        priority=4,
        promulgation_amount=6,
        page_amount=1,
        attachments=[
            Attachment(
                "45-QD-UBND.pdf",
                "application/pdf",
                pdf,
                "Văn bản",
                "0d3e8b7c-5a41-4f0e-8c1b-2b6f9e7a5c03",
            )
        ],
    )


def build_samples() -> dict[str, bytes]:
    letter = _letter()
    sent = dt.datetime(2026, 3, 9, 15, 20, 0, tzinfo=VN)
    recall = EdxmlPackage(
        **{
            **vars(letter),
            "business_doc_type": int(BusinessDocType.RECALL),
            "business_doc_reason": "Văn bản ban hành chưa đúng thể thức, sẽ ban hành lại",
            "attachments": [],
        }
    )
    status = StatusMessage(
        response_for=ResponseFor(
            org_id=SXD.org_id,
            code=letter.notation,
            promulgation_date=letter.promulgation_date,
            document_id=letter.effective_document_id(),
        ),
        sender=TAY_HO,
        status_code=StatusCode.ACCEPTED,
        timestamp=dt.datetime(2026, 3, 10, 8, 15, 0, tzinfo=VN),
        description="Đã tiếp nhận, vào sổ: số đến 15/2026",
        staff_department="Văn phòng HĐND-UBND",
        staff_name="Văn thư (mẫu)",
    )
    return {
        "01-cong-van-so-xay-dung.edxml": build_package(letter, now=sent),
        "02-quyet-dinh-hoa-toc-hen-gio.edxml": build_package(
            _decision(), now=dt.datetime(2026, 4, 2, 7, 45, 0, tzinfo=VN)
        ),
        "03-thu-hoi-cong-van.edxml": build_package(
            recall, now=dt.datetime(2026, 3, 12, 10, 0, 0, tzinfo=VN)
        ),
        "04-trang-thai-da-vao-so.edxml": build_status(status),
    }


def write_samples(folder: Path = HERE) -> list[Path]:
    written = []
    for name, data in build_samples().items():
        path = folder / name
        path.write_bytes(data)
        written.append(path)
    return written
