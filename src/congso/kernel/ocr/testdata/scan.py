# ruff: noqa: S311  (seeded test data, not secrets)
"""Renders Vietnamese administrative documents as if they had been printed and scanned.

A page is drawn with Pillow in Liberation Serif 2 (metric-compatible with Times New Roman, the
font Decree 30/2020 requires; Debian's ``fonts-liberation2`` has the Vietnamese glyphs) at a
given resolution, then degraded like a flatbed scan: a slight rotation (±1.5°), a little blur,
Gaussian grain and a few specks of dust, saved as a JPEG-in-PDF, PNG, JPEG or TIFF.

Each function returns the ground truth: the text as drawn, line by line, in reading order
(the two header columns read left column first), NFC. Everything is a pure function of the
arguments and the ``seed``: the same call draws the same page.

    from congso.kernel.ocr.testdata.scan import make_scanned_pdf
    scan = make_scanned_pdf(pages=2, seed=7)      # a random decision of Phường Tây Hồ
    scan.pdf          # bytes of a PDF with one image per page and no text layer
    scan.text         # what a perfect OCR would read, pages joined by a blank line
    scan.page_texts   # per page
"""

from __future__ import annotations

import io
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
REGULAR = FONT_DIR / "LiberationSerif-Regular.ttf"
BOLD = FONT_DIR / "LiberationSerif-Bold.ttf"
ITALIC = FONT_DIR / "LiberationSerif-Italic.ttf"

A4_MM = (210.0, 297.0)
#: Decree 30, App. I: margins top 20–25 mm, bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
MARGINS_MM = (30.0, 20.0, 20.0, 20.0)  # left, top, right, bottom
BODY_PT = 13.5
HEADER_PT = 12.5


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- content -------------------------------------------------------------------------------

WARDS = ("TÂY HỒ", "PHÚ THƯỢNG")
SUBJECTS = (
    "Về việc phê duyệt kế hoạch chỉnh trang đô thị trên địa bàn phường năm {year}",
    "Về việc thành lập Tổ công tác kiểm tra trật tự xây dựng trên địa bàn phường",
    "Về việc ban hành Quy chế tiếp công dân của Ủy ban nhân dân phường",
    "Về việc giao chỉ tiêu thu ngân sách nhà nước năm {year}",
    "Về việc kiện toàn Ban chỉ đạo chuyển đổi số phường",
    "Về việc phê duyệt danh sách hộ nghèo, hộ cận nghèo năm {year}",
    "Về việc tổ chức lễ hội truyền thống tại đình làng Quảng Bá",
    "Về việc xử lý vi phạm hành chính trong lĩnh vực đất đai",
)
LEGAL_BASES = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
    "Căn cứ Luật Xây dựng ngày 18 tháng 6 năm 2014 và Luật sửa đổi, bổ sung một số điều của "
    "Luật Xây dựng ngày 17 tháng 6 năm 2020;",
    "Căn cứ Nghị định số 16/2022/NĐ-CP ngày 28 tháng 01 năm 2022 của Chính phủ quy định xử phạt "
    "vi phạm hành chính về xây dựng;",
    "Căn cứ Quyết định số 1234/QĐ-UBND ngày 20 tháng 7 năm 2025 của Ủy ban nhân dân Thành phố "
    "Hà Nội;",
)
ARTICLE_SENTENCES = (
    "Giao Văn phòng Hội đồng nhân dân và Ủy ban nhân dân phường chủ trì, phối hợp với các đơn vị "
    "liên quan tổ chức thực hiện, báo cáo kết quả trước ngày 30 hằng tháng.",
    "Phòng Kinh tế, Hạ tầng và Đô thị có trách nhiệm kiểm tra, đôn đốc việc thực hiện; kịp thời "
    "tham mưu xử lý những khó khăn, vướng mắc phát sinh.",
    "Trung tâm Phục vụ hành chính công phường niêm yết công khai thủ tục, tiếp nhận và trả kết "
    "quả đúng hạn, không để hồ sơ quá hạn giải quyết.",
    "Các tổ dân phố tuyên truyền, vận động nhân dân chấp hành nghiêm các quy định của pháp luật "
    "về trật tự xây dựng, vệ sinh môi trường và an toàn giao thông.",
    "Kinh phí thực hiện được bố trí từ nguồn ngân sách phường năm nay và các nguồn huy động hợp "
    "pháp khác theo quy định.",
    "Công an phường phối hợp bảo đảm an ninh, trật tự; xử lý nghiêm các trường hợp vi phạm theo "
    "đúng thẩm quyền.",
    "Quyết định này có hiệu lực kể từ ngày ký. Các quy định trước đây trái với Quyết định này "
    "đều bãi bỏ.",
    "Chánh Văn phòng, Trưởng các phòng chuyên môn, Thủ trưởng các đơn vị và cá nhân có liên quan "
    "chịu trách nhiệm thi hành Quyết định này.",
)
SIGNERS = ("Nguyễn Văn Hùng", "Trần Thị Thu Hà", "Lê Quang Đức", "Phạm Thị Ngọc Ánh")


