"""Text out of PDFs and scans: the text layer when there is one, OCR when there is not.

- ``extract_text(pdf_bytes)``: the text layer, read with pypdf (NFC), page by page.
- ``pages_without_text(page_texts)`` / ``needs_ocr(...)``: which pages carry no meaningful text.
- ``ocr_pdf(input_path, output_path)``: a searchable PDF (PDF/A-2b when it validates) made with
  OCRmyPDF and Tesseract ``vie+eng``. Tesseract runs with one OpenMP thread
  (``OMP_THREAD_LIMIT=1``) and pages run in parallel (``jobs``, by default one per CPU): on a
  2-core machine one page takes ~1 s this way and 5 s or more with Tesseract's own threads.
- ``image_to_pdf(image_bytes)``: PNG, JPEG or TIFF (several pages too) to a PDF, losslessly
  (img2pdf), with a credible resolution so that the page has its real size.

Errors are ``OcrError`` (a DomainError) with stable codes: ``pdf_encrypted``, ``pdf_corrupt``,
``image_unreadable``, ``ocr_unavailable``, ``ocr_failed``.
The choices and their measurements: docs/decisions/0006-ocr-pipeline.md.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import threading
import time
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from congso.kernel.errors import DomainError

if TYPE_CHECKING:
    from pypdf import PdfReader

logger = logging.getLogger(__name__)

#: A page "has text" when its text layer holds at least this many letters or digits. A page
#: number, a stamp's "Số đến: 12" or stray marks from a converter do not make a page searchable.
MIN_TEXT_CHARS = 25
DEFAULT_LANGUAGES = "vie+eng"
#: Seconds Tesseract may spend on one page before OCRmyPDF gives up on it.
PAGE_TIMEOUT = 180.0
PLUGIN = "congso.kernel.ocr.plugin"

_env_lock = threading.Lock()


class OcrError(DomainError):
    """Digitisation could not be done; ``message`` says why in Vietnamese."""

    status = 422


def _encrypted() -> OcrError:
    return OcrError(
        "pdf_encrypted",
        "Tệp PDF được đặt mật khẩu hoặc mã hóa nên không thể số hóa. "
        "Hãy xin cơ quan gửi bản không mã hóa, hoặc quét lại bản giấy.",
    )


def _corrupt(detail: str = "") -> OcrError:
    return OcrError(
        "pdf_corrupt",
        "Tệp PDF bị hỏng hoặc không đúng định dạng nên không đọc được. Hãy tải lên lại tệp gốc.",
        details={"detail": detail[:300]} if detail else None,
    )


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def tidy(text: str) -> str:
    """NFC; within each line, runs of spaces one space (justified text comes out of a text
    layer with wide gaps); no blank lines at the ends."""
    lines = (" ".join(line.split()) for line in nfc(text).splitlines())
    return "\n".join(lines).strip()


def meaningful_chars(text: str) -> int:
    return sum(1 for ch in text if ch.isalnum())


# --- text layer ----------------------------------------------------------------------------


def _reader(pdf_bytes: bytes) -> PdfReader:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not pdf_bytes.lstrip()[:5].startswith(b"%PDF"):
        raise _corrupt("no %PDF header")
    try:
        reader = PdfReader(io.BytesIO(pdf_bytes), strict=False)
        encrypted = reader.is_encrypted
    except PdfReadError as exc:
        raise _corrupt(str(exc)) from exc
    except Exception as exc:  # pypdf raises many kinds on garbage
        raise _corrupt(f"{type(exc).__name__}: {exc}") from exc
    if encrypted:
        # An owner password only restricts printing or copying; an empty user password opens
        # it (the files were sent to us to be kept and read). A real password: refused.
        try:
            opened = reader.decrypt("")
        except Exception as exc:  # unsupported encryption
            raise _encrypted() from exc
        if not opened:
            raise _encrypted()
    return reader


def extract_page_texts(pdf_bytes: bytes) -> list[str]:
    """The text layer of each page (NFC; empty for a page that is only an image)."""
    reader = _reader(pdf_bytes)
    texts = []
    try:
        for page in reader.pages:
            try:
                texts.append(tidy(page.extract_text() or ""))
            except Exception as exc:  # a broken content stream on one page
                logger.warning("text extraction failed on a page: %s", exc)
                texts.append("")
    except Exception as exc:
        raise _corrupt(f"{type(exc).__name__}: {exc}") from exc
    return texts


def extract_text(pdf_bytes: bytes) -> tuple[str, int, int]:
    """(the text of all pages joined by blank lines, pages with meaningful text, total pages).

    Raises ``OcrError`` ``pdf_encrypted`` or ``pdf_corrupt``."""
    texts = extract_page_texts(pdf_bytes)
    with_text = len(texts) - len(pages_without_text(texts))
    return join_pages(texts), with_text, len(texts)


def join_pages(texts: Sequence[str]) -> str:
    return "\n\n".join(t for t in texts if t)


def pages_without_text(page_texts: Sequence[str]) -> list[int]:
    """1-based numbers of the pages whose text layer is missing or not meaningful."""
    return [n for n, text in enumerate(page_texts, 1) if meaningful_chars(text) < MIN_TEXT_CHARS]


def needs_ocr(pdf_or_page_texts: bytes | Sequence[str]) -> bool:
    """Whether any page lacks a meaningful text layer (given the PDF's bytes or its texts)."""
    texts = (
        extract_page_texts(pdf_or_page_texts)
        if isinstance(pdf_or_page_texts, bytes)
        else pdf_or_page_texts
    )
    return not texts or bool(pages_without_text(texts))


# --- images --------------------------------------------------------------------------------

A4_WIDTH_INCHES = 8.27


def image_to_pdf(image_bytes: bytes) -> bytes:
    """A PNG, JPEG or (multi-page) TIFF as a PDF, one page per frame, without re-encoding.

    An image that does not state a credible resolution is taken to be an A4-wide scan."""
    import img2pdf
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(image_bytes)) as image:
            image.verify()
        with Image.open(io.BytesIO(image_bytes)) as image:
            dpi = image.info.get("dpi") or (0, 0)
            width = image.width
            frames = getattr(image, "n_frames", 1)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise OcrError(
            "image_unreadable",
            "Không đọc được tệp ảnh (ảnh hỏng hoặc định dạng không hỗ trợ). "
            "Hãy tải lên ảnh PNG, JPEG, TIFF hoặc tệp PDF.",
            details={"detail": str(exc)[:300]},
        ) from exc
    stated = float(dpi[0] or 0)
    if not 70 <= stated <= 1200:
        stated = max(72.0, round(width / A4_WIDTH_INCHES))
        layout = img2pdf.get_fixed_dpi_layout_fun((stated, stated))
    else:
        layout = None
    try:
        data = img2pdf.convert(image_bytes, layout_fun=layout, rotation=img2pdf.Rotation.ifvalid)
    except Exception as exc:
        # img2pdf refuses some modes (e.g. images with an alpha channel): go through Pillow.
        logger.info("img2pdf refused the image (%s); converting with Pillow", exc)
        data = _pillow_pdf(image_bytes, stated or 200.0, frames)
    assert isinstance(data, bytes)
    return data


