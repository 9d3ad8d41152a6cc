"""The spaces directory, the create-space page, and answering an invitation."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from intranet.markdown import render_markdown
from profiles.selectors.people import own_profile
from spaces import selectors, services
from spaces.errors import SpaceError
from spaces.forms import DirectoryFilterForm, InvitationAnswerForm, SpaceForm
from spaces.models import Invitation, Marking, Space

PAGE_SIZE = 20


@require_GET
def directory(request):
    filters = DirectoryFilterForm(
        request.GET, departments=selectors.directory_departments(request.user)
    )
    wanted = {"query": filters.query, "department": filters.chosen_department}
    discover = selectors.directory_spaces(request.user, **wanted)
    page = Paginator(discover, PAGE_SIZE).get_page(request.GET.get("page"))
    mine = list(selectors.directory_my_spaces(request.user, **wanted))
    unread = selectors.unread_threads_by_space(request.user, mine)
    for space in mine:
        space.unread_threads = unread.get(space.pk, 0)
    return render(
        request,
        "spaces/directory.html",
        {
            "filters": filters,
            "invitations": list(selectors.pending_invitations(request.user)),
            "mine": mine,
            "page": page,
        },
    )


@require_http_methods(["GET", "POST"])
def create(request):
    if request.method == "POST":
        form = SpaceForm(request.POST)
    else:
        profile = own_profile(request.user)
        form = SpaceForm(
            initial={
                "department": profile.department_id if profile else None,
                "visibility": Space.Visibility.OPEN,
                "default_marking": Marking.OFFICIAL,
            }
        )
    if request.method == "POST" and form.is_valid():
        try:
            space = services.space_create(actor=request.user, **form.changes)
        except SpaceError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, f"{space.name} has been created. You are its owner."
            )
            return redirect("spaces:home", slug=space.slug)
    return render(
        request,
        "spaces/create.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def invitation_answer(request, invitation_id):
    invitation = selectors.invitation_for(request.user, invitation_id)
    if invitation is None:
        raise Http404("No such invitation")
    form = InvitationAnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["action"] == InvitationAnswerForm.ACCEPT
        answer = services.invitation_accept if accept else services.invitation_decline
        try:
            answer(actor=request.user, invitation=invitation)
        except SpaceError as error:
            form.add_service_error(error)
            # The refused answer may have changed the object before rolling back.
            invitation = selectors.invitation_for(request.user, invitation_id)
        else:
            space = invitation.space
            if accept:
                messages.success(request, f"You have joined {space.name}")
                return redirect("spaces:home", slug=space.slug)
            messages.success(
                request, f"You have declined the invitation to {space.name}"
            )
            return redirect("spaces:directory")
    return render(
        request,
        "spaces/invitation.html",
        {
            "invitation": invitation,
            "space": invitation.space,
            "description": render_markdown(invitation.space.description),
            "pending": invitation.status == Invitation.Status.PENDING,
            "errors": form.error_list,
        },
        status=400 if form.errors else 200,
    )
