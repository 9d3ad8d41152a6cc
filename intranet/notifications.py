"""Telling people about things that concern them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from intranet.live import publish
from intranet.models import Notification


def notification_send(
    *, recipient, kind: str, text: str, url: str = ""
) -> Notification:
    """Store a notification for `recipient` and push it to their open tabs once
    the transaction commits. `text` must be plain and never sensitive."""
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, text=text[:500], url=url
    )
    publish.publish_to_user(recipient.pk, notification_event(notification))
    return notification


def notification_event(notification: Notification) -> dict:
    """The live `notification` event: what the header's unread count and a toast
    need, and nothing more."""
    return {
        "type": "notification",
        "id": notification.pk,
        "kind": notification.kind,
        "text": notification.text,
        "url": notification.url,
        "created_at": notification.created_at.isoformat(),
    }


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_mark_read(*, user) -> int:
    """Mark all of `user`'s notifications read; returns how many were unread."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
