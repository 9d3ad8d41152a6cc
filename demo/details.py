"""What people add to their profiles beyond the organisation chart, without touching
the database.

`generate_details` gives one `Details` per person from `generate_people`, in the
same order. It draws from its own `random.Random`, seeded from the same seed, so the
organisation chart a seed gives does not change when profiles gain a field.

People fill in their profiles the way staff really do: some carefully, most
partly, some not at all (only what HR loaded); some confirmed them recently, some
over a year ago, some never; a few never signed in. Dates are kept as ages, not
datetimes: the loader places them before the day of seeding, so a profile seeded as
stale is stale on the day it is shown and a fresh one is fresh.
"""

from __future__ import annotations

import functools
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from itertools import accumulate

from demo import about, places, skills
from demo.generator import Person
from demo.names import PREFERRED_NAMES
from demo.organisation import BY_ACRONYM, DEPARTMENTS
from profiles.models import Visibility
from profiles.services.freshness import FRESHNESS

EVERYONE, DEPARTMENT, NOBODY = (
    Visibility.EVERYONE,
    Visibility.DEPARTMENT,
    Visibility.NOBODY,
)

# Of people who chose who sees a field: most share it, some keep it to their
# department, a few to themselves. Phones are held back more often.
VISIBILITY_CHOICES = (EVERYONE, DEPARTMENT, NOBODY)
PHONE_VISIBILITY_WEIGHTS = (65, 27, 8)
OTHER_VISIBILITY_WEIGHTS = (80, 15, 5)

LEAVER_SHARE = 0.01  # left, but their profile stays for history
SECOND_TEAM_SHARE = 0.03  # also work in another team of their department
TYPO_SHARE = 0.15  # skills typed in another case, spacing or number
PREFERRED_NAME_SHARE = 0.4  # of those whose name has a usual short form

STALE_AFTER_DAYS = FRESHNESS.days
# A profile seeded fresh stays fresh for at least this long after seeding.
FRESH_FOR_DAYS = 30
_DAY = 86_400


@dataclass(frozen=True, slots=True)
class Details:
    """A profile's own content. The defaults are the model's: an untouched profile.

    Skills are as the person typed them; the loader folds spellings into skills.
    """

    preferred_name: str = ""
    pronouns: str = ""
    key_skills: tuple[str, ...] = ()
    other_skills: tuple[str, ...] = ()
    learning_interests: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    working_days: tuple[str, ...] = ()
    working_pattern_note: str = ""
    working_pattern_visibility: str = EVERYONE
    location: str = ""  # a site's name (places.SITES), or none
    location_visibility: str = EVERYONE
    phone_work: str = ""
    phone_mobile: str = ""
    phone_visibility: str = DEPARTMENT
    other_contact: str = ""
    ask_me_about: str = ""
    bio: str = ""
    confirmed_ago: timedelta | None = None  # None: never confirmed
    last_login_ago: timedelta | None = None  # None: never signed in
    is_active: bool = True
    second_team: str = ""  # slug of another team in the same department
    second_team_title: str = ""


@dataclass(frozen=True)
class _Care:
    """How fully one kind of person fills in their profile: counts and chances."""

    share: float
    key_skills: tuple[int, int]
    other_skills: tuple[int, int]
    learning_interests: tuple[int, int]
    location: float
    phone: float
    mobile: float
    working_days: float
    languages: float
    ask_me_about: float
    bio: float
    long_bio: float
    pronouns: float
    other_contact: float
    chose_privacy: float
    confirmed: float
    stale: float  # of those who confirmed: over a year ago
    signed_in: float


