"""Changing the organisation's shape: teams in their tree, and line management.

Every change to a department's team tree first locks that department's row, so two
changes to one tree run one after the other: two moves that are each safe alone
cannot together make a loop, and two new teams cannot take the same slug.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from intranet.audit import audit_record
from intranet.indexing import index_ids_later
from profiles.errors import ProfileForbidden, ProfileInvalid
from profiles.models import Department, Profile, Team, TeamMembership
from profiles.selectors.access import is_it_admin
from profiles.selectors.org import can_add_team, can_edit_team, ids_above

NAME_MAX_LENGTH = Team._meta.get_field("name").max_length
DESCRIPTION_MAX_LENGTH = Team._meta.get_field("description").max_length
_SLUG_MAX_LENGTH = Team._meta.get_field("slug").max_length
# Room left after a slug's base for a "-2", "-3"… that makes it unique.
_SLUG_BASE_LENGTH = _SLUG_MAX_LENGTH - 10


@transaction.atomic
def team_create(
    *,
    actor,
    department: Department,
    name: str,
    parent: Team | None = None,
    description: str = "",
) -> Team:
    """Add a team to `department`, at the top or under `parent`.

    IT admins may add any team; the head of a team may add teams under it.
    """
    if not can_add_team(actor, parent):
        raise ProfileForbidden("You cannot add a team here")
    name, description = _clean(name, description)
    if parent is not None and parent.department_id != department.pk:
        raise ProfileInvalid(
            "The parent team must be in the same department", field="parent"
        )

    _lock_departments(department.pk)
    _refuse_sibling_name(department.pk, parent, name)
    team = Team.objects.create(
        department=department,
        parent=parent,
        name=name,
        description=description,
        slug=_unique_slug(name, department.pk),
    )
    audit_record(
        actor=actor,
        action="team.create",
        target=team,
        details={"before": None, "after": _state(team)},
    )
    return team


@transaction.atomic
def team_update(*, actor, team: Team, name: str, description: str) -> Team:
    """Rename a team or change its description.

    IT admins and the heads of the team, or of any team above it, may. The slug
    stays as it was, so links to the team keep working.
    """
    if not can_edit_team(actor, team):
        raise ProfileForbidden("You cannot change this team")
    name, description = _clean(name, description)

    _lock_departments(team.department_id)
    team.refresh_from_db()
    before = {"name": team.name, "description": team.description}
    after = {"name": name, "description": description}
    changed = [key for key in after if after[key] != before[key]]
    if not changed:
        return team
    if "name" in changed:
        _refuse_sibling_name(team.department_id, team.parent, name, exclude=team)
    team.name, team.description = name, description
    team.save(update_fields=changed)
    if "name" in changed:
        index_ids_later(Profile, _member_ids([team.pk]))
    audit_record(
        actor=actor,
        action="team.update",
        target=team,
        details={
            "before": {key: before[key] for key in changed},
            "after": {key: after[key] for key in changed},
        },
    )
    return team


@transaction.atomic
def team_move(
    *,
    actor,
    team: Team,
    new_parent: Team | None,
    department: Department | None = None,
) -> Team:
    """Move `team`, with every team under it, under `new_parent` (or to the top).

    A team cannot go under itself or its own sub-teams. To move it to another
    department, pass that `department`: the whole subtree moves there, and a
    sub-team whose slug is taken in the new department gets a new one. Only IT
    admins may move teams.
    """
    if not is_it_admin(actor):
        raise ProfileForbidden("Only IT admins can move teams")
    # Lock every department the move touches, then read the tree afresh: what
    # the caller loaded may be out of date by the time the lock is held.
    _lock_departments(
        team.department_id,
        new_parent.department_id if new_parent else None,
        department.pk if department else None,
    )
    team.refresh_from_db()
    if new_parent is not None:
        new_parent.refresh_from_db()

    target = _target_department(team, new_parent, department)
    if new_parent is not None:
        if new_parent.pk == team.pk:
            raise ProfileInvalid("A team cannot be moved under itself", field="parent")
        if team.pk in ids_above(Team, "parent", new_parent.pk):
            raise ProfileInvalid(
                "A team cannot be moved under one of its own sub-teams",
                field="parent",
            )
    new_parent_id = new_parent.pk if new_parent else None
    if new_parent_id == team.parent_id and target.pk == team.department_id:
        return team

    before = _state(team)
    new_slugs = {}
    if target.pk != team.department_id:
        new_slugs = _move_subtree(team, target)
    team.parent = new_parent
    team.department = target
    team.slug = new_slugs.get(team.pk, team.slug)
    team.save(update_fields=["parent", "department", "slug"])
    details = {"before": before, "after": _state(team)}
    if new_slugs:
        details["new_slugs"] = {str(pk): slug for pk, slug in new_slugs.items()}
    audit_record(actor=actor, action="team.move", target=team, details=details)
    index_ids_later(Profile, _member_ids([team.pk, *_descendants(team)]))
    return team


def _member_ids(team_ids: list[int]):
    """The profiles in these teams, whose search documents name the teams."""
    return TeamMembership.objects.filter(team_id__in=team_ids).values_list(
        "profile_id", flat=True
    )


def _target_department(
    team: Team, new_parent: Team | None, department: Department | None
) -> Department:
    """The department the team ends up in; a parent elsewhere needs it said."""
    if department is None:
        if new_parent is not None and new_parent.department_id != team.department_id:
            raise ProfileInvalid(
                "The new parent team is in another department. "
                "Choose that department to move the team there",
                field="parent",
            )
        return team.department
    if new_parent is not None and new_parent.department_id != department.pk:
        raise ProfileInvalid(
            "The new parent team must be in the department you chose", field="parent"
        )
    return department


def _move_subtree(team: Team, target: Department) -> dict[int, str]:
    """Put every team below `team` in `target`, and return the slugs, `team`'s own
    included, that are taken there and had to change. The caller saves `team`."""
    subtree = _descendants(team)
    taken = set(Team.objects.filter(department=target).values_list("slug", flat=True))
    new_slugs = {}
    for pk, name, slug in Team.objects.filter(pk__in=[team.pk, *subtree]).values_list(
        "pk", "name", "slug"
    ):
        if slug in taken:
            new_slugs[pk] = _free_slug(name, taken)
        taken.add(new_slugs.get(pk, slug))
    for pk, slug in new_slugs.items():
        if pk != team.pk:
            Team.objects.filter(pk=pk).update(slug=slug, department=target)
    Team.objects.filter(pk__in=subtree).exclude(pk__in=new_slugs).update(
        department=target
    )
    return new_slugs


def _descendants(team: Team) -> list[int]:
    """The ids of every team below `team`, one query per level."""
    found: list[int] = []
    level = [team.pk]
    while level:
        level = list(
            Team.objects.filter(parent_id__in=level)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        found.extend(level)
    return found


def _lock_departments(*department_ids: int | None) -> None:
    ids = sorted({pk for pk in department_ids if pk is not None})
    # Always in id order, so two transactions locking the same pair cannot
    # deadlock.
    list(Department.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def _clean(name: str, description: str) -> tuple[str, str]:
    name = " ".join(name.split())
    description = description.strip()
    if not name:
        raise ProfileInvalid("Enter a team name", field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise ProfileInvalid(
            f"Team name must be {NAME_MAX_LENGTH} characters or less", field="name"
        )
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise ProfileInvalid(
            f"Description must be {DESCRIPTION_MAX_LENGTH:,} characters or less",
            field="description",
        )
    return name, description


def _refuse_sibling_name(
    department_id: int, parent: Team | None, name: str, exclude: Team | None = None
) -> None:
    # Two teams of one name side by side would be indistinguishable in the tree,
    # the directory's team filter and people's profiles.
    siblings = Team.objects.filter(
        department_id=department_id, parent=parent, name__iexact=name
    )
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude.pk)
    if siblings.exists():
        raise ProfileInvalid(
            f"There is already a team called {name} here", field="name"
        )


def _unique_slug(name: str, department_id: int) -> str:
    base = _slug_base(name)
    taken = set(
        Team.objects.filter(
            department_id=department_id, slug__startswith=base
        ).values_list("slug", flat=True)
    )
    return _free_slug(name, taken)


def _free_slug(name: str, taken: set[str]) -> str:
    base = _slug_base(name)
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _slug_base(name: str) -> str:
    # A name in a script slugify drops entirely still needs a slug.
    return slugify(name)[:_SLUG_BASE_LENGTH].strip("-") or "team"


def _state(team: Team) -> dict:
    return {
        "name": team.name,
        "department": team.department_id,
        "parent": team.parent_id,
        "slug": team.slug,
    }


def check_manager_chain(*, profile: Profile, manager: Profile | None) -> None:
    """Refuse `manager` as `profile`'s line manager if that cannot be right.

    A person cannot manage themselves, a leaver cannot manage anyone, and nobody
    can be managed by someone they manage, however many levels down.
    """
    if manager is None:
        return
    if profile.pk is not None and manager.pk == profile.pk:
        raise ProfileInvalid(
            "A person cannot be their own line manager", field="line_manager"
        )
    if not manager.user.is_active:
        raise ProfileInvalid(
            f"{manager.display_name} has left, so cannot be a line manager",
            field="line_manager",
        )
    if profile.pk is not None and profile.pk in ids_above(
        Profile, "line_manager", manager.pk
    ):
        raise ProfileInvalid(
            f"{manager.display_name} reports to {profile.display_name}, directly or "
            "through their managers, so cannot be their line manager",
            field="line_manager",
        )
