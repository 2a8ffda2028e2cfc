"""Made-up signature and seal images for the test CA's credentials (demo data only).

Decree 30 App. I: the leader's signature image is blue on a transparent background (§II.7.d),
the seal red, actual size, on a transparent background (§II.8.a). Real images are scans the
committee uploads; these are drawn so that the demo looks like the real thing and can never be
mistaken for it (the seal says "MẪU THỬ NGHIỆM").
"""

from __future__ import annotations

import io
import math
import random
import unicodedata

from PIL import Image, ImageDraw, ImageFont

from congso.kernel.signing.fonts import stamp_font

SIGNATURE_BLUE = (18, 42, 160, 255)
SEAL_RED = (214, 28, 36, 235)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def signature_png(seed: str, size: tuple[int, int] = (500, 200)) -> bytes:
    """A handwritten-looking blue signature (loops and a flourish), varied by ``seed``."""
    width, height = size
    scale = 3
    image = Image.new("RGBA", (width * scale, height * scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed)  # noqa: S311 - a drawing, not cryptography
    loops = rng.randint(3, 5)
    amplitudes = [rng.uniform(0.55, 1.0) for _ in range(loops + 2)]
    points = []
    steps = 900
    for i in range(steps):
        t = i / (steps - 1) * loops * 2 * math.pi
        k = t / (2 * math.pi)
        lo = int(k)
        frac = k - lo
        amp = amplitudes[lo] * (1 - frac) + amplitudes[lo + 1] * frac
        x = 30 + t / (loops * 2 * math.pi) * (width - 90) - 0.09 * width * math.sin(t)
        y = height * 0.48 - amp * height * 0.3 * math.cos(t) + t * 1.6
        points.append((x * scale, y * scale))
    draw.line(points, fill=SIGNATURE_BLUE, width=int(3.2 * scale), joint="curve")
    tilt = rng.uniform(15, 35)
    flourish = [
        (
            (50 + u * (width - 80)) * scale,
            (height * 0.8 - tilt * u + 12 * math.sin(u * 3.8)) * scale,
        )
        for u in (j / 199 for j in range(200))
    ]
    draw.line(flourish, fill=SIGNATURE_BLUE, width=int(2.4 * scale), joint="curve")
    return _png(image.resize(size, Image.Resampling.LANCZOS))


def _arc_text(
    image: Image.Image, text: str, *, centre: float, radius: float, font: ImageFont.FreeTypeFont
) -> None:
    """Write ``text`` clockwise around the circle, centred on the top."""
    spacing = font.size * 0.12
    widths = [font.getlength(ch) + spacing for ch in text]
    span = sum(widths) / radius
    angle = -math.pi / 2 - span / 2
    tile_size = int(font.size * 2)
    for ch, w in zip(text, widths, strict=True):
        middle = angle + (w / 2) / radius
        x = centre + radius * math.cos(middle)
        y = centre + radius * math.sin(middle)
        tile = Image.new("RGBA", (tile_size, tile_size), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text(
            (tile_size / 2, tile_size / 2), ch, font=font, fill=SEAL_RED, anchor="mm"
        )
        tile = tile.rotate(-math.degrees(middle) - 90, resample=Image.Resampling.BICUBIC)
        image.alpha_composite(tile, (int(x - tile_size / 2), int(y - tile_size / 2)))
        angle += w / radius


def seal_png(ring_text: str, centre_text: str, size: int = 420) -> bytes:
    """A round red seal: the committee's name around the ring, a star, the ward in the middle
    and "MẪU THỬ NGHIỆM" underneath."""
    big = size * 2
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    c = big / 2
    outer, inner = c - 8, c - big * 0.2
    draw.ellipse([c - outer, c - outer, c + outer, c + outer], outline=SEAL_RED, width=14)
    draw.ellipse([c - inner, c - inner, c + inner, c + inner], outline=SEAL_RED, width=6)
    ring = unicodedata.normalize("NFC", ring_text.upper())
    ring_font_size = int(big * 0.075)
    ring_font = ImageFont.truetype(stamp_font("bold"), ring_font_size)
    radius = (outer + inner) / 2
    while ring_font.getlength(ring) > radius * 2 * math.pi * 0.8 and ring_font_size > 12:
        ring_font_size -= 2
        ring_font = ImageFont.truetype(stamp_font("bold"), ring_font_size)
    _arc_text(image, f"{ring} ★", centre=c, radius=radius, font=ring_font)
    star = []
    for k in range(10):
        r = big * 0.07 if k % 2 == 0 else big * 0.028
        a = -math.pi / 2 + k * math.pi / 5
        star.append((c + r * math.cos(a), c - big * 0.14 + r * math.sin(a)))
    draw.polygon(star, fill=SEAL_RED)
    middle_font = ImageFont.truetype(stamp_font("bold"), int(big * 0.062))
    draw.multiline_text(
        (c, c + big * 0.03),
        unicodedata.normalize("NFC", centre_text.upper()),
        font=middle_font,
        fill=SEAL_RED,
        anchor="mm",
        align="center",
        spacing=6,
    )
    small = ImageFont.truetype(stamp_font("bold"), int(big * 0.032))
    draw.text((c, c + big * 0.14), "MẪU THỬ NGHIỆM", font=small, fill=SEAL_RED, anchor="mm")
    return _png(image.resize((size, size), Image.Resampling.LANCZOS))
