"""Signing services: credentials, signing PDFs per Decree 30 App. I, verifying signatures.

Signing:

- ``sign_pdf``: one visible PAdES signature (image and/or text) in a given box.
- ``sign_main_leader`` → ``sign_main_organisation`` (``sign_document_main`` does both): the main
  document of an outgoing text. The leader's signature image goes between the title line and the
  name line; empty read-only fields for the number and the date go in with it; at issue the
  clerk's service fills them and the organisation signs with the seal over the left third of the
  leader's image, so the organisation's signature covers everything (docs/signing.md, "Thứ tự").
- ``sign_attachment``: an attachment in a separate file, signed by the organisation at the top
  right of its first page, text only: the notation and the signing time in ISO 8601 (+07:00).

``verify_pdf`` checks every signature of a PDF with pyhanko-certvalidator against the roots in
``SIGNING_TRUST_ROOTS`` (and the test CA while ``SIGNING_TEST_CA_ENABLED``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from congso.kernel.audit.services import audit_record
from congso.kernel.errors import DomainError
from congso.kernel.files.services import file_open, file_store
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.signing import pdf as pdfops
from congso.kernel.signing import placement
from congso.kernel.signing.crypto import decrypt_secret, encrypt_secret, reencrypt_secret
from congso.kernel.signing.models import CredentialKind, SigningCredential
from congso.kernel.signing.testca import ca_cert_path, is_test_issuer

logger = logging.getLogger(__name__)
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

LEADER_FIELD = "ChuKyLanhDao"
ORGANISATION_FIELD = "ChuKyCoQuan"
ATTACHMENT_FIELD = "ChuKyCoQuanPhuLuc"
IMAGE_MAX_BYTES = 2 * 1024 * 1024


# --- credentials ---------------------------------------------------------------------------


def _name_part(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = [str(a.value) for a in name.get_attributes_for_oid(oid)]
    return values[0] if values else ""


def _describe(name: x509.Name) -> str:
    cn = _name_part(name, NameOID.COMMON_NAME)
    org = _name_part(name, NameOID.ORGANIZATION_NAME)
    if org and org.startswith(cn):  # the test CA: the organisation says it all
        return org
    return ", ".join(part for part in (cn, org) if part) or name.rfc4514_string()


def _certificate_fields(certificate: x509.Certificate) -> dict[str, Any]:
    der = certificate.public_bytes(serialization.Encoding.DER)
    return {
        "certificate_der": der,
        "subject": _describe(certificate.subject)[:500],
        "issuer": _describe(certificate.issuer)[:500],
        "serial": format(certificate.serial_number, "X")[:100],
        "fingerprint_sha256": hashlib.sha256(der).hexdigest(),
        "not_before": certificate.not_valid_before_utc,
        "not_after": certificate.not_valid_after_utc,
    }


def _check_owner(user: Any, unit: AdminUnit | None) -> None:
    if (user is None) == (unit is None):
        raise DomainError(
            "credential_owner_invalid",
            "Chứng thư ký số phải thuộc đúng một chủ thể: một người hoặc một cơ quan.",
        )


def _check_image(image: bytes) -> None:
    if len(image) > IMAGE_MAX_BYTES:
        raise DomainError(
            "signature_image_invalid", "Hình ảnh chữ ký/con dấu quá lớn (tối đa 2 MB)."
        )
    try:
        picture = Image.open(io.BytesIO(image))
        picture.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise DomainError(
            "signature_image_invalid", "Hình ảnh chữ ký/con dấu phải là tệp PNG đọc được."
        ) from exc
    if picture.format != "PNG":
        raise DomainError("signature_image_invalid", "Hình ảnh chữ ký/con dấu phải là tệp PNG.")
    transparent = picture.mode in ("RGBA", "LA") or "transparency" in picture.info
    if not transparent:
        raise DomainError(
            "signature_image_not_transparent",
            "Hình ảnh chữ ký/con dấu phải có nền trong suốt (PNG có kênh alpha), "
            "theo Phụ lục I Nghị định 30/2020/NĐ-CP.",
        )


def _store_image(
    credential: SigningCredential, image: bytes, actor: Any, filename: str = "chu-ky.png"
) -> None:
    _check_image(image)
    unit = credential.unit
    if unit is None:
        from congso.kernel.people.selectors import active_positions

        position = active_positions(credential.user).first()
        unit = position.unit if position is not None else None
    stored = file_store(
        upload=ContentFile(image, name=filename),
        owner=credential,
        unit=unit,
        user=actor,
        allowed_types=["png"],
        max_bytes=IMAGE_MAX_BYTES,
    )
    credential.image = stored
    credential.save(update_fields=["image"])


def _audit_credential(action: str, credential: SigningCredential, actor: Any, summary: str) -> None:
    audit_record(
        action=action,
        obj=credential,
        actor=actor,
        unit=credential.unit_id,
        changes={
            "subject": [None, credential.subject],
            "issuer": [None, credential.issuer],
            "fingerprint_sha256": [None, credential.fingerprint_sha256],
            "is_test": [None, credential.is_test],
        },
        summary=summary,
    )


def credential_register_pkcs12(
    *,
    pkcs12_data: bytes,
    passphrase: str,
    user: Any = None,
    unit: AdminUnit | None = None,
    label: str = "",
    image: bytes | None = None,
    is_test: bool = False,
    actor: Any = None,
) -> SigningCredential:
    """Check a PKCS#12 archive (it opens with the passphrase, holds a key and its certificate,
    the certificate is valid now) and register it for ``user`` or ``unit``."""
    _check_owner(user, unit)
    try:
        key, certificate, _others = pkcs12.load_key_and_certificates(
            pkcs12_data, passphrase.encode("utf-8") if passphrase else None
        )
    except (ValueError, TypeError) as exc:
        raise DomainError(
            "credential_invalid",
            "Không mở được tệp PKCS#12: sai mật khẩu hoặc tệp không đúng định dạng.",
        ) from exc
    if key is None or certificate is None:
        raise DomainError(
            "credential_invalid", "Tệp PKCS#12 không có khóa bí mật hoặc chứng thư ký số."
        )
    facts = _certificate_fields(certificate)
    if facts["not_after"] <= timezone.now():
        raise DomainError("credential_expired", "Chứng thư ký số đã hết hạn.")
    with transaction.atomic():
        credential = SigningCredential.objects.create(
            label=label or facts["subject"][:200],
            kind=CredentialKind.PKCS12,
            user=user,
            unit=unit,
            pkcs12_data=pkcs12_data,
            secret=encrypt_secret(passphrase),
            is_test=is_test,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            **facts,
        )
        if image:
            _store_image(
                credential, image, actor, "con-dau.png" if unit is not None else "chu-ky.png"
            )
        _audit_credential(
            "signing.credential_register",
            credential,
            actor,
            f"Đăng ký chứng thư ký số '{credential.label}' ({credential.subject}).",
        )
    return credential


def pkcs11_config_check(*, module: str, token_label: str, key_label: str) -> None:
    """Validate a PKCS#11 configuration without touching the token."""
    problems = []
    path = Path(module)
    if not module or not path.is_absolute():
        problems.append("đường dẫn thư viện PKCS#11 phải là đường dẫn tuyệt đối")
    elif not path.is_file():
        problems.append(f"không tìm thấy thư viện PKCS#11 '{module}'")
    elif path.suffix not in {".so", ".dylib", ".dll"} and ".so." not in path.name:
        problems.append("thư viện PKCS#11 phải là tệp .so (Linux)")
    if not token_label.strip():
        problems.append("thiếu nhãn token")
    if not key_label.strip():
        problems.append("thiếu nhãn khóa")
    if problems:
        raise DomainError(
            "pkcs11_config_invalid",
            "Cấu hình PKCS#11 không hợp lệ: " + "; ".join(problems) + ".",
            details={"problems": problems},
        )


