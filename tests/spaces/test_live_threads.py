"""Thread streams over /ws/live/: access through the space's rules, catch-up after
a reconnect, revocation, and no message ever lost or doubled under churn."""

from __future__ import annotations

import asyncio
import random

import pytest
from asgiref.sync import sync_to_async
from channels.layers import channel_layers

from spaces.models import Marking, Role, Space
from spaces.services import membership_remove
from spaces.thread_services import (
    message_delete,
    message_edit,
    message_post,
    reaction_toggle,
    thread_start,
)
from tests.intranet.live.conftest import connect_as
from tests.live_events import capture_events
from tests.spaces.factories import SpaceFactory, add_member, staff

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 3
_ids = iter(range(10**6))


def cid() -> str:
    return f"live-{next(_ids):08d}"


@pytest.fixture(autouse=True)
def fresh_channel_layer(settings):
    settings.CROSSGOV_POSTS_PER_MINUTE = 10_000
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@sync_to_async
def _world(visibility=Space.Visibility.PRIVATE, marking=Marking.OFFICIAL):
    space = SpaceFactory(visibility=visibility)
    owner, member, guest, outsider = (staff() for _ in range(4))
    add_member(space, owner, Role.OWNER)
    add_member(space, member, Role.MEMBER)
    add_member(space, guest, Role.GUEST)
    thread = thread_start(
        actor=owner,
        space=space,
        title="Plan",
        body="first",
        client_id=cid(),
        marking=marking,
    )
    return space, thread, {"owner": owner, "member": member, "guest": guest,
                           "outsider": outsider}  # fmt: skip


@sync_to_async
def _post(actor, thread, body="hello"):
    message, _ = message_post(actor=actor, thread=thread, body=body, client_id=cid())
    return message.seq


async def _subscribe(communicator, stream, after=None, since=None):
    await communicator.send_json_to(
        {"type": "subscribe", "stream": stream, "after": after, "since": since}
    )
    frames = []
    while True:
        frame = await communicator.receive_json_from(TIMEOUT)
        frames.append(frame)
        if frame["type"] in ("subscribed", "error"):
            return frames


async def _open(user):
    communicator = connect_as(user)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def test_members_catch_up_after_a_reconnect_and_outsiders_cannot_subscribe():
    space, thread, people = await _world()
    stream = f"thread:{thread.pk}"
    member = await _open(people["member"])
    frames = await _subscribe(member, stream, after=None)
    assert [f.get("seq") for f in frames] == [1, None]
    await member.disconnect()

    for n in range(3):
        await _post(people["owner"], thread, f"while away {n}")

    member = await _open(people["member"])
    frames = await _subscribe(member, stream, after=1)
    assert [f.get("seq") for f in frames] == [2, 3, 4, None]
    assert frames[0]["html"] == "<p>while away 0</p>\n"
    assert frames[-1] == {
        "type": "subscribed",
        "stream": stream,
        "last": 4,
        "change": 0,
    }
    await member.disconnect()

    outsider = await _open(people["outsider"])
    refused = await _subscribe(outsider, stream)
    missing = await _subscribe(outsider, "thread:999999")
    assert [f["code"] for f in refused] == [f["code"] for f in missing] == ["not_found"]
    await outsider.disconnect()


async def test_a_client_that_was_away_gets_the_edits_deletes_and_reactions_it_missed():
    _, thread, people = await _world()
    owner, member = people["owner"], people["member"]
    stream = f"thread:{thread.pk}"
    for n in range(2):
        await _post(owner, thread, f"reply {n}")  # seq 2, 3

    @sync_to_async
    def change_while_away():
        first, second, third = thread.messages.order_by("seq")
        message_edit(actor=owner, message=first, body="first, corrected")  # 1
        reaction_toggle(actor=member, message=second, emoji="🎉")  # 2
        message_delete(actor=owner, message=third)  # 3

    await change_while_away()
    await _post(owner, thread, "new while away")  # seq 4

    member_socket = await _open(member)
    frames = await _subscribe(member_socket, stream, after=3, since=0)
    await member_socket.disconnect()
    kinds = [(f["type"], f.get("seq"), f.get("change")) for f in frames]
    assert kinds == [
        ("message_edited", 1, 1),
        ("reaction", 1, 1),
        ("message_edited", 2, 2),
        ("reaction", 2, 2),
        ("message_deleted", 3, 3),
        ("message", 4, 0),
        ("subscribed", None, 3),
    ]
    assert frames[0]["html"] == "<p>first, corrected</p>\n"
    assert frames[3]["reactions"] == [{"emoji": "🎉", "count": 1}]


