"""The people pages: each view parses, asks the selectors, calls one service, renders.

Leavers keep their profile for the record, but only IT admins can open it: to
everyone else a leaver's page, JSON and org chart do not exist (404).
"""

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from intranet.errors import raise_refusal
from profiles.errors import ProfileError
from profiles.forms import (
    DirectoryFilterForm,
    PhotoForm,
    ProfileForm,
    SkillMergeForm,
    SuggestionForm,
    TeamForm,
    TeamMoveDepartmentForm,
    TeamMoveForm,
    TeamRequestDecisionForm,
)
from profiles.models import CorrectionSuggestion, Department, Profile, Team
from profiles.selectors import access, org, people, team_requests
from profiles.selectors import directory as selectors
from profiles.services import corrections, editing, freshness, photos, skills
from profiles.services import org as org_services
from profiles.services import team_requests as team_request_services

PAGE_SIZE = 50


def _person_or_404(request, username: str, *, details: bool = True) -> Profile:
    profile = people.person_for_viewer(request.user, username, details=details)
    if profile is None:
        raise Http404("No such person")
    return profile


def _ip_address(request) -> str | None:
    """For the audit record: the address the connection came from (behind a proxy,
    daphne's --proxy-headers puts the client's there)."""
    return request.META.get("REMOTE_ADDR") or None


@require_GET
def directory(request):
    facets = selectors.directory_facets()
    departments = list(facets.departments)
    department = next(
        (d for d in departments if d.slug == request.GET.get("department")), None
    )
    form = DirectoryFilterForm(
        request.GET,
        departments=departments,
        teams=org.department_teams(department) if department else [],
        grades=facets.grades,
        professions=facets.professions,
        locations=facets.locations,
    )
    filters = dict(form.filters)
    skill_name = filters.pop("skill", "")
    if skill_name:
        filters["skill"] = people.skill_named(skill_name)
    profiles = selectors.directory_profiles(viewer=request.user, **filters)
    if skill_name and filters["skill"] is None:
        profiles = profiles.none()  # no one has a skill nobody has typed
    page = Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "profiles/directory.html",
        {
            "page": page,
            "filters": form,
            "department": department,
            "can_merge_skills": access.is_it_admin(request.user),
            "people": [
                access.profile_public_data(request.user, profile)
                for profile in page.object_list
            ],
        },
    )


@require_GET
def me(request):
    profile = people.own_profile(request.user)
    if profile is None:
        return render(request, "profiles/no_profile.html")
    return redirect("profiles:person", username=request.user.username)


@require_GET
def me_edit(request):
    if people.own_profile(request.user) is None:
        return render(request, "profiles/no_profile.html")
    return redirect("profiles:edit", username=request.user.username)


@require_GET
def person(request, username):
    profile = _person_or_404(request, username)
    viewer = request.user
    is_owner = profile.user_id == viewer.pk
    context = {
        "profile": profile,
        "person": access.profile_public_data(viewer, profile),
        "is_owner": is_owner,
        "can_edit": access.can_edit_profile(viewer, profile),
        "is_stale": freshness.is_stale(profile),
        "completeness": freshness.completeness(profile) if is_owner else None,
        "suggestions": people.open_suggestions(profile) if is_owner else None,
        "team_requests": team_requests.team_requests_visible_to(viewer, profile),
        "team_links": {
            m.team_id: reverse(
                "profiles:team",
                kwargs={
                    "department_slug": m.team.department.slug,
                    "team_slug": m.team.slug,
                },
            )
            for m in profile.memberships.all()
        },
    }
    return render(request, "profiles/person.html", context)


@require_GET
def person_json(request, username):
    profile = _person_or_404(request, username)
    return JsonResponse(access.profile_public_data(request.user, profile))


@require_GET
def person_photo(request, username):
    """The photo itself, to signed-in staff only (media is not public)."""
    profile = _person_or_404(request, username, details=False)
    if not profile.photo:
        raise Http404("No photo")
    response = FileResponse(profile.photo.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_http_methods(["GET", "POST"])
def edit(request, username):
    profile = _person_or_404(request, username)
    editable = access.editable_fields(request.user, profile)
    if not editable:
        raise PermissionDenied
    facets = selectors.directory_facets()
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        profile=profile,
        editable=editable,
        teams=org.department_teams(profile.department),
        departments=facets.departments,
        grades=facets.grades,
        professions=facets.professions,
        locations=facets.locations,
        hidden=access.hidden_fields(request.user, profile),
    )
    if request.method == "POST" and form.is_valid():
        try:
            updated = editing.profile_update(
                actor=request.user,
                profile=profile,
                changes=form.changes(),
                ip_address=_ip_address(request),
            )
        except ProfileError as error:
            raise_refusal(error)
            form.add_service_error(error)
        else:
            if updated.changed or not updated.team_requests:
                messages.success(request, "The profile has been updated")
            for asked in updated.team_requests:
                messages.info(request, _awaiting(asked))
            return redirect("profiles:person", username=username)
    return render(
        request,
        "profiles/edit.html",
        {
            "profile": profile,
            "form": form,
            "is_owner": profile.user_id == request.user.pk,
            "can_change_photo": "photo" in editable,
            "can_confirm_all_teams": access.is_it_admin(request.user),
            "team_requests": team_requests.team_requests_visible_to(
                request.user, profile
            ),
        },
    )


def _awaiting(asked) -> str:
    """What the editor is told about a team change that now waits for a head."""
    what = "Becoming head of" if asked.is_head else "Joining"
    return (
        f"{what} {asked.team.name} is awaiting confirmation by the team’s head. "
        "It does not count until then."
    )


@require_http_methods(["GET", "POST"])
def team_request(request, pk):
    """A request to join a team or head it: its heads confirm or decline it here;
    the person, their line manager or whoever asked may withdraw it."""
    found = team_requests.team_request_for_viewer(request.user, pk)
    if found is None:
        raise Http404("No such request")
    form = TeamRequestDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        person = found.profile
        ip_address = _ip_address(request)
        try:
            if decision == "confirm":
                team_request_services.team_request_confirm(
                    actor=request.user, request=found, ip_address=ip_address
                )
                done = _what_was_decided(found, "confirmed")
            elif decision == "decline":
                team_request_services.team_request_decline(
                    actor=request.user,
                    request=found,
                    reason=form.cleaned_data["reason"],
                    ip_address=ip_address,
                )
                done = _what_was_decided(found, "declined")
            else:
                team_request_services.team_request_withdraw(
                    actor=request.user, request=found, ip_address=ip_address
                )
                done = "The request has been withdrawn"
        except ProfileError as error:
            raise_refusal(error)
            form.add_service_error(error)
        else:
            messages.success(request, done)
            return redirect("profiles:person", username=person.user.username)
    return render(
        request,
        "profiles/team_request.html",
        {
            "team_request": found,
            "form": form,
            "can_decide": team_requests.can_decide_team_request(request.user, found),
            "can_withdraw": team_requests.can_withdraw_team_request(
                request.user, found
            ),
        },
        status=400 if form.errors else 200,
    )


def _what_was_decided(found, decided: str) -> str:
    what = "to be head of" if found.is_head else "to join"
    return (
        f"You {decided} the request for {found.profile.display_name} "
        f"{what} {found.team.name}"
    )


@require_http_methods(["GET", "POST"])
def photo(request, username):
    profile = _person_or_404(request, username, details=False)
    if "photo" not in access.editable_fields(request.user, profile):
        raise PermissionDenied
    form = PhotoForm()
    if request.method == "POST":
        if "remove" in request.POST:
            photos.profile_remove_photo(
                actor=request.user, profile=profile, ip_address=_ip_address(request)
            )
            messages.success(request, "The photo has been removed")
            return redirect("profiles:person", username=username)
        form = PhotoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                photos.profile_set_photo(
                    actor=request.user,
                    profile=profile,
                    upload=form.cleaned_data["photo"],
                    ip_address=_ip_address(request),
                )
            except ProfileError as error:
                raise_refusal(error)
                form.add_service_error(error)
            else:
                messages.success(request, "The photo has been updated")
                return redirect("profiles:person", username=username)
    return render(
        request,
        "profiles/photo.html",
        {
            "profile": profile,
            "form": form,
            "is_owner": profile.user_id == request.user.pk,
        },
    )


