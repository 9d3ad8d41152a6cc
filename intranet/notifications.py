"""Telling people about things that concern them.

A notification may be about a subject (a thread, a space, an invitation) that its
recipient could see when it was sent and cannot see now: they were removed from a
private space, or declined an invitation to it. What a notification shows is
checked when it is shown, so every path that shows one (the notifications page,
the unread count, the live push) reads through `notifications_for`, which keeps
only those whose subject the recipient may still see.

The core imports no app: each app registers, from its AppConfig.ready(), the
models its notifications are about, each with the selector that answers "which
of these may this person see?" as a queryset. The check is then one subquery per
subject type inside the notifications query itself: a page, its count and the
unread count are each still one query, however many notifications there are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone

from intranet.live import publish
from intranet.models import Notification

# visible_to(user) -> QuerySet of the subject's model: those `user` may see now.
SubjectsVisible = Callable[[Any], QuerySet]

_SUBJECTS: dict[str, SubjectsVisible] = {}


def _subject_type(model: type[Model] | Model) -> str:
    return model._meta.label_lower


def register_subject(model: type[Model], visible_to: SubjectsVisible) -> None:
    """Let notifications be about instances of `model`; `visible_to(user)` is the
    app's own selector of those `user` may see. Registering a model twice with
    different selectors is a programming error."""
    subject_type = _subject_type(model)
    if _SUBJECTS.get(subject_type, visible_to) is not visible_to:
        raise ValueError(f"Notification subject {subject_type!r} is already registered")
    _SUBJECTS[subject_type] = visible_to


def unregister_subject(model: type[Model]) -> None:
    _SUBJECTS.pop(_subject_type(model), None)


def _shown_to(user) -> Q:
    """Which of `user`'s notifications may be shown to them now: those about
    nothing, and those whose subject they may still see. A subject type no app
    answers for is not shown: nothing vouches for it."""
    shown = Q(subject_type="")
    for subject_type, visible_to in _SUBJECTS.items():
        # A correlated EXISTS looks up each notification's own subject: its cost
        # follows the person's notifications, where `subject_id IN (every thread
        # they may read)` would follow the size of the organisation.
        visible = visible_to(user).filter(pk=OuterRef("subject_id"))
        shown |= Q(subject_type=subject_type) & Q(Exists(visible))
    return shown


def notification_send(
    *, recipient, kind: str, text: str, url: str = "", subject: Model | None = None
) -> Notification | None:
    """Store a notification for `recipient` and push it to their open tabs once
    the transaction commits. `text` must be plain and never sensitive.

    `subject` is what it is about, when its text names something the recipient
    may later lose sight of (a private space's thread); it must be of a
    registered model. A notification about a subject the recipient cannot see
    now would never be shown, so none is stored and None is returned."""
    fields: dict[str, Any] = {}
    if subject is not None:
        subject_type = _subject_type(subject)
        visible_to = _SUBJECTS.get(subject_type)
        if visible_to is None:
            raise ValueError(f"Notification subject {subject_type!r} is not registered")
        if not visible_to(recipient).filter(pk=subject.pk).exists():
            return None
        fields = {"subject_type": subject_type, "subject_id": subject.pk}
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, text=text[:500], url=url, **fields
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
    """`user`'s notifications that may be shown to them now, newest first."""
    return Notification.objects.filter(recipient=user).filter(_shown_to(user))


def unread_count(user) -> int:
    """How many of `user`'s notifications shown now are unread."""
    if not user.is_authenticated:
        return 0
    return notifications_for(user).filter(read_at__isnull=True).count()


def notifications_mark_read(*, user) -> int:
    """Mark read all of `user`'s notifications shown now; returns how many were
    unread (a hidden one is neither counted nor touched: it was never shown)."""
    return (
        notifications_for(user)
        .filter(read_at__isnull=True)
        .update(read_at=timezone.now())
    )
