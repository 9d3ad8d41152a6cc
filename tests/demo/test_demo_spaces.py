"""The demo organisation's spaces: the data agrees with the organisation, and
`seed_demo` writes it as the spaces services would, once (seeded once for the
module; tests/demo/test_seed_demo_spaces.py runs the command on other databases)."""

import re
from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType

from demo import spaces as demo
from demo.logins import DEMO_ADMIN_USERNAME, DEMO_USERNAME
from demo.management.commands.seed_demo import DEFAULT_SPACES
from demo.organisation import BY_ACRONYM
from demo.spaces_loader import ALREADY_SEEDED
from intranet.audit import audit_verify
from intranet.models import AuditEvent, Notification
from profiles.models import Profile, TeamMembership, User
from search.models import OutboxEntry
from spaces import selectors
from spaces.models import (
    Invitation,
    JoinRequest,
    Marking,
    Role,
    Space,
    SpaceGrant,
    SpaceGroupObjectPermission,
    SpaceMembership,
    SpaceUserObjectPermission,
)
from spaces.roles import GRANT_PERMISSIONS, permissions_for
from tests.demo.seeding import seed_demo, seeded_for_module

PEOPLE = 200
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PENDING = "pending"


def by_name(name: str) -> demo.SpaceSpec:
    (spec,) = (spec for spec in demo.SPACES if spec.name == name)
    return spec


# The data -----------------------------------------------------------------------


def test_a_realistic_handful_with_unique_names_and_web_addresses():
    assert 12 <= len(demo.SPACES) <= 20
    names = [spec.name.lower() for spec in demo.SPACES]
    slugs = [spec.slug for spec in demo.SPACES]
    assert len(set(names)) == len(names)
    assert len(set(slugs)) == len(slugs)
    for spec in demo.SPACES:
        assert len(spec.name) <= Space._meta.get_field("name").max_length
        assert SLUG.match(spec.slug), spec.slug


def test_the_first_three_are_one_of_each_kind():
    assert [spec.visibility for spec in demo.SPACES[:3]] == [
        Space.Visibility.OPEN,
        Space.Visibility.RESTRICTED,
        Space.Visibility.PRIVATE,
    ]


@pytest.mark.parametrize("spec", demo.SPACES, ids=lambda spec: spec.slug)
def test_each_space_fits_the_organisation_and_the_rules(spec):
    assert spec.visibility in Space.Visibility.values
    assert spec.marking in Marking.values
    assert spec.department in BY_ACRONYM
    assert spec.department in spec.draw_from
    assert set(spec.draw_from) <= set(BY_ACRONYM)
    for grant in spec.grants:
        assert grant.role in (demo.MEMBER, demo.GUEST)
        teams = {team.slug for team, _, _ in BY_ACRONYM[grant.department].walk_teams()}
        assert not grant.team or grant.team in teams, grant
    # Only restricted spaces take requests; anyone else waits for an invitation.
    if spec.demo == demo.REQUESTED:
        assert spec.visibility == Space.Visibility.RESTRICTED
    if spec.waiting:
        assert spec.visibility != Space.Visibility.OPEN
    assert spec.demo in ("", *Role.values, demo.REQUESTED, demo.INVITED)


def test_the_demo_sign_in_has_every_part_once():
    parts = Counter(spec.demo for spec in demo.SPACES if spec.demo)
    for part in (demo.OWNER, demo.MODERATOR, demo.GUEST, demo.REQUESTED):
        assert parts[part] == 1, part
    assert parts[demo.INVITED] == 1
    assert parts[demo.MEMBER] >= 1


def test_more_spaces_than_written_by_hand_are_team_spaces():
    specs = demo.space_specs(len(demo.SPACES) + 40)
    assert specs[: len(demo.SPACES)] == list(demo.SPACES)
    extra = specs[len(demo.SPACES) :]
    assert len(extra) == 40
    assert {spec.visibility for spec in extra} == set(Space.Visibility.values)
    for spec in extra:
        (grant,) = spec.grants
        assert grant.team and grant.department == spec.department
    assert len({spec.slug for spec in specs}) == len(specs)
    assert demo.space_specs(2) == list(demo.SPACES[:2])


