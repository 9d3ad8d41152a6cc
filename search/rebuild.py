"""Building the whole index again from the database (`manage.py rebuild_index`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext

from django.db.models import QuerySet
from haystack import connections
from haystack.constants import DEFAULT_ALIAS
from haystack.utils import get_model_ct

from search.models import OutboxEntry
from search.writer import delete_outbox_rows, write_session, writer_lease

# One commit per batch: ~3 seconds of indexing, well inside the writer lease.
BATCH_SIZE = 1000
# Draining takes the writer lease for a batch at a time: a rebuild waits this
# long for one to finish.
LEASE_WAIT_SECONDS = 60.0

Progress = Callable[[str, int], AbstractContextManager]


def rebuild(
    *,
    using: str = DEFAULT_ALIAS,
    batch_size: int = BATCH_SIZE,
    wait: float | None = LEASE_WAIT_SECONDS,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Empty the index and index everything each search index wants, model by
    model, committing every `batch_size` documents, under the writer lease.

    `progress(label, total)` gives a context manager with `update(n)` (a tqdm bar)
    for each model. Returns the number of objects indexed per model ("app.model").
    Raises LeaseBusy if the writer lease stays taken for `wait` seconds.
    """
    with writer_lease(purpose="rebuild_index", wait=wait) as lease:
        # Work queued before now is covered by what the rebuild reads; work
        # queued from now on may not be, so only these rows go at the end.
        covered = list(OutboxEntry.objects.values_list("id", flat=True))
        connections[using].get_backend().clear()
        counts = {}
        unified = connections[using].get_unified_index()
        for model, search_index in sorted(
            unified.get_indexes().items(), key=lambda item: get_model_ct(item[0])
        ):
            label = get_model_ct(model)
            queryset = search_index.index_queryset(using=using)
            counts[label] = 0
            bar = progress(label, queryset.count()) if progress else nullcontext()
            with bar:
                for chunk in in_batches(queryset, batch_size):
                    lease.renew()
                    with write_session(using) as session:
                        session.index(search_index, chunk)
                    counts[label] += len(chunk)
                    if progress:
                        bar.update(len(chunk))
        delete_outbox_rows(covered)
    return counts


def in_batches(queryset: QuerySet, size: int) -> Iterator[list]:
    """The queryset's objects in lists of `size`, by primary key: each batch is
    one query (plus its prefetches), however large the table."""
    queryset = queryset.order_by("pk")
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        batch = list(page[:size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk
