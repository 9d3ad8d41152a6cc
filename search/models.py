"""The search outbox: index work written in the same transaction as the change.

A row says "the document for this object may be out of date". The one index
writer (`search.writer`) reads rows in order, brings each object's document in
line with the database (indexed if its index still wants it, removed if not or if
the object is gone) and deletes the rows it handled. A rolled-back change leaves
no row; a crash after commit leaves the row for the next drain.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class OutboxEntry(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    queued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "outbox entries"

    def __str__(self) -> str:
        model = f"{self.content_type.app_label}.{self.content_type.model}"
        return f"{model}:{self.object_id}"


class Lease(models.Model):
    """One exclusive role, held by at most one process at a time (`search.lease`).

    `holder` is empty when nobody holds it; a holder that stops renewing loses it
    at `expires_at`, so a crashed process never blocks the role for long.
    """

    name = models.CharField(primary_key=True, max_length=64)
    holder = models.CharField(max_length=255, blank=True)
    acquired_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.holder or 'free'}"
