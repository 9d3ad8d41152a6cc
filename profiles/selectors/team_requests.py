"""Reads about requests to join a team or head it, and who may see and answer them.

A request is about one person's place in the organisation: it is shown to that
person, their line manager, whoever asked, and the people who may confirm it
(`org.can_confirm_team_membership`), and to nobody else.
"""

from __future__ import annotations

from profiles.models import Profile, TeamMembershipRequest
from profiles.selectors.access import is_active_account, is_line_manager
from profiles.selectors.org import can_confirm_team_membership


def _requests():
    return TeamMembershipRequest.objects.select_related(
        "profile__user",
        "profile__line_manager__user",
        "team__department",
        "requested_by__profile",
    )


def can_see_team_request(user, request: TeamMembershipRequest) -> bool:
    """Whether the request exists for `user`."""
    if not is_active_account(user):
        return False
    profile = request.profile
    return (
        user.pk in (profile.user_id, request.requested_by_id)
        or is_line_manager(user, profile)
        or can_confirm_team_membership(user, request.team)
    )


def can_decide_team_request(user, request: TeamMembershipRequest) -> bool:
    """Whether `user` may confirm or decline the request."""
    return can_confirm_team_membership(user, request.team)


def can_withdraw_team_request(user, request: TeamMembershipRequest) -> bool:
    """Whether `user` may take the request back: the person it is about, whoever
    asked, or the person's line manager."""
    if not is_active_account(user):
        return False
    return user.pk in (
        request.profile.user_id,
        request.requested_by_id,
    ) or is_line_manager(user, request.profile)


def team_request_for_viewer(user, pk) -> TeamMembershipRequest | None:
    """The request numbered `pk` if it exists for `user`, else None."""
    request = _requests().filter(pk=pk).first()
    if request is None or not can_see_team_request(user, request):
        return None
    return request


def team_requests_visible_to(user, profile: Profile) -> list[TeamMembershipRequest]:
    """`profile`'s pending team requests that `user` may see, oldest first, each
    with `can_decide` and `can_withdraw` set for `user`."""
    found = [
        request
        for request in _requests().filter(profile=profile)
        if can_see_team_request(user, request)
    ]
    for request in found:
        request.can_decide = can_decide_team_request(user, request)
        request.can_withdraw = can_withdraw_team_request(user, request)
    return found


def team_requests_to_decide(user, team) -> list[TeamMembershipRequest]:
    """The pending requests to join or head `team` that `user` may answer, oldest
    first; none for anyone without authority over the team."""
    if not can_confirm_team_membership(user, team):
        return []
    found = list(_requests().filter(team=team))
    for request in found:
        request.can_decide = True
        request.can_withdraw = can_withdraw_team_request(user, request)
    return found