@contextmanager
def _pkcs11_session(module: str, token_label: str, pin: str | None) -> Iterator[Any]:
    try:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import open_pkcs11_session
    except ImportError as exc:  # pragma: no cover - the dependency is locked
        raise DomainError(
            "pkcs11_unavailable", "Thiếu thư viện python-pkcs11 (pyhanko[pkcs11])."
        ) from exc
    try:
        session = open_pkcs11_session(
            module, token_criteria=TokenCriteria(label=token_label), user_pin=pin or None
        )
    except Exception as exc:
        raise DomainError(
            "pkcs11_unreachable",
            f"Không mở được token PKCS#11 '{token_label}' (chưa cắm thiết bị, sai PIN "
            f"hoặc sai nhãn?): {exc}",
        ) from exc
    try:
        yield session
    finally:
        try:
            session.close()
        except Exception:  # pragma: no cover - closing a dead session
            logger.warning("PKCS#11 session close failed", exc_info=True)


def credential_register_pkcs11(
    *,
    module: str,
    token_label: str,
    key_label: str,
    cert_label: str = "",
    pin: str = "",
    store_pin: bool = True,
    certificate_pem: bytes | None = None,
    user: Any = None,
    unit: AdminUnit | None = None,
    label: str = "",
    image: bytes | None = None,
    actor: Any = None,
) -> SigningCredential:
    """Register a key on a PKCS#11 token (USB token, HSM).

    The configuration is validated; the certificate is read from the token (with ``pin``), or
    taken from ``certificate_pem`` when the token is not at hand now. With ``store_pin=False``
    the PIN is asked at every signing instead of being kept (encrypted).
    """
    _check_owner(user, unit)
    pkcs11_config_check(module=module, token_label=token_label, key_label=key_label)
    certificate: x509.Certificate | None = None
    if certificate_pem:
        try:
            certificate = (
                x509.load_pem_x509_certificate(certificate_pem)
                if certificate_pem.lstrip().startswith(b"-----")
                else x509.load_der_x509_certificate(certificate_pem)
            )
        except ValueError as exc:
            raise DomainError("credential_invalid", "Chứng thư ký số không đọc được.") from exc
    else:
        from pyhanko.sign.pkcs11 import PKCS11Signer

        with _pkcs11_session(module, token_label, pin) as session:
            signer = PKCS11Signer(session, key_label=key_label, cert_label=cert_label or key_label)
            try:
                der = signer.signing_cert.dump()
            except Exception as exc:
                raise DomainError(
                    "pkcs11_unreachable",
                    f"Không đọc được chứng thư '{cert_label or key_label}' trên token: {exc}",
                ) from exc
            certificate = x509.load_der_x509_certificate(der)
    facts = _certificate_fields(certificate)
    with transaction.atomic():
        credential = SigningCredential.objects.create(
            label=label or facts["subject"][:200],
            kind=CredentialKind.PKCS11,
            user=user,
            unit=unit,
            pkcs11_module=module,
            pkcs11_token_label=token_label,
            pkcs11_key_label=key_label,
            pkcs11_cert_label=cert_label,
            secret=encrypt_secret(pin) if store_pin else "",
            is_test=is_test_issuer(certificate),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            **facts,
        )
        if image:
            _store_image(credential, image, actor)
        _audit_credential(
            "signing.credential_register",
            credential,
            actor,
            f"Đăng ký chứng thư ký số trên token PKCS#11 '{token_label}' ({credential.subject}).",
        )
    return credential


