"""Managing a space through its pages: settings and archive (owners), and who has
access (owners and IT admins; moderators decide requests and invite).

Each change is checked in the database and the audit log; each refusal by its
status, its message, the database left as it was and, for an access attempt, a
`space.denied` event."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from intranet.models import AuditEvent
from spaces.models import (
    GrantRole,
    Invitation,
    JoinRequest,
    Role,
    Space,
    SpaceGrant,
    SpaceMembership,
)
from spaces.services import grant_create, invitation_create, join_request_create
from tests.profiles.factories import DepartmentFactory, ProfileFactory, TeamFactory
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
    space = SpaceFactory(
        name="Procurement reform", slug="procurement-reform", visibility=RESTRICTED
    )
    add_member(space, owner, Role.OWNER)
    return space


@pytest.fixture
def ben(space):
    user = staff(
        user__username="ben.lee",
        user__first_name="Ben",
        user__last_name="Lee",
        user__email="ben.lee@example.gov.uk",
    )
    add_member(space, user, Role.MEMBER)
    return user


@pytest.fixture
def moderator(space):
    user = staff(user__first_name="Mo", user__last_name="Derator")
    add_member(space, user, Role.MODERATOR)
    return user


@pytest.fixture
def it_admin():
    return staff(user__it_admin=True)


@pytest.fixture
def other_space():
    space = SpaceFactory()
    add_member(space, staff(), Role.OWNER)
    return space


def url(name, space, **kwargs):
    return reverse(f"spaces:{name}", kwargs={"slug": space.slug, **kwargs})


def as_user(client, user):
    client.force_login(user)
    return client


def role_of(space, user):
    return SpaceMembership.objects.get(space=space, user=user).role


def audited(action, **details):
    events = AuditEvent.objects.filter(action=action)
    for key, value in details.items():
        events = events.filter(**{f"details__{key}": value})
    return list(events)


def banner(response):
    """The success banner's text after following a redirect."""
    html = response.content.decode()
    assert "govuk-notification-banner--success" in html
    return html.split('class="govuk-notification-banner__heading">')[1].split("</p>")[0]


def assert_refused(response, message, status=400):
    assert response.status_code == status
    assertContains(response, "There is a problem", status_code=status)
    assertContains(response, escape(message), status_code=status)


# Settings ------------------------------------------------------------------------


def settings_data(space, **changes):
    return {
        "name": space.name,
        "slug": space.slug,
        "description": space.description,
        "department": space.department_id,
        "visibility": space.visibility,
        "default_marking": space.default_marking,
        **changes,
    }


def test_an_owner_sees_the_settings_filled_in(client, space, owner):
    response = as_user(client, owner).get(url("manage", space))
    assert response.status_code == 200
    assertContains(response, 'value="Procurement reform"')
    assertContains(response, 'value="procurement-reform"')
    assertContains(response, "Archive the space")


def test_an_owner_changes_the_settings(client, space, owner):
    response = as_user(client, owner).post(
        url("manage", space),
        settings_data(space, name="Buying better", visibility=PRIVATE),
        follow=True,
    )
    assertRedirects(response, url("manage", space))
    assert banner(response) == "The space’s settings have been saved"
    space.refresh_from_db()
    assert (space.name, space.visibility) == ("Buying better", PRIVATE)
    [event] = audited("space.update")
    assert event.details["before"] == {
        "name": "Procurement reform",
        "visibility": "restricted",
    }
    assert event.details["after"] == {"name": "Buying better", "visibility": "private"}


def test_a_new_web_address_redirects_to_the_settings_at_it(client, space, owner):
    response = as_user(client, owner).post(
        url("manage", space), settings_data(space, slug="buying-better")
    )
    assert response["Location"] == reverse(
        "spaces:manage", kwargs={"slug": "buying-better"}
    )


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("name", "A space with this name already exists."),
        ("slug", "A space with this web address already exists."),
    ],
)
def test_a_duplicate_name_or_web_address_is_refused(
    client, space, owner, field, message
):
    taken = SpaceFactory(name="Taken name", slug="taken-slug")
    value = {"name": "TAKEN NAME", "slug": "taken-slug"}[field]
    response = as_user(client, owner).post(
        url("manage", space), settings_data(space, **{field: value})
    )
    assert_refused(response, message)
    assertContains(response, f'id="id_{field}-error"', status_code=400)
    space.refresh_from_db()
    assert (space.name, space.slug) == ("Procurement reform", "procurement-reform")
    assert taken.slug == "taken-slug"
    assert not audited("space.update")


