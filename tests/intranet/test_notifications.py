import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from intranet.models import Notification
from intranet.notifications import (
    notification_event,
    notification_send,
    notifications_for,
    notifications_mark_read,
    register_subject,
    unread_count,
    unregister_subject,
)

pytestmark = pytest.mark.django_db

UserModel = get_user_model()


@pytest.fixture
def people(django_user_model):
    return (
        django_user_model.objects.create_user("ann"),
        django_user_model.objects.create_user("bob"),
    )


def test_send_and_count(people):
    ann, bob = people
    notification_send(recipient=ann, kind="profile.edited", text="Bob edited")
    notification_send(recipient=ann, kind="profile.edited", text="x" * 600, url="/p/")
    assert unread_count(ann) == 2
    assert unread_count(bob) == 0
    newest = notifications_for(ann).first()
    assert len(newest.text) == 500
    assert newest.url == "/p/"


def test_mark_read_touches_only_the_reader(people):
    ann, bob = people
    notification_send(recipient=ann, kind="k", text="for ann")
    notification_send(recipient=bob, kind="k", text="for bob")
    assert notifications_mark_read(user=ann) == 1
    assert unread_count(ann) == 0
    assert unread_count(bob) == 1
    assert notifications_mark_read(user=ann) == 0


def test_a_notification_is_pushed_live_only_after_commit(
    people, captured_events, django_capture_on_commit_callbacks
):
    pushed = captured_events.groups
    reader = people[0]
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(
            recipient=reader, kind="mention", text="Ben mentioned you", url="/x"
        )
        assert pushed == []
    assert pushed == [f"user.{reader.pk}"]
    assert notification_event(notification) == {
        "type": "notification",
        "id": notification.pk,
        "kind": "mention",
        "text": "Ben mentioned you",
        "url": "/x",
        "created_at": notification.created_at.isoformat(),
    }


# Subjects: what a notification is about is checked when it is shown. The core
# knows no app, so these tests register a subject of their own: a group, seen by
# its members.


@pytest.fixture
def groups_seen_by_members():
    def groups_of(user):
        return Group.objects.filter(user=user)

    register_subject(Group, groups_of)
    yield
    unregister_subject(Group)


@pytest.fixture
def board(people):
    group = Group.objects.create(name="Board")
    group.user_set.add(*people)
    return group


def test_a_notification_about_something_no_longer_seen_is_not_shown_or_counted(
    people, board, groups_seen_by_members
):
    ann, bob = people
    notification_send(recipient=ann, kind="k", text="About the board", subject=board)
    notification_send(recipient=ann, kind="k", text="About nothing")
    notification_send(recipient=bob, kind="k", text="About the board", subject=board)
    assert unread_count(ann) == 2

    board.user_set.remove(ann)

    assert [n.text for n in notifications_for(ann)] == ["About nothing"]
    assert unread_count(ann) == 1
    # Marking read counts and touches only what was shown.
    assert notifications_mark_read(user=ann) == 1
    assert Notification.objects.filter(recipient=ann, read_at__isnull=True).count()
    # Someone who still sees the subject still sees theirs.
    assert [n.text for n in notifications_for(bob)] == ["About the board"]
    assert unread_count(bob) == 1

    board.user_set.add(ann)
    assert unread_count(ann) == 1


def test_a_subject_no_app_answers_for_is_not_shown(people):
    ann = people[0]
    Notification.objects.create(
        recipient=ann, kind="k", text="About a thing", subject_type="x.y", subject_id=1
    )

    assert not notifications_for(ann).exists()
    assert unread_count(ann) == 0


def test_a_notification_about_something_the_recipient_cannot_see_is_not_sent(
    people,
    board,
    groups_seen_by_members,
    captured_events,
    django_capture_on_commit_callbacks,
):
    pushed = captured_events.groups
    outsider = UserModel.objects.create_user("cy")
    with django_capture_on_commit_callbacks(execute=True):
        sent = notification_send(
            recipient=outsider, kind="k", text="About the board", subject=board
        )

    assert sent is None
    assert not Notification.objects.filter(recipient=outsider).exists()
    assert pushed == []


def test_a_subject_must_be_registered(people, board):
    with pytest.raises(ValueError, match="auth.group"):
        notification_send(recipient=people[0], kind="k", text="x", subject=board)
    assert not Notification.objects.exists()


def test_showing_notifications_costs_the_same_however_many_there_are(
    people, board, groups_seen_by_members, django_assert_num_queries
):
    ann = people[0]
    for n in range(30):
        notification_send(recipient=ann, kind="k", text=f"{n}", subject=board)
        notification_send(recipient=ann, kind="k", text=f"plain {n}")

    with django_assert_num_queries(1):
        assert unread_count(ann) == 60
    with django_assert_num_queries(1):
        assert len(list(notifications_for(ann)[:50])) == 50
