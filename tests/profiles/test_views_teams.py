"""The pages that change the organisation: editing, adding and moving teams, and
merging skills. Who may open each, what a good and a bad post do, and that a
refused post saves nothing."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from intranet.models import AuditEvent
from profiles.models import Profile, Skill, Team
from tests.profiles.factories import (
    DepartmentFactory,
    ProfileFactory,
    SkillFactory,
    TeamFactory,
    TeamMembershipFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def department():
    return DepartmentFactory(name="Department for Testing", slug="dft", acronym="DFT")


@pytest.fixture
def other_department():
    return DepartmentFactory(name="Cabinet Office", slug="co", acronym="CO")


@pytest.fixture
def directorate(department):
    return TeamFactory(department=department, name="Data Directorate", slug="data")


@pytest.fixture
def team(directorate):
    return TeamFactory(parent=directorate, name="Analysis", slug="analysis")


@pytest.fixture
def subteam(team):
    return TeamFactory(parent=team, name="Surveys", slug="surveys")


def _profile(department, username):
    return ProfileFactory(department=department, user__username=username)


@pytest.fixture
def people(department, directorate, team):
    """One person in each role the pages tell apart."""
    head = _profile(department, "team.head")
    TeamMembershipFactory(profile=head, team=team, is_head=True)
    parent_head = _profile(department, "parent.head")
    TeamMembershipFactory(profile=parent_head, team=directorate, is_head=True)
    member = _profile(department, "team.member")
    TeamMembershipFactory(profile=member, team=team)
    leaver = _profile(department, "left.head")
    TeamMembershipFactory(profile=leaver, team=team, is_head=True)
    leaver.user.is_active = False
    leaver.user.save()
    return {
        "head": head.user,
        "parent_head": parent_head.user,
        "it_admin": ProfileFactory(user__it_admin=True).user,
        "colleague": member.user,
        "leaver": leaver.user,
    }


def url(name, team):
    return reverse(
        f"profiles:{name}",
        kwargs={"department_slug": team.department.slug, "team_slug": team.slug},
    )


def error_summary(response) -> dict[str, str]:
    """{field id: message} for each link in the GOV.UK error summary."""
    html = response.content.decode()
    summary = re.search(r'class="govuk-error-summary".*?</ul>', html, re.S)
    assert summary, "no error summary on the page"
    return dict(re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary[0]))


def assert_error_next_to(response, field_id: str, message: str) -> None:
    assert response.status_code == 200
    assert error_summary(response).get(field_id) == message
    assertContains(response, f'id="{field_id}-error"')
    assertContains(response, message)


def post_and_follow(client, path, data):
    """Post, follow the redirect, and return (where it went, the banner's text)."""
    response = client.post(path, data, follow=True)
    assert response.redirect_chain, "the post did not redirect"
    heading = re.search(
        r'govuk-notification-banner__heading">([^<]*)<', response.content.decode()
    )
    return response.redirect_chain[-1][0], heading[1]


# Who may open each page.

ROLES = ["head", "parent_head", "it_admin", "colleague", "leaver"]
EDITORS = {"head", "parent_head", "it_admin"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["team_edit", "team_add", "team_move"])
def test_who_may_open_each_team_page(client, people, team, role, name):
    client.force_login(people[role])
    response = client.get(url(name, team))
    if role == "leaver":
        # A leaver's session no longer signs them in.
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return
    allowed = role == "it_admin" if name == "team_move" else role in EDITORS
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize("role", ROLES)
def test_only_it_admins_add_top_level_teams_and_merge_skills(
    client, people, department, role
):
    client.force_login(people[role])
    for path in (
        reverse("profiles:department_team_add", kwargs={"slug": department.slug}),
        reverse("profiles:skill_merge"),
    ):
        response = client.get(path)
        if role == "leaver":
            assert response.status_code == 302
        else:
            assert response.status_code == (200 if role == "it_admin" else 403)


@pytest.mark.parametrize("role", ["head", "parent_head", "it_admin", "colleague"])
def test_links_show_only_to_those_who_may_follow_them(
    client, people, department, team, role
):
    client.force_login(people[role])
    team_page = client.get(url("team", team))
    department_page = client.get(
        reverse("profiles:department", kwargs={"slug": department.slug})
    )
    directory = client.get(reverse("profiles:directory"))
    checks = [
        (team_page, url("team_edit", team), role in EDITORS),
        (team_page, url("team_add", team), role in EDITORS),
        (team_page, url("team_move", team), role == "it_admin"),
        (
            department_page,
            reverse("profiles:department_team_add", kwargs={"slug": "dft"}),
            role == "it_admin",
        ),
        (directory, reverse("profiles:skill_merge"), role == "it_admin"),
    ]
    for response, link, shown in checks:
        (assertContains if shown else assertNotContains)(response, f'href="{link}"')


def test_unknown_teams_are_not_found(client, people):
    client.force_login(people["it_admin"])
    for name in ("edit", "add", "move"):
        assert client.get(f"/people/teams/dft/nope/{name}/").status_code == 404
    assert client.get("/people/departments/nope/add-team/").status_code == 404


# Editing a team.


@pytest.mark.parametrize("role", ["head", "parent_head", "it_admin"])
def test_a_head_above_or_an_it_admin_edits_a_team(client, people, team, role):
    client.force_login(people[role])
    location, banner = post_and_follow(
        client,
        url("team_edit", team),
        {"name": "  Analysis   and Insight ", "description": "We count things."},
    )
    assert location == url("team", team)  # the slug stays
    assert banner == "Analysis and Insight has been updated"
    team.refresh_from_db()
    assert (team.name, team.description) == ("Analysis and Insight", "We count things.")
    assert AuditEvent.objects.filter(action="team.update").count() == 1


def test_a_colleague_cannot_edit_a_team_by_posting(client, people, team):
    client.force_login(people["colleague"])
    response = client.post(url("team_edit", team), {"name": "Taken over"})
    assert response.status_code == 403
    team.refresh_from_db()
    assert team.name == "Analysis"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "   "}, "id_name", "Enter a team name"),
        ({"name": "x" * 201}, "id_name", "Team name must be 200 characters or fewer"),
        (
            {"name": "Analysis", "description": "x" * 2001},
            "id_description",
            "Description must be 2,000 characters or fewer",
        ),
    ],
)
def test_a_bad_team_edit_is_shown_and_saves_nothing(
    client, people, team, data, field, message
):
    client.force_login(people["head"])
    response = client.post(url("team_edit", team), data)
    assert_error_next_to(response, field, message)
    assertContains(response, "<title>Error: ")
    team.refresh_from_db()
    assert (team.name, team.description) == ("Analysis", "")
    assert not AuditEvent.objects.filter(action="team.update").exists()