# The seeded spaces --------------------------------------------------------------


def seed(**options) -> str:
    """Run the command without discussions unless asked: they are
    tests/demo/test_demo_messages.py's, and cost a second a seed."""
    options.setdefault("people", PEOPLE)
    options.setdefault("messages", 0)
    return seed_demo(**options)


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    with seeded_for_module(django_db_blocker, seed, on_commit=True):
        yield


@pytest.fixture
def seeded(seeded_once, db):
    return {space.slug: space for space in Space.objects.all()}


@pytest.fixture
def demo_user(seeded):
    return User.objects.get(username=DEMO_USERNAME)


def test_spaces_of_all_three_kinds_with_grants(seeded):
    assert len(seeded) == DEFAULT_SPACES
    kinds = Counter(space.visibility for space in seeded.values())
    assert set(kinds) == set(Space.Visibility.values)
    assert SpaceGrant.objects.filter(department__isnull=False).exists()
    assert SpaceGrant.objects.filter(team__isnull=False).exists()
    assert set(SpaceGrant.objects.values_list("role", flat=True)) == {"member", "guest"}
    sensitive = seeded[by_name("Spending review 2027 (sensitive)").slug]
    assert sensitive.visibility == Space.Visibility.PRIVATE
    assert sensitive.default_marking == Marking.OFFICIAL_SENSITIVE
    assert seeded[by_name("Census 2021 lessons").slug].archived


def test_every_role_and_members_from_several_departments(seeded):
    assert set(SpaceMembership.objects.values_list("role", flat=True)) == set(
        Role.values
    )
    # Services refuse leavers; the IT admin sign-in is for the admin site.
    assert not SpaceMembership.objects.filter(user__is_active=False).exists()
    assert not SpaceMembership.objects.filter(
        user__username=DEMO_ADMIN_USERNAME
    ).exists()
    for space in seeded.values():
        assert space.memberships.filter(role=Role.OWNER).exists(), space
        departments = set(
            Profile.objects.filter(user__space_memberships__space=space).values_list(
                "department", flat=True
            )
        )
        if space.memberships.count() >= 6:
            assert len(departments) >= 2, space


def test_memberships_follow_the_data(seeded):
    for spec in demo.SPACES:
        space = seeded[spec.slug]
        assert space.name == spec.name
        assert space.department.acronym == spec.department
        assert space.visibility == spec.visibility
        assert space.memberships.count() == spec.size + (
            spec.demo in (demo.MODERATOR, demo.MEMBER, demo.GUEST)
        )
        grants = {
            (grant.audience.department.acronym, grant.team.slug, grant.role)
            if grant.team_id
            else (grant.department.acronym, "", grant.role)
            for grant in space.grants.select_related("department", "team__department")
        }
        assert grants == {(g.department, g.team, g.role) for g in spec.grants}


def test_guardian_permissions_match_roles_and_grants(seeded):
    held: dict[tuple[int, int], set[str]] = {}
    for space_id, user_id, codename in SpaceUserObjectPermission.objects.values_list(
        "content_object", "user", "permission__codename"
    ):
        held.setdefault((space_id, user_id), set()).add(codename)
    roles = {
        (space_id, user_id): role
        for space_id, user_id, role in SpaceMembership.objects.values_list(
            "space", "user", "role"
        )
    }
    assert set(held) == set(roles)
    for key, role in roles.items():
        assert held[key] == set(permissions_for(role)), key

    for grant in SpaceGrant.objects.select_related("department", "team"):
        audience = grant.department or grant.team
        group = audience.space_audience.group
        codenames = set(
            SpaceGroupObjectPermission.objects.filter(
                group=group, content_object=grant.space
            ).values_list("permission__codename", flat=True)
        )
        assert codenames == set(GRANT_PERMISSIONS[grant.role])


