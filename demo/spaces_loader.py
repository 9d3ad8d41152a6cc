"""Write the demo organisation's spaces, once, through the spaces services.

Every space, membership, role, grant, request and invitation is made by the
service a person would use on Crossgov's pages, and by the person who would use
it: the owner creates the space, a colleague asks to join and the owner approves,
the owner invites and the invitee accepts. So the guardian permissions, the audit
log, the search outbox and the notifications are exactly what real use leaves
behind. That costs a few hundred service calls whatever the headcount (a space's
own members are a handful; a grant lets a whole department or team in with one
call), which is why bulk writes are not worth their risk here.

Grants are made after the people are in, and each grant fills its department's
or team's group as it makes it, so no group needs putting right afterwards.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from demo.logins import DEMO_ADMIN_USERNAME, DEMO_LOGINS, DEMO_USERNAME
from demo.spaces import (
    GUEST,
    INVITED,
    JOIN_MESSAGES,
    MEMBER,
    MODERATOR,
    OWNER,
    PRIVATE,
    REQUESTED,
    RESTRICTED,
    SpaceSpec,
    space_specs,
)
from profiles.models import Department, Profile, Team, User
from spaces import services
from spaces.models import Invitation, JoinRequest, Space, SpaceGrant, SpaceMembership

ALREADY_SEEDED = "Spaces already present; no demo spaces added."
NO_DEMO = "No demo organisation to add spaces to."


@dataclass(frozen=True)
class SpacesSummary:
    spaces: int
    open: int
    restricted: int
    private: int
    memberships: int
    grants: int
    pending_requests: int
    pending_invitations: int


def reason_to_skip() -> str | None:
    """Why adding the demo spaces would be wrong here, or None.

    Only a demo organisation gets them, and only while it has no spaces at all:
    demo spaces are never mixed into spaces someone made.
    """
    if not User.objects.filter(username=DEMO_USERNAME).exists():
        return NO_DEMO
    if Space.objects.exists():
        return ALREADY_SEEDED
    return None


def seed_spaces(*, how_many: int, seed: int) -> SpacesSummary | str:
    """Add `how_many` demo spaces (see `demo.spaces`) to the demo
    organisation, in one transaction; or say why nothing was added.

    The same seed over the same organisation gives the same spaces, people and
    roles.
    """
    with transaction.atomic():
        reason = reason_to_skip()
        if reason is not None:
            return reason
        world = _World.load(seed)
        for spec in space_specs(how_many):
            _seed_space(spec, world)
    return _summary()


@dataclass
class _World:
    """The people and organisation the spaces are made from, and the one source
    of randomness, used in a fixed order."""

    rng: random.Random
    by_department: dict[str, list[int]]  # user ids by department acronym
    everyone: list[int]
    demo: User
    fallback_owner: User
    departments: dict[str, Department]
    teams: dict[tuple[str, str], Team]  # by (department acronym, team slug)

    @classmethod
    def load(cls, seed: int) -> _World:
        logins = [login.person.username for login in DEMO_LOGINS]
        # Current staff only (services refuse leavers), by username so that the
        # same seed draws the same people on any database.
        staff = (
            Profile.objects.filter(user__is_active=True)
            .exclude(user__username__in=logins)
            .order_by("user__username")
            .values_list("user_id", "department__acronym")
        )
        by_department: dict[str, list[int]] = {}
        everyone: list[int] = []
        for user_id, acronym in staff:
            by_department.setdefault(acronym, []).append(user_id)
            everyone.append(user_id)
        demo = User.objects.get(username=DEMO_USERNAME)
        return cls(
            rng=random.Random(f"{seed}:spaces"),  # noqa: S311 - demo data
            by_department=by_department,
            everyone=everyone,
            demo=demo,
            # A demo with no invented staff still gets its spaces.
            fallback_owner=User.objects.filter(username=DEMO_ADMIN_USERNAME).first()
            or demo,
            departments={d.acronym: d for d in Department.objects.all()},
            teams={
                (team.department.acronym, team.slug): team
                for team in Team.objects.select_related("department")
            },
        )

    def owner_for(self, spec: SpaceSpec) -> int:
        if spec.demo == OWNER:
            return self.demo.pk
        pool = self.by_department.get(spec.department) or self.everyone
        return self.rng.choice(pool) if pool else self.fallback_owner.pk

    def draw(
        self, departments: Iterable[str], k: int, *, besides: set[int]
    ) -> list[int]:
        """`k` people (fewer if there are not enough), from `departments` first."""
        pool = [
            user_id
            for acronym in dict.fromkeys(departments)
            for user_id in self.by_department.get(acronym, ())
            if user_id not in besides
        ]
        chosen = self.rng.sample(pool, min(k, len(pool)))
        if len(chosen) < k:
            taken = besides | set(chosen)
            rest = [user_id for user_id in self.everyone if user_id not in taken]
            chosen += self.rng.sample(rest, min(k - len(chosen), len(rest)))
        return chosen


def _seed_space(spec: SpaceSpec, world: _World) -> None:
    owner_id = world.owner_for(spec)
    joining = max(spec.size - 1, 0)
    drawn = world.draw(
        spec.draw_from, joining + spec.waiting, besides={owner_id, world.demo.pk}
    )
    users = User.objects.in_bulk([owner_id, *drawn])
    owner = users[owner_id]
    space = services.space_create(
        actor=owner,
        name=spec.name,
        slug=spec.slug,
        department=world.departments[spec.department],
        visibility=spec.visibility,
        description=spec.description,
        default_marking=spec.marking,
    )
    joiners = [users[user_id] for user_id in drawn[:joining]]
    roles = _roles(len(joiners))
    if spec.demo in (MODERATOR, MEMBER, GUEST):
        joiners.append(world.demo)
        roles.append(spec.demo)
    for person, role in zip(joiners, roles, strict=True):
        _let_in(space, owner=owner, person=person, role=role, rng=world.rng)
    for grant in spec.grants:
        services.grant_create(
            actor=owner,
            space=space,
            role=grant.role,
            department=None if grant.team else world.departments[grant.department],
            team=world.teams[grant.department, grant.team] if grant.team else None,
        )
    waiting = [users[user_id] for user_id in drawn[joining:]]
    if spec.demo in (REQUESTED, INVITED):
        waiting.append(world.demo)
    for person in waiting:
        _leave_waiting(space, owner=owner, person=person, rng=world.rng)
    if spec.archived:
        services.space_archive(actor=owner, space=space)


def _roles(count: int) -> list[str]:
    """Roles for `count` people joining a space: a co-owner in a larger space,
    a moderator or two, a few guests, members the rest."""
    owners = 1 if count >= 9 else 0
    moderators = 2 if count >= 12 else 1 if count >= 4 else 0
    guests = max(1, count // 6) if count >= 5 else 0
    members = count - owners - moderators - guests
    return (
        [OWNER] * owners
        + [MODERATOR] * moderators
        + [MEMBER] * members
        + [GUEST] * guests
    )


def _let_in(
    space: Space, *, owner: User, person: User, role: str, rng: random.Random
) -> None:
    """`person` joins as they would on the site, then the owner sets their role."""
    if role == GUEST or space.visibility == PRIVATE:
        invitation = services.invitation_create(
            actor=owner,
            space=space,
            invitee=person,
            role=GUEST if role == GUEST else MEMBER,
        )
        services.invitation_accept(actor=person, invitation=invitation)
    elif space.visibility == RESTRICTED:
        request = services.join_request_create(
            actor=person, space=space, message=rng.choice(JOIN_MESSAGES)
        )
        services.join_request_approve(actor=owner, join_request=request)
    else:
        services.membership_join(actor=person, space=space)
    if role in (OWNER, MODERATOR):
        membership = SpaceMembership.objects.get(space=space, user=person)
        services.membership_set_role(actor=owner, membership=membership, role=role)


def _leave_waiting(
    space: Space, *, owner: User, person: User, rng: random.Random
) -> None:
    """A request to join a restricted space, or an invitation to any other,
    left for an answer."""
    if space.visibility == RESTRICTED:
        services.join_request_create(
            actor=person, space=space, message=rng.choice(JOIN_MESSAGES)
        )
    else:
        services.invitation_create(actor=owner, space=space, invitee=person)


def _summary() -> SpacesSummary:
    kinds = Counter(Space.objects.values_list("visibility", flat=True))
    return SpacesSummary(
        spaces=sum(kinds.values()),
        open=kinds[Space.Visibility.OPEN],
        restricted=kinds[Space.Visibility.RESTRICTED],
        private=kinds[Space.Visibility.PRIVATE],
        memberships=SpaceMembership.objects.count(),
        grants=SpaceGrant.objects.count(),
        pending_requests=JoinRequest.objects.filter(
            status=JoinRequest.Status.PENDING
        ).count(),
        pending_invitations=Invitation.objects.filter(
            status=Invitation.Status.PENDING
        ).count(),
    )
