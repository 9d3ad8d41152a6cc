"""What every space page needs: the space at a slug (or 404), and a refusal turned
into the right answer."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from spaces import selectors
from spaces.models import Space


def space_or_404(request, slug: str) -> Space:
    """The space at `slug`, if its pages open for the signed-in user.

    A private space a person may not see answers exactly as a missing one does.
    """
    space = selectors.visible_space(request.user, slug)
    if space is None:
        raise Http404("No such space")
    return space


def require(allowed: bool) -> None:
    """403 when the space exists for the user but the action is not theirs."""
    if not allowed:
        raise PermissionDenied


def header_context(user, space: Space) -> dict:
    """What `spaces/_space_header.html` needs to decide which links to show."""
    # can_invite already includes everyone who manages access, and all of them
    # may see the members: asking can_see_members only for the rest saves its
    # permission queries on the pages that only managers open.
    can_manage_page = selectors.can_invite(user, space)
    return {
        "space": space,
        "can_manage_page": can_manage_page,
        "can_history": selectors.can_see_access_history(user, space),
        "hide_members": not (can_manage_page or selectors.can_see_members(user, space)),
    }
