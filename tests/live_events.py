"""What services hand the channel layer, caught before it is sent.

Services publish live events on commit (intranet.live.publish). A test that
wants to see them, or to lose them on the way as a dropped Redis message would,
captures them here: nothing else in the suite reaches into the publisher.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest


class CapturedEvents:
    """Every (group, message) handed to the channel layer, in order, unsent."""

    def __init__(self) -> None:
        # Lists that grow as events are sent, so a test can hold one and read it
        # after the commit.
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.groups: list[str] = []
        # (group, event): the event a socket would get, or the control message
        # itself (re-check, close) when it is not an event.
        self.events: list[tuple[str, dict[str, Any]]] = []

    def record(self, group: str, message: dict[str, Any]) -> None:
        self.sent.append((group, message))
        self.groups.append(group)
        self.events.append((group, message.get("event", message)))


@contextmanager
def capture_events() -> Iterator[CapturedEvents]:
    """Within the block, live events are captured instead of sent: to a socket
    they are lost, as the channel layer may lose them."""
    captured = CapturedEvents()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("intranet.live.publish._send", captured.record)
        yield captured
