"""Every question about who may see or do what in a space, answered once.

Views, consumers, search, feeds and notifications ask these functions and nothing
else. Permissions come only from guardian object permissions on the space (a
membership's role, or a grant to the person's department or team): superusers get
no free pass, global permissions count for nothing, and IT admins manage access
without seeing private content.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import get_objects_for_user

from intranet.models import AuditEvent
from profiles.models import Department, Profile, TeamMembership
from profiles.selectors.access import is_active_account, is_it_admin
from spaces import roles
from spaces.models import (
    Invitation,
    JoinRequest,
    Marking,
    Message,
    MessageRevision,
    Reaction,
    Role,
    Space,
    SpaceGrant,
    SpaceMembership,
    Thread,
    ThreadReader,
)

LISTED = (Space.Visibility.OPEN, Space.Visibility.RESTRICTED)
SENSITIVE_ROLES = (Role.OWNER, Role.MODERATOR, Role.MEMBER)


def space_permissions(user, space: Space) -> frozenset[str]:
    """The permission codenames `user` holds on `space`, directly or through a
    grant to their department or team. Empty for a deactivated or anonymous user."""
    if not is_active_account(user):
        return frozenset()
    # The checker's user and group lookups, not has_perm/get_perms: those hand a
    # superuser every permission.
    checker = ObjectPermissionChecker(user)
    return frozenset(checker.get_user_perms(space)) | frozenset(
        checker.get_group_perms(space)
    )


def can_view_space(user, space: Space) -> bool:
    """Whether the space exists for `user`: its name, description and pages.

    Open and restricted spaces are listed to all staff; a private one exists only
    for those who may read it (to anyone else it is a 404).
    """
    if not is_active_account(user):
        return False
    if space.visibility in LISTED:
        return True
    return roles.VIEW in space_permissions(user, space)


def can_view_content(user, space: Space) -> bool:
    """Whether `user` may read the space's threads, messages and posts."""
    if not is_active_account(user):
        return False
    if space.visibility == Space.Visibility.OPEN:
        return True
    return roles.VIEW in space_permissions(user, space)


def can_view_sensitive(user, space: Space) -> bool:
    """Whether `user` may read the space's OFFICIAL-SENSITIVE items: its own
    owners, moderators and members; not guests, and not people let in by a
    department or team grant."""
    if not is_active_account(user):
        return False
    return SpaceMembership.objects.filter(
        space=space, user=user, role__in=SENSITIVE_ROLES
    ).exists()


def can_view_thread(user, thread) -> bool:
    """Whether `user` may read a thread and its messages: its space's content,
    and for an OFFICIAL-SENSITIVE thread, the space's own members only."""
    space = thread.space
    if not can_view_content(user, space):
        return False
    if thread.marking == Marking.OFFICIAL_SENSITIVE:
        return can_view_sensitive(user, space)
    return True


def threads_readable_by(user) -> QuerySet[Thread]:
    """Every thread `user` may read (`can_view_thread` as a queryset)."""
    return Thread.objects.filter(space__in=spaces_readable_by(user)).filter(
        ~Q(marking=Marking.OFFICIAL_SENSITIVE)
        | Q(space__in=spaces_sensitive_readable_by(user))
    )


def visible_thread(user, thread_id) -> Thread | None:
    """The thread with this id if `user` may read it; None for a missing thread
    and a hidden one alike."""
    try:
        thread_id = int(thread_id)
    except (TypeError, ValueError):
        return None
    thread = Thread.objects.select_related("space").filter(pk=thread_id).first()
    if thread is None or not can_view_thread(user, thread):
        return None
    return thread


def thread_messages(thread, *, after: int | None = None, limit: int | None = None):
    """A thread's messages in seq order, after a seq when given (tombstones
    included: they keep their place)."""
    messages = Message.objects.filter(thread=thread).select_related("author")
    if after:
        messages = messages.filter(seq__gt=after)
    messages = messages.order_by("seq")
    return messages[:limit] if limit is not None else messages


# A space's threads, and one page of a thread ----------------------------------------


THREAD_LIST_SIZE = 20
THREAD_PAGE_SIZE = 50


