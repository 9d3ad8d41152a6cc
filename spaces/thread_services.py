"""Discussion: starting threads, posting, editing, deleting, reacting, pinning,
locking, reading and following.

Every write is atomic, checked through `spaces.selectors`, and announced on commit:
the live event goes to the thread's stream (`thread:<id>`), notifications to the
people concerned, and the search outbox row is written in the same transaction.

A message's `seq` comes from its thread's `last_seq`, taken under a row lock in
the posting transaction, so the numbers run 1, 2, 3… with no gaps and a live
client can tell a message it missed from one never sent.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from intranet.audit import audit_record
from intranet.indexing import index_later
from intranet.live import publish
from intranet.markdown import render_markdown
from intranet.notifications import notification_send
from profiles.models import User
from profiles.selectors.access import is_active_account
from spaces import selectors
from spaces.errors import SpaceError
from spaces.events import (
    deleted_event,
    edited_event,
    message_event,
    own_fields,
    reaction_event,
    thread_stream,
)
from spaces.models import (
    Marking,
    Mention,
    Message,
    MessageRevision,
    Reaction,
    Space,
    Thread,
    ThreadReader,
)

TITLE_MAX = Thread._meta.get_field("title").max_length
BODY_MAX = 10_000
CLIENT_ID_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MENTION_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9_.-]{2,150})")
POSTS_PER_MINUTE = 30
# What the reaction picker offers; anything else is refused.
EMOJI = ("👍", "❤️", "🎉", "😄", "🤔", "👀", "✅", "🙏")

logger = logging.getLogger(__name__)


class RateLimited(SpaceError):
    """Posting too fast: the client shows the message and tries later."""


def _require_active(actor: User) -> None:
    if not is_active_account(actor):
        raise SpaceError("Your account is not active.")


def _clean_body(body: Any) -> str:
    body = str(body or "").strip()
    if not body:
        raise SpaceError("Write a message.", field="body")
    if len(body) > BODY_MAX:
        raise SpaceError(
            f"A message must be {BODY_MAX:,} characters or fewer.", field="body"
        )
    return body


def _clean_client_id(client_id: Any) -> str:
    client_id = str(client_id or "")
    if not CLIENT_ID_RE.match(client_id):
        raise SpaceError(
            "The message's client id must be 8 to 64 letters, digits, - or _."
        )
    return client_id


def _count_post(key: str) -> int:
    cache.add(key, 0, timeout=120)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=120)
        return 1


def _check_rate(actor: User) -> None:
    """At most POSTS_PER_MINUTE messages a minute per person, counted in the cache
    (shared by every process when Redis is configured).

    A cache that cannot be reached lets the post through: the limit guards
    against floods, and losing every message while Redis restarts would be
    worse than a minute without it (DESIGN.md, Write path)."""
    limit = getattr(settings, "CROSSGOV_POSTS_PER_MINUTE", POSTS_PER_MINUTE)
    key = f"spaces:post-rate:{actor.pk}:{int(timezone.now().timestamp() // 60)}"
    try:
        count = _count_post(key)
    except Exception as error:  # each backend raises its own (redis-py, OSError…)
        logger.warning(
            "Post rate limit not applied for user %s: the cache is unreachable (%r)",
            actor.pk,
            error,
        )
        return
    if count > limit:
        raise RateLimited(
            f"You are posting very fast: wait a minute, then try again "
            f"(at most {limit} messages a minute)."
        )


def _mentioned_users(body: str) -> list[User]:
    names = {name.rstrip(".").lower() for name in MENTION_RE.findall(body)}
    if not names:
        return []
    return list(
        User.objects.filter(is_active=True, username__in=names).order_by("username")
    )


def thread_url(thread: Thread, seq: int | None = None) -> str:
    """A thread's page, at one message when `seq` is given."""
    url = reverse(
        "spaces:thread", kwargs={"slug": thread.space.slug, "thread_id": thread.pk}
    )
    return f"{url}#message-{seq}" if seq else url


