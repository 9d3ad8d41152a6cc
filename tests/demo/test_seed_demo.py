"""`manage.py seed_demo` against a real database: runs of the command, each on
the test's own database (tests/demo/test_demo_organisation.py reads one demo
organisation seeded once)."""

import pytest
from django.core.management import CommandError
from django.db import transaction

from demo.loader import ALREADY_SEEDED, NOT_EMPTY
from demo.logins import DEMO_ADMIN_USERNAME, DEMO_PASSWORD, DEMO_USERNAME
from demo.management.commands.seed_demo import DEFAULT_SPACES
from intranet.audit import audit_verify
from intranet.models import AuditEvent
from profiles.models import (
    Department,
    Grade,
    Location,
    Profession,
    Profile,
    Skill,
    Team,
    TeamMembership,
    User,
)
from search.models import OutboxEntry
from spaces.models import (
    Invitation,
    JoinRequest,
    Space,
    SpaceGrant,
    SpaceGroupObjectPermission,
    SpaceMembership,
    SpaceUserObjectPermission,
)
from tests.demo.seeding import seed_demo

pytestmark = pytest.mark.django_db

PEOPLE = 200
LOGINS = 2
SKILL_RELATIONS = ("key_skills", "other_skills", "learning_interests")
PROFILE_CONTENT = (
    "preferred_name",
    "pronouns",
    "languages",
    "working_days",
    "working_pattern_note",
    "working_pattern_visibility",
    "location_visibility",
    "phone_work",
    "phone_mobile",
    "phone_visibility",
    "other_contact",
    "ask_me_about",
    "bio",
)


def seed(**options) -> str:
    """Run the command; without spaces unless asked, since most tests here are
    about the people (tests/demo/test_seed_demo_spaces.py is about the spaces)."""
    options.setdefault("people", PEOPLE)
    options.setdefault("spaces", 0)
    return seed_demo(**options)


def snapshot() -> dict[str, list[tuple]]:
    """Everything seeded, by natural keys: ids differ between databases."""
    people = Profile.objects.values_list(
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "user__date_joined",
        "user__last_login",
        "user__is_active",
        "department__acronym",
        "grade__code",
        "job_title",
        "line_manager__user__username",
        *PROFILE_CONTENT,
        "location__name",
        "confirmed_at",
        "created_at",
        "updated_at",
    )
    memberships = TeamMembership.objects.values_list(
        "profile__user__username", "team__slug", "job_title", "is_head"
    )
    professions = Profile.professions.through.objects.values_list(
        "profile__user__username", "profession__name"
    )
    skill_links = {
        relation: sorted(
            getattr(Profile, relation).through.objects.values_list(
                "profile__user__username", "skill__key"
            )
        )
        for relation in SKILL_RELATIONS
    }
    teams = Team.objects.values_list("department__acronym", "slug", "parent__slug")
    return {
        **spaces_snapshot(),
        "people": sorted(people, key=str),
        "memberships": sorted(memberships),
        "professions": sorted(professions),
        **skill_links,
        "skills": sorted(Skill.objects.values_list("key", "name")),
        "locations": sorted(Location.objects.values_list("name", "address", "city")),
        "teams": sorted(teams, key=str),
    }


def spaces_snapshot() -> dict[str, list[tuple]]:
    spaces = Space.objects.values_list(
        "slug",
        "name",
        "description",
        "department__acronym",
        "visibility",
        "default_marking",
        "archived",
        "created_by__username",
    )
    members = SpaceMembership.objects.values_list(
        "space__slug", "user__username", "role"
    )
    grants = SpaceGrant.objects.values_list(
        "space__slug", "department__acronym", "team__department__acronym", "team__slug"
    )
    requests = JoinRequest.objects.values_list(
        "space__slug", "user__username", "status", "message", "decided_by__username"
    )
    invitations = Invitation.objects.values_list(
        "space__slug", "invitee__username", "invited_by__username", "role", "status"
    )
    return {
        "spaces": sorted(spaces, key=str),
        "space_members": sorted(members),
        "grants": sorted(grants, key=str),
        "join_requests": sorted(requests, key=str),
        "invitations": sorted(invitations, key=str),
    }