def _with_unread(threads: QuerySet[Thread], user) -> QuerySet[Thread]:
    """Annotate each thread with `unread`, how many of its messages `user` has
    not read, and `muted`.

    Unread is what came after their read marker; in a thread they never opened,
    all of it, but only if the thread was active after they joined its space
    (after their account was made, when a grant let them in): joining a busy
    space does not greet anyone with its whole past as unread."""
    reader = ThreadReader.objects.filter(thread=OuterRef("pk"), user=user)
    joined = (
        SpaceMembership.objects.filter(space=OuterRef("space_id"), user=user)
        .order_by()
        .values("joined_at")[:1]
    )
    since = Coalesce(
        Subquery(joined), Value(user.date_joined, output_field=models.DateTimeField())
    )
    return threads.annotate(
        unread=Case(
            When(
                Exists(reader) | Q(last_activity_at__gte=since),
                then=models.F("last_seq")
                - Coalesce(Subquery(reader.values("last_read_seq")[:1]), 0),
            ),
            default=Value(0),
            output_field=IntegerField(),
        ),
        muted=Exists(reader.filter(follow=ThreadReader.Follow.MUTED)),
    )


def space_threads(user, space: Space, *, limit: int = THREAD_LIST_SIZE):
    """The space's most recently active threads that `user` may read, pinned
    first, each with `unread` and `muted` (`_with_unread`). One query for the
    list, however long; an OFFICIAL-SENSITIVE thread is left out for grants and
    guests."""
    if not can_view_content(user, space):
        return Thread.objects.none()
    threads = Thread.objects.filter(space=space)
    if not can_view_sensitive(user, space):
        threads = threads.exclude(marking=Marking.OFFICIAL_SENSITIVE)
    return _with_unread(threads.select_related("space", "author"), user).order_by(
        "-pinned", "-last_activity_at", "-pk"
    )[:limit]


def unread_threads(
    user, spaces: Iterable[Space], *, include_muted: bool = False
) -> QuerySet[Thread]:
    """The threads in `spaces` that `user` may read (OFFICIAL-SENSITIVE ones
    only in spaces they are a member of) with unread messages (`_with_unread`),
    muted ones left out unless asked for."""
    threads = threads_readable_by(user).filter(
        space_id__in=[space.pk for space in spaces]
    )
    threads = _with_unread(threads, user).filter(unread__gt=0)
    if not include_muted:
        threads = threads.filter(muted=False)
    return threads.order_by()


def unread_threads_by_space(user, spaces: Iterable[Space]) -> dict[int, int]:
    """How many `unread_threads` (muted ones not counted) each of `spaces` holds
    for `user`, by space id (a space with none is left out), in one query."""
    counts = (
        unread_threads(user, spaces).values("space_id").annotate(unread=Count("pk"))
    )
    return {row["space_id"]: row["unread"] for row in counts}


@dataclass(frozen=True)
class ReactionCount:
    emoji: str
    count: int
    mine: bool


@dataclass(frozen=True)
class ThreadPage:
    """One page of a thread as its page shows it.

    `messages` are in seq order, each with `reaction_counts` (ReactionCount, in
    the order the reactions were first given) and its `revisions` prefetched,
    newest first. `older_than` is the `before` that asks for the page above
    (None at the thread's start); `latest` says the page ends with the thread's
    newest message, so live updates may extend it."""

    messages: list[Message]
    older_than: int | None
    latest: bool
    follow: str


def thread_page(
    user, thread: Thread, *, before: int | None = None, size: int = THREAD_PAGE_SIZE
) -> ThreadPage:
    """Up to `size` messages of a thread `user` may read, the newest before seq
    `before` (the newest of all without it), in a fixed number of queries."""
    messages = thread_messages(thread).prefetch_related(
        models.Prefetch(
            "revisions",
            queryset=MessageRevision.objects.order_by("-edited_at", "-pk"),
        )
    )
    if before is not None:
        messages = messages.filter(seq__lt=before)
    page = list(messages.order_by("-seq")[:size])[::-1]
    counts = _reaction_counts(user, [message.pk for message in page])
    for message in page:
        message.thread = thread
        message.reaction_counts = counts.get(message.pk, [])
    follow = (
        ThreadReader.objects.filter(thread=thread, user=user)
        .values_list("follow", flat=True)
        .first()
    )
    return ThreadPage(
        messages=page,
        older_than=page[0].seq if page and page[0].seq > 1 else None,
        latest=not page or page[-1].seq >= thread.last_seq,
        follow=follow or ThreadReader.Follow.DEFAULT,
    )


