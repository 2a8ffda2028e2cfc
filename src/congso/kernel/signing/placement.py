"""Where stamps go on the page: the rules of Decree 30 App. I turned into boxes.

Coordinates are PDF points (1/72 inch) in the page's default user space, origin at the bottom
left, as pyHanko wants them: a box is ``(x0, y0, x1, y1)``.

The words of a page come from poppler's ``pdftotext -bbox`` (Debian ``poppler-utils``, already a
requirement). Without it, or for a page whose text cannot be read (a scan), the finders return
``None`` and the callers use the documented defaults.

Rules (docs/signing.md, "Vị trí chữ ký"):

- **Leader's signature** (App. I §II.7.d): "centred between the title line and the name line".
  We look for the signer's full name, last page first; the image is centred on the name line,
  in the gap between the line above it (the title, e.g. "CHỦ TỊCH") and the name, as tall as
  the gap allows (30–90 pt) and as wide as the image's proportions give. Not found: the bottom
  right area of the last page (``default_signer_box``). The user or the API may give the page and
  the box instead.
- **Seal** (App. I §II.8.a): actual size (``SEAL_DIAMETER_MM``), covering about one third of the
  leader's image on the left: the seal's right edge is one third into the leader's box, centred
  on it vertically (``seal_box``).
- **Attachments** (App. I §II.8.b): top right of the first page, inside the top margin
  (``attachment_box``).
- **Number and date** (App. I §II.3–4, filled at issue): the blanks the drafter left in
  "Số:      /QĐ-UBND" and "…, ngày    tháng    năm 2026" on the first page
  (``find_number_slots``); without them, one line at a configurable spot in the top margin.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from dataclasses import dataclass

from defusedxml import ElementTree

MM = 72 / 25.4
SEAL_DIAMETER_MM = 36.0  # a ward committee's round seal; see docs/signing.md
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float  # bottom (PDF space)
    x1: float
    y1: float  # top (PDF space)

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True)
class PageWords:
    width: float
    height: float
    words: list[Word]


@dataclass(frozen=True)
class SignerPlacement:
    page: int  # 0-based
    box: Box
    found: bool  # True: placed by the signer's name; False: the default spot


@dataclass(frozen=True)
class NumberSlots:
    """Boxes of the blanks on the first page (page index 0). ``None``: not found."""

    number: Box | None
    day: Box | None
    month: Box | None
    year: Box | None
    font_size: float


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def pdftotext_available() -> bool:
    return shutil.which("pdftotext") is not None


def page_words(pdf_bytes: bytes, page: int) -> PageWords | None:
    """The words of page ``page`` (0-based) with their boxes, or ``None`` when poppler is missing
    or cannot read the page."""
    exe = shutil.which("pdftotext")
    if exe is None:
        return None
    number = str(page + 1)
    try:
        result = subprocess.run(  # noqa: S603 - fixed program, no shell
            [exe, "-q", "-bbox", "-f", number, "-l", number, "-", "-"],
            input=pdf_bytes,
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0 or not result.stdout:
        return None
    try:
        root = ElementTree.fromstring(result.stdout)
    except ElementTree.ParseError:
        return None
    for element in root.iter():
        if element.tag.endswith("page"):
            width = float(element.get("width", "0"))
            height = float(element.get("height", "0"))
            words = []
            for w in element:
                if not w.tag.endswith("word") or not (w.text or "").strip():
                    continue
                top, bottom = float(w.get("yMin", "0")), float(w.get("yMax", "0"))
                words.append(
                    Word(
                        text=unicodedata.normalize("NFC", w.text or ""),
                        x0=float(w.get("xMin", "0")),
                        y0=height - bottom,
                        x1=float(w.get("xMax", "0")),
                        y1=height - top,
                    )
                )
            return PageWords(width=width, height=height, words=words)
    return None


def _same_line(a: Word, b: Word) -> bool:
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    return overlap > 0.5 * min(a.height, b.height)


def _lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped by line, top line first, each line left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (-w.y1, w.x0)):
        for line in lines:
            if _same_line(line[0], word):
                line.append(word)
                break
        else:
            lines.append([word])
    for line in lines:
        line.sort(key=lambda w: w.x0)
    return lines


def _union(words: list[Word]) -> Box:
    return (
        min(w.x0 for w in words),
        min(w.y0 for w in words),
        max(w.x1 for w in words),
        max(w.y1 for w in words),
    )


def _find_sequence(line: list[Word], wanted: list[str]) -> list[Word] | None:
    tokens = [_fold(w.text) for w in line]
    for start in range(len(tokens) - len(wanted) + 1):
        if tokens[start : start + len(wanted)] == wanted:
            return line[start : start + len(wanted)]
    return None


def default_signer_box(width: float, height: float, aspect: float = 2.5) -> Box:
    """The bottom right area of a page: a 55 mm wide box, 45 mm from the right edge (to its
    centre) and 75 mm from the bottom (to its centre)."""
    w = 55 * MM
    h = w / aspect
    cx, cy = width - 45 * MM, 75 * MM
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def signer_box_near_name(page: PageWords, name: str, aspect: float = 2.5) -> Box | None:
    """The box between the title line and the line with ``name`` on this page (last match)."""
    wanted = [_fold(part) for part in name.split()]
    if not wanted:
        return None
    lines = _lines(page.words)
    for index in range(len(lines) - 1, -1, -1):
        match = _find_sequence(lines[index], wanted)
        if match is None:
            continue
        nx0, _ny0, nx1, ny1 = _union(match)
        centre_x = (nx0 + nx1) / 2
        # The nearest line above whose words overlap the name horizontally (the title).
        above = [
            line for line in lines[:index] if any(w.x1 > nx0 - 60 and w.x0 < nx1 + 60 for w in line)
        ]
        top = min(max(w.y0 for w in above[-1]), ny1 + 120) if above else ny1 + 80
        gap = max(top - ny1, 0.0)
        h = max(30.0, min(90.0, gap - 8.0))
        w = h * aspect
        if w > 200.0:
            w, h = 200.0, 200.0 / aspect
        centre_y = ny1 + gap / 2 if gap >= h else ny1 + h / 2 + 2
        return (centre_x - w / 2, centre_y - h / 2, centre_x + w / 2, centre_y + h / 2)
    return None


def find_signer_placement(
    pdf_bytes: bytes, *, page_count: int, name: str, aspect: float = 2.5
) -> SignerPlacement | None:
    """Search the pages from the last one for the signer's name; ``None`` if not found."""
    for page in range(page_count - 1, -1, -1):
        words = page_words(pdf_bytes, page)
        if words is None:
            return None
        box = signer_box_near_name(words, name, aspect)
        if box is not None:
            return SignerPlacement(page=page, box=box, found=True)
    return None


