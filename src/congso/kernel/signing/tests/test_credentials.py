"""Registering credentials: PKCS#12 checks, the passphrase encrypted at rest, images, PKCS#11
configuration, and a real PKCS#11 token (SoftHSM 2, when installed)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.test import override_settings
from PIL import Image

from congso.kernel.audit.models import AuditEvent
from congso.kernel.errors import DomainError
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import Role, User
from congso.kernel.signing import crypto, testca
from congso.kernel.signing.models import CredentialKind, SigningCredential
from congso.kernel.signing.selectors import credential_for_user
from congso.kernel.signing.services import (
    credential_register_pkcs11,
    credential_register_pkcs12,
    credentials_reencrypt,
    open_signer,
    pkcs11_config_check,
    sign_pdf,
    verify_pdf,
)

pytestmark = pytest.mark.django_db
SOFTHSM = Path("/usr/lib/softhsm/libsofthsm2.so")


def _png(mode: str = "RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (40, 20), (0, 0, 255, 0) if mode == "RGBA" else (0, 0, 255)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def p12(ward_a: AdminUnit) -> tuple[bytes, str]:
    ca, _ = testca.ensure_test_ca()
    data, passphrase, _cert = testca.issue_pkcs12(
        ca, common_name="Trần Minh Đức", organisation="Ủy ban nhân dân phường Tây Hồ"
    )
    return data, passphrase


def test_passphrase_is_encrypted_at_rest_and_usable(
    p12: tuple[bytes, str], make_user: Callable[..., User], ward_a: AdminUnit
) -> None:
    data, passphrase = p12
    user = make_user(Role.LEADER, ward_a, full_name="Trần Minh Đức")
    credential = credential_register_pkcs12(
        pkcs12_data=data, passphrase=passphrase, user=user, image=_png()
    )
    assert credential.kind == CredentialKind.PKCS12
    assert passphrase not in credential.secret and credential.secret
    assert crypto.decrypt_secret(credential.secret) == passphrase
    assert credential.subject.startswith("Trần Minh Đức")
    assert "THỬ NGHIỆM" in credential.issuer
    assert credential_for_user(user) == credential
    assert AuditEvent.objects.filter(action="signing.credential_register").count() == 1
    with open_signer(credential) as signer:
        assert signer.signing_cert.subject.native["common_name"] == "Trần Minh Đức"


def test_key_rotation_keeps_credentials_readable(
    p12: tuple[bytes, str], make_user: Callable[..., User], ward_a: AdminUnit, settings: object
) -> None:
    data, passphrase = p12
    credential = credential_register_pkcs12(
        pkcs12_data=data, passphrase=passphrase, user=make_user(Role.LEADER, ward_a)
    )
    old_key = settings.SECRET_KEY  # type: ignore[attr-defined]
    with override_settings(SECRET_KEY="a-new-secret-key-" + "x" * 40):
        with pytest.raises(DomainError) as err:
            crypto.decrypt_secret(credential.secret)
        assert err.value.code == "credential_secret_unreadable"
    with override_settings(
        SECRET_KEY="a-new-secret-key-" + "x" * 40, SECRET_KEY_FALLBACKS=[old_key]
    ):
        assert crypto.decrypt_secret(credential.secret) == passphrase
        assert credentials_reencrypt() == 1
        credential.refresh_from_db()
    with override_settings(SECRET_KEY="a-new-secret-key-" + "x" * 40):
        assert crypto.decrypt_secret(credential.secret) == passphrase


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"passphrase": "sai-mat-khau"}, "credential_invalid"),
        ({"pkcs12_data": b"not a pkcs12 file"}, "credential_invalid"),
        ({"image": b"not an image"}, "signature_image_invalid"),
        ({"image": "rgb"}, "signature_image_not_transparent"),
        ({"both_owners": True}, "credential_owner_invalid"),
    ],
)
def test_bad_registrations_are_refused_and_leave_nothing(
    p12: tuple[bytes, str],
    ward_a: AdminUnit,
    make_user: Callable[..., User],
    change: dict[str, object],
    code: str,
) -> None:
    data, passphrase = p12
    user = make_user(Role.LEADER, ward_a)
    kwargs: dict[str, object] = {"pkcs12_data": data, "passphrase": passphrase, "user": user}
    if change.get("both_owners"):
        kwargs["unit"] = ward_a
    elif change.get("image") == "rgb":
        kwargs["image"] = _png("RGB")
    else:
        kwargs.update(change)
    with pytest.raises(DomainError) as err:
        credential_register_pkcs12(**kwargs)  # type: ignore[arg-type]
    assert err.value.code == code
    assert not SigningCredential.objects.exists()


def test_pkcs11_configuration_is_validated(tmp_path: Path) -> None:
    with pytest.raises(DomainError) as err:
        pkcs11_config_check(module="libsofthsm2.so", token_label="", key_label="")
    assert err.value.code == "pkcs11_config_invalid"
    assert len(err.value.details["problems"]) == 3
    with pytest.raises(DomainError) as err:
        pkcs11_config_check(module=str(tmp_path / "missing.so"), token_label="t", key_label="k")
    assert "không tìm thấy" in err.value.message
    text_file = tmp_path / "module.txt"
    text_file.write_text("x")
    with pytest.raises(DomainError):
        pkcs11_config_check(module=str(text_file), token_label="t", key_label="k")


def test_pkcs11_registered_offline_with_its_certificate(
    tmp_path: Path, ward_a: AdminUnit, make_user: Callable[..., User]
) -> None:
    """No token at hand: the certificate is given; signing later needs the token."""
    module = tmp_path / "libvendor-pkcs11.so"
    module.write_bytes(b"\x7fELF")
    ca, _ = testca.ensure_test_ca()
    _data, _pw, cert = testca.issue_pkcs12(ca, common_name="Lê Thị Hồng Nhung", organisation="X")
    credential = credential_register_pkcs11(
        module=str(module),
        token_label="VNPT-CA",
        key_label="nhung",
        certificate_pem=cert.public_bytes(serialization.Encoding.PEM),
        store_pin=False,
        user=make_user(Role.LEADER, ward_a),
    )
    assert credential.kind == CredentialKind.PKCS11 and credential.secret == ""
    assert credential.is_test  # issued by the test CA
    with pytest.raises(DomainError) as err, open_signer(credential):
        pass
    assert err.value.code == "pkcs11_pin_required"
    with pytest.raises(DomainError) as err, open_signer(credential, pin="1234"):
        pass
    assert err.value.code == "pkcs11_unreachable"


@pytest.fixture
def softhsm_token(tmp_path: Path, ward_a: AdminUnit) -> dict[str, str]:
    """A SoftHSM 2 token holding a test-CA key and certificate, label "congso-test"."""
    util = shutil.which("softhsm2-util")
    if util is None or not SOFTHSM.exists():
        pytest.skip("SoftHSM 2 is not installed (apt-get install softhsm2): no PKCS#11 token")
    tokens = tmp_path / "tokens"
    tokens.mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    env = dict(os.environ)
    pin = "123456"
    subprocess.run(
        [
            util,
            "--init-token",
            "--free",
            "--label",
            "congso-test",
            "--pin",
            pin,
            "--so-pin",
            "654321",
        ],
        check=True,
        capture_output=True,
        env=env,
    )
    ca, _ = testca.ensure_test_ca()
    data, passphrase, cert = testca.issue_pkcs12(
        ca, common_name="Phạm Văn Hùng", organisation="Ủy ban nhân dân phường Tây Hồ"
    )
    key, _c, _o = pkcs12.load_key_and_certificates(data, passphrase.encode())
    assert key is not None
    key_pem = tmp_path / "key.pem"
    key_pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    subprocess.run(
        [
            util,
            "--import",
            str(key_pem),
            "--token",
            "congso-test",
            "--label",
            "hung",
            "--id",
            "01",
            "--pin",
            pin,
        ],
        check=True,
        capture_output=True,
        env=env,
    )
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    lib = pkcs11.lib(str(SOFTHSM))
    token = lib.get_token(token_label="congso-test")
    with token.open(rw=True, user_pin=pin) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: "hung",
                Attribute.ID: b"\x01",
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.ISSUER: cert.issuer.public_bytes(),
            }
        )
    yield {"module": str(SOFTHSM), "token": "congso-test", "key": "hung", "pin": pin}
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


def test_signing_with_a_pkcs11_token(
    softhsm_token: dict[str, str],
    ward_a: AdminUnit,
    make_user: Callable[..., User],
    decision_bytes: bytes,
) -> None:
    user = make_user(Role.LEADER, ward_a, full_name="Phạm Văn Hùng")
    credential = credential_register_pkcs11(
        module=softhsm_token["module"],
        token_label=softhsm_token["token"],
        key_label=softhsm_token["key"],
        pin=softhsm_token["pin"],
        user=user,
    )
    assert credential.subject.startswith("Phạm Văn Hùng")
    signed = sign_pdf(
        pdf_bytes=decision_bytes,
        credential=credential,
        field_name="ChuKyToken",
        box=(350, 100, 500, 160),
        text="Phạm Văn Hùng",
    )
    report = verify_pdf(signed)
    assert report.ok
    assert report.signatures[0].signer == "Phạm Văn Hùng"
    # A wrong PIN is a clear error, not a crash.
    with pytest.raises(DomainError) as err:
        sign_pdf(
            pdf_bytes=decision_bytes,
            credential=credential,
            field_name="X",
            box=(350, 100, 500, 160),
            pin="000000",
        )
    assert err.value.code == "pkcs11_unreachable"


def test_who_may_see_signature_and_seal_images(
    ward_a: AdminUnit,
    ward_b: AdminUnit,
    make_user: Callable[..., User],
    leader_credential: SigningCredential,
    unit_credential: SigningCredential,
) -> None:
    from congso.kernel.files.rules import can_download

    leader = leader_credential.user
    clerk = make_user(Role.CLERK, ward_a)
    specialist = make_user(Role.SPECIALIST, ward_a)
    other_clerk = make_user(Role.CLERK, ward_b)
    signature, seal = leader_credential.image, unit_credential.image
    assert signature is not None and seal is not None
    assert can_download(leader, signature) and not can_download(clerk, signature)
    assert not can_download(specialist, signature)
    assert can_download(clerk, seal) and can_download(leader, seal)
    assert not can_download(specialist, seal) and not can_download(other_clerk, seal)
