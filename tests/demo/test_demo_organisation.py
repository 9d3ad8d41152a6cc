"""The demo organisation `manage.py seed_demo` writes, seeded once for the
module: its departments, teams, people and profiles are realistic and agree with
each other, and its two sign-ins work."""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from demo import places
from demo import skills as demo_skills
from demo.logins import DEMO_ADMIN_USERNAME, DEMO_PASSWORD, DEMO_USERNAME
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
    Visibility,
)
from profiles.services.freshness import completeness, is_stale, stale_filter
from profiles.services.skills import skill_key
from tests.demo.seeding import seed_demo, seeded_for_module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("organisation")]

PEOPLE = 200
LOGINS = 2
# Ofcom's ranges for drama: numbers that can never ring anyone.
DRAMA_LANDLINE = re.compile(
    r"020 7946 0\d{3}|01(1[3-8]|[2-6]1) 496 0\d{3}|0191 498 0\d{3}"
    r"|029 2018 0\d{3}|028 9018 0\d{3}|01632 960\d{3}"
)
DRAMA_MOBILE = re.compile(r"07700 900\d{3}")


@pytest.fixture(scope="module")
def organisation(django_db_setup, django_db_blocker):
    """The people without spaces (tests/demo/test_demo_spaces.py has those)."""
    with seeded_for_module(
        django_db_blocker, lambda: seed_demo(people=PEOPLE, spaces=0)
    ) as output:
        yield output


def test_about_twenty_departments_and_agencies_report_to_a_department():
    assert 18 <= Department.objects.count() <= 26
    for department in Department.objects.select_related("parent"):
        if department.kind in (Department.Kind.AGENCY, Department.Kind.PUBLIC_BODY):
            assert department.parent is not None, department
            assert department.parent.parent is None
        else:
            assert department.parent is None, department


def test_grades_run_from_administrative_assistant_to_permanent_secretary():
    grades = list(Grade.objects.order_by("rank").values_list("rank", "code", "name"))
    assert [rank for rank, _, _ in grades] == list(range(1, 13))
    assert [code for _, code, _ in grades][:7] == [
        "AA",
        "AO",
        "EO",
        "HEO",
        "SEO",
        "G7",
        "G6",
    ]
    assert grades[0][2] == "Administrative Assistant"
    assert grades[-1][2] == "Permanent Secretary"


def test_the_civil_service_professions():
    assert Profession.objects.count() == 28
    assert Profession.objects.filter(name="Digital, Data and Technology").exists()
    assert all(
        1 <= profile.professions.count() <= 2 for profile in Profile.objects.all()
    )


def test_teams_belong_to_their_department():
    for team in Team.objects.select_related("parent"):
        if team.parent is not None:
            assert team.parent.department_id == team.department_id
    assert TeamMembership.objects.exists()
    assert not TeamMembership.objects.exclude(
        team__department=F("profile__department")
    ).exists()


def test_managers_are_more_senior_and_in_the_same_department():
    profiles = Profile.objects.select_related("grade", "line_manager__grade").filter(
        line_manager__isnull=False
    )
    assert profiles.count() > PEOPLE / 2
    for profile in profiles:
        assert profile.line_manager.grade.rank > profile.grade.rank
        assert profile.line_manager.department_id == profile.department_id


def test_management_has_no_cycles_and_one_head_per_department():
    manager_of = dict(Profile.objects.values_list("id", "line_manager_id"))
    for start in manager_of:
        seen = {start}
        current = manager_of[start]
        while current is not None:
            assert current not in seen, "a management cycle"
            seen.add(current)
            current = manager_of[current]
    heads = Profile.objects.filter(line_manager__isnull=True)
    assert heads.count() == Department.objects.count()
    assert heads.values("department").distinct().count() == heads.count()


def test_everyone_works_in_a_team_with_their_title_and_a_few_in_two():
    memberships = Counter(TeamMembership.objects.values_list("profile", flat=True))
    assert set(memberships) == set(Profile.objects.values_list("id", flat=True))
    in_two = sum(1 for count in memberships.values() if count == 2)
    assert 0 < in_two < PEOPLE / 10
    assert max(memberships.values()) == 2
    titled = TeamMembership.objects.filter(job_title=F("profile__job_title"))
    assert titled.values("profile").distinct().count() == PEOPLE + LOGINS


def test_each_team_is_headed_by_the_manager_at_its_top():
    manager_of = dict(Profile.objects.values_list("id", "line_manager_id"))
    head_of: dict[int, int] = {}
    for team, profile in TeamMembership.objects.filter(is_head=True).values_list(
        "team", "profile"
    ):
        assert team not in head_of, "two heads of one team"
        head_of[team] = profile
    # Each person's first membership is the team they were placed in; a second
    # one is extra work elsewhere.
    first_team = {}
    for profile, team in TeamMembership.objects.order_by("id").values_list(
        "profile", "team"
    ):
        first_team.setdefault(profile, team)
    assert set(first_team.values()) == set(head_of)
    for profile, team in first_team.items():
        chain, current = [], profile
        while current is not None:
            chain.append(current)
            current = manager_of[current]
        assert head_of[team] in chain, "a team member outside their head's line"
    # The head of a department heads its office.
    for top in Profile.objects.filter(line_manager__isnull=True):
        assert top.memberships.get().is_head


