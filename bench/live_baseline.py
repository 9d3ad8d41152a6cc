"""The baseline for bench/live.py: a bare Channels consumer doing the same group
fan-out as Crossgov's live consumer, with no database, no session, no access
check and no backlog; and a publisher feeding it with group_send.

bench/live.py starts both. By hand, with bench/ on PYTHONPATH:

    daphne -b 127.0.0.1 -p 8101 live_baseline:application
    python bench/live_baseline.py publish --streams thread:1,thread:2 \\
        --rate 20 --duration 10

Configuration comes from the environment: REDIS_URL (the channel layer, Redis
pub/sub as in production) and LIVE_BENCH_PREFIX (the channel layer's prefix:
Redis pub/sub channels ignore the database number, so a prefix of its own is
what keeps the benchmark's groups apart from anyone else's on the same Redis).

The frames are Crossgov's: the client subscribes with
`{"type": "subscribe", "stream": "thread:1", "after": null}` and receives
`message` events shaped like `spaces.events.message_event`, each `html` saying
when it was sent, so one client measures both servers alike.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from datetime import UTC, datetime

import django
from django.conf import settings

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/11"
EVENT = "live.event"  # the handler name Crossgov's consumer uses too


def channel_layers() -> dict:
    return {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [os.environ.get("REDIS_URL", DEFAULT_REDIS_URL)],
                "prefix": os.environ.get("LIVE_BENCH_PREFIX", "live-bench"),
            },
        }
    }


if not settings.configured:
    settings.configure(CHANNEL_LAYERS=channel_layers(), INSTALLED_APPS=[])
    django.setup()

from channels.generic.websocket import AsyncJsonWebsocketConsumer  # noqa: E402
from channels.layers import get_channel_layer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402


def group_name(stream: str) -> str:
    return stream.replace(":", ".", 1)


class BaselineConsumer(AsyncJsonWebsocketConsumer):
    """Join a stream's group on subscribe; relay what the group receives."""

    async def connect(self) -> None:
        self.groups_joined: set[str] = set()
        await self.accept()

    async def disconnect(self, code) -> None:
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "subscribe" and isinstance(content.get("stream"), str):
            stream = content["stream"]
            group = group_name(stream)
            if group not in self.groups_joined:
                await self.channel_layer.group_add(group, self.channel_name)
                self.groups_joined.add(group)
            after = content.get("after")
            await self.send_json(
                {"type": "subscribed", "stream": stream, "last": after or 0}
            )
        elif kind == "ping":
            await self.send_json({"type": "pong"})

    async def live_event(self, message) -> None:
        await self.send_json(message["event"])


async def _http(scope, receive, send) -> None:
    """204 to anything: bench/live.py asks over HTTP whether the server is up."""
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


application = ProtocolTypeRouter(
    {
        "http": _http,
        "websocket": URLRouter([path("ws/live/", BaselineConsumer.as_asgi())]),
    }
)


# The publisher --------------------------------------------------------------------


def message_event(stream: str, seq: int, number: int) -> dict:
    """A `message` event as Crossgov sends one, sent now."""
    return {
        "type": "message",
        "stream": stream,
        "seq": seq,
        "id": number,
        "author": {"username": "live-bench-poster", "name": "Live Bench Poster"},
        "html": f"<p>Bench message {number} sent at {time.time():.6f}</p>",
        "created_at": datetime.now(UTC).isoformat(),
        "edited_at": None,
        "deleted": False,
        "change": 0,
    }


async def publish(streams: list[str], rate: float, duration: float) -> dict:
    """group_send a message to each stream in turn, `rate` a second, numbering
    each stream's messages 1, 2, 3…; returns what was sent."""
    layer = get_channel_layer()
    seqs = dict.fromkeys(streams, 0)
    total = int(rate * duration)
    loop = asyncio.get_running_loop()
    started = loop.time()
    late = 0.0
    for number in range(total):
        due = started + number / rate
        wait = due - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        else:
            late = max(late, -wait)
        stream = streams[number % len(streams)]
        seqs[stream] += 1
        event = message_event(stream, seqs[stream], number)
        await layer.group_send(
            group_name(stream), {"type": EVENT, "stream": stream, "event": event}
        )
    return {
        "sent": total,
        "seconds": round(loop.time() - started, 3),
        "max_late_s": round(late, 3),
        "last": seqs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    publisher = commands.add_parser("publish", help="feed the baseline servers")
    publisher.add_argument("--streams", required=True, help="comma-separated")
    publisher.add_argument("--rate", type=float, required=True, help="messages/s")
    publisher.add_argument("--duration", type=float, required=True, help="seconds")
    args = parser.parse_args()
    streams = [stream for stream in args.streams.split(",") if stream]
    print(json.dumps(asyncio.run(publish(streams, args.rate, args.duration))))


if __name__ == "__main__":
    main()