def test_moderators_and_it_admins_go_from_manage_to_the_access_page(
    client, space, moderator, it_admin
):
    for user in (moderator, it_admin):
        response = as_user(client, user).get(url("manage", space))
        assertRedirects(response, url("access", space))


def test_a_member_cannot_open_manage(client, space, ben):
    assert as_user(client, ben).get(url("manage", space)).status_code == 403


@pytest.mark.parametrize("who", ["moderator", "it_admin", "ben"])
def test_only_owners_change_settings_and_the_attempt_is_audited(
    client, space, who, request
):
    user = request.getfixturevalue(who)
    response = as_user(client, user).post(
        url("manage", space), settings_data(space, visibility=OPEN)
    )
    assert response.status_code == 403
    space.refresh_from_db()
    assert space.visibility == RESTRICTED
    [event] = audited("space.denied", attempt="update")
    assert event.actor == user


def test_an_owner_archives_and_restores_the_space(client, space, owner):
    client = as_user(client, owner)
    response = client.post(url("archive", space), {"action": "archive"}, follow=True)
    assertRedirects(response, url("manage", space))
    assert banner(response) == "The space has been archived: it is now read-only"
    space.refresh_from_db()
    assert space.archived
    assertContains(response, "Restore the space")
    [event] = audited("space.archive")
    assert event.details == {"before": {"archived": False}, "after": {"archived": True}}

    response = client.post(url("archive", space), {"action": "unarchive"}, follow=True)
    assert banner(response) == "The space has been restored from the archive"
    space.refresh_from_db()
    assert not space.archived
    assert len(audited("space.unarchive")) == 1


def test_only_owners_archive_and_the_attempt_is_audited(client, space, moderator):
    response = as_user(client, moderator).post(
        url("archive", space), {"action": "archive"}
    )
    assert response.status_code == 403
    space.refresh_from_db()
    assert not space.archived
    assert len(audited("space.denied", attempt="archive")) == 1


def test_an_unknown_archive_action_is_a_bad_request(client, space, owner):
    response = as_user(client, owner).post(url("archive", space), {"action": "burn"})
    assert response.status_code == 400
    space.refresh_from_db()
    assert not space.archived


# The access page -----------------------------------------------------------------


def test_an_owner_sees_every_part_of_the_access_page(client, space, owner, ben):
    join_request_create(actor=staff(), space=space, message="I buy things")
    response = as_user(client, owner).get(url("access", space))
    assert response.status_code == 200
    membership = space.memberships.get(user=ben)
    assertContains(response, url("member_role", space, membership_id=membership.pk))
    assertContains(response, url("member_remove", space, membership_id=membership.pk))
    assertContains(response, f'id="member-{membership.pk}-role"')
    assertContains(response, "Role of Ben Lee")
    assertContains(response, url("transfer", space))
    assertContains(response, url("grant_add", space))
    assertContains(response, "I buy things")
    assertContains(response, url("invite", space))
    assertContains(response, reverse("spaces:manage", kwargs={"slug": space.slug}))


def test_a_moderator_sees_only_requests_and_invitations(client, space, moderator, ben):
    join_request_create(actor=staff(), space=space, message="I buy things")
    response = as_user(client, moderator).get(url("access", space))
    assert response.status_code == 200
    assertContains(response, "I buy things")
    assertContains(response, url("invite", space))
    membership = space.memberships.get(user=ben)
    assertNotContains(response, url("member_role", space, membership_id=membership.pk))
    assertNotContains(response, url("transfer", space))
    assertNotContains(response, url("grant_add", space))


def test_members_and_people_let_in_by_a_grant_cannot_open_the_access_page(
    client, space, owner, ben
):
    department = DepartmentFactory()
    grant_create(actor=owner, space=space, role=GrantRole.MEMBER, department=department)
    for user in (ben, staff(department=department), staff()):
        assert as_user(client, user).get(url("access", space)).status_code == 403


def test_a_private_space_s_access_page_does_not_exist_for_outsiders(client, owner):
    space = SpaceFactory(visibility=PRIVATE)
    add_member(space, owner, Role.OWNER)
    assert as_user(client, staff()).get(url("access", space)).status_code == 404