def credential_set_image(*, credential: SigningCredential, image: bytes, actor: Any) -> None:
    with transaction.atomic():
        _store_image(credential, image, actor)
        audit_record(
            action="signing.credential_image",
            obj=credential,
            actor=actor,
            unit=credential.unit_id,
            summary=f"Cập nhật hình ảnh chữ ký/con dấu của '{credential.label}'.",
        )


def credential_deactivate(*, credential: SigningCredential, actor: Any) -> None:
    with transaction.atomic():
        credential.is_active = False
        credential.save(update_fields=["is_active"])
        audit_record(
            action="signing.credential_deactivate",
            obj=credential,
            actor=actor,
            unit=credential.unit_id,
            changes={"is_active": [True, False]},
            summary=f"Ngừng dùng chứng thư ký số '{credential.label}'.",
        )


def credentials_reencrypt() -> int:
    """Re-encrypt every stored passphrase/PIN with the current SECRET_KEY (after a rotation
    that kept the old key in SECRET_KEY_FALLBACKS). Returns how many were rewritten."""
    count = 0
    for credential in SigningCredential.objects.exclude(secret=""):
        token = reencrypt_secret(credential.secret)
        if token != credential.secret:
            SigningCredential.objects.filter(pk=credential.pk).update(secret=token)
            count += 1
    return count


def credential_image(credential: SigningCredential | None) -> bytes | None:
    if credential is None or credential.image_id is None:
        return None
    assert credential.image is not None
    with file_open(credential.image) as handle:
        return bytes(handle.read())


def _check_usable(credential: SigningCredential) -> None:
    if not credential.is_active:
        raise DomainError("credential_inactive", "Chứng thư ký số đã ngừng sử dụng.")
    now = timezone.now()
    if not credential.not_before <= now <= credential.not_after:
        raise DomainError(
            "credential_expired",
            f"Chứng thư ký số '{credential.label}' không còn hiệu lực "
            f"(hết hạn {timezone.localtime(credential.not_after):%d/%m/%Y}).",
        )
    if credential.is_test and not getattr(settings, "SIGNING_TEST_CA_ENABLED", True):
        raise DomainError(
            "credential_test_disabled",
            "Chứng thư thử nghiệm không được dùng trên hệ thống này (SIGNING_TEST_CA_ENABLED=0).",
        )


