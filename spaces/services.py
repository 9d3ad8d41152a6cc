"""Creating spaces and changing who is in them, in which role, and which
departments and teams are let in.

Every service is atomic and keeps the guardian object permissions in step with the
rows that explain them: a membership's role (user permissions) and a grant
(permissions of the department's or team's group). Every change of membership,
role, grant, visibility or archive state is audited with its before and after. A
refused access attempt is audited too, as `space.denied`, after the refused
change has rolled back (inside it, the audit event would roll back with it).

A change to what a space's search document says or who may see it queues the
space for re-indexing in the same transaction. The people a change concerns are
notified once it has committed, so a change that rolls back tells nobody.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from typing import Any, ParamSpec, TypeVar

from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from intranet.audit import audit_record
from intranet.indexing import index_ids_later, index_later
from intranet.live import publish as live
from intranet.notifications import notification_send
from profiles.models import Department, Team, User
from spaces import selectors
from spaces.errors import SpaceError
from spaces.groups import group_for_department, group_for_team
from spaces.models import (
    GrantRole,
    Invitation,
    JoinRequest,
    Marking,
    Message,
    Role,
    Space,
    SpaceGrant,
    SpaceGroupObjectPermission,
    SpaceMembership,
    SpaceUserObjectPermission,
    Thread,
)
from spaces.roles import permissions_for

P = ParamSpec("P")
R = TypeVar("R")

NAME_MAX = Space._meta.get_field("name").max_length
SLUG_MAX = Space._meta.get_field("slug").max_length
DESCRIPTION_MAX = 5000
REASON_MAX = 1000
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
UPDATABLE = ("name", "slug", "description", "department", "visibility")
UPDATABLE += ("default_marking",)


class _Denied(SpaceError):
    """An access attempt refused: audited as `space.denied` once rolled back."""

    def __init__(self, message: str, *, space: Space, attempt: str, **details: Any):
        super().__init__(message)
        self.space = space
        self.attempt = attempt
        self.details = details


def _audits_denials(service: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(service)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return service(*args, **kwargs)
        except _Denied as denied:
            audit_record(
                actor=kwargs.get("actor"),
                action="space.denied",
                target=denied.space,
                space_id=denied.space.pk,
                details={"attempt": denied.attempt, **denied.details},
            )
            raise

    return wrapper


def _audit(actor: User, action: str, space: Space, **details: Any) -> None:
    audit_record(
        actor=actor,
        action=f"space.{action}",
        target=space,
        space_id=space.pk,
        details=details,
    )
    # Any audited change may take someone's access away (a removal, a lower role,
    # a revoked grant, a space made private): live subscriptions to the space are
    # checked again once it commits.
    live.access_changed(space.pk)


def _require_active(actor: User) -> None:
    if actor is None or not actor.pk or not actor.is_active:
        raise SpaceError("You need an active account to do that.")


def _lock(space: Space) -> Space:
    """Re-read `space` under a row lock, so role changes to one space queue up
    (two owners demoting each other at once cannot leave it with none)."""
    space.refresh_from_db(from_queryset=Space.objects.select_for_update())
    return space


def _set_user_permissions(user_id: int, space: Space, role: str | None) -> None:
    """Make `user_id`'s permissions on `space` exactly those of `role` (None: none)."""
    wanted = permissions_for(role) if role else frozenset()
    SpaceUserObjectPermission.objects.filter(
        user_id=user_id, content_object=space
    ).exclude(permission__codename__in=wanted).delete()
    if wanted:
        SpaceUserObjectPermission.objects.bulk_create(
            [
                SpaceUserObjectPermission(
                    user_id=user_id, content_object=space, permission=permission
                )
                for permission in _permissions(wanted)
            ],
            ignore_conflicts=True,
        )


