"""PDF operations on top of pyHanko: open and check, sign with a visible stamp, number fields.

Every function takes and returns bytes; every failure a user can cause (a file that is not a
PDF, an encrypted PDF, a broken one, an unusable key) becomes a ``DomainError`` with a stable
code. Signatures are PAdES baseline B-B (``/SubFilter /ETSI.CAdES.detached``, SHA-256), B-T when
a timestamp authority is configured (``SIGNING_TSA_URL``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import io
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar, cast

from django.conf import settings
from PIL import Image, UnidentifiedImageError
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.form_tools import populate_static_text_field
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.stamp import TextStampStyle

from congso.kernel.errors import DomainError
from congso.kernel.signing.fonts import stamp_font
from congso.kernel.signing.placement import Box

logger = logging.getLogger(__name__)
# fontTools logs every subsetting step at INFO: keep the logs readable.
logging.getLogger("fontTools").setLevel(logging.WARNING)
T = TypeVar("T")

#: Names of the text fields added with the leader's signature and filled in at issue.
NUMBER_FIELD = "congso_so"
DAY_FIELD = "congso_ngay"
MONTH_FIELD = "congso_thang"
YEAR_FIELD = "congso_nam"
LINE_FIELD = "congso_so_ngay"  # one line "Số: … — ngày …" when the blanks were not found
NUMBER_FIELDS = (NUMBER_FIELD, DAY_FIELD, MONTH_FIELD, YEAR_FIELD, LINE_FIELD)

_FIELD_READ_ONLY = 1
_ANNOT_PRINT = 4


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """Run pyHanko's coroutine from synchronous code (in a worker thread if a loop runs here)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


# --- reading -------------------------------------------------------------------------------


def pdf_page_count(pdf_bytes: bytes) -> int:
    """Pages of a readable, unencrypted PDF. Raises ``pdf_invalid`` / ``pdf_encrypted``."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    if not pdf_bytes or not pdf_bytes.lstrip()[:5].startswith(b"%PDF-"):
        raise DomainError("pdf_invalid", "Tệp không phải là PDF.", status=415)
    try:
        reader = PdfReader(io.BytesIO(pdf_bytes), strict=False)
        if reader.is_encrypted:
            raise DomainError(
                "pdf_encrypted",
                "Tệp PDF đã bị đặt mật khẩu hoặc mã hóa: không thể ký số. "
                "Hãy gỡ mật khẩu rồi tải lên lại.",
                status=415,
            )
        count = len(reader.pages)
        for page in reader.pages:
            page.mediabox  # noqa: B018 - reading it checks the page tree
    except DomainError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DomainError("pdf_invalid", "Tệp PDF bị hỏng, không đọc được.", status=415) from exc
    except Exception as exc:  # pypdf raises many kinds on damaged files
        logger.info("unreadable PDF: %r", exc)
        raise DomainError("pdf_invalid", "Tệp PDF bị hỏng, không đọc được.", status=415) from exc
    if count == 0:
        raise DomainError("pdf_invalid", "Tệp PDF không có trang nào.", status=415)
    return count


def page_size(pdf_bytes: bytes, page: int) -> tuple[float, float]:
    """(width, height) in points of page ``page`` (0-based; -1 is the last)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes), strict=False)
    box = reader.pages[page].mediabox
    return float(box.width), float(box.height)


def _writer(pdf_bytes: bytes) -> IncrementalPdfFileWriter:
    pdf_page_count(pdf_bytes)
    try:
        return IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise DomainError("pdf_invalid", "Tệp PDF bị hỏng, không đọc được.", status=415) from exc


# --- stamps --------------------------------------------------------------------------------


def _png_content(image: bytes) -> PdfImage:
    try:
        picture: Image.Image = Image.open(io.BytesIO(image))
        picture.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise DomainError(
            "signature_image_invalid", "Hình ảnh chữ ký/con dấu không đọc được."
        ) from exc
    if picture.mode not in ("RGBA", "LA"):
        picture = picture.convert("RGBA")
    return PdfImage(picture)


