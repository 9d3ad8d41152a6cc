import importlib
import threading

import haystack
import pytest
from django.db import connection


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