def _set_group_permissions(group: Group, space: Space, role: str | None) -> None:
    wanted = permissions_for(role) if role else frozenset()
    SpaceGroupObjectPermission.objects.filter(
        group=group, content_object=space
    ).exclude(permission__codename__in=wanted).delete()
    if wanted:
        SpaceGroupObjectPermission.objects.bulk_create(
            [
                SpaceGroupObjectPermission(
                    group=group, content_object=space, permission=permission
                )
                for permission in _permissions(wanted)
            ],
            ignore_conflicts=True,
        )


def _permissions(codenames: frozenset[str]) -> list[Permission]:
    return list(
        Permission.objects.filter(
            content_type__app_label="spaces",
            content_type__model="space",
            codename__in=codenames,
        )
    )


def _owner_count(space: Space) -> int:
    return space.memberships.filter(role=Role.OWNER).count()


# Notifications ------------------------------------------------------------------


def _notify_on_commit(
    recipients: Iterable[User],
    *,
    kind: str,
    text: str,
    url: str = "",
    subject: Space | Invitation | None = None,
) -> None:
    """Tell `recipients` once the current transaction commits: call it inside the
    service's transaction, so that a change rolled back notifies nobody.

    `subject` is what the text names: the notification is shown only while its
    recipient may still see it (`intranet.notifications`)."""
    current = [recipient for recipient in recipients if recipient.is_active]
    if not current:
        return

    def send() -> None:
        for recipient in current:
            notification_send(
                recipient=recipient, kind=kind, text=text, url=url, subject=subject
            )

    # By now the change itself has committed: a notification that fails to save
    # is logged by Django rather than turned into an error for the person acting.
    transaction.on_commit(send, robust=True)


def _named_for(user: User, space: Space) -> tuple[str, str, Space | None]:
    """How a notification to `user` names `space`, the page it links to, and its
    subject.

    A private space's name goes only to people who may see the space once the
    change is made (ask inside the transaction, after the change): someone just
    removed from it is told that much and no more. A notification that names the
    space has it as its subject, so it is shown only while they still may see
    it; one that names no space names nothing to hide, and stays.
    """
    if selectors.can_view_space(user, space):
        url = reverse("spaces:home", kwargs={"slug": space.slug})
        return space.name, url, space
    return "a private space", "", None


def _deciders(space: Space) -> QuerySet[User]:
    """The people who decide requests to join: the space's owners and moderators."""
    return User.objects.filter(
        space_memberships__space=space,
        space_memberships__role__in=(Role.OWNER, Role.MODERATOR),
        is_active=True,
    ).order_by("pk")


def _with_article(role: str) -> str:
    label = Role(role).label.lower()
    return f"an {label}" if label[0] in "aeiou" else f"a {label}"


# Spaces -------------------------------------------------------------------------


def _clean_space_fields(fields: dict[str, Any], *, space: Space | None) -> None:
    if "name" in fields:
        name = " ".join(str(fields["name"]).split())
        if not name:
            raise SpaceError("Enter a name for the space.", field="name")
        if len(name) > NAME_MAX:
            raise SpaceError(
                f"The name must be {NAME_MAX} characters or fewer.", field="name"
            )
        others = Space.objects.filter(name__iexact=name)
        if space is not None:
            others = others.exclude(pk=space.pk)
        if others.exists():
            raise SpaceError("A space with this name already exists.", field="name")
        fields["name"] = name
    if "slug" in fields:
        slug = str(fields["slug"]).strip().lower()
        if not SLUG_RE.match(slug) or len(slug) > SLUG_MAX:
            raise SpaceError(
                "The web address may use only lowercase letters, numbers and "
                f"single hyphens, up to {SLUG_MAX} characters.",
                field="slug",
            )
        others = Space.objects.filter(slug=slug)
        if space is not None:
            others = others.exclude(pk=space.pk)
        if others.exists():
            raise SpaceError(
                "A space with this web address already exists.", field="slug"
            )
        fields["slug"] = slug
    if "description" in fields:
        description = str(fields["description"] or "").strip()
        if len(description) > DESCRIPTION_MAX:
            raise SpaceError(
                f"The description must be {DESCRIPTION_MAX} characters or fewer.",
                field="description",
            )
        fields["description"] = description
    if "department" in fields:
        department = fields["department"]
        if not isinstance(department, Department):
            department = Department.objects.filter(pk=department).first()
        if department is None:
            raise SpaceError("Choose a department.", field="department")
        fields["department"] = department
    if "visibility" in fields and fields["visibility"] not in Space.Visibility.values:
        raise SpaceError("Choose who can see the space.", field="visibility")
    if "default_marking" in fields and fields["default_marking"] not in Marking.values:
        raise SpaceError("Choose a security marking.", field="default_marking")