def _reaction_counts(user, message_ids: list[int]) -> dict[int, list[ReactionCount]]:
    rows = (
        Reaction.objects.filter(message_id__in=message_ids)
        .values("message_id", "emoji")
        .annotate(
            count=models.Count("pk"),
            mine=models.Count("pk", filter=Q(user=user)),
            first=models.Min("created_at"),
        )
        .order_by("message_id", "first", "emoji")
    )
    counts: dict[int, list[ReactionCount]] = {}
    for row in rows:
        counts.setdefault(row["message_id"], []).append(
            ReactionCount(emoji=row["emoji"], count=row["count"], mine=row["mine"] > 0)
        )
    return counts


def thread_message(thread: Thread, seq: int) -> Message | None:
    """Message `seq` of a thread the caller may read; None when it has none."""
    message = thread_messages(thread).filter(seq=seq).first()
    if message is not None:
        message.thread = thread
    return message


def thread_changes(thread, *, up_to: int, since: int):
    """Messages up to seq `up_to` edited, deleted or reacted to after change
    number `since`, in the order of their latest change."""
    return (
        Message.objects.filter(thread=thread, seq__lte=up_to, change__gt=since)
        .select_related("author")
        .order_by("change")
    )


def can_post(user, space: Space) -> bool:
    """Whether `user` may post and reply; nobody may in an archived space."""
    return not space.archived and roles.POST in space_permissions(user, space)


def can_start_thread(user, space: Space) -> bool:
    return not space.archived and roles.START_THREAD in space_permissions(user, space)


def can_moderate(user, space: Space) -> bool:
    """Owners and moderators: decide join requests, invite, moderate content."""
    return not space.archived and roles.MODERATE in space_permissions(user, space)


def can_manage(user, space: Space) -> bool:
    """Owners: the space's settings, archive state, roles and grants."""
    return roles.MANAGE in space_permissions(user, space)


def can_manage_access(user, space: Space) -> bool:
    """Owners, and IT admins for any space: memberships, roles and grants."""
    return can_manage(user, space) or is_it_admin(user)


def can_invite(user, space: Space) -> bool:
    """Owners, moderators and IT admins: invite people, decide join requests."""
    return can_moderate(user, space) or can_manage_access(user, space)


def can_open_space(user, space: Space) -> bool:
    """Whether the space's pages answer `user` at all (otherwise 404).

    IT admins manage access to every space, so a private space's home, members,
    manage and history pages open for them; its content still follows
    `can_view_content`.
    """
    return can_view_space(user, space) or is_it_admin(user)


def can_see_members(user, space: Space) -> bool:
    """Who belongs to a space is for those who may read it, and for those who
    manage its access."""
    return can_view_content(user, space) or can_manage_access(user, space)


def can_see_access_history(user, space: Space) -> bool:
    """The space's access history: its owners, moderators and IT admins."""
    return can_invite(user, space) or can_manage_access(user, space)


def _spaces_with_view_permission(user) -> QuerySet[Space]:
    return get_objects_for_user(
        user,
        f"spaces.{roles.VIEW}",
        klass=Space,
        with_superuser=False,
        accept_global_perms=False,
    )


def spaces_visible_to(user) -> QuerySet[Space]:
    """Every space that exists for `user` (`can_view_space` as a queryset)."""
    if not is_active_account(user):
        return Space.objects.none()
    return Space.objects.filter(
        Q(visibility__in=LISTED)
        | Q(pk__in=_spaces_with_view_permission(user).values("pk"))
    )


def spaces_readable_by(user) -> QuerySet[Space]:
    """Every space whose content `user` may read (`can_view_content` as a
    queryset)."""
    if not is_active_account(user):
        return Space.objects.none()
    return Space.objects.filter(
        Q(visibility=Space.Visibility.OPEN)
        | Q(pk__in=_spaces_with_view_permission(user).values("pk"))
    )


