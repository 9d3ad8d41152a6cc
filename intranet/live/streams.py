"""The registry of live streams: what each app lets a socket subscribe to.

A stream is named "<kind>:<key>" ("thread:42"); its channel-layer group is
"<kind>.<key>" (DESIGN.md's group names). An app registers each kind once, from
its AppConfig.ready(), with functions that answer through its own selectors, so
the consumer never decides access itself.

The functions are synchronous (they use the ORM); the consumer runs them with
database_sync_to_async.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

STREAM_RE = re.compile(r"^(?P<kind>[a-z][a-z_]{0,30}):(?P<key>[A-Za-z0-9_-]{1,64})$")


@dataclass(frozen=True)
class StreamKind:
    """How one kind of stream behaves.

    can_subscribe(user, key) -> bool: False for a missing stream and for one the
        user may not see alike (both answer `not_found`).
    backlog(user, key, after, limit, since) -> list[dict]: the `message` events
        with seq > after, oldest first, at most `limit` (after is None for "from
        the start"); and when `since` is given, events that bring the messages
        the client already holds (seq <= after) up to date with every change
        numbered after `since`.
    space_of(key) -> int | None: the space whose access changes must re-check
        subscriptions to this stream.
    heads(keys) -> dict[key, dict]: the head of each stream that exists, in one
        query: {"last": the seq of its last message} plus any other number the
        client tracks (a thread's "change"). It goes in `subscribed`, `pong` and
        the periodic `heads` frame, so that a client whose last event was lost
        learns that it is behind. Only asked for streams the socket may see.
    mark_read(user, key, seq): the user has read up to seq (optional).
    """

    kind: str
    can_subscribe: Callable[[Any, str], bool]
    backlog: Callable[[Any, str, int | None, int, int | None], list[dict]]
    space_of: Callable[[str], int | None]
    heads: Callable[[list[str]], dict[str, dict]]
    mark_read: Callable[[Any, str, int], None] | None = None


_KINDS: dict[str, StreamKind] = {}


def register(stream_kind: StreamKind) -> None:
    """Declare a kind of stream; registering a kind twice is a programming error."""
    if stream_kind.kind in _KINDS and _KINDS[stream_kind.kind] != stream_kind:
        raise ValueError(f"Live stream kind {stream_kind.kind!r} is already registered")
    _KINDS[stream_kind.kind] = stream_kind


def unregister(kind: str) -> None:
    _KINDS.pop(kind, None)


def parse(stream: object) -> tuple[StreamKind, str] | None:
    """The registered kind and key of a stream name, or None when it names none."""
    if not isinstance(stream, str):
        return None
    match = STREAM_RE.match(stream)
    if match is None:
        return None
    stream_kind = _KINDS.get(match["kind"])
    if stream_kind is None:
        return None
    return stream_kind, match["key"]


def group_name(stream: str) -> str:
    """ "thread:42" -> "thread.42": channel-layer group names allow no colon."""
    return stream.replace(":", ".", 1)


def user_group(user_id: int) -> str:
    """Every socket of a user listens here: notifications and access changes."""
    return f"user.{user_id}"


def space_group(space_id: int) -> str:
    """Sockets subscribed to any stream in a space listen here for access changes."""
    return f"space.{space_id}"
