"""`manage.py search_reconcile`: bring the index back in line with the database."""

from django.core.management.base import BaseCommand, CommandError

from search.lease import LeaseBusy
from search.reconcile import find_discrepancies, fix
from search.writer import drain_all

# The writer is usually between batches; a rebuild can take minutes.
LEASE_WAIT_SECONDS = 30.0


class Command(BaseCommand):
    help = (
        "Find documents missing from the search index, stale in it, or left over "
        "for objects that are gone or no longer indexed; queue them for the index "
        "writer and index them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count what is wrong; change nothing.",
        )

    def handle(self, *args, **options):
        try:
            findings = find_discrepancies()
        except NotImplementedError as exc:
            raise CommandError(str(exc)) from exc
        totals = {"missing": 0, "stale": 0, "orphaned": 0}
        for label, counts in findings.counts().items():
            self.stdout.write(
                f"{label}: {counts['missing']} missing, {counts['stale']} stale, "
                f"{counts['orphaned']} orphaned"
            )
            for kind, count in counts.items():
                totals[kind] += count
        self.stdout.write(
            f"Total: {totals['missing']} missing, {totals['stale']} stale, "
            f"{totals['orphaned']} orphaned."
        )
        if options["dry_run"] or not findings.total:
            if options["dry_run"]:
                self.stdout.write("Dry run: nothing changed.")
            return
        try:
            queued = fix(findings)
            indexed = drain_all(wait=LEASE_WAIT_SECONDS)
        except LeaseBusy as busy:
            raise CommandError(
                f"The search index writer is busy ({busy}). What was found is "
                "queued in the outbox, and the writer will index it when free."
            ) from busy
        self.stdout.write(
            f"Queued {queued} for the index writer; it has handled {indexed} "
            "outbox entries."
        )
