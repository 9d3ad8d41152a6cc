"""Queue index work from a service, inside the service's own transaction.

    from search.outbox import index_later
    with transaction.atomic():
        space.save()
        index_later(space)

This module is the only part of `search` that other apps import: it knows models
and content types, nothing about the apps themselves, so the dependency stays a
leaf. The writer decides later what the object's document should be.
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
