"""The core's "index this later" call: apps below search queue index work
through it, and the search app's outbox records it."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from intranet import indexing
from profiles.models import Department
from search import outbox
from search.models import OutboxEntry
from tests.profiles.factories import DepartmentFactory


def test_the_search_app_serves_the_queue():
    assert indexing._queue is outbox.index_ids_later


@pytest.mark.django_db
def test_index_later_records_each_object_once_in_the_outbox():
    first, second = DepartmentFactory.create_batch(2)
    OutboxEntry.objects.all().delete()

    indexing.index_later(first, second, first)

    assert sorted(OutboxEntry.objects.values_list("object_id", flat=True)) == sorted(
        [str(first.pk), str(second.pk)]
    )


def test_without_a_queue_the_call_fails_loudly(monkeypatch):
    monkeypatch.setattr(indexing, "_queue", None)
    with pytest.raises(ImproperlyConfigured, match="search app is not installed"):
        indexing.index_ids_later(Department, [1])