def stamp_style(
    *,
    image: bytes | None = None,
    text: str | None = None,
    font_size: float = 10,
    text_align: str = "left",
) -> TextStampStyle:
    """A borderless stamp: the image filling the box, and/or text at the top (left or right)."""
    full_box = layout.SimpleBoxLayoutRule(
        x_align=layout.AxisAlignment.ALIGN_MID,
        y_align=layout.AxisAlignment.ALIGN_MID,
        margins=layout.Margins.uniform(0),
        inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
    )
    if text:
        box_style = TextBoxStyle(
            font=GlyphAccumulatorFactory(stamp_font("regular"), font_size=round(font_size)),
            font_size=round(font_size),
            leading=round(font_size * 1.25),
        )
    else:
        box_style = TextBoxStyle()
    return TextStampStyle(
        # pyHanko interpolates the text with "%": keep a literal "%" as it is.
        stamp_text=(text or "").replace("%", "%%"),
        border_width=0,
        text_box_style=box_style,
        background=_png_content(image) if image else None,
        background_opacity=1.0,
        background_layout=full_box,
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=(
                layout.AxisAlignment.ALIGN_MAX
                if text_align == "right"
                else layout.AxisAlignment.ALIGN_MIN
            ),
            y_align=layout.AxisAlignment.ALIGN_MAX,
            margins=layout.Margins.uniform(1),
            # Text keeps its size (10 pt on attachments); an image-only stamp has no text box.
            inner_content_scaling=layout.InnerScaling.NO_SCALING,
        ),
    )


# --- number fields ---------------------------------------------------------------------------


