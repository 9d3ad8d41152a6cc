"""The production index writer: `manage.py search_worker`."""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from search.drainer import drain_until_stopped
from search.lease import DatabaseLease, LeaseBusy, LeaseLost
from search.writer import BATCH_SIZE

WORKER_LEASE = "search.worker"
# A worker renews it at least every ten seconds (search.drainer.HEARTBEAT_SECONDS);
# one that dies frees the role this long after its last renewal.
WORKER_LEASE_SECONDS = 30


class Command(BaseCommand):
    help = (
        "Run the search index writer: index what the search outbox holds, until "
        "stopped with SIGTERM or Ctrl-C. Only one worker runs at a time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--wait",
            action="store_true",
            help="If another worker is running, wait and take over when it stops, "
            "instead of exiting.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between looks at the outbox when it is empty (default 1).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"Outbox rows per index commit (default {BATCH_SIZE}).",
        )

    def handle(self, *args, **options):
        stop = threading.Event()
        restore = _stop_on_signals(stop)
        try:
            self._run(stop, options)
        finally:
            restore()

    def _run(self, stop: threading.Event, options) -> None:
        lease = DatabaseLease(
            WORKER_LEASE, ttl=WORKER_LEASE_SECONDS, purpose="search_worker"
        )
        try:
            if options["wait"] and not lease.try_acquire():
                self.stdout.write(
                    f"Another search worker is running ({lease.busy().holder}): "
                    "waiting to take over when it stops."
                )
                self.stdout.flush()
            lease.acquire(wait=None if options["wait"] else 0, stop=stop)
        except LeaseBusy as busy:
            if stop.is_set():
                return  # stopped while waiting its turn
            raise CommandError(
                f"Another search worker is running ({busy.holder}). Only one may "
                "write the search index: stop that one first, or start this one "
                "with --wait to take over when it stops."
            ) from busy
        self.stdout.write(
            f"Search worker started: {lease.holder}. Stop it with SIGTERM or Ctrl-C."
        )
        self.stdout.flush()
        try:
            drain_until_stopped(
                stop,
                interval=options["interval"],
                batch_size=options["batch_size"],
                heartbeat=lease.renew,
            )
        except LeaseLost as lost:
            raise CommandError(
                f"This worker stalled and lost its turn ({lost}); another worker may "
                "have taken over. Exiting."
            ) from lost
        finally:
            lease.release()
        self.stdout.write("Search worker stopped.")


def _stop_on_signals(stop: threading.Event):
    """Set `stop` on SIGTERM and SIGINT; return what puts the old handlers back.

    Signals reach only the main thread, so elsewhere (a test calling the command
    on a thread) this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {
        signum: signal.signal(signum, lambda *_: stop.set())
        for signum in (signal.SIGTERM, signal.SIGINT)
    }

    def restore():
        for signum, handler in previous.items():
            signal.signal(signum, handler)

    return restore
