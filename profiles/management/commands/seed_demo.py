"""`manage.py seed_demo`: load a realistic demo organisation, once."""

import argparse
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from profiles.demo.loader import SeedError, seed_organisation
from profiles.demo.logins import DEMO_LOGINS, DEMO_PASSWORD

DEFAULT_PEOPLE = 300
DEFAULT_SEED = 2026
DEFAULT_BATCH_SIZE = 1000


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
        "(fully, partly, not at all; fresh or stale), and two sign-ins (demo, and "
        "demo-admin for the admin site). The same --seed and --people always give "
        "the same people; sign-in and confirmation dates count back from the day "
        "of seeding. Runs once: on a database that already has the demo "
        "organisation, or any departments, it changes nothing whatever the "
        "options, and it never deletes anything. To seed a different size, start "
        "from an empty database."
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
        try:
            outcome = seed_organisation(
                people=options["people"],
                seed=options["seed"],
                batch_size=options["batch_size"],
                show_progress=(
                    verbosity > 0 and not options["no_progress"] and sys.stderr.isatty()
                ),
            )
        except SeedError as error:
            raise CommandError(str(error)) from error
        if verbosity == 0:
            return
        if isinstance(outcome, str):
            self.stdout.write(outcome)
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {outcome.people:,} people in {outcome.departments} "
                f"departments and agencies, {outcome.teams} teams, "
                f"{outcome.grades} grades, {outcome.professions} professions, "
                f"{outcome.skills} skills and {outcome.locations} sites."
            )
        )
        for login in DEMO_LOGINS:
            role = "administrator" if login.is_superuser else "member of staff"
            self.stdout.write(
                f"Sign in as {login.person.username} / {DEMO_PASSWORD} ({role})"
            )
