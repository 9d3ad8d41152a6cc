"""Leases in the database: an exclusive role that one process at a time may hold.

A lease is one `search.models.Lease` row. Taking it is a single conditional UPDATE
("set me as holder where nobody holds it, or the holder's time ran out"), which
both SQLite and PostgreSQL apply atomically: on PostgreSQL a second UPDATE waits
for the first to commit and then re-reads the row, so it finds the new holder and
changes nothing. The holder renews the lease while it works; one that crashes or
hangs loses it when it expires, so nobody waits on a dead process for long.

Why not PostgreSQL advisory locks: they belong to a database session, which
Django's persistent connections and connection poolers share out in ways a lock
must not depend on, and SQLite has nothing like them. A lease row works the same
on both, outlives no crash by more than its expiry, and says who holds it, which
is what a second process needs to print a useful message.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from datetime import datetime, timedelta

from django.db import DatabaseError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from search.models import Lease

POLL_SECONDS = 0.2
RELEASE_ATTEMPTS = 5

logger = logging.getLogger(__name__)


class LeaseBusy(Exception):
    """Someone else holds the lease."""

    def __init__(self, name: str, holder: str, expires_at: datetime | None):
        self.name, self.holder, self.expires_at = name, holder, expires_at
        until = f" until {expires_at:%H:%M:%S %Z}" if expires_at else ""
        super().__init__(f"{name} is held by {holder or 'another process'}{until}")


class LeaseLost(Exception):
    """The lease expired while we held it and may now be someone else's."""


class DatabaseLease:
    """One attempt to hold the lease `name`, for `ttl` seconds at a time."""

    def __init__(self, name: str, *, ttl: float, purpose: str):
        self.name = name
        self.ttl = timedelta(seconds=ttl)
        # Unique per object, so one thread cannot take a lease twice and then
        # lose it to its own release.
        self.holder = (
            f"{purpose} on {socket.gethostname()} (pid {os.getpid()}, "
            f"{threading.current_thread().name}, {uuid.uuid4().hex[:8]})"
        )
        self.held = False

    def try_acquire(self) -> bool:
        """Take the lease if it is free or expired; True if we hold it now."""
        now = timezone.now()
        free = Q(holder="") | Q(expires_at__lt=now) | Q(holder=self.holder)
        values = {
            "holder": self.holder,
            "acquired_at": now,
            "expires_at": now + self.ttl,
        }
        try:
            with transaction.atomic():
                taken = Lease.objects.filter(free, name=self.name).update(**values)
                if not taken and not Lease.objects.filter(name=self.name).exists():
                    Lease.objects.bulk_create(
                        [Lease(name=self.name)], ignore_conflicts=True
                    )
                    taken = Lease.objects.filter(free, name=self.name).update(**values)
        except OperationalError:
            # SQLite reports a write lock held past its busy timeout as an error:
            # someone else is writing the lease right now, so it is not ours.
            return False
        self.held = bool(taken)
        return self.held

    def acquire(self, *, wait: float | None = 0, stop: threading.Event | None = None):
        """Take the lease, waiting up to `wait` seconds (None: until `stop` is set).

        Raises LeaseBusy, naming the holder, if it stays taken.
        """
        deadline = None if wait is None else time.monotonic() + wait
        while not self.try_acquire():
            stopping = stop is not None and stop.is_set()
            if stopping or (deadline is not None and time.monotonic() >= deadline):
                raise self.busy()
            if stop is not None:
                stop.wait(POLL_SECONDS)
            else:
                time.sleep(POLL_SECONDS)

    def renew(self) -> None:
        """Push the expiry back; raises LeaseLost if the lease is no longer ours."""
        now = timezone.now()
        renewed = Lease.objects.filter(name=self.name, holder=self.holder).update(
            expires_at=now + self.ttl
        )
        if not renewed:
            self.held = False
            raise LeaseLost(f"{self.name} expired and may be held by someone else")

    def release(self) -> None:
        """Give the lease up. A failure is only logged: the lease expires anyway,
        and a release runs in `finally` blocks, where raising would hide the
        error that brought us there."""
        self.held = False
        # A busy SQLite answers "locked" for a moment: try a few times before
        # leaving everyone else to wait out the expiry.
        for attempt in range(RELEASE_ATTEMPTS):
            try:
                Lease.objects.filter(name=self.name, holder=self.holder).update(
                    holder="", expires_at=None
                )
                return
            except OperationalError:
                time.sleep(POLL_SECONDS * (attempt + 1))
            except DatabaseError:
                break
        logger.warning("Could not release %s; it expires by itself", self.name)

    def busy(self) -> LeaseBusy:
        """The error that says who holds the lease now."""
        current = Lease.objects.filter(name=self.name).first()
        if current is None:
            return LeaseBusy(self.name, "", None)
        return LeaseBusy(self.name, current.holder, current.expires_at)