def test_renaming_to_a_sibling_name_is_refused_next_to_the_name(
    client, people, directorate, team
):
    TeamFactory(parent=directorate, name="Policy", slug="policy")
    client.force_login(people["parent_head"])
    response = client.post(url("team_edit", team), {"name": "policy"})
    assert_error_next_to(
        response, "id_name", "There is already a team called policy here"
    )
    team.refresh_from_db()
    assert team.name == "Analysis"


def test_the_edit_form_starts_with_the_team_as_it_is(client, people, team):
    team.description = "Numbers & <charts>"
    team.save()
    client.force_login(people["head"])
    response = client.get(url("team_edit", team))
    assertContains(response, 'value="Analysis"')
    assertContains(response, "Numbers &amp; &lt;charts&gt;</textarea>")


# Adding teams.


@pytest.mark.parametrize("role", ["head", "parent_head", "it_admin"])
def test_a_head_or_an_it_admin_adds_a_sub_team(client, people, team, role):
    client.force_login(people[role])
    location, banner = post_and_follow(
        client, url("team_add", team), {"name": "Modelling"}
    )
    added = Team.objects.get(name="Modelling")
    assert (added.parent, added.department) == (team, team.department)
    assert location == url("team", added)
    assert banner == "Modelling has been added to Analysis"


def test_a_colleague_cannot_add_a_sub_team_by_posting(client, people, team):
    client.force_login(people["colleague"])
    response = client.post(url("team_add", team), {"name": "Shadow team"})
    assert response.status_code == 403
    assert not Team.objects.filter(name="Shadow team").exists()