def seal_box(leader_box: Box, diameter_mm: float = SEAL_DIAMETER_MM) -> Box:
    """The seal, actual size, its right edge one third into the leader's image, centred on it
    vertically (so it covers about a third of the image, on the left)."""
    x0, y0, x1, y1 = leader_box
    size = diameter_mm * MM
    right = x0 + (x1 - x0) / 3
    cy = (y0 + y1) / 2
    return (right - size, cy - size / 2, right, cy + size / 2)


def attachment_box(width: float, height: float, *, lines: int = 2, font_size: float = 10) -> Box:
    """Top right of the page, inside the top margin: 75 mm wide, 15 mm from the right edge and
    8 mm from the top."""
    right = width - 15 * MM
    top = height - 8 * MM
    h = lines * font_size * 1.8 + 8
    return (right - 75 * MM, top - h, right, top)


def find_number_slots(page: PageWords) -> NumberSlots:
    """The blanks for the number ("Số:   /QĐ-UBND") and the date ("ngày   tháng   năm") in
    the upper half of the page. A blank already filled (digits there) is not returned."""
    upper = [w for w in page.words if w.y0 > page.height * 0.45]
    lines = _lines(upper)
    number: Box | None = None
    day = month = year = None
    font_size = 13.0
    for line in lines:
        tokens = [_fold(w.text) for w in line]
        # "Số:" then a word that starts with "/" (the blank before it is the number's place).
        if number is None:
            for i, folded in enumerate(tokens):
                label_end: Word | None = None
                if folded == "số:":
                    label_end, nxt = line[i], i + 1
                elif folded == "số" and i + 1 < len(tokens) and tokens[i + 1] == ":":
                    label_end, nxt = line[i + 1], i + 2
                if label_end is None or nxt >= len(line) or not line[nxt].text.startswith("/"):
                    continue
                slash = line[nxt]
                font_size = max(9.0, min(16.0, slash.height / 1.15))
                left = label_end.x1 + 1.5
                if slash.x0 - left >= 8:
                    number = (left, slash.y0, slash.x0 - 0.3, slash.y1)
                break
        # "ngày" … "tháng" … "năm": the blanks between them.
        if day is None and "ngày" in tokens and "tháng" in tokens:
            i_day = tokens.index("ngày")
            i_month = tokens.index("tháng", i_day)
            if i_month == i_day + 1:
                d, m = line[i_day], line[i_month]
                day = (d.x1 + 1, d.y0, m.x0 - 1, d.y1)
            if "năm" in tokens[i_month:]:
                i_year = tokens.index("năm", i_month)
                m, y = line[i_month], line[i_year]
                if i_year == i_month + 1:
                    month = (m.x1 + 1, m.y0, y.x0 - 1, m.y1)
                following = tokens[i_year + 1] if i_year + 1 < len(tokens) else ""
                if not following.replace(".", "")[:4].isdigit():  # "2026" (or "2.026")
                    year = (y.x1 + 2, y.y0, y.x1 + 2 + 2.4 * y.height, y.y1)
    return NumberSlots(number=number, day=day, month=month, year=year, font_size=font_size)
