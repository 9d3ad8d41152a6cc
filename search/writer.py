"""The one index writer: brings the index in line with the search outbox.

`drain()` takes up to a batch of outbox rows, oldest first, and for each object
they name asks its haystack index whether the object is still wanted
(`index_queryset()`): if so its document is written again, if not (deleted, a
leaver, no longer shown) it is removed. The whole batch is one Whoosh writer and
one commit. Only then are exactly the rows read deleted, by id: a row queued
while the batch was being written stays for the next drain, and if indexing
fails nothing is deleted, so a crash or an error loses no work. Writing a
document twice is harmless, so a row handled twice costs only time.

Whoosh allows one writer per index, and haystack's own signal-driven updates
make every request fight for its lock. Here every write to the index (draining,
`rebuild_index`, `search_reconcile`) first takes the writer lease, a row in the
database (`search.lease`): one writer at a time across every process on every
machine that shares the database, on SQLite and PostgreSQL alike, and a crashed
writer's lease runs out by itself. Whoosh's own file lock stays underneath as a
second guard. A writer that finds the lease taken waits (`wait=`) or gets
LeaseBusy, which names the holder.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from haystack import connections
from haystack.constants import DEFAULT_ALIAS
from haystack.exceptions import NotHandled
from haystack.utils import get_identifier, get_model_ct

from search.lease import DatabaseLease
from search.models import OutboxEntry

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
WRITER_LEASE = "search.writer"
# Long enough for the slowest batch (500 documents at ~340 a second); a writer
# renews it before every commit.
WRITER_LEASE_SECONDS = 60
DELETE_CHUNK = 500


class IndexingFailed(Exception):
    """A batch could not be written; its outbox rows stay queued. Already logged."""


@contextmanager
def writer_lease(*, purpose: str, wait: float | None = 0) -> Iterator[DatabaseLease]:
    """Hold the writer lease for the block; raises LeaseBusy if it stays taken."""
    lease = DatabaseLease(WRITER_LEASE, ttl=WRITER_LEASE_SECONDS, purpose=purpose)
    lease.acquire(wait=wait)
    try:
        yield lease
    finally:
        lease.release()


def drain(
    *, batch_size: int = BATCH_SIZE, wait: float | None = 0, using: str = DEFAULT_ALIAS
) -> int:
    """Index one batch of queued work; return how many outbox rows it handled.

    0 means the outbox was empty. Raises LeaseBusy if another writer holds the
    lease for longer than `wait` seconds, and IndexingFailed (after logging it) if
    the batch could not be written.
    """
    with writer_lease(purpose="search drain", wait=wait) as lease:
        rows = list(
            OutboxEntry.objects.order_by("id").values_list(
                "id", "content_type_id", "object_id"
            )[:batch_size]
        )
        if not rows:
            return 0
        wanted: dict[int, set[str]] = {}
        for _, content_type_id, object_id in rows:
            wanted.setdefault(content_type_id, set()).add(object_id)
        try:
            with write_session(using) as session:
                for content_type_id, object_ids in wanted.items():
                    _bring_in_line(session, content_type_id, object_ids, using)
                # Still ours? If the lease ran out, another writer may have
                # started: leave the commit to it.
                lease.renew()
        except Exception as exc:
            logger.exception(
                "search: indexing %d outbox rows failed; they stay queued", len(rows)
            )
            raise IndexingFailed(str(exc)) from exc
        delete_outbox_rows([row_id for row_id, _, _ in rows])
    return len(rows)


def drain_all(*, batch_size: int = BATCH_SIZE, wait: float | None = 0) -> int:
    """Drain until the outbox is empty; return how many rows were handled."""
    total = 0
    while handled := drain(batch_size=batch_size, wait=wait):
        total += handled
        if handled < batch_size:
            break
    return total


def remove_documents(
    identifiers: Iterable[str], *, wait: float | None = 0, using: str = DEFAULT_ALIAS
) -> None:
    """Take documents out of the index by haystack identifier ("app.model.pk").

    For documents the outbox cannot reach: those of a model that no longer has
    a search index.
    """
    with writer_lease(purpose="search removal", wait=wait) as lease:
        with write_session(using) as session:
            session.remove(identifiers)
            lease.renew()


@contextmanager
def write_session(using: str = DEFAULT_ALIAS):
    """One batch of writes to the index of connection `using`."""
    backend = connections[using].get_backend()
    if hasattr(backend, "write_session"):
        with backend.write_session() as session:
            yield session
    else:
        # Another haystack backend (Solr, Elasticsearch): it batches by itself.
        yield _HaystackSession(backend)


class _HaystackSession:
    def __init__(self, backend):
        self._backend = backend

    def index(self, search_index, objects: Iterable) -> None:
        objects = list(objects)
        if objects:
            self._backend.update(search_index, objects)

    def remove(self, identifiers: Iterable[str]) -> None:
        for identifier in identifiers:
            self._backend.remove(identifier)


def _bring_in_line(session, content_type_id: int, object_ids: set[str], using: str):
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return  # the model is gone from the code
    try:
        search_index = connections[using].get_unified_index().get_index(model)
    except NotHandled:
        return  # nothing of this model is indexed
    pks, gone = set(), []
    for object_id in object_ids:
        try:
            pks.add(model._meta.pk.to_python(object_id))
        except ValidationError:
            gone.append(object_id)  # no such object can exist
    found = list(search_index.index_queryset(using=using).filter(pk__in=list(pks)))
    session.index(search_index, found)
    present = {obj.pk for obj in found}
    gone.extend(str(pk) for pk in pks - present)
    session.remove(_identifiers(get_model_ct(model), gone))


def _identifiers(model_ct: str, pks: Iterable[str]) -> Iterator[str]:
    for pk in pks:
        try:
            yield get_identifier(f"{model_ct}.{pk}")
        except AttributeError:
            continue  # not an identifier haystack could have written


def delete_outbox_rows(row_ids: list[int]) -> None:
    """Delete these outbox rows (and no others: rows queued since stay)."""
    for start in range(0, len(row_ids), DELETE_CHUNK):
        OutboxEntry.objects.filter(
            id__in=row_ids[start : start + DELETE_CHUNK]
        ).delete()
