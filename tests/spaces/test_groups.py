import pytest
from django.contrib.auth.models import Group

from intranet.live.publish import RECHECK
from profiles.models import Profile, TeamMembership
from spaces.groups import (
    group_for_department,
    group_for_team,
    sync_all_groups,
    sync_user_groups,
)
from spaces.models import SpaceAudienceGroup
from tests.profiles.factories import (
    DepartmentFactory,
    ProfileFactory,
    TeamFactory,
    TeamMembershipFactory,
)

pytestmark = pytest.mark.django_db


def audience_groups(user) -> set[int]:
    return set(
        user.groups.filter(space_audience__isnull=False).values_list("pk", flat=True)
    )


def test_a_department_group_is_made_once_and_filled_with_its_active_people():
    department = DepartmentFactory()
    people = ProfileFactory.create_batch(3, department=department)
    leaver = ProfileFactory(department=department)
    leaver.user.is_active = False
    leaver.user.save()
    ProfileFactory()  # another department

    group = group_for_department(department)

    assert group_for_department(department) == group
    assert set(group.user_set.values_list("pk", flat=True)) == {
        p.user_id for p in people
    }


def test_moving_department_moves_the_person_between_groups():
    old, new = DepartmentFactory.create_batch(2)
    old_group, new_group = group_for_department(old), group_for_department(new)
    profile = ProfileFactory(department=old)
    assert audience_groups(profile.user) == {old_group.pk}

    profile.department = new
    profile.save()

    assert audience_groups(profile.user) == {new_group.pk}


def test_joining_and_leaving_a_team_follows_the_team_group():
    team = TeamFactory()
    group = group_for_team(team)
    profile = ProfileFactory(department=team.department)
    membership = TeamMembershipFactory(profile=profile, team=team)
    assert group.pk in audience_groups(profile.user)

    membership.delete()

    assert group.pk not in audience_groups(profile.user)


def test_team_changes_through_the_m2m_manager_follow_too():
    team = TeamFactory()
    group = group_for_team(team)
    profile = ProfileFactory(department=team.department)

    profile.teams.add(team)
    assert group.pk in audience_groups(profile.user)
    profile.teams.remove(team)
    assert group.pk not in audience_groups(profile.user)


def test_deactivation_removes_every_audience_group_and_keeps_others():
    team = TeamFactory()
    profile = ProfileFactory(department=team.department)
    TeamMembershipFactory(profile=profile, team=team)
    group_for_team(team)
    group_for_department(team.department)
    other = Group.objects.create(name="Not an audience")
    profile.user.groups.add(other)
    assert len(audience_groups(profile.user)) == 2

    profile.user.is_active = False
    profile.user.save(update_fields=["is_active"])

    assert audience_groups(profile.user) == set()
    assert profile.user.groups.filter(pk=other.pk).exists()


def test_sync_all_groups_repairs_writes_that_bypassed_signals():
    old, new = DepartmentFactory.create_batch(2)
    team = TeamFactory(department=new)
    old_group, new_group = group_for_department(old), group_for_department(new)
    team_group = group_for_team(team)
    profile = ProfileFactory(department=old)
    # Bulk writes, as the demo loader makes, send no signals.
    Profile.objects.filter(pk=profile.pk).update(department=new)
    TeamMembership.objects.bulk_create([TeamMembership(profile=profile, team=team)])
    assert audience_groups(profile.user) == {old_group.pk}

    sync_all_groups()

    assert audience_groups(profile.user) == {new_group.pk, team_group.pk}


def test_sync_all_groups_takes_a_few_queries_whatever_the_headcount(
    django_assert_max_num_queries,
):
    department = DepartmentFactory()
    group_for_department(department)
    ProfileFactory.create_batch(30, department=department)
    SpaceAudienceGroup.objects.get().group.user_set.clear()

    with django_assert_max_num_queries(6):
        sync_all_groups()

    assert SpaceAudienceGroup.objects.get().group.user_set.count() == 30


def test_sync_user_groups_ignores_unsaved_users():
    sync_user_groups(None)


def test_leaving_a_granted_department_rechecks_live_subscriptions_to_its_spaces(
    captured_events, django_capture_on_commit_callbacks
):
    from spaces.models import GrantRole
    from spaces.services import grant_create
    from tests.spaces.factories import SpaceFactory, add_member, staff

    def rechecked() -> list[int]:
        return [m["space"] for _, m in captured_events.sent if m["type"] == RECHECK]

    granted, elsewhere = DepartmentFactory.create_batch(2)
    space, other_space = SpaceFactory.create_batch(2)
    owner = staff()
    add_member(space, owner, "owner")
    grant_create(actor=owner, space=space, role=GrantRole.MEMBER, department=granted)
    with django_capture_on_commit_callbacks(execute=True):
        profile = ProfileFactory(department=granted)
    assert rechecked() == []  # gaining access needs no re-check

    with django_capture_on_commit_callbacks(execute=True):
        profile.department = elsewhere
        profile.save()

    assert rechecked() == [space.pk]