def test_granted_groups_hold_exactly_their_current_people(seeded):
    for grant in SpaceGrant.objects.select_related("department", "team"):
        if grant.department_id:
            expected = Profile.objects.filter(
                department=grant.department, user__is_active=True
            ).values_list("user", flat=True)
            group = grant.department.space_audience.group
        else:
            expected = TeamMembership.objects.filter(
                team=grant.team, profile__user__is_active=True
            ).values_list("profile__user", flat=True)
            group = grant.team.space_audience.group
        assert set(group.user_set.values_list("pk", flat=True)) == set(expected)


def test_everything_is_on_the_audit_record_and_queued_for_search(seeded):
    assert list(audit_verify()) == []
    assert AuditEvent.objects.filter(action="space.create").count() == len(seeded)
    assert AuditEvent.objects.filter(
        action="space.membership.add"
    ).count() == SpaceMembership.objects.count() - len(seeded)
    assert (
        AuditEvent.objects.filter(action="space.grant.create").count()
        == SpaceGrant.objects.count()
    )
    assert not AuditEvent.objects.filter(action="space.denied").exists()
    queued = set(
        OutboxEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Space)
        ).values_list("object_id", flat=True)
    )
    assert queued == {str(space.pk) for space in seeded.values()}


def test_the_demo_sign_in_owns_moderates_belongs_and_waits(seeded, demo_user):
    roles = dict(
        SpaceMembership.objects.filter(user=demo_user).values_list(
            "space__name", "role"
        )
    )
    assert roles["Service Standard assessors"] == Role.OWNER
    assert roles["Data science community"] == Role.MODERATOR
    assert roles["Procurement reform"] == Role.MEMBER
    assert roles["Freedom of information practitioners"] == Role.GUEST

    (request,) = JoinRequest.objects.filter(user=demo_user)
    assert (request.space.name, request.status) == (
        "AI in government working group",
        PENDING,
    )
    (invitation,) = Invitation.objects.filter(invitee=demo_user, status=PENDING)
    assert (invitation.space.name, invitation.status) == (
        "Crossgov rollout board",
        PENDING,
    )
    owned = seeded[by_name("Service Standard assessors").slug]
    assert owned.join_requests.filter(status=PENDING).count() == 2
    assert selectors.can_manage(demo_user, owned)


def test_the_demo_sign_in_sees_what_a_member_of_staff_would(seeded, demo_user):
    rollout = seeded[by_name("Crossgov rollout board").slug]
    sensitive = seeded[by_name("Spending review 2027 (sensitive)").slug]
    # Invited is not yet in: a private space stays hidden until accepted.
    assert not selectors.can_view_space(demo_user, rollout)
    assert not selectors.can_view_space(demo_user, sensitive)
    # In through the Data Science Hub's team grant as well as their own role.
    data = seeded[by_name("Data science community").slug]
    assert data.grants.filter(team__slug="data-science-hub").exists()
    assert selectors.can_post(demo_user, data)


def test_the_demo_sign_in_has_notifications_to_read(seeded, demo_user):
    texts = list(
        Notification.objects.filter(recipient=demo_user).values_list("text", flat=True)
    )
    owned = seeded[by_name("Service Standard assessors").slug]
    asked = [
        text for text in texts if "asked to join Service Standard assessors" in text
    ]
    assert len(asked) == owned.join_requests.count() > 2
    assert any(
        text.endswith("invited you to join Crossgov rollout board as a member")
        for text in texts
    )
    # Their own request is still waiting: no answer yet.
    assert not any("Your request to join" in text for text in texts)


def space_counts() -> dict[str, int]:
    models = (
        Space,
        SpaceMembership,
        SpaceGrant,
        JoinRequest,
        Invitation,
        SpaceUserObjectPermission,
        AuditEvent,
        Notification,
        OutboxEntry,
    )
    return {model.__name__: model.objects.count() for model in models}


def test_a_second_run_adds_nothing(seeded, django_capture_on_commit_callbacks):
    before = space_counts()
    with django_capture_on_commit_callbacks(execute=True):
        output = seed(spaces=DEFAULT_SPACES + 10, seed=5)
    assert space_counts() == before
    assert ALREADY_SEEDED not in output
    assert ALREADY_SEEDED in seed(verbosity=2)
