"""Write the demo organisation to the database, once, in bulk.

Speed comes from three choices: rows go in with `bulk_create` in batches; people are
inserted most senior grade first, so every line manager's profile already has an id
when their reports are inserted (no second pass of updates); and only the two demo
logins get a real password hash, because hashing is deliberately slow. Everyone
else gets one unusable password, computed once: demo staff cannot sign in.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby, islice

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils.text import slugify
from tqdm import tqdm

from intranet.audit import audit_record
from profiles.demo import grades, professions
from profiles.demo.generator import Person, generate_people
from profiles.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from profiles.demo.organisation import DEPARTMENTS
from profiles.models import Department, Grade, Profession, Profile, Team, User

ALREADY_SEEDED = "Demo organisation already present; nothing to do."
NOT_EMPTY = (
    "The database already has departments, so it is not a fresh install; nothing to do."
)


class SeedError(Exception):
    """The demo organisation cannot be written to this database."""


@dataclass(frozen=True)
class _Ids:
    """Database ids of the reference rows, by natural key."""

    grades: dict[str, int]
    professions: dict[str, int]
    departments: dict[str, int]
    teams: dict[tuple[str, str], int]  # (department acronym, team slug)


@dataclass(frozen=True)
class SeedSummary:
    departments: int
    teams: int
    grades: int
    professions: int
    people: int


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
    """
    if not connection.features.can_return_rows_from_bulk_insert:
        raise SeedError("Seeding needs PostgreSQL, or SQLite 3.35 or later.")
    with transaction.atomic():
        # Checked inside the transaction, so two runs at once cannot both seed: on
        # SQLite the embedded settings' IMMEDIATE transactions make the second
        # wait; on PostgreSQL it fails on the unique department names and rolls
        # back.
        reason = reason_to_skip()
        if reason is not None:
            return reason
        departments = _create_departments()
        ids = _Ids(
            grades=_ensure_grades(),
            professions=_ensure_professions(),
            departments=departments,
            teams=_create_teams(departments),
        )
        staff = generate_people(
            count=people,
            seed=seed,
            fixed=[login.person for login in DEMO_LOGINS],
            taken=set(User.objects.values_list("username", flat=True)),
        )
        rows = 2 * len(staff) + sum(len(person.professions) for person in staff)
        with tqdm(
            total=rows,
            desc="Seeding demo organisation",
            unit=" rows",
            file=sys.stderr,
            disable=not show_progress,
        ) as bar:
            user_ids = _create_users(staff, batch_size, bar.update)
            profile_ids = _create_profiles(staff, user_ids, ids, batch_size, bar.update)
            _link_professions(staff, profile_ids, ids, batch_size, bar.update)
        _record_logins(people=people, seed=seed)
    return SeedSummary(
        departments=Department.objects.count(),
        teams=Team.objects.count(),
        grades=Grade.objects.count(),
        professions=Profession.objects.count(),
        people=Profile.objects.count(),
    )


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


def _ensure_grades() -> dict[str, int]:
    """Grades are reference data a migration or an admin may have loaded already:
    add only the missing ones."""
    existing = dict(Grade.objects.values_list("code", "id"))
    Grade.objects.bulk_create(
        Grade(code=grade.code, name=grade.name, rank=grade.rank)
        for grade in grades.GRADES
        if grade.code not in existing
    )
    return dict(Grade.objects.values_list("code", "id"))


def _ensure_professions() -> dict[str, int]:
    existing = dict(Profession.objects.values_list("name", "id"))
    Profession.objects.bulk_create(
        Profession(name=name, slug=slugify(name))
        for name in professions.ALL
        if name not in existing
    )
    return dict(Profession.objects.values_list("name", "id"))


def _create_departments() -> dict[str, int]:
    # Sponsoring departments first, so an agency's parent has an id to point at.
    created: dict[str, int] = {}
    for with_parent in (False, True):
        rows = Department.objects.bulk_create(
            Department(
                name=spec.name,
                acronym=spec.acronym,
                slug=spec.slug,
                kind=spec.kind,
                parent_id=created[spec.parent] if spec.parent else None,
            )
            for spec in DEPARTMENTS
            if (spec.parent is not None) == with_parent
        )
        created.update((row.acronym, row.id) for row in rows)
    return created


def _create_teams(department_ids: dict[str, int]) -> dict[tuple[str, str], int]:
    """Every department's teams, keyed by (department acronym, team slug)."""
    by_depth: dict[int, list[tuple[str, Team, str | None]]] = {}
    for spec in DEPARTMENTS:
        for team, parent, depth in spec.walk_teams():
            row = Team(
                department_id=department_ids[spec.acronym],
                name=team.name,
                slug=team.slug,
            )
            parent_slug = parent.slug if parent else None
            by_depth.setdefault(depth, []).append((spec.acronym, row, parent_slug))
    created: dict[tuple[str, str], int] = {}
    # A level at a time, so that each team's parent already has an id.
    for depth in sorted(by_depth):
        level = by_depth[depth]
        for acronym, row, parent_slug in level:
            row.parent_id = created[acronym, parent_slug] if parent_slug else None
        Team.objects.bulk_create(row for _, row, _ in level)
        created.update(((acronym, row.slug), row.id) for acronym, row, _ in level)
    return created


def _create_users(
    staff: Sequence[Person], batch_size: int, progress: Callable[[int], object]
) -> list[int]:
    logins = {login.person.username: login for login in DEMO_LOGINS}
    # One hash for both logins (they share the published password) and one
    # unusable password for everyone else: hashing 50,000 passwords would take
    # hours, which is the point of a password hash.
    login_password = make_password(DEMO_PASSWORD)
    no_password = make_password(None)
    ids: list[int] = []
    for batch in _batches(staff, batch_size):
        users = []
        for person in batch:
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
                    date_joined=person.joined,
                )
            )
        ids.extend(user.id for user in User.objects.bulk_create(users))
        progress(len(batch))
    return ids


def _create_profiles(
    staff: Sequence[Person],
    user_ids: Sequence[int],
    ids: _Ids,
    batch_size: int,
    progress: Callable[[int], object],
) -> list[int]:
    """Insert profiles a grade at a time, most senior first: a line manager always
    holds a higher grade, so their id is known before any report is inserted."""
    profile_ids: list[int] = []
    numbered = enumerate(staff)
    for _, same_grade in groupby(numbered, key=lambda item: item[1].grade):
        for batch in _batches(same_grade, batch_size):
            profiles = [
                Profile(
                    user_id=user_ids[position],
                    department_id=ids.departments[person.department],
                    team_id=ids.teams[person.department, person.team],
                    grade_id=ids.grades[person.grade],
                    job_title=person.job_title,
                    line_manager_id=(
                        None if person.manager is None else profile_ids[person.manager]
                    ),
                )
                for position, person in batch
            ]
            profile_ids.extend(
                profile.id for profile in Profile.objects.bulk_create(profiles)
            )
            progress(len(batch))
    return profile_ids


def _link_professions(
    staff: Sequence[Person],
    profile_ids: Sequence[int],
    ids: _Ids,
    batch_size: int,
    progress: Callable[[int], object],
) -> None:
    link = Profile.professions.through
    rows = (
        link(profile_id=profile_id, profession_id=ids.professions[name])
        for person, profile_id in zip(staff, profile_ids, strict=True)
        for name in person.professions
    )
    for batch in _batches(rows, batch_size):
        link.objects.bulk_create(batch)
        progress(len(batch))


def _batches(items, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
