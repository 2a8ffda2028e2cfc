"""Vietnamese first, English through the language switch; the compiled catalogue is current."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from congso.kernel.people.models import Role

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


@pytest.mark.django_db
def test_vietnamese_by_default(client: Client, ward_a) -> None:
    html = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="").content.decode()
    assert '<html lang="vi">' in html
    assert "Bỏ qua, đến nội dung chính" in html


@pytest.mark.django_db
def test_language_switch_to_english_and_back(client: Client, ward_a, make_user, login) -> None:
    login(client, make_user(Role.SPECIALIST, ward_a, full_name="Lê Văn Nam"))
    home = reverse("core:home")
    vi = client.get(home).content.decode()
    assert "Xin chào Lê Văn Nam." in vi
    # The switch offers English, posted with the CSRF token to Django's set_language.
    assert 'action="/i18n/setlang/"' in vi and 'value="en"' in vi

    response = client.post(reverse("set_language"), {"language": "en", "next": home})
    assert response.status_code == 302
    assert response["Location"] == home
    en = client.get(home).content.decode()
    assert '<html lang="en">' in en
    assert "Hello, Lê Văn Nam." in en
    assert "My work" in en
    assert "Skip to main content" in en
    assert 'value="vi"' in en  # and a way back

    client.post(reverse("set_language"), {"language": "vi", "next": home})
    assert "Xin chào Lê Văn Nam." in client.get(home).content.decode()


@pytest.mark.django_db
def test_english_error_page(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get("/khong-co/").content.decode()
    assert "Page not found" in html


def _po_msgids(po: str) -> list[str]:
    ids = []
    for block in po.split("\n\n"):
        match = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if match:
            text = "".join(re.findall(r'"(.*)"', match.group(1)))
            if text:
                ids.append(text)
    return ids


def test_every_shell_string_is_translated_and_compiled() -> None:
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    assert not re.search(r'^msgstr ""\n\n', po + "\n", re.M), "an untranslated string"
    assert "#, fuzzy" not in po
    with (LOCALE / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    ids = _po_msgids(po)
    # The .mo holds every msgid of the .po (plus the header): recompile after editing the .po.
    compiled = catalogue._catalog  # type: ignore[attr-defined]
    compiled_ids = {key[0] if isinstance(key, tuple) else key for key in compiled} - {""}
    assert len(compiled_ids) == len(ids)
    assert catalogue.gettext("Việc của tôi") == "My work"
