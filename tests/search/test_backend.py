"""The Whoosh backend: searchers kept open and renewed only when the index
changed, a lean schema, content hashes, and haystack's API on top."""

import threading

import haystack
import pytest
from haystack import fields
from haystack.query import SearchQuerySet
from whoosh.fields import ID, STORED, TEXT

from intranet.indexing import index_later
from profiles.models import Profile
from search.backend import HASH_FIELD, content_hash
from search.writer import drain
from tests.profiles.factories import ProfileFactory, UserFactory
from tests.search.helpers import generation, stored_document

pytestmark = pytest.mark.django_db


def backend():
    return haystack.connections["default"].get_backend()


def person(first_name, last_name, **fields):
    return ProfileFactory(
        user=UserFactory(first_name=first_name, last_name=last_name), **fields
    )


def names(query: str) -> list[str]:
    return sorted(result.name for result in SearchQuerySet().filter(content=query))


@pytest.fixture
def people():
    ada = person("Ada", "Lovelace", job_title="Analyst")
    grace = person("Grace", "Lovelace", job_title="Admiral")
    index_later(ada, grace)
    drain()
    return ada, grace


def test_one_searcher_serves_query_after_query(people):
    pool = backend().searchers()
    assert names("lovelace") == ["Ada Lovelace", "Grace Lovelace"]
    (searcher,) = pool.idle()

    for _ in range(3):
        assert SearchQuerySet().filter(content="lovelace").count() == 2
        assert names("admiral") == ["Grace Lovelace"]

    assert pool.opened == 1
    assert pool.idle() == [searcher]
    assert not searcher.is_closed


def test_a_write_is_seen_by_the_next_query_on_a_new_searcher(people):
    ada, grace = people
    pool = backend().searchers()
    assert names("lovelace") == ["Ada Lovelace", "Grace Lovelace"]
    (before,) = pool.idle()

    index_later(ada)
    ada.delete()
    drain()

    # whoosh-reloaded's Searcher.refresh() would still show Ada here.
    assert names("lovelace") == ["Grace Lovelace"]
    assert pool.opened == 2
    (after,) = pool.idle()
    assert after is not before
    assert before.is_closed


def test_no_query_sees_merged_documents_twice(people):
    ada, grace = people
    assert names("lovelace") == ["Ada Lovelace", "Grace Lovelace"]
    # Enough small commits for Whoosh to merge segments on the way.
    for title in [f"Analyst {n}" for n in range(12)]:
        Profile.objects.filter(pk=ada.pk).update(job_title=title)
        index_later(ada)
        drain()
        assert names("lovelace") == ["Ada Lovelace", "Grace Lovelace"]


def test_threads_searching_at_once_each_have_their_own_searcher(people):
    pool = backend().searchers()
    both_in = threading.Barrier(2, timeout=10)
    used = []

    def search_at_once():
        with pool.searcher() as searcher:
            used.append(searcher)
            both_in.wait()

    threads = [threading.Thread(target=search_at_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert used[0] is not used[1]
    assert pool.opened == 2
    # Both stay open for the next queries.
    assert {id(s) for s in pool.idle()} == {id(s) for s in used}


def test_a_searcher_that_failed_is_not_lent_again(people):
    pool = backend().searchers()
    names("lovelace")
    with pytest.raises(RuntimeError):
        with pool.searcher() as searcher:
            raise RuntimeError("query failed")
    assert searcher.is_closed
    assert pool.idle() == []
    assert names("lovelace") == ["Ada Lovelace", "Grace Lovelace"]


def test_haystack_querysets_still_work(people):
    ada, grace = people
    everyone = SearchQuerySet().filter(content="lovelace")
    assert everyone.count() == 2
    assert len(everyone[0:1]) == 1
    assert sorted(int(r.pk) for r in everyone.models(Profile)) == sorted(
        [ada.pk, grace.pk]
    )
    assert [r.name for r in everyone.narrow("job_title:admiral")] == ["Grace Lovelace"]
    assert [r.name for r in everyone.filter(audience="org", job_title="analyst")] == [
        "Ada Lovelace"
    ]
    assert SearchQuerySet().filter(content="nobody").count() == 0
    assert list(SearchQuerySet().filter(content="x")) == []


def test_text_fields_are_not_sortable_nor_spelling_sources():
    schema = backend().build_schema(
        {
            "text": _field(fields.CharField(document=True), "text"),
            "name": _field(fields.CharField(), "name"),
            "slug": _field(fields.CharField(indexed=False), "slug"),
            "department_exact": _field(fields.FacetCharField(), "department_exact"),
            "created": _field(fields.DateTimeField(), "created"),
        }
    )[1]
    assert isinstance(schema["text"], TEXT)
    assert schema["text"].column_type is None
    assert not schema["text"].spelling
    assert schema["name"].column_type is None
    # Shown, never searched.
    assert isinstance(schema["slug"], STORED)
    # Facets count whole values, from a column.
    assert isinstance(schema["department_exact"], ID)
    assert schema["department_exact"].column_type is not None
    assert schema["created"].column_type is not None  # results sort by date
    assert isinstance(schema[HASH_FIELD], STORED)


def test_spelling_is_kept_when_haystack_is_asked_for_it(settings):
    settings.HAYSTACK_CONNECTIONS["default"]["INCLUDE_SPELLING"] = True
    haystack.connections.thread_local = threading.local()
    schema = backend().build_schema(
        {"text": _field(fields.CharField(document=True), "text")}
    )[1]
    assert schema["text"].spelling


def _field(field, name):
    field.set_instance_name(name)
    return field


def test_every_document_carries_the_hash_of_its_content(people, search_index_path):
    ada, _ = people
    stored = stored_document(search_index_path, ada)
    first = stored[HASH_FIELD]
    assert len(first) == 24

    index_later(ada)
    drain()
    assert stored_document(search_index_path, ada)[HASH_FIELD] == first

    Profile.objects.filter(pk=ada.pk).update(job_title="Chief Analyst")
    index_later(ada)
    drain()
    assert stored_document(search_index_path, ada)[HASH_FIELD] != first


def test_content_hash_ignores_key_order():
    assert content_hash({"a": "1", "b": "2"}) == content_hash({"b": "2", "a": "1"})
    assert content_hash({"a": "1"}) != content_hash({"a": "2"})


def test_emptying_the_index_moves_its_generation_on(people, search_index_path):
    pool = backend().searchers()
    names("lovelace")
    (searcher,) = pool.idle()
    before = generation(search_index_path)

    backend().clear()

    assert generation(search_index_path) == before + 1
    assert not searcher.up_to_date()
    assert names("lovelace") == []


def test_emptying_one_model_removes_its_documents(people, search_index_path):
    before = generation(search_index_path)
    backend().clear(models=[Profile])
    assert names("lovelace") == []
    assert generation(search_index_path) == before + 1
