"""The demo's profile details on their own: no database."""

import pickle
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from demo import places, skills
from demo.details import Details, generate_details
from demo.generator import generate_people
from demo.logins import DEMO_LOGINS, DEMO_USERNAME
from profiles.models import Visibility, Weekday
from profiles.services.skills import skill_key

FIXED = [login.person for login in DEMO_LOGINS]
FIXED_DETAILS = {login.person.username: login.details for login in DEMO_LOGINS}
CANONICAL = {skill_key(name): name for name in skills.ALL}
WEEKDAYS = set(Weekday.values)
SKILL_FIELDS = ("key_skills", "other_skills", "learning_interests")


def staff(count, seed=2026):
    people = generate_people(count=count, seed=seed, fixed=FIXED)
    return people, generate_details(people, seed=seed, fixed=FIXED_DETAILS)


def test_same_seed_same_bytes():
    assert pickle.dumps(staff(500, seed=5)) == pickle.dumps(staff(500, seed=5))


def test_other_seed_other_details():
    _, first = staff(500, seed=5)
    _, other = staff(500, seed=6)
    assert sum(a == b for a, b in zip(first, other, strict=True)) < 100


def test_details_do_not_change_the_organisation_chart():
    """Profiles draw from their own random numbers, so the people a seed gives
    stay the same people whatever is added to their profiles."""
    people, _ = staff(300)
    assert people == generate_people(count=300, seed=2026, fixed=FIXED)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**64), count=st.integers(0, 600))
def test_any_seed_gives_sound_profiles(seed, count):
    people, details = staff(count, seed=seed)
    assert len(details) == len(people)
    managers = {person.manager for person in people}
    teams = {(person.department, person.team) for person in people}
    for position, (person, profile) in enumerate(zip(people, details, strict=True)):
        keys = [
            skill_key(name)
            for field in SKILL_FIELDS
            for name in getattr(profile, field)
        ]
        # Every spelling folds into one of the demo's skills, and no skill is
        # listed twice, whatever the spelling.
        assert set(keys) <= set(CANONICAL)
        assert len(keys) == len(set(keys))
        assert set(profile.working_days) <= WEEKDAYS
        if profile.location:
            assert profile.location in places.BY_DEPARTMENT[person.department]
        if profile.second_team and person.username not in FIXED_DETAILS:
            # Another team with people in it, not one that exists only on paper.
            assert profile.second_team != person.team
            assert (person.department, profile.second_team) in teams
            assert profile.second_team_title
        if profile.confirmed_ago is not None:
            assert profile.last_login_ago <= profile.confirmed_ago
        if not profile.is_active:
            assert not person.is_head
            assert position not in managers
            assert not profile.second_team


def test_people_type_skills_in_many_ways():
    _, details = staff(3000)
    typed = Counter(
        name
        for profile in details
        for field in SKILL_FIELDS
        for name in getattr(profile, field)
    )
    slips = [name for name in typed if name not in skills.ALL]
    assert len(slips) > 50
    assert any(name.islower() for name in slips)
    assert any("  " in name or name != name.strip() for name in slips)
    assert any(name in skills.PLURAL_SPELLINGS.values() for name in slips)
    # Most people type the usual spelling, which names the skill.
    assert sum(typed[name] for name in slips) < 0.25 * sum(typed.values())


def test_popular_skills_are_much_more_common_than_rare_ones():
    _, details = staff(5000)
    counts = Counter(
        skill_key(name) for profile in details for name in profile.key_skills
    )
    ranked = [count for _, count in counts.most_common()]
    assert ranked[0] > 20 * ranked[-1]
    assert len(counts) > 300


def test_a_realistic_mix_of_profiles():
    _, details = staff(5000)

    def share(test) -> float:
        return sum(1 for profile in details if test(profile)) / len(details)

    assert 0.05 < share(lambda d: not d.key_skills) < 0.25
    assert 0.3 < share(lambda d: d.bio) < 0.7
    assert 0.1 < share(lambda d: d.confirmed_ago is None) < 0.3
    assert 0.1 < share(lambda d: d.confirmed_ago and d.confirmed_ago.days > 365) < 0.35
    assert 0.01 < share(lambda d: d.last_login_ago is None) < 0.15
    assert 0.003 < share(lambda d: not d.is_active) < 0.03
    assert 0.01 < share(lambda d: d.second_team) < 0.06
    assert 0.1 < share(lambda d: d.pronouns) < 0.4
    assert 0.02 < share(lambda d: d.preferred_name) < 0.1
    assert 0.05 < share(lambda d: d.working_days and len(d.working_days) < 5) < 0.2
    assert 0.02 < share(lambda d: d.phone_visibility == Visibility.NOBODY) < 0.15
    assert 0.6 < share(lambda d: d.location_visibility == Visibility.EVERYONE)


def test_bios_are_short_markdown_about_the_person():
    people, details = staff(500)
    bios = [
        (person, profile.bio)
        for person, profile in zip(people, details, strict=True)
        if profile.bio
        and person.manager is not None
        and not person.is_head
        and person.username not in FIXED_DETAILS
    ]
    assert bios
    for person, bio in bios:
        assert bio.startswith(("I'm a ", "I'm an "))
        assert person.job_title in bio
        assert "**" in bio
        assert len(bio) < 1000
    assert any("\n- " in bio for _, bio in bios)


def test_demo_logins_keep_their_hand_written_profiles():
    people, details = staff(300)
    by_username = {
        person.username: profile
        for person, profile in zip(people, details, strict=True)
    }
    for username, profile in FIXED_DETAILS.items():
        assert by_username[username] is profile
    demo = by_username[DEMO_USERNAME]
    assert isinstance(demo, Details)
    assert demo.confirmed_ago.days < 7
    assert demo.key_skills and demo.bio and demo.location and demo.phone_work
