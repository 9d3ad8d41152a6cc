"""Starting threads and posting in them: seq without gaps, idempotent posting,
who may do what, edits with history, tombstones, reactions, moderation, read
markers, following, notifications and live events after commit."""

from __future__ import annotations

import pytest
from django.db import transaction

from intranet.models import AuditEvent, Notification
from search.models import OutboxEntry
from spaces.errors import SpaceError
from spaces.models import GrantRole, Marking, Message, Role, Space, ThreadReader
from spaces.services import grant_create
from spaces.thread_services import (
    RateLimited,
    message_delete,
    message_edit,
    message_post,
    reaction_toggle,
    thread_mark_read,
    thread_set_follow,
    thread_set_locked,
    thread_start,
)
from tests.profiles.factories import DepartmentFactory
from tests.spaces.factories import SpaceFactory, add_member, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(captured_events):
    """The live events services hand to the channel layer, in order."""
    return captured_events.events


@pytest.fixture
def space():
    return SpaceFactory(visibility=Space.Visibility.RESTRICTED)


@pytest.fixture
def people(space):
    cast = {}
    for role in (Role.OWNER, Role.MODERATOR, Role.MEMBER, Role.GUEST):
        cast[role] = staff(user__username=f"{role}-person")
        add_member(space, cast[role], role)
    cast["outsider"] = staff(user__username="outsider")
    return cast


_ids = iter(range(10**6))


def cid() -> str:
    return f"client-{next(_ids):08d}"


def start(actor, space, **kwargs):
    fields = {"title": "Estates strategy", "body": "First thoughts", "client_id": cid()}
    return thread_start(actor=actor, space=space, **{**fields, **kwargs})


def test_messages_are_numbered_without_gaps_and_move_the_thread_on(space, people):
    thread = start(people[Role.MEMBER], space)
    for n in range(4):
        message_post(
            actor=people[Role.GUEST], thread=thread, body=f"reply {n}", client_id=cid()
        )
    assert list(thread.messages.values_list("seq", flat=True)) == [1, 2, 3, 4, 5]
    thread.refresh_from_db()
    assert thread.last_seq == 5
    assert thread.last_activity_at >= thread.created_at


