"""A tiny, fast PDF writer for generated text documents (demo corpus, sample edXML packages).

The demo needs thousands of small "electronic copies" with a real text layer in Vietnamese, in
well under a second in total; WeasyPrint takes ~0.1 s a page. This writer embeds one subset of
Liberation Serif 2 (metric-compatible with Times New Roman; Debian ``fonts-liberation2``) with
every Vietnamese letter, computed once per process, as a CID font with a ToUnicode map (so text
extraction and search work), and lays out plain lines and paragraphs on A4 pages with the Decree
30 margins. It is not a general typesetter: one font, left-aligned or centred lines, no images.
"""

from __future__ import annotations

import io
import unicodedata
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FONT_PATHS = (
    Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"),
)
_VN = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
CHARSET = "".join(
    sorted({chr(c) for c in range(32, 127)} | set(_VN) | set(_VN.upper()) | set("–—“”‘’…°×"))
)

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
LEFT, RIGHT, TOP, BOTTOM = 30 * MM, 15 * MM, 20 * MM, 20 * MM


@dataclass(frozen=True)
class _Font:
    data: bytes  # the subset TrueType, Flate-compressed
    raw_length: int
    gids: dict[str, int]
    widths: dict[int, int]  # gid → width in 1/1000 em
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int
    cap_height: int


@lru_cache(maxsize=1)
def _font() -> _Font:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    path = next((p for p in FONT_PATHS if p.exists()), None)
    if path is None:
        raise RuntimeError("Liberation Serif not found: install fonts-liberation2")
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.layout_features = []
    options.drop_tables += ["FFTM"]
    font = TTFont(str(path))
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=CHARSET)
    subsetter.subset(font)
    font.recalcTimestamp = False  # the same bytes on every run (reproducible PDFs)
    buffer = io.BytesIO()
    font.save(buffer)
    raw = buffer.getvalue()
    upm = font["head"].unitsPerEm
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    gids: dict[str, int] = {}
    widths: dict[int, int] = {}
    for code, glyph in cmap.items():
        gid = font.getGlyphID(glyph)
        gids[chr(code)] = gid
        widths[gid] = round(hmtx[glyph][0] * 1000 / upm)
    head = font["head"]
    os2 = font["OS/2"]

    def scale(v: int) -> int:
        return round(v * 1000 / upm)

    return _Font(
        data=zlib.compress(raw, 9),
        raw_length=len(raw),
        gids=gids,
        widths=widths,
        bbox=(scale(head.xMin), scale(head.yMin), scale(head.xMax), scale(head.yMax)),
        ascent=scale(os2.sTypoAscender),
        descent=scale(os2.sTypoDescender),
        cap_height=scale(getattr(os2, "sCapHeight", 0) or 1409),
    )


@lru_cache(maxsize=1)
def _advance() -> dict[str, int]:
    """Character → advance width in 1/1000 em (only characters the subset has)."""
    font = _font()
    return {ch: font.widths[gid] for ch, gid in font.gids.items()}


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    known = _advance()
    if all(ch in known for ch in text):
        return text
    return "".join(ch if ch in known else "?" for ch in text.replace("\t", " "))


def _width(clean: str, size: float) -> float:
    advance = _advance()
    return sum(map(advance.__getitem__, clean)) * size / 1000


def text_width(text: str, size: float) -> float:
    return _width(_clean(text), size)


def _wrap(text: str, size: float, width: float) -> list[str]:
    """Greedy line breaking, measuring each word once."""
    lines: list[str] = []
    space = _width(" ", size)
    for paragraph in _clean(text).split("\n"):
        line: list[str] = []
        used = 0.0
        for word in paragraph.split(" "):
            w = _width(word, size)
            if line and used + space + w > width:
                lines.append(" ".join(line))
                line, used = [word], w
            else:
                used += (space if line else 0.0) + w
                line.append(word)
        lines.append(" ".join(line))
    return lines


@dataclass(frozen=True)
class Line:
    text: str
    size: float = 13
    align: str = "left"  # left, center, right; or "wrap" for a paragraph
    x: float | None = None  # left edge (points) instead of the margin
    width: float | None = None  # column width for centring and wrapping
    indent: float = 0  # first-line indent of a wrapped paragraph
    space_after: float = 0
    keep_y: bool = False  # do not advance: the next line prints on the same baseline


@lru_cache(maxsize=1)
def _hex_codes() -> dict[str, str]:
    return {ch: f"{gid:04X}" for ch, gid in _font().gids.items()}


def _hex(text: str) -> str:
    return "".join(map(_hex_codes().__getitem__, _clean(text)))


