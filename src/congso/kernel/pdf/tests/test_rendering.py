"""render_pdf: A4 in the Decree 30 layout, Liberation Serif 2 embedded, Vietnamese text intact,
page numbers from page 2 on, and nothing fetched from outside."""

from __future__ import annotations

import http.server
import io
import socket
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest
from django.http import HttpResponse
from fontTools.ttLib import TTFont

from congso.kernel.pdf import (
    local_only_fetcher,
    pdf_response,
    render_html_to_pdf,
    render_pdf,
    render_pdf_string,
)
from congso.kernel.pdf.rendering import PdfFontMissing, font_dir, font_urls

MM = 72 / 25.4
A4_W, A4_H = 210 * MM, 297 * MM

PAGES_SOURCE = """{% extends "pdf/base.html" %}
{% block page_size %}{{ size }}{% endblock %}
{% block content %}<h1>Sổ đăng ký văn bản đến</h1>
{% for i in rows %}<p>Đoạn {{ i }}: Ủy ban nhân dân phường Tây Hồ — Quyết định về việc phê duyệt
kế hoạch tổ chức Tết Nguyên đán Bính Ngọ.</p>{% endfor %}{% endblock %}"""


def _pdf(size: str = "A4", rows: int = 90) -> pypdf.PdfReader:
    data = render_pdf_string(PAGES_SOURCE, {"size": size, "rows": range(1, rows + 1)})
    assert data.startswith(b"%PDF-")
    return pypdf.PdfReader(io.BytesIO(data))


def _positions(page: Any) -> list[tuple[float, float, str]]:
    """(x, y, text) of each text run, in PDF points from the bottom-left corner."""
    runs: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        runs.append((x, y, text.strip()))

    page.extract_text(visitor_text=visit)
    return runs


def test_a4_portrait_and_landscape() -> None:
    portrait = _pdf("A4", rows=5).pages[0].mediabox
    assert float(portrait.width) == pytest.approx(A4_W, abs=0.5)
    assert float(portrait.height) == pytest.approx(A4_H, abs=0.5)
    landscape = _pdf("A4 landscape", rows=5).pages[0].mediabox
    assert float(landscape.width) == pytest.approx(A4_H, abs=0.5)
    assert float(landscape.height) == pytest.approx(A4_W, abs=0.5)


def test_vietnamese_text_survives_with_its_diacritics() -> None:
    reader = _pdf(rows=3)
    text = reader.pages[0].extract_text()
    assert "Sổ đăng ký văn bản đến" in text
    assert "Ủy ban nhân dân phường Tây Hồ" in text
    assert unicodedata.is_normalized("NFC", text)


def test_liberation_serif_2_is_embedded_not_a_substitute() -> None:
    reader = _pdf(rows=3)
    families = set()
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        embedded = TTFont(io.BytesIO(descriptor["/FontFile2"].get_data()))
        names = {record.toUnicode() for record in embedded["name"].names}
        families.add(embedded["name"].getDebugName(1))
        assert any(name.startswith("Version 2.") for name in names), names
    assert families == {"Liberation Serif"}


def test_margins_of_decree_30_and_page_numbers_from_page_two() -> None:
    reader = _pdf(rows=90)
    assert len(reader.pages) >= 3
    first = _positions(reader.pages[0])
    second = _positions(reader.pages[1])
    for runs in (first, second):
        body = [run for run in runs if not run[2].isdigit()]
        # Left margin 30 mm, right 15 mm, top and bottom 20 mm.
        assert min(x for x, _y, _t in body) == pytest.approx(30 * MM, abs=1.0)
        assert max(y for _x, y, _t in body) <= A4_H - 20 * MM
        assert min(y for _x, y, _t in body) >= 20 * MM - 1
    # No number on the first page; "2" centred in the top margin of the second.
    assert not [run for run in first if run[2].isdigit()]
    numbers = [run for run in second if run[2].isdigit()]
    assert [text for _x, _y, text in numbers] == ["2"]
    x, y, _text = numbers[0]
    assert y > A4_H - 20 * MM
    centre = (30 * MM + A4_W - 15 * MM) / 2
    assert x == pytest.approx(centre, abs=6)


def test_render_pdf_from_a_template_file() -> None:
    data = render_pdf("pdf/base.html", {})
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1


def test_pdf_response_headers() -> None:
    response = pdf_response(b"%PDF-1.7 test", filename="Sổ đăng ký văn bản đến 2026", inline=False)
    assert isinstance(response, HttpResponse)
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="So dang ky van ban den 2026.pdf"' in disposition
    assert "filename*=UTF-8''S%E1%BB%95%20" in disposition
    assert response["Content-Length"] == str(len(b"%PDF-1.7 test"))
    assert pdf_response(b"x", filename="a.pdf")["Content-Disposition"].startswith("inline;")


def test_missing_font_is_a_clear_error(settings: Any, tmp_path: Path) -> None:
    settings.PDF_FONT_DIR = str(tmp_path)
    with pytest.raises(PdfFontMissing, match="fonts-liberation2"):
        font_urls()
    assert font_dir() == tmp_path


# --- nothing from outside -------------------------------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red; }")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    """A real HTTP server on this machine that records every request it gets."""
    _Recorder.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_no_url_outside_is_fetched(local_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    connects: list[Any] = []
    real_connect = socket.socket.connect

    def spy(self: socket.socket, address: Any) -> Any:
        connects.append(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", spy)
    fetcher = local_only_fetcher()
    html = f"""<html><head>
      <link rel="stylesheet" href="{local_server}/style.css">
      <style>@import url("{local_server}/imported.css");
        @font-face {{ font-family: X; src: url("https://fonts.example.org/x.woff2"); }}</style>
      </head><body><p style="font-family: X">Xin chào</p>
      <img src="{local_server}/logo.png"><img src="//example.org/a.png">
      <img src="file:///etc/passwd"></body></html>"""
    data = render_html_to_pdf(html, fetcher=fetcher)
    assert data.startswith(b"%PDF-")
    assert _Recorder.hits == []
    assert connects == []
    refused = set(fetcher.refused)
    assert f"{local_server}/style.css" in refused
    assert f"{local_server}/logo.png" in refused
    assert "https://fonts.example.org/x.woff2" in refused
    assert "file:///etc/passwd" in refused


def test_the_server_would_have_answered(local_server: str) -> None:
    """The recorder really serves (so an empty hit list above means nothing was asked)."""
    import urllib.request

    with urllib.request.urlopen(f"{local_server}/probe.css") as response:  # noqa: S310
        assert response.status == 200
    assert _Recorder.hits == ["/probe.css"]


def test_fetcher_serves_fonts_and_data_urls_only() -> None:
    fetcher = local_only_fetcher()
    font = fetcher.fetch(font_urls()["regular"])
    try:
        assert font.read(4) == b"\x00\x01\x00\x00"
    finally:
        font.close()
    data = fetcher.fetch("data:text/plain;base64,eGluIGNow6Bv")
    assert data.read() == "xin chào".encode()
    for url in (
        "http://127.0.0.1/",
        "ftp://example.org/x",
        "file://otherhost/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
        font_urls()["regular"].replace("LiberationSerif-Regular.ttf", "../../../../etc/passwd"),
    ):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
