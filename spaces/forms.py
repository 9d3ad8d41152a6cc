"""Forms for the spaces pages: they parse what was posted, the services decide.

A form never writes. Its choices come from the models, and a SpaceError a service
raises is put back on the form next to the field it names (`add_service_error`),
so a forged value that slips past a form is still refused by the service.
"""

from __future__ import annotations

from uuid import uuid4

from django import forms
from django.utils.text import slugify

from profiles.forms import GovukRadioSelect
from profiles.models import Department, Team
from spaces import selectors
from spaces.errors import SpaceError
from spaces.models import (
    GrantRole,
    JoinRequest,
    Marking,
    Role,
    Space,
    SpaceMembership,
    ThreadReader,
)
from spaces.services import DESCRIPTION_MAX, NAME_MAX, REASON_MAX, SLUG_MAX
from spaces.thread_services import TITLE_MAX

VISIBILITY_HINTS = {
    Space.Visibility.OPEN: "Anyone on the intranet can read it and join.",
    Space.Visibility.RESTRICTED: (
        "Anyone can see its name and description; people ask to join and only "
        "members read it."
    ),
    Space.Visibility.PRIVATE: (
        "Only its members know it exists; people join when invited."
    ),
}


class ServiceErrorForm(forms.Form):
    def add_service_error(self, error: SpaceError) -> None:
        """Show a service's refusal next to the field it is about, when shown."""
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)


class SpaceForm(ServiceErrorForm):
    """A space's settings: the create page and the owners' settings page."""

    name = forms.CharField(
        label="Name",
        max_length=NAME_MAX,
        error_messages={
            "required": "Enter a name for the space",
            "max_length": f"The name must be {NAME_MAX} characters or fewer",
        },
    )
    slug = forms.CharField(
        label="Web address",
        max_length=SLUG_MAX,
        required=False,
        help_text=(
            "Lowercase letters, numbers and hyphens, for example "
            "procurement-reform. Leave blank to make one from the name."
        ),
        error_messages={
            "max_length": f"The web address must be {SLUG_MAX} characters or fewer"
        },
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the space is for and who it is for. You can use Markdown.",
        error_messages={
            "max_length": (
                f"The description must be {DESCRIPTION_MAX:,} characters or fewer"
            )
        },
    )
    department = forms.ModelChoiceField(
        label="Owning department",
        queryset=Department.objects.order_by("name"),
        empty_label="Choose a department",
        error_messages={
            "required": "Choose a department",
            "invalid_choice": "Choose a department from the list",
        },
    )
    visibility = forms.ChoiceField(
        label="Who can see it",
        choices=Space.Visibility.choices,
        widget=GovukRadioSelect,
        error_messages={
            "required": "Choose who can see the space",
            "invalid_choice": "Choose who can see the space",
        },
    )
    default_marking = forms.ChoiceField(
        label="Default security marking",
        choices=Marking.choices,
        initial=Marking.OFFICIAL,
        widget=GovukRadioSelect,
        help_text="New threads and posts start with this marking.",
        error_messages={
            "required": "Choose a security marking",
            "invalid_choice": "Choose a security marking",
        },
    )

    visibility_hints = VISIBILITY_HINTS

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip().lower()
        if not slug:
            slug = slugify(self.data.get(self.add_prefix("name"), ""))[:SLUG_MAX]
            slug = slug.strip("-")
        return slug

    @property
    def changes(self) -> dict:
        """The cleaned values, as the keyword arguments of `space_create` and
        `space_update`."""
        return {
            "name": self.cleaned_data["name"],
            "slug": self.cleaned_data["slug"],
            "description": self.cleaned_data["description"],
            "department": self.cleaned_data["department"],
            "visibility": self.cleaned_data["visibility"],
            "default_marking": self.cleaned_data["default_marking"],
        }


def space_initial(space: Space) -> dict:
    return {
        "name": space.name,
        "slug": space.slug,
        "description": space.description,
        "department": space.department_id,
        "visibility": space.visibility,
        "default_marking": space.default_marking,
    }


# Joining, and answering an invitation ------------------------------------------


SEARCH_MAX = 100


class DirectoryFilterForm(forms.Form):
    """The directory's search words and department, read from the query string.

    Unbound on purpose, like the people directory's: a department that matches
    nothing (an old or hand-edited link) is dropped, not reported as an error,
    and the page still lists spaces. `query` and `chosen_department` are what the
    selectors take (not `department`: a template would find the field first).
    """

    q = forms.CharField(
        label="Search spaces",
        required=False,
        help_text="Words in a space’s name or description",
    )
    department = forms.ChoiceField(label="Owning department", required=False)

    def __init__(self, query, *, departments, **kwargs):
        by_slug = {department.slug: department for department in departments}
        self.query = " ".join(query.get("q", "").split())[:SEARCH_MAX]
        self.chosen_department = by_slug.get(query.get("department", ""))
        chosen = self.chosen_department
        initial = {
            "q": self.query,
            "department": chosen.slug if chosen else "",
        }
        super().__init__(initial=initial, **kwargs)
        self.fields["department"].choices = [
            ("", "All departments"),
            *((slug, department.name) for slug, department in by_slug.items()),
        ]

    @property
    def active(self) -> bool:
        return bool(self.query or self.chosen_department)


