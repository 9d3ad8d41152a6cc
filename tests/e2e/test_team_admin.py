"""Changing the organisation in a real browser: an IT admin moves a team with
JavaScript off and edits one with it on, and axe checks every admin page."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from playwright.sync_api import expect

from profiles.models import Team
from tests.e2e.accessibility import assert_no_serious_violations
from tests.profiles.factories import (
    DepartmentFactory,
    ProfileFactory,
    SkillFactory,
    TeamFactory,
)

pytestmark = pytest.mark.e2e

# Set SCREENSHOTS=/some/dir to keep a picture of each page the axe test visits.
SCREENSHOTS = os.environ.get("SCREENSHOTS")


@pytest.fixture
def organisation(member):
    """Ada Lovelace (the signed-in member), an IT admin, and two departments."""
    member.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="profiles", codename="manage_access"
        )
    )
    department = DepartmentFactory(
        name="Department for Digital Services", acronym="DDS", slug="dds"
    )
    other = DepartmentFactory(name="Cabinet Office", acronym="CO", slug="co")
    directorate = TeamFactory(
        department=department, name="Data Directorate", slug="data-directorate"
    )
    team = TeamFactory(parent=directorate, name="Analysis", slug="analysis")
    TeamFactory(parent=team, name="Surveys", slug="surveys")
    TeamFactory(department=other, name="Digital", slug="digital")
    ProfileFactory(user=member, department=department)
    SkillFactory(name="Data analysis")
    SkillFactory(name="Data analytics")
    return {"team": team, "other": other}


def test_move_a_team_to_another_department_without_javascript(
    no_js_page, organisation, member, live_server
):
    page = no_js_page
    client = Client()
    client.force_login(member)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
    )
    page.goto("/people/teams/dds/analysis/")
    page.get_by_role("link", name="Move team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move team")

    # Step 1, a plain GET form: choose the department.
    page.get_by_label("Department", exact=True).select_option(label="Cabinet Office")
    page.get_by_role("button", name="Show teams in this department").click()
    expect(page).to_have_url(re.compile(r"/move/\?department=co$"))
    # Step 2, a POST form: choose the parent among that department's teams.
    page.get_by_label("New parent team").select_option(label="Digital")
    page.get_by_role("button", name="Move team").click()

    expect(page).to_have_url(re.compile(r"/people/teams/co/analysis/$"))
    expect(page.get_by_role("alert")).to_contain_text(
        "Analysis has been moved to Cabinet Office, under Digital"
    )
    moved = Team.objects.select_related("parent").get(pk=organisation["team"].pk)
    assert (moved.department, moved.parent.name) == (organisation["other"], "Digital")
    assert Team.objects.get(name="Surveys").department == organisation["other"]


def test_edit_a_team_description_with_javascript(signed_in_page, organisation):
    page = signed_in_page
    page.goto("/people/teams/dds/analysis/")
    page.get_by_role("link", name="Edit team").click()
    page.get_by_label("Description").fill("We answer questions with numbers.")
    page.get_by_role("button", name="Save changes").click()

    expect(page).to_have_url(re.compile(r"/people/teams/dds/analysis/$"))
    expect(page.get_by_role("alert")).to_contain_text("Analysis has been updated")
    expect(page.get_by_role("main")).to_contain_text(
        "We answer questions with numbers."
    )
    assert Team.objects.get(pk=organisation["team"].pk).description == (
        "We answer questions with numbers."
    )


def test_team_admin_pages_are_accessible(signed_in_page, organisation):
    page = signed_in_page
    pages = [
        ("/people/teams/dds/analysis/", "Analysis"),
        ("/people/teams/dds/analysis/edit/", "Edit team"),
        ("/people/teams/dds/analysis/add/", "Add a team within Analysis"),
        ("/people/departments/dds/add-team/", "Add a team"),
        ("/people/teams/dds/analysis/move/?department=co", "Move team"),
        ("/people/skills/merge/", "Merge skills"),
    ]
    for path, heading in pages:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_no_serious_violations(page)
        if SCREENSHOTS:
            name = "admin-" + re.sub(r"[^a-z0-9]+", "-", path.strip("/"))
            page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)

    # A refusal: the service's error beside the parent field, in the summary too.
    page.goto("/people/teams/dds/analysis/move/")
    page.get_by_label("New parent team").select_option(
        label="Data Directorate › Analysis › Surveys"
    )
    page.get_by_role("button", name="Move team").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator("#id_parent-error")).to_contain_text(
        "A team cannot be moved under one of its own sub-teams"
    )
    assert_no_serious_violations(page)
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / "admin-move-error.png"))
    assert Team.objects.get(pk=organisation["team"].pk).parent.name == (
        "Data Directorate"
    )
