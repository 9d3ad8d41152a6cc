"""A space's members page: who may see it, what it lists, and bounded queries."""

import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from spaces.models import GrantRole, Role, Space
from spaces.services import grant_create
from tests.profiles.factories import (
    DepartmentFactory,
    ProfileFactory,
    TeamFactory,
    TeamMembershipFactory,
)
from tests.spaces.factories import SpaceFactory, add_member, staff

pytestmark = pytest.mark.django_db

OPEN, RESTRICTED, PRIVATE = Space.Visibility


@pytest.fixture
def home_office():
    return DepartmentFactory(name="Home Office", acronym="HO")


@pytest.fixture
def owner():
    return staff(
        user__username="asha.patel", user__first_name="Asha", user__last_name="Patel"
    )


@pytest.fixture
def space(owner):
    space = SpaceFactory(name="Procurement reform", slug="procurement-reform")
    add_member(space, owner, Role.OWNER)
    return space


def members_url(space, **query):
    url = reverse("spaces:members", kwargs={"slug": space.slug})
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def rows(response):
    """The member table's rows: each name cell's text."""
    body = response.content.decode().split('id="members-caption"')[1]
    body = body.split("</table>")[0]
    return re.findall(
        r'<th scope="row" class="govuk-table__header">(.*?)</th>', body, re.S
    )


def test_lists_members_with_role_joined_date_and_a_link_to_their_profile(
    client, space, owner
):
    ben = staff(user__username="ben.lee", user__first_name="Ben", user__last_name="Lee")
    add_member(space, ben, Role.MODERATOR)
    client.force_login(ben)
    response = client.get(members_url(space))
    assert response.status_code == 200
    assertContains(
        response,
        '<h1 class="govuk-heading-xl govuk-!-margin-bottom-3">Members</h1>',
        html=False,
    )
    profile_url = reverse("profiles:person", kwargs={"username": "ben.lee"})
    assertContains(response, f'<a class="govuk-link" href="{profile_url}">Ben Lee</a>')
    assertContains(response, "Moderator")
    assertContains(response, "Owner")
    joined = space.memberships.get(user=ben).joined_at
    assertContains(response, f'datetime="{joined.isoformat()}"')
    # Owners first, then by name.
    names = [re.sub(r"<[^>]+>", "", cell).strip() for cell in rows(response)]
    assert names == ["Asha Patel", "Ben Lee"]


def test_grants_are_listed_with_their_role_and_members_they_cover_say_so(
    client, space, owner, home_office
):
    team = TeamFactory(name="Data science")
    grant_create(
        actor=owner, space=space, role=GrantRole.MEMBER, department=home_office
    )
    grant_create(actor=owner, space=space, role=GrantRole.GUEST, team=team)
    covered = ProfileFactory(
        department=home_office, user__first_name="Cora", user__last_name="Vance"
    )
    add_member(space, covered.user, Role.MEMBER)
    in_team = ProfileFactory(user__first_name="Tom", user__last_name="Team")
    TeamMembershipFactory(profile=in_team, team=team)
    add_member(space, in_team.user, Role.GUEST)
    client.force_login(owner)

    response = client.get(members_url(space))

    html = response.content.decode()
    grants = html.split("Departments and teams with access</h2>")[1]
    assert "Home Office" in grants and "Data science" in grants
    assert re.search(r"Home Office.*?department.*?Member", grants, re.S)
    assert re.search(r"Data science.*?team in.*?Guest", grants, re.S)
    assertContains(response, "without being a member themselves")
    table = html.split('id="members-caption"')[1].split("</table>")[0]
    cora = table.split("Cora Vance")[1].split("</tr>")[0]
    assert "also through Home Office" in cora
    tom = table.split("Tom Team")[1].split("</tr>")[0]
    assert "also through Data science" in tom
    asha = table.split("Asha Patel")[1].split("</tr>")[0]
    assert "also through" not in asha


def test_people_let_in_by_a_grant_see_the_members_of_a_restricted_space(
    client, owner, home_office
):
    space = SpaceFactory(visibility=RESTRICTED)
    add_member(space, owner, Role.OWNER)
    grant_create(
        actor=owner, space=space, role=GrantRole.MEMBER, department=home_office
    )
    granted = staff(department=home_office)
    client.force_login(granted)
    response = client.get(members_url(space))
    assert response.status_code == 200
    assertContains(response, "Asha Patel")


def test_a_restricted_space_s_members_are_refused_to_outsiders(client, owner):
    space = SpaceFactory(visibility=RESTRICTED)
    add_member(space, owner, Role.OWNER)
    client.force_login(staff())
    response = client.get(members_url(space))
    assert response.status_code == 403
    assertNotContains(response, "Asha Patel", status_code=403)


def test_a_private_space_does_not_exist_for_outsiders(client, owner):
    space = SpaceFactory(visibility=PRIVATE)
    add_member(space, owner, Role.OWNER)
    client.force_login(staff())
    assert client.get(members_url(space)).status_code == 404


def test_an_it_admin_sees_the_members_of_a_private_space_they_are_not_in(client, owner):
    space = SpaceFactory(visibility=PRIVATE)
    add_member(space, owner, Role.OWNER)
    client.force_login(staff(user__it_admin=True))
    response = client.get(members_url(space))
    assert response.status_code == 200
    assertContains(response, "Asha Patel")
    assertContains(response, reverse("spaces:access", kwargs={"slug": space.slug}))


def test_leavers_are_not_listed(client, space, owner):
    leaver = staff(user__first_name="Lee", user__last_name="Vere")
    add_member(space, leaver, Role.MEMBER)
    leaver.is_active = False
    leaver.save()
    client.force_login(owner)
    response = client.get(members_url(space))
    assertNotContains(response, "Lee Vere")
    assertContains(response, "of 1 member")


def test_members_come_fifty_to_a_page(client, space, owner):
    for _ in range(54):
        add_member(space, staff(), Role.MEMBER)
    client.force_login(owner)
    first = client.get(members_url(space))
    assert len(rows(first)) == 50
    assertContains(first, "Showing 1 to 50 of 55 members")
    second = client.get(members_url(space, page=2))
    assert len(rows(second)) == 5
    assertContains(second, "Showing 51 to 55 of 55 members")


def test_a_non_member_sees_an_open_space_s_members_but_no_manage_links(client, space):
    client.force_login(staff())
    response = client.get(members_url(space))
    assert response.status_code == 200
    assertNotContains(response, reverse("spaces:access", kwargs={"slug": space.slug}))
    assertNotContains(response, reverse("spaces:history", kwargs={"slug": space.slug}))


@pytest.mark.parametrize("size", [5, 60])
def test_members_page_queries_are_bounded(
    client, space, owner, size, django_assert_max_num_queries
):
    for n in range(size):
        department = DepartmentFactory()
        team = TeamFactory(department=department)
        profile = ProfileFactory(department=department)
        TeamMembershipFactory(profile=profile, team=team)
        add_member(space, profile.user, Role.MEMBER)
        if n < 10:
            grant_create(
                actor=owner, space=space, role=GrantRole.GUEST, department=department
            )
            grant_create(actor=owner, space=space, role=GrantRole.MEMBER, team=team)
    client.force_login(owner)
    # Session and user; the space; the permission checks of the page and its
    # header; the grants, the count, the page of members and their teams; the
    # unread notifications.
    with django_assert_max_num_queries(14):
        response = client.get(members_url(space))
    assert response.status_code == 200
    assert len(rows(response)) == min(size + 1, 50)
