"""Text extraction, OCR and the CER metric, on generated Vietnamese pages (no database)."""

from __future__ import annotations

import io
import random
import unicodedata
from pathlib import Path

import pytest
from PIL import Image

from congso.kernel.ocr import engine
from congso.kernel.ocr.engine import OcrError, extract_text, image_to_pdf, needs_ocr, ocr_pdf
from congso.kernel.ocr.metrics import cer, levenshtein, normalise
from congso.kernel.ocr.plugin import condition, ink_threshold, otsu_threshold
from congso.kernel.ocr.testdata.scan import make_scanned_image, make_scanned_pdf
from congso.kernel.ocr.tests.helpers import (
    CORRUPT_PDF,
    DECISION_TEXT,
    encrypted_pdf,
    merged_pdf,
    text_pdf,
)

KEY_PHRASES = ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "QUYẾT ĐỊNH")


def _naive_levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


# --- metrics ---------------------------------------------------------------------------------


def test_levenshtein_agrees_with_the_textbook_table() -> None:
    rng = random.Random(7)
    alphabet = "aăâđêôơư ẠỆ"
    for _ in range(400):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 70)))
        b = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 70)))
        assert levenshtein(a, b) == _naive_levenshtein(a, b), (a, b)


def test_levenshtein_long_strings_beyond_one_machine_word() -> None:
    a = "Căn cứ Nghị định số 30/2020/NĐ-CP " * 40
    b = a.replace("Nghị", "Nghi", 3)[5:] + "thêm"
    assert levenshtein(a, b) == _naive_levenshtein(a, b)


def test_cer_normalises_unicode_and_whitespace() -> None:
    decomposed = unicodedata.normalize("NFD", "Ủy ban\n  nhân dân")
    assert normalise(decomposed) == "Ủy ban nhân dân"
    assert cer("Ủy ban nhân dân", decomposed) == 0.0
    assert cer("abcd", "abce") == 0.25
    assert cer("", "") == 0.0
    assert cer("", "x") == 1.0


# --- text layer ------------------------------------------------------------------------------


def test_text_layer_is_extracted_without_ocr() -> None:
    text, with_text, total = extract_text(text_pdf(pages=2))
    assert (with_text, total) == (2, 2)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Nghị định số" in " ".join(text.split())
    assert unicodedata.is_normalized("NFC", text)
    assert not needs_ocr(text_pdf())


def test_a_scan_needs_ocr_and_a_mixed_pdf_reports_its_image_pages() -> None:
    scan = make_scanned_pdf(pages=1, seed=3, dpi=100).pdf
    assert needs_ocr(scan)
    _, with_text, total = extract_text(merged_pdf(text_pdf(), scan))
    assert (with_text, total) == (1, 2)
    assert engine.pages_without_text(["", "Trang 2", DECISION_TEXT]) == [1, 2]


def test_encrypted_and_corrupt_pdfs_have_clear_codes() -> None:
    with pytest.raises(OcrError) as locked:
        extract_text(encrypted_pdf(text_pdf()))
    assert locked.value.code == "pdf_encrypted"
    assert "mật khẩu" in locked.value.message
    for broken in (CORRUPT_PDF, b"<html>not a pdf</html>", b""):
        with pytest.raises(OcrError) as bad:
            extract_text(broken)
        assert bad.value.code == "pdf_corrupt"
    # an owner password alone (no password to open) is read normally
    text, with_text, _ = extract_text(encrypted_pdf(text_pdf(), user_password=""))
    assert with_text == 1 and "QUYẾT ĐỊNH" in text


def test_ocr_refuses_a_password_protected_pdf(tmp_path: Path) -> None:
    source = tmp_path / "locked.pdf"
    source.write_bytes(encrypted_pdf(make_scanned_pdf(pages=1, seed=1, dpi=100).pdf))
    with pytest.raises(OcrError) as locked:
        ocr_pdf(source, tmp_path / "out.pdf")
    assert locked.value.code == "pdf_encrypted"
    assert not (tmp_path / "out.pdf").exists()


def test_ocr_of_a_text_pdf_copies_it(tmp_path: Path) -> None:
    source = tmp_path / "in.pdf"
    source.write_bytes(text_pdf())
    result = ocr_pdf(source, tmp_path / "out.pdf")
    assert result.ocr_pages == [] and result.pages == 1
    assert (tmp_path / "out.pdf").read_bytes() == source.read_bytes()


