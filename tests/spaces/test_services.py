import pytest

from intranet.models import AuditEvent
from spaces.errors import SpaceError
from spaces.models import (
    Invitation,
    JoinRequest,
    Role,
    Space,
    SpaceGrant,
    SpaceMembership,
    SpaceUserObjectPermission,
)
from spaces.selectors import (
    can_manage,
    can_post,
    can_start_thread,
    can_view_content,
    can_view_space,
    spaces_visible_to,
)
from spaces.services import (
    grant_create,
    grant_revoke,
    invitation_accept,
    invitation_create,
    invitation_decline,
    join_request_approve,
    join_request_create,
    join_request_decline,
    membership_join,
    membership_leave,
    membership_remove,
    membership_set_role,
    ownership_transfer,
    space_archive,
    space_create,
    space_unarchive,
    space_update,
)
from tests.profiles.factories import (
    DepartmentFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)
from tests.spaces.factories import SpaceFactory, add_member, staff

pytestmark = pytest.mark.django_db

OPEN, RESTRICTED, PRIVATE = Space.Visibility


def events(action=None):
    found = AuditEvent.objects.order_by("seq")
    if action:
        found = found.filter(action=action)
    return list(found)


def role_of(space, user):
    return SpaceMembership.objects.get(space=space, user=user).role


def perms_of(space, user):
    return set(
        SpaceUserObjectPermission.objects.filter(
            content_object=space, user=user
        ).values_list("permission__codename", flat=True)
    )


@pytest.fixture
def owner():
    return staff()


@pytest.fixture
def space(owner):
    space = SpaceFactory(visibility=PRIVATE)
    add_member(space, owner, Role.OWNER)
    return space


# Creating and changing spaces -----------------------------------------------------


def test_space_create_makes_the_creator_owner_and_audits(owner):
    department = DepartmentFactory()
    space = space_create(
        actor=owner,
        name="  Net   Zero  ",
        slug="net-zero",
        description="**Cross-government** work",
        department=department,
        visibility=RESTRICTED,
        default_marking="OFFICIAL-SENSITIVE",
    )
    assert space.name == "Net Zero"
    assert role_of(space, owner) == Role.OWNER
    assert can_manage(owner, space)
    assert perms_of(space, owner) == {
        "view_space",
        "post_in_space",
        "start_thread",
        "moderate_space",
        "manage_space",
    }
    [event] = events("space.create")
    assert event.space_id == space.pk
    assert event.details["after"]["visibility"] == "restricted"


@pytest.mark.parametrize(
    ("name", "slug", "field"),
    [
        ("NET ZERO", "other", "name"),
        ("Other", "net-zero", "slug"),
        ("", "fine", "name"),
        ("Fine", "Not A Slug!", "slug"),
    ],
)
def test_space_create_refuses_duplicates_and_bad_input(owner, name, slug, field):
    SpaceFactory(name="Net Zero", slug="net-zero")
    with pytest.raises(SpaceError) as refused:
        space_create(
            actor=owner,
            name=name,
            slug=slug,
            department=DepartmentFactory(),
            visibility=OPEN,
        )
    assert refused.value.field == field
    assert Space.objects.count() == 1


def test_space_create_refuses_a_long_description_and_bad_choices(owner):
    department = DepartmentFactory()
    for bad in (
        {"description": "x" * 5001},
        {"visibility": "secret"},
        {"default_marking": "SECRET"},
    ):
        with pytest.raises(SpaceError):
            space_create(actor=owner, name="A", slug="a", department=department, **bad)
    assert not Space.objects.exists()


def test_space_update_changes_visibility_and_audits_before_and_after(owner, space):
    space_update(actor=owner, space=space, visibility=OPEN, description="New")
    space.refresh_from_db()
    assert space.visibility == OPEN
    [event] = events("space.update")
    assert event.details["before"]["visibility"] == "private"
    assert event.details["after"] == {"visibility": "open", "description": "New"}


def test_space_update_by_a_member_is_refused_and_audited(space):
    member = staff()
    add_member(space, member, Role.MEMBER)
    with pytest.raises(SpaceError):
        space_update(actor=member, space=space, visibility=OPEN)
    space.refresh_from_db()
    assert space.visibility == PRIVATE
    [denied] = events("space.denied")
    assert denied.details["attempt"] == "update"
    assert denied.actor == member


def test_space_update_refuses_a_name_taken_in_another_case(owner, space):
    SpaceFactory(name="Taken")
    with pytest.raises(SpaceError) as refused:
        space_update(actor=owner, space=space, name="tAKEN")
    assert refused.value.field == "name"


