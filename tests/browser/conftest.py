"""Real-browser fixtures: Debian's Chromium driven by Playwright against a live server.

Reusable by any page's test placed in tests/browser/ (the browser is shared by the package):
`signed_in_page` is a Playwright page logged in as a superuser
on `live_server`. Chromium comes from the distribution (`make test` installs it as root);
`playwright install` cannot download browsers here. Without it the tests skip, saying why.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "browser-test-password"


@pytest.fixture(scope="package")
def chromium() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} not found: install Debian's chromium package "
            "(make test does so when run as root)"
        )
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls that the tests
    # make around it are still plain synchronous calls. Only while the browser tests run:
    # left set, it would reach `check --deploy` in later tests' subprocesses.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_page(chromium) -> Iterator[object]:
    """A fresh page; a test fails if the page broke the Content-Security-Policy anywhere
    (Chromium reports each blocked script, style or image on the console)."""
    context = chromium.new_context(accept_downloads=True, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert violations == []


@pytest.fixture
def signed_in_page(browser_page, live_server, django_user_model):
    """A page signed in through the admin's login form as superuser `editor`."""
    django_user_model.objects.create_superuser("editor", "", PASSWORD)
    browser_page.goto(f"{live_server.url}/admin/login/")
    browser_page.fill("#id_username", "editor")
    browser_page.fill("#id_password", PASSWORD)
    browser_page.click("input[type=submit]")
    browser_page.wait_for_url(f"{live_server.url}/admin/")
    return browser_page
