from django.core.management import call_command
from django.core.management.base import BaseCommand
from haystack import connections
from haystack.utils import get_model_ct

from search.health import MISSING, index_state


class Command(BaseCommand):
    help = (
        "Build the search index if there is none yet, or if it was built with "
        "another schema (a search index was added or changed) or holds documents "
        "of a kind since renamed; leave a current one alone. Safe to run on "
        "every start."
    )

    def handle(self, *args, **options):
        if index_state() == MISSING:
            self.stdout.write("No search index yet: building it.")
        elif not _schema_is_current():
            self.stdout.write("The search index has an older schema: rebuilding it.")
        elif not _kinds_are_current():
            self.stdout.write(
                "The search index has documents of an older kind: rebuilding it."
            )
        else:
            self.stdout.write("Search index present.")
            return
        call_command("rebuild_index", interactive=False, verbosity=options["verbosity"])


def _schema_is_current() -> bool:
    backend = connections["default"].get_backend()
    if not hasattr(backend, "schema_matches_index"):
        return True  # not Whoosh: the search server keeps its own schema
    return backend.schema_matches_index()


def _kinds_are_current() -> bool:
    """Whether each index's documents have the kind it writes now
    (`document_kind`), as the search page and kind: ask for them."""
    connection = connections["default"]
    backend = connection.get_backend()
    if not hasattr(backend, "kinds_match_index"):
        return True  # not Whoosh: rebuild_index after renaming a kind
    kinds = {
        get_model_ct(model): index.document_kind
        for model, index in connection.get_unified_index().get_indexes().items()
        if getattr(index, "document_kind", None)
    }
    return backend.kinds_match_index(kinds)
