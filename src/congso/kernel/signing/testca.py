"""The demo's self-made test CA: signing works out of the box, and says it is a test.

``manage.py signing_test_ca`` (idempotent) makes, under ``SIGNING_DIR/test-ca/``:

- ``ca.pem`` and ``ca-key.pem``: a root CA named "Công sở số — CA THỬ NGHIỆM, KHÔNG CÓ GIÁ TRỊ
  PHÁP LÝ" (organisation name; the common name is "Công sở số — CA THỬ NGHIỆM", the
  ``cryptography`` library counts the 64-character limit of a common name in UTF-8 bytes);
- one PKCS#12 file per leader and per served committee (``<slug>.p12``, passphrase in the
  credential only), registered as a ``SigningCredential`` with ``is_test=True`` and a drawn
  signature or seal image.

Everything it signs is marked as a test in the user interface and in the verification report.
The CA's private key lies unencrypted next to it (mode 0600): it is a test CA. Never import
``ca.pem`` into a trust store that validates real documents.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings

CA_COMMON_NAME = "Công sở số — CA THỬ NGHIỆM"
CA_ORGANISATION = "Công sở số — CA THỬ NGHIỆM, KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"
TEST_MARK = "THỬ NGHIỆM"
CA_YEARS = 10
LEAF_DAYS = 2 * 365
KEY_SIZE = 2048


@dataclass(frozen=True)
class TestCA:
    certificate: x509.Certificate
    key: rsa.RSAPrivateKey
    folder: Path

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


def ca_dir() -> Path:
    return Path(settings.SIGNING_DIR) / "test-ca"


def ca_cert_path() -> Path:
    return ca_dir() / "ca.pem"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def _ca_name() -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, CA_ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, CA_COMMON_NAME),
        ]
    )


def ensure_test_ca() -> tuple[TestCA, bool]:
    """The test CA, made on first use. Returns (ca, created)."""
    folder = ca_dir()
    cert_path, key_path = folder / "ca.pem", folder / "ca-key.pem"
    if cert_path.is_file() and key_path.is_file():
        certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        if isinstance(key, rsa.RSAPrivateKey) and certificate.not_valid_after_utc > _now():
            return TestCA(certificate, key, folder), False
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    name = _ca_name()
    now = _now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    _write_private(cert_path, certificate.public_bytes(serialization.Encoding.PEM))
    return TestCA(certificate, key, folder), True


def slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "chung-thu"


def issue_pkcs12(
    ca: TestCA,
    *,
    common_name: str,
    organisation: str,
    title: str = "",
    email: str = "",
    days: int = LEAF_DAYS,
) -> tuple[bytes, str, x509.Certificate]:
    """A signing certificate from the test CA, as (PKCS#12 bytes, passphrase, certificate)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"{TEST_MARK} — KHÔNG CÓ GIÁ TRỊ"),
    ]
    if title:
        attributes.append(x509.NameAttribute(NameOID.TITLE, title[:64]))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    now = _now()
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attributes))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(min(now + dt.timedelta(days=days), ca.certificate.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()),
            critical=False,
        )
    )
    if email:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False
        )
    certificate = builder.sign(ca.key, hashes.SHA256())
    passphrase = secrets.token_urlsafe(18)
    data = pkcs12.serialize_key_and_certificates(
        name=slug(common_name).encode(),
        key=key,
        cert=certificate,
        cas=[ca.certificate],
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode()),
    )
    return data, passphrase, certificate


def is_test_issuer(certificate: Any) -> bool:
    """Whether an ``asn1crypto`` or ``cryptography`` certificate was issued by a test CA (ours,
    by name: any copy of the demo's CA, whatever machine made it)."""
    issuer = getattr(certificate, "issuer", None)
    if issuer is None:
        return False
    if isinstance(issuer, x509.Name):
        values = [a.value for a in issuer]
    else:  # asn1crypto Name
        values = [str(v) for v in issuer.native.values()]
    return any(TEST_MARK in str(v) for v in values)
