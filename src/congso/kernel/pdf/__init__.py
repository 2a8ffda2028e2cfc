"""Print-ready PDF from Django templates (WeasyPrint), laid out per Decree 30/2020 App. I.

``render_pdf(template_name, context) -> bytes`` and ``pdf_response(pdf, filename=...)``; see
``rendering.py``. WeasyPrint is imported on first use, not when Django loads the app.
"""

from congso.kernel.pdf.rendering import (
    font_urls,
    local_only_fetcher,
    pdf_response,
    render_html_to_pdf,
    render_pdf,
    render_pdf_string,
)

__all__ = [
    "font_urls",
    "local_only_fetcher",
    "pdf_response",
    "render_html_to_pdf",
    "render_pdf",
    "render_pdf_string",
]
