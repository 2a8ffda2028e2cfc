"""Browser tests: Playwright (Python) driving Debian's chromium against pytest-django's live_server.

Never ``playwright install``: the browser is Debian's ``/usr/bin/chromium`` (``make test`` installs
it with apt). Without it, every test here is skipped with the reason.

Every request the page makes goes through a route handler that records its URL and refuses any
host other than the live server, so a test can assert that nothing left 127.0.0.1.

Set ``E2E_SCREENSHOT_DIR`` to keep screenshots of the pages the tests visit.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in the test's thread; Django's ORM calls from fixtures
# in the same thread would otherwise be refused as "async unsafe".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"browser tests need Debian's chromium at {CHROMIUM} "
            "(apt-get install chromium; `make test` installs it when run as root)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


class RequestLog:
    def __init__(self) -> None:
        self.urls: list[str] = []
        self.refused: list[str] = []

    def hosts(self) -> set[str]:
        return {urlsplit(url).hostname or "" for url in self.urls if not _is_inline(url)}

    def external(self) -> list[str]:
        return [url for url in self.urls if not _is_inline(url) and not _is_local(url)]


def _is_inline(url: str) -> bool:
    return url.startswith(("data:", "blob:", "about:"))


def _is_local(url: str) -> bool:
    return (urlsplit(url).hostname or "") in LOCAL_HOSTS


@pytest.fixture
def request_log() -> RequestLog:
    return RequestLog()


def _new_context(browser: Any, log: RequestLog, **options: Any) -> Any:
    context = browser.new_context(locale="vi-VN", **options)

    def route(route: Any) -> None:
        url = route.request.url
        log.urls.append(url)
        if _is_inline(url) or _is_local(url):
            route.continue_()
        else:
            log.refused.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", route)
    return context


@pytest.fixture
def page(browser: Any, request_log: RequestLog) -> Iterator[Any]:
    context = _new_context(browser, request_log, viewport={"width": 1280, "height": 860})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser: Any, request_log: RequestLog) -> Iterator[Any]:
    context = _new_context(
        browser,
        request_log,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    yield page
    context.close()


def screenshot(page: Any, name: str) -> None:
    folder = os.environ.get("E2E_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
