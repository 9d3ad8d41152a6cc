"""The transactional outbox: index work recorded in the caller's transaction.

Apps below search queue work through `intranet.indexing`, which this module
serves (registered in `SearchConfig.ready()`); search's own code and tests may
call it directly. It knows models and content types, nothing about the apps.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models, router, transaction

from search.models import OutboxEntry

# Set once a transaction that queued work commits, so that an in-process writer
# (search.drainer) can index it at once instead of at its next poll.
work_queued = threading.Event()


def index_ids_later(model: type[models.Model], ids: Iterable) -> None:
    """Record index work for these objects of one model, by primary key."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    entries = OutboxEntry.objects.bulk_create(
        [
            OutboxEntry(content_type=content_type, object_id=str(pk))
            for pk in dict.fromkeys(ids)
            if pk is not None
        ],
        batch_size=1000,
    )
    if entries:
        transaction.on_commit(work_queued.set, using=router.db_for_write(OutboxEntry))
