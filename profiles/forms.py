"""Forms for the people pages: they parse what was posted, the services decide.

A form here never writes. It turns the posted text into the values a service takes
(a list of skill names, a manager's Profile, team memberships) and carries the
GOV.UK error messages. Rules about who may change what, loops and lengths the
database enforces are the services' (`profiles.services`); their refusal is put
back on the form with `add_service_error` (`intranet.forms.ServiceErrorsMixin`),
next to the field it names.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms

from intranet.errors import ServiceError
from intranet.forms import ServiceErrorsMixin
from profiles.models import Profile, Team, Visibility, Weekday
from profiles.selectors.directory import SORTS
from profiles.selectors.people import skill_named

SKILL_MAX_LENGTH = 100
MEMBERSHIP_ROWS_MIN = 3
MEMBERSHIP_FIELDS = ("team", "job_title", "is_head")
HIDDEN_FIELD_HINT = (
    "Hidden by its owner, so not shown to you. Leave it empty to keep what they "
    "entered; anything you enter replaces it."
)
# What a hidden field starts as, where it is not the empty text.
EMPTY_VALUES = {"location": None, "working_days": []}


class GovukRadioSelect(forms.RadioSelect):
    """Radios whose label id is the first radio's, as the GOV.UK error summary needs."""

    def id_for_label(self, id_, index=None):
        return id_ if index is None else super().id_for_label(id_, index)


class GovukCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes whose label id is the first box's, as the GOV.UK error summary
    needs."""

    def id_for_label(self, id_, index=None):
        return id_ if index is None else super().id_for_label(id_, index)


def too_long(label: str, limit: int) -> str:
    return f"{label} must be {limit:,} characters or fewer"


def text_field(label: str, max_length: int, **kwargs) -> forms.CharField:
    """An optional text field with the GOV.UK message for an over-long answer."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        error_messages={"max_length": too_long(label, max_length)},
        **kwargs,
    )