def _pages(lines: list[Line]) -> list[bytes]:
    pages: list[list[str]] = [[]]
    y = PAGE_H - TOP
    usable = PAGE_W - LEFT - RIGHT
    for item in lines:
        x0 = item.x if item.x is not None else LEFT
        width = item.width if item.width is not None else usable
        leading = item.size * 1.25
        if item.align == "wrap":
            parts = _wrap(item.text, item.size, width - item.indent)
            placed = [(x0 + (item.indent if i == 0 else 0), part) for i, part in enumerate(parts)]
        else:
            w = text_width(item.text, item.size)
            if item.align == "center":
                placed = [(x0 + (width - w) / 2, item.text)]
            elif item.align == "right":
                placed = [(x0 + width - w, item.text)]
            else:
                placed = [(x0, item.text)]
        for index, (x, part) in enumerate(placed):
            if y - leading < BOTTOM:
                pages.append([])
                y = PAGE_H - TOP
            y_line = y - item.size
            if part:
                pages[-1].append(
                    f"BT /F1 {item.size:g} Tf {x:.2f} {y_line:.2f} Td <{_hex(part)}> Tj ET"
                )
            if not (item.keep_y and index == len(placed) - 1):
                y -= leading
        y -= item.space_after
    return ["\n".join(ops).encode("ascii") for ops in pages]


def _to_unicode() -> bytes:
    font = _font()
    entries = sorted((gid, ch) for ch, gid in font.gids.items())
    chunks = []
    for start in range(0, len(entries), 100):
        block = entries[start : start + 100]
        body = "\n".join(f"<{gid:04X}> <{ord(ch):04X}>" for gid, ch in block)
        chunks.append(f"{len(block)} beginbfchar\n{body}\nendbfchar")
    text = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(chunks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    )
    return text.encode("ascii")


@lru_cache(maxsize=1)
def _font_objects() -> tuple[bytes, bytes, bytes, bytes, bytes]:
    """The font's five object bodies (Type0, CIDFont, descriptor, file, ToUnicode); the same in
    every PDF, so built once."""
    font = _font()
    widths = " ".join(f"{gid} [{w}]" for gid, w in sorted(font.widths.items()))
    name = "/CSSDEM+LiberationSerif"
    type0 = (
        f"<< /Type /Font /Subtype /Type0 /BaseFont {name} /Encoding /Identity-H "
        "/DescendantFonts [6 0 R] /ToUnicode 9 0 R >>"
    ).encode()
    cid = (
        f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont {name} "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        f"/FontDescriptor 7 0 R /CIDToGIDMap /Identity /DW 500 /W [{widths}] >>"
    ).encode()
    b = font.bbox
    descriptor = (
        f"<< /Type /FontDescriptor /FontName {name} /Flags 34 "
        f"/FontBBox [{b[0]} {b[1]} {b[2]} {b[3]}] /ItalicAngle 0 /Ascent {font.ascent} "
        f"/Descent {font.descent} /CapHeight {font.cap_height} /StemV 80 /FontFile2 8 0 R >>"
    ).encode()
    font_file = (
        (
            f"<< /Length {len(font.data)} /Length1 {font.raw_length} /Filter /FlateDecode >>\n"
            "stream\n"
        ).encode()
        + font.data
        + b"\nendstream"
    )
    cmap = zlib.compress(_to_unicode(), 9)
    to_unicode = (
        f"<< /Length {len(cmap)} /Filter /FlateDecode >>\nstream\n".encode() + cmap + b"\nendstream"
    )
    return type0, cid, descriptor, font_file, to_unicode


def render(lines: list[Line], *, title: str = "") -> bytes:
    """A PDF of ``lines`` on as many A4 pages as they need."""
    contents = _pages(lines)
    n = len(contents)
    # Objects: 1 catalog, 2 pages, 3 info, 4 (unused), 5–9 font, then page/content pairs.
    objects: dict[int, bytes] = {}
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    page_ids = [10 + 2 * i for i in range(n)]
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects[2] = f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode()
    title_hex = "FEFF" + "".join(f"{b:02X}" for b in title.encode("utf-16-be"))
    objects[3] = f"<< /Title <{title_hex}> /Producer (Cong so so) >>".encode()
    objects[4] = b"null"
    for oid, body in zip(range(5, 10), _font_objects(), strict=True):
        objects[oid] = body
    for pid, content in zip(page_ids, contents, strict=True):
        packed = zlib.compress(content, 6)
        objects[pid] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W:.2f} {PAGE_H:.2f}] "
            f"/Resources << /Font << /F1 5 0 R >> >> /Contents {pid + 1} 0 R >>"
        ).encode()
        objects[pid + 1] = (
            f"<< /Length {len(packed)} /Filter /FlateDecode >>\nstream\n".encode()
            + packed
            + b"\nendstream"
        )
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for oid in sorted(objects):
        offsets[oid] = len(out)
        out += f"{oid} 0 obj\n".encode() + objects[oid] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    for oid in range(1, size):
        if oid in offsets:
            out += f"{offsets[oid]:010d} 00000 n \n".encode()
        else:
            out += b"0000000000 65535 f \n"
    trailer = f"trailer\n<< /Size {size} /Root 1 0 R /Info 3 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    out += trailer.encode()
    return bytes(out)
