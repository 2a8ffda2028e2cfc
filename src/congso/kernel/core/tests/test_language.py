"""Vietnamese is the language unless the user picks another with the switch."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_english_browser_still_gets_vietnamese(client):
    response = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert 'lang="vi"' in response.content.decode()


@pytest.mark.django_db
def test_switch_to_english_is_kept(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="vi")
    assert response["Content-Language"] == "en"
    assert 'lang="en"' in response.content.decode()


@pytest.mark.django_db
def test_unknown_cookie_language_falls_back_to_vietnamese(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get(reverse("portal:home"))
    assert response["Content-Language"] == "vi"