def my_spaces(user) -> QuerySet[Space]:
    """The spaces `user` belongs to, as a member or through a grant."""
    if not is_active_account(user):
        return Space.objects.none()
    return Space.objects.filter(pk__in=_spaces_with_view_permission(user).values("pk"))


def spaces_sensitive_readable_by(user) -> QuerySet[Space]:
    """Every space whose OFFICIAL-SENSITIVE items `user` may read
    (`can_view_sensitive` as a queryset)."""
    if not is_active_account(user):
        return Space.objects.none()
    return Space.objects.filter(
        memberships__user=user, memberships__role__in=SENSITIVE_ROLES
    )


def visible_space(user, slug: str) -> Space | None:
    """The space at `slug` if its pages open for `user` (`can_open_space`); None
    otherwise (callers answer 404, so a private space is indistinguishable from a
    missing one)."""
    space = Space.objects.select_related("department").filter(slug=slug).first()
    if space is None or not can_open_space(user, space):
        return None
    return space


# The directory and a person's own invitations and requests ----------------------


SEARCH_TERMS_MAX = 8


def _member_count():
    """`member_count` for a queryset of spaces: people with their own membership
    (not those let in by a grant), in one subquery whatever the page size."""
    counted = (
        SpaceMembership.objects.filter(space=OuterRef("pk"))
        .order_by()
        .values("space")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def _matching(
    spaces: QuerySet[Space], *, query: str, department: Department | None
) -> QuerySet[Space]:
    """Every word of `query` in the name or the description, and the owning
    department when one is chosen."""
    for term in query.split()[:SEARCH_TERMS_MAX]:
        spaces = spaces.filter(Q(name__icontains=term) | Q(description__icontains=term))
    if department is not None:
        spaces = spaces.filter(department=department)
    return spaces


def directory_my_spaces(
    user, *, query: str = "", department: Department | None = None
) -> QuerySet[Space]:
    """The spaces `user` belongs to that match the directory's search, each with
    `member_count` and `my_role` (None when they are in it through a grant to
    their department or team)."""
    own_role = SpaceMembership.objects.filter(space=OuterRef("pk"), user=user)
    return (
        _matching(my_spaces(user), query=query, department=department)
        .select_related("department")
        .annotate(
            member_count=_member_count(),
            my_role=Subquery(own_role.values("role")[:1]),
        )
        .order_by(Lower("name"), "pk")
    )


def directory_spaces(
    user, *, query: str = "", department: Department | None = None
) -> QuerySet[Space]:
    """The spaces `user` can discover: open and restricted ones they are not in,
    never a private one. Each has `member_count` and `request_pending` (they
    have asked to join and wait for an answer)."""
    if not is_active_account(user):
        return Space.objects.none()
    pending = JoinRequest.objects.filter(
        space=OuterRef("pk"), user=user, status=JoinRequest.Status.PENDING
    )
    listed = spaces_visible_to(user).filter(visibility__in=LISTED)
    return (
        _matching(listed, query=query, department=department)
        .exclude(pk__in=_spaces_with_view_permission(user).values("pk"))
        .select_related("department")
        .annotate(member_count=_member_count(), request_pending=Exists(pending))
        .order_by(Lower("name"), "pk")
    )


def directory_departments(user) -> QuerySet[Department]:
    """The departments that own a space existing for `user`: the directory's
    filter offers these, so it names no department for a private space alone."""
    owning = spaces_visible_to(user).values("department_id")
    return Department.objects.filter(pk__in=owning).order_by("name")


def pending_invitations(user) -> QuerySet[Invitation]:
    """The invitations waiting for `user`'s answer, newest first."""
    if not is_active_account(user):
        return Invitation.objects.none()
    return Invitation.objects.filter(
        invitee=user, status=Invitation.Status.PENDING
    ).select_related("space__department", "invited_by")


def invitations_visible_to(user) -> QuerySet[Invitation]:
    """The invitations `user` may still open: their own, while waiting for an
    answer (showing the space is what an invitation is for), and once answered
    only if the space still exists for them (`can_view_space`).

    An invitation records no copy of the space: its page shows the space as it is
    now. Someone who declined, or accepted and was removed since, would otherwise
    read a private space's current name and description; to them that space does
    not exist, so neither does its old invitation."""
    if not is_active_account(user):
        return Invitation.objects.none()
    return Invitation.objects.filter(invitee=user).filter(
        Q(status=Invitation.Status.PENDING) | Q(space__in=spaces_visible_to(user))
    )


def invitation_for(user, invitation_id: int) -> Invitation | None:
    """The invitation if `user` may open it (`invitations_visible_to`); None
    otherwise (callers answer 404: an invitation is nobody else's business, and
    an answered one to a private space they have left is no longer theirs)."""
    return (
        invitations_visible_to(user)
        .select_related("space__department", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )


@dataclass(frozen=True)
class Standing:
    """Where one person stands with one space: their own membership, access
    through a grant, their latest request to join, an invitation waiting."""

    membership: SpaceMembership | None
    through_grant: bool
    only_owner: bool
    latest_request: JoinRequest | None
    invitation: Invitation | None

    @property
    def request_pending(self) -> bool:
        return (
            self.latest_request is not None
            and self.latest_request.status == JoinRequest.Status.PENDING
        )

    @property
    def request_declined(self) -> bool:
        return (
            self.latest_request is not None
            and self.latest_request.status == JoinRequest.Status.DECLINED
        )


def standing(user, space: Space) -> Standing:
    """`user`'s own standing with `space` (they are assumed to see it)."""
    membership = SpaceMembership.objects.filter(space=space, user=user).first()
    only_owner = (
        membership is not None
        and membership.role == Role.OWNER
        and not space.memberships.filter(role=Role.OWNER)
        .exclude(pk=membership.pk)
        .exists()
    )
    return Standing(
        membership=membership,
        through_grant=(
            membership is None and roles.VIEW in space_permissions(user, space)
        ),
        only_owner=only_owner,
        latest_request=JoinRequest.objects.filter(space=space, user=user)
        .order_by("-created_at", "-pk")
        .first(),
        invitation=Invitation.objects.filter(
            space=space, invitee=user, status=Invitation.Status.PENDING
        )
        .select_related("invited_by")
        .first(),
    )


def member_count(space: Space) -> int:
    """People with their own membership of `space` (grants are counted apart)."""
    return space.memberships.count()


def granted_audience_names(space: Space) -> list[str]:
    """The departments and teams let into `space` by a grant, by name."""
    grants = SpaceGrant.objects.filter(space=space).select_related("department", "team")
    return sorted((str(grant.audience) for grant in grants), key=str.casefold)


# Members, grants, requests, invitations and access history of one space ----------


@dataclass(frozen=True)
class MemberRow:
    """One direct member as a members list shows them: `through` holds the grants
    that would let them in too, were their membership removed."""

    membership: SpaceMembership
    name: str
    profile_username: str | None
    active: bool
    through: tuple[SpaceGrant, ...] = ()


@dataclass(frozen=True)
class HistoryNames:
    """What an access history page needs to name people and departments."""

    people: dict[str, str]
    departments: dict[int, str]


_ROLE_RANK = Case(
    *(When(role=role, then=Value(rank)) for rank, role in enumerate(Role)),
    output_field=IntegerField(),
)


def _profile(user) -> Profile | None:
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def person_name(user) -> str:
    """The name the people pages use: the profile's, else the account's."""
    profile = _profile(user)
    return profile.display_name if profile is not None else user.display_name


def space_members(space: Space, *, include_inactive: bool = False):
    """The space's direct members, owners first and then by name, with their
    accounts and profiles. Leavers show only where access is managed: to everyone
    else their profile does not exist."""
    memberships = (
        SpaceMembership.objects.filter(space=space)
        .select_related("user__profile")
        .annotate(role_rank=_ROLE_RANK)
        .order_by("role_rank", "user__last_name", "user__first_name", "user__username")
    )
    if not include_inactive:
        memberships = memberships.filter(user__is_active=True)
    return memberships


def space_grants(space: Space) -> QuerySet[SpaceGrant]:
    return SpaceGrant.objects.filter(space=space).select_related(
        "department", "team__department", "granted_by__profile"
    )


def member_rows(
    memberships, grants: Iterable[SpaceGrant] | None = None
) -> list[MemberRow]:
    """`memberships` (a page of `space_members`) as rows; with `grants`, each row
    says which of them also cover the person (one query for their teams)."""
    memberships = list(memberships)
    grants = list(grants or ())
    teams: dict[int, set[int]] = {}
    if grants:
        for user_id, team_id in TeamMembership.objects.filter(
            profile__user_id__in=[m.user_id for m in memberships]
        ).values_list("profile__user_id", "team_id"):
            teams.setdefault(user_id, set()).add(team_id)
    rows = []
    for membership in memberships:
        user = membership.user
        profile = _profile(user)
        department_id = profile.department_id if profile else None
        through = tuple(
            grant
            for grant in grants
            if (grant.department_id and grant.department_id == department_id)
            or (grant.team_id and grant.team_id in teams.get(user.pk, ()))
        )
        rows.append(
            MemberRow(
                membership=membership,
                name=person_name(user),
                profile_username=user.username if profile else None,
                active=user.is_active,
                through=through,
            )
        )
    return rows


def space_membership(space: Space, membership_id: int) -> SpaceMembership | None:
    """A membership of this space (None for one of another space)."""
    return (
        SpaceMembership.objects.filter(space=space, pk=membership_id)
        .select_related("user__profile", "space")
        .first()
    )


def space_grant(space: Space, grant_id: int) -> SpaceGrant | None:
    return (
        SpaceGrant.objects.filter(space=space, pk=grant_id)
        .select_related("department", "team", "space")
        .first()
    )


def space_join_request(space: Space, request_id: int) -> JoinRequest | None:
    return (
        JoinRequest.objects.filter(space=space, pk=request_id)
        .select_related("user__profile", "space")
        .first()
    )


def pending_requests(space: Space) -> QuerySet[JoinRequest]:
    """Requests to join waiting for a decision, oldest first."""
    return (
        JoinRequest.objects.filter(space=space, status=JoinRequest.Status.PENDING)
        .select_related("user__profile")
        .order_by("created_at", "pk")
    )


def pending_invitations_for_space(space: Space) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(space=space, status=Invitation.Status.PENDING)
        .select_related("invitee__profile", "invited_by__profile")
        .order_by("-created_at", "-pk")
    )


def colleague(text: str):
    """The account whose username, or else email address, is `text` (any case);
    None when there is none. Leavers are found too: the services say why they
    cannot be let in."""
    text = text.strip()
    if not text:
        return None
    found = list(
        get_user_model()
        .objects.filter(Q(username__iexact=text) | Q(email__iexact=text))
        .select_related("profile")
        .order_by("-is_active", "pk")[:10]
    )
    by_username = [u for u in found if u.username.casefold() == text.casefold()]
    return (by_username or found or [None])[0]


def access_history(space: Space) -> QuerySet[AuditEvent]:
    """This space's audit events, newest first."""
    return AuditEvent.objects.filter(space_id=space.pk).order_by("-seq")


def history_names(events: Iterable[AuditEvent]) -> HistoryNames:
    """The names behind the usernames and department ids a page of `events`
    mentions, in two queries whatever its length."""
    usernames: set[str] = set()
    department_ids: set[int] = set()
    for event in events:
        usernames.add(event.actor_label)
        details = event.details if isinstance(event.details, dict) else {}
        for key in ("user", "invitee", "to"):
            if isinstance(details.get(key), str):
                usernames.add(details[key])
        for state in (details.get("before"), details.get("after")):
            if isinstance(state, dict) and isinstance(state.get("department"), int):
                department_ids.add(state["department"])
    people = {
        user.username: person_name(user)
        for user in get_user_model()
        .objects.filter(username__in=usernames)
        .select_related("profile")
    }
    departments = dict(
        Department.objects.filter(pk__in=department_ids).values_list("pk", "name")
    )
    return HistoryNames(people=people, departments=departments)