def _snapshot(space: Space, fields) -> dict[str, Any]:
    return {
        field: (space.department_id if field == "department" else getattr(space, field))
        for field in fields
    }


def space_create(
    *,
    actor: User,
    name: str,
    slug: str,
    department: Department | int,
    visibility: str = Space.Visibility.OPEN,
    description: str = "",
    default_marking: str = Marking.OFFICIAL,
) -> Space:
    """Create a space; `actor` becomes its first owner."""
    _require_active(actor)
    fields: dict[str, Any] = {
        "name": name,
        "slug": slug,
        "description": description,
        "department": department,
        "visibility": visibility,
        "default_marking": default_marking,
    }
    _clean_space_fields(fields, space=None)
    try:
        with transaction.atomic():
            space = Space.objects.create(created_by=actor, **fields)
            SpaceMembership.objects.create(space=space, user=actor, role=Role.OWNER)
            _set_user_permissions(actor.pk, space, Role.OWNER)
            _audit(actor, "create", space, before=None, after=_snapshot(space, fields))
            index_later(space)
    except IntegrityError as error:
        # Created by someone else between our check and our insert.
        raise SpaceError(
            "A space with this name or web address already exists.", field="name"
        ) from error
    return space


@_audits_denials
def space_update(*, actor: User, space: Space, **changes: Any) -> Space:
    """Change the space's name, slug, description, department, visibility or
    default marking (owners only)."""
    _require_active(actor)
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise SpaceError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    if not selectors.can_manage(actor, space):
        raise _Denied(
            "Only the space's owners can change its settings.",
            space=space,
            attempt="update",
            fields=sorted(changes),
        )
    _clean_space_fields(changes, space=space)
    try:
        with transaction.atomic():
            _lock(space)
            before = _snapshot(space, changes)
            for field, value in changes.items():
                setattr(space, field, value)
            after = _snapshot(space, changes)
            changed = [field for field in changes if before[field] != after[field]]
            if changed:
                space.save(update_fields=changed)
                _audit(
                    actor,
                    "update",
                    space,
                    before={f: before[f] for f in changed},
                    after={f: after[f] for f in changed},
                )
                # Its document, and for a change of visibility its audience.
                index_later(space)
                # Its threads' and messages' documents carry both too.
                index_ids_later(Thread, space.threads.values_list("pk", flat=True))
                index_ids_later(
                    Message, space.threads.values_list("messages", flat=True)
                )
    except IntegrityError as error:
        raise SpaceError(
            "A space with this name or web address already exists.", field="name"
        ) from error
    return space


def _set_archived(actor: User, space: Space, archived: bool) -> Space:
    _require_active(actor)
    if not selectors.can_manage(actor, space):
        raise _Denied(
            "Only the space's owners can archive or restore it.",
            space=space,
            attempt="archive" if archived else "unarchive",
        )
    with transaction.atomic():
        _lock(space)
        if space.archived != archived:
            space.archived = archived
            space.save(update_fields=["archived"])
            _audit(
                actor,
                "archive" if archived else "unarchive",
                space,
                before={"archived": not archived},
                after={"archived": archived},
            )
            index_later(space)
            index_ids_later(Thread, space.threads.values_list("pk", flat=True))
            index_ids_later(Message, space.threads.values_list("messages", flat=True))
    return space


