"""How to load profiles so that `profile_public_data` costs no further queries."""

from django.db.models import Prefetch, QuerySet

from profiles.models import Profile, TeamMembership


def with_public_data(profiles: QuerySet[Profile]) -> QuerySet[Profile]:
    """`profiles` with everything `access.profile_public_data` reads: a page of any
    size then costs the same fixed number of queries."""
    return profiles.select_related(
        "user", "department", "grade", "location", "line_manager__user"
    ).prefetch_related(
        Prefetch(
            "memberships",
            queryset=TeamMembership.objects.select_related("team__department").order_by(
                "-is_head", "team__name"
            ),
        ),
        "professions",
        "key_skills",
        "other_skills",
        "learning_interests",
    )
