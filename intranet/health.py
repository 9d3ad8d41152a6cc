"""Checks behind /healthz: can this process reach what it needs to serve?

The core registers its own checks (database, channel layer); other apps add theirs
from `AppConfig.ready()`, so the core never imports an app above it.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import uuid
from collections.abc import Awaitable, Callable

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connections

logger = logging.getLogger(__name__)

OK = "ok"
DOWN = "down"
CHANNEL_LAYER_TIMEOUT = 2.0

Check = Callable[[], str] | Callable[[], Awaitable[str]]
_checks: dict[str, Check] = {}


def register(name: str, check: Check) -> None:
    """Add a check; it returns "ok" or a short word for what is wrong."""
    _checks[name] = check


async def run_checks() -> dict[str, str]:
    results = {}
    for name, check in _checks.items():
        try:
            if inspect.iscoroutinefunction(check):
                results[name] = await check()
            else:
                results[name] = await sync_to_async(check)()
        except Exception:
            logger.exception("health: check %s failed", name)
            results[name] = DOWN
    return results


def check_database() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


async def check_channel_layer() -> str:
    """Send a message to a fresh channel and read it back."""
    layer = get_channel_layer()
    channel = await layer.new_channel(prefix="healthz.")
    token = uuid.uuid4().hex
    async with asyncio.timeout(CHANNEL_LAYER_TIMEOUT):
        await layer.send(channel, {"type": "healthz.ping", "token": token})
        message = await layer.receive(channel)
    return OK if message.get("token") == token else DOWN


register("database", check_database)
register("channel_layer", check_channel_layer)
