"""Creating and changing profiles: who may change what, checked field by field.

A change is all or nothing: every field is checked inside one transaction, and the
first refusal rolls back everything, including skills created on the way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.urls import reverse

from intranet.audit import audit_record
from intranet.indexing import index_later
from intranet.notifications import notification_send
from profiles.errors import ProfileConflict, ProfileForbidden, ProfileInvalid
from profiles.models import (
    Department,
    Grade,
    Location,
    Profession,
    Profile,
    Team,
    TeamMembership,
    TeamMembershipRequest,
    User,
    Visibility,
    Weekday,
)
from profiles.selectors.access import LIMITED_FIELDS, editable_fields, is_it_admin
from profiles.selectors.org import can_confirm_team_membership
from profiles.services.org import check_manager_chain
from profiles.services.skills import skills_from_names
from profiles.services.team_requests import team_request_store

# How each field is named to people: in error messages and notifications.
LABELS = {
    "preferred_name": "preferred name",
    "pronouns": "pronouns",
    "job_title": "job title",
    "department": "department",
    "teams": "teams",
    "grade": "grade",
    "professions": "professions",
    "line_manager": "line manager",
    "key_skills": "key skills",
    "other_skills": "other skills",
    "learning_interests": "learning interests",
    "languages": "languages",
    "working_days": "working days",
    "working_pattern_note": "working pattern",
    "working_pattern_visibility": "who can see your working pattern",
    "location": "location",
    "location_visibility": "who can see your location",
    "phone_work": "work phone",
    "phone_mobile": "mobile phone",
    "phone_visibility": "who can see your phone numbers",
    "other_contact": "other contact details",
    "ask_me_about": "ask me about",
    "bio": "bio",
    "photo": "photo",
}

TEXT_FIELDS = (
    "preferred_name",
    "pronouns",
    "job_title",
    "working_pattern_note",
    "phone_work",
    "phone_mobile",
    "other_contact",
    "ask_me_about",
    "bio",
)
VISIBILITY_FIELDS = (
    "phone_visibility",
    "location_visibility",
    "working_pattern_visibility",
)
FOREIGN_KEYS: dict[str, type[models.Model]] = {
    "department": Department,
    "grade": Grade,
    "location": Location,
    "line_manager": Profile,
}
SKILL_FIELDS = ("key_skills", "other_skills", "learning_interests")

# Generous caps that no honest profile reaches, so a forged request cannot make one
# profile carry thousands of rows.
MAX_SKILLS = 30
MAX_TEAMS = 20
MAX_LANGUAGES = 20
MAX_LANGUAGE_LENGTH = 50
MAX_PROFESSIONS = 10

# What the audit log records for a field its owner may hide (LIMITED_FIELDS),
# whoever changed it: the log is read by people the owner hid the value from.
HIDDEN_CHANGE = {"changed": True}


@dataclass(frozen=True)
class ProfileUpdated:
    """What `profile_update` did: the fields it changed, and the team requests it
    stored instead of changing the teams (they count only once confirmed)."""

    profile: Profile
    changed: tuple[str, ...]
    team_requests: tuple[TeamMembershipRequest, ...]


def profile_update(
    *,
    actor: User,
    profile: Profile,
    changes: Mapping[str, Any],
    ip_address: str | None = None,
) -> ProfileUpdated:
    """Apply `changes` ({field: new value}) to `profile` for `actor`, or refuse.

    Values: text for text fields; a Visibility value for the three `*_visibility`
    fields; an instance or primary key (or None) for department, grade, location and
    line_manager (a Profile); instances or primary keys for professions; names for
    the three skill fields; names for languages; Weekday values for working_days; for
    teams a list of {"team": Team or pk, "job_title": str, "is_head": bool}, which
    replaces the person's memberships. The photo has its own service.

    Teams: leaving a team, stepping down as its head and a new job title in a
    team take effect at once. Joining a team or becoming its head does only if
    `actor` has authority over the team (`can_confirm_team_membership`);
    otherwise it is stored as a TeamMembershipRequest, which confers nothing.

    Raises ProfileError naming the first field refused, and then saves nothing.
    """
    with transaction.atomic():
        profile.refresh_from_db(from_queryset=Profile.objects.select_for_update())
        allowed = editable_fields(actor, profile)
        for field in changes:
            if field not in allowed:
                kind = ProfileForbidden if field in LABELS else ProfileInvalid
                raise kind(_refusal(field), field=field)
        diff, requests = _apply(profile, changes, actor=actor, ip_address=ip_address)
        if diff:
            profile_changes_record(
                actor=actor, profile=profile, diff=diff, ip_address=ip_address
            )
            index_later(profile)
    return ProfileUpdated(
        profile=profile, changed=tuple(diff), team_requests=tuple(requests)
    )


def profile_create(
    *,
    actor: User,
    user: User,
    department: Department | int,
    ip_address: str | None = None,
    **fields: Any,
) -> Profile:
    """Give a new member of staff their profile (onboarding, by an IT admin).

    `fields` take the same values as in `profile_update`.
    """
    if not is_it_admin(actor):
        raise ProfileForbidden("Only IT admins can create profiles")
    with transaction.atomic():
        if Profile.objects.filter(user=user).exists():
            raise ProfileConflict("This person already has a profile", field="user")
        profile = Profile.objects.create(
            user=user, department=_foreign_key("department", department)
        )
        diff = {
            "department": {"before": None, "after": _describe_fk(profile.department)}
        }
        applied, _ = _apply(profile, fields, actor=actor, ip_address=ip_address)
        diff |= applied
        audit_record(
            actor=actor,
            action="profile.create",
            target=profile,
            target_label=profile.display_name,
            details={"changes": diff},
            ip_address=ip_address,
        )
        index_later(profile)
    return profile


def profile_changes_record(
    *,
    actor: User,
    profile: Profile,
    diff: dict[str, dict[str, Any]],
    ip_address: str | None = None,
) -> None:
    """Put a profile change on the record and tell the owner if someone else made
    it. Call inside the transaction that made the change."""
    audit_record(
        actor=actor,
        action="profile.update",
        target=profile,
        target_label=profile.display_name,
        details={"changes": diff},
        ip_address=ip_address,
    )
    if actor.pk != profile.user_id:
        # Name the fields, never their values: a notification can be read by
        # anyone at the owner's screen, and phone numbers are private.
        fields = _join([LABELS[field] for field in diff])
        notification_send(
            recipient=profile.user,
            kind="profile.edited",
            text=f"{actor.display_name} changed your profile: {fields}.",
            url=reverse("profiles:me"),
        )


def _refusal(field: str) -> str:
    if field in LABELS:
        return f"You cannot change the {LABELS[field]} on this profile"
    return f"“{field}” is not a profile field that can be changed here"


def _join(words: list[str]) -> str:
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _apply(
    profile: Profile,
    changes: Mapping[str, Any],
    *,
    actor: User,
    ip_address: str | None,
) -> tuple[dict[str, dict[str, Any]], list[TeamMembershipRequest]]:
    """Check and write `changes`; return the diff of what really changed, and the
    team requests stored instead of changing the teams."""
    cleaned = {field: _clean(field, value) for field, value in changes.items()}
    teams = cleaned.pop("teams", None)
    diff: dict[str, dict[str, Any]] = {}
    for field, after in cleaned.items():
        before = _describe(field, _current(profile, field))
        described = _describe(field, after)
        if before != described:
            diff[field] = {"before": before, "after": described}
    if "line_manager" in diff:
        check_manager_chain(profile=profile, manager=cleaned["line_manager"])

    columns = [f for f in diff if f not in SKILL_FIELDS + ("professions",)]
    for field in columns:
        setattr(profile, field, cleaned[field])
    for field in diff.keys() & {*SKILL_FIELDS, "professions"}:
        getattr(profile, field).set(cleaned[field])
    requests: list[TeamMembershipRequest] = []
    if teams is not None:
        before = _describe("teams", _current(profile, "teams"))
        requests = _set_memberships(profile, teams, actor=actor, ip_address=ip_address)
        after = _describe("teams", _current(profile, "teams"))
        if before != after:
            diff["teams"] = {"before": before, "after": after}
    if diff:
        # Saved even when only relations changed, so "recently updated" is true.
        profile.save(update_fields=[*columns, "updated_at"])
    for field in diff.keys() & LIMITED_FIELDS.keys():
        diff[field] = dict(HIDDEN_CHANGE)
    return diff, requests


def _clean(field: str, value: Any) -> Any:
    if field in TEXT_FIELDS:
        return _text(field, value)
    if field in VISIBILITY_FIELDS:
        if value not in Visibility.values:
            raise ProfileInvalid("Select who can see this", field=field)
        return value
    if field in FOREIGN_KEYS:
        return _foreign_key(field, value)
    if field in SKILL_FIELDS:
        return _skills(field, value)
    if field == "professions":
        return _professions(value)
    if field == "languages":
        return _languages(value)
    if field == "working_days":
        return _working_days(value)
    if field == "teams":
        return _teams(value)
    # The photo has its own service; anything else here is not a profile field.
    raise ProfileInvalid(
        f"The {LABELS.get(field, field)} cannot be changed here", field=field
    )


def _max_length(field: str) -> int:
    model_field = Profile._meta.get_field(field)
    if model_field.max_length:
        return model_field.max_length
    return next(
        v.limit_value
        for v in model_field.validators
        if isinstance(v, MaxLengthValidator)
    )


def _text(field: str, value: Any) -> str:
    label = LABELS[field]
    text = _stripped(value, field=field, label=label)
    limit = _max_length(field)
    if len(text) > limit:
        raise ProfileInvalid(
            f"{label[0].upper()}{label[1:]} must be {limit:,} characters or fewer",
            field=field,
        )
    return text


def _stripped(value: Any, *, field: str, label: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ProfileInvalid(f"Enter the {label} as text", field=field)
    return value.strip()


def _foreign_key(field: str, value: Any) -> models.Model | None:
    if value is None and field != "department":
        return None
    queryset = FOREIGN_KEYS[field].objects.all()
    if queryset.model is Profile:
        queryset = queryset.select_related("user")
    found = _lookup(queryset, value)
    if found is None:
        raise ProfileInvalid(f"Select a {LABELS[field]}", field=field)
    return found


def _lookup(queryset: models.QuerySet, value: Any) -> models.Model | None:
    """The row `value` names, by instance or primary key; None if there is none.

    An instance is looked up again too: it may be unsaved, or deleted since.
    """
    pk = value.pk if isinstance(value, queryset.model) else value
    if pk is None:
        return None
    try:
        return queryset.filter(pk=pk).first()
    except (TypeError, ValueError, ValidationError):
        return None


def _list(field: str, value: Any, *, limit: int, what: str) -> list:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise ProfileInvalid(f"Enter the {LABELS[field]} as a list", field=field)
    items = list(value)
    if len(items) > limit:
        raise ProfileInvalid(f"Add no more than {limit} {what}", field=field)
    return items


def _skills(field: str, value: Any) -> list:
    names = _list(field, value, limit=MAX_SKILLS, what=LABELS[field])
    if not all(isinstance(name, str) for name in names):
        raise ProfileInvalid(f"Enter the {LABELS[field]} as text", field=field)
    return skills_from_names(names, field=field)


def _professions(value: Any) -> list[Profession]:
    items = _list("professions", value, limit=MAX_PROFESSIONS, what="professions")
    try:
        pks = {item.pk if isinstance(item, Profession) else item for item in items}
        found = list(Profession.objects.filter(pk__in=pks))
    except (TypeError, ValueError, ValidationError):
        found = None
    if found is None or len(found) != len(pks):
        raise ProfileInvalid("Select professions from the list", field="professions")
    return found


def _languages(value: Any) -> list[str]:
    items = _list("languages", value, limit=MAX_LANGUAGES, what="languages")
    languages: dict[str, str] = {}
    for item in items:
        name = _stripped(item, field="languages", label="languages")
        if len(name) > MAX_LANGUAGE_LENGTH:
            raise ProfileInvalid(
                f"Each language must be {MAX_LANGUAGE_LENGTH} characters or fewer",
                field="languages",
            )
        if name:
            languages.setdefault(name.casefold(), name)
    return list(languages.values())


def _working_days(value: Any) -> list[str]:
    days = _list("working_days", value, limit=len(Weekday), what="working days")
    if not all(isinstance(day, str) and day in Weekday.values for day in days):
        raise ProfileInvalid("Select working days from the list", field="working_days")
    return [day for day in Weekday.values if day in days]


def _teams(value: Any) -> list[tuple[Team, str, bool]]:
    items = _list("teams", value, limit=MAX_TEAMS, what="teams")
    memberships: dict[int, tuple[Team, str, bool]] = {}
    for item in items:
        if not isinstance(item, Mapping):
            raise ProfileInvalid("Select teams from the list", field="teams")
        team = _lookup(Team.objects.all(), item.get("team"))
        if team is None:
            raise ProfileInvalid("Select teams from the list", field="teams")
        if team.pk in memberships:
            raise ProfileInvalid(f"{team.name} is listed more than once", field="teams")
        job_title = _stripped(item.get("job_title"), field="teams", label="job title")
        limit = TeamMembership._meta.get_field("job_title").max_length
        if len(job_title) > limit:
            raise ProfileInvalid(
                f"The job title in {team.name} must be {limit} characters or fewer",
                field="teams",
            )
        memberships[team.pk] = (team, job_title, bool(item.get("is_head")))
    return list(memberships.values())


def _current(profile: Profile, field: str) -> Any:
    if field in FOREIGN_KEYS:
        return getattr(profile, field)
    if field in SKILL_FIELDS or field == "professions":
        return list(getattr(profile, field).all())
    if field == "teams":
        return [
            (membership.team, membership.job_title, membership.is_head)
            for membership in profile.memberships.select_related("team")
        ]
    return getattr(profile, field)


def _describe_fk(value: models.Model | None) -> dict[str, Any] | None:
    if value is None:
        return None
    name = value.display_name if isinstance(value, Profile) else str(value)
    return {"id": value.pk, "name": name}


def _describe(field: str, value: Any) -> Any:
    """`value` as it goes into the audit log: JSON-safe, with ids and names."""
    if field in FOREIGN_KEYS:
        return _describe_fk(value)
    if field in SKILL_FIELDS or field == "professions":
        return sorted(
            ({"id": item.pk, "name": item.name} for item in value),
            key=lambda item: (item["name"], item["id"]),
        )
    if field == "teams":
        return sorted(
            (
                {"id": team.pk, "name": team.name, "job_title": title, "is_head": head}
                for team, title, head in value
            ),
            key=lambda item: item["id"],
        )
    return value


def _set_memberships(
    profile: Profile,
    teams: list[tuple[Team, str, bool]],
    *,
    actor: User,
    ip_address: str | None,
) -> list[TeamMembershipRequest]:
    """Make the profile's memberships `teams`, as far as `actor` may: what only
    takes access away (leaving, stepping down as head) and job titles at once;
    the rest, when `actor` has no authority over the team, as requests."""
    wanted = {team.pk: (team, title, head) for team, title, head in teams}
    left = profile.memberships.exclude(team_id__in=wanted)
    # A request to head a team one has left would make them a member again.
    profile.team_requests.filter(team_id__in=left.values("team_id")).delete()
    left.delete()
    existing = {m.team_id: m for m in profile.memberships.all()}
    for team_id, membership in existing.items():
        _, title, head = wanted[team_id]
        fields = []
        if membership.job_title != title:
            membership.job_title = title
            fields.append("job_title")
        if membership.is_head and not head:
            membership.is_head = False
            fields.append("is_head")
        if fields:
            membership.save(update_fields=fields)

    # Asked only now, so that authority just given up in this change is not used.
    requests = []
    for team_id, (team, title, head) in wanted.items():
        membership = existing.get(team_id)
        if membership is not None and (membership.is_head or not head):
            continue
        if not can_confirm_team_membership(actor, team):
            requests.append(
                team_request_store(
                    actor=actor,
                    profile=profile,
                    team=team,
                    job_title=title if membership is None else "",
                    is_head=head,
                    ip_address=ip_address,
                )
            )
        elif membership is None:
            TeamMembership.objects.create(
                profile=profile, team=team, job_title=title, is_head=head
            )
        else:
            membership.is_head = True
            membership.save(update_fields=["is_head"])
    return requests
