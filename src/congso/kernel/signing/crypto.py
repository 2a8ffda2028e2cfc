"""Encrypting the passphrases and PINs of signing credentials at rest.

The key is derived from Django's ``SECRET_KEY`` with HKDF-SHA256 (salt and context fixed below)
and used with Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``). Keys derived from
``SECRET_KEY_FALLBACKS`` still decrypt, so a SECRET_KEY rotation done the Django way (old key
moved to the fallbacks) keeps the credentials usable; ``credentials_reencrypt`` (see
``services``) then re-encrypts them with the new key.

What this protects: a copy of the database alone (a backup, a dump) does not reveal the
passphrases, so the PKCS#12 archives in it cannot be opened. What it does not: someone with both
the database and SECRET_KEY can sign. Keep SECRET_KEY out of backups of the database, or keep
the keys on a PKCS#11 token (docs/signing.md).
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from congso.kernel.errors import DomainError

_SALT = b"congso.kernel.signing"
_INFO = b"credential passphrase v1"


def _derive(secret_key: str) -> Fernet:
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=_INFO).derive(
        secret_key.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(raw))


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([_derive(key) for key in keys])


def _current() -> MultiFernet:
    keys = (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ()))
    return _fernet(tuple(str(k) for k in keys))


def encrypt_secret(value: str) -> str:
    """The value encrypted with the current key, as ASCII text (empty stays empty)."""
    if not value:
        return ""
    return _current().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_secret(token: str) -> str:
    """The clear value. Raises ``DomainError("credential_secret_unreadable")`` when no current or
    fallback key opens it (SECRET_KEY changed without keeping the old one as a fallback)."""
    if not token:
        return ""
    try:
        return _current().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as exc:
        raise DomainError(
            "credential_secret_unreadable",
            "Không giải mã được mật khẩu của chứng thư ký số (SECRET_KEY đã thay đổi?). "
            "Quản trị viên cần nhập lại mật khẩu hoặc đăng ký lại chứng thư.",
        ) from exc


def reencrypt_secret(token: str) -> str:
    """The same value encrypted with the current key (after a key rotation)."""
    if not token:
        return ""
    try:
        return _current().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, ValueError) as exc:
        raise DomainError(
            "credential_secret_unreadable",
            "Không giải mã được mật khẩu của chứng thư ký số.",
        ) from exc
