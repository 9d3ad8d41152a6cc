"""A space's audit events as sentences people can read.

Pure functions: the caller passes the names behind the usernames and department
ids the events mention (`selectors.history_names`), so a page of events costs a
fixed number of queries and these rules can be tested without a database.

Details are whatever the service recorded, including values someone forged (a
role that does not exist), so nothing here trusts their type or their content;
templates escape the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from spaces.models import GrantRole, Marking, Role, Space

SYSTEM = "system"
DESCRIPTION_SHOWN = 80

STATE_LABELS = {
    "role": "Role",
    "archived": "Archived",
    "name": "Name",
    "slug": "Web address",
    "description": "Description",
    "department": "Owning department",
    "visibility": "Who can see it",
    "default_marking": "Default marking",
}

SETTING_NAMES = {
    "name": "name",
    "slug": "web address",
    "description": "description",
    "department": "owning department",
    "visibility": "who can see it",
    "default_marking": "default security marking",
}

VALUE_LABELS = {
    "role": {**dict(Role.choices), **dict(GrantRole.choices)},
    "visibility": dict(Space.Visibility.choices),
    "default_marking": dict(Marking.choices),
}


@dataclass(frozen=True)
class Entry:
    """One row of the access history: the sentence and the states around it."""

    sentence: str
    before: list[str]
    after: list[str]


@dataclass(frozen=True)
class _Names:
    people: Mapping[str, str]
    departments: Mapping[int, str]

    def person(self, username: Any) -> str:
        if username == SYSTEM:
            return "The system"
        if not isinstance(username, str) or not username:
            return "someone"
        return self.people.get(username, username)


def entry(event, people: Mapping[str, str], departments: Mapping[int, str]) -> Entry:
    """`event` (an AuditEvent, or anything with `action`, `actor_label` and
    `details`) as a sentence, with its before and after states."""
    names = _Names(people, departments)
    details = event.details if isinstance(event.details, Mapping) else {}
    return Entry(
        sentence=_describe(event.action, event.actor_label, details, names),
        before=state_lines(details.get("before"), departments),
        after=state_lines(details.get("after"), departments),
    )


def _describe(
    action: str, actor_label: str, details: Mapping[str, Any], names: _Names
) -> str:
    event = _Event(actor_label, details, names)
    sentence = _SENTENCES.get(action.removeprefix("space."))
    if sentence is None:
        return f"{event.actor}: {action}"
    return sentence(event)


def state_lines(state: Any, departments: Mapping[int, str]) -> list[str]:
    """A recorded state ({"role": "member"}) as lines ("Role: member")."""
    if not isinstance(state, Mapping):
        return []
    return [
        f"{STATE_LABELS.get(key, key)}: {_value(key, value, departments)}"
        for key, value in state.items()
    ]


def _value(key: str, value: Any, departments: Mapping[int, str]) -> str:
    if key == "department" and isinstance(value, int):
        return departments.get(value, f"department {value}")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None or value == "":
        return "none"
    text = str(value)
    if key in VALUE_LABELS:
        return VALUE_LABELS[key].get(text, text)
    if len(text) > DESCRIPTION_SHOWN:
        return text[: DESCRIPTION_SHOWN - 1] + "…"
    return text


def _role(value: Any) -> str:
    """A role as it reads in a sentence; a forged one exactly as it was sent."""
    text = str(value)[:40]
    label = VALUE_LABELS["role"].get(text)
    return label.lower() if label else f"‘{text}’"


def _audience(details: Mapping[str, Any]) -> str:
    name = details.get("name") or "a department or team"
    if "team" in details:
        return f"the {name} team"
    if "department" in details:
        return f"the {name} department"
    return str(name)


def _settings(fields) -> str:
    """The names of changed settings: "name, web address and description"."""
    names = [SETTING_NAMES.get(str(field), str(field)) for field in fields]
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"


@dataclass(frozen=True)
class _Event:
    actor_label: str
    details: Mapping[str, Any]
    names: _Names

    @property
    def actor(self) -> str:
        return self.names.person(self.actor_label)

    def person(self, key: str) -> str:
        return self.names.person(self.details.get(key))

    def role_in(self, key: str) -> str:
        state = self.details.get(key)
        return _role(state.get("role")) if isinstance(state, Mapping) else "no role"

    def with_reason(self, sentence: str) -> str:
        reason = self.details.get("reason")
        if isinstance(reason, str) and reason:
            return f"{sentence}: {reason}"
        return sentence


def _create(e: _Event) -> str:
    return f"{e.actor} created the space"


def _update(e: _Event) -> str:
    after = e.details.get("after")
    if not isinstance(after, Mapping) or not after:
        return f"{e.actor} changed the space’s settings"
    return f"{e.actor} changed the space’s {_settings(after)}"


def _archive(e: _Event) -> str:
    return f"{e.actor} archived the space"


def _unarchive(e: _Event) -> str:
    return f"{e.actor} restored the space from the archive"


def _membership_add(e: _Event) -> str:
    user, role, how = e.person("user"), e.role_in("after"), e.details.get("how")
    if how == "join":
        return f"{user} joined as {role}"
    if how == "invitation":
        return f"{user} accepted an invitation and joined as {role}"
    if how == "request":
        return f"{e.actor} added {user} as {role}, approving their request to join"
    return f"{e.actor} added {user} as {role}"


def _membership_remove(e: _Event) -> str:
    if e.details.get("how") == "leave":
        return f"{e.person('user')} left the space"
    return f"{e.actor} removed {e.person('user')} (was {e.role_in('before')})"


def _membership_role(e: _Event) -> str:
    own = e.details.get("user") == e.actor_label
    whose = "their own" if own else f"{e.person('user')}’s"
    sentence = (
        f"{e.actor} changed {whose} role from {e.role_in('before')} to "
        f"{e.role_in('after')}"
    )
    if e.details.get("how") == "transfer":
        sentence += ", handing over ownership"
    return sentence


def _join_request_create(e: _Event) -> str:
    return f"{e.actor} asked to join"


def _join_request_approved(e: _Event) -> str:
    return e.with_reason(f"{e.actor} approved {e.person('user')}’s request to join")


def _join_request_declined(e: _Event) -> str:
    return e.with_reason(f"{e.actor} declined {e.person('user')}’s request to join")


def _invitation_create(e: _Event) -> str:
    role = _role(e.details.get("role"))
    return f"{e.actor} invited {e.person('invitee')} to join as {role}"


def _invitation_accepted(e: _Event) -> str:
    return f"{e.person('invitee')} accepted their invitation"


def _invitation_declined(e: _Event) -> str:
    return f"{e.person('invitee')} declined their invitation"


def _grant_create(e: _Event) -> str:
    return f"{e.actor} granted {_audience(e.details)} the {e.role_in('after')} role"


def _grant_revoke(e: _Event) -> str:
    role = e.role_in("before")
    return f"{e.actor} took away the {role} role of {_audience(e.details)}"


def _denied(e: _Event) -> str:
    return f"Refused: {e.actor} tried to {_attempt(e)}"


def _attempt(e: _Event) -> str:
    role = _role(e.details.get("role"))
    fields = e.details.get("fields")
    match e.details.get("attempt"):
        case "update" if isinstance(fields, list) and fields:
            return f"change the space’s {_settings(fields)}"
        case "update":
            return "change the space’s settings"
        case "archive":
            return "archive the space"
        case "unarchive":
            return "restore the space from the archive"
        case "join_request.approved":
            return "approve a request to join"
        case "join_request.declined":
            return "decline a request to join"
        case "invitation.create" if "role" in e.details:
            return f"invite {e.person('invitee')} as {role}"
        case "invitation.create":
            return f"invite {e.person('invitee')}"
        case "membership.remove":
            return f"remove {e.person('user')}"
        case "membership.role":
            return f"change {e.person('user')}’s role to {role}"
        case "ownership.transfer":
            return f"hand ownership to {e.person('to')}"
        case "grant.create":
            return f"give a department or team the {role} role"
        case "grant.revoke":
            return "take away a department’s or team’s access"
        case attempt:
            return f"do something not allowed ({str(attempt)[:60]})"


_SENTENCES = {
    "create": _create,
    "update": _update,
    "archive": _archive,
    "unarchive": _unarchive,
    "membership.add": _membership_add,
    "membership.remove": _membership_remove,
    "membership.role": _membership_role,
    "join_request.create": _join_request_create,
    "join_request.approved": _join_request_approved,
    "join_request.declined": _join_request_declined,
    "invitation.create": _invitation_create,
    "invitation.accepted": _invitation_accepted,
    "invitation.declined": _invitation_declined,
    "grant.create": _grant_create,
    "grant.revoke": _grant_revoke,
    "denied": _denied,
}
