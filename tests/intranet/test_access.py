"""The core's access hook: every change to who may see what reaches each app's
subscriber, from a service's call or from the save of a watched row."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from intranet import access
from intranet.live.publish import RECHECK
from profiles.models import Profile, TeamMembership
from search import access as search_access
from search.selectors import audience_tokens
from spaces.groups import sync_all_groups
from spaces.models import GrantRole, SpaceMembership
from spaces.services import grant_create
from tests.profiles.factories import DepartmentFactory, ProfileFactory, TeamFactory
from tests.spaces.factories import SpaceFactory, add_member, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(monkeypatch):
    """The changes subscribers hear, in order (the real subscribers still run)."""
    changes: list[access.AccessChange] = []
    monkeypatch.setattr(access, "_subscribers", [*access._subscribers, changes.append])
    return changes


def test_every_app_subscribes():
    subscribers = {f"{s.__module__}.{s.__qualname__}" for s in access._subscribers}
    assert {
        "intranet.apps._recheck_live_subscriptions",
        "search.access.on_access_changed",
        "spaces.groups.access_changed",
    } <= subscribers


def test_a_call_reaches_every_subscriber_with_what_it_names(heard):
    access.access_changed(spaces=[3, None, 3], users=[7])
    assert heard == [access.AccessChange(frozenset({3}), frozenset({7}))]


def test_a_watched_row_saved_or_deleted_calls_the_hook(heard):
    space = SpaceFactory()
    person = staff()
    heard.clear()
    membership = add_member(space, person)
    assert any(space.pk in change.spaces for change in heard)

    heard.clear()
    SpaceMembership.objects.filter(pk=membership.pk).delete()
    assert any(space.pk in change.spaces for change in heard)


def test_a_save_that_leaves_access_alone_is_not_a_change(heard):
    profile = ProfileFactory()
    heard.clear()
    profile.job_title = "Analyst"
    profile.save(update_fields=["job_title"])
    assert heard == []
    profile.department = DepartmentFactory()
    profile.save(update_fields=["department"])
    assert [change.users for change in heard] == [frozenset({profile.user_id})]


def test_joining_a_team_by_relation_names_the_person(heard):
    profile = ProfileFactory()
    team = TeamFactory(department=profile.department)
    heard.clear()
    profile.teams.add(team)
    assert frozenset({profile.user_id}) in [change.users for change in heard]


def test_a_deactivation_names_the_account(heard):
    user = staff()
    heard.clear()
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert frozenset({user.pk}) in [change.users for change in heard]


def test_the_live_subscriber_rechecks_the_named_spaces_on_commit(
    captured_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        access.access_changed(spaces=[41, 42])
    rechecks = [m for _, m in captured_events.sent if m["type"] == RECHECK]
    assert sorted(m["space"] for m in rechecks) == [41, 42]


def test_the_search_subscriber_moves_the_audience_generation_on():
    before = search_access.generation()
    access.access_changed()
    assert search_access.generation() != before


def test_a_bulk_write_that_calls_the_hook_leaves_no_stale_audience_tokens():
    """Bulk writes send no signals: sync_all_groups, which repairs after them,
    tells the hook, so a person's cached search audience follows at once."""
    department, elsewhere = DepartmentFactory.create_batch(2)
    team = TeamFactory(department=department)
    space = SpaceFactory(visibility="private")
    owner = staff()
    add_member(space, owner, "owner")
    grant_create(actor=owner, space=space, role=GrantRole.MEMBER, team=team)
    profile = ProfileFactory(department=elsewhere)
    token = f"space.{space.pk}"
    assert token not in audience_tokens(profile.user)  # now cached

    TeamMembership.objects.bulk_create([TeamMembership(profile=profile, team=team)])
    assert token not in audience_tokens(profile.user)  # no signal: still cached
    sync_all_groups()

    assert token in audience_tokens(profile.user)


def test_a_profile_deleted_with_its_memberships_is_heard_without_error(heard):
    profile = ProfileFactory()
    TeamMembership.objects.create(profile=profile, team=TeamFactory())
    user_model = get_user_model()
    user_model.objects.filter(pk=profile.user_id).delete()
    assert not Profile.objects.filter(pk=profile.pk).exists()
