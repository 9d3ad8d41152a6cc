"""The live events of discussion, as JSON-safe dicts (DESIGN.md, Live protocol).

One function per event, used both when a service publishes it and when a
subscription's backlog is read, so a message looks the same live and caught up.
"""

from __future__ import annotations

from django.db.models import Count

from spaces.models import Message, Reaction, Thread


def thread_stream(thread: Thread | int) -> str:
    return f"thread:{thread if isinstance(thread, int) else thread.pk}"


def person(user) -> dict | None:
    if user is None:
        return None
    return {
        "username": user.get_username(),
        "name": user.get_full_name() or user.get_username(),
    }


def own_fields(message: Message) -> dict:
    """What only the message's author is told: the `client_id` their tab chose,
    so it can match the message it is still showing as pending. Nobody else's
    page needs it, and it must not become a handle on someone else's post."""
    return {"client_id": message.client_id}


def message_event(message: Message, *, author=None, viewer=None) -> dict:
    """A message as the `message` event; a deleted one keeps its seq and loses its
    text (a tombstone). With `viewer`, as that person is sent it: the author
    gets `own_fields` too."""
    deleted = message.deleted_at is not None
    event = {
        "type": "message",
        "stream": thread_stream(message.thread_id),
        "seq": message.seq,
        "id": message.pk,
        "author": person(author if author is not None else message.author),
        "html": "" if deleted else str(message.body_html),
        "created_at": message.created_at.isoformat(),
        "edited_at": message.edited_at.isoformat() if message.edited_at else None,
        "deleted": deleted,
        "change": message.change,
    }
    if viewer is not None and message.author_id == viewer.pk:
        event.update(own_fields(message))
    return event


def edited_event(message: Message) -> dict:
    return {**message_event(message), "type": "message_edited"}


def deleted_event(message: Message) -> dict:
    return {
        "type": "message_deleted",
        "stream": thread_stream(message.thread_id),
        "seq": message.seq,
        "change": message.change,
    }


def reaction_event(message: Message) -> dict:
    counts = (
        Reaction.objects.filter(message=message)
        .values("emoji")
        .annotate(count=Count("id"))
        .order_by("emoji")
    )
    return {
        "type": "reaction",
        "stream": thread_stream(message.thread_id),
        "seq": message.seq,
        "reactions": [{"emoji": r["emoji"], "count": r["count"]} for r in counts],
        "change": message.change,
    }


def change_events(message: Message) -> list[dict]:
    """What a client that was away needs to bring a message it already holds up to
    date: its deletion, or its current text and reactions."""
    if message.deleted_at is not None:
        return [deleted_event(message)]
    return [edited_event(message), reaction_event(message)]
