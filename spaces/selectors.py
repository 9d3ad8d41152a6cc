"""Every question about who may see or do what in a space, answered once.

Views, consumers, search, feeds and notifications ask these functions and nothing
else. Permissions come only from guardian object permissions on the space (a
membership's role, or a grant to the person's department or team): superusers get
no free pass, global permissions count for nothing, and IT admins manage access
without seeing private content.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import get_objects_for_user

from profiles.selectors.access import is_active_account, is_it_admin
from spaces import roles
from spaces.models import Space

LISTED = (Space.Visibility.OPEN, Space.Visibility.RESTRICTED)


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


def visible_space(user, slug: str) -> Space | None:
    """The space at `slug` if it exists for `user`; None otherwise (callers answer
    404, so a private space is indistinguishable from a missing one)."""
    space = Space.objects.select_related("department").filter(slug=slug).first()
    if space is None or not can_view_space(user, space):
        return None
    return space
