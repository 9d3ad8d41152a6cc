"""The backend's filters: a person's audience is worked out once per open
searcher, and a filter that lets nothing through lets nothing through."""

import pytest
from haystack.query import SearchQuerySet
from whoosh.query import Query
from whoosh.searching import Searcher

from intranet.indexing import index_later
from search.query import any_of
from search.writer import drain
from tests.search.corpus import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(monkeypatch):
    ada = person("ada.lovelace", "Ada", "Lovelace")
    index_later(ada)
    drain()
    calls = []
    original = Searcher._filter_to_comb

    def counting(searcher, obj):
        # Working a filter query out, not reading an already worked-out set.
        if isinstance(obj, Query):
            calls.append(obj)
        return original(searcher, obj)

    monkeypatch.setattr(Searcher, "_filter_to_comb", counting)
    return ada, calls


def found(tokens) -> list[str]:
    results = SearchQuerySet().narrow(any_of("audience", tokens))
    return [r.name for r in results.filter(content="lovelace")]


def test_an_audience_filter_is_built_once_per_searcher(built):
    ada, calls = built
    for _ in range(3):
        assert found(["org"]) == ["Ada Lovelace"]
    assert len(calls) == 1

    assert found(["org", "space.1"]) == ["Ada Lovelace"]
    assert len(calls) == 2

    # A write opens a new searcher: its filters are worked out afresh.
    index_later(ada)
    drain()
    assert found(["org"]) == ["Ada Lovelace"]
    assert len(calls) == 3


def test_a_filter_letting_nothing_through_finds_nothing(built):
    results = SearchQuerySet().narrow(any_of("audience", ["space.99"]))
    results = results.filter(content="lovelace")
    assert list(results) == []
    assert results.count() == 0
