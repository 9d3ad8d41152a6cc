"""factory-boy factories for people and the organisation, shared by the profile tests.

They write straight to the database, around the services: use them to arrange a
test, and the services for the behaviour under test.
"""

import factory
from django.contrib.auth.models import Permission
from django.utils.text import slugify

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
from profiles.services.skills import skill_key


class UserFactory(factory.django.DjangoModelFactory):
    """An active account with no usable password; `UserFactory(it_admin=True)`
    grants `profiles.manage_access`."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.gov.uk")
    password = "!"  # Django's marker for an unusable password

    @factory.post_generation
    def it_admin(user, create, extracted, **kwargs):
        if create and extracted:
            user.user_permissions.add(
                Permission.objects.get(
                    content_type__app_label="profiles", codename="manage_access"
                )
            )


class DepartmentFactory(factory.django.DjangoModelFactory):
    """A ministerial department with a unique name, acronym and slug."""

    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Department {n}")
    acronym = factory.Sequence(lambda n: f"D{n}")
    slug = factory.LazyAttribute(lambda department: slugify(department.name))
    kind = Department.Kind.MINISTERIAL


class TeamFactory(factory.django.DjangoModelFactory):
    """A team; with a `parent`, it is placed in the parent's department."""

    class Meta:
        model = Team

    parent = None
    department = factory.Maybe(
        "parent",
        yes_declaration=factory.SelfAttribute("parent.department"),
        no_declaration=factory.SubFactory(DepartmentFactory),
    )
    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.LazyAttribute(lambda team: slugify(team.name))


class GradeFactory(factory.django.DjangoModelFactory):
    """A grade with a unique code and rank (higher rank is more senior)."""

    class Meta:
        model = Grade

    code = factory.Sequence(lambda n: f"GR{n}")
    name = factory.LazyAttribute(lambda grade: f"Grade {grade.code}")
    rank = factory.Sequence(lambda n: n + 1)


class ProfessionFactory(factory.django.DjangoModelFactory):
    """A civil service profession."""

    class Meta:
        model = Profession

    name = factory.Sequence(lambda n: f"Profession {n}")
    slug = factory.LazyAttribute(lambda profession: slugify(profession.name))


class LocationFactory(factory.django.DjangoModelFactory):
    """A building where people work."""

    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"Building {n}")
    city = "London"


class SkillFactory(factory.django.DjangoModelFactory):
    """A skill keyed as the skills service keys it; the same key returns the same
    skill."""

    class Meta:
        model = Skill
        django_get_or_create = ("key",)

    name = factory.Sequence(lambda n: f"Skill {n}")
    key = factory.LazyAttribute(lambda skill: skill_key(skill.name))


class ProfileFactory(factory.django.DjangoModelFactory):
    """A current member of staff's profile, with its own user and department."""

    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)
    job_title = "Policy adviser"


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    """A membership of a team in the member's own department."""

    class Meta:
        model = TeamMembership

    profile = factory.SubFactory(ProfileFactory)
    team = factory.SubFactory(
        TeamFactory, department=factory.SelfAttribute("..profile.department")
    )
    job_title = ""
    is_head = False
