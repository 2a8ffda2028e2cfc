"""The independent check: poppler's pdfsig accepts our signatures, and trusts them once the
test CA is in an NSS database (certutil from libnss3-tools)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from congso.kernel.signing.models import SigningCredential
from congso.kernel.signing.services import sign_attachment, sign_document_main
from congso.kernel.signing.testca import ca_cert_path

pytestmark = pytest.mark.django_db


def _pdfsig() -> str:
    exe = shutil.which("pdfsig")
    if exe is None:
        pytest.skip("pdfsig is missing: install Debian's poppler-utils (make sysdeps)")
    return exe


def _signed(decision_bytes: bytes, leader: SigningCredential, unit: SigningCredential) -> bytes:
    return sign_document_main(
        pdf_bytes=decision_bytes,
        leader_credential=leader,
        organisation_credential=unit,
        signer_name="Nguyễn Thị Thu Hằng",
        number="05",
        notation="05/QĐ-UBND",
        issued=dt.date(2026, 3, 5),
    )


def test_pdfsig_says_both_signatures_are_valid(
    tmp_path: Path,
    decision_bytes: bytes,
    leader_credential: SigningCredential,
    unit_credential: SigningCredential,
) -> None:
    exe = _pdfsig()
    path = tmp_path / "signed.pdf"
    path.write_bytes(_signed(decision_bytes, leader_credential, unit_credential))
    out = subprocess.run([exe, str(path)], capture_output=True, text=True, check=False).stdout
    assert out.count("Signature is Valid.") == 2, out
    assert "Signer Certificate Common Name: Nguyễn Thị Thu Hằng" in out
    assert "Signer Certificate Common Name: Ủy ban nhân dân phường Tây Hồ" in out
    assert "ETSI.CAdES.detached" in out  # PAdES
    # The organisation's signature (the last one) covers the whole file.
    last = out.split("Signature #2:")[1]
    assert "Total document signed" in last


def test_pdfsig_trusts_the_test_ca_from_an_nss_database(
    tmp_path: Path,
    decision_bytes: bytes,
    attachment_bytes: bytes,
    leader_credential: SigningCredential,
    unit_credential: SigningCredential,
) -> None:
    exe = _pdfsig()
    certutil = shutil.which("certutil")
    if certutil is None:
        pytest.skip("certutil is missing: install Debian's libnss3-tools (make sysdeps)")
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(
        [certutil, "-N", "-d", f"sql:{nss}", "--empty-password"], check=True, capture_output=True
    )
    subprocess.run(
        [
            certutil,
            "-A",
            "-d",
            f"sql:{nss}",
            "-n",
            "congso-test-ca",
            "-t",
            "CT,C,C",
            "-i",
            str(ca_cert_path()),
        ],
        check=True,
        capture_output=True,
    )
    main = tmp_path / "main.pdf"
    main.write_bytes(_signed(decision_bytes, leader_credential, unit_credential))
    attachment = tmp_path / "attachment.pdf"
    attachment.write_bytes(
        sign_attachment(
            pdf_bytes=attachment_bytes, credential=unit_credential, notation="05/QĐ-UBND"
        )
    )
    for path, count in ((main, 2), (attachment, 1)):
        out = subprocess.run(
            [exe, "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True, check=False
        ).stdout
        assert out.count("Signature is Valid.") == count, out
        assert out.count("Certificate is Trusted.") == count, out
    # Without the CA in the database, the same files are not trusted.
    empty = tmp_path / "empty"
    empty.mkdir()
    subprocess.run(
        [certutil, "-N", "-d", f"sql:{empty}", "--empty-password"], check=True, capture_output=True
    )
    out = subprocess.run(
        [exe, "-nssdir", f"sql:{empty}", str(main)], capture_output=True, text=True, check=False
    ).stdout
    assert "Certificate is Trusted." not in out
