"""Who may edit a profile, and what of a profile a viewer may see.

Every page, JSON endpoint, export and the search index asks these functions, so a
field hidden here is hidden everywhere.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet
from django.urls import reverse

from profiles.models import Profile, Visibility

MANAGE_ACCESS = "profiles.manage_access"

# What the owner may change about themselves. Not `department`: it decides who counts
# as "my department" for everyone's limited fields, so moving yourself would reveal
# other people's phone numbers to you. IT admins move people between departments.
OWNER_FIELDS = frozenset(
    {
        "preferred_name",
        "pronouns",
        "job_title",
        "teams",
        "grade",
        "professions",
        "line_manager",
        "key_skills",
        "other_skills",
        "learning_interests",
        "languages",
        "working_days",
        "working_pattern_note",
        "working_pattern_visibility",
        "location",
        "location_visibility",
        "phone_work",
        "phone_mobile",
        "phone_visibility",
        "other_contact",
        "ask_me_about",
        "bio",
        "photo",
    }
)
LINE_MANAGER_FIELDS = frozenset({"job_title", "teams", "line_manager"})
IT_ADMIN_FIELDS = OWNER_FIELDS | {"department"}

# The groups of fields an owner can limit, each with the Profile field holding the
# owner's choice. "phones" covers both numbers; "working_pattern" the days and note.
LIMITED_GROUPS = {
    "phones": "phone_visibility",
    "location": "location_visibility",
    "working_pattern": "working_pattern_visibility",
}
# The fields each group's choice hides, by field. Their values never go into the
# audit log (only that they changed) and an edit form shows them only to a viewer
# who may see them.
LIMITED_FIELDS = {
    "phone_work": "phones",
    "phone_mobile": "phones",
    "location": "location",
    "working_days": "working_pattern",
    "working_pattern_note": "working_pattern",
}


class _AnyStaff:
    """A viewer standing for every member of staff at once: what it may see, all
    staff may see. Only `can_see` and `profile_public_data` accept it."""

    def __repr__(self) -> str:
        return "ANY_STAFF"


# Pass as the viewer to ask what every member of staff may see (the search index).
ANY_STAFF = _AnyStaff()


def is_active_account(user) -> bool:
    """A signed-in user whose account is current (not a leaver)."""
    return (
        user is not None
        and getattr(user, "pk", None) is not None
        and user.is_authenticated
        and user.is_active
    )


def is_it_admin(user) -> bool:
    """An IT admin: an active account holding `profiles.manage_access`."""
    return is_active_account(user) and user.has_perm(MANAGE_ACCESS)


def it_admins() -> QuerySet:
    """Every IT admin, by the same rule as `is_it_admin`."""
    app_label, codename = MANAGE_ACCESS.split(".")
    permission = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__in=permission)
            | Q(groups__permissions__in=permission)
        )
        .distinct()
    )


def _is_owner(user, profile: Profile) -> bool:
    return user.pk == profile.user_id


def _is_line_manager(user, profile: Profile) -> bool:
    if profile.line_manager_id is None:
        return False
    return profile.line_manager.user_id == user.pk


def is_line_manager(user, profile: Profile) -> bool:
    """Whether `user` is an active account and `profile`'s line manager."""
    return is_active_account(user) and _is_line_manager(user, profile)


def editable_fields(user, profile: Profile) -> frozenset[str]:
    """The profile fields `user` may change; empty when they may change none.

    The owner edits their own details (all but department); their line manager
    their job title, teams and manager; IT admins everything. A leaver's profile is
    kept as history, so only IT admins may change it.
    """
    if not is_active_account(user):
        return frozenset()
    if is_it_admin(user):
        return IT_ADMIN_FIELDS
    if not profile.user.is_active:
        return frozenset()
    fields: frozenset[str] = frozenset()
    if _is_owner(user, profile):
        fields |= OWNER_FIELDS
    if _is_line_manager(user, profile):
        fields |= LINE_MANAGER_FIELDS
    return fields


def can_edit_profile(user, profile: Profile) -> bool:
    return bool(editable_fields(user, profile))


