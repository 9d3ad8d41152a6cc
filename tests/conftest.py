import importlib
import threading

import haystack
import pytest
from django.db import connection

from search import access
from search.backend import close_searchers
from tests.live_events import CapturedEvents, capture_events
from tests.worker_services import isolate_worker


def pytest_configure(config):
    isolate_worker()


@pytest.fixture
def captured_events() -> CapturedEvents:
    """The live events the test's services publish, captured instead of sent."""
    with capture_events() as captured:
        yield captured


@pytest.fixture(autouse=True)
def search_index_path(settings, tmp_path):
    """Each test gets its own empty Whoosh directory, never the developer's var/."""
    path = tmp_path / "whoosh"
    settings.HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": settings.HAYSTACK_CONNECTIONS["default"]["ENGINE"],
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
    # The backend keeps searchers open for the whole process, one pool per index.
    close_searchers()


@pytest.fixture(autouse=True)
def search_audiences_afresh():
    """Audience tokens are cached per user id, and ids repeat from test to test:
    start every test on a new access generation."""
    access.bump()


@pytest.fixture(autouse=True)
def audit_log_flushable(request):
    """Let transactional tests empty an audit log that refuses DELETE.

    After a transactional test Django empties every table: PostgreSQL with TRUNCATE,
    which the append-only triggers allow, SQLite row by row, which they refuse. So
    on SQLite the audit events go first, with the triggers lifted just for that.
    """
    transactional = request.node.get_closest_marker("django_db")
    uses_live_db = "live_server" in request.fixturenames or (
        transactional is not None and transactional.kwargs.get("transaction")
    )
    if not uses_live_db:
        yield
        return
    # Requested here so that this fixture's teardown runs before the flush.
    request.getfixturevalue("transactional_db")
    yield
    if connection.vendor != "sqlite":
        return
    triggers = importlib.import_module("intranet.migrations.0003_audit_append_only")
    with connection.cursor() as cursor:
        for statement in triggers.SQLITE_DROP:
            cursor.execute(statement)
        cursor.execute("DELETE FROM intranet_auditevent")
        cursor.execute("DELETE FROM intranet_auditchainhead")
        for statement in triggers.SQLITE_CREATE:
            cursor.execute(statement)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: rate-limit counters and cached
    permissions must not leak from one test into the next (user ids repeat)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def no_search_drainer_thread(settings):
    """The embedded drainer is a thread of the serving process; in tests a request
    through asgi.py must not start one writing beside the test's own database
    connection. The freshness tests start it themselves."""
    settings.SEARCH_DRAIN_IN_PROCESS = False


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, and at the end of the run nobody left connected to it.

    Consumers reach the database from asgiref's worker threads, whose
    connections outlive the tests that used them (CONN_MAX_AGE); on PostgreSQL
    they would stop the test database from being dropped."""
    yield
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
