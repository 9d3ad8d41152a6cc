"""Is the search index there and readable?"""

from pathlib import Path

from django.conf import settings
from whoosh import index as whoosh_index

OK = "ok"
MISSING = "missing"


def index_state() -> str:
    """ "ok" when the Whoosh index opens and can be searched, "missing" when there is
    none yet; anything else raises, and the health check reports it as down."""
    path = Path(settings.HAYSTACK_CONNECTIONS["default"]["PATH"])
    if not path.is_dir() or not whoosh_index.exists_in(str(path)):
        return MISSING
    ix = whoosh_index.open_dir(str(path))
    try:
        with ix.searcher() as searcher:
            searcher.doc_count()
    finally:
        ix.close()
    return OK
