"""The one way stored bytes leave the server: a streaming response with safe headers."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.http import FileResponse

from congso.kernel.files.models import StoredFile
from congso.kernel.files.services import file_open

_ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9 ._()+,=@-]")


def ascii_filename(name: str) -> str:
    """A plain-ASCII stand-in for old clients: "Quyết định số 5.pdf" → "Quyet dinh so 5.pdf"."""
    text = unicodedata.normalize("NFD", name).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _ASCII_UNSAFE.sub("_", text.encode("ascii", "replace").decode("ascii"))
    return text.strip(" .") or "tep"


def content_disposition(name: str, *, inline: bool) -> str:
    """``attachment; filename="…"; filename*=UTF-8''…`` (RFC 6266 with RFC 5987 encoding)."""
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_filename(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def stored_file_response(stored_file: StoredFile, *, inline: bool = False) -> FileResponse:
    """Stream the file. ``inline`` only for kinds browsers render themselves (PDF, PNG, JPEG);
    everything else is always an attachment."""
    inline = inline and stored_file.is_inline_viewable
    response = FileResponse(
        file_open(stored_file),
        content_type=stored_file.content_type,
        as_attachment=not inline,
    )
    response["Content-Disposition"] = content_disposition(stored_file.original_name, inline=inline)
    response["Content-Length"] = str(stored_file.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["ETag"] = f'"{stored_file.sha256}"'
    if inline and stored_file.kind != "pdf":
        # An image shown on its own: nothing in it may run or load anything.
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
