"""A space's access history page: who may read it, what it says, and bounded
queries."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from intranet.models import AuditEvent
from spaces.errors import SpaceError
from spaces.models import GrantRole, Role, Space
from spaces.services import (
    grant_create,
    join_request_create,
    join_request_decline,
    membership_set_role,
    space_update,
)
from tests.profiles.factories import DepartmentFactory
from tests.spaces.factories import SpaceFactory, add_member, staff

pytestmark = pytest.mark.django_db

OPEN, RESTRICTED, PRIVATE = Space.Visibility


@pytest.fixture
def owner():
    return staff(
        user__username="asha.patel", user__first_name="Asha", user__last_name="Patel"
    )


@pytest.fixture
def space(owner):
    space = SpaceFactory(name="Procurement reform", visibility=RESTRICTED)
    add_member(space, owner, Role.OWNER)
    return space


@pytest.fixture
def ben(space):
    user = staff(
        user__username="ben.lee", user__first_name="Ben", user__last_name="Lee"
    )
    add_member(space, user, Role.MEMBER)
    return user


def history_url(space, **query):
    url = reverse("spaces:history", kwargs={"slug": space.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def sentences(response):
    html = response.content.decode()
    cells = re.findall(
        r'<th scope="row" class="govuk-table__header">\s*(.*?)\s*</th>', html, re.S
    )
    return cells


def test_the_history_tells_each_change_in_a_sentence_newest_first(
    client, space, owner, ben
):
    membership = space.memberships.get(user=ben)
    membership_set_role(actor=owner, membership=membership, role=Role.MODERATOR)
    home_office = DepartmentFactory(name="Home Office")
    grant_create(
        actor=owner, space=space, role=GrantRole.MEMBER, department=home_office
    )
    sam = staff(
        user__username="sam.jones", user__first_name="Sam", user__last_name="Jones"
    )
    request = join_request_create(actor=sam, space=space)
    join_request_decline(actor=owner, join_request=request, reason="Board only")
    client.force_login(owner)

    response = client.get(history_url(space))

    assert response.status_code == 200
    assert sentences(response) == [
        escape("Asha Patel declined Sam Jones’s request to join: Board only"),
        "Sam Jones asked to join",
        "Asha Patel granted the Home Office department the member role",
        escape("Asha Patel changed Ben Lee’s role from member to moderator"),
    ]
    html = response.content.decode()
    role_row = html.split("changed Ben Lee")[1].split("</tr>")[0]
    assert "Role: Member" in role_row and "Role: Moderator" in role_row
    assert role_row.index("Role: Member") < role_row.index("Role: Moderator")
    assertContains(response, '<td class="govuk-table__cell">asha.patel</td>')


def test_refused_attempts_are_shown_and_forged_values_are_escaped(
    client, space, owner, ben
):
    membership = space.memberships.get(user=ben)
    with pytest.raises(SpaceError):
        membership_set_role(actor=ben, membership=membership, role="<b>owner</b>")
    client.force_login(owner)
    response = client.get(history_url(space))
    [sentence] = sentences(response)
    assert sentence.startswith("Refused: Ben Lee tried to change Ben Lee")
    assert "&lt;b&gt;owner&lt;/b&gt;" in sentence
    assertNotContains(response, "<b>owner</b>")


def test_settings_changes_show_before_and_after(client, space, owner):
    space_update(actor=owner, space=space, name="Buying better", visibility=PRIVATE)
    client.force_login(owner)
    response = client.get(history_url(space))
    assert sentences(response) == [
        escape("Asha Patel changed the space’s name and who can see it")
    ]
    assertContains(response, "Name: Procurement reform")
    assertContains(response, "Name: Buying better")
    assertContains(response, "Who can see it: Restricted")
    assertContains(response, "Who can see it: Private")


def test_only_this_space_s_events_are_listed(client, space, owner):
    elsewhere = SpaceFactory(name="Elsewhere")
    add_member(elsewhere, owner, Role.OWNER)
    space_update(actor=owner, space=elsewhere, description="Changed elsewhere")
    client.force_login(owner)
    response = client.get(history_url(space))
    assert sentences(response) == []
    assertContains(response, "Nothing has been recorded for this space yet.")


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.OWNER, 200), (Role.MODERATOR, 200), (Role.MEMBER, 403), (Role.GUEST, 403)],
)
def test_owners_and_moderators_read_the_history(client, space, role, status):
    user = staff()
    add_member(space, user, role)
    client.force_login(user)
    assert client.get(history_url(space)).status_code == status


def test_people_let_in_by_a_grant_and_outsiders_cannot_read_it(client, space, owner):
    department = DepartmentFactory()
    grant_create(actor=owner, space=space, role=GrantRole.MEMBER, department=department)
    for user in (staff(department=department), staff()):
        client.force_login(user)
        assert client.get(history_url(space)).status_code == 403


def test_a_private_space_s_history_does_not_exist_for_outsiders(client, owner):
    private = SpaceFactory(visibility=PRIVATE)
    add_member(private, owner, Role.OWNER)
    client.force_login(staff())
    assert client.get(history_url(private)).status_code == 404


def test_an_it_admin_reads_the_history_of_a_private_space_they_are_not_in(
    client, owner
):
    private = SpaceFactory(visibility=PRIVATE)
    add_member(private, owner, Role.OWNER)
    space_update(actor=owner, space=private, description="Now described")
    client.force_login(staff(user__it_admin=True))
    response = client.get(history_url(private))
    assert response.status_code == 200
    assert sentences(response) == [escape("Asha Patel changed the space’s description")]


def make_events(space, owner, count):
    for n in range(count):
        space_update(actor=owner, space=space, description=f"Version {n}")


def test_the_history_comes_fifty_to_a_page(client, space, owner):
    make_events(space, owner, 55)
    client.force_login(owner)
    first = client.get(history_url(space))
    assert len(sentences(first)) == 50
    assertContains(first, "Showing 1 to 50 of 55 changes")
    assertContains(first, "Description: Version 54")
    second = client.get(history_url(space, page=2))
    assert len(sentences(second)) == 5
    assertContains(second, "Description: Version 0")
    assertNotContains(second, "Description: Version 54")


@pytest.mark.parametrize("size", [5, 60])
def test_history_page_queries_are_bounded(
    client, space, owner, size, django_assert_max_num_queries
):
    for _ in range(size):
        user = staff()
        membership = add_member(space, user, Role.MEMBER)
        membership_set_role(actor=owner, membership=membership, role=Role.GUEST)
        space_update(actor=owner, space=space, department=DepartmentFactory())
        grant_create(
            actor=owner,
            space=space,
            role=GrantRole.GUEST,
            department=DepartmentFactory(),
        )
    assert AuditEvent.objects.filter(space_id=space.pk).count() == 3 * size
    client.force_login(owner)
    # Session and user; the space; the permission checks of the page and its
    # header; the count and page of events; the people and departments they
    # name; the unread notifications.
    with django_assert_max_num_queries(14):
        response = client.get(history_url(space))
    assert response.status_code == 200
    assert len(sentences(response)) == min(3 * size, 50)
