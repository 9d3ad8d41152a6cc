"""The People directory: filters, sorting, leavers, hidden locations, query counts."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator

from profiles.models import Profile, Visibility
from profiles.selectors.access import can_see, profile_public_data
from profiles.selectors.directory import SORTS, directory_facets, directory_profiles
from tests.profiles.factories import (
    DepartmentFactory,
    GradeFactory,
    LocationFactory,
    ProfessionFactory,
    ProfileFactory,
    SkillFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer():
    return ProfileFactory().user


def found(viewer, **filters):
    return set(directory_profiles(viewer=viewer, **filters))


def test_lists_current_staff_only(viewer):
    current = ProfileFactory()
    ProfileFactory(user__is_active=False)

    assert found(viewer) == {viewer.profile, current}


def test_filters_by_department(viewer):
    department = DepartmentFactory()
    inside = ProfileFactory(department=department)
    ProfileFactory(department=department, user__is_active=False)

    assert found(viewer, department=department) == {inside}


def test_filters_by_team_members_only_once_each(viewer):
    team = TeamFactory()
    member = TeamMembershipFactory(team=team).profile
    head = TeamMembershipFactory(team=team, is_head=True).profile
    TeamMembershipFactory(team=TeamFactory(parent=team))
    TeamMembershipFactory(team=team, profile__user__is_active=False)

    results = list(directory_profiles(viewer=viewer, team=team))

    assert sorted(results, key=lambda p: p.pk) == [member, head]


def test_filters_by_grade(viewer):
    grade = GradeFactory()
    graded = ProfileFactory(grade=grade)
    ProfileFactory(grade=GradeFactory())

    assert found(viewer, grade=grade) == {graded}


def test_filters_by_profession(viewer):
    policy, digital = ProfessionFactory(), ProfessionFactory()
    both = ProfileFactory()
    both.professions.add(policy, digital)
    ProfileFactory().professions.add(digital)

    assert list(directory_profiles(viewer=viewer, profession=policy)) == [both]


def test_filters_by_a_key_or_other_skill_but_not_a_learning_interest(viewer):
    python = SkillFactory(name="Python")
    key, other, both, learner = (ProfileFactory() for _ in range(4))
    key.key_skills.add(python)
    other.other_skills.add(python)
    both.key_skills.add(python)
    both.other_skills.add(python)
    learner.learning_interests.add(python)

    results = list(directory_profiles(viewer=viewer, skill=python))

    assert len(results) == 3
    assert set(results) == {key, other, both}


def test_filters_combine(viewer):
    department, grade = DepartmentFactory(), GradeFactory()
    match = ProfileFactory(department=department, grade=grade)
    ProfileFactory(department=department)
    ProfileFactory(grade=grade)

    assert found(viewer, department=department, grade=grade) == {match}


# The location filter and each owner's choice of who sees their location


@pytest.mark.parametrize(
    ("visibility", "relation", "shown"),
    [
        (Visibility.EVERYONE, "elsewhere", True),
        (Visibility.EVERYONE, "colleague", True),
        (Visibility.DEPARTMENT, "elsewhere", False),
        (Visibility.DEPARTMENT, "colleague", True),
        (Visibility.DEPARTMENT, "no profile", False),
        (Visibility.NOBODY, "elsewhere", False),
        (Visibility.NOBODY, "colleague", False),
        (Visibility.NOBODY, "IT admin", False),
        (Visibility.NOBODY, "owner", True),
        (Visibility.EVERYONE, "no profile", True),
        (Visibility.EVERYONE, "left", False),
    ],
)
def test_location_filter_shows_only_locations_the_viewer_may_see(
    visibility, relation, shown
):
    building = LocationFactory()
    owner = ProfileFactory(location=building, location_visibility=visibility)
    viewer = {
        "elsewhere": lambda: ProfileFactory().user,
        "colleague": lambda: ProfileFactory(department=owner.department).user,
        "IT admin": lambda: (
            ProfileFactory(department=owner.department, user__it_admin=True).user
        ),
        "owner": lambda: owner.user,
        "no profile": lambda: UserFactory(),
        "left": lambda: (
            ProfileFactory(department=owner.department, user__is_active=False).user
        ),
    }[relation]()

    in_results = owner in found(viewer, location=building)

    assert in_results is shown
    # The same answer as the one rule every page uses.
    assert in_results is can_see(viewer, owner, "location")


def test_location_filter_never_shows_to_anonymous():
    building = LocationFactory()
    ProfileFactory(location=building)

    assert found(AnonymousUser(), location=building) == set()


def test_location_filter_matches_only_that_location(viewer):
    here, there = LocationFactory(), LocationFactory()
    ProfileFactory(location=there)
    local = ProfileFactory(location=here)

    assert found(viewer, location=here) == {local}


# Sorting


def test_sorts_by_surname_then_the_first_name_people_go_by(viewer):
    viewer.profile.delete()
    people = {
        "zoe": ProfileFactory(user__first_name="Zoe", user__last_name="Adams"),
        "al": ProfileFactory(
            user__first_name="Zachary", preferred_name="Al", user__last_name="Adams"
        ),
        "bea": ProfileFactory(user__first_name="Bea", user__last_name="Brown"),
    }

    results = list(directory_profiles(viewer=viewer, sort="name"))

    assert results == [people["al"], people["zoe"], people["bea"]]


def test_sorts_by_grade_most_senior_first_ungraded_last(viewer):
    viewer.profile.delete()
    junior, senior = GradeFactory(rank=1), GradeFactory(rank=9)
    ungraded = ProfileFactory(user__last_name="Adams")
    low = ProfileFactory(grade=junior, user__last_name="Brown")
    high = ProfileFactory(grade=senior, user__last_name="Young")

    assert list(directory_profiles(viewer=viewer, sort="grade")) == [
        high,
        low,
        ungraded,
    ]


def test_sorts_by_department_name(viewer):
    viewer.profile.delete()
    treasury = ProfileFactory(department__name="HM Treasury")
    cabinet = ProfileFactory(department__name="Cabinet Office")

    assert list(directory_profiles(viewer=viewer, sort="department")) == [
        cabinet,
        treasury,
    ]


def test_sorts_by_most_recently_updated(viewer):
    viewer.profile.delete()
    old, new = ProfileFactory(), ProfileFactory()
    Profile.objects.filter(pk=old.pk).update(
        updated_at=new.updated_at - datetime.timedelta(days=3)
    )

    assert list(directory_profiles(viewer=viewer, sort="recently_updated")) == [
        new,
        old,
    ]


def test_every_offered_sort_works_and_an_unknown_one_is_an_error(viewer):
    for sort in SORTS:
        list(directory_profiles(viewer=viewer, sort=sort))
    with pytest.raises(ValueError):
        directory_profiles(viewer=viewer, sort="password")


# Query counts


def populate(size):
    """`size` people across two departments, each with everything a row shows."""
    departments = [DepartmentFactory(), DepartmentFactory()]
    grade, profession = GradeFactory(), ProfessionFactory()
    skills = [SkillFactory() for _ in range(3)]
    building = LocationFactory()
    manager = ProfileFactory(department=departments[0])
    teams = [TeamFactory(department=department) for department in departments]
    for n in range(size):
        department = departments[n % 2]
        profile = ProfileFactory(
            department=department,
            grade=grade,
            line_manager=manager,
            location=building,
            location_visibility=Visibility.DEPARTMENT,
        )
        profile.professions.add(profession)
        profile.key_skills.add(skills[0])
        profile.other_skills.add(skills[1])
        profile.learning_interests.add(skills[2])
        TeamMembershipFactory(profile=profile, team=teams[n % 2], is_head=n < 2)
    return {
        "department": departments[0],
        "skill": skills[0],
        "location": building,
        "profession": profession,
    }


@pytest.mark.parametrize("size", [5, 60])
def test_a_page_of_results_costs_the_same_queries_at_any_size(
    django_assert_max_num_queries, size
):
    filters = populate(size)
    # In the department that may see everyone's location there.
    viewer = ProfileFactory(department=filters["department"]).user

    # A count for the paginator, the page, and five prefetches for the
    # memberships, professions and three kinds of skill.
    with django_assert_max_num_queries(7):
        page = Paginator(
            directory_profiles(viewer=viewer, sort="grade", **filters), 50
        ).get_page(1)
        rows = [profile_public_data(viewer, profile) for profile in page]
    assert len(rows) == (size + 1) // 2
    assert all(row["location"] and row["key_skills"] for row in rows)


@pytest.mark.parametrize("size", [5, 60])
def test_an_unfiltered_page_costs_the_same_queries_at_any_size(
    django_assert_max_num_queries, size
):
    populate(size)
    viewer = ProfileFactory().user

    with django_assert_max_num_queries(7):
        page = Paginator(directory_profiles(viewer=viewer), 50).get_page(1)
        rows = [profile_public_data(viewer, profile) for profile in page]
    assert len(rows) == min(size + 2, 50)


# Facets


def test_facets_offer_every_choice_and_teams_only_for_a_department():
    department = DepartmentFactory(name="B")
    other = DepartmentFactory(name="A")
    team = TeamFactory(department=department)
    TeamFactory(department=other)
    senior, junior = GradeFactory(rank=5), GradeFactory(rank=2)
    profession, building = ProfessionFactory(), LocationFactory()

    everything = directory_facets()
    chosen = directory_facets(department=department)

    assert list(everything.departments) == [other, department]
    assert list(everything.grades) == [junior, senior]
    assert list(everything.professions) == [profession]
    assert list(everything.locations) == [building]
    assert list(everything.teams) == []
    assert list(chosen.teams) == [team]
