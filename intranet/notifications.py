"""Telling people about things that concern them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from intranet.models import Notification


def notification_send(
    *, recipient, kind: str, text: str, url: str = ""
) -> Notification:
    """Store a notification for `recipient`. `text` must be plain and not sensitive."""
    return Notification.objects.create(
        recipient=recipient, kind=kind, text=text[:500], url=url
    )


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