CARE = (
    # Never looked at their profile: only what HR loaded.
    _Care(
        share=0.12,
        key_skills=(0, 0),
        other_skills=(0, 0),
        learning_interests=(0, 0),
        location=0.3,
        phone=0.2,
        mobile=0,
        working_days=0,
        languages=0,
        ask_me_about=0,
        bio=0,
        long_bio=0,
        pronouns=0,
        other_contact=0,
        chose_privacy=0,
        confirmed=0.15,
        stale=0.8,
        signed_in=0.5,
    ),
    # Filled in the obvious parts once.
    _Care(
        share=0.46,
        key_skills=(1, 4),
        other_skills=(0, 2),
        learning_interests=(0, 1),
        location=0.85,
        phone=0.6,
        mobile=0.15,
        working_days=0.8,
        languages=0.4,
        ask_me_about=0.4,
        bio=0.3,
        long_bio=0.2,
        pronouns=0.15,
        other_contact=0.05,
        chose_privacy=0.7,
        confirmed=0.85,
        stale=0.35,
        signed_in=1,
    ),
    # Keeps it complete and current.
    _Care(
        share=0.42,
        key_skills=(3, 5),
        other_skills=(1, 5),
        learning_interests=(0, 3),
        location=1,
        phone=0.95,
        mobile=0.45,
        working_days=1,
        languages=0.75,
        ask_me_about=0.9,
        bio=0.85,
        long_bio=0.6,
        pronouns=0.35,
        other_contact=0.3,
        chose_privacy=1,
        confirmed=0.97,
        stale=0.1,
        signed_in=1,
    ),
)
_CARE_WEIGHTS = tuple(accumulate(care.share for care in CARE))

_TEAM_NAMES = {
    (department.acronym, team.slug): team.name
    for department in DEPARTMENTS
    for team, _, _ in department.walk_teams()
}


def generate_details(
    people: Sequence[Person],
    *,
    seed: int,
    fixed: Mapping[str, Details] | None = None,
) -> list[Details]:
    """One `Details` for each of `people`; `fixed` ones by username, as given."""
    fixed = fixed or {}
    rng = random.Random(f"profile-details-{seed}")  # noqa: S311 - demo data
    managers = {person.manager for person in people}
    teams_by_department: dict[str, dict[str, None]] = defaultdict(dict)
    for person in people:
        teams_by_department[person.department][person.team] = None
    builder = _DetailsBuilder(rng, teams_by_department)
    return [
        fixed.get(person.username)
        or builder.details(person, has_reports=position in managers)
        for position, person in enumerate(people)
    ]


