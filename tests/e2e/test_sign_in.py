"""Signing in and out in a real browser, with JavaScript on and off."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.accessibility import assert_no_serious_violations
from tests.e2e.conftest import PASSWORD

pytestmark = pytest.mark.e2e


def sign_in(page, username, password):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_page_is_accessible_and_styled(page, live_server):
    page.goto("/accounts/login/")
    expect(page).to_have_title("Sign in – Crossgov")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")

    # Styled by our build: Arial, never GOV.UK's own font.
    heading = page.get_by_role("heading", level=1)
    font = heading.evaluate("element => getComputedStyle(element).fontFamily")
    assert font.lower().startswith("arial"), font
    assert "GDS Transport" not in page.content()
    assert_no_serious_violations(page)


def test_accessibility_statement_is_linked_from_the_sign_in_page(page, live_server):
    page.goto("/accounts/login/")
    page.get_by_role("contentinfo").get_by_role(
        "link", name="Accessibility statement"
    ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    assert_no_serious_violations(page)


def test_sign_in_with_javascript(page, member):
    page.goto("/accounts/login/")
    # GOV.UK Frontend ran: the password input's Show button appears only then.
    expect(page.locator("body")).to_have_class(re.compile("govuk-frontend-supported"))
    expect(page.get_by_role("button", name="Show password")).to_be_visible()

    sign_in(page, "ada.lovelace", PASSWORD)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Ada Lovelace")


def test_sign_in_without_javascript(no_js_page, member):
    page = no_js_page
    page.goto("/accounts/login/")
    expect(page.get_by_role("button", name="Show password")).to_be_hidden()

    sign_in(page, "ada.lovelace", PASSWORD)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Ada Lovelace")


def test_wrong_password_shows_the_error_summary(page, member):
    sign_in(page, "ada.lovelace", "not-the-password")

    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("correct username and password")
    # GOV.UK Frontend moves focus to the summary so screen readers announce it.
    expect(summary).to_be_focused()
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Username")).to_be_focused()
    assert_no_serious_violations(page)


def test_wrong_password_without_javascript(no_js_page, member):
    sign_in(no_js_page, "ada.lovelace", "not-the-password")

    expect(no_js_page.locator(".govuk-error-summary")).to_contain_text(
        "There is a problem"
    )


def test_sign_out(signed_in_page):
    page = signed_in_page
    page.goto("/")
    page.get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.goto("/people/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/people/$"))
