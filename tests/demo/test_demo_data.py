"""The demo data modules agree with each other and with the models."""

from collections import Counter

import pytest

from demo import about, grades, job_titles, names, places, professions, skills
from demo.logins import DEMO_LOGINS
from demo.organisation import BY_ACRONYM, DEPARTMENTS
from profiles.models import Department, Location, Profile, Skill, Team, Weekday
from profiles.services.skills import skill_key

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


def test_several_hundred_skills_each_its_own():
    assert len(skills.ALL) >= 400
    assert set(skills.BY_PROFESSION) == set(professions.ALL)
    keys = Counter(skill_key(name) for name in skills.ALL)
    assert keys.most_common(1)[0][1] == 1, keys.most_common(1)
    for name in skills.ALL:
        assert name == " ".join(name.split())
        assert len(name) <= field_length(Skill, "name")
    for profession, listed in skills.BY_PROFESSION.items():
        assert len(listed) >= 10, profession
        assert len(set(listed)) == len(listed), profession


def test_other_spellings_fold_into_the_skill():
    for name, spelling in skills.PLURAL_SPELLINGS.items():
        assert name in skills.ALL
        assert spelling != name
        assert skill_key(spelling) == skill_key(name), spelling


def test_sites():
    site_names = [site.name for site in places.SITES]
    assert len(set(site_names)) == len(site_names)
    for site in places.SITES:
        assert len(site.name) <= field_length(Location, "name")
        assert len(site.address) <= field_length(Location, "address")
        assert site.city
    assert set(places.BY_DEPARTMENT) == set(BY_ACRONYM)
    for acronym, sites in places.BY_DEPARTMENT.items():
        assert sites and set(sites) <= set(site_names), acronym
        assert len(set(sites)) == len(sites), acronym
    used = {name for sites in places.BY_DEPARTMENT.values() for name in sites}
    assert used == set(site_names)


def test_telephone_numbers_fit_and_are_fictional():
    assert places.landline("London", 7) == "020 7946 0007"
    assert places.landline("Cardiff", 999) == "029 2018 0999"
    assert places.landline("Exeter", 123) == "01632 960123"
    assert places.mobile(42) == "07700 900042"
    assert len(places.landline("Newcastle upon Tyne", 0)) <= field_length(
        Profile, "phone_work"
    )


def test_what_people_write_fits_the_fields():
    for note in (note for _, note in about.PART_TIME_PATTERNS):
        assert len(note) <= field_length(Profile, "working_pattern_note")
    for days, _ in about.PART_TIME_PATTERNS:
        assert set(days) <= set(Weekday.values)
    three = sorted(about.ASK_ME_ABOUT, key=len)[-3:]
    assert len(", ".join(three)) + 5 <= field_length(Profile, "ask_me_about")
    assert len(about.PRONOUNS) == len(about.PRONOUN_WEIGHTS)
    assert all(
        len(pronouns) <= field_length(Profile, "pronouns")
        for pronouns in about.PRONOUNS
    )


def test_short_forms_are_of_names_in_use():
    assert set(names.PREFERRED_NAMES) <= set(names.FIRST_NAMES)


def test_demo_login_profiles_fit_the_organisation():
    for login in DEMO_LOGINS:
        details, person = login.details, login.person
        teams = {team.slug for team, _, _ in BY_ACRONYM[person.department].walk_teams()}
        assert details.location in places.BY_DEPARTMENT[person.department]
        if details.second_team:
            assert details.second_team in teams
            assert details.second_team != person.team
        typed = [
            *details.key_skills,
            *details.other_skills,
            *details.learning_interests,
        ]
        assert {skill_key(name) for name in typed} <= {
            skill_key(name) for name in skills.ALL
        }
        assert details.confirmed_ago is not None
