"""The one index writer: what a drain writes, what it keeps, and who may write."""

import logging
import threading
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import OperationalError, connection
from django.utils import timezone

from intranet.indexing import index_later
from profiles.models import Department, Profile
from profiles.search_indexes import PersonIndex
from search import writer
from search.lease import DatabaseLease, LeaseBusy
from search.models import Lease, OutboxEntry
from search.outbox import index_ids_later
from search.writer import (
    WRITER_LEASE,
    IndexingFailed,
    drain,
    drain_all,
    writer_lease,
)
from tests.profiles.factories import ProfileFactory
from tests.search.helpers import generation, indexed_pks, stored_document

pytestmark = pytest.mark.django_db


def test_a_drain_indexes_what_was_queued_and_empties_the_outbox(search_index_path):
    ada, grace = ProfileFactory(), ProfileFactory()
    index_later(ada, grace)

    assert drain() == 2

    assert indexed_pks(search_index_path) == {ada.pk, grace.pk}
    assert not OutboxEntry.objects.exists()
    assert drain() == 0


def test_the_same_object_queued_many_times_is_written_once(
    search_index_path, monkeypatch
):
    ada = ProfileFactory()
    for _ in range(3):
        index_later(ada)
    prepared = []
    original = PersonIndex.full_prepare
    monkeypatch.setattr(
        PersonIndex,
        "full_prepare",
        lambda self, obj, **kw: prepared.append(obj.pk) or original(self, obj, **kw),
    )

    assert drain() == 3
    assert prepared == [ada.pk]
    assert not OutboxEntry.objects.exists()


def test_a_batch_is_one_commit_of_the_oldest_rows(search_index_path):
    first = ProfileFactory.create_batch(3)
    later = ProfileFactory.create_batch(2)
    index_later(*first)
    index_later(*later)
    drain(batch_size=1)  # creates the index
    before = generation(search_index_path)

    assert drain(batch_size=2) == 2

    assert generation(search_index_path) == before + 1
    assert indexed_pks(search_index_path) == {p.pk for p in first}
    remaining = OutboxEntry.objects.values_list("object_id", flat=True)
    assert sorted(map(int, remaining)) == sorted(p.pk for p in later)
    assert drain_all(batch_size=2) == 2
    assert indexed_pks(search_index_path) == {p.pk for p in first + later}


def test_a_changed_object_is_written_again(search_index_path):
    ada = ProfileFactory(job_title="Analyst")
    index_later(ada)
    drain()
    Profile.objects.filter(pk=ada.pk).update(job_title="Chief Analyst")
    index_later(ada)

    drain()

    assert stored_document(search_index_path, ada)["job_title"] == "Chief Analyst"


def test_a_deleted_object_leaves_the_index(search_index_path):
    ada, grace = ProfileFactory(), ProfileFactory()
    index_later(ada, grace)
    drain()
    index_later(ada)
    ada.delete()

    drain()

    assert indexed_pks(search_index_path) == {grace.pk}


def test_a_leaver_leaves_the_index(search_index_path):
    ada, grace = ProfileFactory(), ProfileFactory()
    index_later(ada, grace)
    drain()

    # Deactivating the account queues the profile (there is no offboarding
    # service yet: it happens in the admin).
    ada.user.is_active = False
    ada.user.save()
    assert OutboxEntry.objects.filter(object_id=str(ada.pk)).exists()
    drain()

    assert indexed_pks(search_index_path) == {grace.pk}


def test_rows_for_a_model_without_an_index_are_dropped(search_index_path):
    department = Department.objects.create(
        name="Cabinet Office", acronym="CO", slug="co", kind="ministerial"
    )
    index_later(department)
    ada = ProfileFactory()
    index_later(ada)

    assert drain() == 2

    assert not OutboxEntry.objects.exists()
    assert indexed_pks(search_index_path) == {ada.pk}


def test_a_key_no_object_can_have_is_removed_not_an_error(search_index_path):
    profile_type = ContentType.objects.get_for_model(Profile)
    OutboxEntry.objects.create(content_type=profile_type, object_id="not-a-number")

    assert drain() == 1
    assert not OutboxEntry.objects.exists()


def test_a_row_queued_while_a_batch_is_written_stays_for_the_next_drain(
    search_index_path, monkeypatch
):
    ada, grace = ProfileFactory(), ProfileFactory()
    index_later(ada)
    original = writer._bring_in_line

    def queue_meanwhile(*args, **kwargs):
        index_later(grace)  # someone else commits a change right now
        return original(*args, **kwargs)

    monkeypatch.setattr(writer, "_bring_in_line", queue_meanwhile)
    assert drain() == 1
    monkeypatch.setattr(writer, "_bring_in_line", original)

    assert list(OutboxEntry.objects.values_list("object_id", flat=True)) == [
        str(grace.pk)
    ]
    drain()
    assert indexed_pks(search_index_path) == {ada.pk, grace.pk}


