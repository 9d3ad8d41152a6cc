from django.core.management import call_command
from django.core.management.base import BaseCommand

from search.health import MISSING, index_state


class Command(BaseCommand):
    help = (
        "Build the search index if there is none yet; leave an existing one alone. "
        "Safe to run on every start."
    )

    def handle(self, *args, **options):
        if index_state() != MISSING:
            self.stdout.write("Search index present.")
            return
        self.stdout.write("No search index yet: building it.")
        call_command("rebuild_index", interactive=False, verbosity=options["verbosity"])
