"""No page loads anything from an outside host: every script, stylesheet, image and frame is ours.

Renders the main pages (public, staff, errors, Django admin) and reads every ``src``/``href`` of
``script``, ``link``, ``img``, ``iframe``, ``source``, ``video``, ``audio``, ``embed`` and
``object``; also reads our own CSS for ``url(...)`` and ``@import`` pointing outside. The browser
test in ``tests/e2e`` checks the same thing on the wire.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from congso.kernel.people.models import Role

RESOURCE_TAGS = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
}


class ResourceCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = RESOURCE_TAGS.get(tag)
        if not wanted:
            return
        for name, value in attrs:
            if name in wanted and value:
                for part in value.split(","):
                    self.urls.append((tag, part.strip().split(" ")[0]))


def external(url: str) -> bool:
    if url.startswith("//"):
        return True
    parts = urlsplit(url)
    return parts.scheme in {"http", "https", "ftp", "ws", "wss"} and parts.hostname not in {
        "testserver",
        "127.0.0.1",
        "localhost",
    }


def resources(html: str) -> list[tuple[str, str]]:
    collector = ResourceCollector()
    collector.feed(html)
    return collector.urls


def assert_local(html: str, page: str) -> None:
    urls = resources(html)
    assert urls, f"{page}: no resources found, the parser did not see the page"
    outside = [(tag, url) for tag, url in urls if external(url)]
    assert outside == [], f"{page} loads from outside: {outside}"
    # Inline styles and scripts must not reach out either.
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html), f"{page}: url() to outside"


def test_detector_catches_outside_urls() -> None:
    html = (
        '<link rel="stylesheet" href="https://cdn.example.org/bootstrap.css">'
        '<script src="//unpkg.com/htmx.org"></script><img src="/static/a.png">'
    )
    assert [u for _, u in resources(html) if external(u)] == [
        "https://cdn.example.org/bootstrap.css",
        "//unpkg.com/htmx.org",
    ]


@pytest.mark.django_db
def test_public_pages(client: Client, ward_a: Any) -> None:
    for path in [
        "/",
        "/gioi-thieu/",
        "/lich/",
        "/tai-khoan/dang-nhap/",
        "/khong-co-trang/",
        "/api/v1/docs",
    ]:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert_local(response.content.decode(), path)


@pytest.mark.django_db
def test_staff_pages(client: Client, ward_a: Any, make_user: Any, login: Any) -> None:
    login(client, make_user(Role.ADMIN, ward_a, is_staff=True, is_superuser=True))
    for path in ["/viec-cua-toi/", "/tai-khoan/", "/admin/", "/nhat-ky/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_local(response.content.decode(), path)


def test_error_500_page() -> None:
    from django.template import loader

    html = loader.get_template("errors/500.html").render()
    assert not [u for _, u in resources(html) if external(u)]
    assert "http://" not in html and "https://" not in html


def test_our_stylesheets_fetch_nothing_from_outside() -> None:
    css_files = list((Path(settings.BASE_DIR) / "static").rglob("*.css"))
    bootstrap = finders.find("bootstrap/css/bootstrap.min.css")
    assert bootstrap, "Bootstrap is not found by the static files finders"
    css_files.append(Path(str(bootstrap)))
    for path in css_files:
        text = path.read_text(encoding="utf-8")
        assert "@import" not in text, path
        for target in re.findall(r"url\(\s*['\"]?([^'\")]+)", text):
            assert not external(target.strip()), f"{path}: {target}"


def test_htmx_is_served_from_our_static_files() -> None:
    from django.template import Context, Template

    html = Template("{% load django_htmx %}{% htmx_script %}").render(Context({}))
    urls = [u for _, u in resources(html)]
    assert urls and all(u.startswith(settings.STATIC_URL) for u in urls), urls
    assert all(finders.find(u.removeprefix(settings.STATIC_URL)) for u in urls)
