"""The committee administrator's screen for signing credentials: PKCS#12 upload for a person or
for the committee, with the password encrypted, the image checked, and nobody else let in."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from congso.kernel.audit.models import AuditEvent
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import Role, User
from congso.kernel.signing.crypto import decrypt_secret
from congso.kernel.signing.models import SigningCredential
from congso.kernel.signing.selectors import credential_for_unit, credential_for_user
from congso.kernel.signing.testca import ensure_test_ca, issue_pkcs12

pytestmark = pytest.mark.django_db

Login = Callable[[Client, User], Client]
URL = "/van-ban/di/chung-thu-so/"


@pytest.fixture(scope="module")
def p12() -> tuple[bytes, str]:
    ca, _ = ensure_test_ca()
    data, passphrase, _cert = issue_pkcs12(
        ca, common_name="Trần Thị Ký", organisation="UBND phường Thử"
    )
    return data, passphrase


def _png(transparent: bool = True) -> bytes:
    out = io.BytesIO()
    mode, colour = ("RGBA", (0, 0, 200, 0)) if transparent else ("RGB", (255, 255, 255))
    Image.new(mode, (80, 40), colour).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def admin_a(make_user: Any, ward_a: AdminUnit) -> User:
    return make_user(Role.ADMIN, ward_a, username="quantri.a")


def _post(client: Client, data: dict[str, Any], p12_bytes: bytes, image: bytes | None) -> Any:
    payload = {**data, "pkcs12": SimpleUploadedFile("ky.p12", p12_bytes)}
    if image is not None:
        payload["image"] = SimpleUploadedFile("chu-ky.png", image, "image/png")
    return client.post(URL, payload)


def test_url_is_the_named_one() -> None:
    assert reverse("documents:credential_list") == URL


def test_admin_uploads_a_persons_and_the_committees_credential(
    client: Client,
    login: Login,
    admin_a: User,
    leader: User,
    ward_a: AdminUnit,
    p12: tuple[bytes, str],
) -> None:
    data, passphrase = p12
    login(client, admin_a)
    page = client.get(URL)
    assert page.status_code == 200 and "Chưa có chứng thư nào" in page.content.decode()

    response = _post(
        client,
        {"owner": "person", "user": leader.pk, "passphrase": passphrase, "label": "Chủ tịch"},
        data,
        _png(),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    personal = credential_for_user(leader)
    assert personal is not None and personal.label == "Chủ tịch" and personal.image_id
    # The password is stored encrypted, never in clear.
    assert personal.secret and passphrase not in personal.secret
    assert decrypt_secret(personal.secret) == passphrase

    response = _post(client, {"owner": "unit", "passphrase": passphrase}, data, _png())
    assert response.status_code == 302
    seal = credential_for_unit(ward_a)
    assert seal is not None and seal.user_id is None and seal.image_id
    assert AuditEvent.objects.filter(action="signing.credential_register").count() == 2
    assert not any(passphrase in str(e.changes) + e.summary for e in AuditEvent.objects.all())

    listing = client.get(URL).content.decode()
    assert listing.count('data-testid="credential-row"') == 2
    assert passphrase not in listing

    # The seal image is replaced (a transparent PNG only), audited.
    before = seal.image_id
    bad = client.post(
        reverse("documents:credential_image", args=[seal.pk]),
        {"image": SimpleUploadedFile("dau.png", _png(transparent=False), "image/png")},
        follow=True,
    )
    assert "nền trong suốt" in bad.content.decode()
    response = client.post(
        reverse("documents:credential_image", args=[seal.pk]),
        {"image": SimpleUploadedFile("dau.png", _png(), "image/png")},
    )
    assert response.status_code == 302
    seal.refresh_from_db()
    assert seal.image_id != before
    assert AuditEvent.objects.filter(action="signing.credential_image").count() == 1

    response = client.post(reverse("documents:credential_deactivate", args=[seal.pk]))
    assert response.status_code == 302
    seal.refresh_from_db()
    assert not seal.is_active


def test_bad_inputs_get_clear_messages_and_register_nothing(
    client: Client, login: Login, admin_a: User, leader: User, p12: tuple[bytes, str]
) -> None:
    data, passphrase = p12
    login(client, admin_a)
    wrong = _post(client, {"owner": "person", "user": leader.pk, "passphrase": "sai"}, data, None)
    assert wrong.status_code == 200 and "sai mật khẩu" in wrong.content.decode()
    no_user = _post(client, {"owner": "person", "passphrase": passphrase}, data, None)
    assert "Hãy chọn cán bộ" in no_user.content.decode()
    opaque = _post(
        client, {"owner": "unit", "passphrase": passphrase}, data, _png(transparent=False)
    )
    assert "nền trong suốt" in opaque.content.decode()
    garbage = _post(client, {"owner": "unit", "passphrase": passphrase}, b"not a p12", None)
    assert "PKCS#12" in garbage.content.decode()
    assert not SigningCredential.objects.exists()


def test_only_the_units_administrator_gets_in(
    client: Client,
    login: Login,
    make_user: Any,
    ward_b: AdminUnit,
    leader: User,
    clerk: User,
    admin_a: User,
    p12: tuple[bytes, str],
) -> None:
    data, passphrase = p12
    admin_b = make_user(Role.ADMIN, ward_b, username="quantri.b")
    for outsider in (leader, clerk):
        login(client, outsider)
        assert client.get(URL).status_code == 403
        response = _post(client, {"owner": "unit", "passphrase": passphrase}, data, None)
        assert response.status_code == 403
    assert not SigningCredential.objects.exists()
    # Another ward's administrator cannot pick this ward's people, nor switch off its credential.
    login(client, admin_a)
    assert _post(client, {"owner": "unit", "passphrase": passphrase}, data, None).status_code == 302
    credential = SigningCredential.objects.get()
    login(client, admin_b)
    page = client.get(URL).content.decode()  # their own ward's page: none of ward A's
    assert 'data-testid="credential-row"' not in page
    response = _post(
        client, {"owner": "person", "user": leader.pk, "passphrase": passphrase}, data, None
    )
    assert response.status_code == 200 and "Hãy chọn" in response.content.decode()
    response = client.post(reverse("documents:credential_deactivate", args=[credential.pk]))
    assert response.status_code == 404
    response = client.post(
        reverse("documents:credential_image", args=[credential.pk]),
        {"image": SimpleUploadedFile("dau.png", _png(), "image/png")},
    )
    assert response.status_code == 404
    credential.refresh_from_db()
    assert credential.is_active and SigningCredential.objects.count() == 1
