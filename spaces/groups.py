"""The auth Groups that stand for departments and teams, kept in step with who is in
them, so that a grant to a department or team (a guardian group permission) follows
people as they move.

A group is made the first time a grant needs it, and filled then; from that moment
`sync_user_groups` (called through `intranet.access` when a person's department,
teams or account changes) keeps one person's groups right, and `sync_all_groups`
puts every group right in bulk after writes that bypass signals. Either names the
spaces whose readers changed to `intranet.access`. Groups that are not audience
groups are never touched.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from intranet import access
from profiles.models import Department, Profile, Team, TeamMembership
from spaces.models import SpaceAudienceGroup, SpaceGroupObjectPermission

BATCH_SIZE = 1000


def group_for_department(department: Department) -> Group:
    """The department's audience group, made and filled on first use."""
    return _audience_group(
        name=f"spaces:department:{department.pk}", department=department
    )


def group_for_team(team: Team) -> Group:
    """The team's audience group, made and filled on first use."""
    return _audience_group(name=f"spaces:team:{team.pk}", team=team)


def _audience_group(*, name: str, **audience) -> Group:
    found = (
        SpaceAudienceGroup.objects.filter(**audience).select_related("group").first()
    )
    if found is not None:
        return found.group
    try:
        with transaction.atomic():
            group = Group.objects.create(name=name)
            created = SpaceAudienceGroup.objects.create(group=group, **audience)
    except IntegrityError:
        # Made at the same moment by another request.
        return SpaceAudienceGroup.objects.select_related("group").get(**audience).group
    _sync(SpaceAudienceGroup.objects.filter(pk=created.pk))
    return group


def access_changed(change: access.AccessChange) -> None:
    """The `intranet.access` subscriber: the people named get their groups."""
    if change.users:
        for user in get_user_model().objects.filter(pk__in=change.users):
            sync_user_groups(user)


def sync_user_groups(user) -> None:
    """Put `user` in exactly the audience groups of their department and teams; a
    deactivated user in none."""
    if user is None or user.pk is None:
        return
    wanted: set[int] = set()
    if user.is_active:
        wanted = set(
            SpaceAudienceGroup.objects.filter(
                Q(department__profiles__user=user)
                | Q(team__memberships__profile__user=user)
            ).values_list("group_id", flat=True)
        )
    through = get_user_model().groups.through
    current = set(
        through.objects.filter(
            user_id=user.pk, group__space_audience__isnull=False
        ).values_list("group_id", flat=True)
    )
    if current - wanted:
        through.objects.filter(user_id=user.pk, group_id__in=current - wanted).delete()
    if wanted - current:
        through.objects.bulk_create(
            [through(user_id=user.pk, group_id=g) for g in wanted - current],
            ignore_conflicts=True,
        )
    if current ^ wanted:
        # Only a lost group can take a space away from a socket following it.
        access.access_changed(spaces=_spaces_granted_to(current - wanted))


def _spaces_granted_to(group_ids) -> list[int]:
    return list(
        SpaceGroupObjectPermission.objects.filter(group_id__in=group_ids)
        .values_list("content_object_id", flat=True)
        .distinct()
    )


def sync_all_groups() -> None:
    """Put every audience group right, in a few queries whatever the headcount."""
    _sync(SpaceAudienceGroup.objects.all())


def _sync(audiences: QuerySet[SpaceAudienceGroup]) -> None:
    by_department: dict[int, int] = {}
    by_team: dict[int, int] = {}
    for group_id, department_id, team_id in audiences.values_list(
        "group_id", "department_id", "team_id"
    ):
        if department_id is not None:
            by_department[department_id] = group_id
        else:
            by_team[team_id] = group_id
    group_ids = set(by_department.values()) | set(by_team.values())
    if not group_ids:
        return

    wanted: set[tuple[int, int]] = set()
    for user_id, department_id in Profile.objects.filter(
        user__is_active=True, department_id__in=by_department
    ).values_list("user_id", "department_id"):
        wanted.add((user_id, by_department[department_id]))
    for user_id, team_id in TeamMembership.objects.filter(
        profile__user__is_active=True, team_id__in=by_team
    ).values_list("profile__user_id", "team_id"):
        wanted.add((user_id, by_team[team_id]))

    through = get_user_model().groups.through
    stale: list[int] = []
    stale_groups: set[int] = set()
    current: set[tuple[int, int]] = set()
    for pk, user_id, group_id in through.objects.filter(
        group_id__in=group_ids
    ).values_list("pk", "user_id", "group_id"):
        if (user_id, group_id) in wanted:
            current.add((user_id, group_id))
        else:
            stale.append(pk)
            stale_groups.add(group_id)
    for batch in _batches(stale):
        through.objects.filter(pk__in=batch).delete()
    missing = [
        through(user_id=user_id, group_id=group_id)
        for user_id, group_id in wanted - current
    ]
    through.objects.bulk_create(missing, batch_size=BATCH_SIZE, ignore_conflicts=True)
    changed = stale_groups | {row.group_id for row in missing}
    if changed:
        # Bulk writes send no save signals: say what changed.
        access.access_changed(spaces=_spaces_granted_to(changed))


def _batches(items: list, size: int = BATCH_SIZE) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
