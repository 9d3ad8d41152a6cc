"""The people a change of access concerns are told, once it has committed."""

import pytest
from django.db import transaction
from django.urls import reverse

from intranet.models import Notification
from spaces.errors import SpaceError
from spaces.models import GrantRole, Role, Space, SpaceMembership
from spaces.services import (
    grant_create,
    invitation_accept,
    invitation_create,
    join_request_approve,
    join_request_create,
    join_request_decline,
    membership_join,
    membership_leave,
    membership_remove,
    membership_set_role,
    ownership_transfer,
)
from tests.profiles.factories import ProfileFactory, UserFactory
from tests.spaces.factories import SpaceFactory, add_member

pytestmark = pytest.mark.django_db

OPEN, RESTRICTED, PRIVATE = Space.Visibility


class Boom(Exception):
    pass


def person(first_name: str, last_name: str, **profile):
    user = UserFactory(first_name=first_name, last_name=last_name)
    ProfileFactory(user=user, **profile)
    return user


def sent() -> list[tuple[str, str, str, str]]:
    """Every notification as (recipient's username, kind, text, url)."""
    return sorted(
        Notification.objects.values_list("recipient__username", "kind", "text", "url")
    )


def home(space: Space) -> str:
    return reverse("spaces:home", kwargs={"slug": space.slug})


@pytest.fixture
def asha():
    return person("Asha", "Patel")


@pytest.fixture
def ben():
    return person("Ben", "Lee")


@pytest.fixture
def moderator():
    return person("Mo", "Khan")


@pytest.fixture
def restricted(asha, moderator):
    space = SpaceFactory(
        name="Procurement reform", slug="procurement-reform", visibility=RESTRICTED
    )
    add_member(space, asha, Role.OWNER)
    add_member(space, moderator, Role.MODERATOR)
    return space


@pytest.fixture
def private(asha):
    space = SpaceFactory(
        name="Spending review 2027 (sensitive)", slug="sr27", visibility=PRIVATE
    )
    add_member(space, asha, Role.OWNER)
    return space


# Requests to join ---------------------------------------------------------------


def test_a_request_goes_to_owners_and_moderators_only_after_commit(
    restricted, asha, moderator, ben, django_capture_on_commit_callbacks
):
    add_member(restricted, person("Plain", "Member"), Role.MEMBER)
    add_member(restricted, person("Guest", "Reader"), Role.GUEST)
    departed = person("Left", "Already")
    add_member(restricted, departed, Role.MODERATOR)
    departed.is_active = False
    departed.save()

    with django_capture_on_commit_callbacks() as callbacks:
        join_request_create(actor=ben, space=restricted, message="I buy things")
    assert Notification.objects.count() == 0
    for callback in callbacks:
        callback()

    access = reverse("spaces:access", kwargs={"slug": "procurement-reform"})
    text = "Ben Lee asked to join Procurement reform"
    assert sent() == sorted(
        [
            (asha.username, "space.join_request", text, access),
            (moderator.username, "space.join_request", text, access),
        ]
    )


