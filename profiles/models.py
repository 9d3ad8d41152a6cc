"""People and the organisation they work in."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A member of staff's account. Their public face is their Profile."""

    class Meta:
        db_table = "profiles_user"

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
    description = models.TextField(blank=True)

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


class Profile(models.Model):
    """What colleagues see about a member of staff."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="profiles"
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="profiles"
    )
    grade = models.ForeignKey(
        Grade, on_delete=models.PROTECT, null=True, blank=True, related_name="profiles"
    )
    professions = models.ManyToManyField(
        Profession, blank=True, related_name="profiles"
    )
    job_title = models.CharField(max_length=200, blank=True)
    line_manager = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="direct_reports",
    )

    class Meta:
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return self.user.display_name
