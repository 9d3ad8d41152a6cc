"""`seed_demo`'s spaces on a database of each test's own: added once to a demo
that has none, sized by --spaces, and never to a real organisation."""

import pytest
from django.db.models import Q

from demo import spaces as demo
from demo.logins import DEMO_ADMIN_USERNAME, DEMO_USERNAME
from demo.management.commands.seed_demo import DEFAULT_SPACES
from profiles.models import Department
from spaces.models import Space, SpaceMembership
from tests.demo.seeding import seed_demo

pytestmark = pytest.mark.django_db

PEOPLE = 200


def seed(**options) -> str:
    """Run the command without discussions unless asked."""
    options.setdefault("people", PEOPLE)
    options.setdefault("messages", 0)
    return seed_demo(**options)


def test_a_demo_seeded_without_spaces_gets_them_once():
    seed(spaces=0)
    assert not Space.objects.exists()
    output = seed()
    assert f"Seeded {DEFAULT_SPACES} spaces" in output
    assert Space.objects.count() == DEFAULT_SPACES
    seed()
    assert Space.objects.count() == DEFAULT_SPACES


def test_spaces_option_sizes_the_demo():
    seed(spaces=DEFAULT_SPACES + 6)
    assert Space.objects.count() == DEFAULT_SPACES + 6
    team_spaces = Space.objects.exclude(
        slug__in=[spec.slug for spec in demo.SPACES]
    ).prefetch_related("grants")
    assert len(team_spaces) == 6
    for space in team_spaces:
        (grant,) = space.grants.all()
        assert grant.team.department_id == space.department_id


def test_a_demo_without_invented_staff_still_gets_its_spaces():
    seed(people=0, spaces=DEFAULT_SPACES)
    assert Space.objects.count() == DEFAULT_SPACES
    assert not SpaceMembership.objects.filter(
        ~Q(user__username__in=[DEMO_USERNAME, DEMO_ADMIN_USERNAME])
    ).exists()


def test_a_real_organisation_gets_no_demo_spaces():
    Department.objects.create(
        name="Office of the Advocate General",
        acronym="OAG",
        slug="oag",
        kind=Department.Kind.MINISTERIAL,
    )
    seed()
    assert not Space.objects.exists()