async def test_a_sensitive_thread_is_not_found_for_a_guest():
    _, thread, people = await _world(marking=Marking.OFFICIAL_SENSITIVE)
    guest = await _open(people["guest"])
    frames = await _subscribe(guest, f"thread:{thread.pk}")
    assert frames == [
        {"type": "error", "code": "not_found", "detail": "No such stream."}
    ]
    await guest.disconnect()


async def test_removing_a_member_revokes_their_subscription_within_a_second():
    space, thread, people = await _world()
    stream = f"thread:{thread.pk}"
    member = await _open(people["member"])
    await _subscribe(member, stream)

    @sync_to_async
    def remove():
        membership = space.memberships.get(user=people["member"])
        membership_remove(actor=people["owner"], membership=membership)

    await remove()
    # The removal's notification comes on the same socket; the revocation must
    # follow within a second.
    frames = [await member.receive_json_from(1) for _ in range(2)]
    assert {"type": "access_revoked", "stream": stream} in frames
    await _post(people["owner"], thread, "after removal")
    assert await member.receive_nothing(0.3)
    await member.disconnect()


async def test_every_client_ends_with_every_message_once_in_order_despite_churn():
    """Readers drop and reconnect at random while others post; each keeps the
    last seq it holds, re-subscribes from it, and drops what it already has."""
    rng = random.Random(20261124)  # noqa: S311 - a reproducible test schedule
    space, thread, people = await _world(visibility=Space.Visibility.OPEN)
    stream = f"thread:{thread.pk}"
    readers = [await sync_to_async(staff)() for _ in range(6)]
    writers = [people["owner"], people["member"]]
    held: dict[int, list[int]] = {r.pk: [] for r in readers}
    sockets: dict[int, object] = {}
    total_posts = 60

    async def take(reader, frames):
        seqs = held[reader.pk]
        for frame in frames:
            seq = frame.get("seq")
            if frame["type"] != "message" or seq is None:
                continue
            last = seqs[-1] if seqs else 0
            if seq == last + 1:
                seqs.append(seq)
            elif seq > last + 1:  # a gap: ask again from what we hold
                return True
        return False

    async def connect(reader):
        sockets[reader.pk] = await _open(reader)
        seqs = held[reader.pk]
        frames = await _subscribe(
            sockets[reader.pk], stream, seqs[-1] if seqs else None
        )
        await take(reader, frames)

    async def drain(reader):
        communicator = sockets[reader.pk]
        frames = []
        while not await communicator.receive_nothing(0.01):
            frames.append(await communicator.receive_json_from(TIMEOUT))
        if await take(reader, frames):
            seqs = held[reader.pk]
            await take(reader, await _subscribe(communicator, stream, seqs[-1]))

    for reader in readers:
        await connect(reader)
    for n in range(total_posts):
        await _post(rng.choice(writers), thread, f"message {n}")
        for reader in readers:
            if rng.random() < 0.2:  # drop, then come back later
                await sockets[reader.pk].disconnect()
                await asyncio.sleep(0)
                await connect(reader)
            else:
                await drain(reader)
    for reader in readers:
        await drain(reader)
        await sockets[reader.pk].disconnect()

    expected = list(range(1, total_posts + 2))  # the opening message, then the posts
    for reader in readers:
        assert held[reader.pk] == expected