@require_POST
def confirm(request):
    profile = people.own_profile(request.user)
    if profile is None:
        raise Http404("No profile")
    try:
        freshness.profile_confirm(actor=request.user, profile=profile)
    except ProfileError as error:
        raise_refusal(error)
        raise BadRequest(error.message) from error
    messages.success(request, "Thank you for confirming your details are up to date")
    return redirect("profiles:person", username=request.user.username)


@require_http_methods(["GET", "POST"])
def suggest(request, username):
    profile = _person_or_404(request, username, details=False)
    if profile.user_id == request.user.pk:
        return redirect("profiles:edit", username=username)
    form = SuggestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            corrections.correction_suggest(
                actor=request.user,
                profile=profile,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
            )
        except ProfileError as error:
            raise_refusal(error)
            form.add_service_error(error)
        else:
            if form.cleaned_data["kind"] == "correction":
                sent = f"Your suggestion has been sent to {profile.display_name}"
            else:
                sent = "Your report has been sent to the IT administrators"
            messages.success(request, sent)
            return redirect("profiles:person", username=username)
    return render(request, "profiles/suggest.html", {"profile": profile, "form": form})


@require_POST
def suggestion_done(request, pk):
    suggestion = get_object_or_404(
        CorrectionSuggestion.objects.select_related("profile"),
        pk=pk,
        profile__user=request.user,
    )
    corrections.correction_resolve(actor=request.user, suggestion=suggestion)
    messages.success(request, "Suggestion marked as done")
    return redirect("profiles:person", username=request.user.username)


@require_GET
def org_chart(request, username):
    profile = _person_or_404(request, username, details=False)
    return render(
        request,
        "profiles/org_chart.html",
        {
            "profile": profile,
            "chain": org.manager_chain(profile),
            "reports": org.direct_reports(profile),
        },
    )


@require_GET
def team(request, department_slug, team_slug):
    found = get_object_or_404(
        Team.objects.select_related("department", "parent"),
        department__slug=department_slug,
        slug=team_slug,
    )
    memberships = list(org.team_memberships(found))
    return render(
        request,
        "profiles/team.html",
        {
            "team": found,
            "ancestors": org.team_ancestors(found),
            "heads": [m for m in memberships if m.is_head],
            "members": [m for m in memberships if not m.is_head],
            "subteams": org.team_subteams(found),
            "can_edit": org.can_edit_team(request.user, found),
            "can_move": access.is_it_admin(request.user),
            "team_requests": team_requests.team_requests_to_decide(request.user, found),
        },
    )


@require_GET
def department(request, slug):
    found = get_object_or_404(Department.objects.select_related("parent"), slug=slug)
    return render(
        request,
        "profiles/department.html",
        {
            "department": found,
            "tree": org.team_tree(found),
            "can_add_team": org.can_add_team(request.user, None),
            "people_count": selectors.directory_profiles(
                viewer=request.user, department=found
            ).count(),
        },
    )


# Changing the organisation: teams and skills.


def _team_or_404(department_slug: str, team_slug: str) -> Team:
    return get_object_or_404(
        Team.objects.select_related("department", "parent"),
        department__slug=department_slug,
        slug=team_slug,
    )


def _team_url(team: Team) -> str:
    return reverse(
        "profiles:team",
        kwargs={"department_slug": team.department.slug, "team_slug": team.slug},
    )


