"""The font of the text in signature stamps and of the number and date filled in at issue.

Decree 30 asks for Times New Roman. Liberation Serif 2 (Debian ``fonts-liberation2``) has its
metrics and the Vietnamese glyphs, but its 2048 units per em come out spaced twice too wide in
pyHanko's OpenType text (pyHanko writes glyph widths in font units where PDF expects
thousandths). So on first use we make a copy scaled to 1000 units per em with fontTools
(``scale_upem``: outlines, metrics, kerning and hinting scaled together), renamed "Congso Serif"
as the SIL Open Font License asks of modified fonts (the name "Liberation" is reserved), and
keep it under ``SIGNING_DIR/fonts``. Without Liberation Serif we fall back to Be Vietnam Pro
(``fontpkg-be-vietnam-pro``, already 1000 units per em). ``SIGNING_STAMP_FONT`` may name any
TrueType/OpenType file instead.
"""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path

from django.conf import settings

LIBERATION_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/liberation-serif"),
    Path("/usr/share/fonts/liberation"),
)
STYLES = {"regular": "Regular", "italic": "Italic", "bold": "Bold", "bolditalic": "BoldItalic"}
FAMILY = "Congso Serif"
TARGET_UPEM = 1000


def _be_vietnam_pro(style: str) -> Path:
    import fontpkg_be_vietnam_pro

    files = Path(fontpkg_be_vietnam_pro.__file__).parent / "files"
    name = {"regular": "Regular", "italic": "Italic", "bold": "Bold", "bolditalic": "BoldItalic"}
    return files / f"BeVietnamPro-{name[style]}.ttf"


def _liberation(style: str) -> Path | None:
    for folder in LIBERATION_DIRS:
        candidate = folder / f"LiberationSerif-{STYLES[style]}.ttf"
        if candidate.is_file():
            return candidate
    return None


def _has_vietnamese(path: Path) -> bool:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        cmap = font.getBestCmap() or {}
    return all(ord(ch) in cmap for ch in "ẮặỗưƯđĐ")


def _scaled_copy(source: Path, style: str) -> Path:
    """``source`` at 1000 units per em, renamed; made once and cached."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    folder = Path(settings.SIGNING_DIR) / "fonts"
    target = folder / f"CongsoSerif-{STYLES[style]}-{source.stat().st_size}.ttf"
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    font = TTFont(str(source))
    scale_upem(font, TARGET_UPEM)
    if "FFTM" in font:  # FontForge's timestamps: the subsetter cannot handle it, nobody needs it
        del font["FFTM"]
    subfamily = {"regular": "Regular", "italic": "Italic", "bold": "Bold"}.get(style, "Bold Italic")
    postscript = f"CongsoSerif-{STYLES[style]}"
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID == 4:
            record.string = f"{FAMILY} {subfamily}"
        elif record.nameID == 6:
            record.string = postscript
        elif record.nameID == 3:
            record.string = f"{postscript} (scaled to 1000 upm from {source.name})"
    handle, tmp = tempfile.mkstemp(dir=folder, suffix=".ttf")
    os.close(handle)
    try:
        font.save(tmp)
        os.replace(tmp, target)  # atomic: concurrent first uses agree
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


@lru_cache(maxsize=8)
def _resolve(style: str, configured: str) -> str:
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise FileNotFoundError(f"SIGNING_STAMP_FONT: {configured} không tồn tại")
        from fontTools.ttLib import TTFont

        with TTFont(str(path), lazy=True) as font:
            upem = int(font["head"].unitsPerEm)
        return str(path if upem == TARGET_UPEM else _scaled_copy(path, style))
    source = _liberation(style)
    if source is not None and _has_vietnamese(source):
        return str(_scaled_copy(source, style))
    return str(_be_vietnam_pro(style))


def stamp_font(style: str = "regular") -> str:
    """Path of the font file for stamp and form text (``regular``, ``italic``, ``bold``)."""
    if style not in STYLES:
        raise ValueError(f"unknown font style: {style}")
    return _resolve(style, str(getattr(settings, "SIGNING_STAMP_FONT", "") or ""))
