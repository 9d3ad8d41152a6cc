"""Who may put someone in a team or make them its head, and what a change by
anyone else becomes: a request that confers nothing until a head confirms it."""

import pytest

from intranet.models import AuditEvent, Notification
from profiles.errors import ProfileError, ProfileForbidden
from profiles.models import TeamMembership, TeamMembershipRequest
from profiles.selectors.org import (
    can_confirm_team_membership,
    can_edit_team,
    team_membership_confirmers,
)
from profiles.selectors.team_requests import (
    can_withdraw_team_request,
    team_request_for_viewer,
    team_requests_to_decide,
)
from profiles.services.editing import profile_update
from profiles.services.team_requests import (
    REASON_MAX_LENGTH,
    team_request_confirm,
    team_request_decline,
    team_request_withdraw,
)
from tests.profiles.factories import (
    ProfileFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def division():
    return TeamFactory(name="Digital division")


@pytest.fixture
def team(division):
    return TeamFactory(
        name="Cyber Security Policy", department=division.department, parent=division
    )


@pytest.fixture
def head(team):
    profile = ProfileFactory(department=team.department)
    TeamMembershipFactory(profile=profile, team=team, is_head=True)
    return profile


@pytest.fixture
def director(division):
    profile = ProfileFactory(department=division.department)
    TeamMembershipFactory(profile=profile, team=division, is_head=True)
    return profile


@pytest.fixture
def claimant(team):
    return ProfileFactory(department=team.department)


def claim(actor, profile, team, *, is_head=False, job_title=""):
    return profile_update(
        actor=actor,
        profile=profile,
        changes={"teams": [{"team": team, "job_title": job_title, "is_head": is_head}]},
    )


class TestClaimingATeam:
    def test_joining_on_your_own_word_is_only_a_request(self, claimant, team, head):
        updated = claim(claimant.user, claimant, team, job_title="Analyst")

        assert not TeamMembership.objects.filter(profile=claimant).exists()
        [asked] = updated.team_requests
        assert (asked.profile, asked.team, asked.is_head, asked.job_title) == (
            claimant,
            team,
            False,
            "Analyst",
        )
        assert asked.requested_by == claimant.user
        # Nothing about the organisation changed, so nothing is recorded as one.
        assert updated.changed == ()
        assert AuditEvent.objects.filter(action="team_membership.request").exists()

    def test_the_teams_head_is_asked(self, claimant, team, head, director):
        claim(claimant.user, claimant, team)
        asked = Notification.objects.filter(kind="team_request.asked")
        assert {n.recipient for n in asked} == {head.user, director.user}
        assert {n.url for n in asked} == {
            f"/people/team-requests/{TeamMembershipRequest.objects.get().pk}/"
        }

    def test_a_team_with_no_head_asks_the_it_admins(self, claimant, team):
        admin = UserFactory(it_admin=True)
        claim(claimant.user, claimant, team)
        assert list(team_membership_confirmers(team)) == [admin]
        assert Notification.objects.get(kind="team_request.asked").recipient == admin

    def test_asking_again_changes_nothing_and_asks_nobody_twice(
        self, claimant, team, head
    ):
        claim(claimant.user, claimant, team)
        claim(claimant.user, claimant, team)
        assert TeamMembershipRequest.objects.count() == 1
        assert Notification.objects.filter(recipient=head.user).count() == 1

    def test_ticking_head_of_your_own_team_gives_no_edit_rights(self, claimant, team):
        TeamMembershipFactory(profile=claimant, team=team, job_title="Analyst")
        updated = claim(
            claimant.user, claimant, team, is_head=True, job_title="Analyst"
        )

        membership = TeamMembership.objects.get(profile=claimant, team=team)
        assert not membership.is_head
        assert membership.job_title == "Analyst"
        assert not can_edit_team(claimant.user, team)
        [asked] = updated.team_requests
        assert asked.is_head

    def test_the_line_manager_cannot_vouch_alone(self, claimant, team):
        # The owner sets their own line manager, so a friend made line manager
        # must not be able to put them in a team.
        friend = ProfileFactory(department=team.department)
        profile_update(
            actor=claimant.user, profile=claimant, changes={"line_manager": friend}
        )
        claim(friend.user, claimant, team)
        assert not TeamMembership.objects.filter(profile=claimant).exists()
        assert not can_confirm_team_membership(friend.user, team)

    def test_a_head_who_manages_them_puts_them_in_the_team_at_once(
        self, claimant, team, head
    ):
        claimant.line_manager = head
        claimant.save()
        updated = claim(head.user, claimant, team)
        assert updated.team_requests == ()
        assert TeamMembership.objects.filter(profile=claimant, team=team).exists()

    def test_an_it_admins_change_counts_at_once(self, claimant, team):
        admin = UserFactory(it_admin=True)
        updated = claim(admin, claimant, team, is_head=True)
        assert updated.team_requests == ()
        assert TeamMembership.objects.get(profile=claimant, team=team).is_head

    def test_the_head_of_a_team_above_adds_themselves_to_a_team_below(
        self, director, team, division
    ):
        profile_update(
            actor=director.user,
            profile=director,
            changes={
                "teams": [
                    {"team": division, "job_title": "", "is_head": True},
                    {"team": team, "job_title": "", "is_head": False},
                ]
            },
        )
        assert TeamMembership.objects.filter(profile=director, team=team).exists()
        assert not TeamMembershipRequest.objects.exists()


class TestGivingUp:
    def test_leaving_and_stepping_down_count_at_once(self, claimant, team, division):
        TeamMembershipFactory(profile=claimant, team=team, is_head=True)
        TeamMembershipFactory(profile=claimant, team=division)
        profile_update(
            actor=claimant.user,
            profile=claimant,
            changes={"teams": [{"team": team, "job_title": "", "is_head": False}]},
        )
        [membership] = TeamMembership.objects.filter(profile=claimant)
        assert (membership.team, membership.is_head) == (team, False)
        assert not TeamMembershipRequest.objects.exists()

    def test_leaving_a_team_drops_a_request_to_head_it(self, claimant, team, head):
        TeamMembershipFactory(profile=claimant, team=team)
        claim(claimant.user, claimant, team, is_head=True)
        profile_update(actor=claimant.user, profile=claimant, changes={"teams": []})
        assert not TeamMembershipRequest.objects.exists()

    def test_a_head_stepping_down_cannot_use_the_headship_they_give_up(
        self, head, team, claimant
    ):
        # Authority given up is gone: taking the headship back is a request.
        profile_update(
            actor=head.user,
            profile=head,
            changes={"teams": [{"team": team, "job_title": "", "is_head": False}]},
        )
        assert not TeamMembership.objects.get(profile=head).is_head
        claim(head.user, head, team, is_head=True)
        assert not TeamMembership.objects.get(profile=head).is_head
        assert TeamMembershipRequest.objects.filter(profile=head).exists()


class TestAnswering:
    @pytest.fixture
    def asked(self, claimant, team, head):
        claim(claimant.user, claimant, team, job_title="Analyst")
        return TeamMembershipRequest.objects.get()

    def test_a_head_confirms_and_the_membership_counts(self, asked, head, claimant):
        membership = team_request_confirm(actor=head.user, request=asked)
        assert (membership.profile, membership.job_title) == (claimant, "Analyst")
        assert not TeamMembershipRequest.objects.exists()
        event = AuditEvent.objects.get(action="team_membership.confirm")
        assert event.actor == head.user
        assert event.details["changes"]["teams"]["before"] == []
        told = Notification.objects.get(kind="team_request.answered")
        assert told.recipient == claimant.user
        assert "confirmed" in told.text

    def test_confirming_a_request_to_head_makes_them_head(self, claimant, team, head):
        TeamMembershipFactory(profile=claimant, team=team)
        claim(claimant.user, claimant, team, is_head=True)
        team_request_confirm(
            actor=head.user, request=TeamMembershipRequest.objects.get()
        )
        assert TeamMembership.objects.get(profile=claimant, team=team).is_head
        assert can_edit_team(claimant.user, team)

    @pytest.mark.parametrize("who", ["claimant", "colleague", "line_manager"])
    def test_nobody_without_authority_confirms(self, asked, claimant, who):
        actor = {
            "claimant": claimant.user,
            "colleague": ProfileFactory(department=claimant.department).user,
            "line_manager": ProfileFactory(department=claimant.department).user,
        }[who]
        if who == "line_manager":
            claimant.line_manager = actor.profile
            claimant.save()
        with pytest.raises(ProfileForbidden):
            team_request_confirm(actor=actor, request=asked)
        with pytest.raises(ProfileForbidden):
            team_request_decline(actor=actor, request=asked)
        assert TeamMembershipRequest.objects.filter(pk=asked.pk).exists()
        assert not TeamMembership.objects.filter(profile=claimant).exists()

    def test_a_decline_tells_whoever_asked_why(self, asked, head, claimant):
        team_request_decline(
            actor=head.user, request=asked, reason="  Not in this team  "
        )
        assert not TeamMembershipRequest.objects.exists()
        assert not TeamMembership.objects.filter(profile=claimant).exists()
        told = Notification.objects.get(kind="team_request.answered")
        assert told.recipient == claimant.user
        assert told.text.endswith("Reason: Not in this team")
        assert (
            AuditEvent.objects.get(action="team_membership.decline").details["reason"]
            == "Not in this team"
        )

    def test_an_over_long_reason_is_refused_and_changes_nothing(self, asked, head):
        with pytest.raises(ProfileError) as refused:
            team_request_decline(
                actor=head.user, request=asked, reason="x" * (REASON_MAX_LENGTH + 1)
            )
        assert refused.value.field == "reason"
        assert TeamMembershipRequest.objects.filter(pk=asked.pk).exists()

    def test_a_request_answered_twice_changes_nothing_the_second_time(
        self, asked, head, director
    ):
        team_request_confirm(actor=head.user, request=asked)
        with pytest.raises(ProfileError, match="already been answered"):
            team_request_decline(actor=director.user, request=asked)
        assert TeamMembership.objects.filter(profile=asked.profile).count() == 1

    def test_someone_who_has_left_is_not_confirmed(self, asked, head, claimant):
        claimant.user.is_active = False
        claimant.user.save()
        with pytest.raises(ProfileError, match="has left"):
            team_request_confirm(actor=head.user, request=asked)
        assert not TeamMembership.objects.filter(profile=claimant).exists()

    def test_the_person_withdraws_it(self, asked, claimant):
        assert can_withdraw_team_request(claimant.user, asked)
        team_request_withdraw(actor=claimant.user, request=asked)
        assert not TeamMembershipRequest.objects.exists()

    def test_a_colleague_cannot_withdraw_it(self, asked, claimant):
        colleague = ProfileFactory(department=claimant.department).user
        with pytest.raises(ProfileForbidden):
            team_request_withdraw(actor=colleague, request=asked)
        assert TeamMembershipRequest.objects.exists()


class TestWhoSeesARequest:
    @pytest.fixture
    def asked(self, claimant, team, head):
        claim(claimant.user, claimant, team)
        return TeamMembershipRequest.objects.get()

    def test_the_person_and_the_teams_heads_see_it(self, asked, claimant, head):
        assert team_request_for_viewer(claimant.user, asked.pk) == asked
        assert team_request_for_viewer(head.user, asked.pk) == asked

    def test_it_does_not_exist_for_a_colleague(self, asked, claimant):
        colleague = ProfileFactory(department=claimant.department).user
        assert team_request_for_viewer(colleague, asked.pk) is None
        assert team_request_for_viewer(None, asked.pk) is None

    def test_only_those_who_may_answer_see_the_teams_list(
        self, asked, team, head, claimant
    ):
        assert team_requests_to_decide(head.user, team) == [asked]
        assert team_requests_to_decide(claimant.user, team) == []
