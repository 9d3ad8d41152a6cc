"""A space's home page, and joining or leaving it."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from intranet.markdown import render_markdown
from spaces import selectors, services, thread_services
from spaces.errors import SpaceError
from spaces.forms import JoinRequestForm
from spaces.models import Space
from spaces.views.common import header_context, require, space_or_404

ALREADY_MEMBER = "You are already a member of this space."
INVITATION_ONLY = "People join a private space only when they are invited."


@require_GET
def home(request, slug):
    space = space_or_404(request, slug)
    user = request.user
    return render(
        request,
        "spaces/home.html",
        {
            "space": space,
            "description": render_markdown(space.description),
            "can_read": selectors.can_view_content(user, space),
            "threads": selectors.space_threads(user, space),
            "unread_threads": selectors.unread_threads_by_space(user, [space]).get(
                space.pk, 0
            ),
            "can_start_thread": selectors.can_start_thread(user, space),
            # Only an IT admin opens a private space they cannot see otherwise.
            "manages_only": not selectors.can_view_space(user, space),
            "standing": selectors.standing(user, space),
            "member_count": selectors.member_count(space),
            "grants": selectors.granted_audience_names(space),
            **header_context(user, space),
        },
    )


@require_POST
def mark_read(request, slug):
    space = space_or_404(request, slug)
    require(selectors.can_view_content(request.user, space))
    marked = thread_services.space_mark_read(actor=request.user, space=space)
    if marked:
        messages.success(
            request,
            f"{marked} {'thread' if marked == 1 else 'threads'} marked as read",
        )
    else:
        messages.success(request, "You had already read everything here")
    response = redirect("spaces:home", slug=space.slug)
    response.status_code = 303
    return response


def _joining_blocked(space: Space, standing: selectors.Standing) -> str:
    """Why joining is out of the question for this person, or "" when it is not."""
    if standing.membership is not None:
        return ALREADY_MEMBER
    if space.visibility == Space.Visibility.PRIVATE:
        return INVITATION_ONLY
    return ""


def _join_state(space: Space, standing: selectors.Standing, blocked: str) -> str:
    """What the join page offers: nothing (and why), or a request or a button."""
    if blocked:
        return "blocked"
    if space.archived:
        return "archived"
    if space.visibility == Space.Visibility.RESTRICTED:
        return "pending" if standing.request_pending else "request"
    return "confirm"


@require_http_methods(["GET", "POST"])
def join(request, slug):
    """Open spaces are joined at once, restricted ones take a request; a private
    space is a 404 to anyone who is not in it (`space_or_404`)."""
    space = space_or_404(request, slug)
    standing = selectors.standing(request.user, space)
    blocked = _joining_blocked(space, standing)
    restricted = space.visibility == Space.Visibility.RESTRICTED
    form = JoinRequestForm(request.POST if request.method == "POST" else None)
    errors: list[str] = []
    if request.method == "POST" and blocked:
        errors = [blocked]
    elif request.method == "POST":
        if form.is_valid():
            try:
                if restricted:
                    services.join_request_create(
                        actor=request.user,
                        space=space,
                        message=form.cleaned_data["message"],
                    )
                else:
                    services.membership_join(actor=request.user, space=space)
            except SpaceError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    f"Your request to join {space.name} has been sent to its "
                    "owners and moderators"
                    if restricted
                    else f"You have joined {space.name}",
                )
                return redirect("spaces:home", slug=space.slug)
        errors = form.error_list
    return render(
        request,
        "spaces/join.html",
        {
            "space": space,
            "standing": standing,
            "state": _join_state(space, standing, blocked),
            "blocked": blocked,
            "restricted": restricted,
            "form": form,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
def leave(request, slug):
    space = space_or_404(request, slug)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.membership_leave(actor=request.user, space=space)
        except SpaceError as error:
            errors = [error.message]
        else:
            messages.success(request, f"You have left {space.name}")
            if selectors.can_view_space(request.user, space):
                return redirect("spaces:home", slug=space.slug)
            # A private space no longer exists for someone who has left it.
            return redirect("spaces:directory")
    return render(
        request,
        "spaces/leave.html",
        {
            "space": space,
            "standing": selectors.standing(request.user, space),
            "errors": errors,
        },
        status=400 if errors else 200,
    )
