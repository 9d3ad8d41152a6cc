"""Keeping the directory worth trusting: how complete a profile is, when it was last
confirmed, and the reminders that nudge people to keep it current."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from intranet.models import Notification
from intranet.notifications import notification_send
from profiles.errors import ProfileForbidden
from profiles.models import Profile, Team, TeamMembership, User

FRESHNESS = timedelta(days=365)
# A reminder of one kind goes to a person at most once in this time, however often
# the command runs.
REMIND_EVERY = timedelta(days=30)


@dataclass(frozen=True)
class Prompt:
    """Something missing from a profile: the edit form field that supplies it, what
    to tell the owner, and how many points of the score it is worth."""

    field: str
    label: str
    weight: int


@dataclass(frozen=True)
class Completeness:
    score: int
    missing: list[Prompt]


# Heaviest first: what most helps a colleague find and recognise someone. The
# weights add up to 100.
PROMPTS = (
    Prompt("photo", "Add a photo so colleagues can recognise you", 15),
    Prompt("key_skills", "Add your key skills so people can find you by them", 15),
    Prompt("job_title", "Add your job title", 10),
    Prompt("teams", "Add the teams you work in", 10),
    Prompt("line_manager", "Add your line manager to place you in the org chart", 10),
    Prompt("bio", "Write a short bio about your work", 10),
    Prompt("grade", "Add your grade", 5),
    Prompt("professions", "Add your profession", 5),
    Prompt("ask_me_about", "Add what colleagues can ask you about", 5),
    Prompt("location", "Add where you usually work", 5),
    Prompt("phone_work", "Add a phone number", 5),
    Prompt("working_days", "Add the days you usually work", 5),
)


def completeness(profile: Profile) -> Completeness:
    """The profile's score out of 100 and prompts for what is missing.

    Relations are read through `.all()`, so prefetching them keeps a list cheap.
    """
    missing = [prompt for prompt in PROMPTS if not _filled(profile, prompt.field)]
    score = 100 - sum(prompt.weight for prompt in missing)
    return Completeness(score=score, missing=missing)


def _filled(profile: Profile, field: str) -> bool:
    if field == "teams":
        return bool(profile.memberships.all())
    if field in {"key_skills", "professions"}:
        return bool(getattr(profile, field).all())
    if field in {"grade", "line_manager", "location"}:
        return getattr(profile, f"{field}_id") is not None
    if field == "phone_work":
        return bool(profile.phone_work or profile.phone_mobile)
    if field == "photo":
        return bool(profile.photo)
    return bool(getattr(profile, field))


def is_stale(profile: Profile, now: datetime | None = None) -> bool:
    """Not confirmed by its owner for over FRESHNESS (counted from its creation
    when never confirmed)."""
    last_confirmed = profile.confirmed_at or profile.created_at
    return (now or timezone.now()) - last_confirmed > FRESHNESS


def stale_filter(now: datetime | None = None) -> Q:
    """`is_stale` as a filter on Profile."""
    cutoff = (now or timezone.now()) - FRESHNESS
    return Q(confirmed_at__lt=cutoff) | Q(
        confirmed_at__isnull=True, created_at__lt=cutoff
    )


def profile_confirm(*, actor: User, profile: Profile) -> Profile:
    """The owner says their details are current: the freshness clock restarts."""
    if not actor.is_active or actor.pk != profile.user_id:
        raise ProfileForbidden("Only the person themselves can confirm their details")
    profile.confirmed_at = timezone.now()
    profile.save(update_fields=["confirmed_at"])
    return profile


@dataclass(frozen=True)
class Reminder:
    recipient: User
    kind: str
    text: str
    url: str


def reminders_due(now: datetime | None = None) -> list[Reminder]:
    """The reminders to send now, leaving out anyone already reminded of the same
    thing within REMIND_EVERY.

    Current staff who never signed in are asked to check their profile; those who
    have, but whose profile is stale, to confirm it; heads of teams without a
    description to write one.
    """
    now = now or timezone.now()
    reminders = [*_never_signed_in(), *_stale(now), *_teams_without_description()]
    recently = set(
        Notification.objects.filter(
            kind__in={reminder.kind for reminder in reminders},
            created_at__gte=now - REMIND_EVERY,
        ).values_list("kind", "recipient_id")
    )
    return [r for r in reminders if (r.kind, r.recipient.pk) not in recently]


def reminders_send(reminders: Iterable[Reminder]) -> int:
    """Send `reminders` as notifications; returns how many were sent."""
    sent = 0
    with transaction.atomic():
        for reminder in reminders:
            notification_send(
                recipient=reminder.recipient,
                kind=reminder.kind,
                text=reminder.text,
                url=reminder.url,
            )
            sent += 1
    return sent


def _never_signed_in() -> Iterable[Reminder]:
    url = reverse("profiles:me")
    people = User.objects.filter(
        is_active=True, last_login__isnull=True, profile__isnull=False
    )
    for user in people.order_by("username"):
        yield Reminder(
            recipient=user,
            kind="reminder.sign_in",
            text="Welcome to Crossgov. Check your profile so colleagues can find you.",
            url=url,
        )


def _stale(now: datetime) -> Iterable[Reminder]:
    url = reverse("profiles:me")
    profiles = (
        Profile.objects.filter(stale_filter(now))
        .filter(user__is_active=True, user__last_login__isnull=False)
        .select_related("user")
        .order_by("user__username")
    )
    for profile in profiles:
        yield Reminder(
            recipient=profile.user,
            kind="reminder.stale",
            text=(
                "You have not confirmed your profile for over a year. Check your "
                "details are still right, then confirm them."
            ),
            url=url,
        )


def _teams_without_description() -> Iterable[Reminder]:
    heads = (
        TeamMembership.objects.filter(
            is_head=True, profile__user__is_active=True, team__description=""
        )
        .select_related("profile__user", "team__department")
        .order_by("profile__user__username", "team__name")
    )
    teams_by_head: dict[int, tuple[User, list[Team]]] = {}
    for membership in heads:
        user = membership.profile.user
        teams_by_head.setdefault(user.pk, (user, []))[1].append(membership.team)
    for user, teams in teams_by_head.values():
        first = teams[0]
        if len(teams) == 1:
            text = (
                f"{first.name} has no description. Add one so colleagues know what "
                "the team does."
            )
        else:
            text = (
                f"{first.name} and {len(teams) - 1} other teams you lead have no "
                "description. Add them so colleagues know what each team does."
            )
        yield Reminder(
            recipient=user,
            kind="reminder.team_description",
            text=text,
            url=reverse(
                "profiles:team",
                kwargs={
                    "department_slug": first.department.slug,
                    "team_slug": first.slug,
                },
            ),
        )