def test_archive_and_unarchive(owner, space):
    add_member(space, member := staff(), Role.MEMBER)
    space_archive(actor=owner, space=space)
    assert not can_post(member, space)
    assert can_view_content(member, space)
    space_unarchive(actor=owner, space=space)
    assert can_post(member, space)
    assert [e.action for e in events()] == ["space.archive", "space.unarchive"]


def test_archive_by_a_non_owner_is_refused_and_audited(space):
    with pytest.raises(SpaceError):
        space_archive(actor=staff(), space=space)
    space.refresh_from_db()
    assert not space.archived
    assert events("space.denied")


# Joining ------------------------------------------------------------------------


def test_open_spaces_are_joined_at_once():
    space = SpaceFactory(visibility=OPEN)
    user = staff()
    membership_join(actor=user, space=space)
    assert role_of(space, user) == Role.MEMBER
    assert can_start_thread(user, space)
    [event] = events("space.membership.add")
    assert event.details["after"] == {"role": "member"}
    with pytest.raises(SpaceError, match="Already"):
        membership_join(actor=user, space=space)


@pytest.mark.parametrize("visibility", [RESTRICTED, PRIVATE])
def test_only_open_spaces_can_be_joined_at_once(visibility):
    space = SpaceFactory(visibility=visibility)
    with pytest.raises(SpaceError):
        membership_join(actor=staff(), space=space)
    assert not SpaceMembership.objects.exists()


def test_archived_spaces_cannot_be_joined():
    space = SpaceFactory(visibility=OPEN, archived=True)
    with pytest.raises(SpaceError, match="archived"):
        membership_join(actor=staff(), space=space)


def test_request_approved_by_a_moderator():
    space = SpaceFactory(visibility=RESTRICTED)
    moderator, requester = staff(), staff()
    add_member(space, moderator, Role.MODERATOR)
    request = join_request_create(actor=requester, space=space, message="Please")
    assert not can_view_content(requester, space)

    join_request_approve(actor=moderator, join_request=request)

    request.refresh_from_db()
    assert request.status == JoinRequest.Status.APPROVED
    assert request.decided_by == moderator
    assert role_of(space, requester) == Role.MEMBER
    assert can_view_content(requester, space)
    assert [e.action for e in events()] == [
        "space.join_request.create",
        "space.join_request.approved",
        "space.membership.add",
    ]
    with pytest.raises(SpaceError, match="already been decided"):
        join_request_decline(actor=moderator, join_request=request)


def test_request_declined_with_a_reason_the_requester_sees(owner):
    space = SpaceFactory(visibility=RESTRICTED)
    add_member(space, owner, Role.OWNER)
    request = join_request_create(actor=(requester := staff()), space=space)
    join_request_decline(actor=owner, join_request=request, reason="Team only")
    request.refresh_from_db()
    assert (request.status, request.reason) == ("declined", "Team only")
    assert not SpaceMembership.objects.filter(user=requester).exists()
    # Declined, they may ask again.
    join_request_create(actor=requester, space=space)


def test_one_pending_request_per_person_per_space():
    space = SpaceFactory(visibility=RESTRICTED)
    user = staff()
    join_request_create(actor=user, space=space)
    with pytest.raises(SpaceError, match="already asked"):
        join_request_create(actor=user, space=space)
    assert JoinRequest.objects.count() == 1


def test_a_member_cannot_request_to_join(owner):
    space = SpaceFactory(visibility=RESTRICTED)
    add_member(space, owner, Role.OWNER)
    with pytest.raises(SpaceError, match="already a member"):
        join_request_create(actor=owner, space=space)


def test_requests_go_to_restricted_spaces_only():
    for visibility in (OPEN, PRIVATE):
        with pytest.raises(SpaceError):
            join_request_create(
                actor=staff(), space=SpaceFactory(visibility=visibility)
            )


def test_a_plain_member_cannot_approve_a_request():
    space = SpaceFactory(visibility=RESTRICTED)
    member, requester = staff(), staff()
    add_member(space, member, Role.MEMBER)
    request = join_request_create(actor=requester, space=space)
    with pytest.raises(SpaceError):
        join_request_approve(actor=member, join_request=request)
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.PENDING
    assert events("space.denied")


# Invitations --------------------------------------------------------------------


def test_invitation_accepted(owner, space):
    invitee = staff()
    invitation = invitation_create(
        actor=owner, space=space, invitee=invitee, role="guest"
    )
    assert not can_view_space(invitee, space)
    invitation_accept(actor=invitee, invitation=invitation)
    assert role_of(space, invitee) == Role.GUEST
    assert can_post(invitee, space) and not can_start_thread(invitee, space)
    with pytest.raises(SpaceError, match="already been answered"):
        invitation_decline(actor=invitee, invitation=invitation)