def split_names(text: str) -> list[str]:
    """'Data analysis, , procurement law' -> ['Data analysis', 'procurement law']."""
    names, seen = [], set()
    for part in text.split(","):
        name = " ".join(part.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def join_names(items: Iterable) -> str:
    return ", ".join(str(item) for item in items)


def team_label(team: Team, by_id: dict[int, Team]) -> str:
    """'Digital › Data › Analytics': a team's name after its parents' names."""
    names, seen = [team.name], {team.pk}
    parent_id = team.parent_id
    while parent_id in by_id and parent_id not in seen:
        seen.add(parent_id)
        parent = by_id[parent_id]
        names.append(parent.name)
        parent_id = parent.parent_id
    return " › ".join(reversed(names))


class NamesField(forms.CharField):
    """A comma-separated list of short names, such as skills or languages."""

    def __init__(
        self,
        *,
        label: str,
        item_label: str,
        item_max_length: int = SKILL_MAX_LENGTH,
        **kwargs,
    ):
        self.item_label = item_label
        self.item_max_length = item_max_length
        super().__init__(label=label, required=False, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return join_names(value)
        return value

    def to_python(self, value) -> list[str]:
        return split_names(super().to_python(value) or "")

    def validate(self, value):
        for name in value:
            if len(name) > self.item_max_length:
                raise forms.ValidationError(
                    f"Each {self.item_label} must be {self.item_max_length} "
                    f"characters or fewer: ‘{name[:40]}…’ is longer"
                )

    def has_changed(self, initial, data) -> bool:
        return self.to_python(self.prepare_value(initial or [])) != self.to_python(data)


class ProfileForm(ServiceErrorsMixin, forms.Form):
    """Every profile field someone might edit; the form keeps only the ones this
    editor may (`editable_fields`), so a field they may not change is neither
    shown nor read from the post.

    Team memberships are a fixed set of rows (`membership-0-team`…): enough for
    everyone's teams plus one, at least three, and they work without JavaScript.

    `hidden` names the fields whose values the owner hid from this editor
    (`access.hidden_fields`): they start empty, so saving the form untouched does
    not change them.
    """

    preferred_name = text_field(
        "Preferred first name",
        100,
        help_text="Leave blank to use the first name on the account.",
    )
    pronouns = text_field(
        "Pronouns", 40, help_text="For example, she/her or they/them."
    )
    job_title = text_field("Job title", 200)
    department = forms.ModelChoiceField(
        label="Department",
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": "Select a department from the list"},
    )
    grade = forms.ModelChoiceField(
        label="Grade",
        queryset=None,
        required=False,
        empty_label="Not set",
        error_messages={"invalid_choice": "Select a grade from the list"},
    )
    professions = forms.ModelMultipleChoiceField(
        label="Professions",
        queryset=None,
        required=False,
        widget=GovukCheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"invalid_choice": "Select professions from the list"},
    )
    line_manager = forms.CharField(
        label="Line manager’s username",
        required=False,
        max_length=150,
        help_text="For example, jane.smith. Leave blank if there is no line manager.",
        error_messages={"max_length": "Enter a username of 150 characters or fewer"},
    )
    key_skills = NamesField(
        label="Key skills",
        item_label="skill",
        help_text="What colleagues should come to you for. Separate skills with "
        "commas, for example: procurement law, data analysis.",
    )
    other_skills = NamesField(
        label="Other skills",
        item_label="skill",
        help_text="Separate skills with commas.",
    )
    learning_interests = NamesField(
        label="Learning interests",
        item_label="learning interest",
        help_text="Skills you would like to learn. Separate them with commas.",
    )
    languages = NamesField(
        label="Languages",
        item_label="language",
        item_max_length=50,
        help_text="Languages you speak, separated by commas. For example: Welsh, "
        "British Sign Language.",
    )
    ask_me_about = forms.CharField(
        label="Ask me about",
        required=False,
        max_length=500,
        help_text="Topics you are happy to be asked about.",
        error_messages={"max_length": too_long("Ask me about", 500)},
    )
    bio = forms.CharField(
        label="Bio",
        required=False,
        max_length=5000,
        help_text="What you work on, in up to 5,000 characters. You can use "
        "Markdown: *italic*, **bold**, [a link](https://www.example.gov.uk), and "
        "lines starting with - for a list.",
        error_messages={"max_length": too_long("Bio", 5000)},
    )
    phone_work = text_field(
        "Work phone", 30, help_text="For example, 020 7946 0000 or 07700 900 982."
    )
    phone_mobile = text_field("Mobile phone", 30)
    phone_visibility = forms.ChoiceField(
        label="Who can see your phone numbers",
        choices=Visibility.choices,
        widget=GovukRadioSelect,
        error_messages={
            "required": "Select who can see your phone numbers",
            "invalid_choice": "Select who can see your phone numbers",
        },
    )
    other_contact = text_field(
        "Other ways to contact you",
        300,
        help_text="For example, a chat handle or a shared team inbox.",
    )
    location = forms.ModelChoiceField(
        label="Where you usually work",
        queryset=None,
        required=False,
        empty_label="Not set",
        error_messages={"invalid_choice": "Select a location from the list"},
    )
    location_visibility = forms.ChoiceField(
        label="Who can see where you work",
        choices=Visibility.choices,
        widget=GovukRadioSelect,
        error_messages={
            "required": "Select who can see where you work",
            "invalid_choice": "Select who can see where you work",
        },
    )
    working_days = forms.MultipleChoiceField(
        label="Days you usually work",
        choices=Weekday.choices,
        required=False,
        widget=GovukCheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"invalid_choice": "Select days from the list"},
    )
    working_pattern_note = text_field(
        "About your working pattern",
        200,
        help_text="For example, compressed hours or mornings only on Fridays.",
    )
    working_pattern_visibility = forms.ChoiceField(
        label="Who can see your working pattern",
        choices=Visibility.choices,
        widget=GovukRadioSelect,
        error_messages={
            "required": "Select who can see your working pattern",
            "invalid_choice": "Select who can see your working pattern",
        },
    )

    def __init__(
        self,
        *args,
        profile: Profile,
        editable: Iterable[str],
        teams: Iterable[Team],
        departments,
        grades,
        professions,
        locations,
        hidden: Iterable[str] = (),
        **kwargs,
    ):
        self.profile = profile
        editable = set(editable)
        kwargs.setdefault("initial", initial_for(profile))
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in editable:
                del self.fields[name]
        for name in set(hidden) & set(self.fields):
            self.initial[name] = EMPTY_VALUES.get(name, "")
            self.fields[name].help_text = HIDDEN_FIELD_HINT
        querysets = {
            "department": departments,
            "grade": grades,
            "professions": professions,
            "location": locations,
        }
        for name, queryset in querysets.items():
            if name in self.fields:
                self.fields[name].queryset = queryset
        self.teams = {}
        if "teams" in editable:
            self._add_membership_rows(list(teams))

    def _add_membership_rows(self, teams: list[Team]) -> None:
        by_id = {team.pk: team for team in teams}
        labels = sorted(
            ((team_label(team, by_id), team.pk) for team in teams),
            key=lambda pair: pair[0].casefold(),
        )
        memberships = self.initial.get("memberships", [])
        # A team kept from before a move to another department stays choosable,
        # so saving the form does not drop it unasked.
        for membership in memberships:
            if membership.team_id not in by_id:
                team = membership.team
                by_id[team.pk] = team
                labels.append((f"{team.name} ({team.department.acronym})", team.pk))
        self.teams = by_id
        choices = [("", "No team")] + [(str(pk), label) for label, pk in labels]
        rows = max(MEMBERSHIP_ROWS_MIN, len(memberships) + 1)
        for index in range(rows):
            current = memberships[index] if index < len(memberships) else None
            prefix = f"membership-{index}"
            self.fields[f"{prefix}-team"] = forms.ChoiceField(
                label="Team",
                choices=choices,
                required=False,
                initial=str(current.team_id) if current else "",
                error_messages={"invalid_choice": "Select a team from the list"},
            )
            self.fields[f"{prefix}-job_title"] = text_field(
                "Job title in this team",
                200,
                initial=current.job_title if current else "",
            )
            self.fields[f"{prefix}-is_head"] = forms.BooleanField(
                label="Head of this team",
                required=False,
                initial=current.is_head if current else False,
            )

    @property
    def membership_rows(self) -> list[dict]:
        """The bound fields of each membership row, for the template."""
        rows, index = [], 0
        while f"membership-{index}-team" in self.fields:
            rows.append(
                {
                    "number": index + 1,
                    **{
                        name: self[f"membership-{index}-{name}"]
                        for name in MEMBERSHIP_FIELDS
                    },
                }
            )
            index += 1
        return rows

    def clean_line_manager(self) -> Profile | None:
        username = self.cleaned_data["line_manager"].strip()
        if not username:
            return None
        manager = (
            Profile.objects.select_related("user")
            .filter(user__username__iexact=username)
            .first()
        )
        if manager is None:
            raise forms.ValidationError(
                f"No one with the username ‘{username}’ works here. Enter the "
                "username of a current member of staff, like jane.smith"
            )
        return manager

    def clean(self):
        cleaned = super().clean()
        if self.teams:
            cleaned["teams"] = self._clean_memberships(cleaned)
        return cleaned

    def _clean_memberships(self, cleaned) -> list[dict]:
        memberships, chosen = [], set()
        for row in self.membership_rows:
            index = row["number"] - 1
            names = {name: f"membership-{index}-{name}" for name in MEMBERSHIP_FIELDS}
            team_id = cleaned.get(names["team"])
            title = cleaned.get(names["job_title"]) or ""
            is_head = bool(cleaned.get(names["is_head"]))
            if not team_id:
                if title or is_head:
                    self.add_error(
                        names["team"],
                        "Select a team, or clear the job title and the head of team "
                        "box",
                    )
                continue
            team = self.teams[int(team_id)]
            if team.pk in chosen:
                self.add_error(names["team"], f"{team.name} is chosen more than once")
                continue
            chosen.add(team.pk)
            memberships.append({"team": team, "job_title": title, "is_head": is_head})
        return memberships

    def changes(self) -> dict:
        """What the editor changed, as `profile_update` takes it."""
        changes = {}
        membership_changed = False
        for name in self.changed_data:
            if name.startswith("membership-"):
                membership_changed = True
            else:
                changes[name] = self.cleaned_data[name]
        if membership_changed:
            changes["teams"] = self.cleaned_data["teams"]
        return changes

    def service_error_field(self, error: ServiceError) -> str | None:
        # The service's "teams" are the form's rows of memberships.
        if error.field == "teams" and self.teams:
            return "membership-0-team"
        return super().service_error_field(error)


