"""Reads about the organisation's shape: team trees and line management.

Leavers keep their memberships and their place in the management chain as history,
but none of these reads shows them. Each read costs a fixed number of queries, or
one per ten levels of depth, however large the organisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Model, Q, QuerySet

from profiles.models import Department, Profile, Team, TeamMembership, User
from profiles.selectors.access import is_it_admin, it_admins

# How far up the org chart the manager chain reaches. Real chains stop well short
# of this; it bounds the queries if the data is ever wrong.
MANAGER_CHAIN_LIMIT = 30
# How many levels one query walks up a self-referencing foreign key.
_LEVELS_PER_QUERY = 10


def ids_above(
    model: type[Model], link: str, start_id: int, *, limit: int | None = None
) -> list[int]:
    """The ids reached by following `link` (a foreign key from `model` to itself) up
    from `start_id`, nearest first.

    Stops at the top, at `limit` ids, or where the chain meets itself: a loop in
    the data must end a walk, not hang it. Each query fetches ten levels at once.
    """
    lookups = ["__".join([link] * depth) for depth in range(1, _LEVELS_PER_QUERY + 1)]
    found: list[int] = []
    seen = {start_id}
    current = start_id
    while len(found) != limit:
        row = model.objects.filter(pk=current).values_list(*lookups).first()
        if row is None:
            break
        for next_id in row:
            if next_id is None or next_id in seen:
                return found
            found.append(next_id)
            seen.add(next_id)
            current = next_id
            if len(found) == limit:
                break
    return found


def team_ancestors(team: Team) -> list[Team]:
    """The teams above `team`, from the top of its department down to its parent."""
    ids = ids_above(Team, "parent", team.pk)
    teams = Team.objects.in_bulk(ids)
    return [teams[pk] for pk in reversed(ids) if pk in teams]


def _with_member_count(teams: QuerySet[Team]) -> QuerySet[Team]:
    return teams.annotate(
        member_count=Count(
            "memberships", filter=Q(memberships__profile__user__is_active=True)
        )
    )


def team_subteams(team: Team) -> QuerySet[Team]:
    """The teams directly under `team`, by name, each with its `member_count` of
    current staff."""
    return _with_member_count(Team.objects.filter(parent=team)).order_by("name", "pk")


def team_memberships(team: Team) -> QuerySet[TeamMembership]:
    """The current staff in `team`, heads first, then by surname."""
    return (
        TeamMembership.objects.filter(team=team, profile__user__is_active=True)
        .select_related("profile__user", "profile__grade")
        .order_by(
            "-is_head", "profile__user__last_name", "profile__user__first_name", "pk"
        )
    )


def department_teams(department: Department) -> QuerySet[Team]:
    """Every team in `department`, at any depth, by name."""
    return Team.objects.filter(department=department).order_by("name", "pk")


@dataclass
class TeamNode:
    """A team in a department's tree, with the teams directly under it."""

    team: Team
    children: list[TeamNode] = field(default_factory=list)


def team_tree(department: Department) -> list[TeamNode]:
    """The department's teams as a tree: its top-level teams, each holding its
    sub-teams, by name at every level. One query; every team has `member_count`."""
    teams = list(_with_member_count(department_teams(department)))
    nodes = {team.pk: TeamNode(team) for team in teams}
    roots = []
    for team in teams:
        parent = nodes.get(team.parent_id)
        # A parent outside the department would be a data error; showing the team
        # at the top beats losing it from the chart.
        (parent.children if parent else roots).append(nodes[team.pk])
    return roots


def manager_chain(profile: Profile) -> list[Profile]:
    """The current staff above `profile` in line management: their line manager
    first, then that person's, up to the top.

    A leaver in the chain is skipped, not a stop: the people above them still
    manage this person's part of the organisation.
    """
    ids = ids_above(Profile, "line_manager", profile.pk, limit=MANAGER_CHAIN_LIMIT)
    managers = Profile.objects.filter(pk__in=ids, user__is_active=True).select_related(
        "user", "grade", "department"
    )
    by_id = {manager.pk: manager for manager in managers}
    return [by_id[pk] for pk in ids if pk in by_id]


def direct_reports(profile: Profile) -> QuerySet[Profile]:
    """The current staff `profile` line manages, by surname."""
    return (
        Profile.objects.filter(line_manager=profile, user__is_active=True)
        .select_related("user", "grade", "department")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def can_add_team(user, parent: Team | None) -> bool:
    """Whether `user` may add a team under `parent`, or at the top of a department
    when `parent` is None: IT admins anywhere, heads under their own teams."""
    if parent is None:
        return is_it_admin(user)
    return can_edit_team(user, parent)


def can_edit_team(user, team: Team) -> bool:
    """Whether `user` may change a team's name and description: IT admins, and the
    head of the team or of any team above it."""
    return _has_authority_over(user, team)


def can_confirm_team_membership(user, team: Team) -> bool:
    """Whether `user` may put someone in `team` or make them its head, so that it
    counts (space grants, team edit rights, the org chart): IT admins, and the head
    of the team or of any team above it. Anyone else's change to who is in a team
    is only a request (`TeamMembershipRequest`) until one of them confirms it.

    Not the person's line manager as such: the owner sets their own line manager,
    so two colleagues could otherwise vouch for each other.
    """
    return _has_authority_over(user, team)


def team_membership_confirmers(team: Team) -> QuerySet[User]:
    """Who is asked to confirm a request to join `team` or head it: the current
    heads of the team and of every team above it, or, when it has none, the IT
    admins."""
    heads = User.objects.filter(
        is_active=True,
        profile__memberships__is_head=True,
        profile__memberships__team_id__in=[
            team.pk,
            *ids_above(Team, "parent", team.pk),
        ],
    ).distinct()
    if heads.exists():
        return heads
    return it_admins()


def _has_authority_over(user, team: Team) -> bool:
    if is_it_admin(user):
        return True
    if user is None or not user.is_active:
        return False
    return TeamMembership.objects.filter(
        profile__user=user,
        is_head=True,
        team_id__in=[team.pk, *ids_above(Team, "parent", team.pk)],
    ).exists()
