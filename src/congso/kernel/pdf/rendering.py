"""Render Django templates to PDF with WeasyPrint, offline and in the Decree 30 layout.

- Paper A4 (portrait, or landscape where a template says so), margins of Decree 30/2020
  App. I: top and bottom 20 mm, left 30 mm, right 15 mm; page numbers centred in the top
  margin from the second page on (shared/domain/vietnam-rules.md §1.6).
- Font: Liberation Serif 2 (metric-compatible with Times New Roman, with the Vietnamese glyphs
  that Liberation 1 lacks), loaded **explicitly** from its files through ``@font-face`` under a
  family name of our own, so fontconfig can never substitute another "Liberation Serif".
- Nothing is fetched from the network: the URL fetcher serves ``file:`` URLs inside the font
  folder and the static folders, and ``data:`` URLs; it refuses everything else (an ``http``
  image in a template is left out with a warning, never downloaded).

WeasyPrint takes over a second to import, so it is imported on first use.
"""

from __future__ import annotations

import functools
import logging
import mimetypes
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/liberation2"
FONT_FILES = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bold_italic": "LiberationSerif-BoldItalic.ttf",
}
#: The family name templates use; only our @font-face rules define it.
FONT_FAMILY = "CongsoSerif"


class PdfFontMissing(RuntimeError):
    """Liberation Serif 2 is not installed (Debian: fonts-liberation2)."""


def font_dir() -> Path:
    return Path(getattr(settings, "PDF_FONT_DIR", DEFAULT_FONT_DIR))


@functools.cache
def _font_urls(directory: str) -> dict[str, str]:
    base = Path(directory)
    urls: dict[str, str] = {}
    for key, name in FONT_FILES.items():
        path = base / name
        if not path.is_file():
            raise PdfFontMissing(
                f"Thiếu phông chữ {path} (cài gói Debian fonts-liberation2): "
                "không thể in PDF đúng phông Times New Roman có dấu tiếng Việt."
            )
        urls[key] = path.resolve().as_uri()
    return urls


def font_urls() -> dict[str, str]:
    """``file://`` URLs of the four Liberation Serif 2 faces (regular, bold, italic, both)."""
    return _font_urls(str(font_dir()))


def allowed_roots() -> list[Path]:
    """Folders the fetcher may read: the font folder and the static folders."""
    roots: list[Path] = [font_dir()]
    for entry in getattr(settings, "STATICFILES_DIRS", []):
        path = entry[1] if isinstance(entry, tuple | list) else entry
        roots.append(Path(path))
    static_root = getattr(settings, "STATIC_ROOT", None)
    if static_root:
        roots.append(Path(static_root))
    roots.extend(Path(p) for p in getattr(settings, "PDF_EXTRA_ROOTS", []))
    return [root.resolve() for root in roots]


def _inside(path: Path, roots: Iterable[Path]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


@functools.cache
def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnlyFetcher(URLFetcher):
        """Serves local files under ``roots`` and ``data:`` URLs; refuses anything else.

        ``refused`` lists the URLs it turned away (WeasyPrint logs a warning and renders
        without them).
        """

        def __init__(self, roots: Iterable[Path] | None = None) -> None:
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
            self.roots = [Path(r).resolve() for r in roots] if roots is not None else None
            self.refused: list[str] = []

        def _refuse(self, url: str, why: str) -> ValueError:
            self.refused.append(url)
            logger.warning("PDF: refused to fetch %s (%s)", url[:200], why)
            return ValueError(f"refused: {why}")

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.split(":", 1)[0].lower() if ":" in url else ""
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme != "file":
                raise self._refuse(url, "only local files and data: URLs")
            parts = urlsplit(url)
            if parts.netloc not in ("", "localhost"):
                raise self._refuse(url, "file URL on another host")
            path = Path(url2pathname(unquote(parts.path))).resolve()
            roots = self.roots if self.roots is not None else allowed_roots()
            if not _inside(path, roots) or not path.is_file():
                raise self._refuse(url, "outside the allowed folders")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type}
            )

    return LocalOnlyFetcher


def local_only_fetcher(roots: Iterable[Path] | None = None) -> Any:
    """A new WeasyPrint URL fetcher that never touches the network (see the module doc)."""
    return _fetcher_class()(roots)


def _context(context: Mapping[str, Any] | None) -> dict[str, Any]:
    data = dict(context or {})
    data.setdefault("pdf_fonts", font_urls())
    data.setdefault("pdf_font_family", FONT_FAMILY)
    return data


def render_html_to_pdf(html: str, *, fetcher: Any = None) -> bytes:
    """HTML (already rendered) → PDF bytes, fonts loaded explicitly, no network."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    url_fetcher = fetcher if fetcher is not None else local_only_fetcher()
    font_config = FontConfiguration()
    document = HTML(
        string=html, base_url=font_dir().resolve().as_uri() + "/", url_fetcher=url_fetcher
    )
    pdf = document.write_pdf(font_config=font_config)
    assert isinstance(pdf, bytes)
    return pdf


def render_pdf(
    template_name: str,
    context: Mapping[str, Any] | None = None,
    *,
    request: HttpRequest | None = None,
    fetcher: Any = None,
) -> bytes:
    """Render ``template_name`` (which should extend ``pdf/base.html``) to PDF bytes."""
    html = render_to_string(template_name, _context(context), request=request)
    return render_html_to_pdf(html, fetcher=fetcher)


def render_pdf_string(
    source: str,
    context: Mapping[str, Any] | None = None,
    *,
    request: HttpRequest | None = None,
    fetcher: Any = None,
) -> bytes:
    """Like ``render_pdf`` with the template given as a string (it may extend pdf/base.html)."""
    template = engines["django"].from_string(source)
    html = template.render(_context(context), request=request)
    return render_html_to_pdf(html, fetcher=fetcher)


def pdf_response(pdf: bytes, *, filename: str, inline: bool = True) -> HttpResponse:
    """An HTTP response carrying ``pdf``: shown in the browser (``inline``) or downloaded,
    under a Vietnamese file name (RFC 5987) with a plain-ASCII fallback."""
    from congso.kernel.files.responses import content_disposition

    if not filename.lower().endswith(".pdf"):
        filename = f"{filename}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["Content-Length"] = str(len(pdf))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