async def test_a_burst_beyond_the_channel_layer_s_capacity_loses_nothing():
    """250 messages posted while a reader is not reading: more than the in-memory
    layer's per-channel capacity (100), which then drops group messages silently,
    as channels-redis's RedisChannelLayer does. The reader notices the gap in seq,
    subscribes again from the last it holds, and ends with every message once."""
    space, thread, people = await _world(visibility=Space.Visibility.OPEN)
    stream = f"thread:{thread.pk}"
    reader = await _open(people["member"])
    held = [
        frame["seq"] for frame in await _subscribe(reader, stream) if "seq" in frame
    ]

    @sync_to_async
    def burst():
        for n in range(250):
            message_post(
                actor=people["owner"], thread=thread, body=f"burst {n}", client_id=cid()
            )

    await burst()
    for _ in range(1000):  # a bound, so a broken catch-up fails instead of hanging
        if held[-1] == 251:
            break
        if await reader.receive_nothing(0.2):
            # Quiet, and still behind: whatever was dropped is in the database.
            frames = await _subscribe(reader, stream, after=held[-1])
        else:
            frames = [await reader.receive_json_from(TIMEOUT)]
        for frame in frames:
            seq = frame.get("seq")
            if frame["type"] != "message":
                continue
            if seq == held[-1] + 1:
                held.append(seq)
    await reader.disconnect()
    assert held == list(range(1, 252))


async def test_a_message_carries_its_client_id_to_its_author_s_sockets_only():
    """A tab can match the message it shows as pending by its client_id, as soon
    as the event comes; nobody else is ever told another person's client_id."""
    _, thread, people = await _world()
    stream = f"thread:{thread.pk}"
    member, owner = people["member"], people["owner"]
    own_tab, other_tab = await _open(member), await _open(member)
    others = await _open(owner)
    for communicator in (own_tab, other_tab, others):
        await _subscribe(communicator, stream, after=1)

    @sync_to_async
    def post():
        return message_post(
            actor=member, thread=thread, body="mine", client_id="tab-client-0001"
        )[0]

    await post()
    for communicator in (own_tab, other_tab):
        event = await communicator.receive_json_from(TIMEOUT)
        assert (event["seq"], event["client_id"]) == (2, "tab-client-0001")
    seen_by_owner = await others.receive_json_from(TIMEOUT)
    assert seen_by_owner["seq"] == 2
    assert "client_id" not in seen_by_owner
    for communicator in (own_tab, other_tab, others):
        await communicator.disconnect()

    # Caught up after a reconnect, the same: the author's own only.
    own_tab, others = await _open(member), await _open(owner)
    mine = await _subscribe(own_tab, stream)
    theirs = await _subscribe(others, stream)
    assert [f.get("client_id") for f in mine] == [None, "tab-client-0001", None]
    # The owner started the thread: its first message is theirs.
    assert [f["seq"] for f in theirs if "client_id" in f] == [1]
    assert [f.get("seq") for f in theirs if "client_id" not in f] == [2, None]
    await own_tab.disconnect()
    await others.disconnect()


async def test_a_lost_last_message_shows_in_the_heads_a_pong_carries():
    """The channel layer drops the last message's event: the thread's head, in
    the pong, tells the client it is behind, and subscribing from what it holds
    brings the message. `subscribed.last` is the head too."""
    _, thread, people = await _world()
    stream = f"thread:{thread.pk}"
    member = await _open(people["member"])
    frames = await _subscribe(member, stream)
    assert frames[-1] == {
        "type": "subscribed",
        "stream": stream,
        "last": 1,
        "change": 0,
    }

    with capture_events():  # lost on the way
        await _post(people["owner"], thread, "lost on the way")
    assert await member.receive_nothing(0.2)
    await member.send_json_to({"type": "ping"})
    assert await member.receive_json_from(TIMEOUT) == {
        "type": "pong",
        "heads": {stream: {"last": 2, "change": 0}},
    }
    frames = await _subscribe(member, stream, after=1, since=0)
    assert [(f["type"], f.get("seq")) for f in frames] == [
        ("message", 2),
        ("subscribed", None),
    ]
    assert frames[-1]["last"] == 2
    await member.disconnect()