def add_text_fields(writer: IncrementalPdfFileWriter, specs: list[tuple[str, int, Box]]) -> None:
    """Add empty, read-only, printable text fields ``(name, page, box)`` to the document.

    They are added in the same revision as the leader's signature, so the signature covers them
    empty; filling them later is a form-filling change, which validators accept after an
    approval signature (pyHanko: ``ModificationLevel.FORM_FILLING``).
    """
    if not specs:
        return
    root = writer.root
    form_ref = root.raw_get("/AcroForm") if "/AcroForm" in root else None
    if form_ref is None:
        form = generic.DictionaryObject({pdf_name("/Fields"): generic.ArrayObject()})
        root[pdf_name("/AcroForm")] = writer.add_object(form)
        writer.update_root()
    form = root["/AcroForm"]
    field_list = form["/Fields"]
    for name, page, box in specs:
        page_ref, _resources = writer.find_page_for_modification(page)
        page_obj = page_ref.get_object()
        widget = generic.DictionaryObject(
            {
                pdf_name("/Type"): pdf_name("/Annot"),
                pdf_name("/Subtype"): pdf_name("/Widget"),
                pdf_name("/FT"): pdf_name("/Tx"),
                pdf_name("/T"): generic.TextStringObject(name),
                pdf_name("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in box]),
                pdf_name("/F"): generic.NumberObject(_ANNOT_PRINT),
                pdf_name("/Ff"): generic.NumberObject(_FIELD_READ_ONLY),
                pdf_name("/P"): page_ref,
                pdf_name("/DA"): generic.TextStringObject("/Helv 0 Tf 0 g"),
            }
        )
        widget_ref = writer.add_object(widget)
        field_list.append(widget_ref)
        if "/Annots" in page_obj:
            annots = page_obj["/Annots"]
            annots.append(widget_ref)
            if isinstance(page_obj.raw_get("/Annots"), generic.IndirectObject):
                writer.update_container(annots)
        else:
            page_obj[pdf_name("/Annots")] = generic.ArrayObject([widget_ref])
        writer.update_container(page_obj)
    if isinstance(form.raw_get("/Fields"), generic.IndirectObject):
        writer.update_container(field_list)
    writer.update_container(form)


def existing_field_names(pdf_bytes: bytes) -> set[str]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
    try:
        field_list = reader.root["/AcroForm"]["/Fields"]
    except KeyError:
        return set()
    names = set()
    for ref in field_list:
        obj = ref.get_object()
        if "/T" in obj:
            names.add(str(obj["/T"]))
    return names


def fill_text_fields(pdf_bytes: bytes, values: dict[str, tuple[str, float, str, str]]) -> bytes:
    """Fill the named empty text fields in one new revision.

    ``values``: name → (text, font size, style "regular"/"italic", alignment "left"/"centre"/
    "right"). Fields that do not exist are skipped.
    """
    present = existing_field_names(pdf_bytes)
    todo = {name: spec for name, spec in values.items() if name in present and spec[0]}
    if not todo:
        return pdf_bytes
    writer = _writer(pdf_bytes)
    align = {
        "left": layout.AxisAlignment.ALIGN_MIN,
        "centre": layout.AxisAlignment.ALIGN_MID,
        "right": layout.AxisAlignment.ALIGN_MAX,
    }
    for name, (text, size, style, alignment) in todo.items():
        font_size = round(size)
        populate_static_text_field(
            writer,
            name,
            TextBoxStyle(
                font=GlyphAccumulatorFactory(stamp_font(style), font_size=font_size),
                font_size=font_size,
                box_layout_rule=layout.SimpleBoxLayoutRule(
                    x_align=align[alignment],
                    y_align=layout.AxisAlignment.ALIGN_MID,
                    margins=layout.Margins.uniform(0),
                    inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
                ),
            ),
            text,
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- signing -------------------------------------------------------------------------------


def _timestamper() -> Any:
    url = str(getattr(settings, "SIGNING_TSA_URL", "") or "")
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url)


def sign_with(
    *,
    pdf_bytes: bytes,
    signer: signers.Signer,
    field_name: str,
    page: int,
    box: Box,
    image: bytes | None = None,
    text: str | None = None,
    font_size: float = 10,
    text_align: str = "left",
    reason: str = "",
    location: str = "",
    signing_time: dt.datetime,
    prepare: Callable[[IncrementalPdfFileWriter], None] | None = None,
) -> bytes:
    """Add a new visible signature field and sign it (one new revision)."""
    writer = _writer(pdf_bytes)
    if prepare is not None:
        prepare(writer)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        timestamper=_timestamper(),
        stamp_style=stamp_style(image=image, text=text, font_size=font_size, text_align=text_align),
        new_field_spec=fields.SigFieldSpec(
            sig_field_name=field_name,
            on_page=page,
            box=cast("tuple[int, int, int, int]", tuple(round(v, 2) for v in box)),
        ),
    )

    async def run() -> bytes:
        session = pdf_signer.init_signing_session(writer)
        # The signing time of the signature dictionary (/M) and of the visible text agree.
        session.system_time = signing_time
        info = await session.perform_presign_validation(writer)
        reserved = await session.estimate_signature_container_size(info, tight=False)
        tbs = session.prepare_tbs_document(
            validation_info=info, bytes_reserved=reserved, appearance_text_params=None
        )
        digest, output = tbs.digest_tbs_document(output=io.BytesIO())
        post = await tbs.perform_signature(
            document_digest=digest.document_digest,
            pdf_cms_signed_attrs=PdfCMSSignedAttributes(
                signing_time=session.system_time,
                adobe_revinfo_attr=None if info is None else info.adobe_revinfo_attr,
                cades_signed_attrs=meta.cades_signed_attr_spec,
            ),
        )
        await post.post_signature_processing(output)
        return bytes(cast(io.BytesIO, output).getvalue())

    try:
        return _run(run())
    except DomainError:
        raise
    except SigningError as exc:
        raise DomainError("sign_failed", f"Không ký được tệp PDF: {exc}") from exc
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        logger.warning("signing failed: %r", exc)
        raise DomainError("sign_failed", "Không ký được tệp PDF này (cấu trúc PDF lỗi?).") from exc