@contextmanager
def open_signer(credential: SigningCredential, *, pin: str | None = None) -> Iterator[Any]:
    """A pyHanko signer for the credential (a PKCS#11 session stays open inside the block)."""
    from pyhanko.sign import signers

    _check_usable(credential)
    if credential.kind == CredentialKind.PKCS12:
        passphrase = decrypt_secret(credential.secret)
        try:
            signer = signers.SimpleSigner.load_pkcs12_data(
                bytes(credential.pkcs12_data or b""),
                other_certs=[],
                passphrase=passphrase.encode("utf-8") if passphrase else None,
            )
        except ValueError as exc:
            raise DomainError(
                "credential_invalid", "Không mở được khóa bí mật của chứng thư ký số."
            ) from exc
        yield signer
        return
    from pyhanko.sign.pkcs11 import PKCS11Signer

    pkcs11_config_check(
        module=credential.pkcs11_module,
        token_label=credential.pkcs11_token_label,
        key_label=credential.pkcs11_key_label,
    )
    user_pin = pin or decrypt_secret(credential.secret) or None
    if user_pin is None:
        raise DomainError("pkcs11_pin_required", "Cần nhập mã PIN của token để ký.")
    with _pkcs11_session(
        credential.pkcs11_module, credential.pkcs11_token_label, user_pin
    ) as session:
        yield PKCS11Signer(
            session,
            key_label=credential.pkcs11_key_label,
            cert_label=credential.pkcs11_cert_label or credential.pkcs11_key_label,
        )


# --- signing -------------------------------------------------------------------------------


def _signing_time(timestamp: dt.datetime | None) -> dt.datetime:
    moment = timestamp or timezone.now()
    if timezone.is_naive(moment):
        raise ValueError("timestamp must be timezone-aware")
    return moment.astimezone(VN_TZ).replace(microsecond=0)


def iso_time(moment: dt.datetime) -> str:
    """ISO 8601 with the Vietnam offset, as Decree 30 App. I asks: 2026-03-05T09:15:02+07:00."""
    return moment.astimezone(VN_TZ).replace(microsecond=0).isoformat()


def sign_pdf(
    *,
    pdf_bytes: bytes,
    credential: SigningCredential,
    field_name: str,
    box: placement.Box,
    page: int = -1,
    image: bytes | None = None,
    text: str | None = None,
    font_size: float = 10,
    text_align: str = "left",
    reason: str = "",
    location: str = "",
    timestamp: dt.datetime | None = None,
    pin: str | None = None,
    prepare: Any = None,
) -> bytes:
    """Add one visible PAdES signature in ``box`` on ``page`` (0-based, -1 the last).

    ``image`` (PNG bytes) fills the box; ``text`` is written at its top left in the stamp font.
    ``timestamp`` is the signing time (default now): it goes in the signature and in any
    "%(ts)s"-free text the caller built from it. ``prepare(writer)`` may add objects to the same
    revision (the number fields). Raises DomainError on a bad PDF or an unusable credential.
    """
    moment = _signing_time(timestamp)
    count = pdfops.pdf_page_count(pdf_bytes)
    if not -count <= page < count:
        raise DomainError("sign_page_invalid", f"Tệp chỉ có {count} trang.")
    x0, y0, x1, y1 = box
    if x1 - x0 < 5 or y1 - y0 < 5:
        raise DomainError("sign_box_invalid", "Khung chữ ký quá nhỏ.")
    with open_signer(credential, pin=pin) as signer:
        return pdfops.sign_with(
            pdf_bytes=pdf_bytes,
            signer=signer,
            field_name=field_name,
            page=page % count,
            box=box,
            image=image,
            text=unicodedata.normalize("NFC", text) if text else None,
            font_size=font_size,
            text_align=text_align,
            reason=reason,
            location=location,
            signing_time=moment,
            prepare=prepare,
        )


@dataclass(frozen=True)
class LeaderSignature:
    pdf: bytes
    page: int
    box: placement.Box
    placed_by_name: bool  # False: the default spot (the name was not found)
    number_fields: tuple[str, ...]


def _image_aspect(image: bytes | None) -> float:
    if not image:
        return 2.5
    with Image.open(io.BytesIO(image)) as picture:
        width, height = picture.size
    return max(1.0, min(5.0, width / max(height, 1)))


