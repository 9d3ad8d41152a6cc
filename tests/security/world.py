"""One organisation with every kind of actor in every kind of space, for the
permission matrix and the search leak probe.

Each space (one per visibility) has the same cast: a guest, a member, a moderator
and an owner of its own; a department and a team let in as members by grants; a
former member whose account is now deactivated; two people who claimed the granted
team through their own profiles, as a member and as its head. Outside them: a member
of staff with no part in any space, an IT admin, and nobody (anonymous).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from profiles.services.editing import profile_update
from spaces.models import GrantRole, Invitation, JoinRequest, Marking, Role, Space
from spaces.services import grant_create
from spaces.thread_services import thread_start
from tests.profiles.factories import (
    DepartmentFactory,
    ProfileFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)
from tests.spaces.factories import SpaceFactory, add_member

# The actors each table has a column for, in its order.
TABLE_ACTORS = (
    "anonymous",
    "staff",
    "guest",
    "member",
    "moderator",
    "owner",
    "dept_grant",
    "team_grant",
    "it_admin",
    "deactivated",
)
# People who claimed the granted team on their own word, through their own profile:
# one put the team on it, one made themselves its head. Until a head of the team
# confirms, they are members of staff like any other, so every table reads their
# answers from its staff column (`with_self_asserted`).
SELF_ASSERTED = ("joins_team_themselves", "heads_team_themselves")
ACTORS = (*TABLE_ACTORS, *SELF_ASSERTED)


def with_self_asserted(row: dict[str, str]) -> dict[str, str]:
    """A table row ({actor: answer} for `TABLE_ACTORS`) with the self-asserted
    actors' answers: the staff column's."""
    return row | {actor: row["staff"] for actor in SELF_ASSERTED}


DIRECT_ROLES = {
    "guest": Role.GUEST,
    "member": Role.MEMBER,
    "moderator": Role.MODERATOR,
    "owner": Role.OWNER,
    "deactivated": Role.MEMBER,
}


@dataclass
class World:
    spaces: dict[str, Space]
    users: dict[str, object] = field(default_factory=dict)
    # People and things the actions act on, outside the cast of actors.
    newcomer: object = None
    new_department: object = None
    invitations: dict[str, Invitation] = field(default_factory=dict)
    join_requests: dict[str, JoinRequest] = field(default_factory=dict)
    # One OFFICIAL and one OFFICIAL-SENSITIVE thread per space, by visibility,
    # once `start_threads` has run.
    threads: dict[str, object] = field(default_factory=dict)
    sensitive_threads: dict[str, object] = field(default_factory=dict)

    def user(self, actor: str):
        return self.users.get(actor)


def build_world() -> World:
    home = DepartmentFactory(name="Cabinet Office", acronym="CO")
    granted_department = DepartmentFactory(name="HM Treasury", acronym="HMT")
    granted_team = TeamFactory(name="Digital estates")

    users = {
        actor: ProfileFactory(user__username=actor, department=home).user
        for actor in ("staff", *DIRECT_ROLES)
    }
    users["dept_grant"] = ProfileFactory(
        user__username="dept_grant", department=granted_department
    ).user
    team_profile = ProfileFactory(
        user__username="team_grant", department=granted_team.department
    )
    TeamMembershipFactory(profile=team_profile, team=granted_team)
    users["team_grant"] = team_profile.user
    for actor, is_head in zip(SELF_ASSERTED, (False, True), strict=True):
        claimant = ProfileFactory(
            user__username=actor, department=granted_team.department
        )
        # As their own edit form does it (`membership-0-team=<the team>`).
        profile_update(
            actor=claimant.user,
            profile=claimant,
            changes={
                "teams": [{"team": granted_team, "job_title": "", "is_head": is_head}]
            },
        )
        users[actor] = claimant.user
    users["it_admin"] = UserFactory(username="it_admin", it_admin=True)
    ProfileFactory(user=users["it_admin"], department=home)

    spaces = {}
    for visibility in Space.Visibility:
        space = SpaceFactory(
            name=f"The {visibility} space",
            slug=f"{visibility}-space",
            department=home,
            visibility=visibility,
        )
        for actor, role in DIRECT_ROLES.items():
            add_member(space, users[actor], role)
        owner = users["owner"]
        member = GrantRole.MEMBER
        grant_create(
            actor=owner, space=space, role=member, department=granted_department
        )
        grant_create(actor=owner, space=space, role=member, team=granted_team)
        spaces[visibility] = space

    # Someone asks to join the restricted space; someone is invited to each space.
    applicant = ProfileFactory(user__username="applicant", department=home).user
    restricted = spaces[Space.Visibility.RESTRICTED]
    join_requests = {
        restricted.visibility: JoinRequest.objects.create(
            space=restricted, user=applicant, message="May I join?"
        )
    }
    invitee = ProfileFactory(user__username="invitee", department=home).user
    invitations = {
        visibility: Invitation.objects.create(
            space=space, invitee=invitee, invited_by=users["owner"]
        )
        for visibility, space in spaces.items()
    }

    users["deactivated"].is_active = False
    users["deactivated"].save()
    return World(
        spaces=spaces,
        users=users,
        newcomer=ProfileFactory(user__username="newcomer", department=home).user,
        new_department=DepartmentFactory(name="Home Office", acronym="HO"),
        invitations=invitations,
        join_requests=join_requests,
    )


def start_threads(world: World) -> World:
    """Give every space of `world` an OFFICIAL and an OFFICIAL-SENSITIVE thread,
    each opened by the space's owner with one message."""
    owner = world.user("owner")
    for visibility, space in world.spaces.items():
        for found, marking in (
            (world.threads, Marking.OFFICIAL),
            (world.sensitive_threads, Marking.OFFICIAL_SENSITIVE),
        ):
            found[visibility] = thread_start(
                actor=owner,
                space=space,
                title=f"A {marking} thread",
                body="Opening message",
                client_id=f"matrix-{visibility}-{marking}",
                marking=marking,
            )
    return world
