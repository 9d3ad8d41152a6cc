"""factory-boy factories for spaces.

They write straight to the database, around the services: use them to arrange a
test, and the services for the behaviour under test. `add_member` gives a person a
role with its guardian permissions, as `membership_set_role` would.
"""

import factory
from guardian.shortcuts import assign_perm

from spaces.models import Role, Space, SpaceMembership
from spaces.roles import permissions_for
from tests.profiles.factories import DepartmentFactory, ProfileFactory


class SpaceFactory(factory.django.DjangoModelFactory):
    """An open space with no members."""

    class Meta:
        model = Space

    name = factory.Sequence(lambda n: f"Space {n}")
    slug = factory.Sequence(lambda n: f"space-{n}")
    description = "A place to work together."
    department = factory.SubFactory(DepartmentFactory)
    visibility = Space.Visibility.OPEN


def add_member(space: Space, user, role: str = Role.MEMBER) -> SpaceMembership:
    membership = SpaceMembership.objects.create(space=space, user=user, role=role)
    for codename in permissions_for(role):
        assign_perm(codename, user, space)
    return membership


def staff(**kwargs):
    """An active member of staff with a profile; returns the user."""
    return ProfileFactory(**kwargs).user
