"""Keep parallel test workers (pytest-xdist) apart on a shared Redis.

PostgreSQL needs nothing: pytest-django gives each worker its own test database.
Redis does: every worker would flush the same cache (`cache.clear()` is FLUSHDB)
and hear the same pub/sub groups (`thread.<id>`, with ids repeating from database
to database). So worker N uses Redis database N + 1; the channel layer's prefix
follows the database number, and subprocesses inherit the worker's URL.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

from intranet import config


def worker_redis_url(redis_url: str, worker: str) -> str:
    """`redis_url` moved to the database of xdist worker `worker` ("gw3" → 4)."""
    number = int(worker.removeprefix("gw")) + 1
    parts = urlsplit(redis_url)
    return urlunsplit(parts._replace(path=f"/{number}"))


def isolate_worker() -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    redis_url = os.environ.get("REDIS_URL", "").strip()
    if not worker or not redis_url:
        return
    url = worker_redis_url(redis_url, worker)
    os.environ["REDIS_URL"] = url
    settings.CACHES = {"default": config.cache(url)}
    settings.CHANNEL_LAYERS = {"default": config.channel_layer(url)}