def _notify(thread: Thread, message: Message, actor: User, mentioned: list[User]):
    """Mentions, and replies to followers; never the text of a sensitive thread.
    Each is about the thread, so it is shown only while its recipient may still
    read the thread (its title and space name are in the text)."""
    space = thread.space
    author = actor.get_full_name() or actor.get_username()
    sensitive = thread.marking == Marking.OFFICIAL_SENSITIVE
    title = "an OFFICIAL-SENSITIVE thread" if sensitive else f"“{thread.title}”"
    # Muting a thread silences it entirely, mentions included.
    told: set[int] = {actor.pk} | set(
        ThreadReader.objects.filter(
            thread=thread, follow=ThreadReader.Follow.MUTED
        ).values_list("user_id", flat=True)
    )
    for user in mentioned:
        if user.pk in told or not selectors.can_view_thread(user, thread):
            continue
        told.add(user.pk)
        notification_send(
            recipient=user,
            kind="thread.mention",
            text=f"{author} mentioned you in {title} in {space.name}",
            url=thread_url(thread, message.seq),
            subject=thread,
        )
    followers = ThreadReader.objects.filter(
        thread=thread, follow=ThreadReader.Follow.FOLLOWING
    ).select_related("user")
    for reader in followers:
        user = reader.user
        if user.pk in told or not selectors.can_view_thread(user, thread):
            continue
        told.add(user.pk)
        notification_send(
            recipient=user,
            kind="thread.reply",
            text=f"{author} replied in {title} in {space.name}",
            url=thread_url(thread, message.seq),
            subject=thread,
        )


def _append(
    *, actor: User, thread: Thread, body: str, client_id: str
) -> tuple[Message, list[User]]:
    """Add a message at the thread's next seq; inside the caller's transaction."""
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    seq = locked.last_seq + 1
    now = timezone.now()
    Thread.objects.filter(pk=thread.pk).update(last_seq=seq, last_activity_at=now)
    thread.last_seq, thread.last_activity_at = seq, now
    message = Message.objects.create(
        thread=thread,
        seq=seq,
        author=actor,
        client_id=client_id,
        body=body,
        body_html=render_markdown(body),
    )
    mentioned = _mentioned_users(body)
    Mention.objects.bulk_create(
        [Mention(message=message, user=user) for user in mentioned],
        ignore_conflicts=True,
    )
    # Writing in a thread follows it and reads it up to here.
    reader, _ = ThreadReader.objects.get_or_create(thread=thread, user=actor)
    updates = {"last_read_seq": seq}
    if reader.follow == ThreadReader.Follow.DEFAULT:
        updates["follow"] = ThreadReader.Follow.FOLLOWING
    ThreadReader.objects.filter(pk=reader.pk).update(**updates)
    index_later(message)
    publish.publish(
        thread_stream(thread),
        message_event(message, author=actor),
        private={actor.pk: own_fields(message)},
    )
    return message, mentioned


def _next_change(thread: Thread) -> int:
    """The thread's next change number, taken under its row lock so that changes
    count 1, 2, 3… with no gaps (inside the caller's transaction)."""
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    change = locked.last_change + 1
    Thread.objects.filter(pk=thread.pk).update(last_change=change)
    thread.last_change = change
    return change


def _existing(actor: User, client_id: str) -> Message | None:
    return (
        Message.objects.select_related("thread__space")
        .filter(author=actor, client_id=client_id)
        .first()
    )


def _started_by(message: Message, space) -> Thread:
    """The thread a repeated client id started; refused if that id belongs to a
    reply, or to a thread in another space."""
    if message.seq != 1 or message.thread.space_id != space.pk:
        raise SpaceError("This client id was used for another message.")
    return message.thread


