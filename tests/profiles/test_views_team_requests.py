"""Team membership that confers access, through the pages: claiming a team on your
own edit form gives nothing until a head confirms it; the request page; and what
an IT admin's edit form and the audit log show of fields an owner hid."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from intranet.models import AuditEvent
from profiles.models import TeamMembership, TeamMembershipRequest, Visibility
from profiles.services.editing import profile_update
from search.writer import drain_all
from spaces.models import GrantRole, Space
from spaces.services import grant_create
from spaces.thread_services import thread_start
from tests.profiles.factories import (
    DepartmentFactory,
    ProfileFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)
from tests.profiles.test_views import edit_data
from tests.spaces.factories import SpaceFactory, add_member

pytestmark = pytest.mark.django_db

SECRET_PHONE = "020 7946 0999"


@pytest.fixture
def department():
    return DepartmentFactory(name="Cabinet Office", slug="co", acronym="CO")


@pytest.fixture
def team(department):
    return TeamFactory(
        department=department, name="Cyber Security Policy", slug="cyber-policy"
    )


@pytest.fixture
def head(team):
    profile = ProfileFactory(department=team.department, user__username="the.head")
    TeamMembershipFactory(profile=profile, team=team, is_head=True)
    return profile


@pytest.fixture
def outsider(department):
    return ProfileFactory(department=department, user__username="out.sider")


@pytest.fixture
def private_space(team, head):
    owner = ProfileFactory(department=team.department).user
    space = SpaceFactory(
        name="Cyber incident response",
        slug="cyber-incident-response",
        visibility=Space.Visibility.PRIVATE,
        department=team.department,
    )
    add_member(space, owner, "owner")
    grant_create(actor=owner, space=space, role=GrantRole.MEMBER, team=team)
    space.thread = thread_start(
        actor=owner,
        space=space,
        title="Quokkaregister of open incidents",
        body="Opening message",
        client_id="cyber-incident-1",
    )
    return space


def edit_url(profile):
    return reverse("profiles:edit", kwargs={"username": profile.user.username})


def claim_on_own_form(client, profile, team, *, head=False):
    client.force_login(profile.user)
    data = edit_data(profile, **{"membership-0-team": team.pk})
    if head:
        data["membership-0-is_head"] = "yes"
    return client.post(edit_url(profile), data)


def test_claiming_a_team_on_your_own_form_opens_none_of_its_spaces(
    client, outsider, team, private_space
):
    """The outside probe's steps: 404 on the private space granted to a team, post
    your own edit form with that team, and try the space, its thread and search."""
    space_url = reverse("spaces:home", kwargs={"slug": private_space.slug})
    thread_url = reverse(
        "spaces:thread",
        kwargs={"slug": private_space.slug, "thread_id": private_space.thread.pk},
    )
    client.force_login(outsider.user)
    assert client.get(space_url).status_code == 404

    response = claim_on_own_form(client, outsider, team)

    assert response.status_code == 302
    page = client.get(response.url)
    assertContains(page, "Joining Cyber Security Policy")
    assertContains(page, "is awaiting confirmation")
    assert client.get(space_url).status_code == 404
    assert client.get(thread_url).status_code == 404
    drain_all()
    found = client.get("/search/", {"q": "quokkaregister"})
    assert found.status_code == 200
    assertNotContains(found, "Quokkaregister")


def test_once_the_head_confirms_the_space_opens(
    client, outsider, team, head, private_space
):
    claim_on_own_form(client, outsider, team)
    asked = TeamMembershipRequest.objects.get()

    client.force_login(head.user)
    page = client.get(reverse("profiles:team_request", kwargs={"pk": asked.pk}))
    assertContains(page, "Request to join Cyber Security Policy")
    assertContains(page, 'value="confirm"')
    response = client.post(
        reverse("profiles:team_request", kwargs={"pk": asked.pk}),
        {"decision": "confirm"},
    )
    assert response.status_code == 302

    client.force_login(outsider.user)
    space_url = reverse("spaces:home", kwargs={"slug": private_space.slug})
    assert client.get(space_url).status_code == 200


def test_ticking_head_gives_none_of_the_teams_edit_rights(client, outsider, team):
    TeamMembershipFactory(profile=outsider, team=team)
    claim_on_own_form(client, outsider, team, head=True)

    assert not TeamMembership.objects.get(profile=outsider, team=team).is_head
    team_url = reverse(
        "profiles:team",
        kwargs={"department_slug": team.department.slug, "team_slug": team.slug},
    )
    page = client.get(team_url)
    assertContains(page, "No head of team is recorded")
    assertNotContains(page, "Edit team")
    edit_team = reverse(
        "profiles:team_edit",
        kwargs={"department_slug": team.department.slug, "team_slug": team.slug},
    )
    assert client.get(edit_team).status_code == 403
    response = client.post(edit_team, {"name": "Renamed", "description": "Mine"})
    assert response.status_code == 403
    team.refresh_from_db()
    assert team.name == "Cyber Security Policy"


def test_the_teams_head_sees_the_request_on_the_team_page(client, outsider, team, head):
    claim_on_own_form(client, outsider, team)
    client.force_login(head.user)
    page = client.get(
        reverse(
            "profiles:team",
            kwargs={"department_slug": team.department.slug, "team_slug": team.slug},
        )
    )
    assertContains(page, "Awaiting your confirmation")
    assertContains(page, f"{outsider.display_name}: to join the team")


def test_the_request_does_not_exist_for_a_colleague(client, outsider, team, head):
    claim_on_own_form(client, outsider, team)
    asked = TeamMembershipRequest.objects.get()
    colleague = ProfileFactory(department=team.department)
    client.force_login(colleague.user)
    url = reverse("profiles:team_request", kwargs={"pk": asked.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "confirm"}).status_code == 404
    assert not TeamMembership.objects.filter(profile=outsider).exists()


def test_the_person_cannot_confirm_their_own_request(client, outsider, team, head):
    claim_on_own_form(client, outsider, team)
    asked = TeamMembershipRequest.objects.get()
    url = reverse("profiles:team_request", kwargs={"pk": asked.pk})
    page = client.get(url)
    assertNotContains(page, 'value="confirm"')
    assertContains(page, 'value="withdraw"')
    assert client.post(url, {"decision": "confirm"}).status_code == 403
    assert not TeamMembership.objects.filter(profile=outsider).exists()

    assert client.post(url, {"decision": "withdraw"}).status_code == 302
    assert not TeamMembershipRequest.objects.exists()


def test_a_decision_that_is_not_one_is_refused(client, outsider, team, head):
    claim_on_own_form(client, outsider, team)
    asked = TeamMembershipRequest.objects.get()
    client.force_login(head.user)
    url = reverse("profiles:team_request", kwargs={"pk": asked.pk})
    response = client.post(url, {"decision": "approve-everything"})
    assert response.status_code == 400
    assertContains(response, "Choose whether to confirm or decline", status_code=400)
    assert TeamMembershipRequest.objects.exists()


class TestHiddenIsHidden:
    @pytest.fixture
    def owner(self, department):
        return ProfileFactory(
            department=department,
            phone_work=SECRET_PHONE,
            phone_visibility=Visibility.NOBODY,
        )

    @pytest.fixture
    def admin(self, department):
        user = UserFactory(it_admin=True, is_staff=True, is_superuser=True)
        ProfileFactory(user=user, department=department)
        return user

    def test_the_it_admins_edit_form_leaves_a_hidden_field_empty(
        self, client, owner, admin
    ):
        client.force_login(admin)
        form = client.get(edit_url(owner))
        assert form.status_code == 200
        assertNotContains(form, SECRET_PHONE)
        assertContains(form, "Hidden by its owner")

    def test_saving_the_form_untouched_keeps_the_hidden_value(
        self, client, owner, admin
    ):
        client.force_login(admin)
        data = edit_data(
            owner, phone_work="", job_title="Analyst", department=owner.department_id
        )
        assert client.post(edit_url(owner), data).status_code == 302
        owner.refresh_from_db()
        assert (owner.job_title, owner.phone_work) == ("Analyst", SECRET_PHONE)

    def test_a_new_value_replaces_it_and_the_log_keeps_neither(
        self, client, owner, admin
    ):
        client.force_login(admin)
        data = edit_data(
            owner, phone_work="020 7946 0111", department=owner.department_id
        )
        assert client.post(edit_url(owner), data).status_code == 302
        owner.refresh_from_db()
        assert owner.phone_work == "020 7946 0111"

        event = AuditEvent.objects.get(action="profile.update")
        assert event.details["changes"]["phone_work"] == {"changed": True}
        page = client.get(reverse("admin:intranet_auditevent_change", args=[event.pk]))
        assert page.status_code == 200
        assertNotContains(page, SECRET_PHONE)
        assertNotContains(page, "020 7946 0111")

    def test_the_owner_still_sees_their_own_values(self, client, owner):
        client.force_login(owner.user)
        assertContains(client.get(edit_url(owner)), SECRET_PHONE)

    def test_an_it_admin_the_owner_shows_it_to_sees_it(self, client, owner):
        profile_update(
            actor=owner.user,
            profile=owner,
            changes={"phone_visibility": Visibility.DEPARTMENT},
        )
        admin = UserFactory(it_admin=True)
        ProfileFactory(user=admin, department=owner.department)
        client.force_login(admin)
        assertContains(client.get(edit_url(owner)), SECRET_PHONE)