def test_a_rolled_back_request_notifies_nobody(
    restricted, ben, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(Boom), transaction.atomic():
            join_request_create(actor=ben, space=restricted)
            raise Boom
    assert Notification.objects.count() == 0


def test_refused_requests_notify_nobody(
    restricted, asha, ben, django_capture_on_commit_callbacks
):
    open_space = SpaceFactory(visibility=OPEN)
    add_member(open_space, asha, Role.OWNER)
    with django_capture_on_commit_callbacks(execute=True):
        join_request_create(actor=ben, space=restricted)
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(SpaceError, match="already asked"):
            join_request_create(actor=ben, space=restricted)
        with pytest.raises(SpaceError, match="restricted"):
            join_request_create(actor=ben, space=open_space)
        with pytest.raises(SpaceError, match="already a member"):
            join_request_create(actor=asha, space=restricted)
    assert Notification.objects.count() == 0


def test_an_approval_tells_the_requester(
    restricted, moderator, ben, django_capture_on_commit_callbacks
):
    request = join_request_create(actor=ben, space=restricted)
    with django_capture_on_commit_callbacks(execute=True):
        join_request_approve(actor=moderator, join_request=request)
    assert sent() == [
        (
            ben.username,
            "space.join_request.approved",
            "Your request to join Procurement reform was approved",
            home(restricted),
        )
    ]


@pytest.mark.parametrize(
    ("reason", "text"),
    [
        (
            "  Only commercial staff, sorry  ",
            "Your request to join Procurement reform was declined: "
            "Only commercial staff, sorry",
        ),
        ("", "Your request to join Procurement reform was declined"),
    ],
)
def test_a_decline_tells_the_requester_why(
    restricted, asha, ben, reason, text, django_capture_on_commit_callbacks
):
    request = join_request_create(actor=ben, space=restricted)
    with django_capture_on_commit_callbacks(execute=True):
        join_request_decline(actor=asha, join_request=request, reason=reason)
    assert sent() == [
        (ben.username, "space.join_request.declined", text, home(restricted))
    ]


def test_a_decline_from_a_space_since_made_private_does_not_name_it(
    restricted, asha, ben, django_capture_on_commit_callbacks
):
    request = join_request_create(actor=ben, space=restricted)
    Space.objects.filter(pk=restricted.pk).update(visibility=PRIVATE)
    request.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        join_request_decline(actor=asha, join_request=request)
    assert sent() == [
        (
            ben.username,
            "space.join_request.declined",
            "Your request to join a private space was declined",
            "",
        )
    ]


def test_refused_decisions_notify_nobody(
    restricted, ben, django_capture_on_commit_callbacks
):
    member = person("Plain", "Member")
    add_member(restricted, member, Role.MEMBER)
    request = join_request_create(actor=ben, space=restricted)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(SpaceError, match="owners and moderators"):
            join_request_approve(actor=member, join_request=request)
    assert Notification.objects.count() == 0


def test_approving_a_leaver_rolls_back_and_notifies_nobody(
    restricted, asha, ben, django_capture_on_commit_callbacks
):
    request = join_request_create(actor=ben, space=restricted)
    ben.is_active = False
    ben.save()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(SpaceError, match="no longer active"):
            join_request_approve(actor=asha, join_request=request)
    assert Notification.objects.count() == 0
    assert not SpaceMembership.objects.filter(user=ben).exists()


# Invitations --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "as_what"), [(GrantRole.MEMBER, "a member"), (GrantRole.GUEST, "a guest")]
)
def test_an_invitation_names_even_a_private_space_to_its_invitee(
    private, asha, ben, role, as_what, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        invitation = invitation_create(
            actor=asha, space=private, invitee=ben, role=role
        )
    assert Notification.objects.count() == 0
    for callback in callbacks:
        callback()

    answer = reverse(
        "spaces:invitation_answer", kwargs={"invitation_id": invitation.pk}
    )
    assert sent() == [
        (
            ben.username,
            "space.invitation",
            f"Asha Patel invited you to join Spending review 2027 (sensitive) "
            f"as {as_what}",
            answer,
        )
    ]


def test_refused_invitations_notify_nobody(
    private, asha, ben, django_capture_on_commit_callbacks
):
    member = person("Plain", "Member")
    add_member(private, member, Role.MEMBER)
    leaver = person("Left", "Already")
    leaver.is_active = False
    leaver.save()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(SpaceError, match="owners and moderators"):
            invitation_create(actor=member, space=private, invitee=ben)
        with pytest.raises(SpaceError, match="already a member"):
            invitation_create(actor=asha, space=private, invitee=member)
        with pytest.raises(SpaceError, match="deactivated"):
            invitation_create(actor=asha, space=private, invitee=leaver)
        with pytest.raises(SpaceError, match="member or a guest"):
            invitation_create(actor=asha, space=private, invitee=ben, role="owner")
    assert Notification.objects.count() == 0


def test_answering_an_invitation_notifies_nobody(
    private, asha, ben, django_capture_on_commit_callbacks
):
    invitation = invitation_create(actor=asha, space=private, invitee=ben)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_accept(actor=ben, invitation=invitation)
    assert Notification.objects.count() == 0


# Removals and roles -------------------------------------------------------------


def test_someone_removed_from_a_private_space_is_not_told_its_name(
    private, asha, ben, django_capture_on_commit_callbacks
):
    membership = add_member(private, ben, Role.MEMBER)
    with django_capture_on_commit_callbacks(execute=True):
        membership_remove(actor=asha, membership=membership)
    assert sent() == [
        (
            ben.username,
            "space.membership.removed",
            "Asha Patel removed you from a private space",
            "",
        )
    ]


def test_someone_who_still_sees_the_space_through_a_grant_is_told_its_name(
    private, asha, ben, django_capture_on_commit_callbacks
):
    grant_create(
        actor=asha,
        space=private,
        role=GrantRole.MEMBER,
        department=ben.profile.department,
    )
    membership = add_member(private, ben, Role.MEMBER)
    with django_capture_on_commit_callbacks(execute=True):
        membership_remove(actor=asha, membership=membership)
    assert sent() == [
        (
            ben.username,
            "space.membership.removed",
            "Asha Patel removed you from Spending review 2027 (sensitive)",
            home(private),
        )
    ]


def test_someone_removed_from_a_listed_space_is_told_its_name(
    restricted, asha, ben, django_capture_on_commit_callbacks
):
    membership = add_member(restricted, ben, Role.MEMBER)
    with django_capture_on_commit_callbacks(execute=True):
        membership_remove(actor=asha, membership=membership)
    assert sent() == [
        (
            ben.username,
            "space.membership.removed",
            "Asha Patel removed you from Procurement reform",
            home(restricted),
        )
    ]


def test_leaving_or_joining_notifies_nobody(
    asha, ben, django_capture_on_commit_callbacks
):
    space = SpaceFactory(visibility=OPEN)
    add_member(space, asha, Role.OWNER)
    with django_capture_on_commit_callbacks(execute=True):
        membership_join(actor=ben, space=space)
        membership_leave(actor=ben, space=space)
    assert Notification.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "text"),
    [
        (Role.MODERATOR, "Asha Patel made you a moderator of Procurement reform"),
        (Role.OWNER, "Asha Patel made you an owner of Procurement reform"),
        (Role.GUEST, "Asha Patel made you a guest of Procurement reform"),
    ],
)
def test_a_role_change_tells_the_member(
    restricted, asha, ben, role, text, django_capture_on_commit_callbacks
):
    membership = add_member(restricted, ben, Role.MEMBER)
    with django_capture_on_commit_callbacks(execute=True):
        membership_set_role(actor=asha, membership=membership, role=role)
    assert sent() == [(ben.username, "space.membership.role", text, home(restricted))]