def test_the_access_page_lists_pending_invitations_and_leavers(
    client, space, owner, ben
):
    invitation_create(actor=owner, space=space, invitee=staff(user__last_name="Vitee"))
    leaver = staff(user__first_name="Lee", user__last_name="Vere")
    add_member(space, leaver, Role.MEMBER)
    leaver.is_active = False
    leaver.save()
    response = as_user(client, owner).get(url("access", space))
    assertContains(response, "Invitations waiting for an answer")
    assertContains(response, "Vitee")
    assertContains(response, "Lee Vere")
    assertContains(response, "Account closed")


# Roles ---------------------------------------------------------------------------


def test_an_owner_changes_a_member_s_role(client, space, owner, ben):
    membership = space.memberships.get(user=ben)
    response = as_user(client, owner).post(
        url("member_role", space, membership_id=membership.pk),
        {"role": Role.MODERATOR},
        follow=True,
    )
    assertRedirects(response, url("access", space))
    assert banner(response) == "Ben Lee is now a moderator"
    assert role_of(space, ben) == Role.MODERATOR
    [event] = audited("space.membership.role", user="ben.lee")
    assert event.details["before"] == {"role": "member"}
    assert event.details["after"] == {"role": "moderator"}
    assert event.actor == owner


def test_the_last_owner_cannot_step_down(client, space, owner):
    membership = space.memberships.get(user=owner)
    response = as_user(client, owner).post(
        url("member_role", space, membership_id=membership.pk), {"role": Role.MEMBER}
    )
    assert_refused(
        response, "A space needs an owner: make someone else an owner first."
    )
    assertContains(response, f'id="member-{membership.pk}-role-error"', status_code=400)
    assert role_of(space, owner) == Role.OWNER
    assert not audited("space.membership.role")


def test_an_unknown_role_reaches_the_service_which_refuses_and_audits_it(
    client, space, owner, ben
):
    membership = space.memberships.get(user=ben)
    response = as_user(client, owner).post(
        url("member_role", space, membership_id=membership.pk), {"role": "emperor"}
    )
    assert_refused(response, "Choose a role.")
    assert role_of(space, ben) == Role.MEMBER
    [event] = audited("space.denied", attempt="membership.role")
    assert event.details["role"] == "emperor"


def test_a_member_posting_role_owner_for_themselves_is_refused_and_audited(
    client, space, ben
):
    membership = space.memberships.get(user=ben)
    response = as_user(client, ben).post(
        url("member_role", space, membership_id=membership.pk), {"role": Role.OWNER}
    )
    assert response.status_code == 403
    assert role_of(space, ben) == Role.MEMBER
    [event] = audited("space.denied", attempt="membership.role")
    assert (event.actor, event.details["role"]) == (ben, "owner")


def test_moderators_cannot_change_roles_and_the_attempt_is_audited(
    client, space, moderator, ben
):
    membership = space.memberships.get(user=ben)
    response = as_user(client, moderator).post(
        url("member_role", space, membership_id=membership.pk),
        {"role": Role.MODERATOR},
    )
    assert response.status_code == 403
    assert role_of(space, ben) == Role.MEMBER
    assert len(audited("space.denied", attempt="membership.role")) == 1


def test_a_membership_of_another_space_is_not_found(client, space, owner, other_space):
    theirs = other_space.memberships.get()
    client = as_user(client, owner)
    for name in ("member_role", "member_remove"):
        response = client.post(
            url(name, space, membership_id=theirs.pk), {"role": Role.GUEST}
        )
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.role == Role.OWNER
    assert not audited("space.membership.role")
    assert not audited("space.membership.remove")


def test_an_it_admin_manages_a_private_space_they_are_not_in(client, owner, it_admin):
    space = SpaceFactory(visibility=PRIVATE)
    add_member(space, owner, Role.OWNER)
    member = staff()
    membership = add_member(space, member, Role.MEMBER)
    department = DepartmentFactory(name="HM Treasury")
    client = as_user(client, it_admin)

    assert client.get(url("access", space)).status_code == 200
    response = client.post(
        url("member_role", space, membership_id=membership.pk), {"role": Role.OWNER}
    )
    assert response.status_code == 302
    assert role_of(space, member) == Role.OWNER
    response = client.post(
        url("grant_add", space), {"department": department.pk, "role": "guest"}
    )
    assert response.status_code == 302
    assert SpaceGrant.objects.filter(space=space, department=department).exists()
    assert not SpaceMembership.objects.filter(space=space, user=it_admin).exists()
    assert {e.actor for e in AuditEvent.objects.filter(space_id=space.pk)} == {it_admin}


