"""A photo upload through the served ASGI application: one over the photo's own
limit but under the request limit gets the photo form's message; one over the
request limit is refused before it is read."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

import asgi
from tests.profiles.factories import ProfileFactory

pytestmark = pytest.mark.django_db

CSRF = "c" * 32  # an unmasked secret: Django takes it as cookie and field alike
BOUNDARY = "photoboundary"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def one_connection():
    """As Django's test client does: a request through the ASGI app must not
    close the test's database connection, whose transaction holds the data."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def session(db):
    profile = ProfileFactory()
    client = Client()
    client.force_login(profile.user)
    return profile.user.username, client.cookies["sessionid"].value


def post_photo(session, size: int):
    """(status, answer, chunks of the body the application read)."""
    username, session_id = session
    body = (
        (
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{CSRF}\r\n--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="photo"; filename="me.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + b"\xff" * size
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )
    chunks = [body[at : at + 65536] for at in range(0, len(body), 65536)]
    path = f"/people/{username}/photo/"
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode()),
            (b"content-length", str(len(body)).encode()),
            (b"cookie", f"sessionid={session_id}; csrftoken={CSRF}".encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    taken = []
    sent = []

    async def receive():
        if len(taken) == len(chunks):
            # The client waits for its answer; it does not go away.
            await asyncio.Event().wait()
        taken.append(chunks[len(taken)])
        return {
            "type": "http.request",
            "body": taken[-1],
            "more_body": len(taken) < len(chunks),
        }

    async def send(message):
        sent.append(message)

    async_to_sync(asgi.application)(scope, receive, send)
    answer = b"".join(message.get("body", b"") for message in sent[1:])
    return sent[0]["status"], answer.decode(), len(taken)


def test_a_photo_over_its_own_limit_gets_the_photo_forms_message(session):
    status, answer, _ = post_photo(session, 6 * 1024 * 1024)

    assert status == 200
    assert "The photo must be smaller than 5 MB" in answer


def test_a_body_over_the_request_limit_is_refused_unread(session):
    status, answer, taken = post_photo(session, 11 * 1024 * 1024)

    assert status == 413
    assert "At most 10 MB can be sent at once" in answer
    assert taken == 0