def initial_for(profile: Profile) -> dict:
    """The edit form's starting values, from a profile with its relations loaded."""
    return {
        "preferred_name": profile.preferred_name,
        "pronouns": profile.pronouns,
        "job_title": profile.job_title,
        "department": profile.department_id,
        "grade": profile.grade_id,
        "professions": [p.pk for p in profile.professions.all()],
        "line_manager": (
            profile.line_manager.user.username if profile.line_manager else ""
        ),
        "key_skills": [s.name for s in profile.key_skills.all()],
        "other_skills": [s.name for s in profile.other_skills.all()],
        "learning_interests": [s.name for s in profile.learning_interests.all()],
        "languages": list(profile.languages or []),
        "ask_me_about": profile.ask_me_about,
        "bio": profile.bio,
        "phone_work": profile.phone_work,
        "phone_mobile": profile.phone_mobile,
        "phone_visibility": profile.phone_visibility,
        "other_contact": profile.other_contact,
        "location": profile.location_id,
        "location_visibility": profile.location_visibility,
        "working_days": list(profile.working_days or []),
        "working_pattern_note": profile.working_pattern_note,
        "working_pattern_visibility": profile.working_pattern_visibility,
        "memberships": list(profile.memberships.all()),
    }


class PhotoForm(ServiceErrorsMixin, forms.Form):
    # A refused photo, whatever the reason, is shown at the upload.
    fallback_field = "photo"

    photo = forms.FileField(
        label="Upload a photo",
        help_text="A JPG, PNG, WebP or GIF image, smaller than 5 MB. A clear, recent "
        "photo of your face helps colleagues recognise you.",
        error_messages={
            "required": "Select a photo",
            "empty": "The selected file is empty",
            "invalid": "Select a photo",
        },
    )