def _pillow_pdf(image_bytes: bytes, dpi: float, frames: int) -> bytes:
    from PIL import Image, ImageSequence

    out = io.BytesIO()
    with Image.open(io.BytesIO(image_bytes)) as image:
        pages = [frame.convert("RGB") for frame in ImageSequence.Iterator(image)][:frames]
    pages[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return out.getvalue()


# --- OCR -----------------------------------------------------------------------------------


@dataclass
class OcrResult:
    output_path: Path
    page_texts: list[str]
    ocr_pages: list[int] = field(default_factory=list)  # 1-based pages that were OCRed
    seconds: float = 0.0
    engine: str = ""
    pdfa: bool = False

    @property
    def pages(self) -> int:
        return len(self.page_texts)

    @property
    def text(self) -> str:
        return join_pages(self.page_texts)


def _is_encrypted(data: bytes) -> bool:
    from pypdf import PdfReader

    return bool(PdfReader(io.BytesIO(data), strict=False).is_encrypted)


def _decrypted_copy(src: Path, target: Path) -> Path:
    """The PDF without its owner password (OCRmyPDF refuses encrypted input)."""
    import pikepdf

    try:
        with pikepdf.open(src) as pdf:
            pdf.save(target)
    except pikepdf.PasswordError as exc:
        raise _encrypted() from exc
    except pikepdf.PdfError as exc:
        raise _corrupt(str(exc)) from exc
    return target


def ghostscript_available() -> bool:
    return shutil.which("gs") is not None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@contextmanager
def _one_openmp_thread() -> Iterator[None]:
    """OCRmyPDF passes ``OMP_THREAD_LIMIT`` from this process's environment to each Tesseract
    it starts; 1 makes each page single-threaded so that ``jobs`` pages run side by side."""
    with _env_lock:
        before = os.environ.get("OMP_THREAD_LIMIT")
        os.environ["OMP_THREAD_LIMIT"] = "1"
        try:
            yield
        finally:
            if before is None:
                os.environ.pop("OMP_THREAD_LIMIT", None)
            else:
                os.environ["OMP_THREAD_LIMIT"] = before


def engine_name(languages: str = DEFAULT_LANGUAGES) -> str:
    import ocrmypdf

    try:
        from ocrmypdf._exec import tesseract

        tess = str(tesseract.version())
    except Exception:  # pragma: no cover - reported, not fatal
        tess = "?"
    return f"OCRmyPDF {ocrmypdf.__version__}, Tesseract {tess} ({languages})"


def is_pdfa(pdf_path: Path) -> bool:
    """Whether the PDF declares PDF/A conformance in its XMP metadata."""
    import pikepdf

    try:
        with pikepdf.open(pdf_path) as pdf:
            meta = pdf.open_metadata()
            return bool(meta.pdfa_status)
    except Exception:  # pragma: no cover - a file we just wrote
        return False


def ocr_pdf(
    input_path: str | Path,
    output_path: str | Path,
    *,
    languages: str = DEFAULT_LANGUAGES,
    jobs: int | None = None,
    page_timeout: float = PAGE_TIMEOUT,
    condition_images: bool = True,
) -> OcrResult:
    """Make ``output_path``, a searchable copy of the PDF at ``input_path``, and read its text.

    Only pages without a meaningful text layer are OCRed; pages with text (a born-digital
    page in a mixed PDF) pass through untouched (OCRmyPDF's ``skip_text`` mode). A page with a
    trace of text but not enough (a digital stamp on a scanned page) is OCRed with ``force``
    for that page only. The output is PDF/A-2b when OCRmyPDF's own PDF/A conversion validates
    (or Ghostscript is installed to convert it), otherwise a regular PDF; ``OcrResult.pdfa``
    says which. ``jobs`` pages are OCRed at once (default: one per CPU).
    """
    import ocrmypdf
    from ocrmypdf import exceptions as ox

    src, dst = Path(input_path), Path(output_path)
    data = src.read_bytes()
    before = extract_page_texts(data)  # raises pdf_encrypted / pdf_corrupt
    if not before:
        raise _corrupt("no pages")
    todo = pages_without_text(before)
    started = time.perf_counter()
    if not todo:
        shutil.copyfile(src, dst)
        return OcrResult(dst, before, [], 0.0, "text layer (pypdf)", is_pdfa(dst))
    decrypted = (
        _decrypted_copy(src, dst.with_name(dst.stem + ".decrypted.pdf"))
        if _is_encrypted(data)
        else None
    )
    partial_text = any(meaningful_chars(before[n - 1]) for n in todo)
    # Only the pages that need it: a page with a trace of text (a stamp) is OCRed with
    # "force" (rasterised), an image-only page keeps its image ("skip" adds the text only).
    pages = ",".join(str(n) for n in todo) if partial_text or len(todo) < len(before) else None
    plugins = [PLUGIN] if condition_images else []
    try:
        with _one_openmp_thread():
            code = ocrmypdf.ocr(
                decrypted or src,
                dst,
                language=languages.split("+"),
                jobs=jobs or default_jobs(),
                output_type="pdfa-2" if ghostscript_available() else "auto",
                mode="force" if partial_text else "skip",
                pages=pages,
                optimize=0,
                tesseract_timeout=page_timeout,
                progress_bar=False,
                # A signed scan: the original keeps its valid signature; the copy is for search.
                invalidate_digital_signatures=True,
                plugins=plugins,
            )
    except ox.EncryptedPdfError as exc:
        raise _encrypted() from exc
    except (ox.InputFileError, ox.UnsupportedImageFormatError) as exc:
        raise _corrupt(str(exc)) from exc
    except ox.MissingDependencyError as exc:
        raise OcrError(
            "ocr_unavailable",
            "Máy chủ chưa cài đủ phần mềm nhận dạng chữ (Tesseract, gói tiếng Việt).",
            details={"detail": str(exc)[:300]},
        ) from exc
    except ox.SubprocessOutputError as exc:
        raise OcrError(
            "ocr_failed",
            "Phần mềm nhận dạng chữ gặp lỗi khi đọc tệp.",
            details={"detail": str(exc)[:300]},
        ) from exc
    except ox.ExitCodeException as exc:
        raise OcrError(
            "ocr_failed",
            "Không nhận dạng được chữ trong tệp.",
            details={"detail": f"{type(exc).__name__}: {exc}"[:300]},
        ) from exc
    finally:
        if decrypted is not None:
            decrypted.unlink(missing_ok=True)
    if code != ocrmypdf.ExitCode.ok and not (dst.exists() and dst.stat().st_size):
        raise OcrError(
            "ocr_failed", "Không nhận dạng được chữ trong tệp.", details={"exit_code": int(code)}
        )
    after = extract_page_texts(dst.read_bytes())
    return OcrResult(
        output_path=dst,
        page_texts=after,
        ocr_pages=todo,
        seconds=time.perf_counter() - started,
        engine=engine_name(languages),
        pdfa=is_pdfa(dst),
    )