@dataclass(frozen=True)
class Line:
    text: str
    size: float = BODY_PT
    bold: bool = False
    italic: bool = False
    align: str = "left"  # left | center | right | justify
    indent_mm: float = 0.0
    column: int = 0  # 0: full width; 1 / 2: the left / right header column (same row)
    space_before_mm: float = 0.0


@dataclass(frozen=True)
class ScannedPage:
    image: Image.Image
    text: str


@dataclass
class ScannedDocument:
    pdf: bytes
    page_texts: list[str] = field(default_factory=list)
    dpi: int = 200

    @property
    def text(self) -> str:
        return "\n\n".join(self.page_texts)

    @property
    def pages(self) -> int:
        return len(self.page_texts)


def decision_body(seed: int = 0, *, paragraphs: int = 6) -> str:
    """The body of a ward committee's decision (quyết định): legal bases then articles."""
    rng = random.Random(seed)
    bases = rng.sample(LEGAL_BASES, k=3)
    lines = [
        *bases,
        "Theo đề nghị của Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân phường.",
    ]
    lines.append("QUYẾT ĐỊNH:")
    sentences = list(ARTICLE_SENTENCES)
    rng.shuffle(sentences)
    for number in range(1, paragraphs + 1):
        first = sentences[(number - 1) % len(sentences)]
        second = sentences[number % len(sentences)] if rng.random() < 0.5 else ""
        lines.append(f"Điều {number}. {first}" + (f" {second}" if second else ""))
    return nfc("\n".join(lines))


def decision_lines(
    body: str | None = None,
    *,
    seed: int = 0,
    ward: str | None = None,
    number: int | None = None,
    year: int = 2026,
) -> list[Line]:
    """A whole decision as drawn lines: the two-column header (App. I), the title, the body
    (one paragraph per line of ``body``) and the signature block."""
    rng = random.Random(seed)
    ward = ward or rng.choice(WARDS)
    number = number if number is not None else rng.randint(1, 250)
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    subject = rng.choice(SUBJECTS).format(year=year)
    body = body if body is not None else decision_body(seed)
    signer = rng.choice(SIGNERS)
    lines = [
        Line("ỦY BAN NHÂN DÂN", HEADER_PT, column=1, align="center"),
        Line(f"PHƯỜNG {ward}", HEADER_PT, bold=True, column=1, align="center"),
        Line(f"Số: {number:02d}/QĐ-UBND", HEADER_PT + 0.5, column=1, align="center"),
        Line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", HEADER_PT, bold=True, column=2, align="center"),
        Line("Độc lập - Tự do - Hạnh phúc", BODY_PT, bold=True, column=2, align="center"),
        Line(
            f"{ward.title()}, ngày {day:02d} tháng {month:02d} năm {year}",
            BODY_PT,
            italic=True,
            column=2,
            align="center",
        ),
        Line("QUYẾT ĐỊNH", 14, bold=True, align="center", space_before_mm=10),
        Line(subject, 14, bold=True, align="center"),
        Line(
            f"CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG {ward}",
            13.5,
            bold=True,
            align="center",
            space_before_mm=6,
        ),
    ]
    for i, paragraph in enumerate(body.splitlines()):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        is_heading = paragraph.isupper() and len(paragraph) < 40
        lines.append(
            Line(
                paragraph,
                bold=is_heading,
                align="center" if is_heading else "justify",
                indent_mm=0 if is_heading else 10,
                space_before_mm=4 if i == 0 else 1.5,
            )
        )
    lines += [
        Line("TM. ỦY BAN NHÂN DÂN", 13, bold=True, align="right", space_before_mm=8),
        Line("CHỦ TỊCH", 13, bold=True, align="right"),
        Line(signer, 13.5, bold=True, align="right", space_before_mm=22),
    ]
    return lines


# --- drawing -------------------------------------------------------------------------------


@cache
def _font(path: Path, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), px)


def _font_for(line: Line, dpi: int) -> ImageFont.FreeTypeFont:
    path = BOLD if line.bold else ITALIC if line.italic else REGULAR
    return _font(path, round(line.size / 72 * dpi))


def _px(mm: float, dpi: int) -> int:
    return round(mm / 25.4 * dpi)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int, first_indent: int) -> list[str]:
    words = text.split()
    rows: list[str] = []
    current: list[str] = []
    limit = width - first_indent
    for word in words:
        trial = " ".join([*current, word])
        if current and font.getlength(trial) > limit:
            rows.append(" ".join(current))
            current = [word]
            limit = width
        else:
            current.append(word)
    if current:
        rows.append(" ".join(current))
    return rows