def test_an_ownership_transfer_tells_the_new_owner_only(
    restricted, asha, ben, django_capture_on_commit_callbacks
):
    add_member(restricted, ben, Role.MEMBER)
    with django_capture_on_commit_callbacks(execute=True):
        ownership_transfer(actor=asha, space=restricted, to=ben)
    assert sent() == [
        (
            ben.username,
            "space.membership.role",
            "Asha Patel made you an owner of Procurement reform",
            home(restricted),
        )
    ]
    assert SpaceMembership.objects.get(user=asha).role == Role.MODERATOR


def test_refused_role_changes_and_removals_notify_nobody(
    restricted, asha, moderator, ben, django_capture_on_commit_callbacks
):
    membership = add_member(restricted, ben, Role.MEMBER)
    owner_membership = SpaceMembership.objects.get(user=asha)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(SpaceError, match="owners"):
            membership_set_role(actor=moderator, membership=membership, role="owner")
        with pytest.raises(SpaceError, match="owners"):
            membership_remove(actor=moderator, membership=membership)
        with pytest.raises(SpaceError, match="needs an owner"):
            membership_set_role(
                actor=asha, membership=owner_membership, role=Role.MEMBER
            )
        # Setting the role someone already has changes nothing.
        membership_set_role(actor=asha, membership=membership, role=Role.MEMBER)
    assert Notification.objects.count() == 0
