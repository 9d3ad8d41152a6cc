"""Managing a space: its settings and archive state (owners), and who has access
(owners and IT admins; moderators decide requests and invite).

Every change is a plain form POST to one service, then a redirect with a success
banner. A refusal re-renders the page the form is on with the message (400) to
someone who may see that page; anyone else gets 403. Either way the service has
run first, so a refused access attempt is on the record.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from spaces import selectors, services
from spaces.errors import SpaceError
from spaces.forms import (
    AccessForm,
    DecisionForm,
    GrantForm,
    InviteForm,
    RoleForm,
    SpaceForm,
    TransferForm,
    space_initial,
)
from spaces.models import GrantRole, Role, Space
from spaces.views.common import header_context, require, space_or_404
from spaces.views.members import PAGE_SIZE

ARTICLES = {Role.OWNER: "an owner", Role.MODERATOR: "a moderator"}


def _a(role: str) -> str:
    return ARTICLES.get(role, f"a {Role(role).label.lower()}")


# Settings and archive ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def settings(request, slug):
    space = space_or_404(request, slug)
    user = request.user
    if request.method == "GET":
        if not selectors.can_manage(user, space):
            # Moderators and IT admins manage access but not settings.
            require(selectors.can_invite(user, space))
            return redirect("spaces:access", slug=space.slug)
        return _render_settings(request, space, SpaceForm(initial=space_initial(space)))
    form = SpaceForm(request.POST)
    if form.is_valid():
        try:
            services.space_update(actor=user, space=space, **form.changes)
        except SpaceError as error:
            form.add_service_error(error)
            space.refresh_from_db()
        else:
            messages.success(request, "The space’s settings have been saved")
            return redirect("spaces:manage", slug=space.slug)
    require(selectors.can_manage(user, space))
    return _render_settings(request, space, form, status=400)


@require_POST
def archive(request, slug):
    space = space_or_404(request, slug)
    action = request.POST.get("action")
    if action not in ("archive", "unarchive"):
        raise BadRequest("Unknown action")
    service = (
        services.space_archive if action == "archive" else services.space_unarchive
    )
    try:
        service(actor=request.user, space=space)
    except SpaceError as error:
        require(selectors.can_manage(request.user, space))
        form = SpaceForm(initial=space_initial(space))
        return _render_settings(
            request, space, form, archive_errors=[error.message], status=400
        )
    if action == "archive":
        messages.success(request, "The space has been archived: it is now read-only")
    else:
        messages.success(request, "The space has been restored from the archive")
    return redirect("spaces:manage", slug=space.slug)


def _render_settings(request, space, form, *, archive_errors=(), status=200):
    return render(
        request,
        "spaces/manage_settings.html",
        {
            **header_context(request.user, space),
            "form": form,
            "archive_errors": archive_errors,
        },
        status=status,
    )


# Access --------------------------------------------------------------------------


@require_GET
def access(request, slug):
    space = space_or_404(request, slug)
    require(selectors.can_invite(request.user, space))
    return _render_access(request, space)


@require_POST
def member_role(request, slug, membership_id):
    space = space_or_404(request, slug)
    membership = _found(selectors.space_membership(space, membership_id))
    name = selectors.person_name(membership.user)
    form = RoleForm(request.POST, membership=membership, name=name)

    def change(data):
        services.membership_set_role(
            actor=request.user, membership=membership, role=data["role"]
        )
        return f"{name} is now {_a(data['role'])}"

    return _act(request, space, form, change)


@require_POST
def member_remove(request, slug, membership_id):
    space = space_or_404(request, slug)
    membership = _found(selectors.space_membership(space, membership_id))
    name = selectors.person_name(membership.user)
    form = RoleForm({"role": membership.role}, membership=membership, name=name)

    def remove(data):
        services.membership_remove(actor=request.user, membership=membership)
        return f"{name} has been removed from the space"

    return _act(request, space, form, remove)


@require_POST
def transfer(request, slug):
    space = space_or_404(request, slug)

    def hand_over(data):
        services.ownership_transfer(actor=request.user, space=space, to=data["to"])
        return f"{selectors.person_name(data['to'])} is now an owner of the space"

    return _act(request, space, TransferForm(request.POST), hand_over)


@require_POST
def grant_add(request, slug):
    space = space_or_404(request, slug)

    def grant(data):
        made = services.grant_create(
            actor=request.user,
            space=space,
            role=data["role"],
            department=data["department"],
            team=data["team"],
        )
        role = GrantRole(made.role).label.lower()
        return f"Everyone in {made.audience} now has the {role} role"

    return _act(request, space, GrantForm(request.POST), grant)


@require_POST
def grant_revoke(request, slug, grant_id):
    space = space_or_404(request, slug)
    found = _found(selectors.space_grant(space, grant_id))

    def revoke(data):
        services.grant_revoke(actor=request.user, grant=found)
        return f"{found.audience} no longer has access through a grant"

    # Nothing to fill in: the form only carries a refusal back to the page.
    return _act(request, space, GrantForm({"role": found.role}), revoke)


@require_POST
def request_decide(request, slug, request_id):
    space = space_or_404(request, slug)
    join_request = _found(selectors.space_join_request(space, request_id))
    name = selectors.person_name(join_request.user)
    form = DecisionForm(request.POST, join_request=join_request, name=name)

    def decide(data):
        if data["decision"] == DecisionForm.APPROVE:
            services.join_request_approve(
                actor=request.user, join_request=join_request, reason=data["reason"]
            )
            return f"{name} is now a member of the space"
        services.join_request_decline(
            actor=request.user, join_request=join_request, reason=data["reason"]
        )
        return f"{name}’s request to join has been declined"

    return _act(request, space, form, decide, shown_to=selectors.can_invite)


@require_POST
def invite(request, slug):
    space = space_or_404(request, slug)

    def send(data):
        invitation = services.invitation_create(
            actor=request.user, space=space, invitee=data["invitee"], role=data["role"]
        )
        name = selectors.person_name(data["invitee"])
        return f"{name} has been invited to join as {_a(invitation.role)}"

    return _act(
        request, space, InviteForm(request.POST), send, shown_to=selectors.can_invite
    )


def _found(obj):
    """An object of this space, or 404: an id from another space is not here."""
    if obj is None:
        raise Http404("Not in this space")
    return obj


def _act(
    request,
    space: Space,
    form: AccessForm,
    change: Callable[[dict], str],
    *,
    shown_to: Callable = selectors.can_manage_access,
):
    """Run one access change from a posted form: redirect with a banner when it is
    made; when it is refused, show the access page with the message to someone
    the form's part of that page is `shown_to`, and 403 to anyone else."""
    if form.is_valid():
        try:
            done = change(form.cleaned_data)
        except SpaceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, done)
            return redirect(_access_url(space, request.GET.get("page")))
    # The service has already audited a refused attempt; someone who may not use
    # this form learns nothing more from the page.
    require(shown_to(request.user, space))
    return _render_access(request, space, failed=form, status=400)