@dataclass
class _Placed:
    """One row of text at its place on a page."""

    text: str
    font: ImageFont.FreeTypeFont
    x: int
    y: int
    justify_to: int = 0  # width to stretch the row to (0: natural spacing)


def _layout(lines: Sequence[Line], dpi: int) -> list[list[_Placed]]:
    """Rows of text placed on as many pages as they need. The header's two columns are drawn
    side by side, their i-th rows on the same baseline band (as a typist aligns them)."""
    page_w, page_h = _px(A4_MM[0], dpi), _px(A4_MM[1], dpi)
    left, top, right, bottom = (_px(m, dpi) for m in MARGINS_MM)
    width = page_w - left - right
    pages: list[list[_Placed]] = [[]]
    y = top
    column_w = width // 2
    header = [line for line in lines if line.column]
    columns = [[line for line in header if line.column == c] for c in (1, 2)]
    for n in range(max((len(c) for c in columns), default=0)):
        row = [c[n] for c in columns if n < len(c)]
        row_h = max(_row_height(_font_for(line, dpi)) for line in row)
        for line in row:
            font = _font_for(line, dpi)
            cx = left + (line.column - 1) * column_w
            w = font.getlength(line.text)
            x = cx + round((column_w - w) / 2) if line.align == "center" else cx
            pages[-1].append(_Placed(line.text, font, x, y))
        y += row_h
    for line in lines:
        if line.column:
            continue
        font = _font_for(line, dpi)
        row_h = _row_height(font)
        y += _px(line.space_before_mm, dpi)
        indent = _px(line.indent_mm, dpi)
        rows = _wrap(line.text, font, width, indent)
        for n, row_text in enumerate(rows):
            if y + row_h > page_h - bottom:
                pages.append([])
                y = top
            w = round(font.getlength(row_text))
            x = left + (indent if n == 0 else 0)
            stretch = 0
            if line.align == "center":
                x = left + (width - w) // 2
            elif line.align == "right":
                x = left + width - w - _px(15, dpi)
            elif line.align == "justify" and n < len(rows) - 1:
                stretch = left + width - x
            pages[-1].append(_Placed(row_text, font, x, y, stretch))
            y += row_h
    return pages


def _row_height(font: ImageFont.FreeTypeFont) -> int:
    ascent, descent = font.getmetrics()
    return round((ascent + descent) * 1.18)


def _draw_row(draw: ImageDraw.ImageDraw, row: _Placed) -> None:
    if not row.justify_to:
        draw.text((row.x, row.y), row.text, font=row.font, fill=0)
        return
    words = row.text.split(" ")
    natural = sum(row.font.getlength(w) for w in words)
    gap = (row.justify_to - natural) / max(len(words) - 1, 1)
    x = float(row.x)
    for word in words:
        draw.text((round(x), row.y), word, font=row.font, fill=0)
        x += row.font.getlength(word) + gap


