"""The live protocol at /ws/live/ (DESIGN.md, Live protocol).

Thin: it parses frames, asks the stream registry (and through it each app's
selectors) who may subscribe, and relays events. It never writes content: writes
go over HTTP to the services.

Channels hands a consumer one message at a time, so events that arrive while a
subscription reads its backlog wait until the backlog is sent; the group is
joined before the backlog is read, so nothing committed in between is missed, and
the client drops what it already holds by seq.

The channel layer may still drop an event, and a lost *last* event shows no gap
until the next one comes. So `subscribed`, `pong` and a `heads` frame sent every
HEADS_INTERVAL_S while subscribed carry each stream's head, and a client holding
less subscribes again from what it holds.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model

from intranet import safe_json
from intranet.live import publish, streams

logger = logging.getLogger(__name__)

MAX_FRAME_BYTES = 64 * 1024
BACKLOG_LIMIT = 500
MAX_SUBSCRIPTIONS = 200
TYPING_INTERVAL_S = 2.0
# How often a socket with subscriptions is told each stream's head (the
# `heads` frame), so a client whose last event was lost learns it is behind
# without waiting for the next one. Setting: CROSSGOV_LIVE_HEADS_INTERVAL_S.
HEADS_INTERVAL_S = 25.0
# A token bucket: bursts of up to FLOOD_BURST frames, FLOOD_RATE a second after.
FLOOD_BURST = 60
FLOOD_RATE = 20.0

CLOSE_UNAUTHENTICATED = 4401
CLOSE_DEACTIVATED = publish.CLOSE_DEACTIVATED
CLOSE_FLOOD = 4429


class FrameError(Exception):
    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = detail


def _session_user_is_deactivated(scope) -> bool:
    """Whether the session belongs to an account that has been deactivated
    (Django's auth backends hand such a session an anonymous user)."""
    session = scope.get("session")
    user_id = session.get(SESSION_KEY) if session is not None else None
    if user_id is None:
        return False
    User = get_user_model()
    return User.objects.filter(pk=user_id, is_active=False).exists()


def _is_seq(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


class LiveConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        user = self.scope.get("user")
        # Accept first: a close code reaches the browser only on an open socket.
        await self.accept()
        if user is None or not user.is_authenticated:
            deactivated = await database_sync_to_async(_session_user_is_deactivated)(
                self.scope
            )
            await self.close(
                code=CLOSE_DEACTIVATED if deactivated else CLOSE_UNAUTHENTICATED
            )
            return
        if not user.is_active:
            await self.close(code=CLOSE_DEACTIVATED)
            return
        self.user = user
        self.display_name = user.get_full_name() or user.get_username()
        # stream -> (kind, key, space id or None)
        self.subscriptions: dict[str, tuple[streams.StreamKind, str, int | None]] = {}
        self.typing_sent: dict[str, float] = {}
        self.tokens = float(FLOOD_BURST)
        self.tokens_at = time.monotonic()
        self.groups_joined: set[str] = set()
        await self._join(streams.user_group(user.pk))
        self.heads_task = asyncio.create_task(self._send_heads_periodically())

    async def disconnect(self, code) -> None:
        task = getattr(self, "heads_task", None)
        if task is not None:
            task.cancel()
        for group in getattr(self, "groups_joined", ()):
            await self.channel_layer.group_discard(group, self.channel_name)

    # Frames from the client ------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        if not hasattr(self, "user"):
            return  # closing: see connect()
        if not self._take_token():
            await self.close(code=CLOSE_FLOOD)
            return
        ref = None
        try:
            content = self._parse(text_data)
            ref = content.get("ref")
            if not isinstance(ref, (str, int)) or isinstance(ref, bool):
                ref = None
            handler = self.HANDLERS.get(content.get("type"))
            if handler is None:
                raise FrameError("invalid", "Unknown frame type.")
            await handler(self, content, ref)
        except FrameError as error:
            await self._send({"type": "error", "code": error.code}, ref, error.detail)

    def _parse(self, text_data) -> dict[str, Any]:
        if text_data is None:
            raise FrameError("invalid", "Send JSON text frames.")
        try:
            content = safe_json.loads(
                text_data, what="The frame", max_bytes=MAX_FRAME_BYTES
            )
        except safe_json.Refused as error:
            raise FrameError("invalid", error.message) from error
        if not isinstance(content, dict):
            raise FrameError("invalid", "A frame is a JSON object with a type.")
        return content

    def _take_token(self) -> bool:
        now = time.monotonic()
        self.tokens = min(
            FLOOD_BURST, self.tokens + (now - self.tokens_at) * FLOOD_RATE
        )
        self.tokens_at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    async def on_subscribe(self, content, ref) -> None:
        stream, after = content.get("stream"), content.get("after")
        since = content.get("since")
        if after is not None and not _is_seq(after):
            raise FrameError("invalid", "after must be a whole number or null.")
        if since is not None and not _is_seq(since):
            raise FrameError("invalid", "since must be a whole number or null.")
        parsed = streams.parse(stream)
        if parsed is None:
            raise FrameError("not_found", "No such stream.")
        if stream not in self.subscriptions and (
            len(self.subscriptions) >= MAX_SUBSCRIPTIONS
        ):
            raise FrameError(
                "rate_limited", f"At most {MAX_SUBSCRIPTIONS} streams per socket."
            )
        kind, key = parsed
        allowed, space_id = await database_sync_to_async(self._check)(kind, key)
        if not allowed:
            raise FrameError("not_found", "No such stream.")
        # Join before reading the backlog: an event committed in between reaches
        # us through the group, and the client de-duplicates it by seq.
        self.subscriptions[stream] = (kind, key, space_id)
        await self._join(streams.group_name(stream))
        if space_id is not None:
            await self._join(streams.space_group(space_id))
        # The head first: a change committed while the backlog is read then
        # shows up in both, and the client applies it once.
        found = await database_sync_to_async(kind.heads)([key])
        head = found.get(key, {"last": 0})
        events = await database_sync_to_async(kind.backlog)(
            self.user, key, after, BACKLOG_LIMIT + 1, since
        )
        new = [event for event in events if event.get("type") == "message"]
        truncated = len(new) > BACKLOG_LIMIT
        if truncated:
            cut = new[BACKLOG_LIMIT - 1]["seq"]
            events = [
                e for e in events if not (e["type"] == "message" and e["seq"] > cut)
            ]
            new = new[:BACKLOG_LIMIT]
        for event in events:
            await self.send_json(event)
        # The stream's head, not the end of what was sent: after a cut backlog,
        # or an event lost just before, the client sees at once that it is behind.
        last = max(head.get("last", 0), new[-1]["seq"] if new else 0)
        answer = {"type": "subscribed", "stream": stream, **head, "last": last}
        if truncated:
            answer["truncated"] = True
        await self._send(answer, ref)

    def _check(self, kind: streams.StreamKind, key: str) -> tuple[bool, int | None]:
        if not kind.can_subscribe(self.user, key):
            return False, None
        return True, kind.space_of(key)

    async def on_unsubscribe(self, content, ref) -> None:
        stream = content.get("stream")
        if isinstance(stream, str) and stream in self.subscriptions:
            await self._drop(stream)

    async def on_typing(self, content, ref) -> None:
        stream = self._subscribed(content.get("stream"))
        now = time.monotonic()
        if now - self.typing_sent.get(stream, 0.0) < TYPING_INTERVAL_S:
            return  # one signal every couple of seconds is all a reader needs
        self.typing_sent[stream] = now
        await self.channel_layer.group_send(
            streams.group_name(stream),
            {
                "type": publish.EVENT,
                "stream": stream,
                "sender": self.channel_name,
                "event": {
                    "type": "typing",
                    "stream": stream,
                    "user": {
                        "username": self.user.get_username(),
                        "name": self.display_name,
                    },
                },
            },
        )

    async def on_read(self, content, ref) -> None:
        stream = self._subscribed(content.get("stream"))
        seq = content.get("seq")
        if not _is_seq(seq):
            raise FrameError("invalid", "seq must be a whole number.")
        kind, key, _ = self.subscriptions[stream]
        if kind.mark_read is not None:
            await database_sync_to_async(kind.mark_read)(self.user, key, seq)

    async def on_ping(self, content, ref) -> None:
        await self._send({"type": "pong", "heads": await self._heads()}, ref)

    HANDLERS = {
        "subscribe": on_subscribe,
        "unsubscribe": on_unsubscribe,
        "typing": on_typing,
        "read": on_read,
        "ping": on_ping,
    }

    def _subscribed(self, stream) -> str:
        if not isinstance(stream, str) or stream not in self.subscriptions:
            raise FrameError("not_found", "Subscribe to the stream first.")
        return stream

    # Messages from the channel layer ---------------------------------------------

    async def live_event(self, message) -> None:
        stream = message["stream"]
        if message.get("sender") == self.channel_name:
            return
        if stream in self.subscriptions or stream == f"user:{self.user.pk}":
            event = message["event"]
            # Fields for one person's sockets only (the author's client_id).
            own = (message.get("private") or {}).get(str(self.user.pk))
            await self.send_json({**event, **own} if own else event)

    async def live_recheck(self, message) -> None:
        """Access to a space changed: drop the streams the user may no longer see."""
        space_id = message["space"]
        for stream, (kind, key, stream_space) in list(self.subscriptions.items()):
            if stream_space != space_id:
                continue
            allowed, _ = await database_sync_to_async(self._check)(kind, key)
            if not allowed:
                await self._drop(stream)
                await self.send_json({"type": "access_revoked", "stream": stream})

    async def live_close(self, message) -> None:
        await self.close(code=message.get("code", CLOSE_DEACTIVATED))

    # Heads -----------------------------------------------------------------------

    async def _heads(self) -> dict[str, dict]:
        """Each subscribed stream's head ({"last": seq, ...}): one query per kind
        of stream, never one per stream."""
        keys: dict[str, tuple[streams.StreamKind, dict[str, str]]] = {}
        for stream, (kind, key, _) in self.subscriptions.items():
            keys.setdefault(kind.kind, (kind, {}))[1][key] = stream
        heads = {}
        for kind, streams_by_key in keys.values():
            found = await database_sync_to_async(kind.heads)(list(streams_by_key))
            for key, head in found.items():
                if key in streams_by_key:
                    heads[streams_by_key[key]] = head
        return heads

    async def _send_heads_periodically(self) -> None:
        interval = float(
            getattr(settings, "CROSSGOV_LIVE_HEADS_INTERVAL_S", HEADS_INTERVAL_S)
        )
        while True:
            # Jittered, so sockets opened together do not query together forever.
            await asyncio.sleep(interval * random.uniform(0.8, 1.2))  # noqa: S311
            if not self.subscriptions:
                continue
            try:
                await self.send_json({"type": "heads", "heads": await self._heads()})
            except Exception:
                # A database blip: the next round, or the next event, will do.
                logger.warning("live: could not send heads", exc_info=True)

    # Helpers ---------------------------------------------------------------------

    async def _join(self, group: str) -> None:
        if group not in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.add(group)

    async def _drop(self, stream: str) -> None:
        _, _, space_id = self.subscriptions.pop(stream)
        self.typing_sent.pop(stream, None)
        group = streams.group_name(stream)
        await self.channel_layer.group_discard(group, self.channel_name)
        self.groups_joined.discard(group)
        still_in_space = any(s == space_id for _, _, s in self.subscriptions.values())
        if space_id is not None and not still_in_space:
            space_group = streams.space_group(space_id)
            await self.channel_layer.group_discard(space_group, self.channel_name)
            self.groups_joined.discard(space_group)

    async def _send(self, answer: dict, ref, detail: str | None = None) -> None:
        if detail is not None:
            answer["detail"] = detail
        if ref is not None:
            answer["ref"] = ref
        await self.send_json(answer)