class _DetailsBuilder:
    def __init__(
        self, rng: random.Random, teams: Mapping[str, Mapping[str, None]]
    ) -> None:
        self.rng = rng
        self.teams = {acronym: tuple(slugs) for acronym, slugs in teams.items()}

    def details(self, person: Person, *, has_reports: bool) -> Details:
        rng = self.rng
        care = rng.choices(CARE, cum_weights=_CARE_WEIGHTS)[0]
        leaver = not person.is_head and not has_reports and rng.random() < LEAVER_SHARE
        site = self._site(person) if rng.random() < care.location else None
        city = site.city if site else self._headquarters(person).city
        key_skills = self._skills(person, care.key_skills, exclude=())
        other_skills = self._skills(person, care.other_skills, exclude=key_skills)
        learning = self._learning(care.learning_interests, (*key_skills, *other_skills))
        days, note = self._working_pattern(care)
        confirmed_ago, last_login_ago = self._freshness(care, leaver)
        second_team, second_title = self._second_team(person, leaver)
        chose = rng.random() < care.chose_privacy
        return Details(
            preferred_name=self._preferred_name(person),
            pronouns=self._pronouns(care),
            key_skills=tuple(self._as_typed(name) for name in key_skills),
            other_skills=tuple(self._as_typed(name) for name in other_skills),
            learning_interests=tuple(self._as_typed(name) for name in learning),
            languages=self._languages(care, city),
            working_days=days,
            working_pattern_note=note,
            working_pattern_visibility=self._visibility(chose, EVERYONE),
            location=site.name if site else "",
            location_visibility=self._visibility(chose, EVERYONE),
            phone_work=(
                places.landline(city, rng.randrange(1000))
                if rng.random() < care.phone
                else ""
            ),
            phone_mobile=(
                places.mobile(rng.randrange(1000)) if rng.random() < care.mobile else ""
            ),
            phone_visibility=self._visibility(chose, DEPARTMENT, phone=True),
            other_contact=self._other_contact(person, care),
            ask_me_about=self._ask_me_about(person, care),
            bio=self._bio(person, care),
            confirmed_ago=confirmed_ago,
            last_login_ago=last_login_ago,
            is_active=not leaver,
            second_team=second_team,
            second_team_title=second_title,
        )

    def _site(self, person: Person) -> places.Site:
        sites = places.BY_DEPARTMENT[person.department]
        if person.manager is None or self.rng.random() < places.HEADQUARTERS_SHARE:
            return places.BY_NAME[sites[0]]
        return places.BY_NAME[self.rng.choice(sites)]

    def _headquarters(self, person: Person) -> places.Site:
        return places.BY_NAME[places.BY_DEPARTMENT[person.department][0]]

    def _skills(
        self, person: Person, counts: tuple[int, int], exclude: Sequence[str]
    ) -> tuple[str, ...]:
        """Skills of the person's professions, more popular ones more often, and
        some that anyone might have."""
        rng = self.rng
        wanted = rng.randint(*counts)
        pools = [skills.BY_PROFESSION[name] for name in person.professions]
        chosen: dict[str, None] = {}
        for _ in range(wanted * 4):  # a few tries, as the popular ones repeat
            if len(chosen) == wanted:
                break
            if rng.random() < 0.25:
                pool = skills.GENERAL
            else:
                pool = pools[0] if len(pools) == 1 or rng.random() < 0.7 else pools[1]
            name = rng.choices(pool, cum_weights=_popularity(len(pool)))[0]
            if name not in exclude:
                chosen[name] = None
        return tuple(chosen)

    def _learning(
        self, counts: tuple[int, int], exclude: Sequence[str]
    ) -> tuple[str, ...]:
        """Anything at all: people want to learn outside their profession too."""
        wanted = self.rng.randint(*counts)
        chosen = dict.fromkeys(
            name
            for name in self.rng.sample(skills.ALL, wanted + len(exclude))
            if name not in exclude
        )
        return tuple(chosen)[:wanted]

    def _as_typed(self, name: str) -> str:
        """The skill as someone might type it: case, spacing or number slips."""
        rng = self.rng
        if rng.random() >= TYPO_SHARE:
            return name
        slips = [
            name.lower(),
            " ".join(word[:1].upper() + word[1:] for word in name.split(" ")),
            name.replace(" ", "  ", 1),
            f" {name} ",
        ]
        if name in skills.PLURAL_SPELLINGS:
            slips.append(skills.PLURAL_SPELLINGS[name])
        return rng.choice(slips)

    def _preferred_name(self, person: Person) -> str:
        short_forms = PREFERRED_NAMES.get(person.first_name)
        if short_forms and self.rng.random() < PREFERRED_NAME_SHARE:
            return self.rng.choice(short_forms)
        return ""

    def _pronouns(self, care: _Care) -> str:
        if self.rng.random() < care.pronouns:
            return self.rng.choices(about.PRONOUNS, weights=about.PRONOUN_WEIGHTS)[0]
        return ""

    def _languages(self, care: _Care, city: str) -> tuple[str, ...]:
        rng = self.rng
        if rng.random() >= care.languages:
            return ()
        spoken = ["English"]
        if city in about.WELSH_CITIES and rng.random() < 0.3:
            spoken.append("Welsh")
        others = rng.choices((0, 1, 2), weights=(45, 45, 10))[0]
        for language in rng.sample(about.LANGUAGES, others):
            if language not in spoken:
                spoken.append(language)
        return tuple(spoken)

    def _working_pattern(self, care: _Care) -> tuple[tuple[str, ...], str]:
        rng = self.rng
        if rng.random() >= care.working_days:
            return (), ""
        if rng.random() < 0.85:
            return tuple(about.FULL_TIME), ""
        days, note = rng.choice(about.PART_TIME_PATTERNS)
        return tuple(days), note

    def _visibility(self, chose: bool, default: str, *, phone: bool = False) -> str:
        if not chose:
            return default
        weights = PHONE_VISIBILITY_WEIGHTS if phone else OTHER_VISIBILITY_WEIGHTS
        return self.rng.choices(VISIBILITY_CHOICES, weights=weights)[0]

    def _other_contact(self, person: Person, care: _Care) -> str:
        if self.rng.random() >= care.other_contact:
            return ""
        return self.rng.choice(about.OTHER_CONTACT).format(
            username=person.username, team=person.team
        )

    def _ask_me_about(self, person: Person, care: _Care) -> str:
        rng = self.rng
        if rng.random() >= care.ask_me_about:
            return ""
        topics = rng.sample(about.ASK_ME_ABOUT, rng.randint(1, 3))
        return _listed(topics)

    def _bio(self, person: Person, care: _Care) -> str:
        rng = self.rng
        if rng.random() >= care.bio:
            return ""
        department = _with_article(BY_ACRONYM[person.department].name)
        team = _team_phrase(_TEAM_NAMES[person.department, person.team])
        if person.manager is None:
            opening = f"I'm the {person.job_title} of {department}."
        elif person.is_head:
            opening = f"I lead {team} at {department}."
        else:
            opening = (
                f"I'm {_article(person.job_title)} {person.job_title} in {team} "
                f"at {department}."
            )
        paragraphs = [opening]
        if rng.random() < care.long_bio:
            other = _with_article(rng.choice(DEPARTMENTS).name)
            paragraphs.append(rng.choice(about.BEFORE).format(other=other))
            work = rng.sample(about.WORKING_ON, rng.randint(1, 3))
            paragraphs.append(
                "Working on now:\n\n" + "\n".join(f"- {item}" for item in work)
            )
        return "\n\n".join(paragraphs)

    def _freshness(
        self, care: _Care, leaver: bool
    ) -> tuple[timedelta | None, timedelta | None]:
        """How long ago the profile was confirmed and its owner last signed in.

        Confirming needs a sign-in, so whoever confirmed has signed in since.
        """
        rng = self.rng
        confirmed = None
        if rng.random() < care.confirmed:
            if rng.random() < care.stale:
                days = rng.randint(STALE_AFTER_DAYS + 1, 3 * STALE_AFTER_DAYS)
            else:
                days = rng.randint(0, STALE_AFTER_DAYS - FRESH_FOR_DAYS)
            confirmed = timedelta(days=days, seconds=rng.randrange(_DAY))
        if confirmed is None and rng.random() >= care.signed_in:
            return None, None
        recent = rng.random() < 0.8
        days = rng.randint(0, 30) if recent else rng.randint(31, 400)
        if leaver:
            days += 120  # gone for a while
        last_login = timedelta(days=days, seconds=rng.randrange(_DAY))
        if confirmed is not None:
            last_login = min(last_login, confirmed)
        return confirmed, last_login

    def _second_team(self, person: Person, leaver: bool) -> tuple[str, str]:
        rng = self.rng
        if person.is_head or leaver or rng.random() >= SECOND_TEAM_SHARE:
            return "", ""
        others = [slug for slug in self.teams[person.department] if slug != person.team]
        if not others:
            return "", ""
        return rng.choice(others), rng.choice(about.SECOND_TEAM_ROLES)


