"""Reads about people and the organisation."""

from django.db.models import QuerySet

from profiles.models import Department, Profile


def directory_profiles(*, department: Department | None = None) -> QuerySet[Profile]:
    """Profiles of current staff, ready for a directory page."""
    profiles = Profile.objects.filter(user__is_active=True).select_related(
        "user", "department", "team", "grade"
    )
    if department is not None:
        profiles = profiles.filter(department=department)
    return profiles


def departments() -> QuerySet[Department]:
    return Department.objects.all()