def thread_start(
    *,
    actor: User,
    space,
    title: str,
    body: str,
    client_id: str,
    marking: str | None = None,
) -> Thread:
    """Start a thread with its first message (members, moderators, owners)."""
    _require_active(actor)
    client_id = _clean_client_id(client_id)
    existing = _existing(actor, client_id)
    if existing is not None:
        return _started_by(existing, space)
    if not selectors.can_start_thread(actor, space):
        if space.archived:
            raise SpaceError("This space is archived: it is read-only.")
        raise SpaceError("You cannot start threads in this space.")
    title = " ".join(str(title or "").split())
    if not title:
        raise SpaceError("Enter a title.", field="title")
    if len(title) > TITLE_MAX:
        raise SpaceError(
            f"The title must be {TITLE_MAX} characters or fewer.", field="title"
        )
    marking = marking or space.default_marking
    if marking not in Marking.values:
        raise SpaceError("Choose a security marking.", field="marking")
    if marking == Marking.OFFICIAL_SENSITIVE and not selectors.can_view_sensitive(
        actor, space
    ):
        raise SpaceError(
            "Only the space's own members can start OFFICIAL-SENSITIVE threads.",
            field="marking",
        )
    body = _clean_body(body)
    _check_rate(actor)
    try:
        with transaction.atomic():
            thread = Thread.objects.create(
                space=space, title=title, author=actor, marking=marking
            )
            index_later(thread)
            message, mentioned = _append(
                actor=actor, thread=thread, body=body, client_id=client_id
            )
            transaction.on_commit(lambda: _notify(thread, message, actor, mentioned))
    except IntegrityError:
        # The same client id, posted twice at once: the other request won.
        existing = _existing(actor, client_id)
        if existing is None:
            raise
        return _started_by(existing, space)
    return thread


def message_post(
    *, actor: User, thread: Thread, body: str, client_id: str
) -> tuple[Message, bool]:
    """Reply in a thread. Returns the message and whether it is new: the same
    `client_id` again gives back the first message, never a duplicate."""
    _require_active(actor)
    client_id = _clean_client_id(client_id)
    existing = _existing(actor, client_id)
    if existing is not None:
        if existing.thread_id != thread.pk:
            raise SpaceError("This client id was used for another message.")
        return existing, False
    space = thread.space
    if not selectors.can_view_thread(actor, thread):
        raise SpaceError("You cannot post in this thread.")
    if space.archived:
        raise SpaceError("This space is archived: it is read-only.")
    if not selectors.can_post(actor, space):
        raise SpaceError("You cannot post in this space.")
    if thread.locked:
        raise SpaceError("This thread is locked: nobody can reply.")
    body = _clean_body(body)
    _check_rate(actor)
    try:
        with transaction.atomic():
            message, mentioned = _append(
                actor=actor, thread=thread, body=body, client_id=client_id
            )
            transaction.on_commit(lambda: _notify(thread, message, actor, mentioned))
    except IntegrityError:
        existing = _existing(actor, client_id)
        if existing is None:
            raise
        return existing, False
    return message, True


def message_edit(*, actor: User, message: Message, body: str) -> Message:
    """Change a message (its author only); the old text is kept as a revision."""
    _require_active(actor)
    thread = message.thread
    if (
        message.author_id != actor.pk
        or not selectors.can_view_thread(actor, thread)
        or not selectors.can_post(actor, thread.space)
    ):
        raise SpaceError("Only the author can edit a message.")
    if message.is_deleted:
        raise SpaceError("This message has been deleted.")
    if thread.locked:
        raise SpaceError("This thread is locked: messages cannot be edited.")
    body = _clean_body(body)
    if body == message.body:
        return message
    with transaction.atomic():
        MessageRevision.objects.create(
            message=message, body=message.body, edited_by=actor
        )
        message.body = body
        message.body_html = render_markdown(body)
        message.edited_at = timezone.now()
        message.change = _next_change(thread)
        message.save(update_fields=["body", "body_html", "edited_at", "change"])
        index_later(message)
        publish.publish(thread_stream(thread), edited_event(message))
    return message


def message_delete(*, actor: User, message: Message) -> Message:
    """Delete a message, leaving a tombstone in its place (the author, or the
    space's moderators; a moderator's delete is audited)."""
    _require_active(actor)
    thread = message.thread
    space = thread.space
    own = (
        message.author_id == actor.pk
        and selectors.can_view_thread(actor, thread)
        and selectors.can_post(actor, space)
    )
    moderating = selectors.can_moderate(actor, space)
    if not (own or moderating):
        raise SpaceError("Only the author or a moderator can delete a message.")
    if message.is_deleted:
        return message
    with transaction.atomic():
        message.deleted_at = timezone.now()
        message.deleted_by = actor
        message.change = _next_change(thread)
        message.save(update_fields=["deleted_at", "deleted_by", "change"])
        index_later(message)
        if not own:
            audit_record(
                actor=actor,
                action="thread.message.delete",
                target=message,
                space_id=space.pk,
                details={"thread": thread.pk, "seq": message.seq},
            )
        publish.publish(thread_stream(thread), deleted_event(message))
    return message