@require_http_methods(["GET", "POST"])
def team_edit(request, department_slug, team_slug):
    found = _team_or_404(department_slug, team_slug)
    if not org.can_edit_team(request.user, found):
        raise PermissionDenied
    form = TeamForm(
        request.POST if request.method == "POST" else None,
        initial={"name": found.name, "description": found.description},
    )
    if request.method == "POST" and form.is_valid():
        try:
            org_services.team_update(
                actor=request.user,
                team=found,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ProfileError as error:
            raise_refusal(error)
            form.add_service_error(error)
        else:
            messages.success(request, f"{found.name} has been updated")
            return redirect(_team_url(found))
    return render(
        request,
        "profiles/team_edit.html",
        {"team": found, "ancestors": org.team_ancestors(found), "form": form},
    )


@require_http_methods(["GET", "POST"])
def team_add(request, department_slug, team_slug):
    parent = _team_or_404(department_slug, team_slug)
    return _add_team(request, department=parent.department, parent=parent)


@require_http_methods(["GET", "POST"])
def department_team_add(request, slug):
    found = get_object_or_404(Department, slug=slug)
    return _add_team(request, department=found, parent=None)


def _add_team(request, *, department: Department, parent: Team | None):
    """A sub-team under `parent`, or a top-level team when it is None."""
    if not org.can_add_team(request.user, parent):
        raise PermissionDenied
    form = TeamForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            added = org_services.team_create(
                actor=request.user,
                department=department,
                parent=parent,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ProfileError as error:
            raise_refusal(error)
            form.add_service_error(error)
        else:
            where = (parent or department).name
            messages.success(request, f"{added.name} has been added to {where}")
            return redirect(_team_url(added))
    return render(
        request,
        "profiles/team_add.html",
        {
            "department": department,
            "parent": parent,
            "ancestors": org.team_ancestors(parent) if parent else [],
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def team_move(request, department_slug, team_slug):
    """Two plain forms, so it works without JavaScript: a GET form chooses the
    department, then a POST form chooses the parent among that department's teams.
    """
    found = _team_or_404(department_slug, team_slug)
    if not access.is_it_admin(request.user):
        raise PermissionDenied
    departments = list(selectors.directory_facets().departments)
    posted = request.method == "POST"
    step = TeamMoveDepartmentForm(
        {"department": request.POST.get("department", "")} if posted else request.GET,
        departments=departments,
        current=found.department,
    )
    chosen = step.chosen
    form = TeamMoveForm(
        request.POST if posted else None,
        team=found,
        department=chosen,
        departments=departments,
        teams=org.department_teams(chosen),
    )
    if posted and form.is_valid():
        parent = form.cleaned_data["parent"]
        target = form.cleaned_data["department"]
        old_slug, old_department_id = found.slug, found.department_id
        try:
            org_services.team_move(
                actor=request.user,
                team=found,
                new_parent=parent,
                department=target if target.pk != old_department_id else None,
            )
        except ProfileError as error:
            raise_refusal(error)
            form.add_service_error(error)
        else:
            if parent is None:
                where = f"to the top level of {target.name}"
            elif target.pk != old_department_id:
                where = f"to {target.name}, under {parent.name}"
            else:
                where = f"under {parent.name}"
            done = f"{found.name} has been moved {where}"
            if found.slug != old_slug:
                done += f". Its web address now ends /{found.slug}/"
            messages.success(request, done)
            return redirect(_team_url(found))
    return render(
        request,
        "profiles/team_move.html",
        {
            "team": found,
            "ancestors": org.team_ancestors(found),
            "step": step,
            "department": chosen,
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def skill_merge(request):
    if not access.is_it_admin(request.user):
        raise PermissionDenied
    form = SkillMergeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        source, target = form.cleaned_data["source"], form.cleaned_data["target"]
        holders = people.skill_holder_count(source)
        try:
            skills.skill_merge(actor=request.user, source=source, target=target)
        except ProfileError as error:
            raise_refusal(error)
            form.add_service_error(error)
        else:
            updated = f"{holders} {'profile was' if holders == 1 else 'profiles were'}"
            messages.success(
                request,
                f"Merged ‘{source.name}’ into ‘{target.name}’: {updated} updated",
            )
            return redirect("profiles:skill_merge")
    return render(request, "profiles/skill_merge.html", {"form": form})
