"""A space's home page, joining and leaving, through the test client: what each
kind of person sees in each kind of space, refusals with their messages, and the
database and audit log after each action."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from intranet.models import AuditEvent
from spaces.models import GrantRole, Invitation, JoinRequest, Role, Space
from spaces.models import SpaceMembership as Membership
from spaces.services import grant_create
from tests.profiles.factories import DepartmentFactory, ProfileFactory, UserFactory
from tests.spaces.factories import SpaceFactory, add_member, staff

pytestmark = pytest.mark.django_db

OPEN, RESTRICTED, PRIVATE = Space.Visibility
NO_DISCUSSIONS = "No discussions yet."
MEMBERS_ONLY = "Only members can read this space’s discussions."
ADMIN_NOTE = "You manage who can use this space as an IT administrator"


def url(name, space):
    return reverse(f"spaces:{name}", kwargs={"slug": space.slug})


def actions(action):
    return AuditEvent.objects.filter(action=action)


@pytest.fixture
def department():
    return DepartmentFactory(name="Cabinet Office")


@pytest.fixture
def owner(department):
    return staff(department=department, user__username="owner")


@pytest.fixture
def member(department):
    return staff(department=department, user__username="member")


@pytest.fixture
def outsider(department):
    return staff(department=department, user__username="outsider")


@pytest.fixture
def it_admin(department):
    admin = UserFactory(username="admin", it_admin=True)
    ProfileFactory(user=admin, department=department)
    return admin


def make_space(visibility, owner, member, **kwargs):
    kwargs.setdefault("description", "Working on **procurement** together.")
    space = SpaceFactory(
        name=f"The {visibility} space",
        slug=f"{visibility}-space",
        visibility=visibility,
        **kwargs,
    )
    add_member(space, owner, Role.OWNER)
    add_member(space, member, Role.MEMBER)
    return space


@pytest.fixture
def spaces(owner, member):
    return {
        visibility: make_space(visibility, owner, member)
        for visibility in Space.Visibility
    }


def as_user(client, user):
    client.force_login(user)
    return client


# The home page ------------------------------------------------------------------


@pytest.mark.parametrize("visibility", list(Space.Visibility))
def test_a_member_sees_the_space_and_their_membership(
    client, spaces, member, visibility
):
    space = spaces[visibility]

    response = as_user(client, member).get(url("home", space))

    assert response.status_code == 200
    assertContains(
        response,
        f'<h1 class="govuk-heading-xl govuk-!-margin-bottom-3">{space.name}</h1>',
    )
    assertContains(response, "<strong>procurement</strong>")
    assertContains(response, NO_DISCUSSIONS)
    assertContains(response, "You are a member (member).")
    assertContains(response, f'href="{url("leave", space)}"')
    assertContains(response, f'href="{url("members", space)}"')
    assertContains(response, "2 people")
    assertNotContains(response, f'href="{url("manage", space)}"')
    assertNotContains(response, f'href="{url("history", space)}"')
    assertNotContains(response, f'action="{url("join", space)}"')


def test_the_visibility_is_tagged(client, spaces, member):
    client = as_user(client, member)

    assertContains(client.get(url("home", spaces[OPEN])), 'govuk-tag--green">Open')
    assertContains(
        client.get(url("home", spaces[RESTRICTED])), 'govuk-tag--yellow">Restricted'
    )
    assertContains(client.get(url("home", spaces[PRIVATE])), 'govuk-tag--grey">Private')


def test_owners_get_the_manage_and_history_links(client, spaces, owner):
    response = as_user(client, owner).get(url("home", spaces[RESTRICTED]))

    assertContains(response, f'href="{url("manage", spaces[RESTRICTED])}"')
    assertContains(response, f'href="{url("history", spaces[RESTRICTED])}"')
    assertContains(response, "You are a member (owner).")


def test_a_non_member_of_an_open_space_reads_it_and_can_join(client, spaces, outsider):
    space = spaces[OPEN]

    response = as_user(client, outsider).get(url("home", space))

    assertContains(response, NO_DISCUSSIONS)
    assertContains(response, "You are not a member.")
    assertContains(response, f'<form method="post" action="{url("join", space)}">')
    assertNotContains(response, f'href="{url("leave", space)}"')


def test_a_non_member_of_a_restricted_space_sees_only_its_name_and_description(
    client, spaces, outsider
):
    space = spaces[RESTRICTED]

    response = as_user(client, outsider).get(url("home", space))

    assert response.status_code == 200
    assertContains(response, space.name)
    assertContains(response, "<strong>procurement</strong>")
    assertContains(response, MEMBERS_ONLY)
    assertNotContains(response, NO_DISCUSSIONS)
    assertContains(response, f'href="{url("join", space)}"')
    assertContains(response, "Ask to join")
    assertNotContains(response, f'href="{url("members", space)}"')
    assertNotContains(response, f'href="{url("manage", space)}"')


def test_a_private_space_does_not_exist_for_a_non_member(client, spaces, outsider):
    space = spaces[PRIVATE]
    client = as_user(client, outsider)

    for name in ("home", "join", "leave"):
        assert client.get(url(name, space)).status_code == 404
    for name in ("join", "leave"):
        assert client.post(url(name, space)).status_code == 404

    assert not Membership.objects.filter(user=outsider).exists()
    assert not JoinRequest.objects.exists()


def test_a_missing_space_is_not_found(client, member):
    response = as_user(client, member).get("/spaces/no-such-space/")

    assert response.status_code == 404


def test_an_it_admin_manages_a_private_space_without_reading_it(
    client, spaces, it_admin
):
    space = spaces[PRIVATE]

    response = as_user(client, it_admin).get(url("home", space))

    assert response.status_code == 200
    assertContains(response, space.name)
    assertContains(response, ADMIN_NOTE)
    assertNotContains(response, NO_DISCUSSIONS)
    assertNotContains(response, MEMBERS_ONLY)
    assertContains(response, f'href="{url("manage", space)}"')
    assertContains(response, f'href="{url("history", space)}"')
    assertNotContains(response, f'action="{url("join", space)}"')


def test_an_it_admin_reads_an_open_space_like_anyone(client, spaces, it_admin):
    response = as_user(client, it_admin).get(url("home", spaces[OPEN]))

    assertContains(response, NO_DISCUSSIONS)
    assertNotContains(response, ADMIN_NOTE)
    assertContains(response, f'href="{url("manage", spaces[OPEN])}"')


def test_an_it_admin_outside_a_restricted_space_does_not_read_it(
    client, spaces, it_admin
):
    response = as_user(client, it_admin).get(url("home", spaces[RESTRICTED]))

    assertContains(response, MEMBERS_ONLY)
    assertNotContains(response, NO_DISCUSSIONS)
    assertContains(response, f'href="{url("manage", spaces[RESTRICTED])}"')


def test_the_description_is_sanitised(client, owner, member):
    space = make_space(
        OPEN, owner, member, description="<script>alert(1)</script> [x](javascript:1)"
    )

    response = as_user(client, member).get(url("home", space))

    assertNotContains(response, "<script>alert(1)")
    assertNotContains(response, 'href="javascript:')


def test_an_archived_space_says_so_and_takes_nobody_new(
    client, owner, member, outsider
):
    space = make_space(OPEN, owner, member, archived=True)

    response = as_user(client, outsider).get(url("home", space))

    assertContains(response, "This space is archived: it is read-only.")
    assertContains(response, "This space is archived: nobody can join it.")
    assertNotContains(response, f'action="{url("join", space)}"')


def test_grants_are_named_to_those_who_may_see_members(
    client, spaces, owner, member, outsider
):
    space = spaces[RESTRICTED]
    treasury = DepartmentFactory(name="HM Treasury")
    grant_create(actor=owner, space=space, role=GrantRole.MEMBER, department=treasury)

    seen_by_member = as_user(client, member).get(url("home", space))
    assertContains(seen_by_member, "and everyone in HM Treasury, through a grant")

    seen_by_outsider = as_user(client, outsider).get(url("home", space))
    assertContains(seen_by_outsider, "and 1 department or team through a grant")
    assertNotContains(seen_by_outsider, "HM Treasury")


def test_access_through_a_grant_is_shown_as_such(client, spaces, owner):
    treasury = DepartmentFactory(name="HM Treasury")
    civil_servant = staff(department=treasury)
    space = spaces[PRIVATE]
    grant_create(actor=owner, space=space, role=GrantRole.MEMBER, department=treasury)

    response = as_user(client, civil_servant).get(url("home", space))

    assert response.status_code == 200
    assertContains(response, NO_DISCUSSIONS)
    assertContains(
        response, "You can read this space through a grant to your department or team."
    )
    assertNotContains(response, f'href="{url("leave", space)}"')


def test_a_pending_request_is_shown_instead_of_the_ask_button(client, spaces, outsider):
    space = spaces[RESTRICTED]
    JoinRequest.objects.create(space=space, user=outsider)

    response = as_user(client, outsider).get(url("home", space))

    assertContains(response, "Your request is waiting")
    assertNotContains(response, f'href="{url("join", space)}"')


def test_a_declined_request_shows_its_reason_and_may_be_made_again(
    client, spaces, outsider, owner
):
    space = spaces[RESTRICTED]
    JoinRequest.objects.create(
        space=space,
        user=outsider,
        status=JoinRequest.Status.DECLINED,
        reason="Only for the spending team <b>for now</b>",
        decided_by=owner,
    )

    response = as_user(client, outsider).get(url("home", space))

    assertContains(response, "Your last request to join was declined")
    assertContains(response, "Only for the spending team &lt;b&gt;for now&lt;/b&gt;")
    assertContains(response, "Ask again")


def test_an_invitation_waiting_is_linked_from_the_home_page(
    client, spaces, outsider, owner
):
    space = spaces[RESTRICTED]
    invitation = Invitation.objects.create(
        space=space, invitee=outsider, invited_by=owner
    )

    response = as_user(client, outsider).get(url("home", space))

    answer = reverse(
        "spaces:invitation_answer", kwargs={"invitation_id": invitation.pk}
    )
    assertContains(response, f'href="{answer}"')
    assertNotContains(response, "Ask to join")


# Joining ------------------------------------------------------------------------


def test_joining_an_open_space_makes_you_a_member_at_once(client, spaces, outsider):
    space = spaces[OPEN]
    client = as_user(client, outsider)

    confirm = client.get(url("join", space))
    assertContains(confirm, 'id="join-button"')

    response = client.post(url("join", space))

    assert response.status_code == 302
    assert response["Location"] == url("home", space)
    assert Membership.objects.get(space=space, user=outsider).role == Role.MEMBER
    event = actions("space.membership.add").get()
    assert event.actor == outsider
    assert event.details["how"] == "join"
    page = client.get(response["Location"])
    assertContains(page, "You have joined The open space")
    assertContains(page, "You are a member (member).")


def test_asking_to_join_a_restricted_space_leaves_a_pending_request(
    client, spaces, outsider
):
    space = spaces[RESTRICTED]
    client = as_user(client, outsider)

    form = client.get(url("join", space))
    assertContains(form, "Why you want to join (optional)")

    response = client.post(url("join", space), {"message": "I run the budget model."})

    assert response.status_code == 302
    request = JoinRequest.objects.get(space=space, user=outsider)
    assert request.status == JoinRequest.Status.PENDING
    assert request.message == "I run the budget model."
    assert not Membership.objects.filter(space=space, user=outsider).exists()
    assert actions("space.join_request.create").count() == 1
    page = client.get(response["Location"])
    assertContains(page, "Your request to join The restricted space has been sent")
    assertContains(page, "Your request is waiting")


def test_a_second_request_is_refused_while_the_first_waits(client, spaces, outsider):
    space = spaces[RESTRICTED]
    client = as_user(client, outsider)
    client.post(url("join", space), {"message": "first"})

    waiting = client.get(url("join", space))
    assertContains(waiting, "Your request is waiting")
    assertNotContains(waiting, 'name="message"')

    response = client.post(url("join", space), {"message": "second"})

    assertContains(
        response, "You have already asked to join this space.", status_code=400
    )
    assert JoinRequest.objects.filter(space=space, user=outsider).count() == 1
    assert JoinRequest.objects.get(space=space, user=outsider).message == "first"
    assert actions("space.join_request.create").count() == 1


def test_an_over_long_message_is_refused(client, spaces, outsider):
    space = spaces[RESTRICTED]

    response = as_user(client, outsider).post(
        url("join", space), {"message": "x" * 1001}
    )

    assertContains(
        response, "Your message must be 1,000 characters or fewer", status_code=400
    )
    assertContains(response, 'href="#id_message"', status_code=400)
    assert not JoinRequest.objects.exists()


@pytest.mark.parametrize("visibility", list(Space.Visibility))
def test_joining_a_space_you_are_in_is_refused(client, spaces, member, visibility):
    space = spaces[visibility]
    client = as_user(client, member)

    page = client.get(url("join", space))
    assertContains(page, "You are already a member of this space.")
    assertNotContains(page, 'id="join-button"')

    response = client.post(url("join", space), {"message": "again"})

    assertContains(response, "You are already a member of this space.", status_code=400)
    assert Membership.objects.filter(space=space, user=member).count() == 1
    assert not JoinRequest.objects.exists()
    assert not actions("space.membership.add").exists()


def test_an_it_admin_cannot_join_a_private_space_uninvited(client, spaces, it_admin):
    space = spaces[PRIVATE]

    response = as_user(client, it_admin).post(url("join", space))

    assertContains(
        response,
        "People join a private space only when they are invited.",
        status_code=400,
    )
    assert not Membership.objects.filter(space=space, user=it_admin).exists()


def test_nobody_joins_an_archived_space(client, owner, member, outsider):
    space = make_space(OPEN, owner, member, archived=True)

    response = as_user(client, outsider).post(url("join", space))

    assertContains(
        response, "This space is archived: nobody can join it.", status_code=400
    )
    assert not Membership.objects.filter(space=space, user=outsider).exists()


# Leaving ------------------------------------------------------------------------


def test_leaving_removes_the_membership(client, spaces, member):
    space = spaces[OPEN]
    client = as_user(client, member)

    confirm = client.get(url("leave", space))
    assertContains(confirm, 'id="leave-button"')

    response = client.post(url("leave", space))

    assert response.status_code == 302
    assert response["Location"] == url("home", space)
    assert not Membership.objects.filter(space=space, user=member).exists()
    event = actions("space.membership.remove").get()
    assert event.actor == member
    assert event.details["how"] == "leave"
    assertContains(client.get(response["Location"]), "You have left The open space")


def test_leaving_a_private_space_goes_back_to_the_directory(client, spaces, member):
    space = spaces[PRIVATE]
    client = as_user(client, member)

    response = client.post(url("leave", space))

    assert response["Location"] == reverse("spaces:directory")
    assert client.get(url("home", space)).status_code == 404


def test_the_last_owner_cannot_leave(client, spaces, owner):
    space = spaces[OPEN]
    client = as_user(client, owner)

    page = client.get(url("leave", space))
    assertContains(page, "You are the space’s only owner")
    assertNotContains(page, 'id="leave-button"')

    response = client.post(url("leave", space))

    assertContains(
        response,
        "A space needs an owner: make someone else an owner first.",
        status_code=400,
    )
    assert Membership.objects.get(space=space, user=owner).role == Role.OWNER
    assert not actions("space.membership.remove").exists()


def test_an_owner_with_a_co_owner_may_leave(client, spaces, owner, department):
    space = spaces[OPEN]
    add_member(space, staff(department=department), Role.OWNER)

    response = as_user(client, owner).post(url("leave", space))

    assert response.status_code == 302
    assert not Membership.objects.filter(space=space, user=owner).exists()


def test_leaving_a_space_you_are_not_in_is_refused(client, spaces, outsider):
    space = spaces[OPEN]

    response = as_user(client, outsider).post(url("leave", space))

    assertContains(response, "You are not a member of this space.", status_code=400)
    assert not actions("space.membership.remove").exists()
