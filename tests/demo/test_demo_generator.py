"""The demo generator on its own: no database."""

import pickle
import re
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from demo import professions
from demo.generator import apportion, apportion_teams, generate_people
from demo.grades import RANK
from demo.logins import DEMO_LOGINS
from demo.organisation import BY_ACRONYM, DEPARTMENTS

FIXED = [login.person for login in DEMO_LOGINS]
FIXED_USERNAMES = {person.username for person in FIXED}
USERNAME = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
TEAM_SLUGS = {
    department.acronym: {team.slug for team, _, _ in department.walk_teams()}
    for department in DEPARTMENTS
}


def people(count, seed=2026, **options):
    return generate_people(count=count, seed=seed, fixed=FIXED, **options)


def test_same_seed_same_bytes():
    assert pickle.dumps(people(500, seed=5)) == pickle.dumps(people(500, seed=5))


def test_other_seed_other_people():
    first = {person.username for person in people(500, seed=5)}
    other = {person.username for person in people(500, seed=6)}
    assert len(first & other) < 250


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**64), count=st.integers(0, 700))
def test_any_seed_and_size_gives_a_sound_organisation(seed, count):
    staff = people(count, seed=seed)
    assert len(staff) == count + len(FIXED)
    usernames = [person.username for person in staff]
    assert len(set(usernames)) == len(usernames)

    for position, person in enumerate(staff):
        assert USERNAME.match(person.username), person.username
        assert person.email.startswith(person.username + "@")
        assert person.email.endswith(".example")
        assert person.team in TEAM_SLUGS[person.department]
        assert 1 <= len(person.professions) == len(set(person.professions)) <= 2
        assert set(person.professions) <= set(professions.ALL)
        assert person.job_title
        if person.manager is not None:
            manager = staff[person.manager]
            # Managers come first, so a loader always knows the manager's id.
            assert person.manager < position
            assert RANK[manager.grade] > RANK[person.grade]
            assert manager.department == person.department

    # Following managers upwards always ends, at the one head of the department.
    heads = Counter()
    for person in staff:
        steps = 0
        while person.manager is not None:
            person = staff[person.manager]
            steps += 1
            assert steps <= len(RANK)
        heads[person.department, person.username] += 1
    departments_with_people = {person.department for person in staff}
    assert len(heads) == len(departments_with_people)

    # Every staffed team has one head, who outranks everyone else placed in it.
    team_heads = Counter(
        (person.department, person.team) for person in staff if person.is_head
    )
    for person in staff:
        team = (person.department, person.team)
        if person.username in FIXED_USERNAMES and team not in team_heads:
            continue  # a demo login in a team too small to staff
        assert team_heads[team] == 1, team
    head_rank = {
        (person.department, person.team): RANK[person.grade]
        for person in staff
        if person.is_head
    }
    for person in staff:
        if not person.is_head and (person.department, person.team) in head_rank:
            assert RANK[person.grade] < head_rank[person.department, person.team]
    for person in staff:
        if person.manager is None and person.username not in FIXED_USERNAMES:
            assert person.is_head  # of their department's office


def test_grades_form_a_pyramid():
    grades = Counter(person.grade for person in people(5000))
    middle = grades["EO"] + grades["HEO"] + grades["SEO"]
    senior = sum(n for code, n in grades.items() if code.startswith("SCS"))
    assert middle > 0.45 * 5000
    assert senior < 0.03 * 5000
    assert grades["G7"] > grades["G6"] > grades["SCS1"] > grades["SCS2"]


def test_every_department_has_a_head_of_its_own_grade():
    staff = people(1000)
    heads = [person for person in staff if person.manager is None]
    assert sorted(head.department for head in heads) == sorted(BY_ACRONYM)
    for head in heads:
        department = BY_ACRONYM[head.department]
        assert head.grade == department.head_grade
        assert head.job_title == department.head_title


def test_spans_of_control_stay_realistic():
    reports = Counter(person.manager for person in people(20000) if person.manager)
    spans = sorted(reports.values())
    assert spans[len(spans) // 2] <= 8
    assert spans[-1] <= 20


def test_demo_login_sits_in_a_staffed_team_with_a_senior_manager():
    staff = people(300)
    demo = next(person for person in staff if person.username == "demo")
    manager = staff[demo.manager]
    assert (demo.department, demo.team, demo.grade) == ("CO", "digital", "G7")
    assert manager.team == "digital"
    assert RANK[manager.grade] > RANK["G7"]


def test_clashing_names_get_a_number():
    first = people(50)
    taken = first[-1].username
    again = people(50, taken={taken})
    assert again[-1].username == f"{taken}2"
    assert [p.username for p in again[:-1]] == [p.username for p in first[:-1]]


def test_usernames_are_plain_ascii():
    for person in people(3000):
        assert person.username.isascii()
        assert "'" not in person.username


def test_apportion_shares_out_everything_in_proportion():
    assert apportion(10, [1, 1, 2]) == [3, 2, 5]  # a tie goes to the first
    assert apportion(0, [1, 2]) == [0, 0]
    assert sum(apportion(997, [0.3, 1.7, 5, 2.2])) == 997


def test_apportion_teams_staffs_few_real_teams_rather_than_many_of_one():
    shares = apportion_teams(9, 0.25, [1, 1, 1, 1, 1, 3], smallest=4)
    assert sum(shares) == 9
    assert all(share == 0 or share >= 4 for share in shares[1:])
    assert shares[6] >= 4  # the heaviest team is staffed first
    assert apportion_teams(3, 0.25, [1, 1], smallest=4) == [3, 0, 0]