def _access_url(space: Space, page) -> str:
    url = reverse("spaces:access", kwargs={"slug": space.slug})
    if page and str(page).isdigit() and int(page) > 1:
        url += f"?page={int(page)}"
    return url


def _render_access(
    request, space: Space, *, failed: AccessForm | None = None, status=200
):
    user = request.user
    context = {
        **header_context(user, space),
        "can_manage_access": selectors.can_manage_access(user, space),
        "is_owner": selectors.can_manage(user, space),
        "form": failed,
    }
    if context["can_manage_access"]:
        page = Paginator(
            selectors.space_members(space, include_inactive=True), PAGE_SIZE
        ).get_page(request.GET.get("page"))
        context.update(
            page=page,
            member_rows=[
                (
                    row,
                    _reuse(failed, RoleForm, row.membership)
                    or RoleForm(membership=row.membership, name=row.name),
                )
                for row in selectors.member_rows(page.object_list)
            ],
            grants=selectors.space_grants(space),
            grant_form=_reuse(failed, GrantForm) or GrantForm(),
            transfer_form=_reuse(failed, TransferForm) or TransferForm(),
        )
    requests = [
        (join_request, selectors.person_name(join_request.user))
        for join_request in selectors.pending_requests(space)
    ]
    context.update(
        request_rows=[
            (
                join_request,
                name,
                _reuse(failed, DecisionForm, join_request)
                or DecisionForm(join_request=join_request, name=name),
            )
            for join_request, name in requests
        ],
        invitations=selectors.pending_invitations_for_space(space),
        invite_form=_reuse(failed, InviteForm) or InviteForm(),
    )
    return render(request, "spaces/manage_access.html", context, status=status)


def _reuse(failed: AccessForm | None, kind: type, target=None) -> AccessForm | None:
    """The refused form, to show in its own place on the page with what was typed
    and its message; None where that place holds a fresh form."""
    if not isinstance(failed, kind):
        return None
    if target is not None and failed.target.pk != target.pk:
        return None
    return failed