class SuggestionForm(ServiceErrorsMixin, forms.Form):
    KINDS = [
        ("correction", "Something on this profile is wrong or out of date"),
        ("leaver", "This person has left"),
        ("duplicate", "This is a duplicate of another profile"),
    ]

    kind = forms.ChoiceField(
        label="What do you want to tell us?",
        choices=KINDS,
        widget=GovukRadioSelect,
        error_messages={
            "required": "Select what you want to tell us",
            "invalid_choice": "Select what you want to tell us",
        },
    )
    text = forms.CharField(
        label="Details",
        max_length=2000,
        help_text="Say what is wrong and what it should be. Up to 2,000 characters.",
        error_messages={
            "required": "Enter the details",
            "max_length": too_long("Details", 2000),
        },
    )


class TeamRequestDecisionForm(ServiceErrorsMixin, forms.Form):
    """The answer to a request to join a team or head it; the button pressed is
    the decision."""

    decision = forms.ChoiceField(
        choices=[
            ("confirm", "Confirm"),
            ("decline", "Decline"),
            ("withdraw", "Withdraw"),
        ],
        error_messages={
            "required": "Choose whether to confirm or decline the request",
            "invalid_choice": "Choose whether to confirm or decline the request",
        },
    )
    reason = text_field(
        "Reason (optional)",
        500,
        help_text="If you decline, say why. The person who asked is told.",
        widget=forms.Textarea,
    )


class DirectoryFilterForm(forms.Form):
    """The directory's filters, read from the query string.

    Unbound on purpose: a value that matches nothing (an old or hand-edited link)
    is dropped, not reported as an error, and the page still lists people.
    `filters` holds the keyword arguments for `directory_profiles`.
    """

    department = forms.ChoiceField(label="Department", required=False)
    team = forms.ChoiceField(label="Team", required=False)
    grade = forms.ChoiceField(label="Grade", required=False)
    profession = forms.ChoiceField(label="Profession", required=False)
    location = forms.ChoiceField(label="Location", required=False)
    skill = forms.CharField(
        label="Skill",
        required=False,
        help_text="For example, procurement law",
    )
    sort = forms.ChoiceField(label="Sort by", choices=SORTS.items(), required=False)

    def __init__(
        self, query, *, departments, teams, grades, professions, locations, **kwargs
    ):
        teams = list(teams)
        by_id = {team.pk: team for team in teams}
        options = {
            "department": {d.slug: (d, d.name) for d in departments},
            "team": {t.slug: (t, team_label(t, by_id)) for t in teams},
            "grade": {g.code: (g, grade_label(g)) for g in grades},
            "profession": {p.slug: (p, p.name) for p in professions},
            "location": {str(loc.pk): (loc, loc.name) for loc in locations},
        }
        self.filters = {}
        initial = {}
        for name, values in options.items():
            value = query.get(name, "")
            if value in values:
                self.filters[name] = values[value][0]
                initial[name] = value
        skill = " ".join(query.get("skill", "").split())[:SKILL_MAX_LENGTH]
        if skill:
            self.filters["skill"] = skill
            initial["skill"] = skill
        sort = query.get("sort", "")
        self.filters["sort"] = sort if sort in SORTS else "name"
        initial["sort"] = self.filters["sort"]
        super().__init__(initial=initial, **kwargs)
        everything = {
            "department": "All departments",
            "team": "All teams",
            "grade": "All grades",
            "profession": "All professions",
            "location": "All locations",
        }
        for name, values in options.items():
            choices = sorted(
                ((value, label) for value, (_, label) in values.items()),
                key=lambda pair: pair[1].casefold(),
            )
            if name == "grade":  # in rank order, not alphabetical
                choices = [(g.code, grade_label(g)) for g in grades]
            self.fields[name].choices = [("", everything[name]), *choices]
        if "department" not in self.filters:
            del self.fields["team"]  # team names repeat across departments

    @property
    def active(self) -> bool:
        """Whether anything narrows the list (the sort order does not)."""
        return any(name != "sort" for name in self.filters)