@_audits_denials
def space_archive(*, actor: User, space: Space) -> Space:
    """Make the space read-only."""
    return _set_archived(actor, space, True)


@_audits_denials
def space_unarchive(*, actor: User, space: Space) -> Space:
    return _set_archived(actor, space, False)


# Memberships --------------------------------------------------------------------


def _add_member(*, actor: User, space: Space, user: User, role: str, how: str):
    if SpaceMembership.objects.filter(space=space, user=user).exists():
        raise SpaceError("Already a member of this space.")
    membership = SpaceMembership.objects.create(space=space, user=user, role=role)
    _set_user_permissions(user.pk, space, role)
    _audit(
        actor,
        "membership.add",
        space,
        user=user.get_username(),
        how=how,
        before=None,
        after={"role": role},
    )
    return membership


def _refuse_if_archived(space: Space) -> None:
    if space.archived:
        raise SpaceError("This space is archived: nobody can join it.")


def membership_join(*, actor: User, space: Space) -> SpaceMembership:
    """Join an open space at once, as a member."""
    _require_active(actor)
    _refuse_if_archived(space)
    if space.visibility != Space.Visibility.OPEN:
        raise SpaceError(
            "Only open spaces can be joined at once; ask to join or wait for an "
            "invitation."
        )
    with transaction.atomic():
        _lock(space)
        return _add_member(
            actor=actor, space=space, user=actor, role=Role.MEMBER, how="join"
        )


def join_request_create(*, actor: User, space: Space, message: str = "") -> JoinRequest:
    """Ask to join a restricted space; one pending request per person."""
    _require_active(actor)
    _refuse_if_archived(space)
    if space.visibility != Space.Visibility.RESTRICTED:
        raise SpaceError("Only restricted spaces take requests to join.")
    message = (message or "").strip()
    if len(message) > REASON_MAX:
        raise SpaceError(
            f"The message must be {REASON_MAX} characters or fewer.", field="message"
        )
    if SpaceMembership.objects.filter(space=space, user=actor).exists():
        raise SpaceError("You are already a member of this space.")
    try:
        with transaction.atomic():
            request = JoinRequest.objects.create(
                space=space, user=actor, message=message
            )
            _audit(actor, "join_request.create", space, user=actor.get_username())
            _notify_on_commit(
                _deciders(space),
                kind="space.join_request",
                text=f"{actor.display_name} asked to join {space.name}",
                url=reverse("spaces:access", kwargs={"slug": space.slug}),
                subject=space,
            )
    except IntegrityError as error:
        raise SpaceError("You have already asked to join this space.") from error
    return request


def _decide_request(
    actor: User, join_request: JoinRequest, status: str, reason: str
) -> JoinRequest:
    _require_active(actor)
    space = join_request.space
    if not selectors.can_invite(actor, space):
        raise _Denied(
            "Only the space's owners and moderators can decide requests to join.",
            space=space,
            attempt=f"join_request.{status}",
            request=join_request.pk,
        )
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise SpaceError(
            f"The reason must be {REASON_MAX} characters or fewer.", field="reason"
        )
    with transaction.atomic():
        _lock(space)
        join_request.refresh_from_db(
            from_queryset=JoinRequest.objects.select_for_update()
        )
        if join_request.status != JoinRequest.Status.PENDING:
            raise SpaceError("This request has already been decided.")
        join_request.status = status
        join_request.reason = reason
        join_request.decided_by = actor
        join_request.decided_at = timezone.now()
        join_request.save(
            update_fields=["status", "reason", "decided_by", "decided_at"]
        )
        _audit(
            actor,
            f"join_request.{status}",
            space,
            user=join_request.user.get_username(),
            reason=reason,
        )
        if status == JoinRequest.Status.APPROVED:
            if not join_request.user.is_active:
                raise SpaceError("This person's account is no longer active.")
            if not SpaceMembership.objects.filter(
                space=space, user=join_request.user
            ).exists():
                _add_member(
                    actor=actor,
                    space=space,
                    user=join_request.user,
                    role=Role.MEMBER,
                    how="request",
                )
        requester = join_request.user
        name, url, subject = _named_for(requester, space)
        text = f"Your request to join {name} was {status}"
        if status == JoinRequest.Status.DECLINED and reason:
            text += f": {reason}"
        _notify_on_commit(
            [requester],
            kind=f"space.join_request.{status}",
            text=text,
            url=url,
            subject=subject,
        )
    return join_request


