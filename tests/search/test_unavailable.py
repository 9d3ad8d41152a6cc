"""A broken, missing, empty or locked index never makes a page fail: the search
page says search is being rebuilt, the autocomplete answers an empty list, and
the rest of the site works."""

import shutil
import threading

import haystack
import pytest
from pytest_django.asserts import assertContains, assertNotContains
from whoosh.index import open_dir

from search.backend import close_searchers
from tests.search.corpus import index_everything, person

pytestmark = pytest.mark.django_db

REBUILDING = "Search is being rebuilt"


@pytest.fixture
def ada():
    profile = person("ada.lovelace", "Ada", "Lovelace", key=["Procurement law"])
    index_everything()
    return profile.user


def fresh_backend():
    """As a newly started process finds the index: nothing open, nothing set up."""
    close_searchers()
    haystack.connections.thread_local = threading.local()


def test_a_corrupt_index(client, ada, search_index_path):
    for toc in search_index_path.glob("_MAIN_*.toc"):
        toc.write_bytes(b"broken")
    fresh_backend()
    client.force_login(ada)

    page = client.get("/search/", {"q": "lovelace"})
    assert page.status_code == 200
    assertContains(page, REBUILDING)

    answer = client.get("/search/suggest/", {"q": "lov"})
    assert answer.status_code == 503
    assert answer.json() == {"results": [], "unavailable": True}
    assert client.get("/people/").status_code == 200


def test_an_index_deleted_under_a_running_process(client, ada, search_index_path):
    client.force_login(ada)
    assertContains(client.get("/search/", {"q": "lovelace"}), "Ada Lovelace")
    close_searchers()
    shutil.rmtree(search_index_path)

    page = client.get("/search/", {"q": "lovelace"})
    assert page.status_code == 200
    assertContains(page, REBUILDING)
    assert client.get("/search/suggest/", {"q": "lov"}).status_code == 503
    assert client.get("/people/").status_code == 200


def test_a_missing_index_is_being_rebuilt(client, ada, search_index_path):
    shutil.rmtree(search_index_path)
    fresh_backend()
    client.force_login(ada)

    page = client.get("/search/", {"q": "lovelace"})
    assert page.status_code == 200
    assertContains(page, REBUILDING)
    assertNotContains(page, "No results found")
    answer = client.get("/search/suggest/", {"q": "lov"})
    assert answer.status_code == 200
    assert answer.json() == {"results": []}


def test_an_empty_index_is_being_rebuilt(client, ada):
    haystack.connections["default"].get_backend().clear()
    client.force_login(ada)
    assertContains(client.get("/search/", {"q": "lovelace"}), REBUILDING)


def test_a_locked_index_is_still_read(client, ada, search_index_path):
    lock = open_dir(str(search_index_path)).lock("WRITELOCK")
    assert lock.acquire()
    try:
        client.force_login(ada)
        page = client.get("/search/", {"q": "lovelace"})
        assertContains(page, "Ada Lovelace")
        assertNotContains(page, REBUILDING)
        labels = [
            r["label"]
            for r in client.get("/search/suggest/", {"q": "lov"}).json()["results"]
        ]
        assert labels == ["Ada Lovelace"]
    finally:
        lock.release()


def test_no_results_in_a_built_index_is_not_a_rebuild(client, ada):
    client.force_login(ada)
    page = client.get("/search/", {"q": "zebra"})
    assertContains(page, "No results found for ‘zebra’")
    assertNotContains(page, REBUILDING)
