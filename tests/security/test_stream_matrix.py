"""Who may subscribe to which live stream, through the whole ASGI stack.

The WebSocket twin of `test_space_matrix.py`, with the same world and actors:
each actor opens /ws/live/ with their own session cookie (anonymous with none,
deactivated with the session they had before their account was closed) and
subscribes to one thread. Read a cell as:

    ok         the opening message arrives, then `subscribed`
    no         an `error` frame with code `not_found` and no content before it,
               the same answer, word for word, as for a thread that does not
               exist; the socket stays open
    4401/4403  the socket is closed with that code before any frame is read

The answers must agree with the thread page's row in the HTTP matrix: a stream
is readable exactly when its thread's page is.
"""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from asgi import application
from tests.security.world import (
    ACTORS,
    TABLE_ACTORS,
    World,
    build_world,
    start_threads,
    with_self_asserted,
)

pytestmark = pytest.mark.django_db(transaction=True)

MATRIX = """
stream     visibility   anon staff guest memb  mod owner dept team admin deact
thread     open         4401 ok    ok    ok    ok  ok    ok   ok   ok    4403
thread     restricted   4401 no    ok    ok    ok  ok    ok   ok   no    4403
thread     private      4401 no    ok    ok    ok  ok    ok   ok   no    4403
sensitive  open         4401 no    no    ok    ok  ok    no   no   no    4403
sensitive  restricted   4401 no    no    ok    ok  ok    no   no   no    4403
sensitive  private      4401 no    no    ok    ok  ok    no   no   no    4403
missing    -            4401 no    no    no    no  no    no   no   no    4403
"""

COLUMN_HEADINGS = "anon staff guest memb mod owner dept team admin deact".split()
# asgi.py builds its Origin check from ALLOWED_HOSTS at import; the test
# settings (DEBUG) allow localhost.
ORIGIN = b"http://localhost:8000"
TIMEOUT = 3
MISSING_THREAD_ID = 987654


def _rows() -> dict[tuple[str, str], dict[str, str]]:
    heading, *lines = MATRIX.strip().splitlines()
    assert heading.split()[2:] == COLUMN_HEADINGS
    rows = {}
    for line in lines:
        stream, visibility, *cells = line.split()
        rows[stream, visibility] = with_self_asserted(
            dict(zip(TABLE_ACTORS, cells, strict=True))
        )
    return rows


ROWS = _rows()


@sync_to_async
def _world() -> tuple[World, dict[str, bytes | None]]:
    world = start_threads(build_world())
    cookies: dict[str, bytes | None] = {"anonymous": None}
    for actor in ACTORS[1:]:
        client = Client()
        # force_login ignores is_active, so the deactivated actor holds the
        # session they had before their account was closed.
        client.force_login(world.user(actor))
        cookies[actor] = f"sessionid={client.cookies['sessionid'].value}".encode()
    return world, cookies


def _stream(world: World, which: str, visibility: str) -> str:
    if which == "missing":
        return f"thread:{MISSING_THREAD_ID}"
    threads = world.threads if which == "thread" else world.sensitive_threads
    return f"thread:{threads[visibility].pk}"


async def _answer(cookie: bytes | None, stream: str) -> tuple[str, list[dict]]:
    """The cell an actor earns, and the frames that led to it."""
    headers = [(b"origin", ORIGIN)]
    if cookie is not None:
        headers.append((b"cookie", cookie))
    communicator = WebsocketCommunicator(application, "/ws/live/", headers=headers)
    try:
        connected, _ = await communicator.connect(TIMEOUT)
        assert connected
        await communicator.send_json_to({"type": "ping"})
        first = await communicator.receive_output(TIMEOUT)
        if first["type"] == "websocket.close":
            return str(first["code"]), []
        await communicator.send_json_to(
            {"type": "subscribe", "stream": stream, "after": None, "ref": 1}
        )
        frames = []
        while True:
            frame = await communicator.receive_json_from(TIMEOUT)
            frames.append(frame)
            if frame["type"] == "subscribed":
                return "ok", frames
            if frame["type"] == "error":
                return "no", frames
    finally:
        await communicator.disconnect()


@pytest.mark.parametrize("row", list(ROWS), ids=" ".join)
async def test_every_actor_gets_the_expected_answer(row):
    which, visibility = row
    world, cookies = await _world()
    stream = _stream(world, which, visibility)
    _, missing_frames = await _answer(
        cookies["staff"], f"thread:{MISSING_THREAD_ID + 1}"
    )
    wrong = {}
    for actor, want in ROWS[row].items():
        got, frames = await _answer(cookies[actor], stream)
        if got != want:
            wrong[actor] = (got, want)
        elif got == "ok":
            opening, subscribed = frames
            assert opening["type"] == "message" and opening["seq"] == 1, actor
            assert subscribed == {
                "type": "subscribed",
                "stream": stream,
                "last": 1,
                "change": 0,
                "ref": 1,
            }, actor
        elif got == "no":
            # Nothing but the error, and the very error a missing thread gets.
            assert frames == missing_frames, actor
    assert not wrong, f"{which} {visibility}: (got, expected) {wrong}"