def can_see(viewer, profile: Profile, group: str) -> bool:
    """Whether `viewer` may see the fields in `group` ("phones", "location",
    "working_pattern"), as the profile's owner chose.

    Hidden is hidden: IT admins see only what the owner's choice allows them.
    """
    visibility = getattr(profile, LIMITED_GROUPS[group])
    if viewer is ANY_STAFF:
        return visibility == Visibility.EVERYONE
    if not is_active_account(viewer):
        return False
    if _is_owner(viewer, profile):
        return True
    if visibility == Visibility.EVERYONE:
        return True
    if visibility == Visibility.DEPARTMENT:
        return _department_id(viewer) == profile.department_id
    return False


def hidden_fields(viewer, profile: Profile) -> frozenset[str]:
    """The fields of `profile` whose values its owner hid from `viewer`
    (`LIMITED_FIELDS`, by `can_see`): an edit form leaves them empty for this
    viewer, who may still type a new value over them."""
    return frozenset(
        field
        for field, group in LIMITED_FIELDS.items()
        if not can_see(viewer, profile, group)
    )


def visible_q(viewer, group: str) -> Q:
    """The profiles whose `group` fields `viewer` may see: `can_see` as a filter,
    for querysets (a directory filtered by location must not reveal hidden ones)."""
    if not is_active_account(viewer):
        return Q(pk__in=[])
    field = LIMITED_GROUPS[group]
    visible = Q(**{field: Visibility.EVERYONE}) | Q(user=viewer)
    department_id = _department_id(viewer)
    if department_id is None:
        return visible
    return visible | Q(**{field: Visibility.DEPARTMENT, "department_id": department_id})


def _department_id(viewer) -> int | None:
    # The reverse one-to-one caches on the viewer (a missing profile too), so a
    # page of profiles looks the viewer's department up once.
    try:
        return viewer.profile.department_id
    except Profile.DoesNotExist:
        return None


def profile_public_data(viewer, profile: Profile) -> dict[str, Any]:
    """Everything about `profile` that `viewer` may see, as a JSON-safe dict.

    A field its owner hid from this viewer is absent, not empty. Related lists are
    read through `.all()`, so prefetching them keeps a page of profiles cheap.
    """
    user = profile.user
    data: dict[str, Any] = {
        "id": profile.pk,
        "username": user.username,
        "display_name": profile.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "preferred_name": profile.preferred_name,
        "pronouns": profile.pronouns,
        "email": user.email,
        "is_current": user.is_active,
        "job_title": profile.job_title,
        "department": {
            "id": profile.department_id,
            "name": profile.department.name,
            "acronym": profile.department.acronym,
            "slug": profile.department.slug,
        },
        "teams": [
            {
                "id": membership.team_id,
                "name": membership.team.name,
                "slug": membership.team.slug,
                "department_id": membership.team.department_id,
                "department_slug": membership.team.department.slug,
                "job_title": membership.job_title,
                "is_head": membership.is_head,
            }
            for membership in profile.memberships.all()
        ],
        "grade": (
            {"code": profile.grade.code, "name": profile.grade.name}
            if profile.grade_id
            else None
        ),
        "professions": [p.name for p in profile.professions.all()],
        "line_manager": (
            {
                "id": profile.line_manager_id,
                "username": profile.line_manager.user.username,
                "display_name": profile.line_manager.display_name,
            }
            if profile.line_manager_id
            else None
        ),
        "key_skills": [s.name for s in profile.key_skills.all()],
        "other_skills": [s.name for s in profile.other_skills.all()],
        "learning_interests": [s.name for s in profile.learning_interests.all()],
        "languages": list(profile.languages),
        "other_contact": profile.other_contact,
        "ask_me_about": profile.ask_me_about,
        "bio": profile.bio,
        # Media is not public: photos are served to signed-in staff by a view.
        "photo_url": (
            reverse("profiles:photo_image", kwargs={"username": user.username})
            if profile.photo
            else None
        ),
        "confirmed_at": _iso(profile.confirmed_at),
        "updated_at": _iso(profile.updated_at),
    }
    if can_see(viewer, profile, "phones"):
        data["phone_work"] = profile.phone_work
        data["phone_mobile"] = profile.phone_mobile
    if can_see(viewer, profile, "location"):
        data["location"] = (
            {
                "id": profile.location_id,
                "name": profile.location.name,
                "city": profile.location.city,
            }
            if profile.location_id
            else None
        )
    if can_see(viewer, profile, "working_pattern"):
        data["working_days"] = list(profile.working_days)
        data["working_pattern_note"] = profile.working_pattern_note
    return data


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None
