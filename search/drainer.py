"""Keeping the index writer running: in the server process, or on its own.

The embedded default is one process, so that process drains the outbox itself:
`DrainsSearchOutbox` wraps the ASGI application (asgi.py) and starts a daemon
thread the first time the application serves anything, or at ASGI lifespan
start-up where the server sends it. Starting it there rather than in
`AppConfig.ready()` keeps tests and management commands free of it. The thread
sleeps until a commit that queued work wakes it (`search.outbox.work_queued`),
so a change is searchable well within two seconds, and polls every few seconds
as well in case a wake-up was missed (work queued by another process).

In production `manage.py search_worker` runs the same loop on its own, and
SEARCH_DRAIN_IN_PROCESS is off in the web processes.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connection

from search.lease import LeaseBusy, LeaseLost
from search.outbox import work_queued
from search.writer import BATCH_SIZE, IndexingFailed, drain

logger = logging.getLogger(__name__)

# The safety-net poll of the in-process drainer; commits wake it at once.
EMBEDDED_POLL_SECONDS = 5.0
# How soon to try again when another writer (a rebuild) holds the lease.
BUSY_RETRY_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 60.0
# A sleeping loop still renews its lease this often.
HEARTBEAT_SECONDS = 10.0


def drain_until_stopped(
    stop: threading.Event,
    *,
    interval: float,
    batch_size: int = BATCH_SIZE,
    wake: threading.Event | None = None,
    heartbeat: Callable[[], None] | None = None,
    after_round: Callable[[], None] | None = None,
) -> None:
    """Drain the outbox until `stop` is set, then return.

    Sleeps `interval` seconds between rounds, or until `wake` is set. An error is
    logged and the next round waits longer each time it repeats (up to a minute),
    so a broken index neither stops the writer nor floods the log. `heartbeat`
    runs before every batch and every few seconds while sleeping (the worker
    renews its lease there); LeaseLost from it ends the loop. `after_round` runs
    after every round, before the loop sleeps.
    """
    failures = 0
    busy_logged = False
    while not stop.is_set():
        if wake is not None:
            wake.clear()
        delay = interval
        try:
            close_old_connections()
            while not stop.is_set():
                if heartbeat is not None:
                    heartbeat()
                if drain(batch_size=batch_size) < batch_size:
                    break
            failures, busy_logged = 0, False
        except LeaseLost:
            raise  # only the heartbeat's own lease: drain() wraps its own
        except LeaseBusy as busy:
            # A rebuild holds the writer for minutes: say so once, not every round.
            if not busy_logged:
                busy_logged = True
                logger.info("search: the index writer is busy (%s); waiting", busy)
            delay = min(interval, BUSY_RETRY_SECONDS)
        except IndexingFailed:
            failures += 1  # drain() has logged it
            delay = min(interval * 2**failures, MAX_BACKOFF_SECONDS)
        except Exception:
            logger.exception("search: draining the outbox failed")
            failures += 1
            delay = min(interval * 2**failures, MAX_BACKOFF_SECONDS)
        if after_round is not None:
            after_round()
        _pause(stop, wake, delay, heartbeat)


def _pause(stop, wake, seconds: float, heartbeat) -> None:
    """Sleep `seconds`, or until woken or stopped, keeping the heartbeat going."""
    signal = wake if wake is not None else stop
    deadline = time.monotonic() + seconds
    while not stop.is_set():
        remaining = deadline - time.monotonic()
        if remaining <= 0 or signal.wait(min(remaining, HEARTBEAT_SECONDS)):
            return
        if heartbeat is not None:
            heartbeat()


class InProcessDrainer:
    """The drain loop on a daemon thread of this process."""

    def __init__(
        self, *, interval: float = EMBEDDED_POLL_SECONDS, batch_size: int = BATCH_SIZE
    ):
        self.interval = interval
        self.batch_size = batch_size
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        # Set after the thread has had its first look at the outbox.
        self.caught_up = threading.Event()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        with self._lock:
            if self.running:
                return
            self._stop.clear()
            self.caught_up.clear()
            self._thread = threading.Thread(
                target=self._run, name="search-drainer", daemon=True
            )
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Finish the batch in hand and stop."""
        self._stop.set()
        work_queued.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        try:
            drain_until_stopped(
                self._stop,
                interval=self.interval,
                batch_size=self.batch_size,
                wake=work_queued,
                after_round=self.caught_up.set,
            )
        finally:
            connection.close()


_drainer = InProcessDrainer()
_atexit_registered = False


def start_in_process_drainer() -> bool:
    """Start this process's drainer if SEARCH_DRAIN_IN_PROCESS; True if running."""
    global _atexit_registered
    if not settings.SEARCH_DRAIN_IN_PROCESS:
        return False
    _drainer.start()
    if not _atexit_registered:
        _atexit_registered = True
        # Let a batch in hand finish when the server exits.
        atexit.register(_drainer.stop, 5.0)
    return True


def stop_in_process_drainer() -> None:
    _drainer.stop()


class DrainsSearchOutbox:
    """ASGI middleware: serve `app`, with this process draining the outbox."""

    def __init__(self, app):
        self.app = app
        self._started = False

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if not self._started:
            self._started = True
            start_in_process_drainer()
        await self.app(scope, receive, send)

    async def _lifespan(self, receive, send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self._started = True
                start_in_process_drainer()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await asyncio.to_thread(stop_in_process_drainer)
                await send({"type": "lifespan.shutdown.complete"})
                return
