"""Sending live events from services, after their transaction commits.

Events are JSON-safe dicts with a `type` (DESIGN.md's server events). They leave
only on commit, so a rolled-back change is never announced; and because the
channel layer may still drop them, every event about stream content carries the
`seq` a client uses to notice a gap and catch up from the database.
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from intranet.live.streams import group_name, space_group, user_group

logger = logging.getLogger(__name__)

# The consumer's handlers for each kind of channel-layer message.
EVENT = "live.event"
RECHECK = "live.recheck"
CLOSE = "live.close"

CLOSE_DEACTIVATED = 4403


def _send(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:
        # The change is committed and the database holds it: a client that misses
        # this event catches up when it next subscribes. Never fail the request.
        logger.exception("live: could not send to %s", group)


def _on_commit(group: str, message: dict[str, Any]) -> None:
    transaction.on_commit(lambda: _send(group, message))


def publish(
    stream: str,
    event: dict[str, Any],
    *,
    private: dict[int, dict[str, Any]] | None = None,
) -> None:
    """Send `event` to every socket subscribed to `stream`, once the current
    transaction commits. `private` maps a user id to fields that only that
    user's own sockets get added to the event (an author's `client_id`, which
    lets their tabs match a message they are still waiting to hear about)."""
    message = {"type": EVENT, "stream": stream, "event": event}
    if private:
        # String keys: channels-redis carries the message as msgpack.
        message["private"] = {str(user): dict(f) for user, f in private.items()}
    _on_commit(group_name(stream), message)


def publish_to_user(user_id: int, event: dict[str, Any]) -> None:
    """Send `event` to every socket of one person (their notifications), on commit."""
    stream = f"user:{user_id}"
    _on_commit(user_group(user_id), {"type": EVENT, "stream": stream, "event": event})


def access_changed(space_id: int) -> None:
    """Someone's access to a space changed: on commit, every socket subscribed to
    one of its streams checks again, and drops what its user may no longer see."""
    _on_commit(space_group(space_id), {"type": RECHECK, "space": space_id})


def user_deactivated(user_id: int) -> None:
    """Close every socket of a deactivated account (4403), on commit."""
    _on_commit(user_group(user_id), {"type": CLOSE, "code": CLOSE_DEACTIVATED})
