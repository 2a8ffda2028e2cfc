"""The demo's test CA: named as a test, idempotent, a credential for each leader and committee."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from django.core.management import call_command
from PIL import Image

from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import Role, User
from congso.kernel.signing import testca
from congso.kernel.signing.models import SigningCredential
from congso.kernel.signing.selectors import credential_for_unit, credential_for_user
from congso.kernel.signing.services import credential_image

pytestmark = pytest.mark.django_db


def test_command_is_idempotent_and_covers_leaders_and_served_committees(
    ward_a: AdminUnit,
    ward_b: AdminUnit,
    hanoi: AdminUnit,
    make_user: Callable[..., User],
) -> None:
    leader_a = make_user(Role.LEADER, ward_a, full_name="Nguyễn Thị Thu Hằng")
    leader_b = make_user(Role.LEADER, ward_b, full_name="Trịnh Văn Long")
    clerk = make_user(Role.CLERK, ward_a)
    out = io.StringIO()
    call_command("signing_test_ca", stdout=out)
    assert "CA THỬ NGHIỆM, KHÔNG CÓ GIÁ TRỊ PHÁP LÝ" in out.getvalue()
    first = set(SigningCredential.objects.values_list("pk", flat=True))
    # Two leaders and two served committees; not the clerk, not Hà Nội (not served).
    assert len(first) == 4
    assert credential_for_user(clerk) is None
    assert credential_for_unit(hanoi) is None
    for owner in (leader_a, leader_b):
        credential = credential_for_user(owner)
        assert credential is not None and credential.is_test
        assert credential.subject.startswith(owner.full_name)
    seal = credential_for_unit(ward_a)
    assert seal is not None and seal.is_test and "phường Tây Hồ" in seal.subject

    call_command("signing_test_ca", stdout=io.StringIO())
    assert set(SigningCredential.objects.values_list("pk", flat=True)) == first


def test_ca_is_clearly_a_test_ca(ward_a: AdminUnit) -> None:
    ca, _created = testca.ensure_test_ca()
    names = {a.oid: a.value for a in ca.certificate.subject}
    assert (
        names[NameOID.ORGANIZATION_NAME] == "Công sở số — CA THỬ NGHIỆM, KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"
    )
    assert "THỬ NGHIỆM" in names[NameOID.COMMON_NAME]
    assert ca.certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    again, created = testca.ensure_test_ca()
    assert not created and again.certificate == ca.certificate
    assert oct(testca.ca_dir().joinpath("ca-key.pem").stat().st_mode & 0o777) == "0o600"


def test_images_are_transparent_pngs_in_the_decree_colours(
    ward_a: AdminUnit, leader_credential: SigningCredential, unit_credential: SigningCredential
) -> None:
    for credential, colour in ((leader_credential, "blue"), (unit_credential, "red")):
        data = credential_image(credential)
        assert data is not None
        picture = Image.open(io.BytesIO(data))
        assert picture.format == "PNG" and picture.mode == "RGBA"
        raw = picture.tobytes()
        pixels = [tuple(raw[i : i + 4]) for i in range(0, len(raw), 4)]
        transparent = sum(1 for p in pixels if p[3] == 0)
        assert transparent > len(pixels) * 0.5  # mostly background
        ink = [p for p in pixels if p[3] > 200]
        r = sum(p[0] for p in ink) / len(ink)
        b = sum(p[2] for p in ink) / len(ink)
        assert (b > r) if colour == "blue" else (r > b)


def test_a_replaced_ca_gets_new_credentials(
    ward_a: AdminUnit, make_user: Callable[..., User]
) -> None:
    make_user(Role.LEADER, ward_a)
    call_command("signing_test_ca", stdout=io.StringIO())
    before = set(SigningCredential.objects.filter(is_active=True).values_list("pk", flat=True))
    # The CA files are lost (a new machine with the old database): a new CA is made, and the
    # credentials it did not issue are replaced.
    for name in ("ca.pem", "ca-key.pem"):
        testca.ca_dir().joinpath(name).unlink()
    call_command("signing_test_ca", stdout=io.StringIO())
    after = set(SigningCredential.objects.filter(is_active=True).values_list("pk", flat=True))
    assert before and after and not before & after
    assert SigningCredential.objects.filter(pk__in=before, is_active=False).count() == len(before)