def counts() -> dict[str, int]:
    models = (
        User,
        Profile,
        Department,
        Team,
        Grade,
        Profession,
        Skill,
        Location,
        TeamMembership,
        Space,
        SpaceMembership,
        SpaceGrant,
        JoinRequest,
        Invitation,
        SpaceUserObjectPermission,
        SpaceGroupObjectPermission,
        AuditEvent,
        OutboxEntry,
    )
    return {model.__name__: model.objects.count() for model in models}


def seeded_then_rolled_back(**options) -> dict[str, list[tuple]]:
    """Seed an empty database, snapshot it, and leave it empty again."""
    with transaction.atomic():
        seed(**options)
        rows = snapshot()
        transaction.set_rollback(True)
    assert counts()["Profile"] == 0
    return rows


def test_same_seed_gives_the_same_organisation():
    first = seeded_then_rolled_back(seed=11, spaces=DEFAULT_SPACES)
    second = seeded_then_rolled_back(seed=11, spaces=DEFAULT_SPACES)
    assert first == second
    assert len({row[0] for row in first["people"]}) == PEOPLE + LOGINS
    assert len(first["spaces"]) == DEFAULT_SPACES
    assert len(first["space_members"]) > 5 * DEFAULT_SPACES


def test_another_seed_gives_other_people():
    first = {row[:3] for row in seeded_then_rolled_back(seed=11)["people"]}
    other = {row[:3] for row in seeded_then_rolled_back(seed=12)["people"]}
    assert len(first & other) < PEOPLE / 2


def test_second_run_changes_nothing():
    seed(spaces=DEFAULT_SPACES)
    before, numbers = snapshot(), counts()
    assert numbers["Space"] == DEFAULT_SPACES

    output = seed(people=PEOPLE * 2, seed=99, spaces=DEFAULT_SPACES + 5)

    assert output.strip() == ALREADY_SEEDED
    assert counts() == numbers
    assert snapshot() == before


def test_a_real_organisation_is_left_alone():
    Department.objects.create(
        name="Office of the Advocate General",
        acronym="OAG",
        slug="oag",
        kind=Department.Kind.MINISTERIAL,
    )
    assert seed().strip() == NOT_EMPTY
    assert counts()["User"] == 0


def test_existing_usernames_are_not_reused():
    first_person = seeded_then_rolled_back()["people"][0][0]
    existing = User.objects.create_user(first_person)
    seed()
    assert Profile.objects.count() == PEOPLE + LOGINS
    assert not Profile.objects.filter(user=existing).exists()
    assert Profile.objects.filter(user__username=f"{first_person}2").exists()


def test_people_count_is_honoured():
    seed(people=57)
    assert Profile.objects.count() == 57 + LOGINS
    assert User.objects.count() == 57 + LOGINS


def test_leavers_keep_their_profile_but_lead_and_manage_no_one():
    seed(people=1000)
    leavers = Profile.objects.filter(user__is_active=False)
    assert leavers.exists()
    assert not Profile.objects.filter(line_manager__in=leavers).exists()
    assert not TeamMembership.objects.filter(profile__in=leavers, is_head=True).exists()


def test_new_sign_ins_are_on_the_audit_record():
    seed(seed=11)
    event = AuditEvent.objects.get(action="demo.seed")
    assert event.actor is None
    assert event.details["seed"] == 11
    assert {
        "username": DEMO_ADMIN_USERNAME,
        "is_staff": True,
        "is_superuser": True,
    } in (event.details["logins"])
    assert list(audit_verify()) == []
    assert AuditEvent.objects.count() == 1
    seed()
    assert AuditEvent.objects.count() == 1


def test_output_gives_counts_and_sign_ins():
    output = seed(spaces=3)
    assert f"Seeded {PEOPLE + LOGINS} people in" in output
    assert "Seeded 3 spaces (1 open, 1 restricted, 1 private) with" in output
    assert f"{DEMO_USERNAME} / {DEMO_PASSWORD}" in output
    assert f"{DEMO_ADMIN_USERNAME} / {DEMO_PASSWORD}" in output


def test_quiet_at_verbosity_zero():
    assert seed(verbosity=0) == ""
    assert seed(verbosity=0) == ""


def test_refuses_production_mode(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="production mode"):
        seed()
    assert counts()["User"] == 0


def test_production_mode_when_allowed(settings):
    settings.DEBUG = False
    seed(people=10, allow_production=True)
    assert Profile.objects.count() == 10 + LOGINS


def test_small_batches_give_the_same_organisation():
    assert seeded_then_rolled_back(batch_size=7) == seeded_then_rolled_back()