class ButtonForm(ServiceErrorForm):
    """A form posted by a button: its page lists every refusal as a plain message,
    since there may be no field to show one beside."""

    @property
    def error_list(self) -> list[str]:
        return [error for errors in self.errors.values() for error in errors]


class JoinRequestForm(ButtonForm):
    """A request to join a restricted space, with an optional word to its owners."""

    message = forms.CharField(
        label="Why you want to join (optional)",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea,
        help_text=(
            "The space’s owners and moderators read this when they decide. "
            f"Up to {REASON_MAX:,} characters."
        ),
        error_messages={
            "max_length": f"Your message must be {REASON_MAX:,} characters or fewer"
        },
    )


class InvitationAnswerForm(ButtonForm):
    """Which of the invitation page's two buttons was pressed."""

    ACCEPT = "accept"
    DECLINE = "decline"

    action = forms.ChoiceField(
        choices=[(ACCEPT, "Accept"), (DECLINE, "Decline")],
        error_messages={
            "required": "Choose to accept or decline the invitation",
            "invalid_choice": "Choose to accept or decline the invitation",
        },
    )


# Managing a space's access ------------------------------------------------------

NO_SUCH_COLLEAGUE = "No one with that username or email"


class AccessForm(ServiceErrorForm):
    """A form on the manage-access page. A refusal that names no field of this
    form is shown beside `fallback_field`, so the message sits next to the control
    that caused it (GOV.UK asks for one there, as well as in the summary)."""

    fallback_field = ""
    auto_id_prefix = ""
    # The member or request a per-row form is about, so the page shows a refused
    # form on its own row.
    target = None

    def __init__(self, *args, **kwargs):
        # Several forms share one page: prefixed ids keep each label on its input.
        kwargs.setdefault("auto_id", f"{self.auto_id_prefix}-%s")
        super().__init__(*args, **kwargs)

    def add_service_error(self, error: SpaceError) -> None:
        field = error.field if error.field in self.fields else self.fallback_field
        self.add_error(field or None, error.message)


class ColleagueField(forms.CharField):
    """A colleague typed as a username or an email address, found as a User.

    A leaver is found too: the service refuses them with its own message."""

    def __init__(self, **kwargs):
        super().__init__(
            max_length=254,
            error_messages={
                "required": "Enter a username or email address",
                "max_length": NO_SUCH_COLLEAGUE,
            },
            **kwargs,
        )

    def clean(self, value):
        text = super().clean(value)
        user = selectors.colleague(text)
        if user is None:
            raise forms.ValidationError(NO_SUCH_COLLEAGUE)
        return user


def role_field(label: str, widget: forms.Widget) -> forms.CharField:
    # A CharField, not a ChoiceField: a forged role (owner, or one that does not
    # exist) goes on to the service, which refuses it and audits the attempt.
    return forms.CharField(
        label=label,
        widget=widget,
        error_messages={"required": "Choose a role"},
    )


class RoleForm(AccessForm):
    """One member's role, on their row of the manage-access page."""

    role = role_field("Role", forms.Select(choices=Role.choices))

    fallback_field = "role"

    def __init__(self, data=None, *, membership: SpaceMembership, name: str):
        self.auto_id_prefix = f"member-{membership.pk}"
        super().__init__(data, initial={"role": membership.role})
        self.target = membership
        self.fields["role"].label = f"Role of {name}"


class TransferForm(AccessForm):
    to = ColleagueField(
        label="Username or email address of the new owner",
        help_text="They must already be a member of the space.",
    )

    fallback_field = "to"
    auto_id_prefix = "transfer"


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Team) -> str:
        return f"{obj.name} ({obj.department.acronym})"


class GrantForm(AccessForm):
    """A department or a team, and the role everyone in it gets."""

    department = forms.ModelChoiceField(
        label="Department",
        queryset=Department.objects.order_by("name"),
        required=False,
        empty_label="No department",
        error_messages={"invalid_choice": "Choose a department from the list"},
    )
    team = TeamChoiceField(
        label="Or a team",
        queryset=Team.objects.select_related("department").order_by(
            "department__name", "name"
        ),
        required=False,
        empty_label="No team",
        error_messages={"invalid_choice": "Choose a team from the list"},
    )
    role = role_field("Role", GovukRadioSelect(choices=GrantRole.choices))

    auto_id_prefix = "grant"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"role": GrantRole.MEMBER})
        super().__init__(*args, **kwargs)

    def add_service_error(self, error: SpaceError) -> None:
        cleaned = getattr(self, "cleaned_data", {})
        chose_team = cleaned.get("team") and not cleaned.get("department")
        self.fallback_field = "team" if chose_team else "department"
        super().add_service_error(error)


