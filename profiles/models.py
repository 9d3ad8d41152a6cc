"""People and the organisation they work in."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxLengthValidator
from django.db import models


class User(AbstractUser):
    """A member of staff's account. Their public face is their Profile.

    A leaver is deactivated (`is_active=False`), never deleted: their profile stays
    for history but drops out of the directory, the org chart and search.
    """

    class Meta:
        db_table = "profiles_user"
        permissions = [
            ("manage_access", "Can manage staff, their profiles and space access"),
        ]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Department(models.Model):
    """A ministerial department, non-ministerial department, agency or public body."""

    class Kind(models.TextChoices):
        MINISTERIAL = "ministerial", "Ministerial department"
        NON_MINISTERIAL = "non_ministerial", "Non-ministerial department"
        AGENCY = "agency", "Executive agency"
        PUBLIC_BODY = "public_body", "Public body"

    name = models.CharField(max_length=200, unique=True)
    acronym = models.CharField(max_length=20, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bodies",
        help_text="The department an agency or public body reports to.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team inside a department; teams nest to any depth."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="teams"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "slug"], name="team_slug_unique_in_department"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Grade(models.Model):
    """A civil service grade; `rank` orders them from most junior (1) upwards."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100)
    rank = models.PositiveSmallIntegerField(unique=True)

    class Meta:
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.code


class Profession(models.Model):
    """One of the civil service professions."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    """A building or site where people work."""

    name = models.CharField(max_length=200, unique=True)
    address = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    """A skill as a normalised tag: "Data  Analysis" and "data analyses" share `key`.

    Create skills only through `profiles.services.skills`, which computes `key`.
    """

    name = models.CharField(max_length=100)
    key = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Visibility(models.TextChoices):
    """Who may see a profile field its owner chose to limit."""

    EVERYONE = "everyone", "Everyone"
    DEPARTMENT = "department", "People in my department"
    NOBODY = "nobody", "Only me"


class Weekday(models.TextChoices):
    MONDAY = "mon", "Monday"
    TUESDAY = "tue", "Tuesday"
    WEDNESDAY = "wed", "Wednesday"
    THURSDAY = "thu", "Thursday"
    FRIDAY = "fri", "Friday"
    SATURDAY = "sat", "Saturday"
    SUNDAY = "sun", "Sunday"


class Profile(models.Model):
    """What colleagues see about a member of staff.

    Written only through `profiles.services`, which check who may change which field,
    audit each change field by field and refuse management loops.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    preferred_name = models.CharField(max_length=100, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="profiles"
    )
    teams = models.ManyToManyField(
        Team, through="TeamMembership", blank=True, related_name="members"
    )
    grade = models.ForeignKey(
        Grade, on_delete=models.PROTECT, null=True, blank=True, related_name="profiles"
    )
    professions = models.ManyToManyField(
        Profession, blank=True, related_name="profiles"
    )
    line_manager = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="direct_reports",
    )
    key_skills = models.ManyToManyField(Skill, blank=True, related_name="key_skill_of")
    other_skills = models.ManyToManyField(
        Skill, blank=True, related_name="other_skill_of"
    )
    learning_interests = models.ManyToManyField(
        Skill, blank=True, related_name="learning_interest_of"
    )
    languages = models.JSONField(
        default=list, blank=True, help_text="Languages spoken, as a list of names."
    )
    working_days = models.JSONField(
        default=list, blank=True, help_text="Weekday codes (Weekday) usually worked."
    )
    working_pattern_note = models.CharField(
        max_length=200, blank=True, help_text="For example: compressed hours."
    )
    working_pattern_visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.EVERYONE
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="profiles",
    )
    location_visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.EVERYONE
    )
    phone_work = models.CharField(max_length=30, blank=True)
    phone_mobile = models.CharField(max_length=30, blank=True)
    phone_visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.DEPARTMENT
    )
    other_contact = models.CharField(
        max_length=300,
        blank=True,
        help_text="Other ways to reach you, such as a chat handle.",
    )
    ask_me_about = models.CharField(max_length=500, blank=True)
    bio = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(5000)],
        help_text="Markdown; rendered and sanitised on display.",
    )
    photo = models.ImageField(upload_to="photos/%Y/%m/", blank=True)
    confirmed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the owner last confirmed the profile is up to date.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        indexes = [models.Index(fields=["department", "grade"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The preferred name in place of the first name, when given."""
        first = self.preferred_name or self.user.first_name
        full = f"{first} {self.user.last_name}".strip()
        return full or self.user.username


class TeamMembership(models.Model):
    """A person's place in a team: their title there and whether they lead it."""

    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    job_title = models.CharField(max_length=200, blank=True)
    is_head = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_head", "profile__user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "team"], name="one_membership_per_team"
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile} in {self.team}"


class TeamMembershipRequest(models.Model):
    """A team, or headship of a team, asked for by someone without authority over
    the team (the person themselves, or their line manager). It confers nothing:
    only a TeamMembership does, and one of the team's heads (or a head above, or an
    IT admin) turns the request into one (`profiles.services.team_requests`).

    With `is_head` and a membership already held, it asks only for headship.
    """

    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="team_requests"
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="membership_requests"
    )
    job_title = models.CharField(max_length=200, blank=True)
    is_head = models.BooleanField(default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "team"], name="one_team_request_per_team"
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile} asks to join {self.team}"


class CorrectionSuggestion(models.Model):
    """A colleague's suggestion that a profile is wrong, or a report of a leaver or a
    duplicate. Kept whole here; notifications carry only an excerpt."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Something on the profile is wrong"
        LEAVER = "leaver", "This person has left"
        DUPLICATE = "duplicate", "This is a duplicate profile"

    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="suggestions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField(validators=[MaxLengthValidator(2000)])
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.profile}"
