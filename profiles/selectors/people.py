"""Finding one person, as a given viewer may see them."""

from __future__ import annotations

from django.db.models import Q

from profiles.models import CorrectionSuggestion, Profile, Skill
from profiles.selectors.access import is_it_admin
from profiles.selectors.loading import with_public_data
from profiles.services.skills import skill_key


def person_for_viewer(viewer, username: str, *, details: bool = True) -> Profile | None:
    """The profile of `username` if `viewer` may open it, else None.

    Leavers keep their profile for the record, but only IT admins can open it: to
    everyone else it does not exist. With `details`, everything the person page
    shows is loaded with it.
    """
    profiles = Profile.objects.select_related("user", "department", "grade")
    if details:
        profiles = with_public_data(profiles)
    profile = profiles.filter(user__username=username).first()
    if profile is None:
        return None
    if not profile.user.is_active and not is_it_admin(viewer):
        return None
    return profile


def own_profile(user) -> Profile | None:
    return Profile.objects.filter(user=user).first()


def skill_named(name: str) -> Skill | None:
    """The skill a typed name stands for, whatever its case, spacing or plural."""
    return Skill.objects.filter(key=skill_key(name)).first()


def open_suggestions(profile: Profile):
    """Corrections colleagues suggested that the owner has not yet dealt with."""
    return CorrectionSuggestion.objects.filter(
        profile=profile,
        kind=CorrectionSuggestion.Kind.CORRECTION,
        resolved_at__isnull=True,
    ).select_related("author__profile")


def skill_holder_count(skill: Skill) -> int:
    """How many profiles, leavers' included, list `skill` in any of their lists."""
    return (
        Profile.objects.filter(
            Q(key_skills=skill) | Q(other_skills=skill) | Q(learning_interests=skill)
        )
        .distinct()
        .count()
    )
