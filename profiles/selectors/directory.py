"""The People directory: current staff, filtered and sorted, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from profiles.models import (
    Department,
    Grade,
    Location,
    Profession,
    Profile,
    Skill,
    Team,
    TeamMembership,
)
from profiles.selectors.access import visible_q
from profiles.selectors.loading import with_public_data
from profiles.selectors.org import department_teams

# The orders the directory offers, with the label for the sort select.
SORTS = {
    "name": "Name",
    "grade": "Grade, most senior first",
    "department": "Department",
    "recently_updated": "Recently updated",
}

# People sort by surname, then the first name they go by.
_BY_NAME = (
    "user__last_name",
    Coalesce(NullIf("preferred_name", Value("")), "user__first_name"),
    "pk",
)
_ORDERINGS = {
    "name": _BY_NAME,
    "grade": (F("grade__rank").desc(nulls_last=True), *_BY_NAME),
    "department": ("department__name", *_BY_NAME),
    "recently_updated": ("-updated_at", "pk"),
}


def directory_profiles(
    *,
    viewer,
    department: Department | None = None,
    team: Team | None = None,
    grade: Grade | None = None,
    profession: Profession | None = None,
    skill: Skill | None = None,
    location: Location | None = None,
    sort: str = "name",
) -> QuerySet[Profile]:
    """Current staff matching every filter given, in the order `sort` names (a key
    of `SORTS`; anything else is a programming error).

    `team` matches its own members, not those of teams below it; `skill` matches a
    key or other skill. `location` matches only people whose location `viewer` may
    see, so the filter cannot reveal a location its owner hid.

    Each row comes with everything `profile_public_data` reads, so a page of any
    size costs the same few queries.
    """
    if sort not in _ORDERINGS:
        raise ValueError(f"Unknown directory sort {sort!r}")
    profiles = Profile.objects.filter(user__is_active=True)
    if department is not None:
        profiles = profiles.filter(department=department)
    if team is not None:
        profiles = profiles.filter(
            pk__in=TeamMembership.objects.filter(team=team).values("profile_id")
        )
    if grade is not None:
        profiles = profiles.filter(grade=grade)
    if profession is not None:
        profiles = profiles.filter(
            pk__in=Profile.professions.through.objects.filter(
                profession=profession
            ).values("profile_id")
        )
    if skill is not None:
        profiles = profiles.filter(
            Q(pk__in=_holders(Profile.key_skills.through, skill))
            | Q(pk__in=_holders(Profile.other_skills.through, skill))
        )
    if location is not None:
        profiles = profiles.filter(visible_q(viewer, "location"), location=location)
    return with_public_data(profiles).order_by(*_ORDERINGS[sort])


def _holders(links, skill: Skill) -> QuerySet:
    return links.objects.filter(skill=skill).values("profile_id")


@dataclass(frozen=True)
class DirectoryFacets:
    """The choices for each of the directory's filter selects."""

    departments: QuerySet[Department]
    grades: QuerySet[Grade]
    professions: QuerySet[Profession]
    locations: QuerySet[Location]
    teams: QuerySet[Team]


def directory_facets(*, department: Department | None = None) -> DirectoryFacets:
    """What the directory can be filtered by. Teams are offered once a department
    is chosen: across the whole civil service the list would be unusable."""
    return DirectoryFacets(
        departments=Department.objects.order_by("name"),
        grades=Grade.objects.order_by("rank"),
        professions=Profession.objects.order_by("name"),
        locations=Location.objects.order_by("name"),
        teams=(
            department_teams(department)
            if department is not None
            else Team.objects.none()
        ),
    )