@_audits_denials
def join_request_approve(
    *, actor: User, join_request: JoinRequest, reason: str = ""
) -> JoinRequest:
    """Approve a request: the requester becomes a member."""
    return _decide_request(actor, join_request, JoinRequest.Status.APPROVED, reason)


@_audits_denials
def join_request_decline(
    *, actor: User, join_request: JoinRequest, reason: str = ""
) -> JoinRequest:
    """Decline a request, with a reason the requester sees."""
    return _decide_request(actor, join_request, JoinRequest.Status.DECLINED, reason)


@_audits_denials
def invitation_create(
    *, actor: User, space: Space, invitee: User, role: str = GrantRole.MEMBER
) -> Invitation:
    """Invite someone (owners, moderators, IT admins); they accept or decline."""
    _require_active(actor)
    _refuse_if_archived(space)
    if not selectors.can_invite(actor, space):
        raise _Denied(
            "Only the space's owners and moderators can invite people.",
            space=space,
            attempt="invitation.create",
            invitee=invitee.get_username(),
        )
    if role not in GrantRole.values:
        raise _Denied(
            "An invitation is to be a member or a guest.",
            space=space,
            attempt="invitation.create",
            invitee=invitee.get_username(),
            role=str(role),
        )
    if not invitee.is_active:
        raise SpaceError(
            "This person's account is deactivated: they cannot be invited.",
            field="invitee",
        )
    if SpaceMembership.objects.filter(space=space, user=invitee).exists():
        raise SpaceError("This person is already a member.", field="invitee")
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                space=space, invitee=invitee, invited_by=actor, role=role
            )
            _audit(
                actor,
                "invitation.create",
                space,
                invitee=invitee.get_username(),
                role=role,
            )
            # The invitee may know a private space's name: it is what they are
            # asked to join; once they have answered, only while the space still
            # exists for them (`selectors.invitations_visible_to`).
            _notify_on_commit(
                [invitee],
                kind="space.invitation",
                text=(
                    f"{actor.display_name} invited you to join {space.name} "
                    f"as {_with_article(role)}"
                ),
                url=reverse(
                    "spaces:invitation_answer", kwargs={"invitation_id": invitation.pk}
                ),
                subject=invitation,
            )
    except IntegrityError as error:
        raise SpaceError(
            "This person already has an invitation waiting.", field="invitee"
        ) from error
    return invitation


def _answer_invitation(actor: User, invitation: Invitation, status: str) -> Invitation:
    _require_active(actor)
    if invitation.invitee_id != actor.pk:
        raise SpaceError("This invitation is not yours to answer.")
    space = invitation.space
    with transaction.atomic():
        _lock(space)
        invitation.refresh_from_db(from_queryset=Invitation.objects.select_for_update())
        if invitation.status != Invitation.Status.PENDING:
            raise SpaceError("This invitation has already been answered.")
        if status == Invitation.Status.ACCEPTED:
            _refuse_if_archived(space)
        invitation.status = status
        invitation.decided_at = timezone.now()
        invitation.save(update_fields=["status", "decided_at"])
        _audit(actor, f"invitation.{status}", space, invitee=actor.get_username())
        if status == Invitation.Status.ACCEPTED:
            _add_member(
                actor=actor,
                space=space,
                user=actor,
                role=invitation.role,
                how="invitation",
            )
    return invitation


def invitation_accept(*, actor: User, invitation: Invitation) -> Invitation:
    """The invitee accepts, and joins in the invitation's role."""
    return _answer_invitation(actor, invitation, Invitation.Status.ACCEPTED)


