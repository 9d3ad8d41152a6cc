"""The embedded default: the server process drains the outbox itself, and a
change is searchable within two seconds of its commit."""

import asyncio
import time

import pytest

import asgi
from intranet.indexing import index_later
from profiles.services.editing import profile_update
from search import drainer
from search.drainer import DrainsSearchOutbox, InProcessDrainer
from search.selectors import audience_tokens, search
from search.writer import drain
from tests.profiles.factories import ProfileFactory, UserFactory

FRESH_WITHIN_SECONDS = 2.0


@pytest.mark.django_db(transaction=True)
def test_a_change_is_searchable_within_two_seconds_of_its_commit():
    viewer = ProfileFactory().user
    ada = ProfileFactory(
        user=UserFactory(first_name="Ada", last_name="Lovelace"), job_title="Analyst"
    )
    index_later(ada)
    drain()
    audience_tokens(viewer)
    # Its poll alone would come far too late: only the commit can wake it in time.
    running = InProcessDrainer(interval=60)
    running.start()
    try:
        assert running.caught_up.wait(10)
        assert list(search(user=viewer, query="quantum cryptographer")) == []

        profile_update(
            actor=ada.user, profile=ada, changes={"job_title": "Quantum cryptographer"}
        )
        committed = time.monotonic()
        found = []
        while not found and time.monotonic() - committed < FRESH_WITHIN_SECONDS:
            found = [r.pk for r in search(user=viewer, query="quantum cryptographer")]
            time.sleep(0.02)
    finally:
        running.stop()

    assert found == [str(ada.pk)]
    assert not running.running


def test_serving_starts_the_drainer_only_when_the_setting_says(settings):
    served = []

    async def app(scope, receive, send):
        served.append(scope["type"])

    settings.SEARCH_DRAIN_IN_PROCESS = False
    with_drainer = DrainsSearchOutbox(app)
    _run(with_drainer({"type": "http"}, None, None))
    assert served == ["http"]
    assert not drainer._drainer.running


@pytest.mark.django_db(transaction=True)
def test_the_first_connection_served_starts_the_drainer(settings):
    async def app(scope, receive, send):
        pass

    settings.SEARCH_DRAIN_IN_PROCESS = True
    assert not drainer._drainer.running
    try:
        _run(DrainsSearchOutbox(app)({"type": "websocket"}, None, None))
        assert drainer._drainer.running
    finally:
        drainer.stop_in_process_drainer()
    assert not drainer._drainer.running


@pytest.mark.django_db(transaction=True)
def test_lifespan_starts_and_stops_the_drainer(settings):
    settings.SEARCH_DRAIN_IN_PROCESS = True
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent = []

    async def receive():
        message = next(messages)
        if message["type"] == "lifespan.shutdown":
            assert drainer._drainer.running
        return message

    async def send(message):
        sent.append(message["type"])

    async def inner(scope, receive, send):
        raise AssertionError("lifespan is not passed on")

    try:
        _run(DrainsSearchOutbox(inner)({"type": "lifespan"}, receive, send))
    finally:
        drainer.stop_in_process_drainer()
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert not drainer._drainer.running


def test_the_server_application_drains_but_importing_it_starts_nothing():
    assert isinstance(asgi.application, DrainsSearchOutbox)
    assert not drainer._drainer.running


def _run(coroutine):
    return asyncio.run(coroutine)
