"""Browser tests: Playwright drives Debian's Chromium against a live server.

Build the front end first (`npm ci && npm run build`): pages are tested with their
real CSS and JavaScript, never unstyled. Chromium is the distribution's own; this
suite never downloads browsers (no `playwright install`).
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium")
BUILT_CSS = ROOT / "static" / "build" / "crossgov.css"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "a-long-test-password"
SKIPPED_KEY = pytest.StashKey[int]()
NO_CHROMIUM = (
    f"Chromium not found at {CHROMIUM}: browser tests skipped "
    "(install Debian's chromium, or set CHROMIUM_PATH)"
)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    # trylast: after -m/-k deselection, so a run without browser tests is left alone.
    # In CI a missing browser is a failure (see the browser fixture), never a skip.
    if CHROMIUM.exists() or in_ci():
        return
    skip = pytest.mark.skip(reason=NO_CHROMIUM)
    browser_tests = [item for item in items if item.get_closest_marker("e2e")]
    for item in browser_tests:
        item.add_marker(skip)
    config.stash[SKIPPED_KEY] = len(browser_tests)


def pytest_terminal_summary(terminalreporter, config):
    # The one loud line, at the end of the run where it cannot be missed.
    if config.stash.get(SKIPPED_KEY, 0):
        terminalreporter.write_sep("!", NO_CHROMIUM, yellow=True, bold=True)


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the whole browser suite; each test gets a fresh context."""
    if not CHROMIUM.exists():  # only in CI: elsewhere the tests were skipped
        pytest.fail(
            f"Chromium not found at {CHROMIUM}, and CI=true: the browser tests "
            "must run there (install Debian's chromium, or set CHROMIUM_PATH).",
            pytrace=False,
        )
    if not BUILT_CSS.exists():
        pytest.fail(
            f"{BUILT_CSS.relative_to(ROOT)} is missing: run `npm ci && npm run build` "
            "before the browser tests.",
            pytrace=False,
        )
    # Playwright's sync API runs an event loop in this thread, so Django takes every
    # ORM call the tests make for one from async code. Allowed here only, for the
    # life of the browser, so the rest of the suite keeps Django's guard.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def no_js_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def member(browser, live_server):
    # Asks for the browser first, so the ORM is used with Playwright's loop allowed.
    return get_user_model().objects.create_user(
        "ada.lovelace",
        password=PASSWORD,
        first_name="Ada",
        last_name="Lovelace",
        email="ada.lovelace@example.gov.uk",
    )


@pytest.fixture
def signed_in_page(context, member, live_server):
    """A page whose browser holds a session for `member`, without the sign-in form."""
    client = Client()
    client.force_login(member)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
    )
    return context.new_page()
