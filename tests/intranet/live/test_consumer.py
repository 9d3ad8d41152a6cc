"""The live protocol at /ws/live/: auth, subscriptions with catch-up, errors that
keep the socket open, floods that close it, typing, read markers, and access that
follows changes."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.db import transaction

from intranet import safe_json
from intranet.live import publish
from intranet.live.consumer import (
    BACKLOG_LIMIT,
    CLOSE_DEACTIVATED,
    CLOSE_FLOOD,
    CLOSE_UNAUTHENTICATED,
    FLOOD_BURST,
)
from tests.intranet.live.conftest import connect_as
from tests.profiles.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 2
DEEP = f"The frame nests too deeply: at most {safe_json.MAX_DEPTH} levels of JSON."


async def _user(**kwargs):
    return await database_sync_to_async(UserFactory)(**kwargs)


async def _open(user):
    communicator = connect_as(user)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def _subscribe(communicator, stream, after=None, ref=None):
    frame = {"type": "subscribe", "stream": stream, "after": after}
    if ref is not None:
        frame["ref"] = ref
    await communicator.send_json_to(frame)
    received = []
    while True:
        answer = await communicator.receive_json_from(TIMEOUT)
        received.append(answer)
        if answer["type"] in ("subscribed", "error"):
            return received


def _commit(function, *args):
    """Run a publish call in a committed transaction, as a service would."""

    @sync_to_async
    def run():
        with transaction.atomic():
            function(*args)

    return run()


async def test_an_anonymous_socket_is_closed_with_4401():
    from django.contrib.auth.models import AnonymousUser

    communicator = connect_as(AnonymousUser())
    await communicator.connect()
    assert await communicator.receive_output(TIMEOUT) == {
        "type": "websocket.close",
        "code": CLOSE_UNAUTHENTICATED,
    }


async def test_subscribing_sends_the_backlog_after_the_given_seq_then_subscribed(notes):
    user = await _user()
    notes.add("1", readers=[user], count=5)
    communicator = await _open(user)
    received = await _subscribe(communicator, "note:1", after=2, ref="a")
    assert [frame.get("seq") for frame in received] == [3, 4, 5, None]
    assert received[-1] == {
        "type": "subscribed",
        "stream": "note:1",
        "last": 5,
        "ref": "a",
    }
    await communicator.disconnect()


async def test_a_long_backlog_is_cut_and_marked_truncated(notes):
    user = await _user()
    notes.add("1", readers=[user], count=BACKLOG_LIMIT + 20)
    communicator = await _open(user)
    received = await _subscribe(communicator, "note:1")
    assert len(received) == BACKLOG_LIMIT + 1
    # `last` is the stream's head, not the end of what was sent.
    assert received[-1] == {
        "type": "subscribed",
        "stream": "note:1",
        "last": BACKLOG_LIMIT + 20,
        "truncated": True,
    }
    assert received[-2]["seq"] == BACKLOG_LIMIT
    await communicator.disconnect()


async def test_a_forbidden_stream_answers_exactly_as_a_missing_one(notes):
    user, other = await _user(), await _user()
    notes.add("secret", readers=[other], count=3)
    communicator = await _open(user)
    forbidden = await _subscribe(communicator, "note:secret", ref=1)
    missing = await _subscribe(communicator, "note:nothing-here", ref=1)
    unknown_kind = await _subscribe(communicator, "vault:1", ref=1)
    assert forbidden == missing == unknown_kind
    assert forbidden == [
        {"type": "error", "code": "not_found", "detail": "No such stream.", "ref": 1}
    ]
    await communicator.disconnect()


async def test_events_reach_subscribers_after_commit_and_nobody_else(notes):
    reader, outsider = await _user(), await _user()
    notes.add("1", readers=[reader, outsider])
    notes.add("2", readers=[reader, outsider])
    subscribed = await _open(reader)
    elsewhere = await _open(outsider)
    await _subscribe(subscribed, "note:1")
    await _subscribe(elsewhere, "note:2")

    event = notes.append("1")
    await _commit(publish.publish, "note:1", event)

    assert await subscribed.receive_json_from(TIMEOUT) == event
    assert await elsewhere.receive_nothing(0.2)
    await subscribed.disconnect()
    await elsewhere.disconnect()


async def test_an_event_from_a_rolled_back_transaction_is_never_sent(notes):
    user = await _user()
    notes.add("1", readers=[user])
    communicator = await _open(user)
    await _subscribe(communicator, "note:1")

    @sync_to_async
    def rolled_back():
        with transaction.atomic():
            publish.publish("note:1", {"type": "message", "seq": 1})
            transaction.set_rollback(True)

    await rolled_back()
    assert await communicator.receive_nothing(0.3)
    await communicator.disconnect()


async def test_after_unsubscribing_no_more_events_arrive(notes):
    user = await _user()
    notes.add("1", readers=[user])
    communicator = await _open(user)
    await _subscribe(communicator, "note:1")
    await communicator.send_json_to({"type": "unsubscribe", "stream": "note:1"})
    await communicator.send_json_to({"type": "ping", "ref": "p"})
    assert await communicator.receive_json_from(TIMEOUT) == {
        "type": "pong",
        "heads": {},
        "ref": "p",
    }
    await _commit(publish.publish, "note:1", notes.append("1"))
    assert await communicator.receive_nothing(0.3)
    await communicator.disconnect()


@pytest.mark.parametrize(
    ("frame", "detail"),
    [
        ("not json", "The frame is not valid JSON."),
        ("[1, 2]", "A frame is a JSON object with a type."),
        ('{"type": "launch"}', "Unknown frame type."),
        ('{"no": "type"}', "Unknown frame type."),
        (
            '{"type": "subscribe", "stream": "note:1", "after": "x"}',
            "after must be a whole number or null.",
        ),
        (
            '{"type": "subscribe", "stream": "note:1", "after": -1}',
            "after must be a whole number or null.",
        ),
        ('{"type": "subscribe", "stream": 42}', "No such stream."),
        ('{"type": "typing", "stream": "note:1"}', "Subscribe to the stream first."),
        (
            json.dumps({"type": "ping", "padding": "x" * (64 * 1024)}),
            "The frame may be at most 64 KB.",
        ),
        ("[" * 30000 + "]" * 30000, DEEP),
        ('{"type": "ping", "x": ' + "[" * 40 + "]" * 40 + "}", DEEP),
    ],
)
async def test_a_bad_frame_gets_an_error_and_the_socket_stays_open(
    notes, frame, detail
):
    user = await _user()
    notes.add("1", readers=[user])
    communicator = await _open(user)
    await communicator.send_to(text_data=frame)
    answer = await communicator.receive_json_from(TIMEOUT)
    assert answer["type"] == "error"
    assert answer["detail"] == detail
    assert answer["code"] in ("invalid", "not_found")
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from(TIMEOUT) == {
        "type": "pong",
        "heads": {},
    }
    await communicator.disconnect()


async def test_a_binary_frame_is_refused_without_closing(notes):
    communicator = await _open(await _user())
    await communicator.send_to(bytes_data=b"\x00\x01")
    answer = await communicator.receive_json_from(TIMEOUT)
    assert (answer["code"], answer["detail"]) == ("invalid", "Send JSON text frames.")
    await communicator.disconnect()


async def test_a_flood_of_frames_closes_the_socket(notes):
    communicator = await _open(await _user())
    for _ in range(FLOOD_BURST * 3):
        await communicator.send_to(text_data='{"type": "ping"}')
    outputs = []
    while True:
        output = await communicator.receive_output(TIMEOUT)
        outputs.append(output)
        if output["type"] == "websocket.close":
            break
    assert outputs[-1]["code"] == CLOSE_FLOOD
    assert FLOOD_BURST <= len(outputs) - 1 < FLOOD_BURST * 3


async def test_typing_reaches_other_subscribers_but_not_the_typist(notes):
    typist, reader = await _user(first_name="Asha", last_name="Patel"), await _user()
    notes.add("1", readers=[typist, reader])
    typing_socket, reading_socket = await _open(typist), await _open(reader)
    await _subscribe(typing_socket, "note:1")
    await _subscribe(reading_socket, "note:1")
    await typing_socket.send_json_to({"type": "typing", "stream": "note:1"})
    assert await reading_socket.receive_json_from(TIMEOUT) == {
        "type": "typing",
        "stream": "note:1",
        "user": {"username": typist.username, "name": "Asha Patel"},
    }
    assert await typing_socket.receive_nothing(0.2)
    # A second signal at once is not relayed: readers need one every few seconds.
    await typing_socket.send_json_to({"type": "typing", "stream": "note:1"})
    assert await reading_socket.receive_nothing(0.2)
    await typing_socket.disconnect()
    await reading_socket.disconnect()


async def test_read_markers_go_to_the_stream_kind(notes):
    user = await _user()
    notes.add("1", readers=[user], count=3)
    communicator = await _open(user)
    await _subscribe(communicator, "note:1")
    await communicator.send_json_to({"type": "read", "stream": "note:1", "seq": 3})
    await communicator.send_json_to({"type": "read", "stream": "note:1", "seq": "3"})
    answer = await communicator.receive_json_from(TIMEOUT)
    assert (answer["code"], answer["detail"]) == (
        "invalid",
        "seq must be a whole number.",
    )
    assert notes.reads == [(user.pk, "1", 3)]
    await communicator.disconnect()


async def test_losing_access_drops_the_subscription_at_once(notes):
    user = await _user()
    notes.add("1", readers=[user], space=7)
    notes.add("2", readers=[user], space=7)
    notes.add("3", readers=[user], space=8)
    communicator = await _open(user)
    for key in ("1", "2", "3"):
        await _subscribe(communicator, f"note:{key}")

    notes.readers["1"].discard(user.pk)  # e.g. removed from space 7's thread
    await _commit(publish.access_changed, 7)

    assert await communicator.receive_json_from(1) == {
        "type": "access_revoked",
        "stream": "note:1",
    }
    await _commit(publish.publish, "note:1", notes.append("1"))
    kept = notes.append("2")
    await _commit(publish.publish, "note:2", kept)
    assert await communicator.receive_json_from(1) == kept
    await communicator.disconnect()


async def test_a_deactivated_account_s_sockets_close_with_4403():
    # `account_deactivate` sends this (tests/profiles/test_services_accounts.py).
    user = await _user()
    communicator = await _open(user)
    await _commit(publish.user_deactivated, user.pk)
    assert await communicator.receive_output(1) == {
        "type": "websocket.close",
        "code": CLOSE_DEACTIVATED,
    }


async def test_a_notification_reaches_every_socket_of_its_user_only():
    user, other = await _user(), await _user()
    first, second, others = await _open(user), await _open(user), await _open(other)
    event = {"type": "notification", "text": "Ben Lee mentioned you"}
    await _commit(publish.publish_to_user, user.pk, event)
    assert await first.receive_json_from(TIMEOUT) == event
    assert await second.receive_json_from(TIMEOUT) == event
    assert await others.receive_nothing(0.2)
    for communicator in (first, second, others):
        await communicator.disconnect()


async def test_a_pong_carries_the_head_of_every_subscribed_stream(notes):
    """The last event of a burst is lost: the client learns it is behind by
    asking, not by waiting for a later event that may never come."""
    user = await _user()
    notes.add("1", readers=[user], count=3)
    notes.add("2", readers=[user])
    notes.add("3", readers=[user], count=9)  # not subscribed: not told
    communicator = await _open(user)
    await _subscribe(communicator, "note:1", after=3)
    await _subscribe(communicator, "note:2")
    notes.append("1")  # committed, but its event never reached the socket
    await communicator.send_json_to({"type": "ping", "ref": 7})
    assert await communicator.receive_json_from(TIMEOUT) == {
        "type": "pong",
        "heads": {"note:1": {"last": 4}, "note:2": {"last": 0}},
        "ref": 7,
    }
    await communicator.disconnect()


async def test_a_socket_with_subscriptions_is_told_the_heads_periodically(
    notes, settings
):
    settings.CROSSGOV_LIVE_HEADS_INTERVAL_S = 0.1
    user = await _user()
    notes.add("1", readers=[user], count=2)
    idle = await _open(user)
    assert await idle.receive_nothing(0.4)  # nothing subscribed: nothing to say
    await idle.disconnect()

    communicator = await _open(user)
    await _subscribe(communicator, "note:1", after=2)
    notes.append("1")
    assert await communicator.receive_json_from(TIMEOUT) == {
        "type": "heads",
        "heads": {"note:1": {"last": 3}},
    }
    assert await communicator.receive_json_from(TIMEOUT) == {
        "type": "heads",
        "heads": {"note:1": {"last": 3}},
    }
    await communicator.disconnect()


async def test_private_fields_reach_only_their_user_s_sockets(notes):
    author, reader = await _user(), await _user()
    notes.add("1", readers=[author, reader])
    first, second, other = await _open(author), await _open(author), await _open(reader)
    for communicator in (first, second, other):
        await _subscribe(communicator, "note:1")
    event = notes.append("1")
    await _commit(
        lambda: publish.publish(
            "note:1", event, private={author.pk: {"client_id": "tab-00000001"}}
        )
    )
    own = {**event, "client_id": "tab-00000001"}
    assert await first.receive_json_from(TIMEOUT) == own
    assert await second.receive_json_from(TIMEOUT) == own
    assert await other.receive_json_from(TIMEOUT) == event
    for communicator in (first, second, other):
        await communicator.disconnect()
