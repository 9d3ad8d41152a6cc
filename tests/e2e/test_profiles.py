"""The people pages in a real browser: editing your own profile with JavaScript on
and off, and axe on every page."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from intranet.notifications import notification_send
from profiles.models import Profile, Visibility
from tests.e2e.accessibility import assert_no_serious_violations
from tests.profiles.factories import (
    DepartmentFactory,
    GradeFactory,
    LocationFactory,
    ProfessionFactory,
    ProfileFactory,
    SkillFactory,
    TeamFactory,
    TeamMembershipFactory,
)

pytestmark = pytest.mark.e2e

# Set SCREENSHOTS=/some/dir to keep a picture of each page the axe test visits.
SCREENSHOTS = os.environ.get("SCREENSHOTS")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def organisation(member):
    """Ada Lovelace (the signed-in member) in a team, with a manager and a report."""
    department = DepartmentFactory(
        name="Department for Digital Services", acronym="DDS", slug="dds"
    )
    directorate = TeamFactory(
        department=department, name="Data Directorate", slug="data-directorate"
    )
    team = TeamFactory(
        department=department, parent=directorate, name="Analysis", slug="analysis"
    )
    TeamFactory(department=department, parent=team, name="Surveys", slug="surveys")
    GradeFactory(code="G7", name="Grade 7", rank=7)
    GradeFactory(code="G6", name="Grade 6", rank=8)
    ProfessionFactory(name="Government Statistical Service")
    ProfessionFactory(name="Digital, Data and Technology")
    LocationFactory(name="10 South Colonnade", city="London")
    boss = ProfileFactory(
        department=department,
        user__username="grace.hopper",
        user__first_name="Grace",
        user__last_name="Hopper",
        job_title="Director of Data",
    )
    TeamMembershipFactory(profile=boss, team=directorate, is_head=True)
    ada = ProfileFactory(
        user=member,
        department=department,
        line_manager=boss,
        job_title="Lead analyst",
        phone_work="020 7946 0000",
        phone_visibility=Visibility.DEPARTMENT,
        bio="I lead the **analysis** team.",
    )
    ada.key_skills.set([SkillFactory(name="Statistics")])
    TeamMembershipFactory(profile=ada, team=team, is_head=True, job_title="Head")
    report = ProfileFactory(
        department=department,
        line_manager=ada,
        user__username="alan.turing",
        user__first_name="Alan",
        user__last_name="Turing",
        job_title="Analyst",
    )
    TeamMembershipFactory(profile=report, team=team)
    notification_send(
        recipient=member,
        kind="profile.edited",
        text="Grace Hopper changed your profile: job title.",
        url="/people/me/",
    )
    return {"ada": ada, "boss": boss, "team": team, "department": department}


def sign_in(context, user, live_server):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
    )


@pytest.fixture
def signed_in_no_js_page(browser, live_server, member):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    sign_in(context, member, live_server)
    yield context.new_page()
    context.close()


def edit_own_profile(page):
    page.goto("/people/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Lovelace")
    page.get_by_role("link", name="Edit your profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit your profile")

    page.get_by_label("Job title", exact=True).fill("Head of Analysis")
    page.get_by_label("Pronouns").fill("she/her")
    page.get_by_label("Key skills").fill("Statistics, survey design")
    page.get_by_label("Grade").select_option("G7")
    page.get_by_role("group", name="Days you usually work").get_by_label(
        "Wednesday"
    ).check()
    page.get_by_role("group", name="Who can see your phone numbers").get_by_label(
        "Only me"
    ).check()
    page.get_by_role("group", name="Professions").get_by_label(
        "Government Statistical Service"
    ).check()
    team_2 = page.get_by_role("group", name="Team 2")
    team_2.get_by_label("Team", exact=True).select_option(label="Data Directorate")
    team_2.get_by_label("Job title in this team").fill("Deputy director")
    page.get_by_role("button", name="Save changes").click()

    expect(page).to_have_url(re.compile(r"/people/ada\.lovelace/$"))
    expect(page.get_by_role("alert")).to_contain_text("The profile has been updated")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Head of Analysis")
    expect(main).to_contain_text("she/her")
    expect(main).to_contain_text("survey design")
    expect(main).to_contain_text("Wednesday")
    expect(main).to_contain_text("Government Statistical Service")
    # Joining a team on your own profile asks its head; it counts once confirmed.
    expect(main.get_by_role("link", name="Joining Data Directorate")).to_be_visible()


def test_edit_own_profile_with_javascript(signed_in_page, organisation):
    edit_own_profile(signed_in_page)
    ada = Profile.objects.get(pk=organisation["ada"].pk)
    assert ada.job_title == "Head of Analysis"
    assert ada.phone_visibility == Visibility.NOBODY


def test_edit_own_profile_without_javascript(signed_in_no_js_page, organisation):
    edit_own_profile(signed_in_no_js_page)
    ada = Profile.objects.get(pk=organisation["ada"].pk)
    assert ada.grade.code == "G7"
    assert [m.team.name for m in ada.memberships.all()] == ["Analysis"]
    request = ada.team_requests.get()
    assert (request.team.name, request.job_title) == (
        "Data Directorate",
        "Deputy director",
    )


def test_a_mistake_is_shown_in_the_error_summary_and_beside_the_field(
    signed_in_page, organisation
):
    page = signed_in_page
    page.goto("/people/me/edit/")
    page.get_by_label("Job title", exact=True).fill("x" * 201)
    page.get_by_label("Line manager’s username").fill("nobody.here")
    page.get_by_role("button", name="Save changes").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile("^Error: Edit your profile"))
    expect(summary.get_by_role("link")).to_have_count(2)
    summary.get_by_role(
        "link", name="Job title must be 200 characters or fewer"
    ).click()
    expect(page.get_by_label("Job title", exact=True)).to_be_focused()
    expect(page.locator("#id_line_manager-error")).to_contain_text(
        "No one with the username ‘nobody.here’ works here"
    )
    assert_no_serious_violations(page)
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / "edit-errors.png"))
    assert Profile.objects.get(pk=organisation["ada"].pk).job_title == "Lead analyst"


def test_org_chart_reads_as_nested_lists(signed_in_page, organisation):
    page = signed_in_page
    page.goto("/people/ada.lovelace/org-chart/")
    chart = page.locator(".app-org-chart")
    grace = chart.locator("li", has_text="Grace Hopper").first
    ada = grace.locator("li", has_text="Ada Lovelace").first
    expect(
        ada.get_by_role("list", name="Direct reports of Ada Lovelace")
    ).to_contain_text("Alan Turing")
    ada.get_by_role("link", name="Alan Turing", exact=True).click()
    expect(page).to_have_url(re.compile(r"/people/alan\.turing/org-chart/$"))


PAGES = [
    ("/people/", "People"),
    ("/people/?department=dds&team=analysis&sort=grade", "People"),
    ("/people/ada.lovelace/", "Ada Lovelace"),
    ("/people/grace.hopper/", "Grace Hopper"),
    ("/people/ada.lovelace/edit/", "Edit your profile"),
    ("/people/ada.lovelace/photo/", "Your photo"),
    ("/people/grace.hopper/suggest/", "Suggest a correction"),
    ("/people/ada.lovelace/org-chart/", "Org chart"),
    ("/people/teams/dds/analysis/", "Analysis"),
    ("/people/departments/dds/", "Department for Digital Services"),
    ("/notifications/", "Notifications"),
]


@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_people_pages_are_accessible(signed_in_page, organisation, path, heading):
    page = signed_in_page
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    assert_no_serious_violations(page)
    if SCREENSHOTS:
        name = re.sub(r"[^a-z0-9]+", "-", path.strip("/")) or "people"
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def test_people_pages_are_accessible_on_a_phone(signed_in_page, organisation):
    page = signed_in_page
    page.set_viewport_size({"width": 375, "height": 740})
    for path in (
        "/people/",
        "/people/ada.lovelace/",
        "/people/ada.lovelace/edit/",
        "/people/ada.lovelace/org-chart/",
    ):
        page.goto(path)
        assert_no_serious_violations(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways on a phone"
        if SCREENSHOTS:
            name = "phone-" + re.sub(r"[^a-z0-9]+", "-", path.strip("/"))
            page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def test_upload_a_photo_and_see_it_on_your_page(signed_in_page, organisation, tmp_path):
    photo = tmp_path / "me.png"
    Image.new("RGB", (900, 900), "teal").save(photo)
    page = signed_in_page
    page.goto("/people/ada.lovelace/")
    page.get_by_role("link", name="Add a photo so colleagues can recognise you").click()

    page.get_by_label("Upload a photo").set_input_files(str(photo))
    page.get_by_role("button", name="Upload photo").click()

    expect(page).to_have_url(re.compile(r"/people/ada\.lovelace/$"))
    image = page.locator(".app-person-heading__photo")
    expect(image).to_be_visible()
    # decode() waits for the image to load: visible is not yet loaded.
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") == 600
    assert_no_serious_violations(page)
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / "with-photo.png"), full_page=True)


def test_a_file_that_is_not_a_photo_is_refused(signed_in_page, organisation, tmp_path):
    not_a_photo = tmp_path / "notes.png"
    not_a_photo.write_text("meeting notes")
    page = signed_in_page
    page.goto("/people/ada.lovelace/photo/")
    page.get_by_label("Upload a photo").set_input_files(str(not_a_photo))
    page.get_by_role("button", name="Upload photo").click()

    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator("#id_photo-error")).to_contain_text(
        "The selected file must be a JPG, PNG, WebP or GIF image"
    )
    assert_no_serious_violations(page)
