"""Write the demo organisation to the database, once, in bulk.

Speed comes from four choices. Rows go in with `bulk_create` in batches, and
many-to-many links straight into their tables, many rows per INSERT. People are
inserted most senior grade first, so every line manager's profile already has an
id when their reports are inserted (no second pass of updates). Skills are keyed
once per spelling, not once per person. And only the two demo logins get a real
password hash, because hashing is deliberately slow: everyone else gets one
unusable password, computed once, so demo staff cannot sign in.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby, islice

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from tqdm import tqdm

from demo import reference
from demo.details import Details, generate_details
from demo.generator import Person, generate_people
from demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from intranet import access
from intranet.audit import audit_record
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

ALREADY_SEEDED = "Demo organisation already present; nothing to do."
NOT_EMPTY = (
    "The database already has departments, so it is not a fresh install; nothing to do."
)

# The three ways a profile lists a skill, by Details field and Profile relation.
SKILL_RELATIONS = ("key_skills", "other_skills", "learning_interests")


class SeedError(Exception):
    """The demo organisation cannot be written to this database."""


@dataclass(frozen=True)
class _Ids:
    """Database ids of the reference rows, by natural key."""

    grades: dict[str, int]
    professions: dict[str, int]
    locations: dict[str, int]
    skills: dict[str, int]  # by spelling, as typed
    departments: dict[str, int]
    teams: dict[tuple[str, str], int]  # (department acronym, team slug)


@dataclass(frozen=True)
class SeedSummary:
    departments: int
    teams: int
    grades: int
    professions: int
    skills: int
    locations: int
    people: int


@dataclass(frozen=True, slots=True)
class _Staff:
    """One person as the loader writes them: place in the organisation, profile."""

    person: Person
    details: Details


def reason_to_skip() -> str | None:
    """Why seeding would be wrong here, or None when the database is ready for it.

    The demo logins mark a seeded database. Departments without them mean a real
    organisation was loaded: demo people must never be mixed into it.
    """
    usernames = [login.person.username for login in DEMO_LOGINS]
    if User.objects.filter(username__in=usernames).exists():
        return ALREADY_SEEDED
    if Department.objects.exists():
        return NOT_EMPTY
    return None


def seed_organisation(
    *, people: int, seed: int, batch_size: int, show_progress: bool = False
) -> SeedSummary | str:
    """Load the demo organisation with `people` invented staff plus the demo logins.

    Returns what was written, or the reason nothing was (see `reason_to_skip`). It
    all happens in one transaction: a failure leaves the database as it was.

    The same seed gives the same rows on the same day. Sign-ins and confirmations
    are dated back from midnight (UTC) of the day of seeding, not from a fixed
    date, so a demo seeded in any year shows fresh and stale profiles alike.
    """
    if not connection.features.can_return_rows_from_bulk_insert:
        raise SeedError("Seeding needs PostgreSQL, or SQLite 3.35 or later.")
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    with transaction.atomic():
        # Checked inside the transaction, so two runs at once cannot both seed: on
        # SQLite the embedded settings' IMMEDIATE transactions make the second
        # wait; on PostgreSQL it fails on the unique department names and rolls
        # back.
        reason = reason_to_skip()
        if reason is not None:
            return reason
        people_list = generate_people(
            count=people,
            seed=seed,
            fixed=[login.person for login in DEMO_LOGINS],
            taken=set(User.objects.values_list("username", flat=True)),
        )
        details = generate_details(
            people_list,
            seed=seed,
            fixed={login.person.username: login.details for login in DEMO_LOGINS},
        )
        staff = [_Staff(*pair) for pair in zip(people_list, details, strict=True)]
        departments = reference.create_departments()
        ids = _Ids(
            grades=reference.ensure_grades(),
            professions=reference.ensure_professions(),
            locations=reference.ensure_locations(),
            skills=reference.ensure_skills(_typed_skills(details)),
            departments=departments,
            teams=reference.create_teams(departments),
        )
        with tqdm(
            total=_row_count(staff),
            desc="Seeding demo organisation",
            unit=" rows",
            file=sys.stderr,
            disable=not show_progress,
        ) as bar:
            writer = _Writer(ids, batch_size, bar.update)
            user_ids = writer.users(staff, today)
            profile_ids = writer.profiles(staff, user_ids, today)
            writer.links(staff, profile_ids)
        _date_profiles()
        _record_logins(people=people, seed=seed)
    return SeedSummary(
        departments=Department.objects.count(),
        teams=Team.objects.count(),
        grades=Grade.objects.count(),
        professions=Profession.objects.count(),
        skills=Skill.objects.count(),
        locations=Location.objects.count(),
        people=Profile.objects.count(),
    )


def _typed_skills(details: Iterable[Details]) -> Iterator[str]:
    for profile in details:
        for relation in SKILL_RELATIONS:
            yield from getattr(profile, relation)


def _row_count(staff: Sequence[_Staff]) -> int:
    """Rows to write, for the progress bar: users, profiles and every link."""
    links = 0
    for member in staff:
        links += len(member.person.professions) + 1 + bool(member.details.second_team)
        links += sum(len(getattr(member.details, name)) for name in SKILL_RELATIONS)
    return 2 * len(staff) + links


def _record_logins(*, people: int, seed: int) -> None:
    """Put the new sign-ins, one of them a superuser with a published password, on
    the audit record like any other access change."""
    audit_record(
        actor=None,
        action="demo.seed",
        target_type="demo_organisation",
        target_id=seed,
        target_label=f"Demo organisation of {people:,} people",
        details={
            "people": people,
            "seed": seed,
            "logins": [
                {
                    "username": login.person.username,
                    "is_staff": login.is_staff,
                    "is_superuser": login.is_superuser,
                }
                for login in DEMO_LOGINS
            ],
        },
    )


def _date_profiles() -> None:
    """Date each profile from its owner's joining, not from the seeding.

    `created_at` and `updated_at` are set by Django on insert whatever the row
    says, so one UPDATE puts them right afterwards: a profile is as old as its
    owner's time here, and was last changed when it was confirmed. The freshness
    rules read `created_at` for profiles never confirmed. The database has no other
    profiles: `reason_to_skip` saw to that.
    """
    joined = User.objects.filter(pk=OuterRef("user_id")).values("date_joined")[:1]
    Profile.objects.update(
        created_at=Subquery(joined),
        updated_at=Coalesce("confirmed_at", Subquery(joined)),
    )


class _Writer:
    """Bulk inserts, batch by batch, reporting rows written to `progress`."""

    def __init__(
        self, ids: _Ids, batch_size: int, progress: Callable[[int], object]
    ) -> None:
        self.ids = ids
        self.batch_size = batch_size
        self.progress = progress

    def users(self, staff: Sequence[_Staff], today: datetime) -> list[int]:
        logins = {login.person.username: login for login in DEMO_LOGINS}
        # One hash for both logins (they share the published password) and one
        # unusable password for everyone else: hashing 50,000 passwords would take
        # hours, which is the point of a password hash.
        login_password = make_password(DEMO_PASSWORD)
        no_password = make_password(None)
        ids: list[int] = []
        for batch in _batches(staff, self.batch_size):
            users = []
            for member in batch:
                person, details = member.person, member.details
                login = logins.get(person.username)
                users.append(
                    User(
                        username=person.username,
                        first_name=person.first_name,
                        last_name=person.last_name,
                        email=person.email,
                        password=login_password if login else no_password,
                        is_staff=bool(login and login.is_staff),
                        is_superuser=bool(login and login.is_superuser),
                        is_active=details.is_active,
                        date_joined=person.joined,
                        last_login=_since(today, details.last_login_ago, person),
                    )
                )
            ids.extend(user.id for user in User.objects.bulk_create(users))
            self.progress(len(batch))
        return ids

    def profiles(
        self, staff: Sequence[_Staff], user_ids: Sequence[int], today: datetime
    ) -> list[int]:
        """Insert profiles a grade at a time, most senior first: a line manager
        always holds a higher grade, so their id is known before any report's."""
        ids = self.ids
        profile_ids: list[int] = []
        numbered = enumerate(staff)
        for _, same_grade in groupby(numbered, key=lambda item: item[1].person.grade):
            for batch in _batches(same_grade, self.batch_size):
                profiles = []
                for position, member in batch:
                    person, details = member.person, member.details
                    profiles.append(
                        Profile(
                            user_id=user_ids[position],
                            department_id=ids.departments[person.department],
                            grade_id=ids.grades[person.grade],
                            job_title=person.job_title,
                            line_manager_id=(
                                None
                                if person.manager is None
                                else profile_ids[person.manager]
                            ),
                            location_id=ids.locations.get(details.location),
                            confirmed_at=_since(today, details.confirmed_ago, person),
                            **_profile_fields(details),
                        )
                    )
                profile_ids.extend(
                    profile.id for profile in Profile.objects.bulk_create(profiles)
                )
                self.progress(len(batch))
        return profile_ids

    def links(self, staff: Sequence[_Staff], profile_ids: Sequence[int]) -> None:
        """Team memberships, professions and skills."""
        ids = self.ids
        pairs = list(zip(staff, profile_ids, strict=True))
        for batch in _batches(self._memberships(pairs), self.batch_size):
            TeamMembership.objects.bulk_create(batch)
            self.progress(len(batch))
        # Bulk writes send no signals: say that access changed. The demo is
        # loaded into an empty organisation, so no audience group exists yet to
        # be refilled (a grant fills its group when it makes it).
        access.access_changed()
        self._link(
            "professions",
            (
                (profile_id, ids.professions[name])
                for member, profile_id in pairs
                for name in member.person.professions
            ),
        )
        for relation in SKILL_RELATIONS:
            self._link(
                relation,
                (
                    (profile_id, skill_id)
                    for member, profile_id in pairs
                    # Two spellings of one skill are one link.
                    for skill_id in dict.fromkeys(
                        ids.skills[name] for name in getattr(member.details, relation)
                    )
                ),
            )

    def _link(self, relation: str, pairs: Iterable[tuple[int, int]]) -> None:
        """Insert (profile id, other id) rows into a many-to-many field's table.

        These are most of the rows (some 420,000 for 50,000 people), and a link
        row is just two ids. One multi-row INSERT per batch writes them four to five
        times as fast as `bulk_create` on SQLite, whose time goes on building and
        preparing model instances that add nothing here; on PostgreSQL, where the
        server's work dominates, it is as fast. The names come from the field.
        """
        field = Profile._meta.get_field(relation)
        quote = connection.ops.quote_name
        table = quote(field.remote_field.through._meta.db_table)
        columns = f"{quote(field.m2m_column_name())}, {quote(field.m2m_reverse_name())}"
        # SQLite caps the parameters of one statement; PostgreSQL has no cap.
        max_params = connection.features.max_query_params
        rows = min(self.batch_size, max_params // 2) if max_params else self.batch_size
        with connection.cursor() as cursor:
            for batch in _batches(pairs, rows):
                values = ", ".join(["(%s, %s)"] * len(batch))
                # Only names from the model go into the SQL; ids are parameters.
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) VALUES {values}",  # noqa: S608
                    [value for pair in batch for value in pair],
                )
                self.progress(len(batch))

    def _memberships(
        self, pairs: Iterable[tuple[_Staff, int]]
    ) -> Iterator[TeamMembership]:
        teams = self.ids.teams
        for member, profile_id in pairs:
            person, details = member.person, member.details
            yield TeamMembership(
                profile_id=profile_id,
                team_id=teams[person.department, person.team],
                job_title=person.job_title,
                is_head=person.is_head,
            )
            if details.second_team and details.second_team != person.team:
                yield TeamMembership(
                    profile_id=profile_id,
                    team_id=teams[person.department, details.second_team],
                    job_title=details.second_team_title,
                )


def _profile_fields(details: Details) -> dict:
    """The profile's own content, as the model's fields."""
    return {
        "preferred_name": details.preferred_name,
        "pronouns": details.pronouns,
        "languages": list(details.languages),
        "working_days": list(details.working_days),
        "working_pattern_note": details.working_pattern_note,
        "working_pattern_visibility": details.working_pattern_visibility,
        "location_visibility": details.location_visibility,
        "phone_work": details.phone_work,
        "phone_mobile": details.phone_mobile,
        "phone_visibility": details.phone_visibility,
        "other_contact": details.other_contact,
        "ask_me_about": details.ask_me_about,
        "bio": details.bio,
    }


def _since(today: datetime, ago: timedelta | None, person: Person) -> datetime | None:
    """`ago` before today, but never before the person joined."""
    if ago is None:
        return None
    return max(today - ago, person.joined)


def _batches(items, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