class DecisionForm(AccessForm):
    """Approving or declining one request to join: the button pressed is the
    decision."""

    APPROVE = "approve"
    DECLINE = "decline"

    decision = forms.ChoiceField(
        choices=[(APPROVE, "Approve"), (DECLINE, "Decline")],
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose approve or decline",
            "invalid_choice": "Choose approve or decline",
        },
    )
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        widget=forms.Textarea,
    )

    fallback_field = "reason"

    def __init__(self, data=None, *, join_request: JoinRequest, name: str):
        self.auto_id_prefix = f"request-{join_request.pk}"
        super().__init__(data)
        self.target = join_request
        self.fields["reason"].help_text = f"{name} will see it."


class InviteForm(AccessForm):
    invitee = ColleagueField(label="Username or email address")
    role = role_field("Role", GovukRadioSelect(choices=GrantRole.choices))

    fallback_field = "invitee"
    auto_id_prefix = "invite"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"role": GrantRole.MEMBER})
        super().__init__(*args, **kwargs)


# Threads and messages -----------------------------------------------------------


SENSITIVE_ONLY_MEMBERS = (
    "Only the space’s own members can start OFFICIAL-SENSITIVE threads."
)


def new_client_id() -> str:
    """A fresh id for one message, put in the form when it is drawn: posting the
    form twice (a double click, a retried request) posts the message once."""
    return uuid4().hex


class ClientIdForm(ServiceErrorForm):
    """A form that posts a message. Its fields are not validated here: the
    service checks the body and the client id, with the same messages for a form
    post and for the live client's JSON."""

    # autocomplete off: a browser must not restore an old id into a page brought
    # back from its history, or the next message would be taken for the old one.
    client_id = forms.CharField(
        required=False, widget=forms.HiddenInput(attrs={"autocomplete": "off"})
    )

    def __init__(self, data=None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("client_id", new_client_id())
        super().__init__(data, **kwargs)


def body_field(label: str) -> forms.CharField:
    # Not stripped and not required: the service says "Write a message." so the
    # form and the JSON answer agree.
    return forms.CharField(
        label=label, required=False, strip=False, widget=forms.Textarea
    )


class ThreadForm(ClientIdForm):
    """A new thread: its title, its first message and its security marking.

    Only the markings the person may use are offered; a forged one is refused by
    the service."""

    title = forms.CharField(
        label="Title",
        required=False,
        help_text=f"Up to {TITLE_MAX} characters.",
    )
    body = body_field("Message")
    marking = forms.CharField(
        label="Security marking",
        required=False,
        widget=GovukRadioSelect,
    )

    field_order = ["title", "body", "marking", "client_id"]

    def __init__(self, data=None, *, space: Space, may_mark_sensitive: bool):
        initial = space.default_marking
        if not may_mark_sensitive:
            initial = Marking.OFFICIAL
        super().__init__(data, initial={"marking": initial})
        self.fields["marking"].widget.choices = (
            Marking.choices
            if may_mark_sensitive
            else [(Marking.OFFICIAL, Marking.OFFICIAL.label)]
        )
        if not may_mark_sensitive:
            self.fields["marking"].help_text = SENSITIVE_ONLY_MEMBERS

    @property
    def changes(self) -> dict:
        """The keyword arguments of `thread_start`, beside the actor and space."""
        return {
            "title": self.cleaned_data["title"],
            "body": self.cleaned_data["body"],
            "marking": self.cleaned_data["marking"] or None,
            "client_id": self.cleaned_data["client_id"],
        }


class ReplyForm(ClientIdForm):
    body = body_field("Your reply")


class MessageEditForm(ServiceErrorForm):
    body = body_field("Message")


class FollowForm(ServiceErrorForm):
    """Whether replies in a thread notify the person."""

    follow = forms.CharField(
        label="Notifications for this thread",
        required=False,
        help_text="Writing in a thread follows it, unless you have muted it.",
        widget=GovukRadioSelect(
            choices=[
                (ThreadReader.Follow.FOLLOWING, "Tell me about every reply"),
                (ThreadReader.Follow.DEFAULT, "Only when someone mentions me"),
                (ThreadReader.Follow.MUTED, "Never, not even when I am mentioned"),
            ]
        ),
    )