def default_number_line_box(width: float, height: float) -> placement.Box:
    """Where the number and date go when the drafter left no blanks: one line in the top margin
    of the first page, from the left margin (30 mm) over 120 mm, 8–15 mm from the top."""
    return (
        30 * placement.MM,
        height - 15 * placement.MM,
        150 * placement.MM,
        height - 8 * placement.MM,
    )


def _number_field_specs(
    pdf_bytes: bytes, fallback: placement.Box | None
) -> list[tuple[str, int, placement.Box]]:
    present = pdfops.existing_field_names(pdf_bytes)
    if present & set(pdfops.NUMBER_FIELDS):
        return []  # already prepared (signed again after a return)
    words = placement.page_words(pdf_bytes, 0)
    specs: list[tuple[str, int, placement.Box]] = []
    slots = placement.find_number_slots(words) if words is not None else None
    if slots is not None:
        if slots.number:
            specs.append((pdfops.NUMBER_FIELD, 0, slots.number))
        if slots.day:
            specs.append((pdfops.DAY_FIELD, 0, slots.day))
        if slots.month:
            specs.append((pdfops.MONTH_FIELD, 0, slots.month))
        if slots.year:
            specs.append((pdfops.YEAR_FIELD, 0, slots.year))
    have = {name for name, _page, _box in specs}
    if pdfops.NUMBER_FIELD not in have or pdfops.DAY_FIELD not in have:
        width, height = pdfops.page_size(pdf_bytes, 0)
        specs.append((pdfops.LINE_FIELD, 0, fallback or default_number_line_box(width, height)))
    return specs


def sign_main_leader(
    *,
    pdf_bytes: bytes,
    credential: SigningCredential,
    signer_name: str,
    page: int | None = None,
    box: placement.Box | None = None,
    reason: str = "Ký ban hành văn bản",
    location: str = "",
    timestamp: dt.datetime | None = None,
    pin: str | None = None,
    number_fields: bool = True,
    number_fallback: placement.Box | None = None,
) -> LeaderSignature:
    """The leader's signature on the main document (App. I §II.7.d).

    Placement: ``page`` and ``box`` when given; else between the title line and the signer's
    name, found in the text (last page first); else the bottom right area of the last page.
    With ``number_fields``, empty read-only fields for the number and the date go into the same
    revision (filled at issue by ``sign_main_organisation``).
    """
    count = pdfops.pdf_page_count(pdf_bytes)
    image = credential_image(credential)
    aspect = _image_aspect(image)
    placed_by_name = False
    if box is None:
        found = (
            placement.find_signer_placement(
                pdf_bytes, page_count=count, name=signer_name, aspect=aspect
            )
            if signer_name.strip() and page is None
            else None
        )
        if found is not None:
            page, box, placed_by_name = found.page, found.box, True
        else:
            page = count - 1 if page is None else page
            box = placement.default_signer_box(*pdfops.page_size(pdf_bytes, page), aspect=aspect)
    page = (count - 1 if page is None else page) % count
    specs = _number_field_specs(pdf_bytes, number_fallback) if number_fields else []
    signed = sign_pdf(
        pdf_bytes=pdf_bytes,
        credential=credential,
        field_name=LEADER_FIELD,
        box=box,
        page=page,
        image=image,
        text=None if image else signer_name,
        reason=reason,
        location=location,
        timestamp=timestamp,
        pin=pin,
        prepare=(lambda writer: pdfops.add_text_fields(writer, specs)) if specs else None,
    )
    return LeaderSignature(
        pdf=signed,
        page=page,
        box=box,
        placed_by_name=placed_by_name,
        number_fields=tuple(name for name, _p, _b in specs),
    )


def decree_date_parts(day: dt.date) -> tuple[str, str, str]:
    """Day, month, year as written in a Decree 30 date line: days below 10 and the months 1 and
    2 take a leading zero ("ngày 05 tháng 3", "ngày 12 tháng 02")."""
    return (
        f"{day.day:02d}",
        (f"{day.month:02d}" if day.month <= 2 else str(day.month)),
        str(day.year),
    )


