"""The audit log: an append-only, hash-chained record of every access change;
notifications; and sessions, stored with the account signed in to each."""

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class AuditError(Exception):
    """Raised when something tries to change or delete the audit record."""


class AuditEvent(models.Model):
    """One recorded change. Written only by `intranet.audit.audit_record`.

    `hash` covers every field and the previous event's hash, so editing, deleting or
    reordering any event breaks the chain, and `manage.py audit_verify` says where.
    """

    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    occurred_at = models.DateTimeField(editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="Empty when the system acted on its own (a scheduled job).",
    )
    actor_label = models.CharField(max_length=200, editable=False)
    action = models.CharField(max_length=100, db_index=True, editable=False)
    target_type = models.CharField(max_length=100, editable=False)
    target_id = models.CharField(max_length=64, editable=False)
    target_label = models.CharField(max_length=300, editable=False)
    # A plain id, not a foreign key: the record outlives a deleted space.
    space_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    details = models.JSONField(default=dict, editable=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.target_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditError("Audit events cannot be deleted.")


class AuditChainHead(models.Model):
    """The single row that serialises writers and remembers the newest hash.

    Writers lock it (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
    transactions serialise writers already), so two events never claim the same
    predecessor. It also lets `audit_verify` notice events cut off the end.
    """

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit head at #{self.last_seq}"


class Notification(models.Model):
    """Something a person should know about, shown on their notifications page.

    Written only through `intranet.notifications.notification_send`. `text` is plain
    text and never carries OFFICIAL-SENSITIVE content.

    `subject_type` and `subject_id` name what the notification is about (a model's
    `app_label.model_name` and primary key; both empty for none). Whether its
    recipient may still see that subject is asked each time it is shown. A plain
    label and integer rather than a ContentType foreign key: the check is a
    subquery on the subject's own table, compared column to column, and the
    core needs no join to know which app answers.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=50)
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=500, blank=True)
    subject_type = models.CharField(max_length=100, blank=True, default="")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(subject_type="", subject_id__isnull=True)
                    | (~models.Q(subject_type="") & models.Q(subject_id__isnull=False))
                ),
                name="notification_subject_whole",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class AccountSession(AbstractBaseSession):
    """A browser's session, stored with the account signed in to it.

    Django's own session table holds only encoded data, so ending one person's
    sessions would mean decoding every session there is. This one keeps the
    account beside the data (`intranet.sessions.SessionStore` fills it on every
    save, so a session whose key is cycled at sign-in or on a password change
    stays found), and deactivating an account ends its sessions with one delete.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty while nobody is signed in to the session.",
    )

    @classmethod
    def get_session_store_class(cls):
        from intranet.sessions import SessionStore

        return SessionStore