# Removing people and handing over ownership --------------------------------------


def test_an_owner_removes_a_member(client, space, owner, ben):
    membership = space.memberships.get(user=ben)
    response = as_user(client, owner).post(
        url("member_remove", space, membership_id=membership.pk), follow=True
    )
    assert banner(response) == "Ben Lee has been removed from the space"
    assert not SpaceMembership.objects.filter(space=space, user=ben).exists()
    [event] = audited("space.membership.remove", user="ben.lee")
    assert event.details["before"] == {"role": "member"}


def test_the_last_owner_cannot_be_removed(client, space, owner, it_admin):
    membership = space.memberships.get(user=owner)
    response = as_user(client, it_admin).post(
        url("member_remove", space, membership_id=membership.pk)
    )
    assert_refused(
        response, "A space needs an owner: make someone else an owner first."
    )
    assert role_of(space, owner) == Role.OWNER
    assert not audited("space.membership.remove")


def test_a_member_cannot_remove_anyone_and_the_attempt_is_audited(
    client, space, owner, ben
):
    membership = space.memberships.get(user=owner)
    response = as_user(client, ben).post(
        url("member_remove", space, membership_id=membership.pk)
    )
    assert response.status_code == 403
    assert role_of(space, owner) == Role.OWNER
    assert len(audited("space.denied", attempt="membership.remove")) == 1


def test_an_owner_hands_over_ownership_by_email(client, space, owner, ben):
    response = as_user(client, owner).post(
        url("transfer", space), {"to": "BEN.LEE@example.gov.uk"}, follow=True
    )
    assert banner(response) == "Ben Lee is now an owner of the space"
    assert role_of(space, ben) == Role.OWNER
    assert role_of(space, owner) == Role.MODERATOR
    assert len(audited("space.membership.role", how="transfer")) == 2


@pytest.mark.parametrize(
    ("to", "message"),
    [
        ("no.such.person", "No one with that username or email"),
        ("", "Enter a username or email address"),
    ],
)
def test_ownership_goes_only_to_someone_who_exists(client, space, owner, to, message):
    response = as_user(client, owner).post(url("transfer", space), {"to": to})
    assert_refused(response, message)
    assertContains(response, 'id="transfer-to-error"', status_code=400)
    assert role_of(space, owner) == Role.OWNER


def test_ownership_goes_only_to_a_member(client, space, owner):
    outsider = staff(user__username="out.sider")
    response = as_user(client, owner).post(url("transfer", space), {"to": "out.sider"})
    assert_refused(response, "Ownership can go only to a member of the space.")
    assert role_of(space, owner) == Role.OWNER
    assert not SpaceMembership.objects.filter(space=space, user=outsider).exists()


# Grants --------------------------------------------------------------------------


def test_an_owner_gives_a_department_access(client, space, owner):
    department = DepartmentFactory(name="Home Office")
    response = as_user(client, owner).post(
        url("grant_add", space),
        {"department": department.pk, "team": "", "role": "member"},
        follow=True,
    )
    assert banner(response) == "Everyone in Home Office now has the member role"
    grant = SpaceGrant.objects.get(space=space)
    assert (grant.department, grant.role, grant.granted_by) == (
        department,
        "member",
        owner,
    )
    [event] = audited("space.grant.create")
    assert event.details["name"] == "Home Office"
    assert event.details["after"] == {"role": "member"}


def test_an_owner_gives_a_team_access(client, space, owner):
    team = TeamFactory(name="Data science")
    response = as_user(client, owner).post(
        url("grant_add", space), {"team": team.pk, "role": "guest"}
    )
    assert response.status_code == 302
    assert SpaceGrant.objects.get(space=space).team == team


@pytest.mark.parametrize(
    "choice", ["neither", "both"], ids=["no department or team", "both"]
)
def test_a_grant_needs_one_department_or_one_team(client, space, owner, choice):
    data = {"role": "member"}
    if choice == "both":
        data |= {"department": DepartmentFactory().pk, "team": TeamFactory().pk}
    response = as_user(client, owner).post(url("grant_add", space), data)
    assert_refused(response, "Choose a department or a team.")
    assertContains(response, 'id="grant-department-error"', status_code=400)
    assert not SpaceGrant.objects.exists()