def fill_number(
    *, pdf_bytes: bytes, number: str = "", notation: str = "", issued: dt.date | None = None
) -> bytes:
    """Fill the number and date fields added with the leader's signature (one new revision).

    ``number`` goes in the blank before "/QĐ-UBND"; when there was no such blank the line field
    gets "Số: <notation>" instead; the date goes in the "ngày … tháng … năm" blanks or on the
    line ("ngày dd/mm/yyyy").
    """
    present = pdfops.existing_field_names(pdf_bytes)
    words = placement.page_words(pdf_bytes, 0)
    slots = placement.find_number_slots(words) if words is not None else None
    size = slots.font_size if slots is not None else 13.0
    values: dict[str, tuple[str, float, str, str]] = {}
    line_parts = []
    if number and pdfops.NUMBER_FIELD in present:
        values[pdfops.NUMBER_FIELD] = (number, size, "regular", "right")
    elif notation:
        line_parts.append(f"Số: {notation}")
    if issued is not None:
        d, m, y = decree_date_parts(issued)
        if pdfops.DAY_FIELD in present:
            values[pdfops.DAY_FIELD] = (d, size, "italic", "centre")
            values[pdfops.MONTH_FIELD] = (m, size, "italic", "centre")
            values[pdfops.YEAR_FIELD] = (y, size, "italic", "left")
        else:
            line_parts.append(f"ngày {issued:%d/%m/%Y}")
    if line_parts and pdfops.LINE_FIELD in present:
        values[pdfops.LINE_FIELD] = (", ".join(line_parts), 12.0, "regular", "left")
    return pdfops.fill_text_fields(pdf_bytes, values)


def sign_main_organisation(
    *,
    pdf_bytes: bytes,
    credential: SigningCredential,
    leader_page: int,
    leader_box: placement.Box,
    number: str = "",
    notation: str = "",
    issued: dt.date | None = None,
    reason: str = "Ký số của cơ quan, tổ chức (ban hành)",
    location: str = "",
    timestamp: dt.datetime | None = None,
    pin: str | None = None,
) -> bytes:
    """Fill the number and date, then the organisation's signature with the seal image over the
    left third of the leader's image (App. I §II.8.a). The organisation signs last: its
    signature covers the whole file, number included."""
    numbered = fill_number(pdf_bytes=pdf_bytes, number=number, notation=notation, issued=issued)
    image = credential_image(credential)
    return sign_pdf(
        pdf_bytes=numbered,
        credential=credential,
        field_name=ORGANISATION_FIELD,
        box=placement.seal_box(leader_box),
        page=leader_page,
        image=image,
        text=None if image else (credential.unit.display_committee if credential.unit else ""),
        reason=reason,
        location=location,
        timestamp=timestamp,
        pin=pin,
    )


def sign_document_main(
    *,
    pdf_bytes: bytes,
    leader_credential: SigningCredential,
    organisation_credential: SigningCredential,
    signer_name: str,
    number: str = "",
    notation: str = "",
    issued: dt.date | None = None,
    page: int | None = None,
    box: placement.Box | None = None,
    location: str = "",
    timestamp: dt.datetime | None = None,
) -> bytes:
    """Both signatures of the main document in one go (leader, number, organisation)."""
    leader = sign_main_leader(
        pdf_bytes=pdf_bytes,
        credential=leader_credential,
        signer_name=signer_name,
        page=page,
        box=box,
        location=location,
        timestamp=timestamp,
    )
    return sign_main_organisation(
        pdf_bytes=leader.pdf,
        credential=organisation_credential,
        leader_page=leader.page,
        leader_box=leader.box,
        number=number,
        notation=notation,
        issued=issued,
        location=location,
        timestamp=timestamp,
    )


def attachment_text(notation: str, moment: dt.datetime) -> str:
    return f"Số, ký hiệu: {notation}\nThời gian ký: {iso_time(moment)}"


def sign_attachment(
    *,
    pdf_bytes: bytes,
    credential: SigningCredential,
    notation: str,
    reason: str = "Ký số phụ lục, tài liệu kèm theo",
    location: str = "",
    timestamp: dt.datetime | None = None,
    pin: str | None = None,
) -> bytes:
    """The organisation's signature on an attachment in its own file (App. I §II.8.b): top
    right of the first page, no image, the notation and the signing time in ISO 8601 with the
    Vietnam offset, Times New Roman-metric 10 pt, black."""
    moment = _signing_time(timestamp)
    width, height = pdfops.page_size(pdf_bytes, 0)
    return sign_pdf(
        pdf_bytes=pdf_bytes,
        credential=credential,
        field_name=ATTACHMENT_FIELD,
        box=placement.attachment_box(width, height, lines=2, font_size=10),
        page=0,
        text=attachment_text(notation, moment),
        font_size=10,
        text_align="right",
        reason=reason,
        location=location,
        timestamp=moment,
        pin=pin,
    )


