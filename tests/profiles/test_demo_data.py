"""The demo data modules agree with each other and with the models."""

from collections import Counter

import pytest

from profiles.demo import grades, job_titles, names, professions
from profiles.demo.logins import DEMO_LOGINS
from profiles.demo.organisation import BY_ACRONYM, DEPARTMENTS
from profiles.models import Department, Team

HEADS_OF_BODIES = (Department.Kind.MINISTERIAL, Department.Kind.NON_MINISTERIAL)


def field_length(model, name):
    return model._meta.get_field(name).max_length


def test_about_twenty_departments_with_unique_names():
    assert 18 <= len(DEPARTMENTS) <= 26
    for attribute in ("name", "acronym", "slug", "domain"):
        values = [getattr(department, attribute) for department in DEPARTMENTS]
        assert len(set(values)) == len(values), attribute
    for department in DEPARTMENTS:
        assert len(department.acronym) <= field_length(Department, "acronym")
        assert len(department.slug) <= field_length(Department, "slug")


def test_agencies_and_public_bodies_report_to_a_department():
    for department in DEPARTMENTS:
        if department.kind in HEADS_OF_BODIES:
            assert department.parent is None, department.name
        else:
            assert BY_ACRONYM[department.parent].kind in HEADS_OF_BODIES


@pytest.mark.parametrize("department", DEPARTMENTS, ids=lambda d: d.acronym)
def test_team_trees(department):
    teams = list(department.walk_teams())
    slugs = [team.slug for team, _, _ in teams]
    assert len(set(slugs)) == len(slugs), Counter(slugs).most_common(1)
    assert all(0 < len(slug) <= field_length(Team, "slug") for slug in slugs)
    assert max(depth for _, _, depth in teams) in (1, 2)  # two or three levels
    for team, _, _ in teams:
        assert set(team.professions) <= set(professions.ALL), team.name
        assert team.weight > 0
    assert set(department.professions) <= set(professions.ALL)
    assert department.head_grade in grades.RANK


def test_the_civil_service_professions():
    assert len(professions.ALL) == len(set(professions.ALL)) == 28


def test_every_profession_has_a_title_at_every_grade():
    assert set(job_titles.TITLES) == set(professions.ALL)
    for grade in grades.GRADES:
        for profession in professions.ALL:
            assert job_titles.TITLES[profession][job_titles.band(grade.code)]


def test_grades_rank_from_one_to_twelve():
    assert [grade.rank for grade in grades.GRADES] == list(range(1, 13))
    assert grades.GRADES[0].code == "AA"
    assert grades.GRADES[-1].name == "Permanent Secretary"
    assert set(grades.MEMBER_WEIGHTS) <= set(grades.RANK)


def test_enough_varied_names():
    for listed in (names.FIRST_NAMES, names.LAST_NAMES):
        assert len(listed) >= 300
        assert len(set(listed)) == len(listed)


def test_demo_logins_fit_the_organisation():
    for login in DEMO_LOGINS:
        person = login.person
        department = BY_ACRONYM[person.department]
        assert person.team in {team.slug for team, _, _ in department.walk_teams()}
        assert person.grade in grades.RANK
        assert set(person.professions) <= set(professions.ALL)
    assert [login.is_superuser for login in DEMO_LOGINS] == [False, True]
