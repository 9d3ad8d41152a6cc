"""`manage.py seed_demo`: load a realistic demo organisation, once."""

import argparse
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.loader import SeedError, SeedSummary, seed_organisation
from demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from demo.messages_loader import MessagesSummary, seed_messages
from demo.spaces import SPACES
from demo.spaces_loader import SpacesSummary, seed_spaces

DEFAULT_PEOPLE = 300
DEFAULT_SEED = 2026
DEFAULT_BATCH_SIZE = 1000
DEFAULT_SPACES = len(SPACES)
# Enough for every space to have a few threads, few enough that a fresh
# `make run` stays quick.
DEFAULT_MESSAGES = 2000


def _at_least(minimum: int):
    def parse(text: str) -> int:
        value = int(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}")
        return value

    return parse


class Command(BaseCommand):
    help = (
        "Load a realistic demo organisation: UK-style departments and agencies, "
        "their teams, the civil service grades and professions, sites and skills, "
        "invented staff with line managers, profiles filled in as staff really do "
        "(fully, partly, not at all; fresh or stale), two sign-ins (demo, and "
        "demo-admin for the admin site), and spaces of all three kinds with "
        "members from several departments, department and team grants, and "
        "requests and invitations waiting, and discussion threads in them "
        "(--messages). The same --seed and --people always give the same "
        "people, spaces and threads; sign-in, confirmation and message dates "
        "count back from the day of seeding. Runs once: on a database that "
        "already has the demo organisation, or any departments, it changes "
        "nothing whatever the options (except to add the spaces to a demo "
        "organisation that has no spaces at all, and the messages to one that "
        "has no threads at all), and it never deletes anything. To seed a "
        "different size, start from an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--people",
            type=_at_least(0),
            default=DEFAULT_PEOPLE,
            help="Invented staff to create, besides the two demo sign-ins "
            f"(default {DEFAULT_PEOPLE}; 50,000 take well under a minute).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed for the invented people (default {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--spaces",
            type=_at_least(0),
            default=DEFAULT_SPACES,
            help=f"Spaces to create (default {DEFAULT_SPACES}, written by hand; "
            "beyond those, each team gets a space of its own, for benchmarks).",
        )
        parser.add_argument(
            "--messages",
            type=_at_least(0),
            default=DEFAULT_MESSAGES,
            help=f"Messages to post in threads across the spaces (default "
            f"{DEFAULT_MESSAGES:,}): replies, @mentions, edits, reactions and a "
            "few OFFICIAL-SENSITIVE threads in the sensitive spaces, written in "
            "bulk (1,000,000 take a few minutes; see docs/performance.md).",
        )
        parser.add_argument(
            "--index-messages",
            action="store_true",
            help="Also queue every seeded message for the search index. Off by "
            "default: the index writer takes about 340 documents a second, so a "
            "million messages would keep it busy for most of an hour. Threads "
            "are queued whenever threads have a search index.",
        )
        parser.add_argument(
            "--batch-size",
            type=_at_least(1),
            default=DEFAULT_BATCH_SIZE,
            help=f"Rows per bulk insert (default {DEFAULT_BATCH_SIZE}).",
        )
        parser.add_argument(
            "--no-progress",
            action="store_true",
            help="No progress bar (there is none anyway unless stderr is a terminal).",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with DEBUG off. The demo sign-ins have a published "
            "password, so only do this on a demonstration server.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "Refusing to seed demo data in production mode (DEBUG is off): it "
                "creates sign-ins with a published password. Use --allow-production "
                "only on a demonstration server."
            )
        verbosity = options["verbosity"]
        show_progress = (
            verbosity > 0 and not options["no_progress"] and sys.stderr.isatty()
        )
        try:
            outcome = seed_organisation(
                people=options["people"],
                seed=options["seed"],
                batch_size=options["batch_size"],
                show_progress=show_progress,
            )
            # Separate steps, so that a demo organisation seeded before it had
            # spaces, or threads, gets them too.
            spaces = seed_spaces(how_many=options["spaces"], seed=options["seed"])
            messages = seed_messages(
                how_many=options["messages"],
                seed=options["seed"],
                batch_size=options["batch_size"],
                index_messages=options["index_messages"],
                show_progress=show_progress,
            )
        except SeedError as error:
            raise CommandError(str(error)) from error
        if verbosity == 0:
            return
        if isinstance(outcome, str):
            self.stdout.write(outcome)
        else:
            self._report_organisation(outcome)
        if isinstance(spaces, SpacesSummary):
            self._report_spaces(spaces)
        elif verbosity > 1:
            self.stdout.write(spaces)
        if isinstance(messages, MessagesSummary):
            self._report_messages(messages)
        elif verbosity > 1:
            self.stdout.write(messages)
        if not isinstance(outcome, str):
            for login in DEMO_LOGINS:
                role = "administrator" if login.is_superuser else "member of staff"
                self.stdout.write(
                    f"Sign in as {login.person.username} / {DEMO_PASSWORD} ({role})"
                )

    def _report_organisation(self, outcome: SeedSummary) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {outcome.people:,} people in {outcome.departments} "
                f"departments and agencies, {outcome.teams} teams, "
                f"{outcome.grades} grades, {outcome.professions} professions, "
                f"{outcome.skills} skills and {outcome.locations} sites."
            )
        )

    def _report_spaces(self, spaces: SpacesSummary) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {spaces.spaces} spaces ({spaces.open} open, "
                f"{spaces.restricted} restricted, {spaces.private} private) with "
                f"{spaces.memberships} memberships, {spaces.grants} department and "
                f"team grants, {spaces.pending_requests} requests to join and "
                f"{spaces.pending_invitations} invitations waiting."
            )
        )

    def _report_messages(self, messages: MessagesSummary) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {messages.messages:,} messages in {messages.threads:,} "
                f"threads across {messages.spaces} spaces "
                f"({messages.sensitive_threads:,} OFFICIAL-SENSITIVE), with "
                f"{messages.edits:,} edits, {messages.reactions:,} reactions and "
                f"{messages.mentions:,} mentions; {messages.queued_for_search:,} "
                "queued for the search index."
            )
        )
