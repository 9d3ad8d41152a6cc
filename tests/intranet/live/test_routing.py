"""/ws/live/ through the whole ASGI stack: the Origin check and session sign-in."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from asgi import application
from intranet.live.consumer import CLOSE_DEACTIVATED, CLOSE_UNAUTHENTICATED
from tests.profiles.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def _session_cookie(*, active: bool = True) -> bytes:
    user = UserFactory()
    client = Client()
    client.force_login(user)
    if not active:
        user.is_active = False
        user.save()
    return f"sessionid={client.cookies['sessionid'].value}".encode()


# asgi.py builds its Origin check from ALLOWED_HOSTS once, at import; in the test
# settings (DEBUG) Django allows localhost.
ALLOWED_ORIGIN = b"http://localhost:8000"


def _communicator(*headers) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, "/ws/live/", headers=list(headers))


async def test_a_signed_in_session_from_an_allowed_origin_connects():
    cookie = await _session_cookie()
    communicator = _communicator((b"origin", ALLOWED_ORIGIN), (b"cookie", cookie))
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong", "heads": {}}
    await communicator.disconnect()


async def test_another_origin_is_refused_before_the_socket_opens():
    cookie = await _session_cookie()
    communicator = _communicator(
        (b"origin", b"https://evil.example.com"), (b"cookie", cookie)
    )
    connected, _ = await communicator.connect()
    assert not connected


async def test_no_session_closes_with_4401():
    communicator = _communicator((b"origin", ALLOWED_ORIGIN))
    await communicator.connect()
    assert await communicator.receive_output() == {
        "type": "websocket.close",
        "code": CLOSE_UNAUTHENTICATED,
    }


async def test_a_deactivated_account_s_session_closes_with_4403():
    cookie = await _session_cookie(active=False)
    communicator = _communicator((b"origin", ALLOWED_ORIGIN), (b"cookie", cookie))
    await communicator.connect()
    assert await communicator.receive_output() == {
        "type": "websocket.close",
        "code": CLOSE_DEACTIVATED,
    }
