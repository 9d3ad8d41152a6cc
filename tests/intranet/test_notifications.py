import pytest

from intranet.notifications import (
    notification_event,
    notification_send,
    notifications_for,
    notifications_mark_read,
    unread_count,
)

pytestmark = pytest.mark.django_db


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
    people, monkeypatch, django_capture_on_commit_callbacks
):
    pushed = []
    monkeypatch.setattr(
        "intranet.live.publish._send", lambda group, message: pushed.append(group)
    )
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