def test_skills_are_normalised_shared_and_from_the_demo_list():
    skills = list(Skill.objects.all())
    assert len(skills) > 100
    for skill in skills:
        assert skill.key == skill_key(skill.name)
        assert skill.name in demo_skills.ALL, skill.name
    key_links = Profile.key_skills.through.objects
    assert key_links.count() > 2 * PEOPLE
    most_shared = Counter(key_links.values_list("skill", flat=True)).most_common(1)
    assert most_shared[0][1] >= 10
    # A skill is a key skill or an other skill of a person, not both.
    assert not Profile.other_skills.through.objects.filter(
        profile__key_skills=F("skill")
    ).exists()


def test_profiles_range_from_complete_to_empty_and_fresh_to_stale():
    profiles = Profile.objects.filter(user__is_active=True)
    total = profiles.count()

    def share(queryset) -> float:
        return queryset.count() / total

    assert 0.1 < share(profiles.filter(stale_filter())) < 0.5
    assert 0.05 < share(profiles.filter(confirmed_at__isnull=True)) < 0.4
    assert 0.01 < share(profiles.filter(user__last_login__isnull=True)) < 0.2
    assert 0.05 < share(profiles.filter(key_skills__isnull=True)) < 0.3

    scores = [
        completeness(profile).score
        for profile in profiles.prefetch_related(
            "memberships", "key_skills", "professions"
        )
    ]
    assert min(scores) <= 50
    assert sum(score >= 80 for score in scores) > total / 4

    # Dates agree with each other: a profile is as old as its owner's time here,
    # and confirming it needed a sign-in.
    for profile in profiles.select_related("user"):
        assert profile.created_at == profile.user.date_joined
        if profile.confirmed_at is not None:
            assert profile.created_at <= profile.confirmed_at <= timezone.now()
            assert profile.user.last_login >= profile.confirmed_at
            assert profile.updated_at == profile.confirmed_at


def test_most_share_their_details_with_everyone_some_with_fewer():
    for field in ("location_visibility", "working_pattern_visibility"):
        chosen = Counter(Profile.objects.values_list(field, flat=True))
        assert (
            chosen[Visibility.EVERYONE]
            > chosen[Visibility.DEPARTMENT]
            > chosen[Visibility.NOBODY]
            > 0
        ), field
    phones = Counter(
        Profile.objects.exclude(phone_work="").values_list(
            "phone_visibility", flat=True
        )
    )
    assert phones[Visibility.EVERYONE] > phones[Visibility.NOBODY] > 0
    assert phones[Visibility.DEPARTMENT] > 0


def test_phone_numbers_are_from_ofcom_drama_ranges():
    landlines = Profile.objects.exclude(phone_work="").values_list(
        "phone_work", flat=True
    )
    mobiles = Profile.objects.exclude(phone_mobile="").values_list(
        "phone_mobile", flat=True
    )
    assert landlines and mobiles
    assert all(DRAMA_LANDLINE.fullmatch(number) for number in landlines)
    assert all(DRAMA_MOBILE.fullmatch(number) for number in mobiles)


def test_people_work_at_their_own_bodys_sites():
    located = Profile.objects.filter(location__isnull=False).values_list(
        "department__acronym", "location__name"
    )
    assert len(located) > PEOPLE / 2
    for acronym, site in located:
        assert site in places.BY_DEPARTMENT[acronym]
    assert Location.objects.count() == len(places.SITES)


def test_demo_user_has_a_complete_fresh_profile():
    demo = Profile.objects.get(user__username=DEMO_USERNAME)
    assert not is_stale(demo)
    assert timezone.now() - demo.confirmed_at < timedelta(days=7)
    missing = {prompt.field for prompt in completeness(demo).missing}
    # A photo is the one thing a demo cannot make up for someone.
    assert missing == {"photo"}
    assert demo.memberships.count() == 2
    assert demo.key_skills.count() == 5
    assert demo.location.name == "70 Whitehall, London"


def test_demo_user_signs_in_and_reaches_the_home_page(client):
    assert client.login(username=DEMO_USERNAME, password=DEMO_PASSWORD)
    assert client.get("/").status_code == 200

    demo = User.objects.select_related("profile__department", "profile__grade").get(
        username=DEMO_USERNAME
    )
    assert not demo.is_staff and not demo.is_superuser
    assert demo.profile.department.acronym == "CO"
    assert demo.profile.grade.code == "G7"
    assert demo.profile.line_manager is not None


def test_demo_admin_reaches_the_admin_site(client):
    assert client.login(username=DEMO_ADMIN_USERNAME, password=DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_invented_staff_cannot_sign_in():
    staff = User.objects.exclude(username__in=[DEMO_USERNAME, DEMO_ADMIN_USERNAME])
    assert not any(user.has_usable_password() for user in staff[:50])