def test_a_forged_grant_role_is_refused_and_audited(client, space, owner):
    department = DepartmentFactory()
    response = as_user(client, owner).post(
        url("grant_add", space), {"department": department.pk, "role": "owner"}
    )
    assert_refused(
        response, "A department or team can be given the member or guest role only."
    )
    assert not SpaceGrant.objects.exists()
    [event] = audited("space.denied", attempt="grant.create")
    assert event.details["role"] == "owner"


def test_a_department_is_given_access_once(client, space, owner):
    department = DepartmentFactory()
    grant_create(actor=owner, space=space, role=GrantRole.GUEST, department=department)
    response = as_user(client, owner).post(
        url("grant_add", space), {"department": department.pk, "role": "member"}
    )
    assert_refused(response, "This department or team already has access")
    assert SpaceGrant.objects.get(space=space).role == GrantRole.GUEST


def test_moderators_cannot_give_access_and_the_attempt_is_audited(
    client, space, moderator
):
    response = as_user(client, moderator).post(
        url("grant_add", space),
        {"department": DepartmentFactory().pk, "role": "member"},
    )
    assert response.status_code == 403
    assert not SpaceGrant.objects.exists()
    assert len(audited("space.denied", attempt="grant.create")) == 1


def test_an_owner_revokes_a_grant(client, space, owner):
    department = DepartmentFactory(name="Home Office")
    grant = grant_create(
        actor=owner, space=space, role=GrantRole.MEMBER, department=department
    )
    response = as_user(client, owner).post(
        url("grant_revoke", space, grant_id=grant.pk), follow=True
    )
    assert banner(response) == "Home Office no longer has access through a grant"
    assert not SpaceGrant.objects.exists()
    [event] = audited("space.grant.revoke")
    assert event.details["before"] == {"role": "member"}


def test_a_grant_of_another_space_is_not_found(client, space, owner, other_space):
    grant = grant_create(
        actor=other_space.memberships.get().user,
        space=other_space,
        role=GrantRole.MEMBER,
        department=DepartmentFactory(),
    )
    response = as_user(client, owner).post(
        url("grant_revoke", space, grant_id=grant.pk)
    )
    assert response.status_code == 404
    assert SpaceGrant.objects.filter(pk=grant.pk).exists()


# Requests to join ----------------------------------------------------------------


@pytest.fixture
def sam(space):
    return staff(
        user__username="sam.jones", user__first_name="Sam", user__last_name="Jones"
    )


@pytest.fixture
def join_request(space, sam):
    return join_request_create(actor=sam, space=space, message="I run the contracts")


def test_a_moderator_approves_a_request(client, space, moderator, sam, join_request):
    response = as_user(client, moderator).post(
        url("request_decide", space, request_id=join_request.pk),
        {"decision": "approve", "reason": ""},
        follow=True,
    )
    assert banner(response) == "Sam Jones is now a member of the space"
    join_request.refresh_from_db()
    assert (join_request.status, join_request.decided_by) == ("approved", moderator)
    assert role_of(space, sam) == Role.MEMBER
    assert len(audited("space.join_request.approved", user="sam.jones")) == 1
    assert len(audited("space.membership.add", user="sam.jones", how="request")) == 1


def test_an_owner_declines_a_request_with_a_reason(
    client, space, owner, sam, join_request
):
    response = as_user(client, owner).post(
        url("request_decide", space, request_id=join_request.pk),
        {"decision": "decline", "reason": "For the project board only"},
        follow=True,
    )
    assert banner(response) == escape("Sam Jones’s request to join has been declined")
    join_request.refresh_from_db()
    assert (join_request.status, join_request.reason) == (
        "declined",
        "For the project board only",
    )
    assert not SpaceMembership.objects.filter(space=space, user=sam).exists()
    [event] = audited("space.join_request.declined")
    assert event.details["reason"] == "For the project board only"


def test_a_request_is_decided_once(client, space, owner, join_request):
    client = as_user(client, owner)
    target = url("request_decide", space, request_id=join_request.pk)
    client.post(target, {"decision": "decline"})
    response = client.post(target, {"decision": "approve"})
    assert_refused(response, "This request has already been decided.")
    join_request.refresh_from_db()
    assert join_request.status == "declined"