def invitation_decline(*, actor: User, invitation: Invitation) -> Invitation:
    return _answer_invitation(actor, invitation, Invitation.Status.DECLINED)


def _remove(actor: User, membership: SpaceMembership, how: str) -> None:
    space = membership.space
    if membership.role == Role.OWNER and _owner_count(space) <= 1:
        raise SpaceError(
            "A space needs an owner: make someone else an owner first.", field="role"
        )
    _set_user_permissions(membership.user_id, space, None)
    membership.delete()
    _audit(
        actor,
        "membership.remove",
        space,
        user=membership.user.get_username(),
        how=how,
        before={"role": membership.role},
        after=None,
    )


def membership_leave(*, actor: User, space: Space) -> None:
    """Leave a space; the last owner cannot."""
    with transaction.atomic():
        _lock(space)
        membership = SpaceMembership.objects.filter(space=space, user=actor).first()
        if membership is None:
            raise SpaceError("You are not a member of this space.")
        _remove(actor, membership, "leave")


@_audits_denials
def membership_remove(*, actor: User, membership: SpaceMembership) -> None:
    """Remove someone (owners, and IT admins for any space)."""
    _require_active(actor)
    space = membership.space
    if not selectors.can_manage_access(actor, space):
        raise _Denied(
            "Only the space's owners can remove people.",
            space=space,
            attempt="membership.remove",
            user=membership.user.get_username(),
        )
    with transaction.atomic():
        _lock(space)
        membership = SpaceMembership.objects.filter(pk=membership.pk).first()
        if membership is None:
            raise SpaceError("This person is no longer a member.")
        _remove(actor, membership, "removed")
        if membership.user_id != actor.pk:
            name, url, subject = _named_for(membership.user, space)
            _notify_on_commit(
                [membership.user],
                kind="space.membership.removed",
                text=f"{actor.display_name} removed you from {name}",
                url=url,
                subject=subject,
            )


def _set_role(actor: User, membership: SpaceMembership, role: str, how: str) -> None:
    space = membership.space
    before = membership.role
    if before == role:
        return
    if before == Role.OWNER and _owner_count(space) <= 1:
        raise SpaceError(
            "A space needs an owner: make someone else an owner first.", field="role"
        )
    membership.role = role
    membership.save(update_fields=["role"])
    _set_user_permissions(membership.user_id, space, role)
    _audit(
        actor,
        "membership.role",
        space,
        user=membership.user.get_username(),
        how=how,
        before={"role": before},
        after={"role": role},
    )
    if membership.user_id != actor.pk:
        name, url, subject = _named_for(membership.user, space)
        _notify_on_commit(
            [membership.user],
            kind="space.membership.role",
            text=f"{actor.display_name} made you {_with_article(role)} of {name}",
            url=url,
            subject=subject,
        )


@_audits_denials
def membership_set_role(
    *, actor: User, membership: SpaceMembership, role: str
) -> SpaceMembership:
    """Change a member's role: the one place a role changes, keeping the guardian
    permissions in step. Owners and IT admins only; the last owner stays one."""
    _require_active(actor)
    space = membership.space
    if role not in Role.values:
        raise _Denied(
            "Choose a role.",
            space=space,
            attempt="membership.role",
            user=membership.user.get_username(),
            role=str(role)[:40],
        )
    if not selectors.can_manage_access(actor, space):
        raise _Denied(
            "Only the space's owners can change roles.",
            space=space,
            attempt="membership.role",
            user=membership.user.get_username(),
            role=role,
        )
    with transaction.atomic():
        _lock(space)
        found = (
            SpaceMembership.objects.select_for_update().filter(pk=membership.pk).first()
        )
        if found is None:
            raise SpaceError("This person is no longer a member.")
        _set_role(actor, found, role, "set")
    return found


