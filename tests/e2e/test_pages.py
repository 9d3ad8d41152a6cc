"""The layout and the main pages, as a signed-in member of staff sees them."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from profiles.models import Department, Profile
from tests.e2e.accessibility import assert_no_serious_violations

pytestmark = pytest.mark.e2e

SECTIONS = [
    ("/", "Home", "Welcome, Ada Lovelace"),
    ("/people/", "People", "People"),
    ("/spaces/", "Spaces", "Spaces"),
    ("/blogs/", "Blogs", "Blogs"),
    ("/search/?q=procurement", "Search", "Search"),
]


@pytest.fixture
def listed_member(member):
    department = Department.objects.create(
        name="Department for Digital Services",
        acronym="DDS",
        slug="dds",
        kind=Department.Kind.MINISTERIAL,
    )
    Profile.objects.create(
        user=member, department=department, job_title="Head of Analysis"
    )
    return member


@pytest.mark.parametrize(("path", "section", "heading"), SECTIONS)
def test_section_pages_are_accessible(
    signed_in_page, listed_member, path, section, heading
):
    page = signed_in_page
    page.goto(path)

    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    navigation = page.get_by_role("navigation", name="Menu")
    expect(navigation.locator("[aria-current=page]")).to_have_text(section)
    assert_no_serious_violations(page)


def test_people_are_listed_and_filtered_by_department(signed_in_page, listed_member):
    page = signed_in_page
    page.goto("/people/")
    row = page.get_by_role("row", name=re.compile("Ada Lovelace"))
    expect(row).to_contain_text("Head of Analysis")

    page.get_by_label("Department").select_option("Department for Digital Services")
    page.get_by_role("button", name="Apply").click()

    # The filter form sends every field, the empty ones too.
    expect(page).to_have_url(re.compile(r"/people/\?department=dds&"))
    expect(page.locator("caption")).to_contain_text(
        "People in Department for Digital Services"
    )


def test_search_without_results_says_so(signed_in_page, listed_member):
    # An index with someone in it: a missing or empty one reads "being rebuilt".
    call_command("rebuild_index", interactive=False, verbosity=0)
    page = signed_in_page
    page.goto("/")
    page.get_by_label("Search people, spaces and blogs").fill("procurement law")
    page.get_by_role("button", name="Search", exact=True).click()

    expect(page).to_have_url(re.compile(r"/search/\?q=procurement\+law$"))
    expect(
        page.get_by_role(
            "heading", level=2, name="No results found for ‘procurement law’"
        )
    ).to_be_visible()


@pytest.mark.parametrize("path", ["/accounts/login/", "/"])
def test_marking_banner_top_and_bottom(signed_in_page, path):
    page = signed_in_page
    if path.startswith("/accounts"):
        page.context.clear_cookies()
    page.goto(path)

    banners = page.locator(".app-marking-banner")
    expect(banners).to_have_count(2)
    expect(banners.first).to_have_text("Security marking: OFFICIAL")
    expect(banners.last).to_have_text("Security marking: OFFICIAL")
    top, bottom = banners.first.bounding_box(), banners.last.bounding_box()
    assert top["y"] == 0, "the first banner starts the page"
    page_height = page.evaluate("document.documentElement.scrollHeight")
    assert bottom["y"] + bottom["height"] == pytest.approx(page_height, abs=1)

    # And on paper.
    page.emulate_media(media="print")
    expect(banners.first).to_be_visible()
    expect(banners.last).to_be_visible()


def test_navigation_collapses_into_a_menu_on_a_phone(signed_in_page):
    page = signed_in_page
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/")
    menu = page.get_by_role("button", name="Menu")
    link = page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="People"
    )
    expect(link).to_be_hidden()

    menu.click()

    expect(link).to_be_visible()
    assert_no_serious_violations(page)