def _degrade(image: Image.Image, rng: random.Random, *, skew: float, noise: float) -> Image.Image:
    """A flatbed scan: rotated a little, softened, grainy, with specks of dust."""
    if skew:
        image = image.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(0.5 * image.width / 1654))
    if noise:
        grain = Image.effect_noise(image.size, noise)
        image = ImageChops.add(image, grain, scale=1.0, offset=-128)
        draw = ImageDraw.Draw(image)
        dots = int(image.width * image.height / 20000)
        for _ in range(dots):
            x, y = rng.randrange(image.width), rng.randrange(image.height)
            r = rng.choice((1, 1, 1, 2))
            draw.ellipse((x, y, x + r, y + r), fill=rng.randint(60, 160))
    # paper is never pure white, toner never pure black
    return image.point(lambda v: 24 + v * 214 // 255)


def render_pages(
    lines: Sequence[Line],
    *,
    dpi: int = 200,
    seed: int = 0,
    skew: float | None = None,
    noise: float = 18.0,
) -> list[ScannedPage]:
    """Draws ``lines`` on A4 pages at ``dpi`` and scans them. ``skew`` in degrees: None picks one
    in ±1.5° per page from the seed; 0 keeps the page straight. ``noise`` 0 gives a clean page."""
    rng = random.Random(seed)
    pages = []
    size = (_px(A4_MM[0], dpi), _px(A4_MM[1], dpi))
    for rows in _layout(lines, dpi):
        image = Image.new("L", size, 255)
        draw = ImageDraw.Draw(image)
        for row in rows:
            _draw_row(draw, row)
        angle = skew if skew is not None else rng.uniform(-1.5, 1.5)
        image = _degrade(image, rng, skew=angle, noise=noise)
        image.info["dpi"] = (dpi, dpi)
        pages.append(ScannedPage(image=image, text=_page_text(rows)))
    return pages


def _page_text(rows: Sequence[_Placed]) -> str:
    """Reading order, as a reader (and Tesseract) takes a page: top to bottom, and the two
    header columns' rows that share a band joined left to right on one line. NFC."""
    lines: list[str] = []
    last_y: int | None = None
    for row in sorted(rows, key=lambda r: (r.y, r.x)):
        if row.y == last_y:
            lines[-1] += " " + row.text
        else:
            lines.append(row.text)
        last_y = row.y
    return nfc("\n".join(lines))


# --- files ---------------------------------------------------------------------------------


def image_bytes(image: Image.Image, fmt: str = "png", *, dpi: int | None = None) -> bytes:
    """``image`` encoded as ``png``, ``jpeg`` or ``tiff`` (Group 4 needs 1-bit: TIFF is LZW),
    with its resolution recorded so that OCR knows the page size."""
    fmt = fmt.lower()
    resolution = dpi or int(image.info.get("dpi", (200, 200))[0])
    out = io.BytesIO()
    if fmt == "png":
        image.save(out, "PNG", dpi=(resolution, resolution), optimize=False)
    elif fmt in {"jpg", "jpeg"}:
        image.save(out, "JPEG", dpi=(resolution, resolution), quality=80)
    elif fmt in {"tif", "tiff"}:
        image.save(out, "TIFF", dpi=(resolution, resolution), compression="tiff_lzw")
    else:
        raise ValueError(f"unknown image format: {fmt}")
    return out.getvalue()


def pdf_from_images(images: Sequence[Image.Image], *, dpi: int) -> bytes:
    """One JPEG image per A4 page, no text layer: what a scanner's "scan to PDF" produces."""
    import img2pdf

    jpegs = [image_bytes(image, "jpeg", dpi=dpi) for image in images]
    layout = img2pdf.get_fixed_dpi_layout_fun((dpi, dpi))
    data = img2pdf.convert(jpegs, layout_fun=layout)
    assert isinstance(data, bytes)
    return data


def make_scanned_document(
    body: str | None = None,
    *,
    seed: int = 0,
    dpi: int = 200,
    skew: float | None = None,
    noise: float = 18.0,
) -> ScannedDocument:
    """A decision (random from ``seed`` unless ``body`` is given) as a scanned PDF."""
    pages = render_pages(
        decision_lines(body, seed=seed), dpi=dpi, seed=seed, skew=skew, noise=noise
    )
    return ScannedDocument(
        pdf=pdf_from_images([p.image for p in pages], dpi=dpi),
        page_texts=[p.text for p in pages],
        dpi=dpi,
    )


def make_scanned_pdf(
    text: str | None = None,
    pages: int = 1,
    seed: int = 0,
    *,
    dpi: int = 200,
    skew: float | None = None,
    noise: float = 18.0,
) -> ScannedDocument:
    """Exactly ``pages`` scanned pages: the first with the decision's header, then body text.

    ``text`` is the body (one paragraph per line); by default a random decision body from
    ``seed``, lengthened or cut until it fills ``pages`` pages. For the demo corpus and tests.
    """
    if pages < 1:
        raise ValueError("pages must be at least 1")
    rng = random.Random(seed)
    body = text if text is not None else decision_body(seed)
    lines = decision_lines(body, seed=seed)
    while len(_layout(lines, dpi)) < pages:
        extra = rng.choice(ARTICLE_SENTENCES)
        body = f"{body}\n{extra}"
        lines = decision_lines(body, seed=seed)
    laid = _layout(lines, dpi)
    if len(laid) > pages:
        # drop body paragraphs from the end (keep the signature) until it fits
        paragraphs = body.splitlines()
        while (
            len(paragraphs) > 1
            and len(_layout(decision_lines("\n".join(paragraphs), seed=seed), dpi)) > pages
        ):
            paragraphs.pop()
        lines = decision_lines("\n".join(paragraphs), seed=seed)
    rendered = render_pages(lines, dpi=dpi, seed=seed, skew=skew, noise=noise)[:pages]
    return ScannedDocument(
        pdf=pdf_from_images([p.image for p in rendered], dpi=dpi),
        page_texts=[p.text for p in rendered],
        dpi=dpi,
    )


def make_scanned_image(
    text: str | None = None, *, seed: int = 0, dpi: int = 200, fmt: str = "png", **kw: float
) -> tuple[bytes, str]:
    """The first page of a decision as an image file (``png``, ``jpeg``, ``tiff``) and its text."""
    page = render_pages(decision_lines(text, seed=seed), dpi=dpi, seed=seed, **kw)[0]
    return image_bytes(page.image, fmt, dpi=dpi), page.text