@_audits_denials
def ownership_transfer(*, actor: User, space: Space, to: User) -> SpaceMembership:
    """Make member `to` an owner; an owner handing over steps down to moderator."""
    _require_active(actor)
    if not selectors.can_manage_access(actor, space):
        raise _Denied(
            "Only the space's owners can hand over ownership.",
            space=space,
            attempt="ownership.transfer",
            to=to.get_username(),
        )
    if not to.is_active:
        raise SpaceError("This person's account is deactivated.", field="to")
    with transaction.atomic():
        _lock(space)
        target = SpaceMembership.objects.filter(space=space, user=to).first()
        if target is None:
            raise SpaceError(
                "Ownership can go only to a member of the space.", field="to"
            )
        _set_role(actor, target, Role.OWNER, "transfer")
        mine = SpaceMembership.objects.filter(space=space, user=actor).first()
        if mine is not None and mine.pk != target.pk and mine.role == Role.OWNER:
            _set_role(actor, mine, Role.MODERATOR, "transfer")
    return target


# Grants -------------------------------------------------------------------------


def _grant_label(grant: SpaceGrant) -> dict[str, Any]:
    if grant.department_id:
        return {"department": grant.department_id, "name": str(grant.department)}
    return {"team": grant.team_id, "name": str(grant.team)}


@_audits_denials
def grant_create(
    *,
    actor: User,
    space: Space,
    role: str,
    department: Department | None = None,
    team: Team | None = None,
) -> SpaceGrant:
    """Give everyone in a department or a team a role (member or guest) in the
    space; people who join or leave it gain or lose access with no further step."""
    _require_active(actor)
    if not selectors.can_manage_access(actor, space):
        raise _Denied(
            "Only the space's owners can give a department or team access.",
            space=space,
            attempt="grant.create",
            role=str(role)[:40],
        )
    if role not in GrantRole.values:
        raise _Denied(
            "A department or team can be given the member or guest role only.",
            space=space,
            attempt="grant.create",
            role=str(role)[:40],
        )
    if (department is None) == (team is None):
        raise SpaceError("Choose a department or a team.", field="department")
    group = group_for_department(department) if department else group_for_team(team)
    try:
        with transaction.atomic():
            _lock(space)
            grant = SpaceGrant.objects.create(
                space=space,
                department=department,
                team=team,
                role=role,
                granted_by=actor,
            )
            _set_group_permissions(group, space, role)
            _audit(
                actor,
                "grant.create",
                space,
                **_grant_label(grant),
                before=None,
                after={"role": role},
            )
    except IntegrityError as error:
        raise SpaceError(
            "This department or team already has access: revoke it first to "
            "change its role."
        ) from error
    return grant


@_audits_denials
def grant_revoke(*, actor: User, grant: SpaceGrant) -> None:
    """Take a department's or team's access away."""
    _require_active(actor)
    space = grant.space
    if not selectors.can_manage_access(actor, space):
        raise _Denied(
            "Only the space's owners can take a department's or team's access away.",
            space=space,
            attempt="grant.revoke",
            grant=grant.pk,
        )
    group = (
        group_for_department(grant.department)
        if grant.department_id
        else group_for_team(grant.team)
    )
    with transaction.atomic():
        _lock(space)
        deleted, _ = SpaceGrant.objects.filter(pk=grant.pk).delete()
        if not deleted:
            raise SpaceError("This access has already been taken away.")
        _set_group_permissions(group, space, None)
        _audit(
            actor,
            "grant.revoke",
            space,
            **_grant_label(grant),
            before={"role": grant.role},
            after=None,
        )


def department_renamed(*, department: Department) -> None:
    """Queue the documents that show a department's name or acronym: its spaces',
    and their threads' and messages'. Called in the renaming transaction."""
    index_ids_later(
        Space, Space.objects.filter(department=department).values_list("pk", flat=True)
    )
    threads = Thread.objects.filter(space__department=department)
    index_ids_later(Thread, threads.values_list("pk", flat=True))
    index_ids_later(Message, threads.values_list("messages", flat=True))