def test_committed_work_the_writer_never_ran_is_indexed_by_the_next_drain(
    search_index_path,
):
    """A crash between commit and indexing: the rows were committed with the
    change, and nothing else remembers them."""
    ada = ProfileFactory()
    index_later(ada)
    drain()
    Profile.objects.filter(pk=ada.pk).update(job_title="Head of Data")
    index_later(ada)  # committed; then the process died before any drain

    assert stored_document(search_index_path, ada)["job_title"] != "Head of Data"
    drain()
    assert stored_document(search_index_path, ada)["job_title"] == "Head of Data"


def test_a_batch_that_fails_half_way_writes_nothing_and_keeps_its_rows(
    search_index_path, monkeypatch, caplog
):
    people = ProfileFactory.create_batch(3)
    index_later(*people)
    broken = people[1]
    original = PersonIndex.full_prepare

    def fail_on_one(self, obj, **kwargs):
        if obj.pk == broken.pk:
            raise RuntimeError("disk full")
        return original(self, obj, **kwargs)

    monkeypatch.setattr(PersonIndex, "full_prepare", fail_on_one)
    with caplog.at_level(logging.ERROR, logger="search.writer"):
        with pytest.raises(IndexingFailed, match="disk full"):
            drain()

    assert OutboxEntry.objects.count() == 3
    assert indexed_pks(search_index_path) == set()
    assert "3 outbox rows failed; they stay queued" in caplog.text
    # The lease went back: the next drain can run.
    assert Lease.objects.get(name=WRITER_LEASE).holder == ""

    monkeypatch.setattr(PersonIndex, "full_prepare", original)
    assert drain() == 3
    assert indexed_pks(search_index_path) == {p.pk for p in people}
    assert not OutboxEntry.objects.exists()


def test_a_second_writer_is_refused_and_told_who_writes(search_index_path):
    index_later(ProfileFactory())
    with writer_lease(purpose="rebuild_index") as held:
        with pytest.raises(LeaseBusy) as refused:
            drain()
        assert refused.value.holder == held.holder
        assert "rebuild_index on" in str(refused.value)
        assert OutboxEntry.objects.count() == 1

    assert drain() == 1


def test_a_second_writer_may_wait_for_the_first(search_index_path):
    index_later(ProfileFactory())
    # A writer that stops renewing: its lease runs out in a moment.
    DatabaseLease(WRITER_LEASE, ttl=0.3, purpose="slow writer").acquire()
    with pytest.raises(LeaseBusy):
        drain()

    assert drain(wait=5) == 1


def test_an_expired_lease_is_taken_over(search_index_path):
    stalled = DatabaseLease(WRITER_LEASE, ttl=60, purpose="stalled writer")
    stalled.acquire()
    Lease.objects.filter(name=WRITER_LEASE).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    index_later(ProfileFactory())

    assert drain() == 1


def test_a_writer_that_lost_its_lease_does_not_commit(search_index_path, monkeypatch):
    ada = ProfileFactory()
    index_later(ada)
    original = writer._bring_in_line

    def stall_and_lose_the_lease(*args, **kwargs):
        original(*args, **kwargs)
        Lease.objects.filter(name=WRITER_LEASE).update(holder="a newer writer")

    monkeypatch.setattr(writer, "_bring_in_line", stall_and_lose_the_lease)
    with pytest.raises(IndexingFailed, match="expired"):
        drain()

    assert indexed_pks(search_index_path) == set()
    assert OutboxEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_writers_never_write_at_once(search_index_path, monkeypatch):
    people = ProfileFactory.create_batch(12)
    index_ids_later(Profile, [p.pk for p in people])
    writing = 0
    most_at_once = 0
    refusals = 0
    counter = threading.Lock()
    original = writer.write_session

    @contextmanager
    def watched(using):
        nonlocal writing, most_at_once
        with counter:
            writing += 1
            most_at_once = max(most_at_once, writing)
        try:
            # Hold the writer a while, so an overlap would show.
            time.sleep(0.05)
            with original(using) as session:
                yield session
        finally:
            with counter:
                writing -= 1

    monkeypatch.setattr(writer, "write_session", watched)

    def keep_draining():
        nonlocal refusals
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    if not OutboxEntry.objects.exists():
                        return
                    drain(batch_size=2)
                except LeaseBusy:
                    with counter:
                        refusals += 1
                    time.sleep(0.01)
                except (IndexingFailed, OperationalError):
                    # In-memory SQLite shared between threads reports a table
                    # another connection is writing as locked; try again.
                    time.sleep(0.01)
        finally:
            connection.close()

    threads = [threading.Thread(target=keep_draining) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert most_at_once == 1
    assert refusals > 0  # they did contend
    assert not OutboxEntry.objects.exists()
    assert indexed_pks(search_index_path) == {p.pk for p in people}
