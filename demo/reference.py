"""The demo organisation's reference rows: grades, professions, sites, skills,
departments and their teams. Each function returns database ids by natural key.

Grades, professions, sites and skills are shared reference data an admin or an
earlier import may have loaded already, so only missing rows are added; departments
and teams are new, as `loader.reason_to_skip` makes sure.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.text import slugify

from demo import grades, places, professions, skills
from demo.organisation import DEPARTMENTS
from profiles.models import Department, Grade, Location, Profession, Skill, Team
from profiles.services.skills import skill_key


def ensure_grades() -> dict[str, int]:
    existing = dict(Grade.objects.values_list("code", "id"))
    Grade.objects.bulk_create(
        Grade(code=grade.code, name=grade.name, rank=grade.rank)
        for grade in grades.GRADES
        if grade.code not in existing
    )
    return dict(Grade.objects.values_list("code", "id"))


def ensure_professions() -> dict[str, int]:
    existing = dict(Profession.objects.values_list("name", "id"))
    Profession.objects.bulk_create(
        Profession(name=name, slug=slugify(name))
        for name in professions.ALL
        if name not in existing
    )
    return dict(Profession.objects.values_list("name", "id"))


def ensure_locations() -> dict[str, int]:
    existing = dict(Location.objects.values_list("name", "id"))
    Location.objects.bulk_create(
        Location(name=site.name, address=site.address, city=site.city)
        for site in places.SITES
        if site.name not in existing
    )
    return dict(Location.objects.values_list("name", "id"))


def ensure_skills(typed: Iterable[str]) -> dict[str, int]:
    """Skill ids for every spelling in `typed`, adding the skills not yet there.

    Keys come from the skills service's `skill_key`, so the demo's skills fold
    exactly as typed ones will. A new skill is named as the demo's list spells it,
    not as the first person happened to type it; a skill already in the database
    keeps its name. Rows are inserted here in bulk: the service's one-by-one
    get-or-create would take minutes for 50,000 people.
    """
    key_of = {spelling: skill_key(spelling) for spelling in dict.fromkeys(typed)}
    names = {skill_key(name): name for name in skills.ALL}
    for spelling, key in key_of.items():
        # As `skills_from_names` names a skill: the first spelling, tidied.
        names.setdefault(key, " ".join(spelling.split()))
    existing = set(Skill.objects.values_list("key", flat=True))
    Skill.objects.bulk_create(
        Skill(name=names[key], key=key)
        for key in sorted(set(key_of.values()) - existing)
    )
    ids = dict(Skill.objects.values_list("key", "id"))
    return {spelling: ids[key] for spelling, key in key_of.items()}


def create_departments() -> dict[str, int]:
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


def create_teams(department_ids: dict[str, int]) -> dict[tuple[str, str], int]:
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