def test_a_sub_team_named_like_a_sibling_is_refused(client, people, team, subteam):
    client.force_login(people["head"])
    count = Team.objects.count()
    response = client.post(url("team_add", team), {"name": "SURVEYS"})
    assert_error_next_to(
        response, "id_name", "There is already a team called SURVEYS here"
    )
    assert Team.objects.count() == count


def test_an_it_admin_adds_a_top_level_team(client, people, department):
    client.force_login(people["it_admin"])
    path = reverse("profiles:department_team_add", kwargs={"slug": department.slug})
    location, banner = post_and_follow(
        client, path, {"name": "Finance", "description": "Money."}
    )
    added = Team.objects.get(name="Finance")
    assert (added.parent, added.department, added.description) == (
        None,
        department,
        "Money.",
    )
    assert location == url("team", added)
    assert banner == "Finance has been added to Department for Testing"


def test_a_head_cannot_add_a_top_level_team_by_posting(client, people, department):
    client.force_login(people["head"])
    path = reverse("profiles:department_team_add", kwargs={"slug": department.slug})
    assert client.post(path, {"name": "Finance"}).status_code == 403
    assert not Team.objects.filter(name="Finance").exists()


def test_a_top_level_team_without_a_name_is_refused(client, people, department):
    client.force_login(people["it_admin"])
    count = Team.objects.count()
    path = reverse("profiles:department_team_add", kwargs={"slug": department.slug})
    assert_error_next_to(
        client.post(path, {"name": ""}), "id_name", "Enter a team name"
    )
    assert Team.objects.count() == count


# Moving a team.


def test_the_move_page_offers_the_departments_teams_and_its_top_level(
    client, people, directorate, team, other_department
):
    client.force_login(people["it_admin"])
    response = client.get(url("team_move", team))
    html = response.content.decode()
    assert '<option value="">Top level of Department for Testing</option>' in html
    assert (
        f'<option value="{directorate.pk}" selected>Data Directorate</option>' in html
    )
    assert f'value="{team.pk}">Data Directorate › Analysis</option>' in html
    assert '<option value="co">Cabinet Office</option>' in html
    # Choosing another department (a plain GET) offers its teams instead.
    elsewhere = TeamFactory(department=other_department, name="Digital", slug="dg")
    response = client.get(url("team_move", team), {"department": "co"})
    assertContains(response, "Top level of Cabinet Office")
    assertContains(response, f'<option value="{elsewhere.pk}">Digital</option>')
    assertNotContains(response, "Data Directorate ›")
    assertContains(response, 'type="hidden" name="department" value="co"')


def test_an_it_admin_moves_a_team_to_the_top_level(
    client, people, directorate, team, subteam
):
    client.force_login(people["it_admin"])
    location, banner = post_and_follow(
        client, url("team_move", team), {"department": "dft", "parent": ""}
    )
    team.refresh_from_db()
    assert team.parent is None
    assert location == url("team", team)
    assert banner == (
        "Analysis has been moved to the top level of Department for Testing"
    )
    assert AuditEvent.objects.filter(action="team.move").count() == 1


def test_an_it_admin_moves_a_team_to_another_department(
    client, people, team, subteam, other_department
):
    new_parent = TeamFactory(department=other_department, name="Digital", slug="dg")
    TeamFactory(department=other_department, name="Surveys", slug="surveys")
    client.force_login(people["it_admin"])
    location, banner = post_and_follow(
        client,
        url("team_move", team),
        {"department": "co", "parent": str(new_parent.pk)},
    )
    team.refresh_from_db()
    subteam.refresh_from_db()
    assert (team.department, team.parent) == (other_department, new_parent)
    assert subteam.department == other_department
    assert subteam.slug != "surveys"  # taken in the new department
    assert location == "/people/teams/co/analysis/"
    assert banner == "Analysis has been moved to Cabinet Office, under Digital"