# --- verification --------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureCheck:
    field_name: str
    signer: str  # common name
    signer_subject: str
    issuer: str
    signing_time: dt.datetime | None
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the cryptographic signature is correct
    trusted: bool  # the certificate chains to a trusted root
    is_test: bool  # issued by a test CA: no legal value
    covers_whole_file: bool
    modification: str  # none, form_filling, annotations, other
    revision: int
    ok: bool  # pyHanko's bottom line

    @property
    def summary(self) -> str:
        if not self.intact or not self.valid:
            return "Chữ ký KHÔNG hợp lệ: nội dung đã bị thay đổi sau khi ký."
        if not self.ok and self.modification == "other":
            return "Chữ ký hợp lệ nhưng tệp đã bị sửa đổi không được phép sau khi ký."
        if not self.trusted:
            return "Chữ ký đúng nhưng chứng thư không thuộc tổ chức chứng thực được tin cậy."
        note = " (CA THỬ NGHIỆM — không có giá trị pháp lý)" if self.is_test else ""
        return f"Chữ ký hợp lệ{note}."


@dataclass(frozen=True)
class VerificationReport:
    signatures: list[SignatureCheck] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.signatures) and not self.error and all(s.ok for s in self.signatures)

    @property
    def any_test(self) -> bool:
        return any(s.is_test for s in self.signatures)


def _asn1_describe(name: Any) -> str:
    """ "Common name, organisation" of an asn1crypto Name (the organisation alone when it
    repeats the common name)."""
    native = name.native
    cn, org = str(native.get("common_name", "")), str(native.get("organization_name", ""))
    if org and org.startswith(cn):
        return org
    return ", ".join(part for part in (cn, org) if part) or str(name.human_friendly)


def trusted_roots() -> list[Any]:
    """asn1crypto certificates of the configured roots (and the test CA when enabled)."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    paths = [Path(p) for p in getattr(settings, "SIGNING_TRUST_ROOTS", [])]
    if getattr(settings, "SIGNING_TEST_CA_ENABLED", True):
        paths.append(ca_cert_path())
    roots = []
    for path in paths:
        if not path.is_file():
            if path != ca_cert_path():
                logger.warning("SIGNING_TRUST_ROOTS: %s not found", path)
            continue
        data = path.read_bytes()
        if pem.detect(data):
            for _type, _headers, der in pem.unarmor(data, multiple=True):
                roots.append(asn1_x509.Certificate.load(der))
        else:
            roots.append(asn1_x509.Certificate.load(data))
    return roots


def validation_context() -> Any:
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(
        trust_roots=trusted_roots(),
        allow_fetching=bool(getattr(settings, "SIGNING_FETCH_REVOCATION", False)),
        revocation_mode="soft-fail",
    )


def verify_pdf(pdf_bytes: bytes) -> VerificationReport:
    """Check every signature in the PDF; never raises on a bad file (the report says why)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    try:
        pdfops.pdf_page_count(pdf_bytes)
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = list(reader.embedded_signatures)
    except DomainError as exc:
        return VerificationReport(error=exc.message)
    except Exception as exc:
        logger.info("verify_pdf: unreadable file: %r", exc)
        return VerificationReport(error="Tệp PDF không đọc được.")
    checks = []
    for sig in embedded:
        try:
            status = validate_pdf_signature(sig, validation_context())
        except Exception as exc:
            logger.info("verify_pdf: %s failed: %r", sig.field_name, exc)
            checks.append(
                SignatureCheck(
                    field_name=str(sig.field_name),
                    signer="",
                    signer_subject="",
                    issuer="",
                    signing_time=None,
                    intact=False,
                    valid=False,
                    trusted=False,
                    is_test=False,
                    covers_whole_file=False,
                    modification="other",
                    revision=int(sig.signed_revision),
                    ok=False,
                )
            )
            continue
        cert = status.signing_cert
        subject = cert.subject.native
        coverage = getattr(status.coverage, "name", "")
        level = getattr(status.modification_level, "name", "") or "NONE"
        when = status.signer_reported_dt
        checks.append(
            SignatureCheck(
                field_name=str(sig.field_name),
                signer=str(subject.get("common_name", "")),
                signer_subject=_asn1_describe(cert.subject),
                issuer=_asn1_describe(cert.issuer),
                signing_time=when.astimezone(VN_TZ) if when is not None else None,
                intact=bool(status.intact),
                valid=bool(status.valid),
                trusted=bool(status.trusted),
                is_test=is_test_issuer(cert),
                covers_whole_file=coverage == "ENTIRE_FILE",
                modification=level.lower(),
                revision=int(sig.signed_revision),
                ok=bool(status.bottom_line),
            )
        )
    return VerificationReport(signatures=checks)