def grade_label(grade) -> str:
    return (
        grade.code if grade.name in ("", grade.code) else f"{grade.code} – {grade.name}"
    )


class TeamForm(ServiceErrorsMixin, forms.Form):
    """A team's name and description, for adding a team or changing one."""

    name = forms.CharField(
        label="Team name",
        max_length=200,
        error_messages={
            "required": "Enter a team name",
            "max_length": too_long("Team name", 200),
        },
    )
    description = text_field(
        "Description",
        2000,
        help_text="What the team does, so colleagues know when to contact it. "
        "Up to 2,000 characters.",
        widget=forms.Textarea,
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter a team name")
        return name


class TeamMoveDepartmentForm(forms.Form):
    """The first step of moving a team, read from the query string: which
    department it goes to. A value that matches nothing keeps its own."""

    department = forms.ChoiceField(label="Department")

    def __init__(self, query, *, departments, current, **kwargs):
        self.departments = {d.slug: d for d in departments}
        chosen = self.departments.get(query.get("department", ""), current)
        self.chosen = chosen
        # Its own ids: the parent form on the same page has a `department` too.
        kwargs.setdefault("auto_id", "id_step_%s")
        super().__init__(initial={"department": chosen.slug}, **kwargs)
        self.fields["department"].choices = [
            (d.slug, d.name)
            for d in sorted(self.departments.values(), key=lambda d: d.name.casefold())
        ]


class TeamMoveForm(ServiceErrorsMixin, forms.Form):
    """The second step: the new parent, a team in the chosen department or its top
    level. Loops are the service's to refuse, so every team is offered."""

    department = forms.ChoiceField(widget=forms.HiddenInput)
    parent = forms.ChoiceField(
        label="New parent team",
        required=False,
        error_messages={"invalid_choice": "Select a team from the list"},
    )

    def __init__(self, *args, team: Team, department, departments, teams, **kwargs):
        self.team = team
        self.departments = {d.slug: d for d in departments}
        teams = list(teams)
        self.teams = {t.pk: t for t in teams}
        initial = {"department": department.slug}
        if department.pk == team.department_id and team.parent_id:
            initial["parent"] = str(team.parent_id)
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [(slug, slug) for slug in self.departments]
        self.fields["department"].error_messages["invalid_choice"] = (
            "Choose the department again"
        )
        labels = sorted(
            ((team_label(t, self.teams), t.pk) for t in teams),
            key=lambda pair: pair[0].casefold(),
        )
        self.fields["parent"].label = f"New parent team in {department.name}"
        self.fields["parent"].choices = [
            ("", f"Top level of {department.name}"),
            *((str(pk), label) for label, pk in labels),
        ]

    def clean(self):
        cleaned = super().clean()
        if "department" in cleaned:
            cleaned["department"] = self.departments[cleaned["department"]]
        parent = cleaned.get("parent")
        cleaned["parent"] = self.teams[int(parent)] if parent else None
        return cleaned


class SkillMergeForm(ServiceErrorsMixin, forms.Form):
    """Two skills typed by name, each read as the skill it stands for
    (`skill_named`: whatever its case, spacing or plural)."""

    source = forms.CharField(
        label="Skill to merge away",
        max_length=SKILL_MAX_LENGTH,
        help_text="Everyone who lists this skill will list the one you keep "
        "instead, and this one will be deleted.",
        error_messages={
            "required": "Enter the skill to merge away",
            "max_length": too_long("Skill to merge away", SKILL_MAX_LENGTH),
        },
    )
    target = forms.CharField(
        label="Skill to keep",
        max_length=SKILL_MAX_LENGTH,
        error_messages={
            "required": "Enter the skill to keep",
            "max_length": too_long("Skill to keep", SKILL_MAX_LENGTH),
        },
    )

    def _clean_skill(self, name: str):
        name = " ".join(self.cleaned_data[name].split())
        skill = skill_named(name) if name else None
        if skill is None:
            raise forms.ValidationError(
                f"There is no skill called ‘{name[:40]}’. Check the spelling"
            )
        return skill

    def clean_source(self):
        return self._clean_skill("source")

    def clean_target(self):
        return self._clean_skill("target")

    def clean(self):
        cleaned = super().clean()
        source, target = cleaned.get("source"), cleaned.get("target")
        if source is not None and target is not None and source.pk == target.pk:
            self.add_error(
                "target",
                f"Both names are the skill ‘{target.name}’. Enter two different skills",
            )
        return cleaned
