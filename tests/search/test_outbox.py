"""The outbox: index work is queued in the transaction of the change, and only if
that transaction commits; the profiles services queue what they change."""

import pytest
from django.db import transaction

from intranet.indexing import index_later
from profiles.errors import ProfileError
from profiles.models import Profile
from profiles.services.editing import profile_create, profile_update
from profiles.services.org import team_move, team_update
from profiles.services.skills import skill_merge
from search.models import OutboxEntry
from search.outbox import index_ids_later, work_queued
from tests.profiles.factories import (
    DepartmentFactory,
    ProfileFactory,
    SkillFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def queued() -> list[tuple[str, str]]:
    """(model, object id) of every row in the outbox, oldest first."""
    return [
        (f"{entry.content_type.app_label}.{entry.content_type.model}", entry.object_id)
        for entry in OutboxEntry.objects.select_related("content_type")
    ]


def queued_profiles() -> list[int]:
    return sorted(
        int(object_id) for model, object_id in queued() if model == "profiles.profile"
    )


@pytest.fixture
def it_admin():
    return ProfileFactory(user=UserFactory(it_admin=True)).user


def test_index_later_queues_each_object_once():
    ada, grace = ProfileFactory(), ProfileFactory()
    index_later(ada, grace, ada)
    index_ids_later(Profile, [grace.pk, None, grace.pk])
    assert queued() == [
        ("profiles.profile", str(ada.pk)),
        ("profiles.profile", str(grace.pk)),
        ("profiles.profile", str(grace.pk)),
    ]


def test_a_rolled_back_transaction_queues_nothing():
    ada = ProfileFactory()
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            index_later(ada)
            raise RuntimeError("the change failed")
    assert queued() == []


def test_a_refused_profile_change_queues_nothing():
    ada = ProfileFactory()
    with pytest.raises(ProfileError):
        # The job title is fine, the grade is not: nothing is kept.
        profile_update(
            actor=ada.user, profile=ada, changes={"job_title": "Head", "grade": 0}
        )
    assert queued() == []


def test_a_commit_wakes_the_writer_and_a_rollback_does_not(
    django_capture_on_commit_callbacks,
):
    ada = ProfileFactory()
    work_queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            index_later(ada)
            raise RuntimeError("rolled back")
    assert not work_queued.is_set()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            index_later(ada)
            assert not work_queued.is_set()  # not before the commit
    assert callbacks
    assert work_queued.is_set()


def test_editing_a_profile_queues_it():
    ada = ProfileFactory()
    profile_update(actor=ada.user, profile=ada, changes={"job_title": "Head of Data"})
    assert queued_profiles() == [ada.pk]


def test_an_edit_that_changes_nothing_queues_nothing():
    ada = ProfileFactory(job_title="Analyst")
    profile_update(actor=ada.user, profile=ada, changes={"job_title": "Analyst"})
    assert queued() == []


def test_a_new_profile_is_queued(it_admin):
    newcomer = UserFactory()
    profile = profile_create(
        actor=it_admin, user=newcomer, department=DepartmentFactory()
    )
    assert queued_profiles() == [profile.pk]


def test_renaming_a_team_queues_its_members(it_admin):
    team = TeamFactory(name="Data")
    members = [TeamMembershipFactory(team=team).profile for _ in range(2)]
    ProfileFactory()  # someone in no team

    team_update(actor=it_admin, team=team, name="Data Science", description="")

    assert queued_profiles() == sorted(p.pk for p in members)


def test_describing_a_team_queues_nobody(it_admin):
    team = TeamFactory(name="Data")
    TeamMembershipFactory(team=team)
    team_update(actor=it_admin, team=team, name="Data", description="We do data.")
    assert queued() == []


def test_moving_a_team_queues_everyone_under_it(it_admin):
    team = TeamFactory()
    sub_team = TeamFactory(parent=team)
    elsewhere = TeamFactory()
    members = [
        TeamMembershipFactory(team=team).profile,
        TeamMembershipFactory(team=sub_team).profile,
    ]
    TeamMembershipFactory(team=elsewhere)

    team_move(
        actor=it_admin, team=team, new_parent=None, department=DepartmentFactory()
    )

    assert queued_profiles() == sorted(p.pk for p in members)


def test_merging_skills_queues_everyone_who_listed_either(it_admin):
    source, target = SkillFactory(name="Excel"), SkillFactory(name="Spreadsheets")
    keyed, listed, both = ProfileFactory(), ProfileFactory(), ProfileFactory()
    keyed.key_skills.add(source)
    listed.other_skills.add(target)
    both.key_skills.add(target)
    both.other_skills.add(source)
    ProfileFactory().learning_interests.add(source)  # not in search documents

    skill_merge(actor=it_admin, source=source, target=target)

    assert queued_profiles() == sorted(p.pk for p in (keyed, listed, both))


def test_deactivating_an_account_queues_its_profile():
    ada = ProfileFactory()
    ada.user.is_active = False
    ada.user.save()
    assert queued_profiles() == [ada.pk]


def test_renaming_an_account_queues_its_profile():
    ada = ProfileFactory()
    ada.user.first_name = "Augusta"
    ada.user.save()
    assert queued_profiles() == [ada.pk]


def test_saving_an_account_that_changes_nothing_searchable_queues_nothing():
    ada = ProfileFactory()
    ada.user.save()
    ada.user.email = "augusta@example.gov.uk"
    ada.user.save(update_fields=["last_login", "email"])
    assert queued() == []