# --- the test CA's credentials (demo) --------------------------------------------------------


def _issued_by(credential: SigningCredential, ca_certificate: x509.Certificate) -> bool:
    try:
        certificate = x509.load_der_x509_certificate(bytes(credential.certificate_der))
        certificate.verify_directly_issued_by(ca_certificate)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _seal_texts(unit: AdminUnit) -> tuple[str, str]:
    ring = unit.display_committee
    if unit.parent is not None:
        parent = unit.parent.name.replace("Thành phố", "TP.").replace("Tỉnh", "T.")
        ring = f"{ring} ★ {parent}"
    first, _, rest = unit.name.partition(" ")
    # "Phường Tây Hồ" → "PHƯỜNG\nTÂY HỒ"; a two-word type ("Thị trấn") keeps the whole name.
    centre = f"{first}\n{rest}" if rest and first.lower() in {"phường", "xã"} else unit.name
    return ring, centre


def demo_credential_issue(
    *, user: Any = None, unit: AdminUnit | None = None, title: str = "", actor: Any = None
) -> SigningCredential:
    """Issue a test-CA certificate for a leader or a committee, keep its PKCS#12 under
    ``SIGNING_DIR/test-ca/`` and register it (replacing the owner's older test credentials)."""
    from congso.kernel.signing import images, testca

    _check_owner(user, unit)
    ca, _created = testca.ensure_test_ca()
    if unit is not None:
        name = unit.display_committee
        data, passphrase, _cert = testca.issue_pkcs12(ca, common_name=name, organisation=name)
        ring, centre = _seal_texts(unit)
        image = images.seal_png(ring, centre)
        filename = f"co-quan-{unit.pk}-{testca.slug(unit.name)}.p12"
        label = f"{name} (chứng thư tổ chức, CA THỬ NGHIỆM)"
    else:
        from congso.kernel.people.selectors import active_positions

        position = active_positions(user).first()
        organisation = position.unit.display_committee if position else "Công sở số"
        name = user.get_full_name()
        data, passphrase, _cert = testca.issue_pkcs12(
            ca,
            common_name=name,
            organisation=organisation,
            title=title or (position.title if position else ""),
            email=user.email or "",
        )
        image = images.signature_png(seed=user.username)
        filename = f"ca-nhan-{user.pk}-{testca.slug(user.username)}.p12"
        label = f"{name} (chứng thư cá nhân, CA THỬ NGHIỆM)"
    testca._write_private(ca.folder / filename, data)
    with transaction.atomic():
        owner_filter = {"unit": unit} if unit is not None else {"user": user}
        for old in SigningCredential.objects.filter(is_test=True, is_active=True, **owner_filter):
            credential_deactivate(credential=old, actor=actor)
        return credential_register_pkcs12(
            pkcs12_data=data,
            passphrase=passphrase,
            user=user,
            unit=unit,
            label=label,
            image=image,
            is_test=True,
            actor=actor,
        )


@dataclass
class DemoCredentialsResult:
    ca_created: bool = False
    issued: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def demo_credentials_ensure(*, actor: Any = None) -> DemoCredentialsResult:
    """Idempotent: the test CA, and a usable test credential (issued by the current test CA)
    for every leader of a served committee and for every served committee."""
    from congso.kernel.people.models import Position, Role
    from congso.kernel.signing import testca

    ca, created = testca.ensure_test_ca()
    result = DemoCredentialsResult(ca_created=created)
    now = timezone.now()

    def current(qs: Any) -> bool:
        return any(
            _issued_by(c, ca.certificate) and c.not_after > now + dt.timedelta(days=30)
            for c in qs.filter(is_test=True, is_active=True)
        )

    units = list(AdminUnit.objects.filter(is_served=True).select_related("parent").order_by("pk"))
    for unit in units:
        if current(SigningCredential.objects.filter(unit=unit)):
            result.kept.append(unit.display_committee)
            continue
        demo_credential_issue(unit=unit, actor=actor)
        result.issued.append(unit.display_committee)
    positions = (
        Position.objects.active()
        .filter(role=Role.LEADER, unit__in=units, user__is_active=True)
        .select_related("user")
        .order_by("user_id", "-is_primary")
    )
    seen: set[int] = set()
    for position in positions:
        if position.user_id in seen:
            continue
        seen.add(position.user_id)
        user = position.user
        if current(SigningCredential.objects.filter(user=user)):
            result.kept.append(user.get_full_name())
            continue
        demo_credential_issue(user=user, title=position.title, actor=actor)
        result.issued.append(user.get_full_name())
    return result