def test_posting_the_same_client_id_twice_gives_back_the_first_message(space, people):
    thread = start(people[Role.MEMBER], space)
    first, created = message_post(
        actor=people[Role.GUEST], thread=thread, body="Hello", client_id="retry-0001"
    )
    again, created_again = message_post(
        actor=people[Role.GUEST], thread=thread, body="Hello", client_id="retry-0001"
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert thread.messages.count() == 2


def test_a_client_id_from_another_thread_is_refused(space, people):
    member = people[Role.MEMBER]
    one, other = start(member, space), start(member, space, title="Other")
    message_post(actor=member, thread=one, body="x", client_id="shared-0001")
    with pytest.raises(SpaceError, match="used for another message"):
        message_post(actor=member, thread=other, body="x", client_id="shared-0001")


@pytest.mark.parametrize(
    ("body", "client_id", "message"),
    [
        ("   ", "good-client-id", "Write a message."),
        ("x" * 10_001, "good-client-id", "10,000 characters or fewer"),
        ("fine", "bad id!", "client id must be"),
        ("fine", "", "client id must be"),
    ],
)
def test_bad_messages_are_refused_and_nothing_is_saved(
    space, people, body, client_id, message
):
    thread = start(people[Role.MEMBER], space)
    with pytest.raises(SpaceError, match=message):
        message_post(
            actor=people[Role.MEMBER], thread=thread, body=body, client_id=client_id
        )
    assert thread.messages.count() == 1


def test_who_may_start_threads_and_reply(space, people):
    with pytest.raises(SpaceError, match="cannot start threads"):
        start(people[Role.GUEST], space)
    with pytest.raises(SpaceError, match="cannot start threads"):
        start(people["outsider"], space)
    thread = start(people[Role.MEMBER], space)
    with pytest.raises(SpaceError, match="cannot post"):
        message_post(
            actor=people["outsider"], thread=thread, body="hi", client_id=cid()
        )
    assert thread.messages.count() == 1


def test_locked_threads_and_archived_spaces_take_no_replies(space, people):
    thread = start(people[Role.MEMBER], space)
    thread_set_locked(actor=people[Role.MODERATOR], thread=thread, locked=True)
    with pytest.raises(SpaceError, match="locked"):
        message_post(
            actor=people[Role.MEMBER], thread=thread, body="x", client_id=cid()
        )
    space.archived = True
    space.save()
    with pytest.raises(SpaceError, match="archived"):
        message_post(actor=people[Role.OWNER], thread=thread, body="x", client_id=cid())
    with pytest.raises(SpaceError, match="archived"):
        start(people[Role.OWNER], space)
    assert thread.messages.count() == 1


def test_only_moderators_lock_and_locking_is_audited(space, people):
    thread = start(people[Role.MEMBER], space)
    with pytest.raises(SpaceError, match="moderators"):
        thread_set_locked(actor=people[Role.MEMBER], thread=thread, locked=True)
    thread_set_locked(actor=people[Role.MODERATOR], thread=thread, locked=True)
    event = AuditEvent.objects.get(action="thread.locked")
    assert (event.space_id, event.details) == (
        space.pk,
        {"before": False, "after": True},
    )


def test_sensitive_threads_are_for_the_space_s_own_members(space, people):
    granted = DepartmentFactory()
    grant_create(
        actor=people[Role.OWNER], space=space, role=GrantRole.MEMBER, department=granted
    )
    through_grant = staff(department=granted)
    with pytest.raises(SpaceError, match="OFFICIAL-SENSITIVE"):
        start(through_grant, space, marking=Marking.OFFICIAL_SENSITIVE)
    start(through_grant, space)  # an OFFICIAL thread is theirs to start

    thread = start(people[Role.MEMBER], space, marking=Marking.OFFICIAL_SENSITIVE)
    # Guests and grant members reply in the space, but cannot see this thread.
    for actor in (people[Role.GUEST], through_grant):
        with pytest.raises(SpaceError, match="cannot post in this thread"):
            message_post(actor=actor, thread=thread, body="x", client_id=cid())
    assert thread.messages.count() == 1


def test_an_edit_keeps_the_old_text_and_only_the_author_may_edit(space, people):
    author = people[Role.MEMBER]
    thread = start(author, space, body="Frist draft")
    message = thread.messages.get()
    with pytest.raises(SpaceError, match="Only the author"):
        message_edit(actor=people[Role.OWNER], message=message, body="hijacked")
    message_edit(actor=author, message=message, body="First draft")
    message.refresh_from_db()
    assert message.body == "First draft"
    assert message.edited_at is not None
    assert list(message.revisions.values_list("body", flat=True)) == ["Frist draft"]


def test_delete_leaves_a_tombstone_and_a_moderator_s_delete_is_audited(space, people):
    thread = start(people[Role.MEMBER], space)
    reply, _ = message_post(
        actor=people[Role.GUEST], thread=thread, body="oops", client_id=cid()
    )
    with pytest.raises(SpaceError, match="author or a moderator"):
        message_delete(actor=people[Role.MEMBER], message=reply)
    message_delete(actor=people[Role.GUEST], message=reply)
    assert not AuditEvent.objects.filter(action="thread.message.delete").exists()
    first = thread.messages.get(seq=1)
    message_delete(actor=people[Role.MODERATOR], message=first)
    assert Message.objects.filter(thread=thread).count() == 2  # tombstones stay
    assert all(m.is_deleted for m in thread.messages.all())
    event = AuditEvent.objects.get(action="thread.message.delete")
    assert event.details == {"thread": thread.pk, "seq": 1}


def test_reactions_toggle_and_only_offered_emoji_are_taken(
    space, people, published, django_capture_on_commit_callbacks
):
    thread = start(people[Role.MEMBER], space)
    message = thread.messages.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert reaction_toggle(actor=people[Role.GUEST], message=message, emoji="👍")
    assert published[-1][1] == {
        "type": "reaction",
        "stream": f"thread:{thread.pk}",
        "seq": 1,
        "reactions": [{"emoji": "👍", "count": 1}],
        "change": 1,
    }
    assert not reaction_toggle(actor=people[Role.GUEST], message=message, emoji="👍")
    with pytest.raises(SpaceError, match="reactions offered"):
        reaction_toggle(actor=people[Role.GUEST], message=message, emoji="<b>")
    assert message.reactions.count() == 0


def test_read_markers_never_go_backwards_or_past_the_end(space, people):
    thread = start(people[Role.MEMBER], space)
    for _ in range(3):
        message_post(actor=people[Role.OWNER], thread=thread, body="x", client_id=cid())
    thread.refresh_from_db()
    reader = people[Role.GUEST]
    assert thread_mark_read(actor=reader, thread=thread, seq=3) == 3
    assert thread_mark_read(actor=reader, thread=thread, seq=1) == 3
    assert thread_mark_read(actor=reader, thread=thread, seq=99) == 4
    with pytest.raises(SpaceError):
        thread_mark_read(actor=people["outsider"], thread=thread, seq=1)


def test_live_message_events_leave_only_after_commit(
    space, people, published, django_capture_on_commit_callbacks
):
    member = people[Role.MEMBER]
    thread = start(member, space)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message_post(actor=member, thread=thread, body="**kept**", client_id=cid())
        assert published == []  # not before the commit
    assert len(callbacks) >= 1
    group, event = published[-1]
    assert group == f"thread.{thread.pk}"
    assert (event["type"], event["seq"]) == ("message", 2)
    assert event["html"] == "<p><strong>kept</strong></p>\n"
    assert event["author"]["username"] == member.username


def test_a_rolled_back_post_publishes_nothing(
    space, people, published, django_capture_on_commit_callbacks
):
    member = people[Role.MEMBER]
    thread = start(member, space)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            message_post(actor=member, thread=thread, body="lost", client_id=cid())
            raise RuntimeError("the request failed after posting")
    assert published == []
    assert thread.messages.count() == 1


def test_a_rolled_back_post_queues_no_index_work(space, people):
    thread = start(people[Role.MEMBER], space)
    before = OutboxEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        message_post(
            actor=people[Role.MEMBER], thread=thread, body="x", client_id=cid()
        )
        raise RuntimeError
    assert OutboxEntry.objects.count() == before


def test_mentions_and_replies_notify_the_right_people_without_sensitive_text(
    space, people, django_capture_on_commit_callbacks
):
    author, guest = people[Role.MEMBER], people[Role.GUEST]
    outsider = people["outsider"]
    with django_capture_on_commit_callbacks(execute=True):
        thread = start(author, space, title="Budget 2027")
    with django_capture_on_commit_callbacks(execute=True):
        message_post(
            actor=guest,
            thread=thread,
            body=f"Thanks @{author.username}, cc @{outsider.username}",
            client_id=cid(),
        )
    texts = {n.recipient.username: n.text for n in Notification.objects.all()}
    # The author follows the thread they started; the outsider cannot see it.
    assert set(texts) == {author.username}
    assert "mentioned you in “Budget 2027”" in texts[author.username]

    with django_capture_on_commit_callbacks(execute=True):
        secret = start(
            author, space, title="Redundancies", marking=Marking.OFFICIAL_SENSITIVE
        )
    moderator = people[Role.MODERATOR]
    with django_capture_on_commit_callbacks(execute=True):
        message_post(
            actor=moderator,
            thread=secret,
            body=f"@{author.username} see the figures",
            client_id=cid(),
        )
    newest = Notification.objects.filter(recipient=author).first()
    assert "Redundancies" not in newest.text
    assert "figures" not in newest.text
    assert "an OFFICIAL-SENSITIVE thread" in newest.text


def test_muting_a_thread_silences_replies_and_mentions(
    space, people, django_capture_on_commit_callbacks
):
    author = people[Role.MEMBER]
    thread = start(author, space)
    thread_set_follow(actor=author, thread=thread, follow=ThreadReader.Follow.MUTED)
    with django_capture_on_commit_callbacks(execute=True):
        message_post(
            actor=people[Role.GUEST],
            thread=thread,
            body=f"@{author.username}?",
            client_id=cid(),
        )
    assert not Notification.objects.filter(recipient=author).exists()


def test_posting_too_fast_is_refused_with_a_clear_message(space, people, settings):
    settings.CROSSGOV_POSTS_PER_MINUTE = 3
    member = people[Role.MEMBER]
    thread = start(member, space)  # 1
    message_post(actor=member, thread=thread, body="2", client_id=cid())
    message_post(actor=member, thread=thread, body="3", client_id=cid())
    with pytest.raises(RateLimited, match="posting very fast"):
        message_post(actor=member, thread=thread, body="4", client_id=cid())
    assert thread.messages.count() == 3


def test_a_reply_s_client_id_cannot_start_a_thread(space, people):
    member = people[Role.MEMBER]
    thread = start(member, space)
    message_post(actor=member, thread=thread, body="reply", client_id="reply-00001")
    with pytest.raises(SpaceError, match="used for another message"):
        start(member, space, client_id="reply-00001")
    again = start(member, space, client_id=thread.messages.get(seq=1).client_id)
    assert again.pk == thread.pk


def test_an_author_who_can_no_longer_read_a_thread_cannot_edit_or_delete(space, people):
    author = people[Role.MEMBER]
    thread = start(author, space, marking=Marking.OFFICIAL_SENSITIVE)
    message = thread.messages.get()
    space.memberships.filter(user=author).update(role=Role.GUEST)
    with pytest.raises(SpaceError, match="Only the author"):
        message_edit(actor=author, message=message, body="changed")
    with pytest.raises(SpaceError, match="author or a moderator"):
        message_delete(actor=author, message=message)
    message.refresh_from_db()
    assert (message.body, message.deleted_at) == ("First thoughts", None)


def test_edits_deletes_and_reactions_are_numbered_without_gaps(space, people):
    member = people[Role.MEMBER]
    thread = start(member, space)
    first = thread.messages.get()
    reply, _ = message_post(actor=member, thread=thread, body="reply", client_id=cid())
    message_edit(actor=member, message=first, body="First, edited")
    reaction_toggle(actor=people[Role.GUEST], message=reply, emoji="👍")
    message_delete(actor=member, message=reply)
    thread.refresh_from_db()
    first.refresh_from_db()
    reply.refresh_from_db()
    assert thread.last_change == 3
    assert (first.change, reply.change) == (1, 3)
