"""Requests to join a team or to head it, and their answers.

A TeamMembership is the organisation's record, and it is what confers access
(space grants to the team, the team's edit rights, headship in the org chart). So
when someone without authority over a team (`org.can_confirm_team_membership`)
adds a person to it or makes them its head, the change is stored as a request
that confers nothing, and the people who may confirm it are asked. Confirming
writes the membership; `spaces.groups` then puts the person in the team's
audience group through the TeamMembership signals.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse

from intranet.audit import audit_record
from intranet.indexing import index_later
from intranet.notifications import notification_send
from profiles.errors import ProfileConflict, ProfileForbidden, ProfileInvalid
from profiles.models import Profile, Team, TeamMembership, TeamMembershipRequest, User
from profiles.selectors.org import team_membership_confirmers
from profiles.selectors.team_requests import (
    can_decide_team_request,
    can_withdraw_team_request,
)

REASON_MAX_LENGTH = 500


def team_request_store(
    *,
    actor: User,
    profile: Profile,
    team: Team,
    job_title: str,
    is_head: bool,
    ip_address: str | None = None,
) -> TeamMembershipRequest:
    """Ask for `profile` to join `team` (or, if they are in it, to head it), as
    `actor`, who has no authority over the team. Replaces an earlier request for
    the same team; the very same request asked again is left as it was, and
    nobody is asked twice.

    Called by `profile_update` inside its transaction; it does not check who may
    edit the profile's teams.
    """
    found = TeamMembershipRequest.objects.filter(profile=profile, team=team).first()
    if found is not None and (found.job_title, found.is_head) == (job_title, is_head):
        return found
    if found is None:
        found = TeamMembershipRequest(profile=profile, team=team)
    found.job_title, found.is_head, found.requested_by = job_title, is_head, actor
    found.save()
    audit_record(
        actor=actor,
        action="team_membership.request",
        target=profile,
        target_label=profile.display_name,
        details=_request_details(found),
        ip_address=ip_address,
    )
    url = reverse("profiles:team_request", kwargs={"pk": found.pk})
    asker = actor.display_name
    if actor.pk == profile.user_id:
        text = f"{asker} asks {_what(found, 'to join', 'to be head of')}."
    else:
        text = (
            f"{asker} asks for {profile.display_name} "
            f"{_what(found, 'to join', 'to be head of')}."
        )
    for confirmer in team_membership_confirmers(team):
        notification_send(
            recipient=confirmer, kind="team_request.asked", text=text, url=url
        )
    if actor.pk != profile.user_id:
        notification_send(
            recipient=profile.user,
            kind="team_request.asked",
            text=f"{asker} asked for you {_what(found, 'to join', 'to be head of')}. "
            "It counts once a head of the team confirms it.",
            url=url,
        )
    return found


@transaction.atomic
def team_request_confirm(
    *, actor: User, request: TeamMembershipRequest, ip_address: str | None = None
) -> TeamMembership:
    """Confirm the request: `request.profile` joins the team (or becomes its
    head). Only someone with authority over the team may."""
    request = _locked(request)
    if not can_decide_team_request(actor, request):
        raise ProfileForbidden("You cannot confirm this request")
    profile = request.profile
    if not profile.user.is_active:
        raise ProfileConflict(f"{profile.display_name} has left, so cannot join a team")
    before = _teams(profile)
    membership = TeamMembership.objects.filter(
        profile=profile, team=request.team
    ).first()
    if membership is None:
        membership = TeamMembership.objects.create(
            profile=profile,
            team=request.team,
            job_title=request.job_title,
            is_head=request.is_head,
        )
    elif request.is_head and not membership.is_head:
        membership.is_head = True
        membership.save(update_fields=["is_head"])
    details = _request_details(request)
    details["changes"] = {"teams": {"before": before, "after": _teams(profile)}}
    audit_record(
        actor=actor,
        action="team_membership.confirm",
        target=profile,
        target_label=profile.display_name,
        details=details,
        ip_address=ip_address,
    )
    index_later(profile)
    _tell(request, f"{actor.display_name} confirmed", "")
    request.delete()
    return membership


@transaction.atomic
def team_request_decline(
    *,
    actor: User,
    request: TeamMembershipRequest,
    reason: str = "",
    ip_address: str | None = None,
) -> None:
    """Decline the request, with an optional reason told to whoever asked."""
    reason = " ".join((reason or "").split())
    if len(reason) > REASON_MAX_LENGTH:
        raise ProfileInvalid(
            f"The reason must be {REASON_MAX_LENGTH} characters or fewer",
            field="reason",
        )
    request = _locked(request)
    if not can_decide_team_request(actor, request):
        raise ProfileForbidden("You cannot decline this request")
    details = _request_details(request)
    details["reason"] = reason
    audit_record(
        actor=actor,
        action="team_membership.decline",
        target=request.profile,
        target_label=request.profile.display_name,
        details=details,
        ip_address=ip_address,
    )
    _tell(
        request,
        f"{actor.display_name} declined",
        f" Reason: {reason}" if reason else "",
    )
    request.delete()


@transaction.atomic
def team_request_withdraw(
    *, actor: User, request: TeamMembershipRequest, ip_address: str | None = None
) -> None:
    """Take the request back: the person, whoever asked, or the line manager."""
    request = _locked(request)
    if not can_withdraw_team_request(actor, request):
        raise ProfileForbidden("You cannot withdraw this request")
    audit_record(
        actor=actor,
        action="team_membership.withdraw",
        target=request.profile,
        target_label=request.profile.display_name,
        details=_request_details(request),
        ip_address=ip_address,
    )
    request.delete()


def _locked(request: TeamMembershipRequest) -> TeamMembershipRequest:
    # Two heads answering at once: the second finds it gone, and changes nothing.
    found = (
        # Only the request's row: PostgreSQL cannot lock the nullable side of the
        # outer join to a line manager.
        TeamMembershipRequest.objects.select_for_update(of=("self",))
        .select_related(
            "profile__user", "profile__line_manager__user", "team", "requested_by"
        )
        .filter(pk=request.pk)
        .first()
    )
    if found is None:
        raise ProfileConflict("This request has already been answered or withdrawn")
    return found


def _what(request: TeamMembershipRequest, join: str, head: str) -> str:
    return f"{head if request.is_head else join} {request.team.name}"


def _tell(request: TeamMembershipRequest, decided: str, reason: str) -> None:
    """Tell whoever asked, and the person if someone else asked, what was decided."""
    profile = request.profile
    url = reverse("profiles:person", kwargs={"username": profile.user.username})
    what = _what(request, "joining", "being head of")
    notification_send(
        recipient=request.requested_by,
        kind="team_request.answered",
        text=(
            f"{decided} the request for {profile.display_name}"
            if request.requested_by_id != profile.user_id
            else f"{decided} your request"
        )
        + f": {what}.{reason}",
        url=url,
    )
    if request.requested_by_id != profile.user_id:
        notification_send(
            recipient=profile.user,
            kind="team_request.answered",
            text=f"{decided} the request for you: {what}.{reason}",
            url=url,
        )


def _request_details(request: TeamMembershipRequest) -> dict[str, Any]:
    return {
        "team": {"id": request.team_id, "name": request.team.name},
        "job_title": request.job_title,
        "is_head": request.is_head,
        "requested_by": request.requested_by.get_username(),
    }


def _teams(profile: Profile) -> list[dict[str, Any]]:
    """The profile's teams as the audit log records them (as `profile_update`)."""
    return [
        {
            "id": m.team_id,
            "name": m.team.name,
            "job_title": m.job_title,
            "is_head": m.is_head,
        }
        for m in profile.memberships.select_related("team").order_by("team_id")
    ]
