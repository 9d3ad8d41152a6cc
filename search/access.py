"""A user's audience tokens, cached until anyone's access changes.

Working a user's tokens out takes a couple of queries over spaces and guardian
permissions, and every search needs them. So they are kept in Django's cache
(shared by every process in production) under a *generation*: a number that
every change to who may see what moves on (`access_changed`, subscribed to the
core's access hook, `intranet.access`). The next query after a change reads the new
generation, finds nothing cached under it and works the tokens out again, so a
membership change takes effect on the very next query, in every process.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "search:access-generation"
# Entries of old generations are never read again; this only lets them go.
TOKENS_SECONDS = 10 * 60


def generation() -> int | None:
    """The current access generation; None if the cache cannot keep one."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A cold cache, or the counter was evicted: start from a number never
        # used before, so that tokens cached under an old generation cannot
        # come back into use.
        cache.add(GENERATION_KEY, time.time_ns())
        value = cache.get(GENERATION_KEY)
    return value


def bump() -> None:
    """Move the generation on: every cached set of tokens is out of date."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.add(GENERATION_KEY, time.time_ns())


def access_changed(using: str | None = None) -> None:
    """Say that who may see what has changed, in the current transaction.

    The generation moves on now, for queries in this transaction, and again on
    commit: a query elsewhere that read the old access while the transaction was
    open may have cached it under the first new generation.
    """
    bump()
    transaction.on_commit(bump, using=using)


def on_access_changed(change) -> None:
    """The `intranet.access` subscriber."""
    access_changed(using=change.using)


def cached_tokens(user, compute: Callable[[object], list[str]]) -> list[str]:
    """`compute(user)`, cached for the current access generation."""
    current = generation()
    if current is None:
        return compute(user)
    key = f"search:audience:{current}:{user.pk}"
    tokens = cache.get(key)
    if tokens is None:
        tokens = compute(user)
        cache.set(key, tokens, TOKENS_SECONDS)
    return tokens
