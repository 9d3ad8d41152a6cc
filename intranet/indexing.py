"""Queue search index work from a service, inside the service's own transaction.

    from intranet.indexing import index_later
    with transaction.atomic():
        space.save()
        index_later(space)

Apps below search call this and never import search: the search app supplies
what it does (a row in its transactional outbox, written in the caller's
transaction) from `SearchConfig.ready()`. The writer decides later what the
object's document should be.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from whoosh.analysis import SimpleAnalyzer

# What every app's search index shares, so that a person's name and a space's or
# thread's name weigh the same against a query (search.query.ranked adds up a
# word's weight in each field it matches).
NAME_BOOST = 10.0
# Whole, unstemmed words: for completing what someone is typing, and for
# correcting a misspelt name or skill against real ones.
WORDS = SimpleAnalyzer()

Queue = Callable[[type[models.Model], Iterable], None]

_queue: Queue | None = None


def register_queue(queue: Queue) -> None:
    """Called once, by the search app: `queue(model, ids)` records the work."""
    global _queue
    _queue = queue


def index_later(*objects: models.Model) -> None:
    """Bring these objects' search documents in line with the database, soon.

    Call it for a change, a deletion (before or after the delete: only the class
    and primary key are kept) or anything that changes who may see the object.
    """
    by_model: dict[type[models.Model], list] = {}
    for obj in objects:
        by_model.setdefault(type(obj), []).append(obj.pk)
    for model, ids in by_model.items():
        index_ids_later(model, ids)


def index_ids_later(model: type[models.Model], ids: Iterable) -> None:
    """`index_later` for many objects of one model, by primary key."""
    if _queue is None:
        # Silently dropping the work would leave the index stale for good.
        raise ImproperlyConfigured(
            "Nothing records search index work: the search app is not installed."
        )
    _queue(model, ids)
