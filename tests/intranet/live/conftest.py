"""A stream kind for testing the live core without any app's content: "note:<key>"
streams whose events live in a list, readable by the users the test allows."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator

from intranet.live import streams
from intranet.live.consumer import LiveConsumer


@dataclass
class NoteStreams:
    events: dict[str, list[dict]] = field(default_factory=dict)
    readers: dict[str, set[int]] = field(default_factory=dict)
    spaces: dict[str, int] = field(default_factory=dict)
    reads: list[tuple[int, str, int]] = field(default_factory=list)

    def add(self, key: str, *, readers=(), space: int | None = None, count: int = 0):
        self.readers[key] = {user.pk for user in readers}
        if space is not None:
            self.spaces[key] = space
        self.events[key] = []
        for _ in range(count):
            self.append(key)

    def append(self, key: str) -> dict:
        seq = len(self.events[key]) + 1
        event = {"type": "message", "stream": f"note:{key}", "seq": seq}
        self.events[key].append(event)
        return event

    def kind(self) -> streams.StreamKind:
        return streams.StreamKind(
            kind="note",
            can_subscribe=lambda user, key: user.pk in self.readers.get(key, ()),
            backlog=lambda user, key, after, limit, since: [
                e for e in self.events[key] if e["seq"] > (after or 0)
            ][:limit],
            space_of=lambda key: self.spaces.get(key),
            heads=lambda keys: {
                key: {"last": len(self.events[key])}
                for key in keys
                if key in self.events
            },
            mark_read=lambda user, key, seq: self.reads.append((user.pk, key, seq)),
        )


@pytest.fixture
def notes():
    found = NoteStreams()
    streams.register(found.kind())
    yield found
    streams.unregister("note")


@pytest.fixture(autouse=True)
def fresh_channel_layer():
    # The in-memory layer keeps groups between tests otherwise.
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def connect_as(user) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(LiveConsumer.as_asgi(), "/ws/live/")
    communicator.scope["user"] = user
    return communicator
