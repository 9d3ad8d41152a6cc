"""Spaces, who belongs to them and in which role, and how a whole department or
team is let in.

Written only through `spaces.services`, which keep the guardian object permissions
(the two `Space…ObjectPermission` models) in step with roles and grants.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from profiles.models import Department, Team


class Marking(models.TextChoices):
    OFFICIAL = "OFFICIAL", "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"


class Role(models.TextChoices):
    """A person's role in a space; `spaces.roles` maps each to its permissions."""

    OWNER = "owner", "Owner"
    MODERATOR = "moderator", "Moderator"
    MEMBER = "member", "Member"
    GUEST = "guest", "Guest"


class GrantRole(models.TextChoices):
    """The roles a whole department or team can be given."""

    MEMBER = "member", "Member"
    GUEST = "guest", "Guest"


class Space(models.Model):
    """The one access scope for discussion content: threads, messages, blog posts."""

    class Visibility(models.TextChoices):
        OPEN = "open", "Open"
        RESTRICTED = "restricted", "Restricted"
        PRIVATE = "private", "Private"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(5000)],
        help_text="Markdown; rendered and sanitised on display.",
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="spaces"
    )
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.OPEN
    )
    default_marking = models.CharField(
        max_length=20, choices=Marking.choices, default=Marking.OFFICIAL
    )
    archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]
        # view_space is one of the role permissions, declared below with the rest;
        # Django's default "view" would create the same codename a second time.
        default_permissions = ("add", "change", "delete")
        permissions = [
            ("view_space", "Can see the space's content"),
            ("post_in_space", "Can post and reply in the space"),
            ("start_thread", "Can start threads in the space"),
            ("moderate_space", "Can moderate the space"),
            ("manage_space", "Can manage the space's settings and access"),
        ]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="space_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class SpaceMembership(models.Model):
    """A person's own membership of a space (access through a grant is not one)."""

    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="space_memberships",
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["space", "joined_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "user"], name="one_membership_per_space"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.space} ({self.role})"


class SpaceGrant(models.Model):
    """A role in a space given to everyone in a department or a team."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="grants")
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="space_grants",
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="space_grants",
    )
    role = models.CharField(max_length=20, choices=GrantRole.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["space", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(department__isnull=False, team__isnull=True)
                    | models.Q(department__isnull=True, team__isnull=False)
                ),
                name="space_grant_department_xor_team",
            ),
            models.UniqueConstraint(
                fields=["space", "department"],
                condition=models.Q(department__isnull=False),
                name="one_grant_per_space_department",
            ),
            models.UniqueConstraint(
                fields=["space", "team"],
                condition=models.Q(team__isnull=False),
                name="one_grant_per_space_team",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.audience} as {self.role} in {self.space}"

    @property
    def audience(self) -> Department | Team:
        return self.department if self.department_id else self.team


class JoinRequest(models.Model):
    """A request to join a restricted space, decided by its owners or moderators."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, related_name="join_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="space_join_requests",
    )
    message = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(1000)],
        help_text="Why the requester wants to join.",
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING
    )
    reason = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(1000)],
        help_text="The decider's reason, shown to the requester.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "user"],
                condition=models.Q(status="pending"),
                name="one_pending_join_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} asks to join {self.space} ({self.status})"


class Invitation(models.Model):
    """An invitation to a space (the only way into a private one)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, related_name="invitations"
    )
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="space_invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    role = models.CharField(
        max_length=20, choices=GrantRole.choices, default=GrantRole.MEMBER
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "invitee"],
                condition=models.Q(status="pending"),
                name="one_pending_invitation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.invitee} invited to {self.space} ({self.status})"


class SpaceAudienceGroup(models.Model):
    """The auth Group standing for a department or a team, which grants give
    permissions to. `spaces.groups` keeps its members in step with the
    organisation."""

    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="space_audience"
    )
    department = models.OneToOneField(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="space_audience",
    )
    team = models.OneToOneField(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="space_audience",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(department__isnull=False, team__isnull=True)
                    | models.Q(department__isnull=True, team__isnull=False)
                ),
                name="space_audience_department_xor_team",
            )
        ]

    def __str__(self) -> str:
        return self.group.name


class SpaceUserObjectPermission(UserObjectPermissionBase):
    """A person's guardian permission on a space (from their membership's role)."""

    content_object = models.ForeignKey(Space, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        pass


class SpaceGroupObjectPermission(GroupObjectPermissionBase):
    """A department's or team's guardian permission on a space (from a grant)."""

    content_object = models.ForeignKey(Space, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        pass


# Discussion ---------------------------------------------------------------------


class Thread(models.Model):
    """A discussion in a space. Its messages are numbered 1, 2, 3… by `seq`,
    assigned from `last_seq` in the posting transaction, so a live client can tell
    a missed message from a deleted one."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    marking = models.CharField(
        max_length=20, choices=Marking.choices, default=Marking.OFFICIAL
    )
    pinned = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)
    # Now when made; a bulk load of past discussion (the demo) sets its own times
    # here and on messages, revisions and reactions.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_activity_at = models.DateTimeField(default=timezone.now, editable=False)
    last_seq = models.PositiveIntegerField(default=0)
    # Counts edits, deletes and reactions (1, 2, 3…, no gaps), so a client that
    # was away can ask for the messages changed since the last change it holds.
    last_change = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-pinned", "-last_activity_at", "-id"]
        indexes = [
            models.Index(
                fields=["space", "-pinned", "-last_activity_at"],
                name="thread_space_activity",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Message(models.Model):
    """One message in a thread: markdown, rendered and sanitised once, on write."""

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="messages"
    )
    seq = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Chosen by the posting client: posting the same one twice returns the first
    # message instead of a duplicate (a retry after a dropped connection).
    client_id = models.CharField(max_length=64)
    body = models.TextField(validators=[MaxLengthValidator(10_000)])
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The thread's `last_change` when this message was last edited, deleted or
    # reacted to (0: never).
    change = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["thread", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["thread", "seq"], name="message_seq"),
            models.UniqueConstraint(
                fields=["author", "client_id"], name="message_client_id"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} in {self.thread_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class MessageRevision(models.Model):
    """What a message said before an edit: edits are visible, never silent."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="revisions"
    )
    body = models.TextField()
    edited_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["message", "edited_at", "id"]

    def __str__(self) -> str:
        return f"revision of {self.message_id}"


class Reaction(models.Model):
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="reactions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    emoji = models.CharField(max_length=16)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "user", "emoji"], name="one_reaction_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.emoji} on {self.message_id}"


class Mention(models.Model):
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="mentions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "user"], name="one_mention")
        ]

    def __str__(self) -> str:
        return f"@{self.user_id} in {self.message_id}"


class ThreadReader(models.Model):
    """One person's standing in one thread: how far they have read, and whether
    they follow it (notified of replies) or muted it."""

    class Follow(models.TextChoices):
        DEFAULT = "default", "Default"
        FOLLOWING = "following", "Following"
        MUTED = "muted", "Muted"

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="readers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    last_read_seq = models.PositiveIntegerField(default=0)
    follow = models.CharField(
        max_length=20, choices=Follow.choices, default=Follow.DEFAULT
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="one_reader_row")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.thread_id} at {self.last_read_seq}"
