"""PDFs for the OCR tests: a born-digital page with a Vietnamese text layer (fpdf2, which
OCRmyPDF itself depends on), encrypted and broken PDFs, and mixed ones."""

from __future__ import annotations

import io

from congso.kernel.ocr.testdata.scan import REGULAR

DECISION_TEXT = (
    "ỦY BAN NHÂN DÂN PHƯỜNG TÂY HỒ\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\n"
    "QUYẾT ĐỊNH về việc kiện toàn Ban chỉ đạo chuyển đổi số phường. "
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư."
)


def text_pdf(text: str = DECISION_TEXT, *, pages: int = 1) -> bytes:
    """A born-digital A4 PDF whose pages carry ``text`` as real text (Liberation Serif 2)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("LiberationSerif", fname=str(REGULAR))
    for n in range(pages):
        pdf.add_page()
        pdf.set_font("LiberationSerif", size=13)
        pdf.multi_cell(0, 7, text + (f"\nTrang {n + 1}." if pages > 1 else ""))
    return bytes(pdf.output())


def encrypted_pdf(source: bytes, *, user_password: str = "mat-khau") -> bytes:  # noqa: S107
    """``source`` encrypted with a user password (empty: an owner password only)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(source)).pages:
        writer.add_page(page)
    writer.encrypt(user_password=user_password, owner_password="chu-so-huu", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def merged_pdf(*parts: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        for page in PdfReader(io.BytesIO(part)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


CORRUPT_PDF = (
    b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + b"\x00garbage" * 40
)
