"""Fixtures of the signing tests: the test CA (made once per run, under the test VAR_DIR),
credentials for a leader and a committee, sample PDFs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import Position, Role, User
from congso.kernel.signing.models import SigningCredential
from congso.kernel.signing.services import demo_credential_issue
from congso.kernel.signing.tests import samples


@pytest.fixture(scope="session")
def decision_bytes() -> bytes:
    return samples.decision_pdf()


@pytest.fixture(scope="session")
def attachment_bytes() -> bytes:
    return samples.attachment_pdf()


@pytest.fixture(scope="session")
def plain_bytes() -> bytes:
    return samples.plain_pdf()


@pytest.fixture
def leader(ward_a: AdminUnit, make_user: Callable[..., User]) -> User:
    user = make_user(Role.LEADER, ward_a, full_name="Nguyễn Thị Thu Hằng", username="chutich")
    Position.objects.filter(user=user).update(title="Chủ tịch UBND phường")
    return user


@pytest.fixture
def leader_credential(leader: User) -> SigningCredential:
    return demo_credential_issue(user=leader)


@pytest.fixture
def unit_credential(ward_a: AdminUnit) -> SigningCredential:
    return demo_credential_issue(unit=ward_a)


def pdftotext(pdf: bytes, *args: str) -> str:
    import shutil
    import subprocess

    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    return subprocess.run(
        [exe, *args, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")


def words(pdf: bytes, page: int = 0) -> Any:
    from congso.kernel.signing.placement import page_words

    found = page_words(pdf, page)
    if found is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    return found
