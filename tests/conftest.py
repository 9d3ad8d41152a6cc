import threading

import haystack
import pytest


@pytest.fixture(autouse=True)
def search_index_path(settings, tmp_path):
    """Each test gets its own empty Whoosh directory, never the developer's var/."""
    path = tmp_path / "whoosh"
    settings.HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
            "PATH": str(path),
        }
    }
    # haystack keeps its own copy of the setting and a backend per thread.
    saved = haystack.connections.connections_info
    haystack.connections.connections_info = settings.HAYSTACK_CONNECTIONS
    haystack.connections.thread_local = threading.local()
    yield path
    haystack.connections.connections_info = saved
    haystack.connections.thread_local = threading.local()