# --- images ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["png", "jpeg", "tiff"])
def test_images_become_pdf_pages_of_their_real_size(fmt: str) -> None:
    data, _ = make_scanned_image(seed=2, dpi=100, fmt=fmt)
    pdf = image_to_pdf(data)
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(pdf)).pages[0]
    width_mm = float(page.mediabox.width) / 72 * 25.4
    assert 205 < width_mm < 215  # A4 at the stated 100 dpi


def test_an_image_without_a_resolution_is_taken_as_an_a4_scan() -> None:
    image = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi, no dpi recorded
    out = io.BytesIO()
    image.save(out, "PNG")
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(image_to_pdf(out.getvalue()))).pages[0]
    assert 205 < float(page.mediabox.width) / 72 * 25.4 < 215


def test_a_broken_image_is_refused_with_a_code() -> None:
    with pytest.raises(OcrError) as bad:
        image_to_pdf(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    assert bad.value.code == "image_unreadable"


# --- conditioning ----------------------------------------------------------------------------


def test_otsu_separates_ink_from_paper() -> None:
    histogram = [0] * 256
    histogram[30] = 1000  # ink
    histogram[220] = 9000  # paper
    assert 30 <= otsu_threshold(histogram) < 220
    assert otsu_threshold([0] * 256) == 128


def test_a_nearly_blank_page_keeps_its_grain_white() -> None:
    """One mode (paper grain): Otsu would cut it in half; the threshold stays below it."""
    rng = random.Random(3)
    histogram = [0] * 256
    for _ in range(200_000):
        histogram[max(0, min(255, round(rng.gauss(230, 8))))] += 1
    assert otsu_threshold(histogram) > 215  # inside the grain
    assert 195 < ink_threshold(histogram) < 208  # about 3.5 sigma below the paper
    page = Image.new("L", (900, 1200), 0)
    page.putdata([min(255, max(0, round(rng.gauss(230, 8)))) for _ in range(900 * 1200)])
    cleaned = condition(page)
    assert cleaned.histogram()[0] < 900 * 1200 // 1000  # almost no black pixels left
    # a page with text: Otsu's threshold, between ink and paper
    text_page = [0] * 256
    text_page[230] = 9000
    text_page[40] = 1000
    assert ink_threshold(text_page) == otsu_threshold(text_page)


def test_conditioning_removes_specks_and_keeps_size_and_resolution() -> None:
    image = Image.new("L", (1000, 1000), 230)
    image.putpixel((500, 500), 0)  # a speck of dust
    for x in range(100, 300):  # a stroke three pixels thick
        for y in range(100, 103):
            image.putpixel((x, y), 20)
    image.info["dpi"] = (200, 200)
    out = condition(image)
    assert out.mode == "1" and out.size == image.size and out.info["dpi"] == (200, 200)
    assert out.getpixel((500, 500)) == 255  # the speck is gone
    assert out.getpixel((200, 101)) == 0  # the stroke stays


# --- OCR (slow: Tesseract) -------------------------------------------------------------------


@pytest.mark.slow
def test_ocr_reads_a_scanned_vietnamese_decision(tmp_path: Path) -> None:
    scan = make_scanned_pdf(pages=1, seed=11, dpi=200)
    source = tmp_path / "scan.pdf"
    source.write_bytes(scan.pdf)
    result = ocr_pdf(source, tmp_path / "out.pdf", jobs=1)
    assert result.ocr_pages == [1]
    for phrase in KEY_PHRASES:
        assert phrase in result.text
    error = cer(scan.text, result.text)
    assert error < 0.03, f"CER {error:.2%}"
    # the output is a searchable PDF whose text layer says the same
    again, with_text, total = extract_text((tmp_path / "out.pdf").read_bytes())
    assert (with_text, total) == (1, 1)
    assert cer(scan.text, again) < 0.03
    assert "Tesseract" in result.engine and unicodedata.is_normalized("NFC", result.text)


@pytest.mark.slow
def test_ocr_of_a_mixed_pdf_leaves_the_text_page_alone(tmp_path: Path) -> None:
    scan = make_scanned_pdf(pages=1, seed=12, dpi=150)
    source = tmp_path / "mixed.pdf"
    source.write_bytes(merged_pdf(text_pdf(), scan.pdf))
    result = ocr_pdf(source, tmp_path / "out.pdf")
    assert result.ocr_pages == [2] and result.pages == 2
    assert "Độc lập - Tự do - Hạnh phúc" in result.page_texts[0]
    assert "QUYẾT ĐỊNH" in result.page_texts[1]
    assert cer(scan.text, result.page_texts[1]) < 0.05