def test_invitation_declined(owner, space):
    invitee = staff()
    invitation = invitation_create(actor=owner, space=space, invitee=invitee)
    invitation_decline(actor=invitee, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert not SpaceMembership.objects.filter(user=invitee).exists()


def test_only_the_invitee_answers(owner, space):
    invitation = invitation_create(actor=owner, space=space, invitee=staff())
    with pytest.raises(SpaceError):
        invitation_accept(actor=staff(), invitation=invitation)


def test_invitation_refusals(owner, space):
    leaver = staff()
    leaver.is_active = False
    leaver.save()
    with pytest.raises(SpaceError, match="deactivated"):
        invitation_create(actor=owner, space=space, invitee=leaver)
    with pytest.raises(SpaceError, match="already a member"):
        invitation_create(actor=owner, space=space, invitee=owner)
    invitee = staff()
    invitation_create(actor=owner, space=space, invitee=invitee)
    with pytest.raises(SpaceError, match="waiting"):
        invitation_create(actor=owner, space=space, invitee=invitee)
    assert Invitation.objects.count() == 1


def test_a_member_cannot_invite_and_is_audited(space):
    member = staff()
    add_member(space, member, Role.MEMBER)
    with pytest.raises(SpaceError):
        invitation_create(actor=member, space=space, invitee=staff())
    assert not Invitation.objects.exists()
    assert events("space.denied")[0].details["attempt"] == "invitation.create"


def test_an_invitation_cannot_carry_the_owner_role(owner, space):
    with pytest.raises(SpaceError):
        invitation_create(actor=owner, space=space, invitee=staff(), role="owner")
    assert not Invitation.objects.exists()


# Leaving, removing, roles ---------------------------------------------------------


def test_leaving_drops_permissions(owner, space):
    member = staff()
    add_member(space, member, Role.MEMBER)
    membership_leave(actor=member, space=space)
    assert not can_view_space(member, space)
    assert perms_of(space, member) == set()
    [event] = events("space.membership.remove")
    assert event.details["before"] == {"role": "member"}


def test_the_last_owner_cannot_leave_or_be_demoted(owner, space):
    with pytest.raises(SpaceError, match="needs an owner"):
        membership_leave(actor=owner, space=space)
    membership = SpaceMembership.objects.get(space=space, user=owner)
    with pytest.raises(SpaceError, match="needs an owner"):
        membership_set_role(actor=owner, membership=membership, role=Role.MEMBER)
    admin = UserFactory(it_admin=True)
    with pytest.raises(SpaceError, match="needs an owner"):
        membership_remove(actor=admin, membership=membership)
    assert role_of(space, owner) == Role.OWNER
    assert can_manage(owner, space)


def test_one_of_two_owners_may_step_down(owner, space):
    other = staff()
    add_member(space, other, Role.OWNER)
    membership = SpaceMembership.objects.get(space=space, user=owner)
    membership_set_role(actor=owner, membership=membership, role=Role.MEMBER)
    assert not can_manage(owner, space)
    assert perms_of(space, owner) == {"view_space", "post_in_space", "start_thread"}


def test_set_role_keeps_permissions_in_step_and_audits(owner, space):
    member = staff()
    membership = add_member(space, member, Role.MEMBER)
    membership_set_role(actor=owner, membership=membership, role=Role.MODERATOR)
    assert perms_of(space, member) == {
        "view_space",
        "post_in_space",
        "start_thread",
        "moderate_space",
    }
    membership_set_role(actor=owner, membership=membership, role=Role.GUEST)
    assert perms_of(space, member) == {"view_space", "post_in_space"}
    assert [e.details["after"] for e in events("space.membership.role")] == [
        {"role": "moderator"},
        {"role": "guest"},
    ]


def test_a_forged_role_escalation_is_refused_and_audited(space):
    member = staff()
    membership = add_member(space, member, Role.MEMBER)
    with pytest.raises(SpaceError):
        membership_set_role(actor=member, membership=membership, role="owner")
    assert role_of(space, member) == Role.MEMBER
    assert not can_manage(member, space)
    [denied] = events("space.denied")
    assert denied.actor == member
    assert denied.space_id == space.pk
    assert denied.details["attempt"] == "membership.role"
    assert denied.details["role"] == "owner"


def test_an_unknown_role_is_refused(owner, space):
    membership = add_member(space, staff(), Role.MEMBER)
    with pytest.raises(SpaceError):
        membership_set_role(actor=owner, membership=membership, role="superuser")
    membership.refresh_from_db()
    assert membership.role == Role.MEMBER


def test_removing_a_member(owner, space):
    member = staff()
    membership = add_member(space, member, Role.MEMBER)
    membership_remove(actor=owner, membership=membership)
    assert not SpaceMembership.objects.filter(user=member).exists()
    assert not can_view_content(member, space)


def test_a_moderator_cannot_remove_people(space):
    moderator = staff()
    add_member(space, moderator, Role.MODERATOR)
    membership = add_member(space, staff(), Role.MEMBER)
    with pytest.raises(SpaceError):
        membership_remove(actor=moderator, membership=membership)
    assert SpaceMembership.objects.filter(pk=membership.pk).exists()


def test_ownership_transfer(owner, space):
    heir = staff()
    add_member(space, heir, Role.MEMBER)
    ownership_transfer(actor=owner, space=space, to=heir)
    assert role_of(space, heir) == Role.OWNER
    assert role_of(space, owner) == Role.MODERATOR
    assert can_manage(heir, space) and not can_manage(owner, space)


def test_ownership_goes_only_to_members(owner, space):
    with pytest.raises(SpaceError, match="only to a member"):
        ownership_transfer(actor=owner, space=space, to=staff())
    assert role_of(space, owner) == Role.OWNER


# IT admins ----------------------------------------------------------------------


def test_it_admin_manages_memberships_and_grants_without_reading(owner, space):
    admin = UserFactory(it_admin=True)
    membership = add_member(space, staff(), Role.MEMBER)
    membership_set_role(actor=admin, membership=membership, role=Role.MODERATOR)
    grant = grant_create(
        actor=admin, space=space, department=DepartmentFactory(), role="guest"
    )
    grant_revoke(actor=admin, grant=grant)
    assert not can_view_content(admin, space)
    assert space not in spaces_visible_to(admin)


# Grants -------------------------------------------------------------------------


def test_a_department_grant_follows_people_who_move(owner, space):
    old, new = DepartmentFactory.create_batch(2)
    grant_create(actor=owner, space=space, department=old, role="member")
    mover = staff(department=old)
    assert can_start_thread(mover, space)

    mover.profile.department = new
    mover.profile.save()
    assert not can_view_space(mover, space)
    assert space not in spaces_visible_to(mover)

    second = SpaceFactory(visibility=PRIVATE)
    add_member(second, owner, Role.OWNER)
    grant_create(actor=owner, space=second, department=new, role="guest")
    assert can_post(mover, second) and not can_start_thread(mover, second)
    assert [e.action for e in events()] == ["space.grant.create"] * 2


def test_a_team_grant_is_lost_on_leaving_the_team(owner, space):
    team = TeamFactory()
    membership = TeamMembershipFactory(team=team)
    person = membership.profile.user
    grant_create(actor=owner, space=space, team=team, role="member")
    assert can_view_content(person, space)
    joiner = TeamMembershipFactory(team=team).profile.user
    assert can_view_content(joiner, space)

    membership.delete()

    assert not can_view_content(person, space)
    assert can_view_content(joiner, space)


def test_deactivation_removes_all_access(owner, space):
    department = DepartmentFactory()
    grant_create(actor=owner, space=space, department=department, role="member")
    other = SpaceFactory(visibility=PRIVATE)
    person = staff(department=department)
    add_member(other, person, Role.MEMBER)

    person.is_active = False
    person.save()

    assert not can_view_space(person, space)
    assert not can_view_space(person, other)
    assert not person.groups.exists()


def test_grant_revoke_takes_access_away_and_audits(owner, space):
    department = DepartmentFactory()
    grant = grant_create(actor=owner, space=space, department=department, role="guest")
    person = staff(department=department)
    assert can_post(person, space)
    grant_revoke(actor=owner, grant=grant)
    assert not can_view_space(person, space)
    assert not SpaceGrant.objects.exists()
    [event] = events("space.grant.revoke")
    assert event.details["before"] == {"role": "guest"}


def test_grant_refusals(owner, space):
    department = DepartmentFactory()
    with pytest.raises(SpaceError):
        grant_create(actor=owner, space=space, role="member")
    with pytest.raises(SpaceError):
        grant_create(
            actor=owner,
            space=space,
            role="member",
            department=department,
            team=TeamFactory(),
        )
    with pytest.raises(SpaceError):
        grant_create(actor=owner, space=space, department=department, role="owner")
    grant_create(actor=owner, space=space, department=department, role="member")
    with pytest.raises(SpaceError, match="already has access"):
        grant_create(actor=owner, space=space, department=department, role="guest")
    assert SpaceGrant.objects.count() == 1


def test_a_member_cannot_create_a_grant_and_is_audited(space):
    member = staff()
    add_member(space, member, Role.MEMBER)
    with pytest.raises(SpaceError):
        grant_create(
            actor=member, space=space, department=DepartmentFactory(), role="member"
        )
    assert not SpaceGrant.objects.exists()
    assert events("space.denied")[0].details["attempt"] == "grant.create"