def reaction_toggle(*, actor: User, message: Message, emoji: str) -> bool:
    """Add the reaction, or take it back if it is there; True when added."""
    _require_active(actor)
    thread = message.thread
    if not selectors.can_view_thread(actor, thread) or not selectors.can_post(
        actor, thread.space
    ):
        raise SpaceError("You cannot react in this space.")
    if emoji not in EMOJI:
        raise SpaceError("Choose one of the reactions offered.", field="emoji")
    if message.is_deleted:
        raise SpaceError("This message has been deleted.")
    with transaction.atomic():
        deleted, _ = Reaction.objects.filter(
            message=message, user=actor, emoji=emoji
        ).delete()
        if not deleted:
            # Two clicks at once: the other one added it already.
            Reaction.objects.bulk_create(
                [Reaction(message=message, user=actor, emoji=emoji)],
                ignore_conflicts=True,
            )
        message.change = _next_change(thread)
        message.save(update_fields=["change"])
        publish.publish(thread_stream(thread), reaction_event(message))
    return not deleted


def _moderate(actor: User, thread: Thread, field: str, value: bool) -> Thread:
    _require_active(actor)
    if not selectors.can_moderate(actor, thread.space):
        raise SpaceError("Only the space's moderators can do this.")
    if getattr(thread, field) == value:
        return thread
    with transaction.atomic():
        setattr(thread, field, value)
        thread.save(update_fields=[field])
        audit_record(
            actor=actor,
            action=f"thread.{field}",
            target=thread,
            space_id=thread.space_id,
            details={"before": not value, "after": value},
        )
        publish.publish(
            thread_stream(thread),
            {"type": "thread_changed", "stream": thread_stream(thread), field: value},
        )
    return thread


def thread_set_pinned(*, actor: User, thread: Thread, pinned: bool) -> Thread:
    return _moderate(actor, thread, "pinned", bool(pinned))


def thread_set_locked(*, actor: User, thread: Thread, locked: bool) -> Thread:
    return _moderate(actor, thread, "locked", bool(locked))


def thread_mark_read(*, actor: User, thread: Thread, seq: int) -> int:
    """Record that `actor` has read up to `seq` (never backwards); returns the
    new mark."""
    if not selectors.can_view_thread(actor, thread):
        raise SpaceError("No such thread.")
    seq = max(0, min(int(seq), thread.last_seq))
    reader, _ = ThreadReader.objects.get_or_create(thread=thread, user=actor)
    ThreadReader.objects.filter(pk=reader.pk, last_read_seq__lt=seq).update(
        last_read_seq=seq
    )
    return max(reader.last_read_seq, seq)


@transaction.atomic
def space_mark_read(*, actor: User, space: Space) -> int:
    """Mark every thread of the space with messages `actor` has not read (muted
    ones too) as read to its last message; returns how many threads that was.
    Following and muting stay as they were."""
    if not selectors.can_view_content(actor, space):
        raise SpaceError("No such space.")
    threads = selectors.unread_threads(actor, [space], include_muted=True)
    threads = threads.values_list("pk", "last_seq")
    readers = [
        ThreadReader(thread_id=thread_id, user=actor, last_read_seq=last_seq)
        for thread_id, last_seq in threads
    ]
    ThreadReader.objects.bulk_create(
        readers,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["thread", "user"],
        update_fields=["last_read_seq"],
    )
    return len(readers)


def thread_set_follow(*, actor: User, thread: Thread, follow: str) -> ThreadReader:
    """Follow (notified of every reply), mute (never notified, not even of
    mentions in it) or go back to the default."""
    if not selectors.can_view_thread(actor, thread):
        raise SpaceError("No such thread.")
    if follow not in ThreadReader.Follow.values:
        raise SpaceError("Choose follow, mute or default.", field="follow")
    reader, _ = ThreadReader.objects.get_or_create(thread=thread, user=actor)
    reader.follow = follow
    reader.save(update_fields=["follow"])
    return reader
