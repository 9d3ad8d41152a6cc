"""Audience tokens: what each person may see in search, and how soon a change of
access shows."""

import pytest
from django.db import transaction

from search import access
from search.selectors import audience_tokens
from spaces.models import GrantRole, Role, Space, SpaceMembership
from spaces.services import (
    grant_create,
    grant_revoke,
    invitation_accept,
    invitation_create,
    membership_remove,
    membership_set_role,
    space_create,
    space_update,
)
from tests.profiles.factories import (
    DepartmentFactory,
    ProfileFactory,
    TeamFactory,
    TeamMembershipFactory,
)
from tests.spaces.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return staff()


def new_space(owner, visibility, slug):
    return space_create(
        actor=owner,
        name=slug.replace("-", " ").title(),
        slug=slug,
        department=owner.profile.department,
        visibility=visibility,
    )


def invite(owner, space, user, role=GrantRole.MEMBER):
    invitation = invitation_create(actor=owner, space=space, invitee=user, role=role)
    invitation_accept(actor=user, invitation=invitation)
    return SpaceMembership.objects.get(space=space, user=user)


def test_every_member_of_staff_sees_what_all_staff_see():
    assert audience_tokens(staff()) == ["org"]


def test_a_leaver_and_a_stranger_see_nothing(django_user_model):
    from django.contrib.auth.models import AnonymousUser

    leaver = staff()
    leaver.is_active = False
    leaver.save()
    assert audience_tokens(leaver) == []
    assert audience_tokens(AnonymousUser()) == []


def test_members_see_their_spaces_and_their_sensitive_items(owner):
    private = new_space(owner, Space.Visibility.PRIVATE, "private-one")
    restricted = new_space(owner, Space.Visibility.RESTRICTED, "restricted-one")
    open_space = new_space(owner, Space.Visibility.OPEN, "open-one")

    assert audience_tokens(owner) == [
        "org",
        f"space.{min(private.pk, restricted.pk)}",
        f"space.{max(private.pk, restricted.pk)}",
        *(
            f"space.{pk}.members"
            for pk in sorted([private.pk, restricted.pk, open_space.pk])
        ),
    ]


def test_an_open_space_needs_no_token_of_its_own(owner):
    open_space = new_space(owner, Space.Visibility.OPEN, "open-one")
    # Its content is for all staff ("org"); only its sensitive items are not.
    assert audience_tokens(staff()) == ["org"]
    assert f"space.{open_space.pk}" not in audience_tokens(owner)


def test_a_guest_reads_the_space_but_not_its_sensitive_items(owner):
    space = new_space(owner, Space.Visibility.PRIVATE, "private-one")
    guest = staff()
    invite(owner, space, guest, role=GrantRole.GUEST)
    assert audience_tokens(guest) == ["org", f"space.{space.pk}"]


def test_a_grant_lets_a_department_and_a_team_read_but_not_sensitive_items(owner):
    space = new_space(owner, Space.Visibility.PRIVATE, "private-one")
    department = DepartmentFactory()
    colleague = staff(department=department)
    team = TeamFactory()
    teammate = ProfileFactory(department=team.department)
    TeamMembershipFactory(profile=teammate, team=team)

    grant_create(actor=owner, space=space, role=GrantRole.MEMBER, department=department)
    grant_create(actor=owner, space=space, role=GrantRole.MEMBER, team=team)

    assert audience_tokens(colleague) == ["org", f"space.{space.pk}"]
    assert audience_tokens(teammate.user) == ["org", f"space.{space.pk}"]


def test_tokens_are_worked_out_once_until_access_changes(
    owner, django_assert_num_queries
):
    new_space(owner, Space.Visibility.PRIVATE, "private-one")
    first = audience_tokens(owner)
    with django_assert_num_queries(0):
        assert audience_tokens(owner) == first


def test_joining_a_space_shows_on_the_very_next_query(owner):
    space = new_space(owner, Space.Visibility.PRIVATE, "private-one")
    newcomer = staff()
    assert audience_tokens(newcomer) == ["org"]  # now cached

    invite(owner, space, newcomer)

    assert audience_tokens(newcomer) == [
        "org",
        f"space.{space.pk}",
        f"space.{space.pk}.members",
    ]


def test_being_removed_shows_on_the_very_next_query(owner):
    space = new_space(owner, Space.Visibility.RESTRICTED, "restricted-one")
    member = staff()
    membership = invite(owner, space, member)
    assert f"space.{space.pk}" in audience_tokens(member)

    membership_remove(actor=owner, membership=membership)

    assert audience_tokens(member) == ["org"]


def test_a_new_role_shows_on_the_very_next_query(owner):
    space = new_space(owner, Space.Visibility.PRIVATE, "private-one")
    member = staff()
    membership = invite(owner, space, member)
    assert f"space.{space.pk}.members" in audience_tokens(member)

    membership_set_role(actor=owner, membership=membership, role=Role.GUEST)

    assert audience_tokens(member) == ["org", f"space.{space.pk}"]


def test_a_revoked_grant_shows_on_the_very_next_query(owner):
    space = new_space(owner, Space.Visibility.PRIVATE, "private-one")
    department = DepartmentFactory()
    colleague = staff(department=department)
    grant = grant_create(
        actor=owner, space=space, role=GrantRole.MEMBER, department=department
    )
    assert audience_tokens(colleague) == ["org", f"space.{space.pk}"]

    grant_revoke(actor=owner, grant=grant)

    assert audience_tokens(colleague) == ["org"]


def test_moving_department_shows_on_the_very_next_query(owner):
    space = new_space(owner, Space.Visibility.PRIVATE, "private-one")
    department = DepartmentFactory()
    grant_create(actor=owner, space=space, role=GrantRole.MEMBER, department=department)
    mover = ProfileFactory()
    assert audience_tokens(mover.user) == ["org"]

    mover.department = department
    mover.save()

    assert audience_tokens(mover.user) == ["org", f"space.{space.pk}"]


def test_a_space_made_restricted_shows_on_the_very_next_query(owner):
    space = new_space(owner, Space.Visibility.OPEN, "open-one")
    assert f"space.{space.pk}" not in audience_tokens(owner)

    space_update(actor=owner, space=space, visibility=Space.Visibility.RESTRICTED)

    assert f"space.{space.pk}" in audience_tokens(owner)


def test_an_access_change_moves_the_generation_on_now_and_again_on_commit(
    django_capture_on_commit_callbacks,
):
    start = access.generation()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            access.access_changed()
            # Now, for queries inside the transaction …
            assert access.generation() == start + 1
    # … and on commit, for a query elsewhere that cached the old access
    # while the transaction was open.
    assert access.generation() == start + 2


def test_a_lost_generation_starts_again_from_a_number_never_used(settings):
    from django.core.cache import cache

    before = access.generation()
    cache.delete(access.GENERATION_KEY)
    assert access.generation() > before
