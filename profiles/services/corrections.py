"""Suggesting a correction to someone's profile.

A correction goes to the person, who alone (with their line manager and IT admins)
can change the profile. A report that someone has left, or that a profile is a
duplicate, goes to the IT admins, who offboard people and remove duplicates.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from intranet.models import Notification
from intranet.notifications import notification_send
from profiles.errors import ProfileForbidden, ProfileInvalid
from profiles.models import CorrectionSuggestion, Profile, User
from profiles.selectors.access import it_admins

MAX_TEXT = 2000
# What fits of the suggestion in a notification, which holds 500 characters.
EXCERPT = 300


CorrectionKind = CorrectionSuggestion.Kind


def correction_suggest(
    *, actor: User, profile: Profile, kind: str, text: str
) -> list[Notification]:
    """Send a suggestion about `profile`; returns the notifications sent."""
    if not actor.is_active:
        raise ProfileForbidden("You cannot suggest corrections")
    if kind not in CorrectionKind.values:
        raise ProfileInvalid("Select what is wrong with the profile", field="kind")
    text = (text or "").strip()
    if not text:
        raise ProfileInvalid("Enter what needs correcting", field="text")
    if len(text) > MAX_TEXT:
        raise ProfileInvalid(
            f"The suggestion must be {MAX_TEXT:,} characters or fewer", field="text"
        )
    if kind == CorrectionKind.CORRECTION and actor.pk == profile.user_id:
        raise ProfileInvalid(
            "You can change your own profile: edit it instead", field="kind"
        )

    excerpt = text if len(text) <= EXCERPT else f"{text[: EXCERPT - 1].rstrip()}…"
    person = profile.display_name
    url = reverse("profiles:person", kwargs={"username": profile.user.username})
    if kind == CorrectionKind.CORRECTION:
        url += "#suggestions"
    if kind == CorrectionKind.CORRECTION:
        recipients = [profile.user]
        message = f"{actor.display_name} suggests a correction to your profile: "
    else:
        # The reporter may be an IT admin: they know already.
        recipients = list(it_admins().exclude(pk=actor.pk))
        what = "has left" if kind == CorrectionKind.LEAVER else "is a duplicate"
        message = f"{actor.display_name} reports that the profile of {person} {what}: "
    with transaction.atomic():
        # The whole text is kept: the notification holds an excerpt only.
        CorrectionSuggestion.objects.create(
            profile=profile, author=actor, kind=kind, text=text
        )
        return [
            notification_send(
                recipient=recipient,
                kind=f"profile.{kind}",
                text=f"{message}“{excerpt}”",
                url=url,
            )
            for recipient in recipients
        ]


def correction_resolve(*, actor: User, suggestion: CorrectionSuggestion) -> None:
    """The person a correction was about marks it dealt with."""
    if suggestion.profile.user_id != actor.pk:
        raise ProfileForbidden("Only the person it is about can mark a suggestion done")
    if suggestion.resolved_at is None:
        suggestion.resolved_at = timezone.now()
        suggestion.save(update_fields=["resolved_at"])
