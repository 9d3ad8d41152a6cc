"""haystack's `rebuild_index`, through the one index writer, with progress bars."""

import sys

from django.core.management.base import BaseCommand, CommandError
from haystack import connections
from tqdm import tqdm

from search.lease import LeaseBusy
from search.rebuild import BATCH_SIZE, LEASE_WAIT_SECONDS, rebuild


class Command(BaseCommand):
    help = (
        "Empty the search index and index everything again from the database, "
        "model by model, while holding the index writer lease (other writers wait)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation before emptying the index.",
        )
        parser.add_argument(
            "-u",
            "--using",
            action="append",
            default=[],
            help="Rebuild only this haystack connection (may be repeated); "
            "all of them by default.",
        )
        parser.add_argument(
            "-b",
            "--batch-size",
            dest="batchsize",
            type=int,
            default=BATCH_SIZE,
            help=f"Documents per commit (default {BATCH_SIZE}).",
        )
        parser.add_argument(
            "--lock-timeout",
            type=float,
            default=LEASE_WAIT_SECONDS,
            help="Seconds to wait for another index writer to finish "
            f"(default {LEASE_WAIT_SECONDS:g}).",
        )

    def handle(self, *args, **options):
        using = options["using"] or list(connections.connections_info)
        if options["interactive"] and not self._confirmed(using):
            self.stdout.write("No action taken.")
            return
        show = options["verbosity"] >= 1
        for alias in using:
            try:
                counts = rebuild(
                    using=alias,
                    batch_size=options["batchsize"],
                    wait=options["lock_timeout"],
                    progress=_progress_bars(enabled=show),
                )
            except LeaseBusy as busy:
                raise CommandError(
                    f"The search index writer is busy: {busy}. Try again when it "
                    "has finished, or pass a longer --lock-timeout."
                ) from busy
            if show:
                total = sum(counts.values())
                self.stdout.write(
                    f"Indexed {total} document{'s' if total != 1 else ''} in '{alias}'."
                )

    def _confirmed(self, using) -> bool:
        self.stdout.write(
            "This removes everything from the search index "
            f"('{', '.join(using)}') and indexes it all again."
        )
        answer = input("Are you sure you want to continue? [y/N] ")
        return answer.strip().lower().startswith("y")


def _progress_bars(*, enabled: bool):
    def bar(label: str, total: int):
        return tqdm(
            total=total, desc=label, unit="doc", file=sys.stderr, disable=not enabled
        )

    return bar
