"""Two deployments on one Redis do not hear each other's live events.

Runs only against a real Redis (REDIS_URL, as CI's second pass sets it).
"""

from __future__ import annotations

import asyncio
import os
from urllib.parse import urlsplit, urlunsplit

import pytest
from channels_redis.pubsub import RedisPubSubChannelLayer

from intranet.config import channel_layer

REDIS_URL = os.environ.get("REDIS_URL")

pytestmark = [
    pytest.mark.skipif(not REDIS_URL, reason="needs a real Redis (REDIS_URL)"),
    pytest.mark.asyncio,
]


def _with_database(url: str, number: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{number}"))


def _layer(url: str) -> RedisPubSubChannelLayer:
    return RedisPubSubChannelLayer(**channel_layer(url)["CONFIG"])


async def _received(layer, channel: str) -> dict | None:
    try:
        return await asyncio.wait_for(layer.receive(channel), timeout=0.5)
    except TimeoutError:
        return None


async def test_a_group_is_heard_only_under_the_same_database_number():
    ours = _layer(_with_database(REDIS_URL, 14))
    same = _layer(_with_database(REDIS_URL, 14))
    theirs = _layer(_with_database(REDIS_URL, 15))
    try:
        our_channel = await ours.new_channel()
        their_channel = await theirs.new_channel()
        await ours.group_add("thread.1", our_channel)
        await theirs.group_add("thread.1", their_channel)

        await same.group_send("thread.1", {"type": "message", "seq": 1})

        assert await _received(ours, our_channel) == {"type": "message", "seq": 1}
        assert await _received(theirs, their_channel) is None
    finally:
        for layer in (ours, same, theirs):
            await layer.flush()