def test_an_overlong_reason_is_refused(client, space, owner, join_request):
    response = as_user(client, owner).post(
        url("request_decide", space, request_id=join_request.pk),
        {"decision": "decline", "reason": "x" * 1001},
    )
    assert_refused(response, "The reason must be 1000 characters or fewer.")
    assertContains(
        response, f'id="request-{join_request.pk}-reason-error"', status_code=400
    )
    join_request.refresh_from_db()
    assert join_request.status == "pending"


def test_a_member_cannot_decide_requests_and_the_attempt_is_audited(
    client, space, ben, join_request
):
    response = as_user(client, ben).post(
        url("request_decide", space, request_id=join_request.pk),
        {"decision": "approve"},
    )
    assert response.status_code == 403
    join_request.refresh_from_db()
    assert join_request.status == "pending"
    assert len(audited("space.denied", attempt="join_request.approved")) == 1


def test_a_request_to_another_space_is_not_found(client, owner, space):
    elsewhere = SpaceFactory(visibility=RESTRICTED)
    theirs = join_request_create(actor=staff(), space=elsewhere)
    response = as_user(client, owner).post(
        url("request_decide", space, request_id=theirs.pk), {"decision": "approve"}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == JoinRequest.Status.PENDING


# Invitations ---------------------------------------------------------------------


def test_a_moderator_invites_a_colleague(client, space, moderator):
    colleague = staff(
        user__username="cara.ng", user__first_name="Cara", user__last_name="Ng"
    )
    response = as_user(client, moderator).post(
        url("invite", space), {"invitee": "Cara.Ng", "role": "guest"}, follow=True
    )
    assert banner(response) == "Cara Ng has been invited to join as a guest"
    invitation = Invitation.objects.get(space=space)
    assert (invitation.invitee, invitation.role, invitation.invited_by) == (
        colleague,
        "guest",
        moderator,
    )
    assert len(audited("space.invitation.create", invitee="cara.ng")) == 1
    assertContains(response, "Invitations waiting for an answer")


def test_an_invitation_to_a_deactivated_user_is_refused(client, space, owner):
    leaver = staff(user__username="left.already")
    leaver.is_active = False
    leaver.save()
    response = as_user(client, owner).post(
        url("invite", space), {"invitee": "left.already", "role": "member"}
    )
    assert_refused(
        response, "This person's account is deactivated: they cannot be invited."
    )
    assertContains(response, 'id="invite-invitee-error"', status_code=400)
    assert not Invitation.objects.exists()


def test_an_invitation_to_nobody_is_refused(client, space, owner):
    response = as_user(client, owner).post(
        url("invite", space), {"invitee": "nobody@example.gov.uk", "role": "member"}
    )
    assert_refused(response, "No one with that username or email")
    assertContains(response, 'value="nobody@example.gov.uk"', status_code=400)
    assert not Invitation.objects.exists()


def test_an_invitation_as_owner_is_refused_and_audited(client, space, moderator):
    staff(user__username="cara.ng")
    response = as_user(client, moderator).post(
        url("invite", space), {"invitee": "cara.ng", "role": "owner"}
    )
    assert_refused(response, "An invitation is to be a member or a guest.")
    assert not Invitation.objects.exists()
    [event] = audited("space.denied", attempt="invitation.create")
    assert event.details["role"] == "owner"


def test_a_member_cannot_invite_and_the_attempt_is_audited(client, space, ben):
    staff(user__username="cara.ng")
    response = as_user(client, ben).post(
        url("invite", space), {"invitee": "cara.ng", "role": "member"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert len(audited("space.denied", attempt="invitation.create")) == 1


# Bounded queries -----------------------------------------------------------------


@pytest.mark.parametrize("size", [5, 60])
def test_access_page_queries_are_bounded(
    client, space, owner, size, django_assert_max_num_queries
):
    for n in range(size):
        profile = ProfileFactory()
        add_member(space, profile.user, Role.MEMBER)
        join_request_create(actor=staff(), space=space, message=f"Request {n}")
        invitation_create(actor=owner, space=space, invitee=staff())
        grant_create(
            actor=owner,
            space=space,
            role=GrantRole.MEMBER,
            department=profile.department,
        )
    client = as_user(client, owner)
    # Session and user; the space; the permission checks of the page and its
    # header; the count and page of members; the grants; the requests; the
    # invitations; the department and team lists of the grant form; the unread
    # notifications.
    with django_assert_max_num_queries(21):
        response = client.get(url("access", space))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Change role<span") == min(size + 1, 50)
    assert html.count('name="decision" value="approve"') == size