def test_moving_a_team_under_its_own_sub_team_is_refused_next_to_the_parent(
    client, people, directorate, team, subteam
):
    client.force_login(people["it_admin"])
    response = client.post(
        url("team_move", team), {"department": "dft", "parent": str(subteam.pk)}
    )
    assert_error_next_to(
        response, "id_parent", "A team cannot be moved under one of its own sub-teams"
    )
    team.refresh_from_db()
    assert team.parent == directorate
    assert not AuditEvent.objects.filter(action="team.move").exists()


def test_a_parent_from_another_department_is_refused(
    client, people, directorate, team, other_department
):
    elsewhere = TeamFactory(department=other_department, name="Digital", slug="dg")
    client.force_login(people["it_admin"])
    response = client.post(
        url("team_move", team), {"department": "dft", "parent": str(elsewhere.pk)}
    )
    assert_error_next_to(response, "id_parent", "Select a team from the list")
    team.refresh_from_db()
    assert (team.department_id, team.parent) == (directorate.department_id, directorate)


@pytest.mark.parametrize("role", ["head", "parent_head", "colleague"])
def test_a_forged_move_by_anyone_but_an_it_admin_changes_nothing(
    client, people, directorate, team, role
):
    client.force_login(people[role])
    response = client.post(url("team_move", team), {"department": "dft", "parent": ""})
    assert response.status_code == 403
    team.refresh_from_db()
    assert team.parent == directorate
    assert not AuditEvent.objects.filter(action="team.move").exists()


def test_every_write_needs_the_csrf_token(people, team):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["it_admin"])
    for name in ("team_edit", "team_add", "team_move"):
        assert client.post(url(name, team), {"name": "X"}).status_code == 403
    assert client.post(reverse("profiles:skill_merge"), {}).status_code == 403
    team.refresh_from_db()
    assert team.name == "Analysis"


# Merging skills.


@pytest.fixture
def skills(department):
    old = SkillFactory(name="Data analytics")
    kept = SkillFactory(name="Data analysis")
    for number in range(3):
        person = _profile(department, f"analyst{number}")
        person.key_skills.set([old] if number else [old, kept])
    return old, kept


def test_an_it_admin_merges_two_skills(client, people, skills):
    old, kept = skills
    client.force_login(people["it_admin"])
    location, banner = post_and_follow(
        client,
        reverse("profiles:skill_merge"),
        # Any spelling of a skill finds it.
        {"source": "DATA  Analytics", "target": "data analyses"},
    )
    assert location == reverse("profiles:skill_merge")
    assert not Skill.objects.filter(pk=old.pk).exists()
    assert Profile.objects.filter(key_skills=kept).count() == 3
    assert banner == (
        "Merged ‘Data analytics’ into ‘Data analysis’: 3 profiles were updated"
    )
    assert AuditEvent.objects.filter(action="skill.merge").count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"source": "Basket weaving", "target": "Data analysis"},
            "id_source",
            "There is no skill called ‘Basket weaving’. Check the spelling",
        ),
        (
            {"source": "Data analytics", "target": "Knitting"},
            "id_target",
            "There is no skill called ‘Knitting’. Check the spelling",
        ),
        (
            {"source": "Data analysis", "target": "data  ANALYSES"},
            "id_target",
            "Both names are the skill ‘Data analysis’. Enter two different skills",
        ),
        (
            {"source": "", "target": "Data analysis"},
            "id_source",
            "Enter the skill to merge away",
        ),
    ],
)
def test_a_bad_merge_is_shown_and_saves_nothing(
    client, people, skills, data, field, message
):
    client.force_login(people["it_admin"])
    response = client.post(reverse("profiles:skill_merge"), data)
    assert_error_next_to(response, field, message)
    assert Skill.objects.filter(pk__in=[s.pk for s in skills]).count() == 2
    assert not AuditEvent.objects.filter(action="skill.merge").exists()


@pytest.mark.parametrize("role", ["head", "colleague"])
def test_a_forged_merge_by_anyone_but_an_it_admin_changes_nothing(
    client, people, skills, role
):
    client.force_login(people[role])
    response = client.post(
        reverse("profiles:skill_merge"),
        {"source": "Data analytics", "target": "Data analysis"},
    )
    assert response.status_code == 403
    assert Skill.objects.filter(pk__in=[s.pk for s in skills]).count() == 2
