"""The spaces directory, the create-space page and answering an invitation,
through the test client: what is listed to whom, search and filters, bad input,
audit events and bounded queries."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from intranet.models import AuditEvent
from spaces.models import GrantRole, Invitation, JoinRequest, Role, Space
from spaces.models import SpaceMembership as Membership
from spaces.services import grant_create, membership_remove, space_update
from spaces.thread_services import thread_start
from tests.profiles.factories import DepartmentFactory, ProfileFactory, UserFactory
from tests.spaces.factories import SpaceFactory, add_member, staff

pytestmark = pytest.mark.django_db

OPEN, RESTRICTED, PRIVATE = Space.Visibility
DIRECTORY = reverse("spaces:directory")
CREATE = reverse("spaces:create")


def home_url(space):
    return reverse("spaces:home", kwargs={"slug": space.slug})


def answer_url(invitation):
    return reverse("spaces:invitation_answer", kwargs={"invitation_id": invitation.pk})


def actions(action):
    return AuditEvent.objects.filter(action=action)


@pytest.fixture
def home_department():
    return DepartmentFactory(name="Cabinet Office", slug="cabinet-office")


@pytest.fixture
def other_department():
    return DepartmentFactory(name="HM Treasury", slug="hm-treasury")


@pytest.fixture
def viewer(home_department):
    return staff(department=home_department, user__username="viewer")


@pytest.fixture
def owner(home_department):
    return staff(department=home_department, user__username="owner")


@pytest.fixture
def signed_in(client, viewer):
    client.force_login(viewer)
    return client


@pytest.fixture
def world(home_department, other_department, viewer, owner):
    """Spaces of every kind around the viewer."""
    spaces = {
        "mine": SpaceFactory(name="Digital skills", department=home_department),
        "open": SpaceFactory(
            name="Procurement reform",
            description="Making buying simpler.",
            department=home_department,
        ),
        "restricted": SpaceFactory(
            name="Budget lab",
            description="Spending review modelling.",
            department=other_department,
            visibility=RESTRICTED,
        ),
        "private": SpaceFactory(
            name="Secret merger",
            description="Procurement of a secret nature.",
            department=home_department,
            visibility=PRIVATE,
        ),
        "my_private": SpaceFactory(
            name="Leadership circle", department=home_department, visibility=PRIVATE
        ),
        "granted": SpaceFactory(
            name="Cross-government data",
            department=other_department,
            visibility=RESTRICTED,
        ),
    }
    for space in spaces.values():
        add_member(space, owner, Role.OWNER)
    add_member(spaces["mine"], viewer, Role.MODERATOR)
    add_member(spaces["my_private"], viewer, Role.MEMBER)
    grant_create(
        actor=owner,
        space=spaces["granted"],
        role=GrantRole.MEMBER,
        department=home_department,
    )
    return spaces


def section(html: str, heading: str) -> str:
    """The part of the page from `heading` to the next h2."""
    start = html.index(heading)
    end = html.find("<h2", start + len(heading))
    return html[start : end if end != -1 else len(html)]


# The directory ------------------------------------------------------------------


def test_your_spaces_lists_memberships_roles_and_grants(signed_in, world):
    response = signed_in.get(DIRECTORY)

    assert response.status_code == 200
    mine = section(response.content.decode(), "Your spaces</h2>")
    assert "Digital skills" in mine
    assert "Moderator" in mine
    assert "Leadership circle" in mine
    assert "Cross-government data" in mine
    assert "Member through a grant to your department or team" in mine
    assert "Procurement reform" not in mine
    assert "Secret merger" not in mine


def test_your_spaces_show_how_many_threads_hold_unread_messages(
    signed_in, world, owner
):
    for n in range(2):
        thread_start(
            actor=owner,
            space=world["granted"],
            title=f"Data sharing {n}",
            body="Where do we start?",
            client_id=f"directory-unread-{n}",
        )

    response = signed_in.get(DIRECTORY)

    mine = section(response.content.decode(), "Your spaces</h2>")
    assert "Threads with unread messages" in mine
    rows = {row.split("</a>")[0]: row for row in mine.split('href="/spaces/')[1:]}
    granted = next(row for name, row in rows.items() if "Cross-government" in name)
    assert "<strong>2</strong>" in granted
    digital = next(row for name, row in rows.items() if "Digital skills" in name)
    assert "<strong>" not in digital


def test_discover_lists_open_and_restricted_spaces_the_viewer_is_not_in(
    signed_in, world
):
    response = signed_in.get(DIRECTORY)

    discover = section(response.content.decode(), "Discover spaces</h2>")
    assert "Procurement reform" in discover
    assert "Budget lab" in discover
    assert "govuk-tag--yellow" in discover
    assert "Spending review modelling." in discover
    assert "Digital skills" not in discover
    assert "Cross-government data" not in discover
    assert "Leadership circle" not in discover


def test_a_private_space_the_viewer_is_not_in_is_never_listed(signed_in, world):
    for query in ("", "?q=Secret", "?q=merger", "?q=secret+nature"):
        response = signed_in.get(DIRECTORY + query)
        assert response.status_code == 200
        assertNotContains(response, "Secret merger")
        assertNotContains(response, world["private"].slug)


def test_private_spaces_stay_unlisted_for_it_admins_who_are_not_in_them(client, world):
    admin = UserFactory(it_admin=True)
    ProfileFactory(user=admin)
    client.force_login(admin)

    response = client.get(DIRECTORY + "?q=Secret")

    assertNotContains(response, "Secret merger")
    assertContains(response, "No spaces match your search")


def test_search_matches_every_word_in_the_name_or_description(signed_in, world):
    response = signed_in.get(DIRECTORY + "?q=buying+simpler")

    assertContains(response, "Procurement reform")
    assertNotContains(response, "Budget lab")
    assertNotContains(response, "Digital skills")
    assertContains(response, 'value="buying simpler"')


def test_search_narrows_your_spaces_too(signed_in, world):
    response = signed_in.get(DIRECTORY + "?q=leadership")

    mine = section(response.content.decode(), "Your spaces</h2>")
    assert "Leadership circle" in mine
    assert "Digital skills" not in mine
    assertContains(response, "No other spaces match your search.")


def test_a_search_that_matches_nothing_shows_the_empty_state(signed_in, world):
    response = signed_in.get(DIRECTORY + "?q=zebra")

    assert response.status_code == 200
    assertContains(response, "No spaces match your search")
    assertContains(response, "Clear the search and see every space")
    assertNotContains(response, "Procurement reform")


def test_the_department_filter_keeps_that_departments_spaces(
    signed_in, world, other_department
):
    response = signed_in.get(DIRECTORY + f"?department={other_department.slug}")

    html = response.content.decode()
    discover = section(html, "Discover spaces</h2>")
    assert "Budget lab" in discover
    assert "Procurement reform" not in discover
    assert "Spaces owned by HM Treasury" in discover
    assert f'<option value="{other_department.slug}" selected>' in html
    assert "Digital skills" not in section(html, "Your spaces</h2>")


def test_an_unknown_department_is_ignored(signed_in, world):
    response = signed_in.get(DIRECTORY + "?department=no-such-department")

    assert response.status_code == 200
    assertContains(response, "Procurement reform")
    assertContains(response, "Budget lab")


def test_the_department_filter_names_no_department_for_a_private_space_alone(
    signed_in, world
):
    hidden = DepartmentFactory(name="Office of Hidden Things")
    SpaceFactory(name="Hidden", department=hidden, visibility=PRIVATE)

    response = signed_in.get(DIRECTORY)

    assertNotContains(response, "Office of Hidden Things")
    assertContains(response, '<option value="hm-treasury">HM Treasury</option>')


def test_discover_is_paginated_keeping_the_search(signed_in, home_department):
    for number in range(25):
        SpaceFactory(name=f"Reform group {number:02}", department=home_department)

    first = signed_in.get(DIRECTORY + "?q=reform")
    second = signed_in.get(DIRECTORY + "?q=reform&page=2")

    assertContains(first, "Showing 1 to 20 of 25 spaces")
    assertContains(first, "Reform group 19")
    assertNotContains(first, "Reform group 20")
    assertContains(first, 'href="?q=reform&amp;page=2"')
    assertContains(second, "Showing 21 to 25 of 25 spaces")
    assertContains(second, "Reform group 24")
    assertNotContains(second, "Reform group 00")


def test_a_pending_request_is_shown_in_discover(signed_in, world, viewer):
    JoinRequest.objects.create(space=world["restricted"], user=viewer)

    response = signed_in.get(DIRECTORY)

    discover = section(response.content.decode(), "Discover spaces</h2>")
    assert "Request waiting" in discover


def test_invitations_waiting_link_to_their_answer_page(signed_in, world, viewer):
    invitation = Invitation.objects.create(
        space=world["private"],
        invitee=viewer,
        invited_by=world["private"].memberships.get().user,
    )
    answered = Invitation.objects.create(
        space=world["open"], invitee=viewer, status=Invitation.Status.DECLINED
    )

    response = signed_in.get(DIRECTORY)

    waiting = section(response.content.decode(), "Invitations waiting for you</h2>")
    assert f'href="{answer_url(invitation)}"' in waiting
    assert "Answer the invitation to Secret merger" in waiting
    assert answer_url(answered) not in waiting
    # The invitation names the space; the space itself stays unlisted.
    assert "Secret merger" not in section(
        response.content.decode(), "Discover spaces</h2>"
    )


def test_an_empty_directory_invites_people_to_create_a_space(signed_in):
    response = signed_in.get(DIRECTORY)

    assertContains(response, "You are not in any spaces yet")
    assertContains(response, "There are no other open or restricted spaces yet.")
    assertContains(response, f'href="{CREATE}"')
    assertNotContains(response, "Invitations waiting for you")


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(DIRECTORY)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _populate(size: int, viewer, department):
    owner = staff(department=department)
    for number in range(size):
        visibility = (OPEN, RESTRICTED, PRIVATE)[number % 3]
        space = SpaceFactory(department=department, visibility=visibility)
        add_member(space, owner, Role.OWNER)
        add_member(space, staff(department=department), Role.MEMBER)
        if number % 2:
            add_member(space, viewer, Role.MEMBER)
        if number % 5 == 0:
            Invitation.objects.create(space=space, invitee=viewer, invited_by=owner)
        elif visibility == RESTRICTED and not number % 2:
            JoinRequest.objects.create(space=space, user=viewer)


@pytest.mark.parametrize("size", [5, 40])
def test_the_directory_costs_the_same_queries_whatever_the_size(
    client, viewer, home_department, size, django_assert_num_queries
):
    _populate(size, viewer, home_department)
    client.force_login(viewer)
    client.get(DIRECTORY)  # fills the process's content type cache

    # Exactly nine, for 5 spaces or 40: the session, the user, their department,
    # the count and the page of spaces, unread counts, invitations, the
    # notification count and the spaces the page lists beside the directory.
    with django_assert_num_queries(9):
        response = client.get(DIRECTORY)

    assert response.status_code == 200
    assertContains(response, "Space ")


# Creating a space ---------------------------------------------------------------


def _space_form(**overrides):
    data = {
        "name": "Procurement reform",
        "slug": "procurement-reform",
        "description": "Making buying **simpler**.",
        "department": "",
        "visibility": OPEN,
        "default_marking": "OFFICIAL",
    }
    data.update(overrides)
    return data


def test_the_create_page_starts_with_the_creators_department(
    signed_in, home_department
):
    response = signed_in.get(CREATE)

    assert response.status_code == 200
    assertContains(response, f'<option value="{home_department.pk}" selected>')
    assertContains(response, "Anyone on the intranet can read it and join.")
    assertContains(response, 'value="open" checked')


def test_creating_a_space_makes_the_creator_its_owner(
    signed_in, viewer, home_department
):
    response = signed_in.post(CREATE, _space_form(department=home_department.pk))

    space = Space.objects.get(slug="procurement-reform")
    assert response.status_code == 302
    assert response["Location"] == home_url(space)
    assert space.name == "Procurement reform"
    assert space.department == home_department
    assert space.created_by == viewer
    assert Membership.objects.get(space=space).user == viewer
    assert Membership.objects.get(space=space).role == Role.OWNER
    event = actions("space.create").get()
    assert event.actor == viewer
    assert event.space_id == space.pk

    page = signed_in.get(response["Location"])
    assertContains(page, "Procurement reform has been created. You are its owner.")
    assertContains(page, "<strong>simpler</strong>")


def test_a_blank_web_address_is_made_from_the_name(signed_in, home_department):
    signed_in.post(
        CREATE,
        _space_form(name="Data & Digital: Hub", slug="", department=home_department.pk),
    )

    assert Space.objects.get().slug == "data-digital-hub"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"name": "PROCUREMENT REFORM"}, "A space with this name already exists."),
        (
            {"name": "Another name"},
            "A space with this web address already exists.",
        ),
    ],
)
def test_a_duplicate_name_or_web_address_is_refused(
    signed_in, home_department, overrides, message
):
    SpaceFactory(name="Procurement reform", slug="procurement-reform")

    response = signed_in.post(
        CREATE, _space_form(department=home_department.pk, **overrides)
    )

    assert response.status_code == 400
    assertContains(response, "There is a problem", status_code=400)
    assertContains(response, message, count=2, status_code=400)
    assert Space.objects.count() == 1
    assert not actions("space.create").exists()
    assert not Membership.objects.exists()


def test_a_form_with_missing_answers_creates_nothing(signed_in):
    response = signed_in.post(CREATE, _space_form(name="", department=""))

    assertContains(response, "Enter a name for the space", status_code=400)
    assertContains(response, "Choose a department", status_code=400)
    assert not Space.objects.exists()


def test_a_web_address_with_bad_characters_is_refused(signed_in, home_department):
    response = signed_in.post(
        CREATE, _space_form(slug="Bad Address!", department=home_department.pk)
    )

    assertContains(
        response,
        "The web address may use only lowercase letters",
        status_code=400,
    )
    assert not Space.objects.exists()


# Answering an invitation --------------------------------------------------------


@pytest.fixture
def invitation(world, viewer, owner):
    return Invitation.objects.create(
        space=world["private"], invitee=viewer, invited_by=owner, role=GrantRole.GUEST
    )


def test_the_invitee_sees_the_invitation(signed_in, invitation, owner):
    response = signed_in.get(answer_url(invitation))

    assert response.status_code == 200
    assertContains(response, "Secret merger")
    assertContains(response, "Procurement of a secret nature.")
    assertContains(response, owner.display_name)
    assertContains(response, "Guest")
    assertContains(response, 'name="action" value="accept"')
    assertContains(response, 'name="action" value="decline"')


def test_accepting_joins_the_space_in_the_invitations_role(
    signed_in, invitation, viewer
):
    space = invitation.space
    assert signed_in.get(home_url(space)).status_code == 404

    response = signed_in.post(answer_url(invitation), {"action": "accept"})

    assert response.status_code == 302
    assert response["Location"] == home_url(space)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert Membership.objects.get(space=space, user=viewer).role == Role.GUEST
    assert actions("space.invitation.accepted").count() == 1
    assert actions("space.membership.add").get().details["how"] == "invitation"
    page = signed_in.get(response["Location"])
    assert page.status_code == 200
    assertContains(page, "You have joined Secret merger")


def test_declining_leaves_the_space_unjoined(signed_in, invitation, viewer):
    response = signed_in.post(answer_url(invitation), {"action": "decline"})

    assert response.status_code == 302
    assert response["Location"] == DIRECTORY
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert not Membership.objects.filter(user=viewer, space=invitation.space).exists()
    assert actions("space.invitation.declined").count() == 1
    assertContains(
        signed_in.get(DIRECTORY), "You have declined the invitation to Secret merger"
    )


def test_an_invitation_is_nobody_elses(client, invitation, owner):
    stranger = staff()
    for user in (stranger, owner):
        client.force_login(user)
        assert client.get(answer_url(invitation)).status_code == 404
        response = client.post(answer_url(invitation), {"action": "accept"})
        assert response.status_code == 404

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert not actions("space.invitation.accepted").exists()


def test_an_unknown_invitation_is_not_found(signed_in):
    response = signed_in.get(
        reverse("spaces:invitation_answer", kwargs={"invitation_id": 999})
    )

    assert response.status_code == 404


def test_an_answered_invitation_cannot_be_answered_again(
    signed_in, world, viewer, owner
):
    # A restricted space: it still exists for the viewer after they decline.
    invitation = Invitation.objects.create(
        space=world["restricted"], invitee=viewer, invited_by=owner
    )
    signed_in.post(answer_url(invitation), {"action": "decline"})

    page = signed_in.get(answer_url(invitation))
    assertContains(page, "You declined this invitation")
    assertNotContains(page, 'value="accept"')

    response = signed_in.post(answer_url(invitation), {"action": "accept"})
    assertContains(
        response, "This invitation has already been answered.", status_code=400
    )
    assert not Membership.objects.filter(user=viewer, space=invitation.space).exists()
    assert not actions("space.invitation.accepted").exists()


def test_an_answer_that_is_neither_accept_nor_decline_is_refused(signed_in, invitation):
    response = signed_in.post(answer_url(invitation), {"action": "maybe"})

    assertContains(
        response, "Choose to accept or decline the invitation", status_code=400
    )
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


# What an old invitation shows: the space as it is now, so only to those who may
# still see it.


def _edit_private_space(space, owner):
    space_update(
        actor=owner,
        space=space,
        name="Merger completion",
        description="Board approval expected in March.",
    )


def test_a_waiting_invitation_shows_the_space_as_it_is_now(
    signed_in, invitation, owner
):
    _edit_private_space(invitation.space, owner)

    response = signed_in.get(answer_url(invitation))

    assertContains(response, "Merger completion")
    assertContains(response, "Board approval expected in March.")


def test_a_declined_invitation_to_a_private_space_no_longer_opens(
    signed_in, invitation, owner
):
    signed_in.post(answer_url(invitation), {"action": "decline"})
    _edit_private_space(invitation.space, owner)

    for response in (
        signed_in.get(answer_url(invitation)),
        signed_in.post(answer_url(invitation), {"action": "accept"}),
    ):
        assert response.status_code == 404
        assertNotContains(response, "Merger completion", status_code=404)
        assertNotContains(response, "Board approval", status_code=404)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED


def test_an_accepted_invitation_opens_while_a_member_and_not_once_removed(
    signed_in, invitation, viewer, owner
):
    signed_in.post(answer_url(invitation), {"action": "accept"})
    assertContains(signed_in.get(answer_url(invitation)), "You accepted")

    membership_remove(
        actor=owner,
        membership=Membership.objects.get(space=invitation.space, user=viewer),
    )
    _edit_private_space(invitation.space, owner)

    response = signed_in.get(answer_url(invitation))
    assert response.status_code == 404
    assertNotContains(response, "Merger completion", status_code=404)
    assertNotContains(response, "Board approval", status_code=404)