@functools.cache
def _popularity(size: int) -> tuple[float, ...]:
    """Cumulative weights that favour the start of a list, gently: the tenth skill
    is picked about a quarter as often as the first."""
    return tuple(accumulate(1 / (rank + 2) ** 0.75 for rank in range(size)))


def _listed(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _article(noun: str) -> str:
    """ "a" or "an", by sound: an Economist, a User Researcher, an HR Officer."""
    first = noun.split(" ", 1)[0]
    if first.isupper() and len(first) > 1:  # an acronym, said letter by letter
        return "an" if first[0] in "AEFHILMNORSX" else "a"
    if first.startswith(("User", "Uni", "Eu")):
        return "a"
    return "an" if first[:1] in "AEIOU" else "a"


# The words that already say a team name is a unit of its own.
_UNIT_WORDS = frozenset(
    "Authority Centre Command Directorate Function Group Hub Office Organisation "
    "Secretariat Service Services Unit".split()
)


def _team_phrase(name: str) -> str:
    """ "the **Digital** team", but "the **Press Office**"."""
    if name.startswith("Office of") or name.rsplit(" ", 1)[-1] in _UNIT_WORDS:
        return f"the **{name}**"
    return f"the **{name}** team"


def _with_article(department: str) -> str:
    """ "the Home Office", but "HM Treasury" and "Companies House"."""
    if department.startswith("HM ") or department == "Companies House":
        return department
    return f"the {department}"
