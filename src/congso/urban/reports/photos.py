"""Public copies of report photos, without metadata.

A phone photo carries EXIF (device make and model, serial numbers, the moment it was taken,
often the GPS position of the citizen) and sometimes XMP/IPTC/text chunks. The citizen's
original is kept as uploaded for the ward's staff (downloaded through the permission-checked
/tep/ view; the report's location is already in its lat/lon columns). At submission a public
copy is made once with Pillow: decoded, turned upright by its EXIF orientation, reduced to
``URBAN_REPORT_PUBLIC_PHOTO_MAX_PX`` on its longer side and re-encoded with no metadata at all
(no EXIF, XMP, ICC, comments or text chunks). The copy is a kernel ``StoredFile`` owned by the
original (so it is not listed with the report's photos nor downloadable through /tep/); the
public pages and Open311 ``media_url`` serve only the copy.

Decoding every photo at submission also refuses a file that only looks like a JPEG/PNG by its
first bytes (truncated, corrupt, a decompression bomb) with a clear message.
"""

from __future__ import annotations

import io
from typing import IO, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from congso.kernel.errors import DomainError
from congso.kernel.files.models import StoredFile
from congso.kernel.files.services import file_open, file_store
from congso.kernel.orgunits.models import AdminUnit

#: Refuse images above this many pixels before decoding them (a 48 MP phone photo passes).
MAX_PIXELS = 64_000_000


def public_max_px() -> int:
    return max(64, int(getattr(settings, "URBAN_REPORT_PUBLIC_PHOTO_MAX_PX", 1600)))


def _unreadable(name: str) -> DomainError:
    return DomainError(
        "report_photo_unreadable",
        f"Không đọc được ảnh “{name}”: tệp bị hỏng hoặc không phải ảnh JPEG/PNG hợp lệ.",
        details={"field": "photos"},
    )


def strip_metadata(raw: IO[bytes], *, name: str = "ảnh") -> tuple[bytes, str]:
    """The image in ``raw`` re-encoded without any metadata: (bytes, "jpg" | "png").

    JPEG stays JPEG (quality 85); PNG stays PNG. EXIF orientation is applied to the pixels
    first, so the picture is upright without the tag. Raises DomainError
    ``report_photo_unreadable`` / ``report_photo_too_big`` on a bad file."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(raw) as img:
            fmt = img.format
            if fmt not in ("JPEG", "PNG"):
                raise _unreadable(name)
            if img.width * img.height > MAX_PIXELS:
                raise DomainError(
                    "report_photo_too_big",
                    f"Ảnh “{name}” quá lớn ({img.width}×{img.height} điểm ảnh).",
                    details={"field": "photos"},
                )
            if fmt == "JPEG":
                # Decode at a reduced DCT scale when the photo is much larger than the copy
                # (4–8× faster for a phone photo; never smaller than the requested box).
                scale = public_max_px() / max(img.width, img.height, 1)
                if scale < 1:
                    img.draft("RGB", (int(img.width * scale) + 1, int(img.height * scale) + 1))
            img.load()
            upright = ImageOps.exif_transpose(img)
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise _unreadable(name) from None
    transparency = upright.info.get("transparency")
    upright.info = {}  # EXIF, XMP, ICC, comments, PNG text: all dropped
    upright.thumbnail((public_max_px(), public_max_px()))
    out = io.BytesIO()
    if fmt == "JPEG":
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        upright.save(out, format="JPEG", quality=85, optimize=True)
        return out.getvalue(), "jpg"
    params: dict[str, Any] = {"optimize": True}
    if transparency is not None and upright.mode in ("P", "L", "RGB"):
        params["transparency"] = transparency
    upright.save(out, format="PNG", **params)
    return out.getvalue(), "png"


def store_public_copy(
    *, original: StoredFile, unit: AdminUnit, user: Any = None, max_bytes: int
) -> StoredFile:
    """Make and store the metadata-free public copy of ``original`` (owned by it)."""
    handle = file_open(original)
    try:
        data, ext = strip_metadata(handle, name=original.original_name)
    finally:
        handle.close()
    return file_store(
        upload=ContentFile(data, name=f"anh-cong-khai.{ext}"),
        owner=original,
        unit=unit,
        user=user,
        allowed_types=("jpeg", "png"),
        max_bytes=max(max_bytes, len(data)),
    )


def public_copies(originals: list[StoredFile]) -> dict[int, StoredFile]:
    """original pk → its public copy (one query)."""
    if not originals:
        return {}
    ct = ContentType.objects.get_for_model(StoredFile)
    copies = StoredFile.objects.filter(
        owner_type=ct, owner_id__in=[str(o.pk) for o in originals]
    ).order_by("pk")
    return {int(c.owner_id): c for c in copies}


def public_bytes(original: StoredFile) -> tuple[IO[bytes], str]:
    """What the public sees of ``original``: its stored public copy, or (photos stored before
    public copies existed) a copy stripped on the fly. (file object, content type)."""
    copy = public_copies([original]).get(original.pk)
    if copy is not None:
        return file_open(copy), copy.content_type
    handle = file_open(original)
    try:
        data, ext = strip_metadata(handle, name=original.original_name)
    finally:
        handle.close()
    return io.BytesIO(data), "image/jpeg" if ext == "jpg" else "image/png"
